/** Feed dates: `YYYY-MM-DD`, a real day of the proleptic Gregorian calendar. */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

/** Is `s` exactly `YYYY-MM-DD` and a day that exists (no 2025-02-29, no month 13)? */
export function isCalendarDate(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const max = mo === 2 && isLeap(y) ? 29 : DAYS[mo - 1];
  return max !== undefined && d >= 1 && d <= max;
}
