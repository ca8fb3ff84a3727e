import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { ingest, type IngestOptions } from './ingest.js';
import { produce, type ChunkItem } from './produce.js';
import { FEED_PARSERS } from './registry.js';

// While the import worker starts, the importing thread parses the first walk items itself
// (produce's `stop` and `taken`); the worker then passes over exactly those (`skip`). Together
// they must read every item once, in input order, whatever the point of the hand-over, and an
// import with a worker must store and count what an import without one does.

let dir: string;
const dbs: TestDatabase[] = [];
const name = (i: number) => `GHSA-${String(i).padStart(4, '0')}-bbbb-cccc`;
const osv = (i: number) => JSON.stringify({ schema_version: '1.6.0', id: name(i), modified: '2024-03-01T00:00:00Z', summary: `Issue ${i}`, affected: [] });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-head-start-'));
  await mkdir(join(dir, 'a', 'b'), { recursive: true });
  for (let i = 0; i < 12; i++) await writeFile(join(dir, i < 6 ? 'a' : join('a', 'b'), `${name(i)}.json`), osv(i));
  await writeFile(join(dir, 'a', 'notes.json'), '{"hello": "not a feed"}');
});
after(async () => {
  for (const t of dbs) await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const label = (i: ChunkItem) => (i.kind === 'advisory' ? i.row.id : i.kind);

async function run(paths: string[], stopAfter: number): Promise<{ items: string[]; errors: string[]; files: number }> {
  const items: string[] = [];
  const errors: string[] = [];
  let files = 0;
  const taken: string[] = [];
  let seen = 0;
  for await (const c of produce(paths, { source: 'auto', parsers: FEED_PARSERS, stop: () => ++seen >= stopAfter, taken: (o) => taken.push(o) })) {
    items.push(...c.items.map(label));
    errors.push(...c.fileErrors.map((e) => e.path));
    files += c.files;
  }
  const counts = new Map<string, number>();
  for (const o of taken) counts.set(o, (counts.get(o) ?? 0) + 1);
  const skip = (o: string) => {
    const n = counts.get(o) ?? 0;
    if (n === 0) return false;
    counts.set(o, n - 1);
    return true;
  };
  for await (const c of produce(paths, { source: 'auto', parsers: FEED_PARSERS, skip })) {
    items.push(...c.items.map(label));
    errors.push(...c.fileErrors.map((e) => e.path));
    files += c.files;
  }
  return { items, errors, files };
}

test('stopping after any item and skipping what was taken reads every item once, in order', async () => {
  // A path named twice is read twice; a missing one is reported once per mention.
  const paths = [join(dir, 'a'), join(dir, 'missing.json'), join(dir, 'a', 'b')];
  const whole = await run(paths, Infinity);
  assert.equal(whole.items.length, 18);
  assert.equal(whole.files, 19);
  assert.deepEqual(whole.errors.length, 2);
  for (let stopAfter = 1; stopAfter <= 21; stopAfter++) assert.deepEqual(await run(paths, stopAfter), whole, `stop after ${stopAfter}`);
});

test('an import with the worker (and its head start) stores and counts what one without stores', async () => {
  const paths = [join(dir, 'a'), join(dir, 'a', 'b')];
  const opts = (worker: boolean, headStart: boolean): IngestOptions => ({ source: 'auto', parsers: FEED_PARSERS, worker, headStart, batchSize: 4 });
  const results = [];
  for (const [worker, headStart] of [[false, false], [true, true], [true, false]] as const) {
    const t = await testDatabase();
    dbs.push(t);
    const r = await ingest(t.db, pino({ level: 'silent' }), paths, opts(worker, headStart));
    const rows = await t.db.system((q) => q.query<{ id: string }>('SELECT id FROM advisories ORDER BY id'));
    results.push({ counts: r.runs.map((x) => x.counts), files: r.files, records: r.records, errors: r.fileErrors.length, ids: rows.rows.map((x) => x.id) });
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
  assert.deepEqual(results[0]!.counts, [{ new: 12, updated: 0, unchanged: 6, rejected: 0, invalid: 0 }]);
});
