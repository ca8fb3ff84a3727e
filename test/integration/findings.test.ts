import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest } from '../../src/feeds/ingest.js';
import { FEED_PARSERS } from '../../src/feeds/registry.js';
import { rematchChanged } from '../../src/match/project.js';
import { checkSla } from '../../src/store/repos/slaCheck.js';
import { bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';

/**
 * Findings end to end on a real database: advisories imported through the feed pipeline,
 * inventories uploaded through the API, matched, triaged, carried to new versions, closed
 * and reopened by advisory changes, SLA breaches and events, tenant isolation.
 */

let t: TestApp;
let admin: SeededUser;
let token: string;
let ingestKey: string;
let dir: string;

const lock = (deps: Record<string, string>) =>
  JSON.stringify({
    name: 'web',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'web', version: '1.0.0', dependencies: Object.fromEntries(Object.keys(deps).map((d) => [d, '*'])) },
      ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v, resolved: `https://registry.npmjs.org/${n}/-/${n}-${v}.tgz` }])),
    },
  });

const upload = async (project: string, version: string, deps: Record<string, string>) => {
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/uploads?project=${project}&version=${version}&filename=package-lock.json`,
    headers: { authorization: `Bearer ${ingestKey}`, 'content-type': 'application/octet-stream' },
    payload: lock(deps),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
};

const osv = (id: string, pkg: string, fixed: string, extra: Record<string, unknown> = {}) => ({
  schema_version: '1.6.0',
  id,
  modified: '2024-01-01T00:00:00Z',
  published: '2023-06-01T00:00:00Z',
  summary: `${pkg} is vulnerable`,
  affected: [{ package: { ecosystem: 'npm', name: pkg }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }],
  ...extra,
});

async function importRecords(records: unknown[], sub: string): Promise<void> {
  const d = join(dir, sub);
  await rm(d, { recursive: true, force: true });
  await import('node:fs/promises').then((fs) => fs.mkdir(d, { recursive: true }));
  for (const r of records) await writeFile(join(d, `${(r as { id: string }).id}.json`), JSON.stringify(r));
  const report = await ingest(t.ctx.db, t.ctx.logger, [d], { source: 'osv', parsers: FEED_PARSERS });
  assert.equal(report.runs[0]?.counts.invalid ?? 0, 0);
}

const get = (url: string, tok = token) => t.app.inject({ method: 'GET', url, headers: bearer(tok) });

before(async () => {
  t = await testApp({ uploadLimit: 200_000 });
  admin = await seedTenant(t.ctx, 'admin');
  token = await login(t.app, admin);
  const k = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(token), payload: { name: 'ci', role: 'ingest' } });
  ingestKey = k.json().key;
  dir = await mkdtemp(join(tmpdir(), 'vigil-findings-'));
  await importRecords(
    [
      osv('GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.21', {
        aliases: ['CVE-2021-23337'],
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
        database_specific: { severity: 'HIGH' },
      }),
      osv('GHSA-xvch-5gv4-984h', 'minimist', '1.2.6', { aliases: ['CVE-2021-44906'], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }),
    ],
    'a',
  );
  const kev = join(dir, 'kev.json');
  await writeFile(
    kev,
    JSON.stringify({
      title: 'CISA Catalog of Known Exploited Vulnerabilities',
      catalogVersion: '2024.01.01',
      dateReleased: '2024-01-01T00:00:00.000Z',
      count: 1,
      vulnerabilities: [
        {
          cveID: 'CVE-2021-23337',
          vendorProject: 'lodash',
          product: 'lodash',
          vulnerabilityName: 'lodash command injection',
          dateAdded: '2023-12-01',
          shortDescription: 'x',
          requiredAction: 'update',
          dueDate: '2023-12-22',
          knownRansomwareCampaignUse: 'Unknown',
          notes: '',
          cwes: [],
        },
      ],
    }),
  );
  const epss = join(dir, 'epss_scores-2024-01-01.csv');
  await writeFile(epss, '#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000\ncve,epss,percentile\nCVE-2021-23337,0.5,0.99\nCVE-2021-44906,0.01,0.5\n');
  await ingest(t.ctx.db, t.ctx.logger, [kev], { source: 'kev', parsers: FEED_PARSERS });
  await ingest(t.ctx.db, t.ctx.logger, [epss], { source: 'epss', parsers: FEED_PARSERS });
});
after(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

let lodashId: string;
let minimistId: string;

test('an upload is matched at once: findings with CVSS, KEV, EPSS, fix and risk', async () => {
  const r = await upload('web', '1', { lodash: '4.17.20', minimist: '1.2.5', express: '4.18.2' });
  assert.equal(r.findings.total, 2);
  assert.equal(r.findings.created, 2);
  const list = await get('/api/v1/findings?sort=-risk');
  assert.equal(list.statusCode, 200, list.body);
  const items = list.json().items;
  assert.equal(items.length, 2);
  const lodash = items.find((f: { package: { name: string } }) => f.package.name === 'lodash');
  const minimist = items.find((f: { package: { name: string } }) => f.package.name === 'minimist');
  lodashId = lodash.id;
  minimistId = minimist.id;
  assert.equal(lodash.vulnId, 'CVE-2021-23337');
  assert.deepEqual(lodash.aliases, ['GHSA-35jh-r3h4-6jhm']);
  assert.equal(lodash.severity, 'high');
  assert.equal(lodash.cvssScore, 7.2);
  assert.equal(lodash.kev, true);
  assert.equal(lodash.epss, 0.5);
  assert.equal(lodash.fixedVersion, '4.17.21');
  assert.equal(lodash.finding.sourceSeverity, 'HIGH');
  assert.equal(lodash.finding.kev.dateAdded, '2023-12-01');
  assert.deepEqual(
    lodash.finding.risk.contributions.map((c: { factor: string }) => c.factor),
    ['cvss', 'epss', 'kev', 'fix', 'reachability', 'criticality'],
  );
  // 0.6 × 7.2 + 2 (EPSS ≥ 10 %) + 2 (KEV) + 0.5 (fix) = 8.82, direct, medium project.
  assert.equal(lodash.risk, 8.8);
  assert.equal(minimist.severity, 'critical');
  assert.ok(lodash.slaDueAt, 'an SLA due date is set');
  // KEV shortens the deadline to 14 days (default policy) from first sight.
  assert.ok(Math.abs(new Date(lodash.slaDueAt).getTime() - new Date(lodash.firstSeenAt).getTime() - 14 * 86_400_000) < 1000);
  const filtered = await get('/api/v1/findings?kev=true');
  assert.deepEqual(filtered.json().items.map((f: { id: string }) => f.id), [lodashId]);
  const byAlias = await get('/api/v1/findings?advisory=GHSA-35jh-r3h4-6jhm');
  assert.deepEqual(byAlias.json().items.map((f: { id: string }) => f.id), [lodashId]);
  const summary = await get(`/api/v1/projects/${r.project.id}/findings/summary`);
  assert.equal(summary.json().bySeverity.critical, 1);
  assert.equal(summary.json().kev, 1);
});

test('triage: rules per state, history, events; the decision carries to later versions', async () => {
  const bad = await t.app.inject({ method: 'PATCH', url: `/api/v1/findings/${minimistId}`, headers: bearer(token), payload: { state: 'not_affected' } });
  assert.equal(bad.statusCode, 400);
  assert.match(bad.body, /justification/);
  const noExpiry = await t.app.inject({ method: 'PATCH', url: `/api/v1/findings/${lodashId}`, headers: bearer(token), payload: { state: 'accepted_risk', reason: 'internal only' } });
  assert.equal(noExpiry.statusCode, 400);
  const ok = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/findings/${minimistId}`,
    headers: bearer(token),
    payload: { state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', reason: 'only the CLI parser uses it' },
  });
  assert.equal(ok.statusCode, 200, ok.body);
  assert.equal(ok.json().state, 'not_affected');
  assert.equal(ok.json().triage.by, `user:${admin.userId}`);
  const detail = await get(`/api/v1/findings/${minimistId}`);
  assert.deepEqual(detail.json().history.map((h: { to: string }) => h.to), ['not_affected']);
  // Who, when and why in the audit log too.
  const audit = (await get('/api/v1/audit?action=findings.update')).json().items;
  const rec = audit.find((r: { targetId: string; outcome: string }) => r.targetId === minimistId && r.outcome === 'success');
  assert.equal(rec.details.state, 'not_affected');
  assert.equal(rec.details.reason, 'only the CLI parser uses it');
  assert.equal(rec.actorId, admin.userId);
  // The default list hides it; the state filter shows it.
  assert.equal((await get('/api/v1/findings')).json().items.length, 1);
  assert.equal((await get('/api/v1/findings?state=not_affected')).json().items.length, 1);

  // v2: lodash upgraded (fixed), minimist unchanged (same row, decision kept).
  const v2 = await upload('web', '2', { lodash: '4.17.21', minimist: '1.2.5' });
  assert.equal(v2.findings.fixed, 1);
  assert.equal((await get(`/api/v1/findings/${lodashId}`)).json().state, 'fixed');
  assert.equal((await get(`/api/v1/findings/${minimistId}`)).json().state, 'not_affected');
  // v3: minimist at another vulnerable version: a new row that takes the decision.
  const v3 = await upload('web', '3', { lodash: '4.17.21', minimist: '1.2.4' });
  assert.equal(v3.findings.inherited, 1);
  const carried = (await get('/api/v1/findings?state=not_affected&package=minimist')).json().items;
  assert.equal(carried.length, 1);
  assert.equal(carried[0].package.version, '1.2.4');
  assert.equal(carried[0].triage.justification, 'vulnerable_code_not_in_execute_path');
  assert.equal((await get(`/api/v1/findings/${minimistId}`)).json().state, 'fixed', '1.2.5 is gone from v3');
  const events = (await get('/api/v1/events?type=finding.')).json().items.map((e: { type: string }) => e.type);
  for (const type of ['finding.created', 'finding.triaged', 'finding.fixed']) assert.ok(events.includes(type), type);
});

