import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FEED_PARSERS } from './registry.js';
import { FEED_SYNCS } from './sync.js';
import { FEED_IDS } from './types.js';

test('every feed id has exactly one registered parser, and every feed folder is registered', () => {
  assert.deepEqual(FEED_PARSERS.map((p) => p.id).sort(), [...FEED_IDS].sort());
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const folders = readdirSync(dir).filter((n) => statSync(`${dir}/${n}`).isDirectory() && !n.startsWith('_')).sort();
  assert.deepEqual(folders, [...FEED_IDS].sort(), 'one folder per feed, named by its id');
});

test('every feed has its online part (<feed>/sync.ts) registered', () => {
  assert.deepEqual(Object.keys(FEED_SYNCS).sort(), [...FEED_IDS].sort());
  const dir = fileURLToPath(new URL('.', import.meta.url));
  for (const id of FEED_IDS) assert.ok(statSync(`${dir}/${id}/sync.ts`).isFile(), `${id}/sync.ts`);
});

test('sniffing sends each kind of file to its own parser', () => {
  const pick = (name: string, head: string) => FEED_PARSERS.find((p) => p.sniff(name, head))?.id;
  assert.equal(pick('CVE-2024-0001.json', '{"dataType":"CVE_RECORD","dataVersion":"5.1","cveMetadata":{"cveId":"CVE-2024-0001"'), 'cve5');
  assert.equal(pick('page-0.json', '{"resultsPerPage":2000,"startIndex":0,"totalResults":1,"format":"NVD_CVE","version":"2.0","vulnerabilities":['), 'nvd');
  assert.equal(pick('known_exploited_vulnerabilities.json', '{"title":"CISA Catalog of Known Exploited Vulnerabilities","catalogVersion":"2025.08.25","dateReleased":"2025-08-25T17:00:50.6574Z","count":1404,"vulnerabilities":['), 'kev');
  assert.equal(pick('epss_scores-2025-08-25.csv', '#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\ncve,epss,percentile\n'), 'epss');
  assert.equal(pick('GO-2022-0001.json', '{"schema_version":"1.3.1","id":"GO-2022-0001","modified":"2024-05-20T16:03:47Z","aliases":["CVE-2020-36067"],"affected":[]}'), 'osv');
  assert.equal(pick('README.md', '# hello'), undefined);
});
