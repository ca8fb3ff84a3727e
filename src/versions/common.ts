/**
 * Small pure helpers shared by the hand-written version schemes: character classes by code
 * unit (no regular expressions, so every scan is linear), arbitrary-size numeric comparison of
 * digit strings (ecosystems such as RubyGems, dpkg and rpm have no integer limit, and the
 * shared fixtures compare 30-digit numbers), and the input checks every `parse` runs first.
 */

/**
 * Longest version string any scheme accepts. npm's `semver` uses the same bound; real versions
 * (Debian backports, Maven timestamps, Go pseudo-versions) stay far below it.
 */
export const MAX_VERSION_LENGTH = 256;

export const isDigitCode = (c: number): boolean => c >= 48 && c <= 57;
export const isLowerCode = (c: number): boolean => c >= 97 && c <= 122;
export const isUpperCode = (c: number): boolean => c >= 65 && c <= 90;
export const isLetterCode = (c: number): boolean => isLowerCode(c) || isUpperCode(c);
export const isAlnumCode = (c: number): boolean => isDigitCode(c) || isLetterCode(c);

/** True when `s` is one or more ASCII digits. */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigitCode(s.charCodeAt(i))) return false;
  return true;
}

/** The digit string without leading zeros (`"007"` → `"7"`, `"000"` → `"0"`). */
export function stripZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? digits : digits.slice(i);
}

/** Numeric comparison of two digit strings of any length (leading zeros allowed). */
export function compareDigits(a: string, b: string): number {
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Ordinal comparison by UTF-16 code unit (the byte order for ASCII), as C's `strcmp`. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** True when every character is visible ASCII (`!` … `~`): no spaces, controls or Unicode. */
export function isVisibleAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

/** Unicode spaces and invisible format characters (zero-width, bidirectional controls, BOM). */
const isInvisibleCode = (c: number): boolean =>
  c === 0x1680 || (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) || (c >= 0x205f && c <= 0x206f) || c === 0x3000 || c === 0xfeff || (c >= 0xfff9 && c <= 0xfffb);

/** True when no character is a space, a control or format character, or an unpaired surrogate. */
export function hasNoSpaceOrControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0xad || isInvisibleCode(c)) return false;
    if (c >= 0xd800 && c <= 0xdfff) {
      const hi = c <= 0xdbff;
      const next = s.charCodeAt(i + 1);
      if (!hi || !(next >= 0xdc00 && next <= 0xdfff)) return false;
      i++;
    }
  }
  return true;
}

/**
 * The checks every `parse` starts with: a non-empty string within MAX_VERSION_LENGTH made of
 * visible ASCII. Schemes whose ecosystems allow other characters (rpm) say so themselves.
 */
export function acceptableAscii(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_VERSION_LENGTH && isVisibleAscii(v);
}

/** Index of the first character of `s` at or after `from` that is not a digit. */
export function digitRunEnd(s: string, from: number): number {
  let i = from;
  while (i < s.length && isDigitCode(s.charCodeAt(i))) i++;
  return i;
}
