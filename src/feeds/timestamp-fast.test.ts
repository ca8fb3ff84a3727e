import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rfc3339ToIso } from './osv/schema.js';
import { timestampParts, toIsoTimestamp } from './timestamp.js';

// The readers take a short way for UTC timestamps (no regex, no Date). Both must answer exactly
// as the general way, written here as it was before, for every input: generated ones below.

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
function referenceIso(s: string): string | null {
  const m = DATE_TIME.exec(s);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (year < 1900 || year > 2999 || month < 1 || month > 12 || day < 1 || day > daysIn) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  let offset = 0;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offset = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000).toISOString();
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function referenceRfc(s: string): string | null {
  if (s.length > 64) return null;
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const monthDays = mo === 2 && leap ? 29 : DAYS[mo - 1];
  if (monthDays === undefined || d < 1 || d > monthDays || h > 23 || mi > 59 || se > 59) return null;
  const ms = m[7] ? Number(m[7].slice(1, 4).padEnd(3, '0')) : 0;
  const zone = m[8] ?? 'Z';
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offset = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, se, ms);
  const utc = new Date(date.getTime() - offset * 60_000);
  const year = utc.getUTCFullYear();
  return year < 0 || year > 9999 ? null : utc.toISOString();
}

/** mulberry32: deterministic, so that a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

const pick = <T>(r: (n: number) => number, xs: readonly T[]): T => xs[r(xs.length)]!;

test('the short way of both timestamp readers answers as the general way', () => {
  const r = random(42);
  const p2 = (n: number) => String(n).padStart(2, '0');
  for (let i = 0; i < 200_000; i++) {
    const year = String(pick(r, [r(10_000), 1900 + r(1100), 1899, 2999, 3000, 0, 2000, 2100, 1600])).padStart(4, '0');
    const fraction = pick(r, ['', `.${r(10)}`, `.${String(r(1000)).padStart(3, '0')}`, `.${String(r(1e9)).padStart(9, '0')}`, '.9999999999999999999', '.', '.x']);
    const zone = pick(r, ['', 'Z', 'z', `+${p2(r(26))}:${p2(r(62))}`, `-${p2(r(24))}:${p2(r(60))}`, '+00:00', 'Zx', ' ']);
    const sep = pick(r, ['T', 't', ' ', 'T']);
    const s = `${year}-${p2(r(14))}-${p2(r(33))}${sep}${p2(r(25))}:${p2(r(61))}:${p2(r(61))}${fraction}${zone}`;
    assert.equal(toIsoTimestamp(s), referenceIso(s), s);
    assert.equal(rfc3339ToIso(s), referenceRfc(s), s);
  }
  for (let ms = 0; ms < 1000; ms++) {
    const s = `2024-02-29T23:59:59.${String(ms).padStart(3, '0')}Z`;
    assert.equal(toIsoTimestamp(s), referenceIso(s), s);
    assert.equal(rfc3339ToIso(s), referenceRfc(s), s);
  }
  for (const s of ['', 'x', '2024-01-01', '2024-01-01T00:00:0', '２０２４-01-01T00:00:00Z', '2024-01-01T00:00:00.1234567890123456789012345678901234567890123456789Z', '-024-01-01T00:00:00Z', '+2024-01-01T00:00:00Z']) {
    assert.equal(toIsoTimestamp(s), referenceIso(s), s);
    assert.equal(rfc3339ToIso(s), referenceRfc(s), s);
  }
});

test('timestampParts reads only ASCII digits in place', () => {
  assert.deepEqual(timestampParts('2024-09-10T15:11:03.085Z', false), { year: 2024, month: 9, day: 10, hour: 15, minute: 11, second: 3, fraction: '.085', rest: 'Z' });
  assert.equal(timestampParts('2024-09-10t15:11:03Z', false), undefined);
  assert.equal(timestampParts('2024-09-10t15:11:03Z', true)?.rest, 'Z');
  for (const bad of ['2024-0a-10T15:11:03Z', '2024-09-10T15:11:0', '2024/09/10T15:11:03Z', '2024-09-10T15:11:03.Z', ' 2024-09-10T15:11:03Z']) assert.equal(timestampParts(bad, true), undefined, bad);
});
