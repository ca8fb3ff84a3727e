import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { VigilError } from '../core/errors.js';
import { harness, type Harness } from './__fixtures__/harness.js';
import { defineHandler } from './handlers.js';
import { retryDelay } from './queue.js';

let h: Harness;
const LEASE = 60_000;

before(async () => {
  h = await harness([
    defineHandler({ type: 'test.a', description: 'a test job', async run() {} }),
    defineHandler({ type: 'test.b', description: 'another test job', async run() {} }),
  ]);
});
after(() => h.cleanup());

/** Claims everything due of both types, so later tests start from an empty queue. */
async function drain(worker = 'drain'): Promise<void> {
  for (const j of await h.jobs.queue.claim(worker, ['test.a', 'test.b'], 1000, LEASE)) await h.jobs.queue.complete(worker, j.id, null);
}

describe('enqueue, claim, complete', () => {
  test('a job goes queued → running → succeeded, counting its attempt', async () => {
    await drain();
    const { job, created } = await h.jobs.enqueue(h.tenantA, 'test.a', { n: 1 });
    assert.equal(created, true);
    assert.equal(job.status, 'queued');
    assert.equal(job.tenantId, h.tenantA);
    assert.deepEqual(job.payload, { n: 1 });
    assert.equal(job.attempts, 0);
    assert.equal(job.maxAttempts, 3);

    const claimed = await h.jobs.queue.claim('w1', ['test.a'], 5, LEASE);
    assert.equal(claimed.length, 1);
    assert.equal(claimed[0]!.id, job.id);
    assert.equal(claimed[0]!.status, 'running');
    assert.equal(claimed[0]!.attempts, 1);
    assert.equal(claimed[0]!.lockedBy, 'w1');
    assert.ok(claimed[0]!.startedAt);
    assert.ok(Date.parse(claimed[0]!.lockedUntil!) > Date.now() + LEASE / 2, 'the lease runs about a minute');
    assert.deepEqual(await h.jobs.queue.claim('w2', ['test.a'], 5, LEASE), [], 'a claimed job is not claimed twice');

    assert.equal(await h.jobs.queue.complete('w2', job.id, { no: 1 }), undefined, 'only the holder completes it');
    const done = await h.jobs.queue.complete('w1', job.id, { ok: true, list: [1, 2] });
    assert.equal(done?.status, 'succeeded');
    assert.deepEqual(done?.result, { ok: true, list: [1, 2] });
    assert.ok(done?.finishedAt);
    assert.equal(done?.lockedBy, null);
    assert.deepEqual(await h.jobs.queue.claim('w1', ['test.a'], 5, LEASE), []);
  });

  test('claims by priority, then due time; not before run_at; only the asked types', async () => {
    await drain();
    const low = await h.jobs.enqueue(null, 'test.a', {}, { priority: -1 });
    const high = await h.jobs.enqueue(null, 'test.a', {}, { priority: 5 });
    const normal = await h.jobs.enqueue(null, 'test.a', {});
    const later = await h.jobs.enqueue(null, 'test.a', {}, { priority: 9, runAt: new Date(Date.now() + 3_600_000) });
    const other = await h.jobs.enqueue(null, 'test.b', {}, { priority: 9 });
    const claimed = await h.jobs.queue.claim('w', ['test.a'], 10, LEASE);
    assert.deepEqual(claimed.map((j) => j.id), [high.job.id, normal.job.id, low.job.id]);
    assert.equal((await h.jobs.queue.get(null, later.job.id))?.status, 'queued');
    assert.equal((await h.jobs.queue.get(null, other.job.id))?.status, 'queued');
    const limited = await h.jobs.queue.claim('w', ['test.a', 'test.b'], 1, LEASE);
    assert.deepEqual(limited.map((j) => j.id), [other.job.id], 'limit respected');
    for (const j of [...claimed, ...limited]) await h.jobs.queue.complete('w', j.id, null);
  });

  test('payloads of every JSON shape survive (arrays and strings are not mangled by the driver)', async () => {
    for (const payload of [[1, 'two', { three: 3 }], 'text', 42, { nested: { deep: [true, null] } }]) {
      const { job } = await h.jobs.queue.enqueue(null, 'test.a', payload);
      assert.deepEqual((await h.jobs.queue.get(null, job.id))?.payload, payload);
    }
    await drain();
  });

  test('unknown types and bad payload are refused at enqueue', async () => {
    await assert.rejects(h.jobs.enqueue(null, 'no.such.type', {}), (e: unknown) => e instanceof VigilError && e.code === 'validation');
  });
});

