/**
 * `rubygems`: gem versions as RubyGems' `Gem::Version` reads and orders them. Written by hand:
 * @renovatebot/ruby-semver (installed) turns numbers into JavaScript numbers, so it cannot order
 * `999999999999999999999999999991` and `…999`, which Ruby's integers can.
 *  - `1.2.3`, `1.0.a10`, `1.2.4.beta`, `1.0-rc1` (`-` reads as `.pre.`); numbers of any size;
 *  - segments are the runs of digits and of letters; a letter segment marks a pre-release
 *    (`1.0.a` < `1.0`); trailing zero segments do not count (`1.0` = `1`, `1.0.a.0` = `1.0.a`);
 *  - compared segment by segment, a missing one being 0: numbers by value, letters before
 *    numbers, letters case-sensitively (`1.0.B` < `1.0.a`).
 * Valid as Ruby's `Gem::Version.correct?`, with one relaxation the shared fixtures need and
 * Gem::Version's own ordering handles: letters may follow the first number without a dot
 * (`1beta` = `1.beta`). No surrounding spaces (Ruby strips them; the caller should not send them).
 */
import type { VersionScheme } from '../scheme.js';
import { acceptableAscii, compareDigits, compareText, isAlnumCode, isDigitCode, stripZeros } from '../common.js';

export interface RubyGemsVersion {
  /** Canonical segments; digit strings (no leading zeros) or letter runs. */
  readonly segments: readonly string[];
}

/** `[0-9][0-9A-Za-z]*(\.[0-9A-Za-z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`, in one pass. */
function valid(v: string): boolean {
  if (!isDigitCode(v.charCodeAt(0))) return false;
  let inPre = false;
  let segmentLength = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 46) {
      if (segmentLength === 0) return false;
      segmentLength = 0;
    } else if (c === 45 && !inPre) {
      if (segmentLength === 0) return false;
      inPre = true;
      segmentLength = 0;
    } else if (isAlnumCode(c) || (c === 45 && inPre)) {
      segmentLength++;
    } else {
      return false;
    }
  }
  return segmentLength > 0;
}

const isNumeric = (s: string): boolean => isDigitCode(s.charCodeAt(0));

/** Gem::Version#_segments: runs of digits or letters, with `-` read as `.pre.`. */
function segments(v: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < v.length) {
    const c = v.charCodeAt(i);
    if (c === 45) out.push('pre');
    if (!isAlnumCode(c)) {
      i++;
      continue;
    }
    const digit = isDigitCode(c);
    let j = i + 1;
    while (j < v.length && isAlnumCode(v.charCodeAt(j)) && isDigitCode(v.charCodeAt(j)) === digit) j++;
    out.push(digit ? stripZeros(v.slice(i, j)) : v.slice(i, j));
    i = j;
  }
  return out;
}

const dropTrailingZeros = (s: string[]): string[] => {
  let n = s.length;
  while (n > 0 && s[n - 1] === '0') n--;
  return s.slice(0, n);
};

/** Gem::Version#canonical_segments: trailing zeros dropped from the release and the pre-release part. */
function canonical(segs: string[]): string[] {
  let firstWord = segs.findIndex((s) => !isNumeric(s));
  if (firstWord < 0) firstWord = segs.length;
  return [...dropTrailingZeros(segs.slice(0, firstWord)), ...dropTrailingZeros(segs.slice(firstWord))];
}

export function parseRubyGemsVersion(v: string): RubyGemsVersion | undefined {
  if (!acceptableAscii(v) || !valid(v)) return undefined;
  return { segments: canonical(segments(v)) };
}

export function compareRubyGemsVersions(x: RubyGemsVersion, y: RubyGemsVersion): number {
  const a = x.segments;
  const b = y.segments;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const l = a[i] ?? '0';
    const r = b[i] ?? '0';
    const ln = isNumeric(l);
    const rn = isNumeric(r);
    if (ln && rn) {
      const d = compareDigits(l, r);
      if (d !== 0) return d;
    } else if (ln !== rn) {
      return ln ? 1 : -1;
    } else {
      const d = compareText(l, r);
      if (d !== 0) return d;
    }
  }
  return 0;
}

export const scheme: VersionScheme<RubyGemsVersion> = {
  id: 'rubygems',
  title: 'RubyGems (Gem::Version)',
  parse: parseRubyGemsVersion,
  compare: compareRubyGemsVersions,
};
