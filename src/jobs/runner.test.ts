import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { aborted, FAST, gate, harness, waitFor, type Harness } from './__fixtures__/harness.js';
import { defineHandler, JobAbort, JobError, type JobHandler } from './handlers.js';
import type { Runner } from './runner.js';

let h: Harness;
/** Each test sets the behaviour of the `t.*` handlers it uses. */
const behaviour = new Map<string, JobHandler['run']>();
const attemptsAt = new Map<string, number[]>();
const abortReasons = new Map<string, unknown>();

function testHandler(type: string, extra: Partial<JobHandler> = {}): JobHandler {
  return defineHandler({
    type,
    description: `test handler ${type}`,
    ...extra,
    async run(ctx) {
      attemptsAt.set(ctx.job.id, [...(attemptsAt.get(ctx.job.id) ?? []), Date.now()]);
      ctx.signal.addEventListener('abort', () => abortReasons.set(ctx.job.id, ctx.signal.reason), { once: true });
      const run = behaviour.get(type);
      if (!run) throw new Error(`no behaviour set for ${type}`);
      return run(ctx);
    },
  });
}

before(async () => {
  h = await harness([
    testHandler('t.work'),
    testHandler('t.flaky'),
    testHandler('t.slow', { timeoutSeconds: 0.2 }),
    testHandler('t.typed', { payload: z.object({ count: z.number().int() }) }),
  ]);
});
after(() => h.cleanup());

let runners: Runner[] = [];
function runner(concurrency = 2, extra: Partial<Parameters<Harness['jobs']['runner']>[0]> = {}): Runner {
  const r = h.jobs.runner({ concurrency, ...FAST, ...extra });
  runners.push(r);
  r.start();
  return r;
}
afterEach(async () => {
  await Promise.all(runners.map((r) => r.stop(2000)));
  runners = [];
  behaviour.clear();
});

const settled = (id: string) => waitFor(`job ${id} to finish`, async () => {
  const j = await h.jobs.queue.get(null, id);
  return j && ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
});