describe('dedupe key', () => {
  test('while a job with the key is unfinished, enqueue returns it; per tenant; free again once finished', async () => {
    await drain();
    const a1 = await h.jobs.enqueue(h.tenantA, 'test.a', { v: 1 }, { dedupeKey: 'sync:osv' });
    const a2 = await h.jobs.enqueue(h.tenantA, 'test.a', { v: 2 }, { dedupeKey: 'sync:osv' });
    assert.equal(a1.created, true);
    assert.equal(a2.created, false);
    assert.equal(a2.job.id, a1.job.id);
    assert.deepEqual(a2.job.payload, { v: 1 });
    const b1 = await h.jobs.enqueue(h.tenantB, 'test.a', {}, { dedupeKey: 'sync:osv' });
    assert.equal(b1.created, true, 'another tenant has its own keys');
    const s1 = await h.jobs.enqueue(null, 'test.a', {}, { dedupeKey: 'sync:osv' });
    const s2 = await h.jobs.enqueue(null, 'test.a', {}, { dedupeKey: 'sync:osv' });
    assert.equal(s1.created, true);
    assert.equal(s2.job.id, s1.job.id, 'system jobs dedupe among themselves (NULL tenant)');

    const [running] = await h.jobs.queue.claim('w', ['test.a'], 1, LEASE);
    assert.ok(running);
    const again = await h.jobs.enqueue(running.tenantId, 'test.a', {}, { dedupeKey: 'sync:osv' });
    assert.equal(again.job.id, running.id, 'a running job still holds its key');
    await h.jobs.queue.complete('w', running.id, null);
    const fresh = await h.jobs.enqueue(running.tenantId, 'test.a', {}, { dedupeKey: 'sync:osv' });
    assert.equal(fresh.created, true, 'a finished job frees its key');
    assert.notEqual(fresh.job.id, running.id);
    await drain();
  });
});

describe('cancel', () => {
  test('a queued job is cancelled at once; a running one is asked; a finished one is left alone', async () => {
    await drain();
    const q = await h.jobs.enqueue(h.tenantA, 'test.a', {});
    const c1 = await h.jobs.queue.cancel(h.tenantA, q.job.id);
    assert.equal(c1?.outcome, 'cancelled');
    assert.equal(c1?.job.status, 'cancelled');
    assert.ok(c1?.job.finishedAt);
    assert.deepEqual(await h.jobs.queue.claim('w', ['test.a'], 10, LEASE), [], 'a cancelled job never runs');

    const r = await h.jobs.enqueue(h.tenantA, 'test.a', {});
    await h.jobs.queue.claim('w', ['test.a'], 1, LEASE);
    const c2 = await h.jobs.queue.cancel(h.tenantA, r.job.id);
    assert.equal(c2?.outcome, 'requested');
    assert.equal(c2?.job.status, 'running');
    assert.equal(c2?.job.cancelRequested, true);
    assert.deepEqual(await h.jobs.queue.watch('w', [r.job.id]), [{ id: r.job.id, cancelRequested: true }]);
    const failed = await h.jobs.queue.fail('w', r.job.id, { error: 'stopped', retryDelayMs: 10 });
    assert.equal(failed?.status, 'cancelled', 'a failure after a cancel request ends cancelled, not retried');

    const c3 = await h.jobs.queue.cancel(h.tenantA, r.job.id);
    assert.equal(c3?.outcome, 'already-finished');
    assert.equal(await h.jobs.queue.cancel(h.tenantB, q.job.id), undefined, 'another tenant cannot see it');
  });
});

