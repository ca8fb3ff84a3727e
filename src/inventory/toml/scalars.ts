/**
 * Numbers, booleans and date-times of the hand-written TOML parser (see ./parse.ts). One
 * forward scan per value. Date-times come back as smol-toml's `TomlDate` (a `Date` that knows
 * whether it is a date, a time, local or with an offset), so values are interchangeable with
 * the library's; unlike smol-toml, impossible calendar dates (`2021-02-30`) are refused.
 */
import { TomlDate } from 'smol-toml';
import type { TomlCursor } from './cursor.js';

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

const isHexDigit = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** Where a bare value ends: whitespace, a newline, a comment, or (inside `[ ]` / `{ }`) `,` and the closer. */
function isEndOfValue(c: number, closer: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x23 || (closer !== 0 && (c === closer || c === 0x2c));
}

/** `true`, `false`, a number or a date-time at the cursor. `closer` is `]`, `}` or 0 at the top level. */
export function parseBareValue(cur: TomlCursor, closer: number): boolean | number | TomlDate {
  const s = cur.s;
  const p = cur.p;
  const c = s.charCodeAt(p);
  if (c === 0x74) {
    if (!s.startsWith('true', p)) cur.fail('invalid value');
    cur.p += 4;
    return true;
  }
  if (c === 0x66) {
    if (!s.startsWith('false', p)) cur.fail('invalid value');
    cur.p += 5;
    return false;
  }
  if (isDigit(c)) {
    if (s.charCodeAt(p + 4) === 0x2d && isDigit(s.charCodeAt(p + 1)) && isDigit(s.charCodeAt(p + 2)) && isDigit(s.charCodeAt(p + 3))) return parseDateTime(cur);
    if (s.charCodeAt(p + 2) === 0x3a && isDigit(s.charCodeAt(p + 1))) return parseLocalTime(cur);
  }
  return parseNumber(cur, closer);
}

/**
 * A decimal integer or float, `inf`/`nan` with an optional sign, or a `0x`/`0o`/`0b`
 * integer. Underscores only between digits; no leading zeros; integers beyond 2^53 refused.
 */
function parseNumber(cur: TomlCursor, closer: number): number {
  const s = cur.s;
  const start = cur.p;
  let p = start;
  let c = s.charCodeAt(p);
  let negative = false;
  if (c === 0x2b || c === 0x2d) {
    negative = c === 0x2d;
    c = s.charCodeAt(++p);
  }
  if (c === 0x69 || c === 0x6e) {
    const word = c === 0x69 ? 'inf' : 'nan';
    if (!s.startsWith(word, p)) cur.fail('invalid value', start);
    cur.p = p + 3;
    return c === 0x6e ? NaN : negative ? -Infinity : Infinity;
  }
  if (!isDigit(c)) cur.fail('invalid value', start);
  if (c === 0x30) {
    const next = s.charCodeAt(p + 1);
    if (p + 1 >= cur.n || isEndOfValue(next, closer)) {
      cur.p = p + 1;
      return 0; // also for `-0`: TOML integers have no negative zero
    }
    if (p === start && (next === 0x78 || next === 0x6f || next === 0x62)) return parseRadix(cur, p + 2, next === 0x78 ? 16 : next === 0x6f ? 8 : 2, closer);
    if (next !== 0x2e && next !== 0x65 && next !== 0x45) cur.fail('illegal leading zero', start);
  }
  // States: 1 integer digits, 2 after '.', 3 fraction digits, 4 after 'e', 5 exponent
  // digits, 6 after the exponent's sign, 7 its digits. A value ends in an odd state, and an
  // underscore must sit between two digits.
  let state = 1;
  let afterUnderscore = false;
  let underscores = false;
  let value = c - 0x30;
  let simple = true; // plain digits only: the value is accumulated as we go
  for (c = s.charCodeAt(++p); p < cur.n && !isEndOfValue(c, closer); c = s.charCodeAt(++p)) {
    if (isDigit(c)) {
      afterUnderscore = false;
      if ((state & 1) === 0) state++;
      if (simple) value = value * 10 + (c - 0x30);
      continue;
    }
    simple = false;
    if (c === 0x5f) {
      if (afterUnderscore || (state & 1) === 0) cur.fail('illegal underscore', p);
      afterUnderscore = underscores = true;
      continue;
    }
    if (afterUnderscore) cur.fail('illegal character in numeric literal', p);
    if (c === 0x2e && state === 1) state = 2;
    else if ((c === 0x65 || c === 0x45) && (state === 1 || state === 3)) state = 4;
    else if ((c === 0x2b || c === 0x2d) && state === 4) state = 6;
    else cur.fail('illegal character in numeric literal', p);
  }
  if (afterUnderscore || (state & 1) === 0) cur.fail('unfinished numeric value', start);
  cur.p = p;
  if (simple && value <= Number.MAX_SAFE_INTEGER) return negative ? -value : value;
  let text = s.slice(start, p);
  if (underscores) text = text.replaceAll('_', '');
  if (state !== 1) return parseFloat(text);
  const n = parseInt(text, 10);
  if (!Number.isSafeInteger(n)) cur.fail('integer value cannot be represented losslessly', start);
  return n;
}

