import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { ingest, type IngestOptions } from './ingest.js';
import { produce } from './produce.js';
import { FEED_PARSERS } from './registry.js';

// The import worker hands its chunks over with their COPY rows packed as bytes (produce's
// `packRows`), and an import with a worker must store and count what one without stores.

let dir: string;
const dbs: TestDatabase[] = [];
const name = (i: number) => `GHSA-${String(i).padStart(4, '0')}-bbbb-cccc`;
const osv = (i: number) => JSON.stringify({ schema_version: '1.6.0', id: name(i), modified: '2024-03-01T00:00:00Z', summary: `Issue ${i}`, affected: [] });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-worker-'));
  await mkdir(join(dir, 'a', 'b'), { recursive: true });
  for (let i = 0; i < 12; i++) await writeFile(join(dir, i < 6 ? 'a' : join('a', 'b'), `${name(i)}.json`), osv(i));
  await writeFile(join(dir, 'a', 'notes.json'), '{"hello": "not a feed"}');
});
after(async () => {
  for (const t of dbs) await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const text = (row: string | Uint8Array) => (typeof row === 'string' ? row : Buffer.from(row.buffer, row.byteOffset, row.length).toString('utf8'));

async function rows(packRows: boolean, rowFormat: 'copy' | 'json') {
  const out: { id: string; row: string | Uint8Array }[] = [];
  const transfers: ArrayBuffer[][] = [];
  for await (const c of produce([dir], { source: 'auto', parsers: FEED_PARSERS, rowFormat, packRows })) {
    for (const i of c.items) if (i.kind === 'advisory') out.push({ id: i.row.id, row: i.row.row });
    if (c.transfer) transfers.push(c.transfer);
  }
  return { out, transfers };
}

test('packed COPY rows are the text rows as UTF-8 bytes, each a view of its chunk\'s one transferable buffer', async () => {
  await writeFile(join(dir, 'a', 'GHSA-9999-bbbb-cccc.json'), JSON.stringify({ schema_version: '1.6.0', id: 'GHSA-9999-bbbb-cccc', modified: '2024-03-01T00:00:00Z', summary: 'naïve 😀\ttab \\ back\nline', affected: [] }));
  try {
    const plain = await rows(false, 'copy');
    const packed = await rows(true, 'copy');
    assert.equal(plain.transfers.length, 0);
    assert.equal(packed.out.length, 13);
    assert.deepEqual(packed.out.map((r) => ({ id: r.id, row: text(r.row) })), plain.out);
    const buffers = new Set(packed.transfers.flat());
    for (const r of packed.out) {
      assert.ok(r.row instanceof Uint8Array, `${r.id} is packed`);
      assert.ok(buffers.has(r.row.buffer as ArrayBuffer), `${r.id} views a buffer its chunk transfers`);
    }
    // Exactly the rows' bytes: nothing else shares the buffers (Node's pool would).
    const packedBytes = packed.out.reduce((n, r) => n + (r.row as Uint8Array).length, 0);
    assert.equal([...buffers].reduce((n, b) => n + b.byteLength, 0), packedBytes);
    assert.equal(packedBytes, plain.out.reduce((n, r) => n + Buffer.byteLength(r.row as string), 0));
    // JSON rows (drivers without COPY, the queue bus) stay text.
    const json = await rows(true, 'json');
    assert.ok(json.out.every((r) => typeof r.row === 'string'));
    assert.equal(json.transfers.length, 0);
  } finally {
    await rm(join(dir, 'a', 'GHSA-9999-bbbb-cccc.json'));
  }
});

test('an import with the worker (sharing the parsing or not) stores and counts what one without stores', async () => {
  const paths = [join(dir, 'a'), join(dir, 'a', 'b')];
  const opts = (worker: boolean, shareParsing: boolean): IngestOptions => ({ source: 'auto', parsers: FEED_PARSERS, worker, shareParsing, batchSize: 4 });
  const results = [];
  for (const [worker, share] of [[false, false], [true, false], [true, true]] as const) {
    const t = await testDatabase();
    dbs.push(t);
    const r = await ingest(t.db, pino({ level: 'silent' }), paths, opts(worker, share));
    const rows = await t.db.system((q) => q.query<{ id: string; title: string; raw: unknown }>('SELECT id, title, raw FROM advisories ORDER BY id'));
    results.push({ counts: r.runs.map((x) => x.counts), files: r.files, records: r.records, errors: r.fileErrors.length, rows: rows.rows });
  }
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], results[0]);
  assert.deepEqual(results[0]!.counts, [{ new: 12, updated: 0, unchanged: 6, rejected: 0, invalid: 0 }]);
});
