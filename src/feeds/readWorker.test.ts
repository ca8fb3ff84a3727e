import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { zipOf } from '../../test/helpers/zip.js';
import { itemsFrom, READ_ACK, type ReadMessage } from './readWorker.js';
import { startWorker } from './threads.js';
import { walk, type WalkItem } from './walk.js';

// The reading thread must hand over exactly what walking in this thread gives: the same items,
// in the same order, errors included, bytes intact (archive entries and decompressed files
// come from Node's shared buffer pool, and must be copied out, not transferred with it).

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-read-worker-'));
  await mkdir(join(dir, 'tree', 'sub'), { recursive: true });
  for (let i = 0; i < 150; i++) await writeFile(join(dir, 'tree', i % 3 ? 'sub' : '', `GHSA-${String(i).padStart(4, '0')}.json`), JSON.stringify({ id: i, text: 'naïve 😀'.repeat(i) }));
  await writeFile(join(dir, 'tree', 'big.json'), `"${'x'.repeat(5 * 1024 * 1024)}"`);
  await writeFile(join(dir, 'tree', 'small.csv.gz'), gzipSync('cve,epss\nCVE-2024-0001,0.5\n'));
  // Entries of a few hundred bytes: read into buffers of Node's shared pool, many per pool.
  const entries: Record<string, string> = { 'a/GO-1.json': '{"id":"GO-1"}', 'GO-2.json': '{}', 'GO-3.json': 'y'.repeat(3000) };
  for (let i = 0; i < 300; i++) entries[`b/GO-${1000 + i}.json`] = JSON.stringify({ id: `GO-${1000 + i}`, pad: 'z'.repeat(i) });
  await writeFile(join(dir, 'tree', 'entries.zip'), await zipOf(entries));
  await mkdir(join(dir, 'large'));
  for (let i = 0; i < 6; i++) await writeFile(join(dir, 'large', `NVD-${i}.json`), `"${String(i).repeat(300 * 1024)}"`);
  await mkdir(join(dir, 'many'));
  for (let i = 0; i < 700; i++) await writeFile(join(dir, 'many', `GO-${String(i).padStart(4, '0')}.json`), '{}');
  const zip = await readFile(join(dir, 'tree', 'entries.zip'));
  await writeFile(join(dir, 'tree', 'truncated.zip'), zip.subarray(0, zip.length - 30));
});
after(() => rm(dir, { recursive: true, force: true }));

const view = (items: WalkItem[]) =>
  items.map((i) => (i.kind === 'file' ? { origin: i.file.origin, name: i.file.name, text: Buffer.from(i.file.bytes).toString('utf8') } : i));

/** Waits (up to 20 s: a worker starting under load) until `done` holds, then a while longer for anything more to arrive. */
async function settle(done: () => boolean): Promise<void> {
  for (const start = Date.now(); !done() && Date.now() - start < 20_000; ) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 300));
}

async function collect(it: AsyncIterable<WalkItem>): Promise<WalkItem[]> {
  const out: WalkItem[] = [];
  for await (const i of it) out.push(i);
  return out;
}

test('the reading thread hands over what a walk here reads: same items, same order, same bytes', async () => {
  const paths = [join(dir, 'tree'), join(dir, 'missing.json'), join(dir, 'tree', 'sub')];
  const here = await collect(walk(paths, undefined, { blockingReads: true }));
  assert.equal(here.filter((i) => i.kind === 'file').length, 150 + 100 + 305);
  assert.equal(here.filter((i) => i.kind === 'error').length, 2);
  const { port1, port2 } = new MessageChannel();
  const reader = startWorker('readWorker', { role: 'vigil-read-worker', paths, port: port1 }, [port1]);
  try {
    assert.deepEqual(view(await collect(itemsFrom(port2))), view(here));
  } finally {
    await reader.terminate();
  }
});

test('the reader keeps at most a few batches unacknowledged: it waits for the parser', async () => {
  const { port1, port2 } = new MessageChannel();
  const reader = startWorker('readWorker', { role: 'vigil-read-worker', paths: [join(dir, 'many')], port: port1 }, [port1]);
  try {
    const batches: number[] = [];
    port2.on('message', (m: ReadMessage) => {
      if (m.type === 'items') batches.push(m.items.length);
    });
    // Nothing acknowledged: the reader stops after its window, 8 batches of 64 of the 700 files.
    await settle(() => batches.length >= 8);
    assert.deepEqual(batches, Array(8).fill(64));
    const before = batches.length;
    port2.postMessage(READ_ACK);
    await settle(() => batches.length > before);
    assert.equal(batches.length, before + 1, 'one acknowledgement lets exactly one more batch out');
  } finally {
    port2.close();
    await reader.terminate();
  }
});

test('the reader keeps at most so many bytes unacknowledged, but always one batch', async () => {
  const { port1, port2 } = new MessageChannel();
  // Each 300 KB file is a batch of its own; two fit the 700 KB window, a third would not.
  const input = { role: 'vigil-read-worker', paths: [join(dir, 'large')], port: port1, batchBytes: 250 * 1024, maxInFlightBytes: 700 * 1024 } as const;
  const reader = startWorker('readWorker', input, [port1]);
  try {
    const batches: number[] = [];
    port2.on('message', (m: ReadMessage) => {
      if (m.type === 'items') batches.push(m.items.length);
    });
    await settle(() => batches.length >= 2);
    assert.deepEqual(batches, [1, 1]);
    port2.postMessage(READ_ACK);
    await settle(() => batches.length > 2);
    assert.deepEqual(batches, [1, 1, 1]);
  } finally {
    port2.close();
    await reader.terminate();
  }
  // A window smaller than one file still lets one batch at a time through.
  const { port1: p1, port2: p2 } = new MessageChannel();
  const one = startWorker('readWorker', { ...input, port: p1, maxInFlightBytes: 1 }, [p1]);
  try {
    const items = await collect(itemsFrom(p2));
    assert.equal(items.length, 6);
  } finally {
    await one.terminate();
  }
});
