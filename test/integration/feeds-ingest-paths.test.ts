import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Advisory } from '../../src/core/advisory.js';
import { createEpssParser } from '../../src/feeds/epss/index.js';
import { ingest, type IngestOptions } from '../../src/feeds/ingest.js';
import { FEED_PARSERS } from '../../src/feeds/registry.js';
import type { Queryable } from '../../src/store/db.js';
import { upsertAdvisories } from '../../src/store/repos/advisories.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';

// The import's two ways of writing (COPY on PGlite, one JSON upsert otherwise) and its two
// ways of reading (a worker thread for large inputs, the calling thread otherwise) must store
// exactly the same rows.

const logger = pino({ level: 'silent' });
let dir: string;
const dbs: TestDatabase[] = [];
const fresh = async () => {
  const t = await testDatabase();
  dbs.push(t);
  return t.db;
};

/** Hides COPY, so that rows go through the JSON upsert as on a server. */
const withoutCopy = (q: Queryable): Queryable => ({ query: (text, params) => q.query(text, params), exec: (sql) => q.exec(sql) });

const NASTY = 'tab\there, newline\nthere, CR\r, back\\slash \\N \\. "quoted" {braces} a,b \u2028 🐛';

const advisory = (id: string, modified: string, extra: Partial<Advisory> = {}): Advisory => ({
  source: 'osv',
  id,
  aliases: ['CVE-2024-9999', 'GHSA-"odd"-\\id', 'a,b', '{c}'],
  related: [],
  title: `Title ${NASTY}`,
  description: `Details\n\n${NASTY}\n\\.\n`,
  published: '2024-01-01T00:00:00.000Z',
  modified,
  withdrawn: null,
  rejected: false,
  cwes: ['CWE-79'],
  references: [{ url: 'https://example.test/a\tb', tags: ['WEB'] }],
  cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, severity: 'critical', source: 'osv:GHSA' }],
  ssvc: [],
  affectedPackages: [{ ecosystem: 'npm', name: 'we"ird\\pkg,name', ranges: [], versions: ['1.0.0'] }],
  affectedProducts: [],
  cpeConfigurations: [],
  raw: { id, note: NASTY, nested: { list: [1, 2.5, null, true, 'x\ty'] } },
  ...extra,
});

