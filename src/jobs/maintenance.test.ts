import { after, afterEach, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendAudit } from '../audit/log.js';
import { insertSession } from '../store/repos/sessions.js';
import { insertUser } from '../store/repos/users.js';
import { FAST, harness, waitFor, type Harness } from './__fixtures__/harness.js';
import { maintenanceHandlers } from './maintenance.js';
import type { Job } from './queue.js';
import type { Runner } from './runner.js';

let h: Harness;
let runner: Runner;

before(async () => {
  h = await harness((queue, db) => maintenanceHandlers({ db, queue }));
});
after(() => h.cleanup());
afterEach(() => runner.stop());

/** Enqueues a system job of `type` and runs it with a real runner to the end. */
async function runJob(type: string, payload: Record<string, unknown> = {}): Promise<Job> {
  runner = h.jobs.runner({ concurrency: 1, ...FAST });
  runner.start();
  const { job } = await h.jobs.enqueue(null, type, payload);
  return waitFor(`${type} to finish`, async () => {
    const j = await h.jobs.queue.get(null, job.id);
    return j && ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
  });
}

const count = async (sql: string, params: unknown[] = []) => Number((await h.db.system((q) => q.query<{ n: string }>(sql, params))).rows[0]!.n);

describe('sessions.purge', () => {
  test('deletes sessions expired or revoked over a day ago and keeps live ones', async () => {
    const user = await h.db.tenant(h.tenantA, (q) => insertUser(q, { tenantId: h.tenantA, email: 'purge@jobs.test', passwordHash: 'x', role: 'viewer' }));
    const day = 86_400_000;
    const mk = (hash: number, expiresAt: Date) =>
      h.db.tenant(h.tenantA, (q) => insertSession(q, { tenantId: h.tenantA, userId: user.id, refreshHash: new Uint8Array([hash]), expiresAt }));
    const live = await mk(1, new Date(Date.now() + day));
    await mk(2, new Date(Date.now() - 2 * day));
    const revoked = await mk(3, new Date(Date.now() + day));
    await h.db.system((q) => q.query("UPDATE sessions SET revoked_at = now() - interval '2 days' WHERE id = $1", [revoked]));
    const job = await runJob('sessions.purge');
    assert.equal(job.status, 'succeeded');
    assert.deepEqual(job.result, { deleted: 2 });
    assert.equal(await count('SELECT count(*) AS n FROM sessions'), 1);
    assert.equal(await count('SELECT count(*) AS n FROM sessions WHERE id = $1', [live]), 1);
  });
});

describe('audit.verify', () => {
  const append = (action: string) =>
    h.db.system((q) => appendAudit(q, { tenantId: h.tenantA, actorType: 'system', actorId: null, actorLabel: 'system', action, outcome: 'success' }));

  test('an intact chain succeeds and records a checkpoint of its head', async () => {
    await append('test.one');
    const head = await append('test.two');
    const job = await runJob('audit.verify');
    assert.equal(job.status, 'succeeded');
    const result = job.result as { ok: boolean; checked: number; head: { seq: number } };
    assert.equal(result.ok, true);
    assert.equal(result.head.seq, head.seq);
    assert.equal(await count('SELECT count(*) AS n FROM audit_checkpoints WHERE seq = $1', [head.seq]), 1);
  });

  test('a changed record fails the job at once, with the problems in last_error and result', async () => {
    await append('test.three');
    await h.db.system(async (q) => {
      await q.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await q.query("UPDATE audit_log SET actor_label = 'mallory' WHERE seq = 1");
      await q.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const job = await runJob('audit.verify');
    assert.equal(job.status, 'failed');
    assert.equal(job.attempts, 1, 'a broken chain is not retried');
    assert.match(job.lastError!, /audit chain broken: \d+ problem\(s\); first at seq 1: record content does not match/);
    const result = job.result as { ok: boolean; problems: { seq: number; reason: string }[] };
    assert.equal(result.ok, false);
    assert.ok(result.problems.some((p) => p.seq === 1));
    assert.match(await h.registry.metrics(), /vigil_job_failures_total\{type="audit.verify"\} 1/);
  });
});

describe('jobs.purge', () => {
  test('deletes jobs finished over 30 days ago, keeps recent and unfinished ones', async () => {
    const mk = async (status: 'succeeded' | 'failed' | 'queued', daysAgo: number) => {
      const { job } = await h.jobs.queue.enqueue(h.tenantB, 'sessions.purge', {}, { runAt: new Date(Date.now() + 86_400_000) });
      if (status !== 'queued') {
        await h.db.system((q) => q.query("UPDATE jobs SET status = $2, finished_at = now() - $3::int * interval '1 day' WHERE id = $1", [job.id, status, daysAgo]));
      }
      return job.id;
    };
    const old1 = await mk('succeeded', 40);
    const old2 = await mk('failed', 31);
    const recent = await mk('succeeded', 2);
    const waiting = await mk('queued', 0);
    await h.db.system((q) => q.query("INSERT INTO job_schedule_fires (schedule, fire_at) VALUES ('x', now() - interval '60 days'), ('x', now())"));
    const job = await runJob('jobs.purge');
    assert.equal(job.status, 'succeeded');
    assert.deepEqual(job.result, { deleted: 2, scheduleFiresDeleted: 1 });
    assert.equal(await h.jobs.queue.get(null, old1), undefined);
    assert.equal(await h.jobs.queue.get(null, old2), undefined);
    assert.ok(await h.jobs.queue.get(null, recent));
    assert.ok(await h.jobs.queue.get(null, waiting));
    assert.deepEqual(job.progress, { done: 2, total: null, message: '2 finished job(s) deleted' });
  });

  test('its payload is checked at enqueue', async () => {
    await assert.rejects(h.jobs.enqueue(null, 'jobs.purge', { olderThanDays: 0 }), /invalid payload/);
  });
});

describe('db.vacuum', () => {
  test('vacuums and analyses the embedded database; leaves a server to its autovacuum', async () => {
    const job = await runJob('db.vacuum');
    assert.equal(job.status, 'succeeded');
    const result = job.result as { ran: boolean; durationMs: number };
    assert.equal(result.ran, h.db.kind === 'pglite');
    if (h.db.kind === 'pglite') {
      // ANALYZE ran: the planner's row estimate of a table is known (-1 means never analysed).
      const { rows } = await h.db.system((q) => q.query<{ reltuples: number }>("SELECT reltuples FROM pg_class WHERE relname = 'jobs'"));
      assert.ok(Number(rows[0]!.reltuples) >= 0, `reltuples ${rows[0]!.reltuples}`);
    }
  });
});
