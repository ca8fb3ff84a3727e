import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pivotTrend, targetKind, windowStart, zeroCounts } from './history.js';

test('windowStart: the first UTC day of a window ending today', () => {
  assert.equal(windowStart(new Date('2026-03-10T23:59:59Z'), 1).toISOString(), '2026-03-10T00:00:00.000Z');
  assert.equal(windowStart(new Date('2026-03-10T00:00:00Z'), 10).toISOString(), '2026-03-01T00:00:00.000Z');
  // Across a month and a leap day.
  assert.equal(windowStart(new Date('2024-03-01T12:00:00Z'), 3).toISOString(), '2024-02-28T00:00:00.000Z');
});

test('pivotTrend: one point per day, every day present, totals summed', () => {
  const first = new Date('2026-01-30T00:00:00Z');
  const points = pivotTrend(
    [
      { day: 0, severity: 'critical', open: 2 },
      { day: 0, severity: 'low', open: 1 },
      { day: 2, severity: 'high', open: 4 },
    ],
    first,
    3,
  );
  assert.deepEqual(points.map((p) => p.date), ['2026-01-30', '2026-01-31', '2026-02-01']);
  assert.deepEqual(points.map((p) => p.total), [3, 0, 4]);
  assert.equal(points[0]!.bySeverity.critical, 2);
  assert.equal(points[2]!.bySeverity.high, 4);
  assert.deepEqual(points[1]!.bySeverity, zeroCounts());
});

test('pivotTrend: empty input gives zero points; hostile rows are ignored', () => {
  assert.deepEqual(pivotTrend([], new Date('2026-01-01T00:00:00Z'), 2).map((p) => p.total), [0, 0]);
  assert.deepEqual(pivotTrend([], new Date('2026-01-01T00:00:00Z'), 0), []);
  const p = pivotTrend(
    [
      { day: -1, severity: 'high', open: 5 },
      { day: 7, severity: 'high', open: 5 },
      { day: 0, severity: '__proto__', open: 5 },
      { day: 0, severity: 'info', open: 5 },
    ],
    new Date('2026-01-01T00:00:00Z'),
    2,
  );
  assert.deepEqual(p.map((x) => x.total), [0, 0]);
  assert.deepEqual(Object.keys(p[0]!.bySeverity), ['critical', 'high', 'medium', 'low', 'none', 'unknown']);
});

test('targetKind: clusters, accounts and uploaded scans', () => {
  assert.equal(targetKind('kubernetes'), 'cluster');
  for (const p of ['aws', 'azure', 'gcp']) assert.equal(targetKind(p), 'account');
  assert.equal(targetKind(null), 'upload');
});
