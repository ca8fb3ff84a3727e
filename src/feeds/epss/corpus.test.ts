import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { EpssScore } from '../../core/advisory.js';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import { createEpssParser, epssParser } from './index.js';

/**
 * The EPSS files in ../shared/data/epss. What is there (emba-epss-by-year) is not FIRST's
 * daily file: `CVE-…;epss;percentile` rows, `;`-separated, no header, no model version and no
 * date, crawled from FIRST's API. Such files are refused without a date from outside; with
 * one (the crawl's commit date, 2026-08-16) every row must parse.
 */
const ROOT = sharedData('epss');
const CRAWL_DATE = '2026-08-16';

function* csvFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* csvFiles(p);
    else if (/\.csv$/i.test(name)) yield p;
  }
}

test('EPSS corpus: every file recognised, every row parsed, a few exact values', { skip: ROOT ? false : skipMessage('epss/') }, (t) => {
  const parser = createEpssParser({ defaultDate: CRAWL_DATE });
  const wanted = new Map<string, EpssScore & { line: number }>([
    ['CVE-2021-44228', { cveId: 'CVE-2021-44228', epss: 0.99999, percentile: 1, date: CRAWL_DATE, modelVersion: null, line: 2736 }],
    ['CVE-2017-0144', { cveId: 'CVE-2017-0144', epss: 0.9923, percentile: 0.99932, date: CRAWL_DATE, modelVersion: null, line: 14628 }],
    ['CVE-2001-1594', { cveId: 'CVE-2001-1594', epss: 0.01679, percentile: 0.74911, date: CRAWL_DATE, modelVersion: null, line: 1 }],
  ]);
  const found = new Map<string, EpssScore & { line: number }>();
  let files = 0;
  let rows = 0;
  let invalid = 0;
  const started = performance.now();
  for (const path of csvFiles(ROOT!)) {
    const rel = relative(ROOT!, path);
    const bytes = readFileSync(path);
    assert.equal(epssParser.sniff(rel.split('/').pop()!, bytes.subarray(0, 4096).toString('utf8')), true, `${rel} is recognised`);
    const lines = bytes.toString('utf8').split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).length;
    let fileRows = 0;
    let fileInvalid = 0;
    for (const r of parser.parse({ origin: { file: rel }, name: rel.split('/').pop()!, bytes })) {
      if (r.kind === 'epss') {
        fileRows++;
        if (wanted.has(r.score.cveId)) found.set(r.score.cveId, { ...r.score, line: r.origin.line ?? -1 });
      } else if (r.kind === 'invalid') {
        fileInvalid++;
        if (fileInvalid <= 5) t.diagnostic(`  invalid ${rel}:${r.origin.line ?? '-'} ${r.reason}`);
      }
    }
    const headerLines = /^cve,epss/im.test(bytes.subarray(0, 4096).toString('utf8')) ? 1 : 0;
    assert.equal(fileRows + fileInvalid, lines - headerLines, `${rel}: every row accounted for`);
    t.diagnostic(`${rel}: ${fileRows} scores, ${fileInvalid} invalid rows`);
    files++;
    rows += fileRows;
    invalid += fileInvalid;
  }
  t.diagnostic(`total: ${files} files, ${rows} scores, ${invalid} invalid rows, ${(performance.now() - started).toFixed(0)} ms`);
  assert.ok(files > 0);
  assert.equal(invalid, 0, 'the crawled files are clean');
  for (const [cve, score] of wanted) {
    if (!found.has(cve)) {
      t.diagnostic(`${cve} is not in this data set: its exact-value check is skipped`);
      continue;
    }
    assert.deepEqual(found.get(cve), score, cve);
  }

  // Without a date from outside, a dateless file is refused as a whole (one record, no scores).
  const sample = join(ROOT!, 'emba-epss-by-year', 'CVE_2001_EPSS.csv');
  if (existsSync(sample)) {
    const rs = [...epssParser.parse({ origin: { file: 'CVE_2001_EPSS.csv' }, name: 'CVE_2001_EPSS.csv', bytes: readFileSync(sample) })];
    assert.equal(rs.length, 1);
    assert.ok(rs[0]!.kind === 'invalid' && /no score date/.test(rs[0]!.reason));
  }
});
