import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { QueueBus, BUS_DELIVER } from '../../src/bus/queue.js';
import { RECORDS_TOPIC, storeRecords, type RecordEnvelope } from '../../src/feeds/consume.js';
import { ingest } from '../../src/feeds/ingest.js';
import { FEED_PARSERS } from '../../src/feeds/registry.js';
import { JobService } from '../../src/jobs/service.js';
import { createLogger } from '../../src/observability/logger.js';
import { getRun, startRun } from '../../src/store/repos/feedRuns.js';
import { testDatabase, usingServer, type TestDatabase } from '../helpers/db.js';

/**
 * The cross-process pipeline: feed records travel as `bus.deliver` jobs through the
 * PostgreSQL queue to whichever process runs a consumer, and every count still adds up.
 */

const logger = createLogger('silent');
let t: TestDatabase;
let dir: string;

const osv = (i: number) => ({
  schema_version: '1.6.0',
  id: `GHSA-bus${String(i).padStart(4, '0')}-aaaa-bbbb`,
  modified: '2024-03-01T00:00:00Z',
  aliases: [`CVE-2024-${String(50_000 + i)}`],
  summary: `Bus test advisory ${i}`,
  affected: [{ package: { ecosystem: 'npm', name: `bus-pkg-${i}` }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.1' }] }] }],
});

before(async () => {
  t = await testDatabase();
  dir = await mkdtemp(join(tmpdir(), 'vigil-bus-'));
  for (let i = 0; i < 30; i++) await writeFile(join(dir, `GHSA-${i}.json`), JSON.stringify(osv(i)));
  await writeFile(join(dir, 'broken.json'), '{"schema_version":"1.6.0","id":"GHSA-broken","modified":');
});
after(async () => {
  await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

const busJobs = async () => (await t.db.system((q) => q.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs WHERE type = $1', [BUS_DELIVER]))).rows[0]!.n;
const advisoryCount = async () => (await t.db.system((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM advisories WHERE id LIKE 'GHSA-bus%'"))).rows[0]!.n;

test('a producer alone consumes its own queued batches: every record stored once, counts add up, no jobs left', async () => {
  const bus = new QueueBus(t.db, { batchSize: 4, selfConsumeAfterMs: 0, pollMs: 5 });
  bus.subscribe<RecordEnvelope>(RECORDS_TOPIC, (batch, meta) => storeRecords(t.db, batch, meta));
  const report = await ingest(t.db, logger, [dir], { source: 'osv', parsers: FEED_PARSERS, bus, worker: false });
  assert.equal(report.runs.length, 1);
  assert.deepEqual(report.runs[0]!.counts, { new: 30, updated: 0, unchanged: 0, rejected: 0, invalid: 1 });
  assert.equal(await advisoryCount(), 30);
  assert.equal(await busJobs(), 0, 'delivered batches are deleted');
});

test('with the import worker, records still travel the queue as JSON and are stored as read', async () => {
  // The worker hands rows over as bytes only to a store in this process (produce's packRows):
  // bytes would not survive the queue's JSON.
  const own = await mkdtemp(join(tmpdir(), 'vigil-bus-worker-'));
  try {
    const record = (i: number) => ({ ...osv(i), id: `GHSA-busw${String(i).padStart(3, '0')}-aaaa-bbbb`, summary: `Worker advisory ${i}\tnaïve` });
    for (let i = 0; i < 6; i++) await writeFile(join(own, `w-${i}.json`), JSON.stringify(record(i)));
    const bus = new QueueBus(t.db, { batchSize: 4, selfConsumeAfterMs: 0, pollMs: 5 });
    bus.subscribe<RecordEnvelope>(RECORDS_TOPIC, (batch, meta) => storeRecords(t.db, batch, meta));
    const report = await ingest(t.db, logger, [own], { source: 'osv', parsers: FEED_PARSERS, bus, worker: true });
    assert.deepEqual(report.runs[0]!.counts, { new: 6, updated: 0, unchanged: 0, rejected: 0, invalid: 0 });
    const { rows } = await t.db.system((q) => q.query<{ title: string; raw: unknown }>("SELECT title, raw FROM advisories WHERE id LIKE 'GHSA-busw%' ORDER BY id"));
    assert.deepEqual(rows, [0, 1, 2, 3, 4, 5].map((i) => ({ title: record(i).summary, raw: record(i) })));
    assert.equal(await busJobs(), 0);
  } finally {
    await rm(own, { recursive: true, force: true });
  }
});

test('a separate runner (another process in production) consumes the batches; re-import is a no-op', async () => {
  // The worker side: its own bus instance holding the consumer, and a job runner.
  const workerBus = new QueueBus(t.db);
  workerBus.subscribe<RecordEnvelope>(RECORDS_TOPIC, (batch, meta) => storeRecords(t.db, batch, meta));
  const jobs = new JobService({ db: t.db, logger, registry: new Registry() }, { handlers: () => workerBus.handlers(), schedules: [] });
  const runner = jobs.runner({ concurrency: 2, pollIntervalMs: 10, recoverIntervalMs: 0 });
  runner.start();
  try {
    // The producer side has no consumer and never helps: only the runner can store.
    const bus = new QueueBus(t.db, { batchSize: 5, maxPending: 2, selfConsumeAfterMs: Infinity, pollMs: 5, onEnqueued: () => jobs.wakeRunners() });
    const report = await ingest(t.db, logger, [dir], { source: 'osv', parsers: FEED_PARSERS, bus, worker: false });
    assert.deepEqual(report.runs[0]!.counts, { new: 0, updated: 0, unchanged: 30, rejected: 0, invalid: 1 });
    assert.equal(await busJobs(), 0);
  } finally {
    await runner.stop();
  }
});

test('a batch delivered twice is applied once', async () => {
  const runId = await t.db.system((q) => startRun(q, 'osv', 'import', ['test']));
  const bus = new QueueBus(t.db, { batchSize: 100 });
  const seen: RecordEnvelope[][] = [];
  bus.subscribe<RecordEnvelope>(RECORDS_TOPIC, async (batch) => void seen.push(batch));
  const batch: RecordEnvelope[] = [
    { runId, record: { feed: 'osv', kind: 'invalid', item: { source: 'osv', file: 'x.json', recordId: 'X-1', reason: 'test' } } },
  ];
  await storeRecords(t.db, batch, { id: 'batch-1' });
  await storeRecords(t.db, batch, { id: 'batch-1' });
  await storeRecords(t.db, batch, { id: 'batch-2' });
  const run = await t.db.system((q) => getRun(q, runId));
  assert.equal(run?.invalid, 2, 'batch-1 counted once, batch-2 once');
});

test('a failing consumer fails the import with the reason, not silently', async () => {
  const bus = new QueueBus(t.db, { batchSize: 3, selfConsumeAfterMs: 0, pollMs: 5 });
  bus.subscribe<RecordEnvelope>(RECORDS_TOPIC, async () => {
    throw new Error('disk full (test)');
  });
  await assert.rejects(ingest(t.db, logger, [dir], { source: 'osv', parsers: FEED_PARSERS, bus, worker: false }), /disk full \(test\)/);
  const left = await t.db.system((q) => q.query<{ status: string }>('SELECT status FROM jobs WHERE type = $1', [BUS_DELIVER]));
  assert.ok(left.rows.every((r) => r.status === 'cancelled' || r.status === 'failed'), 'the failed import\'s other batches are not stored later');
  await t.db.system((q) => q.query('DELETE FROM jobs WHERE type = $1', [BUS_DELIVER]));
});

test('across real processes: `vigil worker` stores what this process publishes', { skip: usingServer() ? false : 'needs DATABASE_URL (PGlite serves one process)' }, async () => {
  // The test database is a schema on the server: the worker must use it too.
  const schema = (await t.db.system((q) => q.query<{ s: string }>('SELECT current_schema() AS s'))).rows[0]!.s;
  const url = new URL(process.env['DATABASE_URL']!);
  url.searchParams.set('options', `-c search_path=${schema}`);
  await t.db.system((q) => q.query("DELETE FROM advisories WHERE id LIKE 'GHSA-bus%'"));
  const worker: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker', '--concurrency', '2'], {
    env: { ...process.env, DATABASE_URL: url.toString(), VIGIL_LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  worker.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    const bus = new QueueBus(t.db, { batchSize: 5, selfConsumeAfterMs: Infinity, pollMs: 20 });
    const report = await ingest(t.db, logger, [dir], { source: 'osv', parsers: FEED_PARSERS, bus, worker: false });
    assert.equal(report.runs[0]!.counts.new, 30, stderr);
    assert.equal(await advisoryCount(), 30);
    const consumers = await t.db.system((q) => q.query<{ n: number }>('SELECT count(*)::int AS n FROM feed_run_batches WHERE run_id = $1', [report.runs[0]!.runId]));
    assert.ok(consumers.rows[0]!.n >= 6, 'batches recorded as applied');
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
  }
});
