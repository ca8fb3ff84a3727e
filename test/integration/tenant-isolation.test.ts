import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../../src/feeds/ingest.js';
import { FEED_PARSERS } from '../../src/feeds/registry.js';
import { routesOf } from '../../src/server/app.js';
import { bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';

/**
 * The cross-tenant walk: tenant B's admin calls every /api/v1 route that takes an id with
 * tenant A's ids and must get 404 (never data, never a change); every list B can see must
 * hold none of A's ids. Routes are read from the router, so a new route without a fixture
 * here fails this test until one is added.
 */
let t: TestApp;
let a: SeededUser;
let b: SeededUser;
let tokenA: string;
let tokenB: string;
/** Tenant A's ids, by the first path segment after /api/v1. */
const idsOfA: Record<string, string> = {};

/**
 * Resources every tenant shares by design: the vulnerability database (advisories, feed runs)
 * is public data, not tenant-owned. Their id routes are exempt from the walk; nothing
 * tenant-owned may be added under these names.
 */
const SHARED = new Set(['advisories', 'feeds']);

/** A valid body for routes that need one, so that validation passes and the id check is reached. */
const BODIES: Record<string, unknown> = {
  'PATCH /api/v1/tenant/members/{id}': { role: 'admin' },
  'PATCH /api/v1/users/{id}': { name: 'hijacked', role: 'admin' },
  'PATCH /api/v1/projects/{id}': { name: 'hijacked' },
  'PATCH /api/v1/findings/{id}': { state: 'in_triage' },
  'PUT /api/v1/clusters/{id}/scan-settings': { config: { provider: 'snapshot', path: 'x.json' } },
  'PUT /api/v1/accounts/{id}/scan-settings': { config: { provider: 'snapshot', path: 'x.json' } },
  'POST /api/v1/projects/{id}/vex': {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/x',
    author: 'b',
    timestamp: '2024-01-01T00:00:00Z',
    version: 1,
    statements: [{ vulnerability: { name: 'CVE-2024-35195' }, products: [{ '@id': 'pkg:pypi/requests' }], status: 'not_affected', justification: 'component_not_present' }],
  },
};
/**
 * Routes whose path parameter is a public key, not a tenant-owned id: a compliance framework
 * id. B asks with a real key and must get 200 holding none of A's records.
 */
const PUBLIC_KEYS: Record<string, string> = {
  compliance: 'pss-baseline',
};
/** Query strings a route needs to get past validation to its 404. */
const QUERIES: Record<string, string> = {
  'GET /api/v1/projects/{id}/diff': '?from=1.0.0&to=1.0.0',
};

before(async () => {
  t = await testApp();
  a = await seedTenant(t.ctx, 'admin');
  b = await seedTenant(t.ctx, 'admin');
  tokenA = await login(t.app, a);
  tokenB = await login(t.app, b);
  idsOfA['users'] = a.userId;
  const mem = await t.app.inject({ method: 'POST', url: '/api/v1/tenant/members', headers: bearer(tokenA), payload: { email: 'someone@elsewhere.test', role: 'viewer' } });
  assert.equal(mem.statusCode, 201);
  idsOfA['tenant'] = mem.json().id;
  const key = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(tokenA), payload: { name: 'a-key', role: 'viewer' } });
  assert.equal(key.statusCode, 201);
  idsOfA['api-keys'] = key.json().id;
  // No job type may be started through the API yet, so tenant A's job is enqueued directly.
  idsOfA['jobs'] = (await t.ctx.jobs.enqueue(a.tenantId, 'sessions.purge', {})).job.id;
  // An advisory for the uploaded package, so that tenant A has a finding.
  const osvDir = await mkdtemp(join(tmpdir(), 'vigil-iso-osv-'));
  await writeFile(
    join(osvDir, 'GHSA-9wx4-h78v-vm56.json'),
    JSON.stringify({
      id: 'GHSA-9wx4-h78v-vm56',
      modified: '2024-06-01T00:00:00Z',
      aliases: ['CVE-2024-35195'],
      affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.32.0' }] }] }],
    }),
  );
  await ingest(t.ctx.db, t.ctx.logger, [osvDir], { source: 'osv', parsers: FEED_PARSERS });
  await rm(osvDir, { recursive: true, force: true });
  const up = await t.app.inject({
    method: 'POST',
    url: '/api/v1/uploads?project=a-web&version=1.0.0&filename=requirements.txt',
    headers: { ...bearer(tokenA), 'content-type': 'text/plain' },
    payload: 'requests==2.31.0\n',
  });
  assert.equal(up.statusCode, 201, up.body);
  idsOfA['projects'] = up.json().project.id;
  assert.equal(up.json().findings.total, 1);
  const f = await t.app.inject({ url: '/api/v1/findings', headers: bearer(tokenA) });
  idsOfA['findings'] = f.json().items[0].id;
  // A posture scan with one finding. /posture/rules/{id} is the shared rule catalogue: no
  // rule has a UUID for an id, so the walk's 404 holds there too.
  const scan = await t.app.inject({
    method: 'POST',
    url: '/api/v1/posture/scans?project=a-infra',
    headers: { ...bearer(tokenA), 'content-type': 'application/json' },
    payload: {
      findings: [
        {
          ruleId: 'VGL-K8S-001',
          severity: 'high',
          title: 'Privileged container',
          status: 'fail',
          resource: { kind: 'k8s:Pod', id: 'Pod/default/a-secret-pod', name: 'a-secret-pod', provider: 'kubernetes' },
          location: { file: 'a.yaml', line: 1 },
          frameworks: [{ framework: 'pss-baseline', control: 'privileged' }],
          remediation: 'x',
        },
      ],
    },
  });
  assert.equal(scan.statusCode, 201, scan.body);
  idsOfA['posture'] = scan.json().id;
  // A collected cluster scan (a workload with a finding) and a cloud account scan.
  const finding = {
    ruleId: 'VGL-K8S-003',
    severity: 'critical',
    title: 'Privileged container',
    status: 'fail',
    resource: { kind: 'k8s:Pod', id: 'Pod/default/a-secret-pod', name: 'a-secret-pod', provider: 'kubernetes', namespace: 'default' },
    location: { file: 'cluster/a-cluster/default/Pod/a-secret-pod', line: 0 },
    frameworks: [{ framework: 'pss-baseline', control: 'Privileged Containers' }],
  };
  const cluster = await t.app.inject({
    method: 'POST',
    url: '/api/v1/scans',
    headers: bearer(tokenA),
    payload: {
      target: { provider: 'kubernetes', id: 'a-cluster', name: 'a-cluster', version: 'v1.31.2' },
      report: { findings: [finding], errors: [] },
      resources: [{ kind: 'k8s:Pod', id: 'Pod/default/a-secret-pod', name: 'a-secret-pod', namespace: 'default', images: ['a-registry.example/secret:1'] }],
    },
  });
  assert.equal(cluster.statusCode, 201, cluster.body);
  idsOfA['clusters'] = cluster.json().target.id;
  const workloads = await t.app.inject({ url: `/api/v1/clusters/${idsOfA['clusters']}/workloads`, headers: bearer(tokenA) });
  idsOfA['workloads'] = workloads.json().items[0].id;
  const account = await t.app.inject({
    method: 'POST',
    url: '/api/v1/scans',
    headers: bearer(tokenA),
    payload: { target: { provider: 'aws', id: '999988887777', name: 'a-account' }, report: { findings: [], errors: [] }, resources: [{ kind: 'aws:AWS::S3::Bucket', id: 'arn:aws:s3:::a-bucket', name: 'a-bucket' }] },
  });
  assert.equal(account.statusCode, 201, account.body);
  idsOfA['accounts'] = account.json().target.id;
});
after(() => t.close());

