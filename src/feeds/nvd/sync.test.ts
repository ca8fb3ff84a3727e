import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nvdDate, nvdPageUrl, nvdWindows } from './sync.js';

const DAY = 86_400_000;
const t0 = Date.parse('2024-01-01T00:00:00Z');

test('NVD dates carry milliseconds and an explicit offset', () => {
  assert.equal(nvdDate(t0 + 1234), '2024-01-01T00:00:01.234+00:00');
});

test('a span is cut into consecutive windows of at most 120 days', () => {
  assert.deepEqual(nvdWindows(t0, t0 + 300 * DAY, 120), [
    { start: nvdDate(t0), end: nvdDate(t0 + 120 * DAY) },
    { start: nvdDate(t0 + 120 * DAY), end: nvdDate(t0 + 240 * DAY) },
    { start: nvdDate(t0 + 240 * DAY), end: nvdDate(t0 + 300 * DAY) },
  ]);
  assert.deepEqual(nvdWindows(t0, t0 + 120 * DAY, 120), [{ start: nvdDate(t0), end: nvdDate(t0 + 120 * DAY) }]);
  assert.deepEqual(nvdWindows(t0, t0, 120), []);
  assert.deepEqual(nvdWindows(t0 + DAY, t0, 120), [], 'a start in the future asks nothing');
});

test('page URLs: dates escaped (+ as %2B), paging parameters set', () => {
  const u = nvdPageUrl('https://nvd.example/rest/json/cves/2.0', 4000, 2000, { start: nvdDate(t0), end: nvdDate(t0 + DAY) });
  assert.equal(u, 'https://nvd.example/rest/json/cves/2.0?lastModStartDate=2024-01-01T00%3A00%3A00.000%2B00%3A00&lastModEndDate=2024-01-02T00%3A00%3A00.000%2B00%3A00&resultsPerPage=2000&startIndex=4000');
  assert.equal(nvdPageUrl('https://nvd.example/cves', 0, 10), 'https://nvd.example/cves?resultsPerPage=10&startIndex=0');
});
