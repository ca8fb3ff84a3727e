import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { produce, type Chunk, type ChunkItem } from './produce.js';
import { FEED_PARSERS } from './registry.js';

// The producing half of an import: records in input order, whether a file is parsed here or
// passed on unparsed for the importing thread (handOff), and records PostgreSQL cannot store
// turned into quarantine items.

let dir: string;
const osv = (i: number, summary = `Issue ${i}`) =>
  JSON.stringify({ schema_version: '1.6.0', id: `GHSA-${String(i).padStart(4, '0')}-bbbb-cccc`, modified: '2024-03-01T00:00:00Z', summary, affected: [] });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-produce-'));
  await mkdir(join(dir, 'osv'));
  for (let i = 0; i < 10; i++) await writeFile(join(dir, 'osv', `GHSA-${String(i).padStart(4, '0')}-bbbb-cccc.json`), osv(i));
  await writeFile(join(dir, 'osv', 'notes.json'), '{"hello": "not a feed"}');
});
after(() => rm(dir, { recursive: true, force: true }));

async function all(handOff?: () => number): Promise<Chunk[]> {
  const out: Chunk[] = [];
  for await (const c of produce([join(dir, 'osv')], { source: 'auto', parsers: FEED_PARSERS, rowFormat: 'copy', handOff })) out.push(c);
  return out;
}

const label = (i: ChunkItem) => (i.kind === 'file' ? `file:${i.file.name}:${i.slot}` : i.kind === 'advisory' ? `advisory:${i.row.id}` : i.kind);

test('without hand-off every recognised file is parsed here, in order', async () => {
  const chunks = await all();
  const items = chunks.flatMap((c) => c.items.map(label));
  assert.deepEqual(items, Array.from({ length: 10 }, (_, i) => `advisory:GHSA-${String(i).padStart(4, '0')}-bbbb-cccc`));
  assert.equal(chunks.reduce((n, c) => n + c.files, 0), 11);
  assert.deepEqual(chunks.flatMap((c) => c.fileErrors.map((e) => e.reason)), ['not recognised as CVE 5, OSV, NVD, KEV or EPSS data']);
});

test('hand-off passes the next files on unparsed, in place, then hands the chunk over', async () => {
  const osvSlot = FEED_PARSERS.findIndex((p) => p.id === 'osv');
  let asked = 0;
  // Asked before the first file: pass on three; asked again after them: none; later: one more.
  const answers = [3, 0, 0, 0, 1];
  const chunks = await all(() => answers[asked++] ?? 0);
  const items = chunks.flatMap((c) => c.items.map(label));
  const name = (i: number) => `GHSA-${String(i).padStart(4, '0')}-bbbb-cccc`;
  assert.deepEqual(items, [
    `file:${name(0)}.json:${osvSlot}`,
    `file:${name(1)}.json:${osvSlot}`,
    `file:${name(2)}.json:${osvSlot}`,
    `advisory:${name(3)}`,
    `advisory:${name(4)}`,
    `advisory:${name(5)}`,
    `file:${name(6)}.json:${osvSlot}`,
    ...[7, 8, 9].map((i) => `advisory:${name(i)}`),
  ]);
  // A chunk ends right after the files passed on: the importing thread gets them at once.
  for (const last of [2, 6]) {
    const chunk = chunks.find((c) => c.items.some((i) => i.kind === 'file' && i.file.name === `${name(last)}.json`))!;
    assert.equal(label(chunk.items.at(-1)!), `file:${name(last)}.json:${osvSlot}`);
  }
  // Asked only while nothing is still to pass on, and only for recognised files.
  assert.equal(asked, 8);
});

test('a record PostgreSQL cannot store is quarantined in place, the others kept', async () => {
  const sub = join(dir, 'surrogate');
  await mkdir(sub);
  await writeFile(join(sub, 'GHSA-0001-bbbb-cccc.json'), osv(1));
  // A lone surrogate, written as JSON escapes it: JSON.parse accepts it, jsonb does not.
  await writeFile(join(sub, 'GHSA-0002-bbbb-cccc.json'), osv(2, 'broken \ud800 text'));
  await writeFile(join(sub, 'GHSA-0003-bbbb-cccc.json'), osv(3));
  const items: ChunkItem[] = [];
  for await (const c of produce([sub], { source: 'auto', parsers: FEED_PARSERS })) items.push(...c.items);
  assert.deepEqual(items.map(label), ['advisory:GHSA-0001-bbbb-cccc', 'invalid', 'advisory:GHSA-0003-bbbb-cccc']);
  const bad = items[1]!;
  assert.ok(bad.kind === 'invalid');
  assert.equal(bad.item.recordId, 'GHSA-0002-bbbb-cccc');
  assert.match(bad.item.reason, /unpaired UTF-16 surrogate/);
  assert.equal(bad.item.file, join(sub, 'GHSA-0002-bbbb-cccc.json'));
});
