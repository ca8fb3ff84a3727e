import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostureScheduler, POSTURE_COLLECT } from '../../src/jobs/posture.js';
import type { Runner } from '../../src/jobs/runner.js';
import { createLogger } from '../../src/observability/logger.js';
import { bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';

/**
 * Scans the server runs itself (issue 7, section 5), on PGlite or on PostgreSQL with
 * DATABASE_URL: a cluster registered with settings naming a dump inside
 * VIGIL_POSTURE_SNAPSHOT_DIR, scanned now through the API (a posture.collect job run by the real
 * runner, collected by the real collector, stored as a scan with findings), fired by its cron
 * schedule exactly once per due time, refused settings (live collection off, paths outside the
 * folder, the wrong provider), another tenant seeing none of it, and deletion.
 */

let t: TestApp;
let admin: SeededUser;
let token: string;
let dir: string;
let outside: string;
let runner: Runner;

const silent = createLogger('silent');
const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, tok = token) =>
  t.app.inject({ method, url, headers: { ...bearer(tok), ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { payload: JSON.stringify(body) }) });

/** A one-namespace cluster dump with a privileged pod (the rules must find it). */
const dump = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', uid: 'ns-prod' } },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'prod', uid: 'pod-web' },
      spec: { containers: [{ name: 'web', image: 'nginx:1.25', securityContext: { privileged: true } }] },
    },
  ],
};

