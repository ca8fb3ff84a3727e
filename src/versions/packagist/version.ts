/**
 * Composer / Packagist version order: PHP's `version_compare()` (php-src
 * ext/standard/versioning.c) on the version with its leading `v`/`V` removed, which is how
 * Composer compares versions and how the shared fixtures were generated. Written by hand (no
 * JavaScript port exists); PHP itself is not a library we can call.
 *
 *  1. Canonical form: `-`, `_`, `+` and other punctuation become `.`; a `.` is inserted at
 *     every digit/non-digit transition (`1.0rc1` → `1.0.rc.1`).
 *  2. Parts compare left to right: numbers by value; words by their special form, matched by
 *     prefix and case-sensitively: anything else < `dev` < `alpha` = `a` < `beta` = `b` <
 *     `RC` = `rc` < `#` < `pl` = `p`; a number against a word counts as `#` (so `1.0` >
 *     `1.0rc1` and `1.0pl1` > `1.0`).
 *  3. When one side runs out, its missing part is a `#`: an extra number wins, an extra word
 *     is compared with `#` (`1.0` < `1.0.1`, `1.0` > `1.0-beta`).
 *
 * Where this differs from PHP, on purpose: numbers of any size are compared exactly (PHP's
 * `strtol` clamps at 2^63 - 1); `#` is kept as a part ranking with numbers, as PHP ranks it,
 * instead of being dropped as punctuation (PHP then orders `1.2.3.#` below itself). A valid
 * version starts and ends with a letter, a digit or `#` and holds only those and `.-_+`.
 */
import { compareDigits, isAlnumCode, isDigitCode, MAX_VERSION_LENGTH, stripZeros } from '../common.js';

export interface PackagistPart {
  readonly numeric: boolean;
  /** Digits without leading zeros, or the word. */
  readonly value: string;
  /** PHP special-form order of a word (-1 … 5); 4 (`#`) for numbers. */
  readonly order: number;
}

export interface PackagistVersion {
  readonly parts: readonly PackagistPart[];
}

const HASH = 35;
const FORMS: readonly (readonly [string, number])[] = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];
const NUMBER_ORDER = 4;

function formOrder(word: string): number {
  for (const [name, order] of FORMS) if (word.startsWith(name)) return order;
  return -1;
}

const isWordCode = (c: number): boolean => isAlnumCode(c) || c === HASH;
const isSeparatorCode = (c: number): boolean => c === 46 || c === 45 || c === 95 || c === 43;

/** Valid characters, first and last a letter, digit or `#`. */
function valid(v: string): boolean {
  if (v.length === 0 || !isWordCode(v.charCodeAt(0)) || !isWordCode(v.charCodeAt(v.length - 1))) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (!isWordCode(c) && !isSeparatorCode(c)) return false;
  }
  return true;
}

/** Canonical form split into parts (steps 1 and 2 above). */
function parts(v: string): PackagistPart[] {
  const out: PackagistPart[] = [];
  let start = -1;
  let digit = false;
  const flush = (end: number): void => {
    if (start < 0) return;
    const text = v.slice(start, end);
    out.push(digit ? { numeric: true, value: stripZeros(text), order: NUMBER_ORDER } : { numeric: false, value: text, order: formOrder(text) });
    start = -1;
  };
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (isSeparatorCode(c)) {
      flush(i);
      continue;
    }
    const d = isDigitCode(c);
    if (start >= 0 && d !== digit) flush(i);
    if (start < 0) {
      start = i;
      digit = d;
    }
  }
  flush(v.length);
  return out;
}

export function parsePackagistVersion(version: string): PackagistVersion | undefined {
  if (typeof version !== 'string' || version.length > MAX_VERSION_LENGTH) return undefined;
  let i = 0;
  while (i < version.length && (version.charCodeAt(i) === 118 || version.charCodeAt(i) === 86)) i++;
  const v = version.slice(i);
  return valid(v) ? { parts: parts(v) } : undefined;
}

function comparePart(a: PackagistPart, b: PackagistPart): number {
  if (a.numeric && b.numeric) return compareDigits(a.value, b.value);
  return Math.sign(a.order - b.order);
}

/** The parts from `k` on against a missing part (`#`): PHP's `version_compare(rest, "#N#")`. */
function restAgainstMissing(p: readonly PackagistPart[], k: number): number {
  for (let j = k; j < p.length; j++) {
    const part = p[j]!;
    if (part.numeric) return 1;
    const d = Math.sign(part.order - NUMBER_ORDER);
    if (d !== 0) return d;
  }
  return 0;
}

export function comparePackagistVersions(x: PackagistVersion, y: PackagistVersion): number {
  const a = x.parts;
  const b = y.parts;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = comparePart(a[i]!, b[i]!);
    if (d !== 0) return d;
  }
  if (a.length > n) return restAgainstMissing(a, n);
  if (b.length > n) return 0 - restAgainstMissing(b, n);
  return 0;
}