describe('running jobs', () => {
  test('runs a job to success and stores its result; progress is visible while it runs', async () => {
    const go = gate();
    behaviour.set('t.work', async ({ progress, payload }) => {
      await progress(1, 4, 'first of four');
      await go.promise;
      await progress(4, 4, 'all four');
      return { echoed: payload };
    });
    runner();
    const { job } = await h.jobs.enqueue(h.tenantA, 't.work', { x: 1 });
    const during = await waitFor('progress', async () => {
      const j = await h.jobs.queue.get(h.tenantA, job.id);
      return j?.progress?.done === 1 ? j : undefined;
    });
    assert.equal(during.status, 'running');
    assert.deepEqual(during.progress, { done: 1, total: 4, message: 'first of four' });
    go.open();
    const done = await settled(job.id);
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.result, { echoed: { x: 1 } });
    assert.deepEqual(done.progress, { done: 4, total: 4, message: 'all four' });
    assert.equal(done.attempts, 1);
  });

  test('runs at most `concurrency` jobs at once', async () => {
    let now = 0;
    let peak = 0;
    behaviour.set('t.work', async () => {
      peak = Math.max(peak, ++now);
      await new Promise((r) => setTimeout(r, 40));
      now--;
    });
    runner(2);
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push((await h.jobs.enqueue(null, 't.work', { i })).job.id);
    for (const id of ids) assert.equal((await settled(id)).status, 'succeeded');
    assert.equal(peak, 2);
  });

  test('retries with exponential backoff, then fails after max attempts', async () => {
    behaviour.set('t.flaky', async ({ job }) => {
      throw new Error(`failure #${job.attempts}`);
    });
    runner();
    const { job } = await h.jobs.enqueue(null, 't.flaky', {}, { maxAttempts: 3 });
    const done = await settled(job.id);
    assert.equal(done.status, 'failed');
    assert.equal(done.attempts, 3);
    assert.equal(done.lastError, 'failure #3');
    const times = attemptsAt.get(job.id)!;
    assert.equal(times.length, 3);
    // Backoff 40 ms, then 80 ms (jitter 0 in the harness).
    assert.ok(times[1]! - times[0]! >= 35, `first retry waited ${times[1]! - times[0]!} ms`);
    assert.ok(times[2]! - times[1]! >= 75, `second retry waited ${times[2]! - times[1]!} ms`);
    const metrics = await h.registry.metrics();
    assert.match(metrics, /vigil_job_failures_total\{type="t.flaky"\} 3/);
    assert.match(metrics, /vigil_job_duration_seconds_count\{type="t.flaky",outcome="retry"\} 2/);
    assert.match(metrics, /vigil_job_duration_seconds_count\{type="t.flaky",outcome="failed"\} 1/);
  });

  test('a job that fails once and then works succeeds on its second attempt', async () => {
    behaviour.set('t.flaky', async ({ job }) => {
      if (job.attempts === 1) throw new Error('transient');
      return 'second time lucky';
    });
    runner();
    const { job } = await h.jobs.enqueue(null, 't.flaky', {});
    const done = await settled(job.id);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.attempts, 2);
    assert.equal(done.result, 'second time lucky');
    assert.equal(done.lastError, 'transient', 'the last error stays for the record');
  });

  test('a JobError that is not retryable fails at once, with its result', async () => {
    behaviour.set('t.flaky', async () => {
      throw new JobError('hopeless', { retryable: false, result: { problems: ['p1'] } });
    });
    runner();
    const { job } = await h.jobs.enqueue(null, 't.flaky', {}, { maxAttempts: 5 });
    const done = await settled(job.id);
    assert.equal(done.status, 'failed');
    assert.equal(done.attempts, 1);
    assert.deepEqual(done.result, { problems: ['p1'] });
  });

  test('a stored payload that does not match the schema fails for good before the handler runs', async () => {
    behaviour.set('t.typed', async ({ payload }) => payload);
    runner();
    const bad = await h.jobs.queue.enqueue(null, 't.typed', { count: 'many' });
    const good = await h.jobs.enqueue(null, 't.typed', { count: 2 });
    assert.equal((await settled(good.job.id)).status, 'succeeded');
    const done = await settled(bad.job.id);
    assert.equal(done.status, 'failed');
    assert.match(done.lastError!, /invalid payload: count/);
    assert.equal(attemptsAt.has(bad.job.id), false, 'the handler never ran');
    await assert.rejects(h.jobs.enqueue(null, 't.typed', { count: 'many' }), /invalid payload/);
  });

  test('a handler past its timeout gets its signal (timeout) and the attempt fails', async () => {
    behaviour.set('t.slow', async ({ signal }) => aborted(signal));
    runner();
    const { job } = await h.jobs.enqueue(null, 't.slow', {}, { maxAttempts: 1 });
    const done = await settled(job.id);
    assert.equal(done.status, 'failed');
    assert.match(done.lastError!, /timed out after 0.2s/);
    assert.equal((abortReasons.get(job.id) as JobAbort).kind, 'timeout');
  });
});

describe('cancel', () => {
  test('cancelling a running job fires its signal and ends it cancelled', async () => {
    const started = gate();
    behaviour.set('t.work', async ({ signal }) => {
      started.open();
      return aborted(signal);
    });
    runner();
    const { job } = await h.jobs.enqueue(h.tenantA, 't.work', {});
    await started.promise;
    const res = await h.jobs.queue.cancel(h.tenantA, job.id);
    assert.equal(res?.outcome, 'requested');
    const done = await settled(job.id);
    assert.equal(done.status, 'cancelled');
    const reason = abortReasons.get(job.id);
    assert.ok(reason instanceof JobAbort);
    assert.equal(reason.kind, 'cancel');
    assert.equal(done.attempts, 1, 'a cancelled job is not retried');
  });

  test('a queued job cancelled before it starts never runs', async () => {
    behaviour.set('t.work', async () => 'ran');
    const { job } = await h.jobs.enqueue(h.tenantA, 't.work', {}, { runAt: new Date(Date.now() + 200) });
    await h.jobs.queue.cancel(h.tenantA, job.id);
    runner();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await h.jobs.queue.get(null, job.id))?.status, 'cancelled');
    assert.equal(attemptsAt.has(job.id), false);
  });
});