test('advisory changes re-match projects: a new advisory opens a finding, its withdrawal closes it', async () => {
  await rematchChanged(t.ctx.db, t.ctx.logger); // watermark after the setup imports
  await upload('api', '1', { express: '4.18.2' });
  assert.equal((await get('/api/v1/findings?package=express')).json().items.length, 0);
  await importRecords([osv('GHSA-qw6h-vgh9-j6wx', 'express', '4.19.2', { aliases: ['CVE-2024-29041'] })], 'b');
  const r1 = await rematchChanged(t.ctx.db, t.ctx.logger);
  assert.equal(r1.created, 1);
  const opened = (await get('/api/v1/findings?package=express')).json().items;
  assert.equal(opened.length, 1);
  assert.equal(opened[0].vulnId, 'CVE-2024-29041');
  const again = await rematchChanged(t.ctx.db, t.ctx.logger);
  assert.equal(again.projects, 0, 'nothing changed since: nothing re-matched');
  await importRecords([osv('GHSA-qw6h-vgh9-j6wx', 'express', '4.19.2', { aliases: ['CVE-2024-29041'], modified: '2024-02-01T00:00:00Z', withdrawn: '2024-02-01T00:00:00Z' })], 'c');
  const r2 = await rematchChanged(t.ctx.db, t.ctx.logger);
  assert.equal(r2.fixed, 1);
  assert.equal((await get(`/api/v1/findings/${opened[0].id}`)).json().state, 'fixed');
});