function parseRadix(cur: TomlCursor, from: number, radix: number, closer: number): number {
  const s = cur.s;
  const start = cur.p;
  const ok = radix === 16 ? isHexDigit : radix === 8 ? (c: number) => c >= 0x30 && c <= 0x37 : (c: number) => c === 0x30 || c === 0x31;
  let p = from;
  let needDigit = true;
  let underscores = false;
  for (let c = s.charCodeAt(p); p < cur.n && !isEndOfValue(c, closer); c = s.charCodeAt(++p)) {
    if (c === 0x5f) {
      if (needDigit) cur.fail('illegal underscore', p);
      needDigit = true;
      underscores = true;
    } else if (ok(c)) needDigit = false;
    else cur.fail('illegal character in numeric literal', p);
  }
  if (needDigit) cur.fail('unfinished numeric value', start);
  cur.p = p;
  let digits = s.slice(from, p);
  if (underscores) digits = digits.replaceAll('_', '');
  const n = parseInt(digits, radix);
  if (!Number.isSafeInteger(n)) cur.fail('integer value cannot be represented losslessly', start);
  return n;
}

function twoDigits(s: string, p: number): number {
  const a = s.charCodeAt(p);
  const b = s.charCodeAt(p + 1);
  return isDigit(a) && isDigit(b) ? (a - 0x30) * 10 + (b - 0x30) : -1;
}

const daysIn = (year: number, month: number): number =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;

/** `HH:MM[:SS[.frac]]` at `p`: the offset after it. */
function timeEnd(cur: TomlCursor, p: number, start: number): number {
  const s = cur.s;
  const hour = twoDigits(s, p);
  const minute = s.charCodeAt(p + 2) === 0x3a ? twoDigits(s, p + 3) : -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) cur.fail('invalid date-time: time part is malformed', start);
  p += 5;
  if (s.charCodeAt(p) === 0x3a) {
    const second = twoDigits(s, p + 1);
    if (second < 0 || second > 59) cur.fail('invalid date-time: time part is malformed', start);
    p += 3;
  }
  if (s.charCodeAt(p) === 0x2e) {
    if (!isDigit(s.charCodeAt(p + 1))) cur.fail('invalid date-time: fraction is malformed', start);
    p++;
    while (isDigit(s.charCodeAt(p))) p++;
  }
  return p;
}

/** `YYYY-MM-DD`, optionally `T` (or `t`, or a space) and a time, optionally `Z` or `±HH:MM`. */
function parseDateTime(cur: TomlCursor): TomlDate {
  const s = cur.s;
  const start = cur.p;
  const year = Number(s.slice(start, start + 4));
  const month = s.charCodeAt(start + 4) === 0x2d ? twoDigits(s, start + 5) : -1;
  const day = s.charCodeAt(start + 7) === 0x2d ? twoDigits(s, start + 8) : -1;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) cur.fail('invalid date-time: date part is malformed', start);
  let p = start + 10;
  const sep = s.charCodeAt(p);
  if (sep === 0x54 || sep === 0x74 || (sep === 0x20 && isDigit(s.charCodeAt(p + 1)))) {
    p = timeEnd(cur, p + 1, start);
    const z = s.charCodeAt(p);
    if (z === 0x5a || z === 0x7a) p++;
    else if (z === 0x2b || z === 0x2d) {
      const hh = twoDigits(s, p + 1);
      const mm = s.charCodeAt(p + 3) === 0x3a ? twoDigits(s, p + 4) : -1;
      if (hh < 0 || hh > 23 || mm < 0 || mm > 59) cur.fail('invalid date-time: offset is malformed', start);
      p += 6;
    }
  }
  return toDate(cur, s.slice(start, p), start, p);
}

/** `HH:MM[:SS[.frac]]` on its own: a local time. */
function parseLocalTime(cur: TomlCursor): TomlDate {
  const start = cur.p;
  const end = timeEnd(cur, start, start);
  return toDate(cur, cur.s.slice(start, end), start, end);
}

function toDate(cur: TomlCursor, text: string, start: number, end: number): TomlDate {
  const date = new TomlDate(text);
  if (!date.isValid()) cur.fail('invalid date', start);
  cur.p = end;
  return date;
}
