/**
 * Maven version order, written by hand after the "Version Order Specification"
 * (https://maven.apache.org/pom.html#version-order-specification), the reading osv.dev and
 * OSV-Scanner use for Maven advisories.
 *
 * Why not `mvncmp` (installed, a port of Maven 3's ComparableVersion): it re-parses both strings
 * on every comparison, reads numbers with `parseInt` (so 2^53 and above lose digits), orders
 * qualifiers with the locale-dependent `localeCompare`, and it follows Maven 3's list nesting
 * where the specification and the shared fixtures trim nulls before every hyphen
 * (`1-ga-1` = `1-1`; Maven 3.8.7 itself says `1-ga-1` < `1-1`). It is kept as a test oracle.
 *
 * The steps:
 *  1. split at `.` and `-` and at every digit/non-digit transition (a transition counts as a
 *     `-`), lower case; an empty token is `0`; `cr` = `rc`; `ga`, `final`, `release` = ``;
 *     `a`, `b`, `m` directly followed by a digit = `alpha`, `beta`, `milestone`;
 *  2. from the end, trailing nulls (`0`, ``) are trimmed, again before every hyphen;
 *  3. token by token, the shorter version padded with nulls: the same separator compares
 *     values (numbers by value, numbers above qualifiers, qualifiers alpha < beta < milestone
 *     < rc < snapshot < `` < sp < anything else, the rest lexically); different separators
 *     order `.qualifier` < `-qualifier` < `-number` < `.number`. A padding null is `0` to a
 *     number and the release qualifier `` to a qualifier.
 */
import { acceptableAscii, compareDigits, compareText, isDigitCode, stripZeros } from '../common.js';

type Sep = '' | '.' | '-';

export interface MavenToken {
  readonly sep: Sep;
  readonly numeric: boolean;
  /** Digits without leading zeros, or the normalised qualifier. */
  readonly value: string;
}

export interface MavenVersion {
  readonly tokens: readonly MavenToken[];
}

const KNOWN_QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'] as const;
const RELEASE_RANK = 5;
const ALIASES: Readonly<Record<string, string>> = { cr: 'rc', ga: '', final: '', release: '' };
const SHORTHANDS: Readonly<Record<string, string>> = { a: 'alpha', b: 'beta', m: 'milestone' };

function qualifierRank(q: string): number {
  const i = (KNOWN_QUALIFIERS as readonly string[]).indexOf(q);
  return i < 0 ? KNOWN_QUALIFIERS.length : i;
}

function token(sep: Sep, raw: string, followedByDigit: boolean): MavenToken {
  if (raw === '') return { sep, numeric: true, value: '0' };
  if (isDigitCode(raw.charCodeAt(0))) return { sep, numeric: true, value: stripZeros(raw) };
  const aliased = ALIASES[raw] ?? raw;
  return { sep, numeric: false, value: followedByDigit ? (SHORTHANDS[aliased] ?? aliased) : aliased };
}

function tokenize(v: string): MavenToken[] {
  const out: MavenToken[] = [];
  let sep: Sep = '';
  let start = 0;
  for (let i = 0; i <= v.length; i++) {
    const c = i < v.length ? v.charCodeAt(i) : -1;
    if (c === 46 || c === 45 || c === -1) {
      // One raw token v[start, i): split it at digit/non-digit transitions.
      if (start === i) out.push(token(sep, '', false));
      let s = start;
      while (s < i) {
        const digit = isDigitCode(v.charCodeAt(s));
        let e = s + 1;
        while (e < i && isDigitCode(v.charCodeAt(e)) === digit) e++;
        out.push(token(s === start ? sep : '-', v.slice(s, e), e < i));
        s = e;
      }
      sep = c === 46 ? '.' : '-';
      start = i + 1;
    }
  }
  return out;
}

const isNull = (t: MavenToken): boolean => (t.numeric ? t.value === '0' : t.value === '');

/** Spec step 2: trim trailing nulls, then again before each remaining hyphen, end to start. */
function trimNulls(tokens: MavenToken[]): MavenToken[] {
  let i = tokens.length - 1;
  while (i > 0) {
    if (isNull(tokens[i]!)) {
      tokens.splice(i, 1);
      i--;
      continue;
    }
    while (i >= 0 && tokens[i]!.sep !== '-') i--;
    i--;
  }
  return tokens;
}

export function parseMavenVersion(v: string): MavenVersion | undefined {
  if (!acceptableAscii(v)) return undefined;
  return { tokens: trimNulls(tokenize(v.toLowerCase())) };
}

const sepRank = (t: MavenToken): number => (t.sep === '.' ? (t.numeric ? 3 : 0) : t.numeric ? 2 : 1);

function compareQualifiers(a: string, b: string): number {
  const ra = qualifierRank(a);
  const rb = qualifierRank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  return ra === KNOWN_QUALIFIERS.length ? compareText(a, b) : 0;
}

/** A padding null against a real token `t` (the null takes t's separator). */
function compareNullTo(t: MavenToken): number {
  if (t.numeric) return compareDigits('0', t.value);
  const r = qualifierRank(t.value);
  return r === RELEASE_RANK ? 0 : RELEASE_RANK < r ? -1 : 1;
}

function compareTokens(a: MavenToken, b: MavenToken): number {
  if (a.sep !== b.sep) return Math.sign(sepRank(a) - sepRank(b));
  if (a.numeric && b.numeric) return compareDigits(a.value, b.value);
  if (a.numeric !== b.numeric) return a.numeric ? 1 : -1;
  return compareQualifiers(a.value, b.value);
}

export function compareMavenVersions(x: MavenVersion, y: MavenVersion): number {
  const a = x.tokens;
  const b = y.tokens;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const l = a[i];
    const r = b[i];
    const d = l && r ? compareTokens(l, r) : l ? 0 - compareNullTo(l) : compareNullTo(r!);
    if (d !== 0) return d;
  }
  return 0;
}
