import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoTimestamp, toIsoTimestamp } from './timestamp.js';

test('toIsoTimestamp normalises every accepted form to UTC with milliseconds and Z', () => {
  const cases: [string, string][] = [
    ['2024-09-10T15:11:03.085Z', '2024-09-10T15:11:03.085Z'],
    ['2024-09-10T15:11:03Z', '2024-09-10T15:11:03.000Z'],
    ['2024-09-10T15:11:03', '2024-09-10T15:11:03.000Z'],
    ['2021-12-10T10:15:09.143', '2021-12-10T10:15:09.143Z'],
    ['2024-09-10T15:10:54.020229Z', '2024-09-10T15:10:54.020Z'],
    ['2024-09-10T15:10:54.9999', '2024-09-10T15:10:54.999Z'],
    ['2024-03-04T12:30:00+02:00', '2024-03-04T10:30:00.000Z'],
    ['2024-03-04T00:30:00-01:30', '2024-03-04T02:00:00.000Z'],
    ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['2000-01-01T00:00:00+01:00', '1999-12-31T23:00:00.000Z'],
  ];
  for (const [input, want] of cases) assert.equal(toIsoTimestamp(input), want, input);
});

test('toIsoTimestamp refuses what is not a real instant', () => {
  for (const bad of ['', 'yesterday', '2024-09-10', '2024-09-10 15:11:03', '2023-02-29T00:00:00Z', '2024-04-31T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T00:60:00Z', '2024-01-01T00:00:60Z', '2024-01-01T00:00:00+24:00', '1899-12-31T00:00:00Z', '3000-01-01T00:00:00Z', '2024-01-01T00:00:00z', ' 2024-01-01T00:00:00Z']) {
    assert.equal(toIsoTimestamp(bad), null, bad);
  }
});

test('isoTimestamp (zod) transforms or reports', () => {
  assert.equal(isoTimestamp.parse('2024-01-01T00:00:00'), '2024-01-01T00:00:00.000Z');
  const r = isoTimestamp.safeParse('not a date');
  assert.equal(r.success, false);
  if (!r.success) assert.equal(r.error.issues[0]?.message, 'not an RFC 3339 date-time: "not a date"');
});
