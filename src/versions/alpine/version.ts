/**
 * Alpine apk versions, `number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}`, written by
 * hand after apk-tools' src/version.c (the token scanner of apk-tools 2.14 / 3): a string is
 * read as a sequence of typed tokens, tokens are compared while both sides have the same type,
 * and when the types part the side whose next token comes later in the grammar is older,
 * unless it is a pre-release suffix (`_alpha`, `_beta`, `_pre`, `_rc`).
 *
 * Token order: initial number < number < letter < suffix < suffix number < ~hash < -r revision
 * < end < invalid. Numbers compare by value (any size); a non-initial number with a leading
 * zero compares as text (`1.02` < `1.1`, the Gentoo rule); suffixes alpha < beta < pre < rc <
 * (none) < cvs < svn < git < hg < p; hashes as text.
 *
 * The scanner is tolerant, as `apk version -t` is: it still orders strings apk calls invalid
 * (`1.2_blah`, `1-r-0`, `.1`), as the shared fixtures expect, reading an empty number as 0
 * (`.1`, `0..8`) and stopping at the first token it cannot read (a string that cannot be read
 * on sorts below one that ends or goes on there, as in the newest apk-tools). Beyond apk-tools 3's scanner, and as
 * apk-tools 2 and the Alpine security database accept them: a number straight after the
 * letter (`6.6.2p1`, see abuild issue #10088), a `.rN` revision (`10.2.22.r0`), and a bare `-r`
 * read as `-r0`.
 *
 * `isValidApkTokens` is the stricter check `parse` applies: apk's grammar with the first two
 * of those readings only (the ones osv.dev's Alpine converter accepts): a non-empty number
 * first, no empty numbers, `-r` with digits, one lower-case letter, known suffixes.
 */
import { compareDigits, compareText, isDigitCode, isLowerCode, MAX_VERSION_LENGTH } from '../common.js';

export const Tok = { Initial: 0, Digit: 1, Letter: 2, Suffix: 3, SuffixNo: 4, Hash: 5, Revision: 6, End: 7, Invalid: 8 } as const;
export type Tok = (typeof Tok)[keyof typeof Tok];

export interface ApkToken {
  readonly kind: Tok;
  /** The digits, the letter, the suffix word or the hash. */
  readonly value: string;
  /** Suffix rank, or 1 for a number read straight after a letter (else 0). */
  readonly rank: number;
}

export interface ApkVersion {
  readonly tokens: readonly ApkToken[];
}

/** apk's suffix order; `''` (no suffix) sits between the pre-release and post-release ones. */
const SUFFIXES = ['alpha', 'beta', 'pre', 'rc', '', 'cvs', 'svn', 'git', 'hg', 'p'] as const;
const NO_SUFFIX = 4;

const isHexCode = (c: number): boolean => isDigitCode(c) || (c >= 97 && c <= 102);

function span(v: string, i: number, pred: (c: number) => boolean): number {
  let j = i;
  while (j < v.length && pred(v.charCodeAt(j))) j++;
  return j;
}

const tok = (kind: Tok, value = '', rank = 0): ApkToken => ({ kind, value, rank });

