import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { defineHandler } from '../../src/jobs/handlers.js';
import type { Runner } from '../../src/jobs/runner.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { HEARTBEAT_MS, jobWatcherOf } from '../../src/server/routes/jobsEvents.js';
import { openDatabase, type Database } from '../../src/store/db.js';
import { usingServer } from '../helpers/db.js';
import { DEFAULT_WATCH_LIMITS } from '../../src/jobs/watch.js';
import { bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';
import { openStream, type SseEvent, type Stream } from './sse-client.js';

/**
 * GET /api/v1/jobs/events over a real socket (inject() waits for a response that never ends):
 * job changes made by the queue and its runner arrive, another tenant's never do, the stream
 * needs credentials, a disconnect frees its place, and the limits answer problem documents.
 * Runs on PGlite, and on PostgreSQL 15 with DATABASE_URL set.
 */

let t: TestApp;
let base: string;
let runner: Runner;
let a: SeededUser;
let b: SeededUser;
let tokenA: string;
let tokenB: string;
/** Released by the test to let `test.slow` jobs finish. */
let release: () => void = () => undefined;
let gate = new Promise<void>((r) => (release = r));

const open = (token: string | undefined, headers: Record<string, string> = {}): Promise<Stream> => openStream(base, token, headers);

const start = async (token: string, type: string, payload: Record<string, unknown> = {}) => {
  const res = await fetch(`${base}/api/v1/jobs`, { method: 'POST', headers: { ...bearer(token), 'content-type': 'application/json' }, body: JSON.stringify({ type, payload }) });
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as { id: string; status: string };
};

type JobData = { id: string; status: string; progress: { done: number; total: number | null; message: string | null } | null; result: unknown };
const job = (e: SseEvent) => e.data as JobData;

async function until(cond: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  t = await testApp({ workerConcurrency: 0 });
  for (const h of [
    defineHandler({
      type: 'test.quick',
      description: 'finishes at once, reporting progress (test only)',
      enqueueableByTenant: true,
      payload: z.object({ n: z.number().int().default(3) }),
      async run({ payload, progress }) {
        await progress(payload.n, payload.n, 'all done');
        return { counted: payload.n };
      },
    }),
    defineHandler({
      type: 'test.slow',
      description: 'waits for the test to let it finish (test only)',
      enqueueableByTenant: true,
      async run({ progress }) {
        await progress(1, 4, 'one of four');
        await gate;
        return { ok: true };
      },
    }),
  ]) {
    t.ctx.jobs.handlers.set(h.type, h);
  }
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  a = await seedTenant(t.ctx, 'admin');
  b = await seedTenant(t.ctx, 'admin');
  tokenA = await login(t.app, a);
  tokenB = await login(t.app, b);
  runner = t.ctx.jobs.runner({ concurrency: 4, pollIntervalMs: 20, recoverIntervalMs: 0, schedules: false });
  runner.start();
});

after(async () => {
  release();
  await runner.stop();
  await t.close();
});