describe('failures and retries', () => {
  test('a failed attempt is queued again after the delay until max attempts, then fails', async () => {
    await drain();
    const { job } = await h.jobs.enqueue(null, 'test.b', {}, { maxAttempts: 2 });
    const [first] = await h.jobs.queue.claim('w', ['test.b'], 1, LEASE);
    assert.equal(first?.id, job.id);
    const retried = await h.jobs.queue.fail('w', job.id, { error: 'boom 1', retryDelayMs: 60_000 });
    assert.equal(retried?.status, 'queued');
    assert.equal(retried?.lastError, 'boom 1');
    assert.equal(retried?.finishedAt, null);
    assert.ok(Date.parse(retried.runAt) > Date.now() + 50_000, 'the retry waits its backoff');
    assert.deepEqual(await h.jobs.queue.claim('w', ['test.b'], 1, LEASE), [], 'not claimed before run_at');

    await h.db.system((q) => q.query('UPDATE jobs SET run_at = now() WHERE id = $1', [job.id]));
    const [second] = await h.jobs.queue.claim('w', ['test.b'], 1, LEASE);
    assert.equal(second?.attempts, 2);
    const final = await h.jobs.queue.fail('w', job.id, { error: 'boom 2', retryDelayMs: 10, result: { partial: 3 } });
    assert.equal(final?.status, 'failed');
    assert.equal(final?.lastError, 'boom 2');
    assert.deepEqual(final?.result, { partial: 3 });
    assert.ok(final?.finishedAt);
  });

  test('a permanent failure (no retry delay) fails at once', async () => {
    const { job } = await h.jobs.enqueue(null, 'test.b', {}, { maxAttempts: 5 });
    await h.jobs.queue.claim('w', ['test.b'], 1, LEASE);
    assert.equal((await h.jobs.queue.fail('w', job.id, { error: 'bad input', retryDelayMs: null }))?.status, 'failed');
  });

  test('retryDelay grows exponentially up to the cap, with bounded jitter', () => {
    const p = { baseMs: 1000, maxMs: 10_000, jitter: 0 };
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, p)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
    const j = { baseMs: 1000, maxMs: 10_000, jitter: 0.2 };
    assert.equal(retryDelay(1, j, () => 0), 800);
    assert.equal(retryDelay(1, j, () => 1), 1200);
    assert.equal(retryDelay(3, j, () => 0.5), 4000);
    for (let i = 0; i < 100; i++) {
      const d = retryDelay(2, j);
      assert.ok(d >= 1600 && d <= 2400, `jittered delay ${d} within ±20%`);
    }
  });
});

