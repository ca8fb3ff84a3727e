import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyAsset, deltasAfter, type ReleaseAsset } from './sync.js';

const asset = (name: string): ReleaseAsset => {
  const a = classifyAsset(name, `https://example.test/${name}`);
  assert.ok(a, name);
  return a;
};

test('release assets are recognised by name', () => {
  assert.deepEqual(classifyAsset('2024-01-02_all_CVEs_at_midnight.zip.zip', 'u'), { kind: 'baseline', name: '2024-01-02_all_CVEs_at_midnight.zip.zip', url: 'u', day: '2024-01-02', key: '2024-01-02T0000' });
  assert.equal(classifyAsset('2024-01-02_all_CVEs_at_midnight.zip', 'u')?.kind, 'baseline');
  assert.equal(classifyAsset('2024-01-02_delta_CVEs_at_1300Z.zip', 'u')?.key, '2024-01-02T1300');
  assert.equal(classifyAsset('2024-01-02_delta_CVEs_at_end_of_day.zip', 'u')?.key, '2024-01-02T2400');
  for (const other of ['release_notes.md', 'cves.zip', '2024-01-02_delta_CVEs_at_13Z.zip', 'x_all_CVEs_at_midnight.zip']) assert.equal(classifyAsset(other, 'u'), undefined, other);
});

test('deltas to apply: the newest of each day from the last one applied, oldest day first', () => {
  const list = [
    '2024-01-03_delta_CVEs_at_0200Z.zip',
    '2024-01-03_delta_CVEs_at_0100Z.zip',
    '2024-01-02_delta_CVEs_at_end_of_day.zip',
    '2024-01-02_delta_CVEs_at_2300Z.zip',
    '2024-01-02_delta_CVEs_at_0300Z.zip',
    '2024-01-02_all_CVEs_at_midnight.zip.zip',
  ].map(asset);
  const keys = (applied: string) => deltasAfter(list, applied)?.map((a) => a.key);
  assert.deepEqual(keys('2024-01-02T0000'), ['2024-01-02T2400', '2024-01-03T0200']);
  assert.deepEqual(keys('2024-01-02T2400'), ['2024-01-03T0200']);
  assert.deepEqual(keys('2024-01-03T0100'), ['2024-01-03T0200']);
  assert.deepEqual(keys('2024-01-03T0200'), []);
  assert.deepEqual(keys('2024-01-04T0000'), [], 'nothing listed after the day applied');
});

test('a day missing between the last applied and the newest is a gap', () => {
  const list = ['2024-01-05_delta_CVEs_at_0100Z.zip', '2024-01-03_delta_CVEs_at_end_of_day.zip'].map(asset);
  assert.deepEqual(deltasAfter(list, '2024-01-04T2400')?.map((a) => a.key), ['2024-01-05T0100']);
  assert.equal(deltasAfter(list, '2024-01-02T0500'), undefined, 'the rest of 01-02 is not listed');
  assert.equal(deltasAfter(list, '2024-01-03T0500'), undefined, '01-04 is not listed');
  assert.equal(deltasAfter(list, '2024-01-03T2400'), undefined, '01-04 is not listed');
});