/** The tolerant scanner: every string gives tokens ending in End or Invalid. */
export function apkTokens(v: string): ApkToken[] {
  const out: ApkToken[] = [];
  let i = span(v, 0, isDigitCode);
  out.push(tok(Tok.Initial, v.slice(0, i)));
  let prev: Tok = Tok.Initial;
  let afterLetter = false;
  for (;;) {
    if (i >= v.length) {
      out.push(tok(Tok.End));
      return out;
    }
    const c = v.charCodeAt(i);
    let t: ApkToken | undefined;
    if (isLowerCode(c) && prev <= Tok.Digit) {
      t = tok(Tok.Letter, v[i]);
      i++;
    } else if (isDigitCode(c) && prev === Tok.Letter) {
      const e = span(v, i, isDigitCode);
      t = tok(Tok.Digit, v.slice(i, e), 1);
      i = e;
    } else if (isDigitCode(c) && prev === Tok.Suffix) {
      const e = span(v, i, isDigitCode);
      t = tok(Tok.SuffixNo, v.slice(i, e));
      i = e;
    } else if (c === 46 && prev <= Tok.Digit && !afterLetter) {
      if (v.charCodeAt(i + 1) === 114 && isDigitCode(v.charCodeAt(i + 2))) {
        const e = span(v, i + 2, isDigitCode);
        t = tok(Tok.Revision, v.slice(i + 2, e));
        i = e;
      } else {
        const e = span(v, i + 1, isDigitCode);
        t = tok(Tok.Digit, v.slice(i + 1, e));
        i = e;
      }
    } else if (c === 95 && prev <= Tok.SuffixNo) {
      const e = span(v, i + 1, isLowerCode);
      const rank = (SUFFIXES as readonly string[]).indexOf(v.slice(i + 1, e));
      if (rank >= 0 && rank !== NO_SUFFIX) {
        t = tok(Tok.Suffix, v.slice(i + 1, e), rank);
        i = e;
      }
    } else if (c === 126 && prev < Tok.Hash) {
      const e = span(v, i + 1, isHexCode);
      if (e > i + 1) {
        t = tok(Tok.Hash, v.slice(i + 1, e));
        i = e;
      }
    } else if (c === 45 && prev < Tok.Revision && v.charCodeAt(i + 1) === 114) {
      const e = span(v, i + 2, isDigitCode);
      const next = v.charCodeAt(e);
      // `-r` then a letter (`-ruff`) is not a revision; `-r` alone reads as `-r0`.
      if (!(e === i + 2 && (isLowerCode(next) || (next >= 65 && next <= 90)))) {
        t = tok(Tok.Revision, v.slice(i + 2, e));
        i = e;
      }
    }
    if (!t) {
      out.push(tok(Tok.Invalid));
      return out;
    }
    afterLetter = t.kind === Tok.Digit && t.rank === 1;
    out.push(t);
    prev = t.kind;
  }
}

/** apk's grammar plus `6.6.2p1` and `.rN`: no invalid token, no empty number. */
export function isValidApkTokens(tokens: readonly ApkToken[]): boolean {
  let letters = 0;
  for (const t of tokens) {
    if (t.kind === Tok.Invalid || (t.kind === Tok.Letter && ++letters > 1)) return false;
    if ((t.kind === Tok.Initial || t.kind === Tok.Digit || t.kind === Tok.Revision) && t.value === '') return false;
  }
  return true;
}

function compareToken(a: ApkToken, b: ApkToken): number {
  switch (a.kind) {
    case Tok.Digit:
      if (a.value.charCodeAt(0) === 48 || b.value.charCodeAt(0) === 48) return compareText(a.value, b.value);
      return compareDigits(a.value || '0', b.value || '0');
    case Tok.Initial:
    case Tok.SuffixNo:
    case Tok.Revision:
      return compareDigits(a.value || '0', b.value || '0');
    case Tok.Suffix:
      return Math.sign(a.rank - b.rank);
    case Tok.Letter:
    case Tok.Hash:
    case Tok.End:
    case Tok.Invalid:
      return compareText(a.value, b.value);
  }
}

const isPreRelease = (t: ApkToken): boolean => t.kind === Tok.Suffix && t.rank < NO_SUFFIX;

/** apk-tools `apk_version_compare` over two token lists. */
export function compareApkTokens(a: readonly ApkToken[], b: readonly ApkToken[]): number {
  let i = 0;
  for (; i < a.length && i < b.length; i++) {
    const ta = a[i]!;
    const tb = b[i]!;
    if (ta.kind !== tb.kind || ta.kind >= Tok.End) break;
    const d = compareToken(ta, tb);
    if (d !== 0) return d;
  }
  const ta = a[i]!;
  const tb = b[i]!;
  if (ta.kind === tb.kind) return 0;
  if (isPreRelease(ta)) return -1;
  if (isPreRelease(tb)) return 1;
  return ta.kind > tb.kind ? -1 : 1;
}

/**
 * Orders any two strings the way `apk version -t` does, valid or not (strings longer than 256
 * characters, which apk refuses anyway, are read up to that length).
 */
export function compareApkStrings(a: string, b: string): number {
  return compareApkTokens(apkTokens(a.slice(0, MAX_VERSION_LENGTH)), apkTokens(b.slice(0, MAX_VERSION_LENGTH)));
}
