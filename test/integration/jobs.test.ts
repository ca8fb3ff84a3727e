import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { defineHandler } from '../../src/jobs/handlers.js';
import { addUser, bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
let a: SeededUser;
let b: SeededUser;
let tokenA: string;
let tokenB: string;
let systemJobId: string;

before(async () => {
  t = await testApp();
  // A handler of its own, so the queue is tested apart from the built-in types (feeds.sync is
  // covered by jobs-start.test.ts).
  t.ctx.jobs.handlers.set(
    'test.scan',
    defineHandler({
      type: 'test.scan',
      description: 'a scan a tenant may start (test only)',
      enqueueableByTenant: true,
      payload: z.object({ target: z.string().min(1) }),
      async run({ payload }) {
        return { scanned: payload.target };
      },
    }),
  );
  a = await seedTenant(t.ctx, 'admin');
  b = await seedTenant(t.ctx, 'admin');
  tokenA = await login(t.app, a);
  tokenB = await login(t.app, b);
  systemJobId = (await t.ctx.jobs.enqueue(null, 'sessions.purge', {})).job.id;
});
after(() => t.close());

const start = (token: string, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: bearer(token), payload });

describe('POST /api/v1/jobs', () => {
  test('an admin starts a tenant-enqueueable job; the same dedupe key returns the unfinished one', async () => {
    const res = await start(tokenA, { type: 'test.scan', payload: { target: 'repo-1' }, dedupeKey: 'scan:repo-1' });
    assert.equal(res.statusCode, 201);
    const job = res.json();
    assert.equal(job.type, 'test.scan');
    assert.equal(job.status, 'queued');
    assert.deepEqual(job.payload, { target: 'repo-1' });
    assert.equal(job.lockedBy, undefined, 'which worker holds a job is not shown');
    assert.equal(job.tenantId, undefined);
    const again = await start(tokenA, { type: 'test.scan', payload: { target: 'repo-1' }, dedupeKey: 'scan:repo-1' });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, job.id);
  });

  test('maintenance types, unknown types and bad payloads are refused; non-admins are forbidden', async () => {
    for (const body of [{ type: 'sessions.purge' }, { type: 'no.such.job' }, { type: 'test.scan', payload: { target: '' } }, { type: 'test.scan', extra: 1 }]) {
      const res = await start(tokenA, body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
    const refused = await start(tokenA, { type: 'audit.verify' });
    assert.equal(refused.json().errors[0].pointer, '/body/type');
    const analyst = await addUser(t.ctx, a.tenantId, 'analyst');
    const res = await start(await login(t.app, analyst), { type: 'test.scan', payload: { target: 'x' } });
    assert.equal(res.statusCode, 403);
  });
});

describe('GET /api/v1/jobs', () => {
  test('lists my jobs only: never system jobs, never another tenant’s', async () => {
    const mine = (await start(tokenA, { type: 'test.scan', payload: { target: 'list-a' } })).json();
    const theirs = (await start(tokenB, { type: 'test.scan', payload: { target: 'list-b' } })).json();
    const res = await t.app.inject({ url: '/api/v1/jobs?limit=500', headers: bearer(tokenA) });
    assert.equal(res.statusCode, 200);
    const ids = (res.json().items as { id: string }[]).map((j) => j.id);
    assert.ok(ids.includes(mine.id));
    assert.ok(!ids.includes(theirs.id), "another tenant's job is not listed");
    assert.ok(!ids.includes(systemJobId), 'system jobs are not listed');
    const bIds = ((await t.app.inject({ url: '/api/v1/jobs?limit=500', headers: bearer(tokenB) })).json().items as { id: string }[]).map((j) => j.id);
    assert.ok(bIds.includes(theirs.id) && !bIds.includes(mine.id) && !bIds.includes(systemJobId));
  });

  test('filters by status and type, sorts both ways and pages with a cursor', async () => {
    const created: string[] = [];
    for (let i = 0; i < 3; i++) created.push((await start(tokenB, { type: 'test.scan', payload: { target: `page-${i}` } })).json().id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/jobs?limit=1&sort=createdAt&status=queued&type=test.scan${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ url, headers: bearer(tokenB) })).json();
      assert.ok(page.items.length <= 1);
      seen.push(...(page.items as { id: string }[]).map((j) => j.id));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen.filter((id) => created.includes(id)), created, 'oldest first, each once');
    const newest = (await t.app.inject({ url: '/api/v1/jobs?limit=1&sort=-createdAt', headers: bearer(tokenB) })).json();
    assert.equal(newest.items[0].id, created[2]);
    const none = (await t.app.inject({ url: '/api/v1/jobs?status=failed', headers: bearer(tokenB) })).json();
    assert.deepEqual(none.items, []);
    for (const bad of ['sort=type', 'status=done', 'cursor=nonsense', 'limit=0']) {
      assert.equal((await t.app.inject({ url: `/api/v1/jobs?${bad}`, headers: bearer(tokenB) })).statusCode, 400, bad);
    }
  });

  test('unauthenticated requests are refused; a viewer may read', async () => {
    assert.equal((await t.app.inject({ url: '/api/v1/jobs' })).statusCode, 401);
    const viewer = await addUser(t.ctx, a.tenantId, 'viewer');
    assert.equal((await t.app.inject({ url: '/api/v1/jobs', headers: bearer(await login(t.app, viewer)) })).statusCode, 200);
  });
});

