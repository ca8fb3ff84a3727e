/** Demo mode over the real public data in ../shared/data (skips, saying so, when absent). */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { testDatabase } from '../../test/helpers/db.js';
import { sharedData, skipMessage } from '../../test/helpers/shared.js';
import { createLogger } from '../observability/logger.js';
import { FsObjectStore } from '../store/objects.js';
import { loadDemo } from './load.js';

const root = sharedData();

test('demo mode loads a slice of the shared data, quickly and once', { skip: root ? false : skipMessage('folder'), timeout: 180_000 }, async (t) => {
  const tdb = await testDatabase();
  const dir = await mkdtemp(join(tmpdir(), 'vigil-demo-shared-'));
  try {
    const deps = { db: tdb.db, logger: createLogger('silent'), objects: new FsObjectStore(dir), uploadLimit: 100_000_000, say: (l: string) => t.diagnostic(l) };
    const r = await loadDemo(deps, { source: 'shared', root: root! });
    t.diagnostic(`loaded in ${(r.durationMs / 1000).toFixed(1)} s`);
    assert.equal(r.skipped, false);
    assert.ok(r.durationMs < 30_000, `${r.durationMs} ms`);
    const c = await tdb.db.system(
      async (q) =>
        (
          await q.query<Record<string, number>>(`SELECT (SELECT count(*) FROM advisories WHERE source = 'cve5')::int AS cve5, (SELECT count(*) FROM advisories WHERE source = 'osv')::int AS osv,
            (SELECT count(*) FROM kev_entries)::int AS kev, (SELECT count(*) FROM epss_scores)::int AS epss, (SELECT count(*) FROM projects)::int AS projects,
            (SELECT count(*) FROM project_versions)::int AS versions, (SELECT count(*) FROM findings)::int AS findings,
            (SELECT count(*) FROM findings WHERE sla_breached_at IS NOT NULL)::int AS breached, (SELECT count(*) FROM findings WHERE triage_by = 'system:demo')::int AS triaged,
            (SELECT count(*) FROM posture_scans WHERE project_id IS NOT NULL)::int AS project_scans, (SELECT count(*) FROM posture_targets)::int AS targets`)
        ).rows[0]!,
    );
    t.diagnostic(JSON.stringify(c));
    assert.ok(c['cve5']! >= 100 && c['cve5']! <= 300, `cve5 ${c['cve5']}`);
    assert.ok(c['osv']! >= 100, `osv ${c['osv']}`);
    assert.ok(c['kev']! > 1000);
    assert.ok(c['epss']! > 100);
    assert.ok(c['projects']! >= 5);
    assert.equal(c['versions'], 2 * (r.projects?.projects ?? 0));
    assert.ok(c['findings']! >= 20);
    assert.ok(c['breached']! >= 1);
    assert.ok(c['triaged']! >= 2);
    assert.ok(c['project_scans']! >= 2);
    assert.ok(c['targets']! >= 3, 'an AWS account, clusters');
    const again = await loadDemo(deps, { source: 'shared', root: root! });
    assert.equal(again.skipped, true);
    assert.ok(again.durationMs < 2_000);
  } finally {
    await tdb.cleanup();
    await rm(dir, { recursive: true, force: true });
  }
});