function routesWithId(): { method: string; path: string; url: string }[] {
  return routesOf(t.app)
    .filter((r) => r.url.startsWith('/api/v1/') && r.url.includes(':'))
    .map((r) => ({ method: r.method, path: r.url.replace(/:([A-Za-z]+)/g, '{$1}'), url: r.url }));
}

// Runs before the walk: afterwards B's own audit log rightly records the ids B tried.
test("no list shows another tenant's records", async () => {
  const lists = routesOf(t.app).filter((r) => r.method === 'GET' && r.url.startsWith('/api/v1/') && !r.url.includes(':') && r.permission !== undefined && r.permission !== 'public');
  assert.ok(lists.length >= 4);
  for (const r of lists) {
    const res = await t.app.inject({ url: r.url, headers: bearer(tokenB) });
    assert.equal(res.statusCode, 200, `${r.url}: ${res.body}`);
    for (const id of [...Object.values(idsOfA), a.tenantId]) assert.ok(!res.body.includes(id), `${r.url} shows tenant A's ${id}`);
    assert.ok(!res.body.includes('a-secret-pod'), `${r.url} shows tenant A's posture finding`);
    assert.ok(!res.body.includes(a.email), `${r.url} shows tenant A's email`);
  }
});

test('every route with an id answers 404 to another tenant', async () => {
  const routes = routesWithId();
  assert.ok(routes.length >= 5, 'the walk covers the id routes');
  for (const r of routes) {
    const resource = r.url.split('/')[3]!;
    if (SHARED.has(resource)) continue;
    const publicKey = PUBLIC_KEYS[resource];
    if (publicKey !== undefined) {
      const res = await t.app.inject({ method: r.method as 'GET', url: r.url.replace(/:[A-Za-z]+/g, publicKey), headers: bearer(tokenB) });
      assert.equal(res.statusCode, 200, `${r.method} ${r.path}: ${res.body}`);
      for (const id of [...Object.values(idsOfA), a.tenantId]) assert.ok(!res.body.includes(id), `${r.path} shows tenant A's ${id}`);
      assert.ok(!res.body.includes('a-cluster'), `${r.path} shows tenant A's cluster`);
      continue;
    }
    const id = idsOfA[resource];
    assert.ok(id, `no tenant-A fixture for "${resource}" (${r.method} ${r.path}): add one to this test`);
    const key = `${r.method} ${r.path}`;
    const url = r.url.replace(/:[A-Za-z]+/g, id) + (QUERIES[key] ?? '');
    const res = await t.app.inject({ method: r.method as 'GET', url, headers: bearer(tokenB), ...(key in BODIES ? { payload: BODIES[key] as object } : {}) });
    assert.equal(res.statusCode, 404, `${key} with tenant A's id gave ${res.statusCode}: ${res.body}`);
    assert.equal(res.json().type, 'urn:vigil:problem:not-found');
    assert.ok(!res.body.includes(a.email), `${key} leaked tenant A data`);
  }
  // Nothing of A's changed.
  const me = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(tokenA) });
  assert.equal(me.statusCode, 200, 'A is still there');
  assert.equal(me.json().user.name, '');
  assert.equal(me.json().user.role, 'admin');
  const k = await t.app.inject({ url: `/api/v1/api-keys/${idsOfA['api-keys']}`, headers: bearer(tokenA) });
  assert.equal(k.json().revokedAt, null, "B could not revoke A's key");
});

