import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createProject } from '../../src/store/repos/projects.js';
import { bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';
import { daysAgo, insertChange, insertFinding, insertScan, insertTarget } from './historySeed.js';

/**
 * Dashboard history and aggregates (issue 8) on a real database (PGlite, or PostgreSQL with
 * DATABASE_URL): the findings trend replayed from first-seen times and state changes, the
 * posture trend per target, the projects' risk aggregate sorted on the server, the audit
 * filter by target, actor names in triage history; another tenant sees none of it, and bad
 * queries are problem+json 400s naming the parameter.
 */

let t: TestApp;
let a: SeededUser;
let b: SeededUser;
let ta: string;
let tb: string;
const ids = {} as Record<'p1' | 'p2' | 'p3' | 'f1' | 'f2' | 'f3' | 'f4' | 'f5' | 'f6' | 'cluster' | 'account', string>;

const get = async (url: string, token = ta) => t.app.inject({ url, headers: bearer(token) });

before(async () => {
  t = await testApp();
  a = await seedTenant(t.ctx, 'admin');
  b = await seedTenant(t.ctx, 'admin');
  ta = await login(t.app, a);
  tb = await login(t.app, b);
  const project = async (name: string) => (await t.ctx.db.tenant(a.tenantId, (q) => createProject(q, a.tenantId, { name, kind: 'application' })))!.id;
  ids['p1'] = await project('alpha');
  ids['p2'] = await project('beta');
  ids['p3'] = await project('gamma');
  const f = (x: Parameters<typeof insertFinding>[2]) => insertFinding(t.ctx, a.tenantId, x);
  // Window of 10 days: index 0 = 9 days ago, index 9 = today.
  ids['f1'] = await f({ projectId: ids['p1'], vulnId: 'CVE-2024-0001', severity: 'critical', firstSeen: daysAgo(20), risk: 9, kev: true, epss: 0.5 });
  ids['f2'] = await f({ projectId: ids['p1'], vulnId: 'CVE-2024-0002', severity: 'high', firstSeen: daysAgo(5), risk: 7 });
  await insertChange(t.ctx, a.tenantId, ids['f2'], daysAgo(2), 'open', 'fixed');
  ids['f3'] = await f({ projectId: ids['p1'], vulnId: 'CVE-2024-0003', severity: 'medium', firstSeen: daysAgo(8), risk: 5, epss: 0.02 });
  await insertChange(t.ctx, a.tenantId, ids['f3'], daysAgo(6), 'open', 'accepted_risk', `user:${a.userId}`);
  await insertChange(t.ctx, a.tenantId, ids['f3'], daysAgo(3), 'accepted_risk', 'open', 'system:sla');
  ids['f4'] = await f({ projectId: ids['p2'], vulnId: 'CVE-2024-0004', severity: 'low', firstSeen: daysAgo(30), risk: 2 });
  await insertChange(t.ctx, a.tenantId, ids['f4'], daysAgo(15), 'open', 'fixed');
  ids['f5'] = await f({ projectId: ids['p2'], vulnId: 'CVE-2024-0005', severity: 'unknown', firstSeen: daysAgo(0), risk: 2 });
  await insertChange(t.ctx, a.tenantId, ids['f5'], daysAgo(0), 'open', 'in_triage', `user:${randomUUID()}`);
  // Created with a carried decision: never open.
  ids['f6'] = await f({ projectId: ids['p2'], vulnId: 'CVE-2024-0006', severity: 'high', firstSeen: daysAgo(4), risk: 7, state: 'not_affected' });
  await insertChange(t.ctx, a.tenantId, ids['f6'], daysAgo(4), null, 'not_affected', 'system:match');

  const cluster = await insertTarget(t.ctx, a.tenantId, 'kubernetes', 'prod-eks');
  const account = await insertTarget(t.ctx, a.tenantId, 'aws', '123456789012');
  ids['cluster'] = cluster;
  ids['account'] = account;
  await insertScan(t.ctx, a.tenantId, { targetId: cluster, at: new Date(daysAgo(5).getTime() - 3_600_000), risk: 6, failed: 12, compliance: [{ framework: 'cis-k8s', compliance: 50 }] });
  await insertScan(t.ctx, a.tenantId, { targetId: cluster, at: daysAgo(5), risk: 5.5, failed: 10, compliance: [{ framework: 'cis-k8s', compliance: 60 }] });
  await insertScan(t.ctx, a.tenantId, { targetId: cluster, at: daysAgo(1), risk: 4, failed: 8, compliance: [{ framework: 'cis-k8s', compliance: 70 }] });
  await insertScan(t.ctx, a.tenantId, { targetId: account, at: daysAgo(40), risk: 9, failed: 40 });
  await insertScan(t.ctx, a.tenantId, { targetId: account, at: daysAgo(10), risk: 7, failed: 30 });
  await insertScan(t.ctx, a.tenantId, { projectId: ids['p1'], at: daysAgo(2), risk: null, failed: 3 });
});
after(() => t.close());

type Trend = { days: number; points: { date: string; total: number; bySeverity: Record<string, number> }[] };

const series = (tr: Trend, sev: string) => tr.points.map((p) => p.bySeverity[sev]);

test('findings trend: open findings per severity per day, replayed from first seen and state changes', async () => {
  const res = await get('/api/v1/findings/trend?days=10');
  assert.equal(res.statusCode, 200, res.body);
  const tr = res.json<Trend>();
  assert.equal(tr.days, 10);
  assert.equal(tr.points.length, 10);
  assert.equal(tr.points[9]!.date, new Date().toISOString().slice(0, 10));
  assert.equal(tr.points[0]!.date, daysAgo(9).toISOString().slice(0, 10));
  assert.deepEqual(series(tr, 'critical'), [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 'opened before the window: open every day');
  assert.deepEqual(series(tr, 'high'), [0, 0, 0, 0, 1, 1, 1, 0, 0, 0], 'opened 5 days ago, fixed 2 days ago; the carried not_affected never counts');
  assert.deepEqual(series(tr, 'medium'), [0, 1, 1, 0, 0, 0, 1, 1, 1, 1], 'accepted 6 days ago, the acceptance expired 3 days ago');
  assert.deepEqual(series(tr, 'low'), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 'fixed before the window');
  assert.deepEqual(series(tr, 'unknown'), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 'in triage counts as open');
  assert.deepEqual(tr.points.map((p) => p.total), [1, 2, 2, 1, 2, 2, 3, 2, 2, 3]);
  // Today's point agrees with the summary.
  const summary = (await get('/api/v1/findings/summary')).json<{ active: number; bySeverity: Record<string, number> }>();
  assert.equal(tr.points[9]!.total, summary.active);
  for (const [sev, n] of Object.entries(summary.bySeverity)) assert.equal(tr.points[9]!.bySeverity[sev], n, sev);
});

test('findings trend: project filter, default window, empty tenant', async () => {
  const one = (await get(`/api/v1/findings/trend?days=10&project=${ids['p2']}`)).json<Trend>();
  assert.deepEqual(one.points.map((p) => p.total), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
  const both = (await get(`/api/v1/findings/trend?days=3&project=${ids['p1']},${ids['p2']}`)).json<Trend>();
  assert.deepEqual(both.points.map((p) => p.total), [2, 2, 3]);
  const def = (await get('/api/v1/findings/trend')).json<Trend>();
  assert.equal(def.days, 90);
  assert.equal(def.points.length, 90);
  assert.equal(def.points[89]!.total, 3);
  const other = await get('/api/v1/findings/trend?days=10', tb);
  assert.equal(other.statusCode, 200);
  assert.ok(other.json<Trend>().points.every((p) => p.total === 0), 'another tenant sees none of them');
  const foreign = (await get(`/api/v1/findings/trend?days=10&project=${ids['p1']}`, tb)).json<Trend>();
  assert.ok(foreign.points.every((p) => p.total === 0), "naming another tenant's project shows nothing");
});

const badRequest = async (url: string, param: string) => {
  const res = await get(url);
  assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
  assert.match(String(res.headers['content-type']), /application\/problem\+json/);
  const p = res.json<{ detail: string; errors?: { pointer: string }[] }>();
  assert.ok(JSON.stringify(p).includes(param), `${url}: the problem names ${param}: ${res.body}`);
};

test('trend, projects and audit queries: bad parameters are problem+json 400s naming them', async () => {
  await badRequest('/api/v1/findings/trend?days=0', 'days');
  await badRequest('/api/v1/findings/trend?days=400', 'days');
  await badRequest('/api/v1/findings/trend?days=ten', 'days');
  await badRequest('/api/v1/findings/trend?project=nope', 'project');
  await badRequest('/api/v1/findings/trend?severity=high', 'severity');
  await badRequest('/api/v1/posture/trend?days=-1', 'days');
  await badRequest('/api/v1/posture/trend?kind=printer', 'kind');
  await badRequest('/api/v1/posture/trend?target=1,2', 'target');
  await badRequest('/api/v1/projects?sort=-danger', 'sort');
  await badRequest('/api/v1/audit?actorType=robot', 'actorType');
  await badRequest(`/api/v1/audit?targetId=${'x'.repeat(300)}`, 'targetId');
});

type PTrend = { days: number; items: { id: string; kind: string; provider: string | null; name: string; points: { date: string; risk: number | null; failed: number; compliance: Record<string, number> }[] }[] };

test('posture trend: the latest scan of each day per cluster, account and project upload', async () => {
  const res = await get('/api/v1/posture/trend?days=30');
  assert.equal(res.statusCode, 200, res.body);
  const tr = res.json<PTrend>();
  assert.deepEqual(tr.items.map((i) => [i.kind, i.name]), [['account', '123456789012'], ['cluster', 'prod-eks'], ['upload', 'alpha']]);
  const cluster = tr.items.find((i) => i.kind === 'cluster')!;
  assert.equal(cluster.id, ids['cluster']);
  assert.deepEqual(cluster.points.map((p) => [p.date, p.risk, p.failed]), [
    [daysAgo(5).toISOString().slice(0, 10), 5.5, 10],
    [daysAgo(1).toISOString().slice(0, 10), 4, 8],
  ]);
  assert.deepEqual(cluster.points[1]!.compliance, { 'cis-k8s': 70 });
  const account = tr.items.find((i) => i.kind === 'account')!;
  assert.deepEqual(account.points.map((p) => p.risk), [7], 'the scan 40 days ago is outside the window');
  const upload = tr.items.find((i) => i.kind === 'upload')!;
  assert.equal(upload.id, ids['p1']);
  assert.deepEqual(upload.points.map((p) => [p.risk, p.failed]), [[null, 3]]);

  const one = (await get(`/api/v1/posture/trend?days=60&target=${ids['account']}`)).json<PTrend>();
  assert.deepEqual(one.items.map((i) => i.points.map((p) => p.risk)), [[9, 7]]);
  const clusters = (await get('/api/v1/posture/trend?days=30&kind=cluster')).json<PTrend>();
  assert.deepEqual(clusters.items.map((i) => i.name), ['prod-eks']);
  const limited = (await get('/api/v1/posture/trend?days=30&limit=1')).json<PTrend>();
  assert.deepEqual(limited.items.map((i) => i.name), ['prod-eks'], 'the most recently scanned target');
  const other = await get('/api/v1/posture/trend?days=60', tb);
  assert.equal(other.statusCode, 200);
  assert.deepEqual(other.json<PTrend>().items, [], 'another tenant sees none of it');
});

type PList = { items: { id: string; name: string; findings: { open: number; bySeverity: Record<string, number>; kev: number; maxEpss: number | null; maxRisk: number | null; risk: number } }[]; nextCursor: string | null };

test('projects list: open findings by severity, KEV, max EPSS and risk, sorted by risk on the server', async () => {
  const res = await get('/api/v1/projects?sort=-risk');
  assert.equal(res.statusCode, 200, res.body);
  const list = res.json<PList>();
  assert.deepEqual(list.items.map((p) => [p.name, p.findings.risk]), [['alpha', 14], ['beta', 2], ['gamma', 0]]);
  const alpha = list.items[0]!.findings;
  assert.equal(alpha.open, 2);
  assert.equal(alpha.kev, 1);
  assert.equal(alpha.maxEpss, 0.5);
  assert.equal(alpha.maxRisk, 9);
  assert.deepEqual(alpha.bySeverity, { critical: 1, high: 0, medium: 1, low: 0, none: 0, unknown: 0 });
  const gamma = list.items[2]!.findings;
  assert.deepEqual([gamma.open, gamma.kev, gamma.maxEpss, gamma.maxRisk], [0, 0, null, null]);
  // Keyset pages in risk order, ascending too.
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page: PList = (await get(`/api/v1/projects?sort=risk&limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json<PList>();
    names.push(...page.items.map((p) => p.name));
    cursor = page.nextCursor;
  } while (cursor && names.length < 10);
  assert.deepEqual(names, ['gamma', 'beta', 'alpha']);
  assert.deepEqual((await get('/api/v1/projects?sort=-kev&limit=1')).json<PList>().items.map((p) => p.name), ['alpha']);
  // The highest EPSS is not kept in finding_stats: this sort aggregates the findings (no EPSS sorts last).
  const byEpss = (await get('/api/v1/projects?sort=-maxEpss')).json<PList>().items;
  assert.deepEqual(byEpss.map((p) => p.findings.maxEpss), [0.5, null, null]);
  assert.equal(byEpss[0]!.name, 'alpha');
  assert.deepEqual((await get('/api/v1/projects?sort=-open&q=be')).json<PList>().items.map((p) => p.name), ['beta']);
  assert.deepEqual((await get('/api/v1/projects?sort=-risk', tb)).json<PList>().items, [], 'another tenant sees none of them');
  // Sorted by name the page is chosen first and only its projects aggregated: the same figures.
  const byName: PList['items'] = [];
  cursor = null;
  do {
    const page: PList = (await get(`/api/v1/projects?sort=-name&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json<PList>();
    byName.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && byName.length < 10);
  assert.deepEqual(byName.map((p) => p.name), ['gamma', 'beta', 'alpha']);
  const byRisk = new Map(list.items.map((p) => [p.name, p.findings]));
  for (const p of byName) assert.deepEqual(p.findings, byRisk.get(p.name), p.name);
  assert.deepEqual((await get('/api/v1/projects?sort=name', tb)).json<PList>().items, [], 'another tenant sees none of them by name either');
});

type Audit = { items: { action: string; targetType: string | null; targetId: string | null; actorType: string }[] };

test('audit filter by target, and actor names in triage history', async () => {
  const key = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(ta), payload: { name: 'ci-bot', role: 'analyst' } });
  assert.equal(key.statusCode, 201, key.body);
  const triage = async (auth: string, state: string) => {
    const r = await t.app.inject({ method: 'PATCH', url: `/api/v1/findings/${ids['f1']}`, headers: { authorization: `Bearer ${auth}` }, payload: { state } });
    assert.equal(r.statusCode, 200, r.body);
  };
  await triage(ta, 'in_triage');
  await triage(key.json<{ key: string }>().key, 'open');

  const res = await get(`/api/v1/audit?targetType=findings&targetId=${ids['f1']}`);
  assert.equal(res.statusCode, 200, res.body);
  const items = res.json<Audit>().items;
  assert.equal(items.length, 2);
  assert.ok(items.every((i) => i.targetType === 'findings' && i.targetId === ids['f1'] && i.action === 'findings.update'));
  assert.deepEqual(items.map((i) => i.actorType), ['apikey', 'user'], 'newest first');
  assert.equal((await get(`/api/v1/audit?targetType=findings&targetId=${ids['f1']}&actorType=user`)).json<Audit>().items.length, 1);
  assert.equal((await get(`/api/v1/audit?targetType=findings&targetId=${ids['f2']}`)).json<Audit>().items.length, 0, 'empty');
  assert.equal((await get(`/api/v1/audit?targetType=projects&targetId=${ids['f1']}`)).json<Audit>().items.length, 0);
  assert.equal((await get(`/api/v1/audit?targetId=${ids['f1']}`, tb)).json<Audit>().items.length, 0, 'another tenant sees none of them');

  const f1 = (await get(`/api/v1/findings/${ids['f1']}`)).json<{ history: { actor: string; actorType: string; actorName: string; to: string }[] }>();
  assert.deepEqual(
    f1.history.map((h) => [h.to, h.actorType, h.actorName]),
    [
      ['in_triage', 'user', a.email],
      ['open', 'apikey', 'API key "ci-bot"'],
    ],
  );
  const f3 = (await get(`/api/v1/findings/${ids['f3']}`)).json<{ history: { actorType: string; actorName: string }[] }>();
  assert.deepEqual(f3.history.map((h) => [h.actorType, h.actorName]), [['user', a.email], ['system', 'Vigil (sla)']]);
  const f5 = (await get(`/api/v1/findings/${ids['f5']}`)).json<{ history: { actor: string; actorType: string; actorName: string }[] }>();
  assert.equal(f5.history[0]!.actorType, 'user');
  assert.equal(f5.history[0]!.actorName, f5.history[0]!.actor, 'an unknown user shows as recorded');
  // Another tenant's user id never resolves to a name.
  await insertChange(t.ctx, a.tenantId, ids['f5'], new Date(), 'in_triage', 'open', `user:${b.userId}`);
  const again = (await get(`/api/v1/findings/${ids['f5']}`)).json<{ history: { actor: string; actorName: string }[] }>();
  assert.equal(again.history[1]!.actorName, `user:${b.userId}`);
});

test('a triage through the API closes the finding in the trend from today on', async () => {
  const r = await t.app.inject({ method: 'PATCH', url: `/api/v1/findings/${ids['f1']}`, headers: bearer(ta), payload: { state: 'false_positive', reason: 'test fixture' } });
  assert.equal(r.statusCode, 200, r.body);
  const tr = (await get('/api/v1/findings/trend?days=3')).json<Trend>();
  assert.deepEqual(series(tr, 'critical'), [1, 1, 0]);
  const list = (await get('/api/v1/projects?sort=-risk&limit=1')).json<PList>();
  assert.deepEqual([list.items[0]!.name, list.items[0]!.findings.risk, list.items[0]!.findings.kev], ['alpha', 5, 0]);
});
