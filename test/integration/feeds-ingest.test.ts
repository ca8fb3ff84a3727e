import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipOf } from '../helpers/zip.js';
import { ingest } from '../../src/feeds/ingest.js';
import { FEED_PARSERS } from '../../src/feeds/registry.js';
import { mergedAdvisory } from '../../src/store/repos/advisoryQueries.js';
import { quarantineOf } from '../../src/store/repos/feedRuns.js';
import { bearer, login, seedTenant, testApp, type TestApp } from '../helpers/app.js';

let t: TestApp;
let dir: string;

const osv = (id: string, modified: string, extra: Record<string, unknown> = {}) => ({
  schema_version: '1.6.0',
  id,
  modified,
  published: '2024-01-02T00:00:00Z',
  aliases: ['CVE-2024-1111'],
  summary: `Prototype pollution in widget (${id})`,
  details: 'An attacker can pollute Object.prototype through crafted keys.',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [{ package: { ecosystem: 'npm', name: 'widget', purl: 'pkg:npm/widget' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }] }],
  references: [{ type: 'ADVISORY', url: 'https://example.test/adv' }],
  ...extra,
});

const cve5 = (state: 'PUBLISHED' | 'REJECTED') => ({
  dataType: 'CVE_RECORD',
  dataVersion: '5.1',
  cveMetadata: { cveId: 'CVE-2024-1111', assignerOrgId: '00000000-0000-4000-8000-000000000000', state, datePublished: '2024-01-01T00:00:00.000Z', dateUpdated: '2024-02-01T00:00:00.000Z' },
  containers: {
    cna: {
      providerMetadata: { orgId: '00000000-0000-4000-8000-000000000000', shortName: 'example' },
      title: 'Widget prototype pollution',
      descriptions: [{ lang: 'en', value: 'Widget before 1.2.3 allows prototype pollution.' }],
      affected: [{ vendor: 'example', product: 'widget', versions: [{ version: '0', lessThan: '1.2.3', status: 'affected', versionType: 'semver' }] }],
      problemTypes: [{ descriptions: [{ lang: 'en', description: 'CWE-1321 Prototype Pollution', cweId: 'CWE-1321', type: 'CWE' }] }],
      references: [{ url: 'https://example.test/cve' }],
      metrics: [{ cvssV3_1: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N', baseScore: 8.1, baseSeverity: 'HIGH' } }],
    },
  },
});

async function zip(path: string, entries: Record<string, string>): Promise<void> {
  await writeFile(path, await zipOf(entries));
}

before(async () => {
  t = await testApp();
  dir = await mkdtemp(join(tmpdir(), 'vigil-ingest-'));
  await mkdir(join(dir, 'osv'));
  await writeFile(join(dir, 'osv', 'GHSA-aaaa-bbbb-cccc.json'), JSON.stringify(osv('GHSA-aaaa-bbbb-cccc', '2024-03-01T00:00:00Z')));
  await writeFile(join(dir, 'osv', 'broken.json'), '{"schema_version":"1.6.0","id":"GHSA-bad","affected":[],"modified":');
  await zip(join(dir, 'osv', 'all.zip'), {
    'PYSEC-2024-1.json': JSON.stringify(osv('PYSEC-2024-1', '2024-03-02T00:00:00Z', { aliases: ['GHSA-aaaa-bbbb-cccc'] })),
    'NOTMODIFIED.json': JSON.stringify({ schema_version: '1.6.0', id: 'OSV-NO-MODIFIED', affected: [] }),
  });
  await writeFile(join(dir, 'CVE-2024-1111.json'), JSON.stringify(cve5('PUBLISHED')));
  await writeFile(join(dir, 'kev.json'), JSON.stringify({
    title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion: '2025.08.25', dateReleased: '2025-08-25T17:00:50.6574Z', count: 1,
    vulnerabilities: [{ cveID: 'CVE-2024-1111', vendorProject: 'Example', product: 'Widget', vulnerabilityName: 'Widget PP', dateAdded: '2025-01-10', shortDescription: 'x', requiredAction: 'Patch', dueDate: '2025-01-31', knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: ['CWE-1321'] }],
  }));
  await writeFile(join(dir, 'epss_scores-2025-08-25.csv'), '#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\ncve,epss,percentile\nCVE-2024-1111,0.91234,0.99500\nCVE-2024-BAD,2,0.1\n');
});
after(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

test('imports a mixed tree: each record new, invalid ones quarantined, good ones around them kept', async () => {
  const report = await ingest(t.ctx.db, t.ctx.logger, [dir, join(dir, 'missing')], { source: 'auto', parsers: FEED_PARSERS });
  const by = Object.fromEntries(report.runs.map((r) => [r.source, r.counts]));
  assert.equal(by['osv']?.new, 2, JSON.stringify(by));
  assert.equal(by['osv']?.invalid, 2, 'broken JSON and the record without modified');
  assert.equal(by['cve5']?.new, 1);
  assert.equal(by['kev']?.new, 1);
  assert.equal(by['epss']?.new, 1);
  assert.equal(by['epss']?.invalid, 1);
  assert.equal(report.fileErrors.length, 1);
  assert.match(report.fileErrors[0]!.path, /missing$/);
  const osvRun = report.runs.find((r) => r.source === 'osv')!;
  const q = await t.ctx.db.system((x) => quarantineOf(x, osvRun.runId));
  assert.equal(q.length, 2);
  assert.ok(q.some((i) => i.file.endsWith('broken.json') && i.reason.length > 0));
  assert.ok(q.some((i) => i.entry === 'NOTMODIFIED.json' && i.recordId === 'OSV-NO-MODIFIED'));
});

test('re-importing the same input changes nothing', async () => {
  const report = await ingest(t.ctx.db, t.ctx.logger, [dir], { source: 'auto', parsers: FEED_PARSERS });
  for (const r of report.runs) {
    assert.equal(r.counts.new, 0, `${r.source} new`);
    assert.equal(r.counts.updated, 0, `${r.source} updated`);
  }
  assert.equal(report.runs.find((r) => r.source === 'osv')?.counts.unchanged, 2);
});

test('any alias resolves to the merged group with CVSS scored by the library, KEV and EPSS', async () => {
  for (const id of ['CVE-2024-1111', 'cve-2024-1111', 'GHSA-AAAA-BBBB-CCCC', 'PYSEC-2024-1']) {
    const m = await t.ctx.db.system((q) => mergedAdvisory(q, id));
    assert.ok(m, id);
    assert.equal(m.id, 'CVE-2024-1111');
    assert.deepEqual(m.aliases, ['GHSA-aaaa-bbbb-cccc', 'PYSEC-2024-1']);
  }
  const m = (await t.ctx.db.system((q) => mergedAdvisory(q, 'PYSEC-2024-1')))!;
  assert.deepEqual(m.cvss.map((c) => [c.source, c.score]).sort(), [['cna:example', 8.1], ['osv:GHSA', 9.8], ['osv:PYSEC', 9.8]].sort());
  assert.equal(m.severity, 'critical');
  assert.equal(m.kev?.dateAdded, '2025-01-10');
  assert.equal(m.kev?.dueDate, '2025-01-31');
  assert.equal(m.epss?.score, 0.91234);
  assert.deepEqual(m.cwes, ['CWE-1321']);
  const pkg = m.affected.find((a) => a.kind === 'package');
  assert.ok(pkg && pkg.kind === 'package');
  assert.deepEqual(pkg.ranges[0]!.events, [{ introduced: '0' }, { fixed: '1.2.3' }]);
});

test('the API lists, filters and shows advisories, and records runs', async () => {
  const u = await seedTenant(t.ctx, 'viewer');
  const token = await login(t.app, u);
  const show = await t.app.inject({ url: '/api/v1/advisories/pysec-2024-1', headers: bearer(token) });
  assert.equal(show.statusCode, 200, show.body);
  assert.equal(show.json().id, 'CVE-2024-1111');
  assert.equal((await t.app.inject({ url: '/api/v1/advisories/CVE-1999-0000', headers: bearer(token) })).statusCode, 404);
  const list = (q: string) => t.app.inject({ url: `/api/v1/advisories?${q}`, headers: bearer(token) }).then((r) => r.json());
  assert.deepEqual((await list('q=prototype%20pollution')).items.map((i: { id: string }) => i.id).sort(), ['CVE-2024-1111', 'GHSA-aaaa-bbbb-cccc', 'PYSEC-2024-1']);
  assert.deepEqual((await list('ecosystem=npm&package=widget')).items.length, 2);
  assert.deepEqual((await list('kev=true&source=cve5')).items.map((i: { id: string }) => i.id), ['CVE-2024-1111']);
  assert.equal((await list('cvssMin=9')).items.length, 2);
  // Per record, EPSS follows the record's own CVE id or CVE alias (PYSEC-2024-1 names only the GHSA).
  assert.deepEqual((await list('epssMin=0.9')).items.map((i: { id: string }) => i.id).sort(), ['CVE-2024-1111', 'GHSA-aaaa-bbbb-cccc']);
  assert.equal((await list('vendor=example&product=widget')).items.length, 1);
  const page1 = await list('limit=1&sort=-cvss');
  assert.equal(page1.items.length, 1);
  const page2 = await list(`limit=5&sort=-cvss&cursor=${page1.nextCursor}`);
  assert.ok(!page2.items.some((i: { id: string; source: string }) => i.id === page1.items[0].id && i.source === page1.items[0].source));
  const runs = await t.app.inject({ url: '/api/v1/feeds/runs', headers: bearer(token) });
  assert.equal(runs.statusCode, 200);
  const osvRun = runs.json().items.find((r: { source: string; invalid: number }) => r.source === 'osv' && r.invalid === 2);
  assert.ok(osvRun);
  const one = await t.app.inject({ url: `/api/v1/feeds/runs/${osvRun.id}`, headers: bearer(token) });
  assert.equal(one.json().quarantine.length, 2);
});

test('a newer record wins, an older one is ignored; rejection is marked, never deleted', async () => {
  const newer = join(dir, 'newer');
  await mkdir(newer);
  await writeFile(join(newer, 'GHSA-aaaa-bbbb-cccc.json'), JSON.stringify(osv('GHSA-aaaa-bbbb-cccc', '2024-05-01T00:00:00Z', { summary: 'Updated summary' })));
  let r = await ingest(t.ctx.db, t.ctx.logger, [newer], { source: 'osv', parsers: FEED_PARSERS });
  assert.equal(r.runs[0]!.counts.updated, 1);
  await writeFile(join(newer, 'GHSA-aaaa-bbbb-cccc.json'), JSON.stringify(osv('GHSA-aaaa-bbbb-cccc', '2023-01-01T00:00:00Z', { summary: 'Stale summary' })));
  r = await ingest(t.ctx.db, t.ctx.logger, [newer], { source: 'osv', parsers: FEED_PARSERS });
  assert.equal(r.runs[0]!.counts.unchanged, 1);
  const rejected = join(dir, 'rejected');
  await mkdir(rejected);
  await writeFile(join(rejected, 'CVE-2024-1111.json'), JSON.stringify({ ...cve5('REJECTED'), cveMetadata: { ...cve5('REJECTED').cveMetadata, dateUpdated: '2024-06-01T00:00:00.000Z', dateRejected: '2024-06-01T00:00:00.000Z' }, containers: { cna: { providerMetadata: { orgId: '00000000-0000-4000-8000-000000000000' }, rejectedReasons: [{ lang: 'en', value: 'Duplicate.' }] } } }));
  r = await ingest(t.ctx.db, t.ctx.logger, [rejected], { source: 'auto', parsers: FEED_PARSERS });
  assert.equal(r.runs[0]!.counts.updated, 1);
  assert.equal(r.runs[0]!.counts.rejected, 1);
  const m = await t.ctx.db.system((q) => mergedAdvisory(q, 'GHSA-aaaa-bbbb-cccc'));
  assert.equal(m?.rejected, true);
  assert.equal(m?.summary, 'Updated summary', 'the rejected CVE has no title; the newer GHSA summary shows');
});

test('a record with a NUL character is quarantined and the records around it are kept', async () => {
  const nul = join(dir, 'nul');
  await mkdir(nul);
  const bad = cve5('PUBLISHED');
  bad.cveMetadata.cveId = 'CVE-2024-2222';
  bad.containers.cna.descriptions = [{ lang: 'en', value: 'Has a \u0000 in it.' }];
  await writeFile(join(nul, 'CVE-2024-2222.json'), JSON.stringify(bad));
  await writeFile(join(nul, 'GHSA-zzzz-zzzz-zzzz.json'), JSON.stringify(osv('GHSA-zzzz-zzzz-zzzz', '2024-03-01T00:00:00Z', { aliases: [] })));
  const r = await ingest(t.ctx.db, t.ctx.logger, [nul], { source: 'auto', parsers: FEED_PARSERS });
  const by = Object.fromEntries(r.runs.map((x) => [x.source, x.counts]));
  assert.equal(by['cve5']?.invalid, 1);
  assert.equal(by['osv']?.new, 1);
  const q = await t.ctx.db.system((x) => quarantineOf(x, r.runs.find((y) => y.source === 'cve5')!.runId));
  assert.equal(q[0]?.recordId, 'CVE-2024-2222');
  assert.match(q[0].reason, /NUL character/);
});
