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

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** RFC 3339 date-time (offset optional, meaning UTC) → ISO 8601 in UTC, or null if not a real instant. */
export function toIsoTimestamp(s: string): string | null {
  const m = DATE_TIME.exec(s);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
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