describe('leases', () => {
  test('an expired lease puts the job back (or fails it when attempts are used up); heartbeats keep it', async () => {
    await drain();
    const keep = await h.jobs.enqueue(null, 'test.a', {}, { maxAttempts: 3 });
    const lost = await h.jobs.enqueue(null, 'test.a', {}, { maxAttempts: 3 });
    const last = await h.jobs.enqueue(null, 'test.a', {}, { maxAttempts: 1 });
    const gone = await h.jobs.enqueue(null, 'test.a', {}, { maxAttempts: 3 });
    const claimed = await h.jobs.queue.claim('dead', ['test.a'], 10, LEASE);
    assert.equal(claimed.length, 4);
    await h.jobs.queue.cancel(null, gone.job.id);
    // The worker "crashed": its leases are in the past; except one it renews.
    await h.db.system((q) => q.query("UPDATE jobs SET locked_until = now() - interval '1 second' WHERE locked_by = 'dead'"));
    assert.deepEqual(await h.jobs.queue.heartbeat('dead', [keep.job.id], LEASE), [{ id: keep.job.id, cancelRequested: false }]);

    const recovered = await h.jobs.queue.recoverExpired();
    const byId = new Map(recovered.map((r) => [r.id, r.status]));
    assert.equal(byId.get(lost.job.id), 'queued');
    assert.equal(byId.get(last.job.id), 'failed');
    assert.equal(byId.get(gone.job.id), 'cancelled');
    assert.equal(byId.has(keep.job.id), false, 'a renewed lease is kept');
    const lostJob = await h.jobs.queue.get(null, lost.job.id);
    assert.match(lostJob!.lastError!, /lease expired: worker dead/);
    assert.equal(lostJob?.lockedBy, null);

    // The dead worker comes back: it no longer holds the job, so its outcome is ignored.
    assert.equal(await h.jobs.queue.complete('dead', lost.job.id, null), undefined);
    assert.deepEqual(await h.jobs.queue.watch('dead', [lost.job.id]), []);
    assert.equal(await h.jobs.queue.progress('dead', lost.job.id, { done: 1, total: 2, message: null }, LEASE), 'lost');
    const [again] = await h.jobs.queue.claim('alive', ['test.a'], 1, LEASE);
    assert.equal(again?.id, lost.job.id);
    assert.equal(again?.attempts, 2, 'the lost attempt counted');
    await h.jobs.queue.complete('alive', lost.job.id, null);
    await h.jobs.queue.complete('dead', keep.job.id, null);
  });

  test('release gives jobs back without counting the attempt', async () => {
    await drain();
    const { job } = await h.jobs.enqueue(null, 'test.b', {});
    await h.jobs.queue.claim('w', ['test.b'], 1, LEASE);
    assert.equal(await h.jobs.queue.release('w', [job.id]), 1);
    const back = await h.jobs.queue.get(null, job.id);
    assert.equal(back?.status, 'queued');
    assert.equal(back?.attempts, 0);
    await drain();
  });

  test('progress is stored and visible through get()', async () => {
    const { job } = await h.jobs.enqueue(h.tenantA, 'test.a', {});
    await h.jobs.queue.claim('w', ['test.a'], 1, LEASE);
    assert.equal(await h.jobs.queue.progress('w', job.id, { done: 3, total: 10, message: 'three' }, LEASE), 'ok');
    assert.deepEqual((await h.jobs.queue.get(h.tenantA, job.id))?.progress, { done: 3, total: 10, message: 'three' });
    await h.jobs.queue.cancel(h.tenantA, job.id);
    assert.equal(await h.jobs.queue.progress('w', job.id, { done: 4, total: 10, message: null }, LEASE), 'cancel');
    await h.jobs.queue.fail('w', job.id, { error: 'cancelled', retryDelayMs: null });
  });
});