describe('GET /api/v1/jobs/events', () => {
  test('needs credentials: 401 problem document, nothing streamed', async () => {
    const s = await open(undefined);
    assert.equal(s.status, 401);
    assert.match(s.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.equal((JSON.parse(s.text()) as { status: number }).status, 401);
    const bad = await open('not-a-token');
    assert.equal(bad.status, 401);
  });

  test("a job's creation, progress and end arrive live; another tenant's never do", async () => {
    const sa = await open(tokenA);
    const sb = await open(tokenB);
    try {
      assert.equal(sa.status, 200);
      assert.match(sa.headers.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(sa.headers.get('cache-control'), 'no-cache, no-transform');
      // Let the shared poller take its first look before anything changes.
      await new Promise((r) => setTimeout(r, 1300));
      const mine = await start(tokenA, 'test.quick', { n: 7 });
      const theirs = await start(tokenB, 'test.quick', { n: 2 });
      const done = await sa.waitFor((e) => e.event === 'job' && job(e).id === mine.id && job(e).status === 'succeeded', 'my job to succeed');
      assert.deepEqual(job(done).progress, { done: 7, total: 7, message: 'all done' });
      assert.deepEqual(job(done).result, { counted: 7 });
      assert.equal(done.id, (done.data as { updatedAt: string }).updatedAt, 'the event id is the job’s updatedAt');
      await sb.waitFor((e) => e.event === 'job' && job(e).id === theirs.id && job(e).status === 'succeeded', 'their job to succeed');
      assert.ok(!sa.events.some((e) => e.event === 'job' && job(e).id === theirs.id), "tenant A never sees B's job");
      assert.ok(!sb.events.some((e) => e.event === 'job' && job(e).id === mine.id), "tenant B never sees A's job");
      assert.ok(!sa.events.some((e) => e.event === 'job' && (e.data as { tenantId?: unknown; lockedBy?: unknown }).lockedBy !== undefined), 'events carry the public Job shape');
    } finally {
      sa.close();
      sb.close();
    }
  });

  test('a running job is in the snapshot on connect, then its progress and end arrive', async () => {
    gate = new Promise<void>((r) => (release = r));
    const slow = await start(tokenA, 'test.slow');
    // Wait for the runner to report the first progress, without a stream.
    for (let i = 0; i < 200; i++) {
      const res = await t.app.inject({ url: `/api/v1/jobs/${slow.id}`, headers: bearer(tokenA) });
      if (res.json<JobData>().progress?.done === 1) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const s = await open(tokenA);
    try {
      const snap = await s.waitFor((e) => e.event === 'job' && job(e).id === slow.id, 'the running job in the snapshot', 3000);
      assert.equal(job(snap).status, 'running');
      assert.deepEqual(job(snap).progress, { done: 1, total: 4, message: 'one of four' });
      assert.ok(s.text().startsWith('retry: '), 'the stream starts with a reconnect delay');
      await new Promise((r) => setTimeout(r, 1300));
      release();
      await s.waitFor((e) => e.event === 'job' && job(e).id === slow.id && job(e).status === 'succeeded', 'the slow job to succeed');
    } finally {
      s.close();
    }
  });

  test('changes written straight to the queue (as a worker in another process does) arrive', async () => {
    // On PostgreSQL a second connection pool stands for another process (`vigil worker`); on
    // PGlite, which one process owns, a queue over the same handle that never wakes the runners.
    let other: Database = t.ctx.db;
    if (usingServer()) {
      const { rows } = await t.ctx.db.system((q) => q.query<{ schema: string }>('SELECT current_schema() AS schema'));
      other = await openDatabase({ databaseUrl: process.env['DATABASE_URL'], poolSize: 1, pgOptions: `-c search_path=${rows[0]!.schema}` });
    }
    const queue = new JobQueue(other);
    const s = await open(tokenA);
    try {
      await new Promise((r) => setTimeout(r, 1300));
      const { job } = await queue.enqueue(a.tenantId, 'test.unclaimed', { from: 'elsewhere' });
      await s.waitFor((e) => e.event === 'job' && job.id === (e.data as JobData).id && (e.data as JobData).status === 'queued', 'the queued job');
      await queue.cancel(a.tenantId, job.id);
      await s.waitFor((e) => e.event === 'job' && job.id === (e.data as JobData).id && (e.data as JobData).status === 'cancelled', 'the cancelled job');
    } finally {
      s.close();
      if (other !== t.ctx.db) await other.close();
    }
  });

  test('Last-Event-ID: a reconnecting client also gets the jobs that changed since', async () => {
    const before = new Date(Date.now() - 60_000).toISOString();
    const finished = await start(tokenA, 'test.quick');
    for (let i = 0; i < 200; i++) {
      const res = await t.app.inject({ url: `/api/v1/jobs/${finished.id}`, headers: bearer(tokenA) });
      if (res.json<JobData>().status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const fresh = await open(tokenA);
    const again = await open(tokenA, { 'last-event-id': before });
    const junk = await open(tokenA, { 'last-event-id': 'not a time' });
    try {
      await again.waitFor((e) => e.event === 'job' && job(e).id === finished.id && job(e).status === 'succeeded', 'the finished job after Last-Event-ID');
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(!fresh.events.some((e) => e.event === 'job' && job(e).id === finished.id), 'a new stream only gets unfinished jobs');
      assert.equal(junk.status, 200, 'a Last-Event-ID that is not a time is ignored');
      assert.ok(!junk.events.some((e) => e.event === 'job' && job(e).id === finished.id));
    } finally {
      fresh.close();
      again.close();
      junk.close();
    }
  });

  test('disconnecting frees the place at once; the poller stops when nobody listens', async () => {
    const watcher = jobWatcherOf(t.ctx);
    assert.ok(watcher);
    await until(() => watcher.size === 0, 'earlier streams to close');
    const streams = await Promise.all(Array.from({ length: DEFAULT_WATCH_LIMITS.maxPerTenant }, () => open(tokenA)));
    try {
      assert.ok(streams.every((s) => s.status === 200));
      assert.equal(watcher.size, DEFAULT_WATCH_LIMITS.maxPerTenant);
      assert.ok(watcher.active, 'the poller runs while streams are open');
      const over = await open(tokenA);
      assert.equal(over.status, 429);
      assert.match(over.headers.get('content-type') ?? '', /^application\/problem\+json/);
      assert.equal(over.headers.get('retry-after'), '30');
      assert.match((JSON.parse(over.text()) as { detail: string }).detail, /already has 10 job streams open/);
      const other = await open(tokenB);
      assert.equal(other.status, 200, "one tenant's streams do not count against another's");
      other.close();
      streams[0]!.close();
      await until(() => watcher.size === DEFAULT_WATCH_LIMITS.maxPerTenant - 1, 'the closed stream to be let go');
      const replacement = await open(tokenA);
      assert.equal(replacement.status, 200);
      replacement.close();
    } finally {
      for (const s of streams) s.close();
    }
    await until(() => watcher.size === 0, 'every stream to be let go');
    await until(() => !watcher.active, 'the poller to stop');
  });

  test('an idle stream gets a heartbeat comment', async () => {
    const s = await open(tokenB);
    try {
      await until(() => s.text().includes(': heartbeat\n\n'), 'a heartbeat', HEARTBEAT_MS + 3000);
    } finally {
      s.close();
    }
  });

  test('the process-wide limit answers 503', async () => {
    const watcher = jobWatcherOf(t.ctx)!;
    const tenants = Math.ceil(DEFAULT_WATCH_LIMITS.maxTotal / DEFAULT_WATCH_LIMITS.maxPerTenant);
    const tokens: string[] = [];
    for (let i = 0; i < tenants; i++) tokens.push(await login(t.app, await seedTenant(t.ctx, 'viewer')));
    const streams: Stream[] = [];
    try {
      for (const token of tokens) streams.push(...(await Promise.all(Array.from({ length: DEFAULT_WATCH_LIMITS.maxPerTenant }, () => open(token)))));
      assert.equal(watcher.size, DEFAULT_WATCH_LIMITS.maxTotal);
      const over = await open(tokenA);
      assert.equal(over.status, 503);
      assert.match(over.headers.get('content-type') ?? '', /^application\/problem\+json/);
    } finally {
      for (const s of streams) s.close();
    }
    await until(() => watcher.size === 0, 'every stream to be let go');
  });

  test('without Accept: text/event-stream, one look and the end (scripts, inject); never another tenant’s jobs', async () => {
    gate = new Promise<void>((r) => (release = r));
    const slow = await start(tokenA, 'test.slow');
    try {
      const res = await t.app.inject({ url: '/api/v1/jobs/events', headers: bearer(tokenA) });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/event-stream/);
      assert.match(res.body, new RegExp(`event: job\ndata: \\{"id":"${slow.id}"`));
      const theirs = await t.app.inject({ url: '/api/v1/jobs/events', headers: bearer(tokenB) });
      assert.equal(theirs.statusCode, 200);
      assert.ok(!theirs.body.includes(slow.id), "B's look does not show A's job");
    } finally {
      release();
    }
  });

  test('the route is in the OpenAPI document as text/event-stream', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<{ paths: Record<string, Record<string, { responses: Record<string, { content: Record<string, unknown> }> }>> }>();
    const get = doc.paths['/api/v1/jobs/events']?.['get'];
    assert.ok(get, 'GET /api/v1/jobs/events is documented');
    assert.ok(get.responses['200']?.content['text/event-stream'], 'its 200 is an event stream');
    assert.ok(get.responses['429'] && get.responses['503'] && get.responses['401']);
  });
});
