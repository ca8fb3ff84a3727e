import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Runner } from '../../src/jobs/runner.js';
import { addUser, bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';
import { feedServer, withEtag, type FeedServer } from '../helpers/feedServer.js';
import { openStream, type SseEvent } from './sse-client.js';
import { CLUSTER_DUMP, KEV_DOCUMENT } from '../helpers/jobs-fixtures.js';

/**
 * Starting work as the Jobs page does, on PGlite or PostgreSQL (DATABASE_URL): the job types a
 * tenant may start, a feed sync from a local feed server (one at a time for the whole server,
 * refused for viewers and for a second tenant in plain words), and a cluster scan, each seen
 * through the event stream until it ends.
 */

let t: TestApp;
let srv: FeedServer;
let dir: string;
let base: string;
let runner: Runner;
let a: SeededUser;
let b: SeededUser;
let tokenA: string;
let tokenB: string;
let viewerToken: string;



const req = (method: 'GET' | 'POST', url: string, token: string, body?: unknown) =>
  t.app.inject({ method, url, headers: { ...bearer(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });

type JobData = { id: string; type: string; status: string; lastError: string | null; result: Record<string, unknown> | null };
const isEnd = (id: string) => (e: SseEvent) => e.event === 'job' && (e.data as JobData).id === id && ['succeeded', 'failed', 'cancelled'].includes((e.data as JobData).status);

before(async () => {
  srv = await feedServer();
  srv.route('/kev.json', (r) => withEtag(r, '"k1"', KEV_DOCUMENT));
  dir = await mkdtemp(join(tmpdir(), 'vigil-jobs-start-'));
  await mkdir(join(dir, 'clusters'));
  await writeFile(join(dir, 'clusters', 'prod.json'), JSON.stringify(CLUSTER_DUMP));
  t = await testApp({ workerConcurrency: 0, kevUrl: `${srv.origin}/kev.json`, postureSnapshotDir: dir, dataDir: join(dir, 'data') });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  a = await seedTenant(t.ctx, 'admin');
  b = await seedTenant(t.ctx, 'admin');
  tokenA = await login(t.app, a);
  tokenB = await login(t.app, b);
  viewerToken = await login(t.app, await addUser(t.ctx, a.tenantId, 'viewer'));
  runner = t.ctx.jobs.runner({ concurrency: 2, pollIntervalMs: 20, recoverIntervalMs: 0, schedules: false });
});

after(async () => {
  await runner.stop();
  await t.close();
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});

describe('starting work from the Jobs page', () => {
  test('GET /jobs/types: the types a tenant may start, with the feed registry in the payload schema', async () => {
    const res = await req('GET', '/api/v1/jobs/types', viewerToken);
    assert.equal(res.statusCode, 200);
    const items = res.json<{ items: { type: string; description: string; maxRunning: number | null; payload: { properties?: { sources?: { items?: { enum?: string[] } } } } }[] }>().items;
    const sync = items.find((i) => i.type === 'feeds.sync');
    assert.ok(sync, 'feeds.sync may be started by a tenant');
    assert.equal(sync.maxRunning, 1);
    assert.deepEqual(sync.payload.properties?.sources?.items?.enum, ['cve5', 'osv', 'nvd', 'kev', 'epss']);
    assert.ok(!items.some((i) => i.type === 'sessions.purge' || i.type === 'posture.collect'), 'maintenance and scans are not started through POST /jobs');
    assert.equal((await t.app.inject({ url: '/api/v1/jobs/types' })).statusCode, 401);
  });

  test('a feed sync: viewers refused, one per server, progress and end seen live', async () => {
    const refused = await req('POST', '/api/v1/jobs', viewerToken, { type: 'feeds.sync', payload: { sources: ['kev'] } });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.json<{ detail: string }>().detail, /Role "viewer" may not admin/);
    const bad = await req('POST', '/api/v1/jobs', tokenA, { type: 'feeds.sync', payload: { sources: ['nope'] } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json<{ errors: { pointer: string }[] }>().errors[0]?.pointer, '/body/payload/sources/0');

    const stream = await openStream(base, tokenA);
    const theirs = await openStream(base, tokenB);
    try {
      await new Promise((r) => setTimeout(r, 1200));
      const started = await req('POST', '/api/v1/jobs', tokenA, { type: 'feeds.sync', payload: { sources: ['kev'] } });
      assert.equal(started.statusCode, 201, started.body);
      const job = started.json<JobData>();
      const again = await req('POST', '/api/v1/jobs', tokenA, { type: 'feeds.sync', payload: { sources: ['kev'] } });
      assert.equal(again.statusCode, 200);
      assert.equal(again.json<JobData>().id, job.id);
      const other = await req('POST', '/api/v1/jobs', tokenB, { type: 'feeds.sync', payload: {} });
      assert.equal(other.statusCode, 409);
      assert.match(other.headers['content-type'] as string, /^application\/problem\+json/);
      assert.match(other.json<{ detail: string }>().detail, /a feed sync is already queued on this server/);
      runner.start();
      const end = await stream.waitFor(isEnd(job.id), 'the sync to end', 30_000);
      assert.equal((end.data as JobData).status, 'succeeded', (end.data as JobData).lastError ?? '');
      assert.deepEqual(((end.data as JobData).result as { sources: { source: string; status: string; records: number }[] }).sources.map((s) => [s.source, s.status, s.records]), [['kev', 'updated', 1]]);
      assert.ok(!theirs.events.some((e) => e.event === 'job' && (e.data as JobData).id === job.id), "tenant B does not see A's sync");
      const kevRow = await t.ctx.db.system((q) => q.query<{ n: number }>("SELECT count(*)::int AS n FROM kev_entries WHERE cve_id = 'CVE-2024-1111'"));
      assert.equal(kevRow.rows[0]?.n, 1, 'the synced catalogue is in the shared advisory database');
      const now = await req('POST', '/api/v1/jobs', tokenB, { type: 'feeds.sync', payload: { sources: ['kev'] } });
      assert.equal(now.statusCode, 201, 'once it ended, another tenant may sync');
      await theirs.waitFor(isEnd(now.json<JobData>().id), "B's sync to end", 30_000);
    } finally {
      stream.close();
      theirs.close();
    }
  });

  test('a cluster scan started through its endpoint appears in the stream and succeeds', async () => {
    const created = await req('POST', '/api/v1/clusters', tokenA, { provider: 'kubernetes', externalId: 'prod', scan: { config: { provider: 'snapshot', path: 'clusters/prod.json' } } });
    assert.equal(created.statusCode, 201, created.body);
    const clusterId = created.json<{ id: string }>().id;
    const stream = await openStream(base, tokenA);
    try {
      await new Promise((r) => setTimeout(r, 1200));
      const scan = await req('POST', `/api/v1/clusters/${clusterId}/scan`, tokenA);
      assert.equal(scan.statusCode, 202);
      const job = scan.json<JobData>();
      assert.equal(job.type, 'posture.collect');
      await stream.waitFor((e) => e.event === 'job' && (e.data as JobData).id === job.id, 'the new scan job');
      const end = await stream.waitFor(isEnd(job.id), 'the scan to end', 60_000);
      assert.equal((end.data as JobData).status, 'succeeded', (end.data as JobData).lastError ?? '');
      assert.ok(((end.data as JobData).result?.['findings'] as number) >= 1);
      const viewer = await req('POST', `/api/v1/clusters/${clusterId}/scan`, viewerToken);
      assert.equal(viewer.statusCode, 403);
    } finally {
      stream.close();
    }
  });
});