describe('leases and shutdown', () => {
  test("a crashed worker's job is recovered by a live runner and run again (at-least-once)", async () => {
    behaviour.set('t.work', async () => 'recovered');
    const { job } = await h.jobs.enqueue(null, 't.work', {});
    await h.jobs.queue.claim('crashed-worker', ['t.work'], 1, 60_000);
    await h.db.system((q) => q.query("UPDATE jobs SET locked_until = now() - interval '1 second' WHERE id = $1", [job.id]));
    runner();
    const done = await settled(job.id);
    assert.equal(done.status, 'succeeded');
    assert.equal(done.attempts, 2);
    assert.equal(done.result, 'recovered');
  });

  test('a runner that loses its lease stops the handler and records nothing', async () => {
    const started = gate();
    behaviour.set('t.work', async ({ signal }) => {
      started.open();
      return aborted(signal);
    });
    const r = runner(1, { heartbeatMs: 0 });
    const { job } = await h.jobs.enqueue(null, 't.work', {});
    await started.promise;
    // Another worker took the job over (as if our lease had run out while we were cut off).
    await h.db.system((q) => q.query("UPDATE jobs SET locked_by = 'other' WHERE id = $1", [job.id]));
    await waitFor('lease-lost abort', async () => abortReasons.get(job.id));
    assert.equal((abortReasons.get(job.id) as JobAbort).kind, 'lease-lost');
    await waitFor('the runner to let go', async () => r.running.length === 0);
    const j = await h.jobs.queue.get(null, job.id);
    assert.equal(j?.status, 'running');
    assert.equal(j?.lockedBy, 'other', "the other worker's claim is untouched");
    await h.jobs.queue.complete('other', job.id, null);
  });

  test('stop() lets a running job finish, and claims nothing more', async () => {
    const go = gate();
    const started = gate();
    behaviour.set('t.work', async () => {
      started.open();
      await go.promise;
      return 'finished during shutdown';
    });
    const r = runner(1);
    const { job } = await h.jobs.enqueue(null, 't.work', {});
    await started.promise;
    const stopping = r.stop(5000);
    const next = await h.jobs.enqueue(null, 't.work', {});
    setTimeout(() => go.open(), 50);
    await stopping;
    assert.equal((await h.jobs.queue.get(null, job.id))?.status, 'succeeded');
    assert.equal((await h.jobs.queue.get(null, next.job.id))?.status, 'queued', 'a stopping runner claims nothing');
    await h.jobs.queue.cancel(null, next.job.id);
  });

  test('stop() past its timeout aborts (shutdown) and gives the job back without counting the attempt', async () => {
    const started = gate();
    behaviour.set('t.work', async ({ signal }) => {
      started.open();
      return aborted(signal);
    });
    const r = runner(1);
    const { job } = await h.jobs.enqueue(null, 't.work', {});
    await started.promise;
    await r.stop(50);
    assert.equal((abortReasons.get(job.id) as JobAbort).kind, 'shutdown');
    const back = await h.jobs.queue.get(null, job.id);
    assert.equal(back?.status, 'queued');
    assert.equal(back?.attempts, 0);
    assert.equal(back?.lockedBy, null);
    await h.jobs.queue.cancel(null, job.id);
  });

  test('a handler that ignores its signal is given up after the grace period and released on stop', async () => {
    const started = gate();
    const never = gate();
    behaviour.set('t.work', async () => {
      started.open();
      await never.promise;
    });
    const r = runner(1);
    const { job } = await h.jobs.enqueue(null, 't.work', {});
    await started.promise;
    const t0 = Date.now();
    await r.stop(50);
    assert.ok(Date.now() - t0 < 2500, 'stop() does not wait for ever');
    const back = await h.jobs.queue.get(null, job.id);
    assert.equal(back?.status, 'queued');
    assert.equal(back?.lockedBy, null);
    never.open();
    await h.jobs.queue.cancel(null, job.id);
  });
});
