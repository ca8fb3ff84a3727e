import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createProject, deleteProject } from '../../src/store/repos/projects.js';
import { findingTrend } from '../../src/store/repos/history.js';
import { triageFindings } from '../../src/store/repos/findingQueries.js';
import { checkSla } from '../../src/store/repos/slaCheck.js';
import { SEVERITIES, type Severity } from '../../src/core/advisory.js';
import { seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';
import { daysAgo, insertChange, insertFinding } from './historySeed.js';

/**
 * The aggregates migration 018 keeps as findings change (issue 8 §5), on a real database
 * (PGlite, or PostgreSQL with DATABASE_URL): finding_stats always equals the aggregate computed
 * from the findings, whatever wrote them (inserts, triage, the SLA job, UPDATEs of severity,
 * risk and KEV, a project's deletion by cascade); the stored trend days equal the full replay,
 * and are replayed again when history is rewritten (a finding or a state change with an
 * earlier time, a deleted project). Another tenant's rows are never touched.
 */

let t: TestApp;
let a: SeededUser;
let b: SeededUser;
const projects: string[] = [];
const findings: string[] = [];

before(async () => {
  t = await testApp();
  a = await seedTenant(t.ctx, 'admin');
  b = await seedTenant(t.ctx, 'admin');
});
after(() => t.close());

interface StatRow {
  project_id: string;
  state: string;
  severity: string;
  n: number;
  kev: number;
  fix: number;
  risk: string;
}

/** The kept rows and the same aggregate computed from the findings, both sorted. */
async function both(tenantId: string): Promise<[StatRow[], StatRow[]]> {
  return t.ctx.db.tenant(tenantId, async (q) => {
    const order = 'ORDER BY project_id, state, severity';
    const kept = await q.query<StatRow>(`SELECT project_id, state, severity, n, kev, fix, risk::numeric(12, 1)::text AS risk FROM finding_stats ${order}`);
    const fresh = await q.query<StatRow>(
      `SELECT project_id, state, severity, count(*)::int AS n, (count(*) FILTER (WHERE kev))::int AS kev,
              (count(*) FILTER (WHERE fixed_version IS NOT NULL))::int AS fix, sum(risk)::numeric(12, 1)::text AS risk
         FROM findings GROUP BY project_id, state, severity ${order}`,
    );
    return [kept.rows, fresh.rows];
  });
}

async function assertStatsTrue(what: string): Promise<void> {
  for (const tenant of [a.tenantId, b.tenantId]) {
    const [kept, fresh] = await both(tenant);
    assert.deepEqual(kept, fresh, `${what}: finding_stats equals the findings' aggregate`);
  }
}

const SEV: Severity[] = ['critical', 'high', 'medium', 'low', 'unknown'];

test('finding_stats follows inserts, triage, UPDATEs, the SLA job and project deletion', async () => {
  for (const name of ['one', 'two', 'three']) projects.push((await t.ctx.db.tenant(a.tenantId, (q) => createProject(q, a.tenantId, { name, kind: 'application' })))!.id);
  const other = (await t.ctx.db.tenant(b.tenantId, (q) => createProject(q, b.tenantId, { name: 'b', kind: 'application' })))!.id;
  await insertFinding(t.ctx, b.tenantId, { projectId: other, vulnId: 'CVE-2025-9999', severity: 'high', firstSeen: daysAgo(3), risk: 7 });
  await assertStatsTrue('empty tenant a');

  for (let i = 0; i < 30; i++) {
    findings.push(
      await insertFinding(t.ctx, a.tenantId, {
        projectId: projects[i % 3]!,
        vulnId: `CVE-2025-${1000 + i}`,
        severity: SEV[i % SEV.length]!,
        firstSeen: daysAgo(i % 12),
        risk: (i % 10) + 0.5,
        kev: i % 4 === 0,
        epss: i / 40,
      }),
    );
  }
  await assertStatsTrue('after inserts');

  await t.ctx.db.tenant(a.tenantId, (q) => triageFindings(q, a.tenantId, findings.slice(0, 6), { state: 'false_positive', reason: 'test' }, 'user:test'));
  await t.ctx.db.tenant(a.tenantId, (q) =>
    triageFindings(q, a.tenantId, findings.slice(6, 9), { state: 'accepted_risk', reason: 'test', expiresAt: new Date(Date.now() - 1000).toISOString() }, 'user:test'),
  );
  await assertStatsTrue('after triage');

  // A re-scored advisory: severity, risk, KEV and fix change in one UPDATE.
  await t.ctx.db.tenant(a.tenantId, (q) =>
    q.query(`UPDATE findings SET severity = 'critical', risk = 9.9, kev = NOT kev, fixed_version = '2.0.0' WHERE id = ANY($1::uuid[])`, [findings.slice(10, 16)]),
  );
  // KEV and risk alone: the counts stay, the sums move.
  await t.ctx.db.tenant(a.tenantId, (q) => q.query(`UPDATE findings SET kev = NOT kev, risk = risk + 0.1 WHERE id = ANY($1::uuid[])`, [findings.slice(20, 24)]));
  // An UPDATE that changes nothing counted.
  await t.ctx.db.tenant(a.tenantId, (q) => q.query(`UPDATE findings SET last_seen_at = now()`));
  await assertStatsTrue('after UPDATEs');

  // The SLA job runs as the system, across tenants: the expired acceptances reopen.
  await t.ctx.db.system((q) => checkSla(q));
  await assertStatsTrue('after the SLA job');

  await t.ctx.db.tenant(a.tenantId, (q) => deleteProject(q, projects[2]!));
  await assertStatsTrue('after a project deletion');
  const left = await t.ctx.db.tenant(a.tenantId, (q) => q.query<{ n: string }>('SELECT count(*) AS n FROM finding_stats WHERE project_id = $1', [projects[2]]));
  assert.equal(Number(left.rows[0]!.n), 0, 'a deleted project leaves no rows');

  // Row-level security: tenant b sees and wrote only its own row.
  const bRows = await t.ctx.db.tenant(b.tenantId, (q) => q.query<{ n: number }>('SELECT n FROM finding_stats'));
  assert.deepEqual(
    bRows.rows.map((r) => r.n),
    [1],
  );
});

const totals = (pts: { total: number }[]) => pts.map((p) => p.total);
const bySev = (pts: { bySeverity: Record<Severity, number> }[]) => pts.map((p) => SEVERITIES.map((s) => p.bySeverity[s]).join(','));

test('the stored trend days equal the replay, and are replayed again when history is rewritten', async () => {
  const trend = () => t.ctx.db.tenant(a.tenantId, (q) => findingTrend(q, { days: 14 }));
  // The replay of the whole window, as a project filter (every project) or a fixed clock does it.
  const replay = () => t.ctx.db.tenant(a.tenantId, (q) => findingTrend(q, { days: 14, projects: projects.slice(0, 2) }));
  const first = await trend();
  assert.deepEqual(bySev(first), bySev(await replay()), 'first request: replayed and stored');
  const storedDays = await t.ctx.db.tenant(a.tenantId, (q) => q.query<{ n: string }>('SELECT count(DISTINCT day) AS n FROM finding_trend_days'));
  assert.equal(Number(storedDays.rows[0]!.n), 13, 'every ended day of the window is stored, today is not');
  assert.deepEqual(bySev(await trend()), bySev(first), 'second request: read back');

  // A finding first seen 5 days ago, inserted now: the days from then on change.
  const late = await insertFinding(t.ctx, a.tenantId, { projectId: projects[0]!, vulnId: 'CVE-2025-7777', severity: 'high', firstSeen: daysAgo(5), risk: 7 });
  const afterInsert = await trend();
  assert.deepEqual(bySev(afterInsert), bySev(await replay()), 'a late insert is replayed');
  assert.deepEqual(
    totals(afterInsert).map((n, i) => n - totals(first)[i]!),
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
  );

  // A state change recorded 2 days ago.
  await insertChange(t.ctx, a.tenantId, late, daysAgo(2), 'open', 'fixed');
  const afterChange = await trend();
  assert.deepEqual(bySev(afterChange), bySev(await replay()), 'a late state change is replayed');
  assert.deepEqual(
    totals(afterChange).map((n, i) => n - totals(first)[i]!),
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0],
  );

  // A re-scored advisory: the replay counts the finding under its new severity since first seen.
  await t.ctx.db.tenant(a.tenantId, (q) => q.query(`UPDATE findings SET severity = 'low' WHERE id = $1`, [findings[25]]));
  assert.deepEqual(bySev(await trend()), bySev(await replay()), 'a severity change is replayed');
  const afterChangeRescored = await trend();
  assert.deepEqual(totals(afterChangeRescored), totals(afterChange), 'the totals stay');

  // A triage now changes today only, and today is live.
  const open = (await t.ctx.db.tenant(a.tenantId, (q) => q.query<{ id: string }>(`SELECT id FROM findings WHERE state = 'open' ORDER BY id LIMIT 1`))).rows[0]!.id;
  await t.ctx.db.tenant(a.tenantId, (q) => triageFindings(q, a.tenantId, [open], { state: 'fixed', reason: 'test' }, 'user:test'));
  const afterTriage = await trend();
  assert.deepEqual(totals(afterTriage).slice(0, 13), totals(afterChange).slice(0, 13), 'the ended days stay');
  assert.equal(afterTriage[13]!.total, afterChange[13]!.total - 1, 'today drops by one');

  // A deleted project takes its findings' history with it, as the replay does.
  await t.ctx.db.tenant(a.tenantId, (q) => deleteProject(q, projects[1]!));
  assert.deepEqual(bySev(await trend()), bySev(await replay()), 'a deleted project is replayed');

  // Tenant b's stored days were never touched by tenant a's changes.
  const bTrend = await t.ctx.db.tenant(b.tenantId, (q) => findingTrend(q, { days: 5 }));
  assert.deepEqual(totals(bTrend), [0, 1, 1, 1, 1]);
});

test("deleting a tenant with findings deletes its kept aggregates, and no other tenant's", async () => {
  const c = await seedTenant(t.ctx, 'admin');
  const p = (await t.ctx.db.tenant(c.tenantId, (q) => createProject(q, c.tenantId, { name: 'doomed', kind: 'application' })))!.id;
  await insertFinding(t.ctx, c.tenantId, { projectId: p, vulnId: 'CVE-2025-0001', severity: 'high', firstSeen: daysAgo(4), risk: 7 });
  await t.ctx.db.tenant(c.tenantId, (q) => findingTrend(q, { days: 7 }));
  const rows = (table: string) => t.ctx.db.system(async (q) => Number((await q.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`, [c.tenantId])).rows[0]!.n));
  assert.equal(await rows('finding_stats'), 1);
  assert.equal(await rows('finding_trend_days'), 6 * SEVERITIES.length);
  const before = await both(b.tenantId);
  await t.ctx.db.system((q) => q.query('DELETE FROM tenants WHERE id = $1', [c.tenantId]));
  assert.equal(await rows('finding_stats'), 0);
  assert.equal(await rows('finding_trend_days'), 0);
  assert.deepEqual(await both(b.tenantId), before);
});
