import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import type { WorkerInput, WorkerMessage } from './ingestWorker.js';
import { ACK, produce } from './produce.js';
import { FEED_PARSERS } from './registry.js';
import { compiledEntry, spawnWorker, workerExecArgv } from './threads.js';

test('workerExecArgv: preloads and loaders are left out, in either spelling; other options are kept in order', () => {
  assert.deepEqual(workerExecArgv([]), []);
  assert.deepEqual(workerExecArgv(['--import', 'tsx']), []);
  assert.deepEqual(workerExecArgv(['--enable-source-maps', '--import=tsx', '--require', './apm.cjs', '-r', 'x', '--conditions=dev']), ['--enable-source-maps', '--conditions=dev']);
  assert.deepEqual(workerExecArgv(['--loader', 'ts-node/esm', '--experimental-loader=./h.mjs', '--trace-warnings']), ['--trace-warnings']);
  // Options whose names merely contain theirs are kept.
  assert.deepEqual(workerExecArgv(['--experimental-import-meta-resolve', '--experimental-require-module']), ['--experimental-import-meta-resolve', '--experimental-require-module']);
  // A preload at the very end without its value does not swallow anything else.
  assert.deepEqual(workerExecArgv(['--stack-trace-limit=50', '--import']), ['--stack-trace-limit=50']);
});

test('spawnWorker: a worker starts without the preloads; with a V8 option (only ever inherited) it inherits every option', async () => {
  const argvOf = async (execArgv: string[]) => {
    const w = spawnWorker("require('node:worker_threads').parentPort.postMessage(process.execArgv)", { eval: true }, execArgv);
    try {
      return await new Promise<string[]>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
    } finally {
      await w.terminate();
    }
  };
  assert.deepEqual(await argvOf(['--import', 'no-such-preload', '--trace-warnings']), ['--trace-warnings']);
  // Node refuses --max-old-space-size in a worker's own options: the worker inherits this process's.
  assert.deepEqual(await argvOf(['--max-old-space-size=512', '--import', 'no-such-preload']), process.execArgv);
  assert.deepEqual(await argvOf([]), process.execArgv);
});

test('the bundled workers (scripts/bundle-workers.mjs) read and parse as the modules do', async (t) => {
  const { bundleWorkers } = (await import(new URL('../../scripts/bundle-workers.mjs', import.meta.url).href)) as {
    bundleWorkers: (fromDir: string, toDir: string, ext?: string) => Promise<void>;
  };
  const work = await mkdtemp(join(tmpdir(), 'vigil-bundle-'));
  t.after(() => rm(work, { recursive: true, force: true }));
  // The same bundling as `npm run build`, from the sources (esbuild strips their types).
  const out = join(work, 'bundle');
  await bundleWorkers(fileURLToPath(new URL('.', import.meta.url)), out, 'ts');
  const input = join(work, 'in');
  await mkdir(input);
  for (let i = 0; i < 40; i++) {
    const id = `GHSA-${String(i).padStart(4, '0')}-mmmm-nnnn`;
    await writeFile(join(input, `${id}.json`), JSON.stringify({ schema_version: '1.6.0', id, modified: '2024-03-01T00:00:00Z', summary: `Issue ${i}`, severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }], affected: [] }));
  }
  await writeFile(join(input, 'PYSEC-2024-1.yaml'), 'id: PYSEC-2024-1\nmodified: 2024-03-01T00:00:00Z\ndetails: uses **kwargs\naffected: []\n');
  await writeFile(join(input, 'GHSA-zzzz-zzzz-zzzz.json'), JSON.stringify({ schema_version: '1.6.0', id: 'GHSA-zzzz-zzzz-zzzz', modified: 'yesterday', affected: [] }));
  await writeFile(join(input, 'notes.json'), '{"hello": "not a feed"}');

  const expected: string[] = [];
  for await (const c of produce([input], { source: 'auto', parsers: FEED_PARSERS, rowFormat: 'copy' })) {
    for (const i of c.items) expected.push(i.kind === 'advisory' ? `${i.row.id} ${String(i.row.row)}` : `${i.kind}`);
    for (const e of c.fileErrors) expected.push(`error ${e.path}: ${e.reason}`);
  }

  const { port1, port2 } = new MessageChannel();
  const reader = new Worker(pathToFileURL(join(out, 'readWorker.bundle.js')), { workerData: { role: 'vigil-read-worker', paths: [input], port: port1 }, transferList: [port1] });
  const parsers = FEED_PARSERS.map((_, registry) => ({ registry, deferred: false }));
  const workerData: WorkerInput = { role: 'vigil-ingest-worker', paths: [input], source: 'auto', parsers, rowFormat: 'copy', packRows: true, readPort: port2 };
  const worker = new Worker(pathToFileURL(join(out, 'ingestWorker.bundle.js')), { workerData, transferList: [port2] });
  const got: string[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      worker.on('error', reject);
      reader.on('error', reject);
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'error') reject(new Error(m.message));
        if (m.type === 'done') resolve();
        if (m.type !== 'chunk') return;
        for (const i of m.chunk.items) got.push(i.kind === 'advisory' ? `${i.row.id} ${typeof i.row.row === 'string' ? i.row.row : Buffer.from(i.row.row).toString('utf8')}` : `${i.kind}`);
        for (const e of m.chunk.fileErrors) got.push(`error ${e.path}: ${e.reason}`);
        worker.postMessage(ACK);
      });
    });
  } finally {
    await Promise.all([worker.terminate(), reader.terminate()]);
  }
  assert.equal(expected.filter((e) => e.startsWith('GHSA-') || e.startsWith('PYSEC-')).length, 41);
  assert.ok(expected.includes('invalid'));
  assert.ok(expected.some((e) => e.startsWith('error ') && e.includes('notes.json')));
  assert.deepEqual(got, expected);
});

test('compiledEntry: the bundle when it is at least as new as the module, else the module', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-entry-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const base = pathToFileURL(`${dir}/`);
  const at = async (file: string, seconds: number) => {
    await writeFile(join(dir, file), '');
    await utimes(join(dir, file), seconds, seconds);
  };
  await at('ingestWorker.js', 1000);
  assert.equal(fileURLToPath(compiledEntry('ingestWorker', base)), join(dir, 'ingestWorker.js'));
  await at('ingestWorker.bundle.js', 1000);
  assert.equal(fileURLToPath(compiledEntry('ingestWorker', base)), join(dir, 'ingestWorker.bundle.js'));
  // tsc alone rebuilt the module after the bundle: the bundle is stale.
  await at('ingestWorker.js', 2000);
  assert.equal(fileURLToPath(compiledEntry('ingestWorker', base)), join(dir, 'ingestWorker.js'));
});