test('bulk triage by advisory across projects; SLA policy, breaches and their events', async () => {
  await upload('mobile', '1', { lodash: '4.17.20' });
  await upload('admin', '1', { lodash: '4.17.19' });
  const bulk = await t.app.inject({
    method: 'POST',
    url: '/api/v1/findings/triage',
    headers: bearer(token),
    payload: { filter: { advisory: 'CVE-2021-23337' }, state: 'accepted_risk', reason: 'WAF rule in place', expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() },
  });
  assert.equal(bulk.statusCode, 200, bulk.body);
  assert.equal(bulk.json().updated, 2, 'the two open lodash findings; the fixed one is left alone');

  const put = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/sla/policy',
    headers: bearer(token),
    payload: { criticalDays: 0, highDays: 0, mediumDays: 30, lowDays: 90, kevDays: null },
  });
  assert.equal(put.statusCode, 200, put.body);
  assert.equal(put.json().custom, true);
  await upload('cli', '1', { minimist: '1.2.0' });
  await new Promise((r) => setTimeout(r, 20));
  const breaches = (await get('/api/v1/sla/breaches')).json().items;
  assert.ok(breaches.some((f: { package: { name: string; version: string } }) => f.package.name === 'minimist' && f.package.version === '1.2.0'));
  assert.ok(!breaches.some((f: { state: string }) => f.state === 'accepted_risk'), 'accepted risks stop the clock');
  const checked = await t.ctx.db.system((q) => checkSla(q));
  assert.ok(checked.breached >= 1);
  assert.equal((await t.ctx.db.system((q) => checkSla(q))).breached, 0, 'each breach is reported once');
  const events = (await get('/api/v1/events?type=sla.breached')).json().items;
  assert.ok(events.length >= 1);
  assert.equal(events[0].payload.severity, 'critical');
});

