import { z } from 'zod';

/**
 * Feed timestamps → one canonical form. CVE 5 allows an offset or none (then GMT), NVD gives
 * none (UTC): every timestamp in the model is `YYYY-MM-DDTHH:MM:SS.sssZ`, so that string
 * comparison orders them. Sub-millisecond digits are truncated.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** Years accepted, as in the CVE 5 schema's timestamp pattern. */
const MIN_YEAR = 1900;
const MAX_YEAR = 2999;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function daysIn(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
}

const DIGIT_0 = 0x30;
const digit = (s: string, i: number): number => {
  const d = s.charCodeAt(i) - DIGIT_0;
  return d >= 0 && d <= 9 ? d : NaN;
};
const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);

/** The fields of `YYYY-MM-DDTHH:MM:SS[.fraction]` and what follows, as the feeds mostly write them. */
export interface TimestampParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** `.digits` or ''. */
  readonly fraction: string;
  /** The rest of the string after the fraction (the zone, if any). */
  readonly rest: string;
}

/**
 * Reads the common shape of a timestamp without a regular expression (a regex with eight
 * groups costs about a microsecond per timestamp, and an import reads several per record):
 * undefined unless every field is ASCII digits in place and the date and time are separated by
 * `T` (or `t` with `lowerT`). Ranges are the caller's to check.
 */
export function timestampParts(s: string, lowerT: boolean): TimestampParts | undefined {
  if (s.length < 19 || s[4] !== '-' || s[7] !== '-' || s[13] !== ':' || s[16] !== ':') return undefined;
  const t = s[10];
  if (t !== 'T' && !(lowerT && t === 't')) return undefined;
  const year = two(s, 0) * 100 + two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  // NaN (a non-digit) fails every comparison: caught here once.
  if (!(year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0)) return undefined;
  let end = 19;
  if (s[19] === '.') {
    end = 20;
    while (end < s.length && digit(s, end) >= 0) end++;
    if (end === 20) return undefined;
  }
  return { year, month, day, hour, minute, second, fraction: s.slice(19, end), rest: s.slice(end) };
}

/** RFC 3339 date-time (offset optional, meaning UTC) → ISO 8601 in UTC, or null if not a real instant. */
export function toIsoTimestamp(s: string): string | null {
  // In UTC already (most feed timestamps): the fields as given, which is what Date would print
  // for a valid instant of a four-digit year, without a regex or a Date. A fraction that
  // rounds up to a whole second, and every offset, take the general way below.
  const p = timestampParts(s, false);
  if (p !== undefined && (p.rest === '' || p.rest === 'Z')) {
    const { year, month, day, hour, minute, second } = p;
    if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
    if (hour > 23 || minute > 59 || second > 59) return null;
    const ms = p.fraction ? Math.floor(Number(`0${p.fraction}`) * 1000) : 0;
    if (ms < 1000) return `${s.slice(0, 19)}.${String(ms).padStart(3, '0')}Z`;
  }
  const m = DATE_TIME.exec(s);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return new Date(t).toISOString();
}

/** zod: a feed timestamp, output normalised by `toIsoTimestamp`. */
export const isoTimestamp = z.string().transform((s, ctx) => {
  const iso = toIsoTimestamp(s);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: `not an RFC 3339 date-time: ${JSON.stringify(s.slice(0, 40))}` });
    return z.NEVER;
  }
  return iso;
});