test('row-level security holds even without a WHERE clause', async () => {
  const rows = await t.ctx.db.tenant(b.tenantId, async (q) => (await q.query<{ tenant_id: string }>('SELECT tenant_id FROM users')).rows);
  assert.ok(rows.length >= 1);
  assert.ok(rows.every((r) => r.tenant_id === b.tenantId));
  const keys = await t.ctx.db.tenant(b.tenantId, async (q) => (await q.query('SELECT id FROM api_keys')).rows);
  assert.equal(keys.length, 0);
  const tenants = await t.ctx.db.tenant(b.tenantId, async (q) => (await q.query<{ id: string }>('SELECT id FROM tenants')).rows);
  assert.deepEqual(tenants.map((x) => x.id), [b.tenantId]);
});

test('row-level security refuses writing rows into another tenant', async () => {
  await assert.rejects(
    t.ctx.db.tenant(b.tenantId, (q) => q.query("INSERT INTO users (tenant_id, email, password_hash, role) VALUES ($1, 'x@evil.test', 'h', 'admin')", [a.tenantId])),
    /row-level security/,
  );
  await assert.rejects(t.ctx.db.tenant(b.tenantId, (q) => q.query('UPDATE users SET tenant_id = $1', [a.tenantId])), /row-level security/);
});

test('the application role cannot touch the audit log or system settings', async () => {
  await assert.rejects(t.ctx.db.tenant(b.tenantId, (q) => q.query('DELETE FROM audit_log')), /permission denied/);
  await assert.rejects(t.ctx.db.tenant(b.tenantId, (q) => q.query('SELECT * FROM system_settings')), /permission denied/);
  await assert.rejects(t.ctx.db.tenant(b.tenantId, (q) => q.query('SELECT * FROM login_failures')), /permission denied/);
});
