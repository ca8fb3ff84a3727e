import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Advisory } from '../core/advisory.js';
import type { Queryable } from '../store/db.js';
import { upsertAdvisories } from '../store/repos/advisories.js';
import { quarantineOf } from '../store/repos/feedRuns.js';
import { testDatabase, usingServer, type TestDatabase } from '../../test/helpers/db.js';
import { ingest, type IngestOptions } from './ingest.js';
import { FEED_PARSERS } from './registry.js';

// How an import writes: new rows COPYed straight into the table (on a server under a savepoint,
// falling back to the upsert when another session inserted the same key meanwhile), records
// PostgreSQL cannot store quarantined without failing their batch, and the importing thread
// sharing the parsing with the worker without changing what is stored.

const logger = pino({ level: 'silent' });
let dir: string;
const dbs: TestDatabase[] = [];
const fresh = async () => {
  const t = await testDatabase();
  dbs.push(t);
  return t.db;
};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-ingest-store-'));
});
after(async () => {
  for (const t of dbs) await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const advisory = (id: string, modified: string, title = `Title of ${id}`): Advisory => ({
  source: 'osv',
  id,
  aliases: [`CVE-2024-${id.slice(5, 9)}`],
  related: [],
  title,
  description: 'Details',
  published: '2024-01-01T00:00:00.000Z',
  modified,
  withdrawn: null,
  rejected: false,
  cwes: [],
  references: [],
  cvss: [],
  ssvc: [],
  affectedPackages: [{ ecosystem: 'npm', name: `pkg-${id}`, ranges: [], versions: ['1.0.0'] }],
  affectedProducts: [],
  cpeConfigurations: [],
  raw: { id, modified, title },
});

const osvFile = (i: number, summary = `Issue ${i}`) =>
  JSON.stringify({
    schema_version: '1.6.0',
    id: `GHSA-${String(i).padStart(4, '0')}-bbbb-cccc`,
    modified: '2024-03-01T00:00:00Z',
    aliases: [`CVE-2024-${1000 + i}`],
    summary,
    affected: [{ package: { ecosystem: 'npm', name: `pkg-${i}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }],
  });

test('a new key another session inserted after the check goes the upsert way: nothing fails, counts stay exact', { skip: usingServer() ? false : 'needs DATABASE_URL (PGlite has one session: nothing can insert meanwhile)' }, async () => {
  const db = await fresh();
  const t0 = '2024-02-01T00:00:00.000Z';
  const later = '2024-03-01T00:00:00.000Z';
  for (const [theirs, want] of [
    // The same record: ours is unchanged. An older one: ours replaces it. A newer one: ours loses.
    [advisory('GHSA-0001-aaaa-aaaa', t0), { inserted: 2, updated: 0, unchanged: 1 }],
    [advisory('GHSA-0002-aaaa-aaaa', '2024-01-01T00:00:00.000Z', 'older'), { inserted: 2, updated: 1, unchanged: 0 }],
    [advisory('GHSA-0003-aaaa-aaaa', later, 'newer'), { inserted: 2, updated: 0, unchanged: 1 }],
  ] as const) {
    const n = theirs.id.slice(5, 9);
    const ours = [advisory(`GHSA-${n}-bbbb-bbbb`, t0), advisory(theirs.id, t0), advisory(`GHSA-${n}-cccc-cccc`, t0)];
    let copies = 0;
    // Just before this transaction's first COPY into the table, another session commits the same key.
    const racing = (q: Queryable): Queryable => ({
      query: (text, params) => q.query(text, params),
      exec: (sql) => q.exec(sql),
      exclusive: q.exclusive,
      copyFrom: async (target, rows) => {
        if (target.startsWith('advisories (') && copies++ === 0) await db.system((other) => upsertAdvisories(other, [theirs]));
        await q.copyFrom!(target, rows);
      },
    });
    assert.deepEqual(await db.system((q) => upsertAdvisories(racing(q), ours)), want, theirs.id);
    assert.ok(copies >= 1);
  }
  const { rows } = await db.system((q) => q.query<{ id: string; title: string }>("SELECT id, title FROM advisories WHERE id LIKE 'GHSA-000_-aaaa-aaaa' ORDER BY id"));
  assert.deepEqual(rows, [
    { id: 'GHSA-0001-aaaa-aaaa', title: 'Title of GHSA-0001-aaaa-aaaa' },
    { id: 'GHSA-0002-aaaa-aaaa', title: 'Title of GHSA-0002-aaaa-aaaa' },
    { id: 'GHSA-0003-aaaa-aaaa', title: 'newer' },
  ]);
  const { rows: ids } = await db.system((q) => q.query<{ n: number }>('SELECT count(*)::int AS n FROM advisory_ids'));
  assert.equal(ids[0]!.n, 18, 'every record answers to its id and its alias');
});

test('a record jsonb cannot hold (an unpaired surrogate) is quarantined; its batch and neighbours are stored', async () => {
  const tree = join(dir, 'surrogate');
  await mkdir(tree);
  for (let i = 0; i < 5; i++) await writeFile(join(tree, `GHSA-${String(i).padStart(4, '0')}-bbbb-cccc.json`), osvFile(i, i === 2 ? 'lone \udc00 surrogate' : `Issue ${i}`));
  const db = await fresh();
  const r = await ingest(db, logger, [tree], { source: 'auto', parsers: FEED_PARSERS, worker: false });
  assert.deepEqual(r.runs[0]!.counts, { new: 4, updated: 0, unchanged: 0, rejected: 0, invalid: 1 });
  const q = await db.system((x) => quarantineOf(x, r.runs[0]!.runId));
  assert.equal(q[0]?.recordId, 'GHSA-0002-bbbb-cccc');
  assert.match(q[0].reason, /unpaired UTF-16 surrogate/);
});

test('sharing the parsing with the worker stores the same rows and counts as parsing in one thread', async () => {
  const tree = join(dir, 'share');
  await mkdir(tree);
  // Duplicates of one id with other times, so that the order records arrive in matters for the counts.
  for (let i = 0; i < 300; i++) await writeFile(join(tree, `GHSA-${String(i).padStart(4, '0')}-bbbb-cccc.json`), osvFile(i % 250, `Issue ${i}`));
  await writeFile(join(tree, 'PYSEC-2024-1.yaml'), 'id: PYSEC-2024-1\nmodified: 2024-03-01T00:00:00Z\nsummary: "yaml\\tone"\naffected: []\n');
  await writeFile(join(tree, 'broken.json'), '{"schema_version":"1.6.0","id":"GHSA-bad","affected":[');
  const opts = (worker: boolean, shareParsing: boolean): IngestOptions => ({ source: 'auto', parsers: FEED_PARSERS, worker, shareParsing, batchSize: 16 });
  const dump = (d: Awaited<ReturnType<typeof fresh>>) =>
    d.system((q) => q.query('SELECT source, id, modified, title, data::text AS data, raw::text AS raw, content_hash FROM advisories ORDER BY source, id')).then((x) => x.rows);
  const results = [];
  for (const [worker, share] of [[false, false], [true, true], [true, false]] as const) {
    const db = await fresh();
    const r = await ingest(db, logger, [tree], opts(worker, share));
    const again = await ingest(db, logger, [tree], opts(worker, share));
    results.push({ counts: r.runs.map((x) => x.counts), again: again.runs.map((x) => x.counts), files: r.files, records: r.records, rows: await dump(db) });
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
  assert.equal(results[0]!.rows.length, 251);
  assert.deepEqual(results[0]!.again, [{ new: 0, updated: 0, unchanged: 301, rejected: 0, invalid: 1 }]);
});