async function waitForJob(id: string, ms = 60_000): Promise<{ status: string; result: Record<string, unknown> | null; lastError: string | null }> {
  const until = Date.now() + ms;
  for (;;) {
    const res = await req('GET', `/api/v1/jobs/${id}`);
    const job = res.json<{ status: string; result: Record<string, unknown> | null; lastError: string | null }>();
    if (job.status === 'succeeded' || job.status === 'failed' || job.status === 'cancelled') return job;
    if (Date.now() > until) throw new Error(`job ${id} still ${job.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-snapshots-'));
  outside = await mkdtemp(join(tmpdir(), 'vigil-outside-'));
  await mkdir(join(dir, 'clusters'));
  await writeFile(join(dir, 'clusters', 'prod-eu.json'), JSON.stringify(dump));
  await writeFile(join(outside, 'secret.json'), JSON.stringify(dump));
  await symlink(join(outside, 'secret.json'), join(dir, 'clusters', 'escape.json'));
  t = await testApp({ postureSnapshotDir: dir, workerConcurrency: 0 });
  admin = await seedTenant(t.ctx, 'admin');
  token = await login(t.app, admin);
  runner = t.ctx.jobs.runner({ concurrency: 2, pollIntervalMs: 20, recoverIntervalMs: 0, schedules: false });
  runner.start();
});

after(async () => {
  await runner.stop();
  await t.close();
  await rm(dir, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

describe('server-side posture scans', () => {
  let clusterId = '';

  test('a cluster is registered with settings and scanned now: a posture.collect job stores a scan with findings', async () => {
    const created = await req('POST', '/api/v1/clusters', { provider: 'kubernetes', externalId: 'prod-eu', scan: { config: { provider: 'snapshot', path: 'clusters/prod-eu.json' } } });
    assert.equal(created.statusCode, 201, created.body);
    const target = created.json<{ id: string; scan: { config: { provider: string }; cron: string | null }; latestScan: unknown }>();
    assert.equal(target.scan.config.provider, 'snapshot');
    assert.equal(target.scan.cron, null);
    assert.equal(target.latestScan, null);
    clusterId = target.id;

    const again = await req('POST', '/api/v1/clusters', { provider: 'kubernetes', externalId: 'prod-eu', scan: { config: { provider: 'snapshot', path: 'clusters/prod-eu.json' } } });
    assert.equal(again.statusCode, 409);

    const started = await req('POST', `/api/v1/clusters/${clusterId}/scan`);
    assert.equal(started.statusCode, 202, started.body);
    const job = started.json<{ id: string; type: string }>();
    assert.equal(job.type, POSTURE_COLLECT);
    const twice = await req('POST', `/api/v1/clusters/${clusterId}/scan`);
    assert.ok(twice.json<{ id: string }>().id === job.id || (await waitForJob(job.id)).status === 'succeeded', 'an unfinished scan is not doubled');

    const done = await waitForJob(job.id);
    assert.equal(done.status, 'succeeded', done.lastError ?? '');
    assert.equal(done.result?.['targetId'], clusterId);
    assert.ok(Number(done.result?.['findings']) > 0, 'the privileged pod is found');

    const detail = (await req('GET', `/api/v1/clusters/${clusterId}`)).json<{ latestScan: { id: string; resources: number; findings: number; summary: { failed: number } } | null }>();
    assert.ok(detail.latestScan, 'the scan is stored with the target');
    assert.equal(detail.latestScan.id, done.result?.['scanId']);
    assert.ok(detail.latestScan.findings > 0);
    const one = await req('GET', `/api/v1/posture/scans/${detail.latestScan.id}`);
    assert.equal(one.statusCode, 200, one.body);
    const scanOut = one.json<{ source: string; projectId: string | null; targetId: string | null; targetName: string | null }>();
    assert.deepEqual([scanOut.source, scanOut.projectId, scanOut.targetId, scanOut.targetName], ['collector', null, clusterId, 'prod-eu'], 'a collected scan is readable like a project scan');
    const findings = (await req('GET', `/api/v1/posture/findings?target=${clusterId}&limit=100`)).json<{ items: { ruleId: string }[] }>();
    assert.ok(findings.items.length > 0, 'its findings are listed under the target');

    // Prometheus: per tenant and target, from the latest scan.
    const metrics = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
    const slug = admin.email.slice(admin.email.indexOf('@') + 1, -'.test'.length);
    const series = (name: string) => metrics.split('\n').filter((l) => l.startsWith(`${name}{`) && l.includes(`tenant="${slug}"`) && l.includes('target="prod-eu"'));
    const value = (line: string | undefined) => Number(line?.slice(line.lastIndexOf(' ') + 1));
    const severities = series('vigil_posture_findings');
    assert.equal(severities.length, 5, 'one series per severity');
    assert.equal(severities.reduce((n, l) => n + value(l), 0), detail.latestScan.summary.failed, 'the failing findings of the latest scan');
    assert.equal(value(series('vigil_posture_network_policy_coverage_ratio')[0]), 0, 'the only workload has no NetworkPolicy');
    assert.equal(value(series('vigil_posture_rbac_violations')[0]), 1, 'the pod runs as the default service account (VGL-K8S-021)');
    assert.ok(series('vigil_posture_compliance_ratio').some((l) => l.includes('framework="pss-baseline"')), 'compliance per framework');
    assert.ok(series('vigil_posture_risk_score').length === 1 && series('vigil_posture_scan_duration_seconds').length === 1);
  });

  test('a cron schedule fires once per due time, across schedulers', async () => {
    const set = await req('PUT', `/api/v1/clusters/${clusterId}/scan-settings`, { config: { provider: 'snapshot', path: 'clusters/prod-eu.json' }, cron: '*/5 * * * *' });
    assert.equal(set.statusCode, 200, set.body);
    const firedAt = set.json<{ scan: { firedAt: string } }>().scan.firedAt;
    assert.ok(firedAt, 'setting a schedule starts it from now');
    const a = new PostureScheduler(t.ctx.db, silent, 0);
    const b = new PostureScheduler(t.ctx.db, silent, 0);
    const now = new Date();
    assert.deepEqual(await a.tick(now), [], 'a due time before the schedule was set does not fire');
    const later = new Date(now.getTime() + 10 * 60_000);
    const fired = [...(await a.tick(later)), ...(await b.tick(later))];
    assert.equal(fired.length, 1, 'one job for one due time, whichever scheduler looks');
    assert.equal(fired[0]!.type, POSTURE_COLLECT);
    assert.deepEqual(fired[0]!.payload, { targetId: clusterId });
    assert.deepEqual(await a.tick(later), [], 'not again for the same due time');
    assert.equal((await waitForJob(fired[0]!.id)).status, 'succeeded');
    const trend = (await req('GET', `/api/v1/clusters/${clusterId}?trend=10`)).json<{ trend: unknown[] }>();
    assert.equal(trend.trend.length, 2, 'two scans now');
  });

  test('settings the server may not use are refused with where and why', async () => {
    const live = await req('PUT', `/api/v1/clusters/${clusterId}/scan-settings`, { config: { provider: 'kubernetes', context: 'prod' } });
    assert.equal(live.statusCode, 400, live.body);
    assert.match(live.body, /VIGIL_POSTURE_COLLECT/);
    for (const path of ['../outside/secret.json', '/etc/passwd']) {
      const r = await req('PUT', `/api/v1/clusters/${clusterId}/scan-settings`, { config: { provider: 'snapshot', path } });
      assert.equal(r.statusCode, 400, `${path}: ${r.body}`);
      assert.match(r.body, /\/body\/config\/path/);
    }
    const wrong = await req('PUT', `/api/v1/clusters/${clusterId}/scan-settings`, { config: { provider: 'snapshot', path: 'clusters/prod-eu.json', of: 'aws' } });
    assert.equal(wrong.statusCode, 400);
    const badCron = await req('PUT', `/api/v1/clusters/${clusterId}/scan-settings`, { config: { provider: 'snapshot', path: 'clusters/prod-eu.json' }, cron: 'every day' });
    assert.equal(badCron.statusCode, 400);
    const account = await req('POST', '/api/v1/accounts', { provider: 'kubernetes', externalId: 'x', scan: { config: { provider: 'snapshot', path: 'clusters/prod-eu.json' } } });
    assert.equal(account.statusCode, 400, 'a cluster is not an account');
  });

  test('a link leading out of the snapshot folder fails the scan, never reads the file', async () => {
    const created = await req('POST', '/api/v1/clusters', { provider: 'kubernetes', externalId: 'escape', scan: { config: { provider: 'snapshot', path: 'clusters/escape.json' } } });
    assert.equal(created.statusCode, 201, created.body);
    const job = (await req('POST', `/api/v1/clusters/${created.json<{ id: string }>().id}/scan`)).json<{ id: string }>();
    const done = await waitForJob(job.id);
    assert.equal(done.status, 'failed');
    assert.match(done.lastError ?? '', /outside VIGIL_POSTURE_SNAPSHOT_DIR/);
  });

  test('another tenant sees, scans and deletes none of it; an admin deletes the cluster with its scans', async () => {
    const other = await seedTenant(t.ctx, 'admin');
    const otherToken = await login(t.app, other);
    for (const [method, url] of [
      ['GET', `/api/v1/clusters/${clusterId}`],
      ['POST', `/api/v1/clusters/${clusterId}/scan`],
      ['DELETE', `/api/v1/clusters/${clusterId}/scan-settings`],
      ['DELETE', `/api/v1/clusters/${clusterId}`],
    ] as const) {
      assert.equal((await req(method, url, undefined, otherToken)).statusCode, 404, `${method} ${url}`);
    }
    const reader = await seedTenant(t.ctx, 'viewer');
    assert.equal((await req('POST', '/api/v1/clusters', { provider: 'kubernetes', externalId: 'r', scan: { config: { provider: 'snapshot', path: 'clusters/prod-eu.json' } } }, await login(t.app, reader))).statusCode, 403);

    const cleared = await req('DELETE', `/api/v1/clusters/${clusterId}/scan-settings`);
    assert.equal(cleared.json<{ scan: unknown }>().scan, null);
    assert.equal((await req('DELETE', `/api/v1/clusters/${clusterId}`)).statusCode, 204);
    assert.equal((await req('GET', `/api/v1/clusters/${clusterId}`)).statusCode, 404);
    assert.equal((await req('DELETE', `/api/v1/clusters/${clusterId}`)).statusCode, 404);
  });
});