const COLUMNS = `source, id, modified, published, withdrawn, rejected, title, description, severity, cvss_score::text AS cvss_score,
  cwes, aliases, ecosystems, packages, products, data::text AS data, raw::text AS raw, content_hash, search::text AS search`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-ingest-paths-'));
});
after(async () => {
  for (const t of dbs) await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

test('COPY and the JSON upsert store the same row, escapes included, and both update and skip alike', async () => {
  const rows: unknown[][] = [];
  for (const copy of [true, false]) {
    const db = await fresh();
    const write = (a: Advisory) => db.system((q) => upsertAdvisories(copy ? q : withoutCopy(q), [a]));
    assert.deepEqual(await write(advisory('GHSA-aaaa-bbbb-cccc', '2024-02-01T00:00:00.000Z')), { inserted: 1, updated: 0, unchanged: 0 });
    assert.deepEqual(await write(advisory('GHSA-aaaa-bbbb-cccc', '2024-02-01T00:00:00.000Z')), { inserted: 0, updated: 0, unchanged: 1 });
    assert.deepEqual(await write(advisory('GHSA-aaaa-bbbb-cccc', '2024-01-01T00:00:00.000Z', { title: 'older' })), { inserted: 0, updated: 0, unchanged: 1 });
    const newer = advisory('GHSA-aaaa-bbbb-cccc', '2024-03-01T00:00:00.000Z', { aliases: ['CVE-2024-8888'], title: `Newer ${NASTY}` });
    assert.deepEqual(await write(newer), { inserted: 0, updated: 1, unchanged: 0 });
    const { rows: stored } = await db.system((q) => q.query<Record<string, unknown>>(`SELECT ${COLUMNS} FROM advisories`));
    const { rows: ids } = await db.system((q) => q.query<{ vuln_id: string }>('SELECT vuln_id FROM advisory_ids ORDER BY vuln_id'));
    assert.deepEqual(ids.map((r) => r.vuln_id), ['CVE-2024-8888', 'GHSA-AAAA-BBBB-CCCC'], 'stale aliases are dropped on update');
    rows.push(stored);
  }
  assert.deepEqual(rows[0], rows[1]);
  const row = (rows[0] as Record<string, unknown>[])[0]!;
  assert.equal(row['title'], `Newer ${NASTY}`);
  assert.deepEqual(row['packages'], ['npm/we"ird\\pkg,name']);
  assert.deepEqual(JSON.parse(row['raw'] as string), advisory('GHSA-aaaa-bbbb-cccc', '2024-03-01T00:00:00.000Z').raw);
});

test('two records with the same id and time settle on one winner, whatever their order', async () => {
  const t = '2024-02-01T00:00:00.000Z';
  const a = advisory('GHSA-tttt-tttt-tttt', t, { raw: { mirror: 'a' }, title: 'from mirror a' });
  const b = advisory('GHSA-tttt-tttt-tttt', t, { raw: { mirror: 'b' }, title: 'from mirror b' });
  const winners: unknown[] = [];
  for (const order of [[a, b], [b, a]]) {
    const db = await fresh();
    for (const x of order) await db.system((q) => upsertAdvisories(q, [x]));
    for (const x of [...order, ...order]) assert.equal((await db.system((q) => upsertAdvisories(q, [x]))).unchanged, 1, 'a replay changes nothing');
    // In one batch, the same winner.
    assert.equal((await db.system((q) => upsertAdvisories(q, order))).unchanged, 2);
    winners.push((await db.system((q) => q.query('SELECT title FROM advisories'))).rows);
  }
  assert.deepEqual(winners[0], winners[1]);
  // The same source record normalised anew (same raw, other model) is an update.
  const db = await fresh();
  await db.system((q) => upsertAdvisories(q, [a]));
  assert.deepEqual(await db.system((q) => upsertAdvisories(q, [{ ...a, title: 'renormalised' }])), { inserted: 0, updated: 1, unchanged: 0 });
});

test('a worker thread and the calling thread import the same records the same way', async () => {
  const tree = join(dir, 'tree');
  await mkdir(join(tree, 'osv'), { recursive: true });
  for (let i = 0; i < 40; i++) {
    const id = `GHSA-${String(i).padStart(4, '0')}-bbbb-cccc`;
    await writeFile(join(tree, 'osv', `${id}.json`), JSON.stringify({
      schema_version: '1.6.0', id, modified: '2024-03-01T00:00:00Z', aliases: [`CVE-2024-${1000 + i}`], summary: `Issue ${i}\t${NASTY}`,
      affected: [{ package: { ecosystem: 'npm', name: `pkg-${i}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    }));
  }
  await writeFile(join(tree, 'osv', 'PYSEC-2024-1.yaml'), 'id: PYSEC-2024-1\nmodified: 2024-03-01T00:00:00Z\nsummary: "yaml\\tone"\naffected: []\n');
  await writeFile(join(tree, 'osv', 'broken.json'), '{"schema_version":"1.6.0","id":"GHSA-bad","affected":[');
  await writeFile(join(tree, 'notes.json'), '{"hello": "not a feed"}');
  const opts = (worker: boolean): IngestOptions => ({ source: 'auto', parsers: FEED_PARSERS, worker, batchSize: 7 });
  const db = await fresh();
  const seen: number[] = [];
  const first = await ingest(db, logger, [tree, join(tree, 'missing')], { ...opts(true), onProgress: (p) => seen.push(p.records) });
  const osv = first.runs.find((r) => r.source === 'osv')!.counts;
  assert.deepEqual([osv.new, osv.invalid], [41, 1]);
  assert.deepEqual(first.fileErrors.map((e) => e.path.slice(tree.length)).sort(), ['/missing', '/notes.json']);
  assert.equal(first.files, 43);
  assert.equal(seen.at(-1), 42, 'the last progress report counts every record');
  // The same input read in this thread: every row is found unchanged (same content hash).
  const again = await ingest(db, logger, [tree, join(tree, 'missing')], opts(false));
  const osv2 = again.runs.find((r) => r.source === 'osv')!.counts;
  assert.deepEqual([osv2.new, osv2.updated, osv2.unchanged, osv2.invalid], [0, 0, 41, 1]);
  assert.deepEqual(again.fileErrors, first.fileErrors);
  assert.equal(again.files, first.files);
  // And the other way round on a fresh database: the rows themselves are identical.
  const other = await fresh();
  await ingest(other, logger, [tree], opts(false));
  const dump = (d: typeof db) => d.system((q) => q.query(`SELECT ${COLUMNS} FROM advisories ORDER BY source, id`)).then((r) => r.rows);
  assert.deepEqual(await dump(other), await dump(db));
});

test('with a configured parser, the worker recognises its files and this thread parses them', async () => {
  const tree = join(dir, 'epss');
  await mkdir(tree);
  // EPSS as the shared corpus has it: no header, no date; the configured parser dates it.
  await writeFile(join(tree, 'CVE_2024_EPSS.csv'), 'CVE-2024-0001;0.5;0.9\nCVE-2024-0002;0.25;0.5\nCVE-2024-BAD;2;0.1\n');
  await writeFile(join(tree, 'GHSA-zzzz-bbbb-cccc.json'), JSON.stringify({ id: 'GHSA-zzzz-bbbb-cccc', modified: '2024-03-01T00:00:00Z', aliases: ['CVE-2024-0001'] }));
  const parsers = FEED_PARSERS.map((p) => (p.id === 'epss' ? createEpssParser({ defaultDate: '2026-08-16' }) : p));
  const results = [];
  for (const worker of [true, false]) {
    const db = await fresh();
    const r = await ingest(db, logger, [tree], { source: 'auto', parsers, worker });
    const { rows } = await db.system((q) => q.query("SELECT cve_id, epss, to_char(score_date, 'YYYY-MM-DD') AS d FROM epss_scores ORDER BY cve_id"));
    results.push({ runs: r.runs.map((x) => [x.source, x.counts]).sort(), files: r.files, records: r.records, rows });
  }
  assert.deepEqual(results[0], results[1]);
  assert.deepEqual(results[0]!.rows, [{ cve_id: 'CVE-2024-0001', epss: 0.5, d: '2026-08-16' }, { cve_id: 'CVE-2024-0002', epss: 0.25, d: '2026-08-16' }]);
  assert.equal(results[0]!.records, 4);
});

test('a worker cannot be asked for parsers it cannot build', async () => {
  const db = await fresh();
  const custom = { ...FEED_PARSERS[0]!, sniff: () => true };
  await assert.rejects(ingest(db, logger, [dir], { source: 'auto', parsers: [custom], worker: true }), /FEED_PARSERS/);
});