describe('GET /api/v1/jobs/{id}', () => {
  test("shows status and progress of my job; another tenant's or a system job's id is 404", async () => {
    const job = (await start(tokenA, { type: 'test.scan', payload: { target: 'get-1' } })).json();
    const [claimed] = await t.ctx.jobs.queue.claim('it-worker', ['test.scan'], 100, 60_000).then((js) => js.filter((j) => j.id === job.id));
    assert.ok(claimed, 'claimed by a worker');
    await t.ctx.jobs.queue.progress('it-worker', job.id, { done: 5, total: 8, message: 'five of eight' }, 60_000);
    const res = await t.app.inject({ url: `/api/v1/jobs/${job.id}`, headers: bearer(tokenA) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'running');
    assert.deepEqual(res.json().progress, { done: 5, total: 8, message: 'five of eight' });
    assert.equal(res.json().attempts, 1);

    for (const [token, id] of [[tokenB, job.id], [tokenA, systemJobId], [tokenA, '00000000-0000-4000-8000-000000000000']] as const) {
      const r = await t.app.inject({ url: `/api/v1/jobs/${id}`, headers: bearer(token) });
      assert.equal(r.statusCode, 404);
      assert.equal(r.json().type, 'urn:vigil:problem:not-found');
    }
    assert.equal((await t.app.inject({ url: '/api/v1/jobs/not-a-uuid', headers: bearer(tokenA) })).statusCode, 400);
    await t.ctx.jobs.queue.complete('it-worker', job.id, { scanned: 'get-1' });
    const done = (await t.app.inject({ url: `/api/v1/jobs/${job.id}`, headers: bearer(tokenA) })).json();
    assert.equal(done.status, 'succeeded');
    assert.deepEqual(done.result, { scanned: 'get-1' });
  });
});

describe('POST /api/v1/jobs/{id}/cancel', () => {
  test('cancels a queued job at once, is idempotent, is audited; finished jobs answer 409', async () => {
    const job = (await start(tokenA, { type: 'test.scan', payload: { target: 'cancel-1' } })).json();
    const viewer = await addUser(t.ctx, a.tenantId, 'viewer');
    const vt = await login(t.app, viewer);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/cancel`, headers: bearer(vt) })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/cancel`, headers: bearer(tokenB) })).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/jobs/${systemJobId}/cancel`, headers: bearer(tokenA) })).statusCode, 404);
    assert.equal((await t.ctx.jobs.queue.get(null, systemJobId))?.status, 'queued', 'the system job is untouched');

    const analyst = await addUser(t.ctx, a.tenantId, 'analyst');
    const at = await login(t.app, analyst);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/cancel`, headers: bearer(at) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'cancelled');
    assert.equal(res.json().cancelRequested, true);
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/cancel`, headers: bearer(at) });
    assert.equal(again.statusCode, 200, 'cancelling a cancelled job is not an error');

    const audit = (await t.app.inject({ url: '/api/v1/audit?action=jobs.cancel', headers: bearer(tokenA) })).json();
    assert.ok(audit.items.some((r: { targetId: string; outcome: string }) => r.targetId === job.id && r.outcome === 'success'));

    const finished = (await start(tokenA, { type: 'test.scan', payload: { target: 'cancel-2' } })).json();
    const [claimed] = (await t.ctx.jobs.queue.claim('it-worker', ['test.scan'], 100, 60_000)).filter((j) => j.id === finished.id);
    assert.ok(claimed);
    await t.ctx.jobs.queue.complete('it-worker', finished.id, null);
    const late = await t.app.inject({ method: 'POST', url: `/api/v1/jobs/${finished.id}/cancel`, headers: bearer(tokenA) });
    assert.equal(late.statusCode, 409);
    assert.equal(late.json().type, 'urn:vigil:problem:conflict');
  });

  test('cancelling a running job asks its handler to stop', async () => {
    const job = (await start(tokenA, { type: 'test.scan', payload: { target: 'cancel-3' } })).json();
    await t.ctx.jobs.queue.claim('it-worker', ['test.scan'], 100, 60_000);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/jobs/${job.id}/cancel`, headers: bearer(tokenA) });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().status, 'running');
    assert.equal(res.json().cancelRequested, true);
    assert.deepEqual(await t.ctx.jobs.queue.watch('it-worker', [job.id]), [{ id: job.id, cancelRequested: true }]);
  });
});

test('/metrics shows the job queue depth and failure counter', async () => {
  const res = await t.app.inject({ url: '/metrics' });
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /^vigil_jobs\{status="queued",type="sessions.purge"\} 1$/m);
  assert.match(res.body, /# TYPE vigil_job_failures_total counter/);
});

test('the OpenAPI document describes the job routes', async () => {
  const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
  for (const path of ['/api/v1/jobs', '/api/v1/jobs/{id}', '/api/v1/jobs/{id}/cancel']) assert.ok(doc.paths[path], path);
  assert.ok(doc.components.schemas.Job);
});