test('findings are tenant-scoped; the scan API matches without storing', async () => {
  const other = await seedTenant(t.ctx, 'admin');
  const otherToken = await login(t.app, other);
  assert.equal((await get(`/api/v1/findings/${lodashId}`, otherToken)).statusCode, 404);
  assert.equal((await get('/api/v1/findings', otherToken)).json().items.length, 0);
  const triage = await t.app.inject({ method: 'PATCH', url: `/api/v1/findings/${lodashId}`, headers: bearer(otherToken), payload: { state: 'in_triage' } });
  assert.equal(triage.statusCode, 404);

  const scan = await t.app.inject({
    method: 'POST',
    url: '/api/v1/scan?filename=package-lock.json',
    headers: { ...bearer(otherToken), 'content-type': 'application/octet-stream' },
    payload: lock({ lodash: '4.17.20' }),
  });
  assert.equal(scan.statusCode, 200, scan.body);
  const report = scan.json();
  assert.equal(report.packages, 1);
  assert.deepEqual(report.findings.map((f: { id: string }) => f.id), ['CVE-2021-23337']);
  assert.equal(report.findings[0].package.purl, 'pkg:npm/lodash@4.17.20');
  assert.deepEqual(report.findings[0].fixedVersions, ['4.17.21']);
  const sarif = await t.app.inject({
    method: 'POST',
    url: '/api/v1/scan?filename=package-lock.json&format=sarif',
    headers: { ...bearer(otherToken), 'content-type': 'application/octet-stream' },
    payload: lock({ lodash: '4.17.20' }),
  });
  assert.equal(sarif.json().version, '2.1.0');
  assert.equal((await get('/api/v1/findings', otherToken)).json().items.length, 0, 'a scan stores nothing');
});

test('VEX: triage decisions export as OpenVEX and CycloneDX; an OpenVEX document imports as decisions', async () => {
  const projects = (await get('/api/v1/projects?q=web')).json().items;
  const web = projects.find((p: { name: string }) => p.name === 'web');
  const out = await get(`/api/v1/projects/${web.id}/vex?format=openvex`);
  assert.equal(out.statusCode, 200, out.body);
  assert.match(out.headers['content-type'] as string, /openvex/);
  const doc = out.json();
  assert.equal(doc['@context'], 'https://openvex.dev/ns/v0.2.0');
  const na = doc.statements.find((s: { status: string }) => s.status === 'not_affected');
  assert.equal(na.vulnerability.name, 'CVE-2021-44906');
  assert.equal(na.justification, 'vulnerable_code_not_in_execute_path');
  const cdx = await get(`/api/v1/projects/${web.id}/vex?format=cyclonedx`);
  assert.equal(cdx.statusCode, 200);
  assert.equal(cdx.json().bomFormat, 'CycloneDX');
  assert.ok(cdx.json().vulnerabilities.some((v: { analysis?: { state: string } }) => v.analysis?.state === 'not_affected'));

  // The mobile project's lodash finding is accepted (bulk triage above); cli's minimist is open.
  const cli = (await get('/api/v1/projects?q=cli')).json().items[0];
  const vex = {
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': 'https://example.com/vex/1',
    author: 'Security Team',
    timestamp: '2024-05-01T00:00:00Z',
    version: 1,
    statements: [
      {
        vulnerability: { name: 'GHSA-xvch-5gv4-984h' },
        products: [{ '@id': 'pkg:npm/minimist@1.2.0' }],
        status: 'not_affected',
        justification: 'vulnerable_code_not_present',
        impact_statement: 'the vulnerable function is not shipped',
      },
      { vulnerability: { name: 'CVE-1999-0001' }, products: [{ '@id': 'pkg:npm/nothing' }], status: 'not_affected', justification: 'component_not_present' },
    ],
  };
  const imp = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${cli.id}/vex`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: JSON.stringify(vex) });
  assert.equal(imp.statusCode, 200, imp.body);
  assert.equal(imp.json().format, 'openvex');
  assert.deepEqual(imp.json().applied, { not_affected: 1 });
  assert.equal(imp.json().unmatched, 1);
  const f = (await get(`/api/v1/findings?project=${cli.id}&state=not_affected`)).json().items;
  assert.equal(f.length, 1);
  assert.equal(f[0].triage.justification, 'vulnerable_code_not_present');
  assert.match(f[0].triage.reason, /not shipped/);
  const bad = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${cli.id}/vex`, headers: { ...bearer(token), 'content-type': 'application/json' }, payload: '{"hello": 1}' });
  assert.equal(bad.statusCode, 400);
});
