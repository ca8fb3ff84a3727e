import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { testDatabase, type TestDatabase } from '../../test/helpers/db.js';
import { createLogger } from '../observability/logger.js';
import { FsObjectStore } from '../store/objects.js';
import { loadDemo, resolveDemoSource } from './load.js';
import { sampleDir } from './plan-builtin.js';

const COUNTS_SQL = `SELECT (SELECT count(*) FROM advisories)::int AS advisories, (SELECT count(*) FROM kev_entries)::int AS kev,
  (SELECT count(*) FROM epss_scores)::int AS epss, (SELECT count(*) FROM projects)::int AS projects,
  (SELECT count(*) FROM project_versions)::int AS versions, (SELECT count(*) FROM findings)::int AS findings,
  (SELECT count(*) FROM findings WHERE state <> 'fixed')::int AS active, (SELECT count(*) FROM findings WHERE sla_breached_at IS NOT NULL)::int AS breached,
  (SELECT count(*) FROM findings WHERE triage_by = 'system:demo')::int AS triaged, (SELECT count(*) FROM posture_scans)::int AS scans,
  (SELECT count(*) FROM posture_targets)::int AS targets, (SELECT count(*) FROM posture_findings)::int AS posture_findings`;

describe('demo mode with the built-in sample', () => {
  let t: TestDatabase;
  let dir: string;
  before(async () => {
    t = await testDatabase();
    dir = await mkdtemp(join(tmpdir(), 'vigil-demo-test-'));
  });
  after(async () => {
    await t.cleanup();
    await rm(dir, { recursive: true, force: true });
  });
  const deps = () => ({ db: t.db, logger: createLogger('silent'), objects: new FsObjectStore(dir), uploadLimit: 10_000_000, say: () => undefined });
  const counts = async () => t.db.system(async (q) => (await q.query<Record<string, number>>(COUNTS_SQL)).rows[0]!);

  test('"builtin" forces the sample; a missing VIGIL_DEMO_DATA folder is a configuration error', () => {
    assert.deepEqual(resolveDemoSource('builtin'), { source: 'builtin', root: sampleDir() });
    assert.throws(() => resolveDemoSource(join(dir, 'nope')), /VIGIL_DEMO_DATA: .* is not a folder/);
    assert.equal(resolveDemoSource(dir).source, 'shared');
  });

  test('loads advisories, projects with findings, posture scans and a cluster', async () => {
    const lines: string[] = [];
    const r = await loadDemo({ ...deps(), say: (l) => lines.push(l) }, resolveDemoSource('builtin'));
    assert.equal(r.skipped, false);
    assert.equal(r.tenant, 'default');
    assert.deepEqual(r.advisories?.bySource, { cve5: 4, osv: 7, kev: 2, epss: 5 });
    assert.equal(r.advisories?.invalid, 0);
    assert.equal(r.advisories?.fileErrors, 0);
    const c = await counts();
    assert.equal(c['advisories'], 11);
    assert.equal(c['kev'], 2);
    assert.equal(c['epss'], 5);
    assert.equal(c['projects'], 3, 'acme-storefront, acme-billing and acme-infra (posture only)');
    assert.equal(c['versions'], 4);
    // storefront: 0001 fixed by 1.1.0, 0002-0004 active; billing: 0006 fixed by 2.1.0, 0005 and 0007 active.
    assert.equal(c['findings'], 7);
    assert.equal(c['active'], 5);
    assert.equal(c['breached'], 2, 'the high and the critical finding first seen 85 days ago');
    assert.equal(c['triaged'], 2);
    assert.equal(c['scans'], 3, 'two project scans and one cluster scan');
    assert.equal(c['targets'], 1);
    assert.ok(c['posture_findings']! > 40);
    assert.ok(lines.some((l) => l.startsWith('advisories: 18 record(s)')), lines.join('\n'));
    const states = await t.db.system(async (q) => (await q.query<{ vuln_id: string; state: string }>(`SELECT vuln_id, state FROM findings ORDER BY vuln_id`)).rows);
    assert.deepEqual(
      states.map((s) => `${s.vuln_id} ${s.state}`),
      // A finding is named by the CVE its advisory aliases, when there is one.
      ['CVE-2099-0101 fixed', 'CVE-2099-0102 open', 'CVE-2099-0105 open', 'CVE-2099-0106 fixed', 'VGL-DEMO-2026-0003 open', 'VGL-DEMO-2026-0004 accepted_risk', 'VGL-DEMO-2026-0007 in_triage'],
    );
  });

  test('a second start skips the load; without the marker every step still adds nothing', async () => {
    const before = await counts();
    const again = await loadDemo(deps(), resolveDemoSource('builtin'));
    assert.equal(again.skipped, true);
    assert.deepEqual(await counts(), before);
    await t.db.system((q) => q.query(`DELETE FROM system_settings WHERE key LIKE 'demo.loaded:%'`));
    const full = await loadDemo(deps(), resolveDemoSource('builtin'));
    assert.equal(full.skipped, false);
    assert.equal(full.advisories?.new, 0);
    assert.equal(full.advisories?.unchanged, 18);
    assert.equal(full.projects?.versions, 0);
    assert.equal(full.projects?.skippedVersions, 4);
    assert.equal(full.projects?.triaged, 0);
    assert.equal(full.posture?.scans, 0);
    assert.equal(full.posture?.targetScans, 0);
    assert.deepEqual(await counts(), before);
  });
});