describe('tenancy and listing', () => {
  test("a tenant sees only its own jobs: never system jobs, never another tenant's", async () => {
    const sys = await h.jobs.enqueue(null, 'test.a', {});
    const a = await h.jobs.enqueue(h.tenantA, 'test.a', {});
    const b = await h.jobs.enqueue(h.tenantB, 'test.a', {});
    assert.equal(await h.jobs.queue.get(h.tenantA, sys.job.id), undefined);
    assert.equal(await h.jobs.queue.get(h.tenantA, b.job.id), undefined);
    assert.equal((await h.jobs.queue.get(h.tenantA, a.job.id))?.id, a.job.id);
    const listed = await h.jobs.queue.list(h.tenantA, {}, { limit: 500, sort: '-createdAt' });
    assert.ok(listed.items.length > 0);
    assert.ok(listed.items.every((j) => j.tenantId === h.tenantA));
    const all = await h.jobs.queue.list(null, {}, { limit: 500, sort: '-createdAt' });
    assert.ok(all.items.some((j) => j.id === sys.job.id) && all.items.some((j) => j.id === b.job.id), 'the system door sees every job');
    // A tenant cannot enqueue for another tenant or as the system (RLS WITH CHECK).
    await assert.rejects(h.db.tenant(h.tenantA, (q) => q.query("INSERT INTO jobs (tenant_id, type) VALUES ($1, 'test.a')", [h.tenantB])));
    await assert.rejects(h.db.tenant(h.tenantA, (q) => q.query("INSERT INTO jobs (tenant_id, type) VALUES (NULL, 'test.a')")));
    // Nor take over a job's lease: the application role may update only what cancelling touches.
    await assert.rejects(h.db.tenant(h.tenantA, (q) => q.query("UPDATE jobs SET locked_by = 'me' WHERE id = $1", [a.job.id])));
    await drain();
  });

  test('pages follow each other without gaps or repeats in both orders; filters by status and type', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 7; i++) ids.add((await h.jobs.enqueue(h.tenantB, i % 2 ? 'test.a' : 'test.b', { i })).job.id);
    for (const sort of ['createdAt', '-createdAt']) {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await h.jobs.queue.list(h.tenantB, { status: 'queued' }, { limit: 2, sort, cursor });
        seen.push(...page.items.map((j) => j.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      const mine = seen.filter((id) => ids.has(id));
      assert.equal(mine.length, 7, `${sort}: every job once`);
      assert.equal(new Set(seen).size, seen.length, `${sort}: no repeats`);
    }
    const onlyB = await h.jobs.queue.list(h.tenantB, { type: 'test.b', status: 'queued' }, { limit: 100, sort: '-createdAt' });
    assert.ok(onlyB.items.length >= 4 && onlyB.items.every((j) => j.type === 'test.b' && j.status === 'queued'));
    const none = await h.jobs.queue.list(h.tenantB, { status: 'failed' }, { limit: 100, sort: '-createdAt' });
    assert.deepEqual(none.items, []);
    await drain();
  });
});

describe('fair claims and caps', () => {
  test('within a priority, tenants take turns: a tenant with many queued jobs does not hold back another', async () => {
    await drain();
    for (let i = 0; i < 5; i++) await h.jobs.enqueue(h.tenantA, 'test.a', { n: i });
    const late = await h.jobs.enqueue(h.tenantB, 'test.a', { n: 'b' });
    const first = await h.jobs.queue.claim('w1', ['test.a'], 2, LEASE);
    assert.deepEqual(
      first.map((j) => j.tenantId).sort(),
      [h.tenantA, h.tenantB].sort(),
      'the second claim slot goes to the tenant whose job was queued last, not to tenant A’s second job',
    );
    assert.ok(first.some((j) => j.id === late.job.id));
    for (const j of first) await h.jobs.queue.complete('w1', j.id, null);
    await drain();
  });

  test('a capped type never runs more than its cap at once, across workers', async () => {
    await drain();
    for (let i = 0; i < 6; i++) await h.jobs.enqueue(h.tenantA, 'test.a', { n: i });
    await h.jobs.enqueue(h.tenantA, 'test.b', { n: 'uncapped' });
    const caps = new Map([['test.a', 2]]);
    const w1 = await h.jobs.queue.claim('w1', ['test.a', 'test.b'], 10, LEASE, caps);
    assert.equal(w1.filter((j) => j.type === 'test.a').length, 2, 'two of the capped type');
    assert.equal(w1.filter((j) => j.type === 'test.b').length, 1, 'the uncapped type is not held back');
    assert.deepEqual(await h.jobs.queue.claim('w2', ['test.a'], 10, LEASE, caps), [], 'no room left for another worker');
    const freed = w1.find((j) => j.type === 'test.a')!;
    await h.jobs.queue.complete('w1', freed.id, null);
    const w2 = await h.jobs.queue.claim('w2', ['test.a'], 10, LEASE, caps);
    assert.equal(w2.length, 1, 'a finished job frees one slot');
    for (const j of [...w1.filter((x) => x.id !== freed.id), ...w2]) assert.ok(await h.jobs.queue.complete(j.lockedBy!, j.id, null));
    await drain();
  });
});
