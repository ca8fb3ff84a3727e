import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SCAN_OUTPUT_FORMAT_IDS } from './formats.js';
import { renderScanReport, SCAN_OUTPUT_FORMATS } from './registry.js';
import { makeReport, sampleReport } from './test-fixtures.js';

const here = fileURLToPath(new URL('.', import.meta.url));

test('registry: one folder per format, each registered under its folder name, and the id list agrees', () => {
  const folders = readdirSync(here).filter((n) => statSync(join(here, n)).isDirectory() && !n.startsWith('_')).sort();
  assert.deepEqual([...SCAN_OUTPUT_FORMATS.keys()].sort(), folders);
  assert.deepEqual([...SCAN_OUTPUT_FORMAT_IDS].sort(), folders);
  for (const [id, f] of SCAN_OUTPUT_FORMATS) {
    assert.equal(f.id, id);
    assert.ok(f.title.length > 0);
    assert.match(f.mediaType, /^[a-z]+\/[a-z0-9.+-]+/);
  }
});

test('every format renders the sample, an empty report and a report with only errors, deterministically', () => {
  const reports = [sampleReport(), makeReport(), makeReport([], { errors: [{ path: 'a.lock', reason: 'bad' }], packages: 0 })];
  for (const id of SCAN_OUTPUT_FORMAT_IDS) {
    for (const r of reports) {
      const a = renderScanReport(r, id);
      assert.ok(a.endsWith('\n'), id);
      assert.equal(renderScanReport(r, id), a, `${id} is deterministic`);
      if (id !== 'table') assert.doesNotThrow(() => JSON.parse(a) as unknown, id);
    }
  }
});
