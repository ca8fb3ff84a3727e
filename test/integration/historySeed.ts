/**
 * History for the dashboard trend tests (integration and e2e): findings opened on past days,
 * their state changes and older posture scans, written with explicit timestamps straight into
 * the tables (as the tenant, so RLS checks every row), since the API only ever writes "now".
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../src/app/context.js';
import type { Severity } from '../../src/core/advisory.js';
import { SEVERITY_RANK } from '../../src/store/repos/findings.js';

export const DAY = 86_400_000;
/**
 * Midday UTC `n` days before `now`, so a day's bucket never depends on the clock's hour; for
 * today (n = 0) a moment already past (midday, or a second ago, but still today).
 */
export function daysAgo(n: number, now = new Date()): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (n === 0) return new Date(Math.max(midnight, Math.min(midnight + DAY / 2, now.getTime() - 1000)));
  return new Date(midnight + DAY / 2 - n * DAY);
}

export interface SeedFinding {
  readonly projectId: string;
  readonly vulnId: string;
  readonly severity: Severity;
  readonly firstSeen: Date;
  readonly state?: string;
  readonly risk?: number;
  readonly kev?: boolean;
  readonly epss?: number | null;
  readonly pkg?: string;
}

/** A finding row whose `data` satisfies the API's MatchedFinding schema. */
export async function insertFinding(ctx: AppContext, tenantId: string, f: SeedFinding): Promise<string> {
  const id = randomUUID();
  const pkg = f.pkg ?? `pkg-${f.vulnId.toLowerCase()}`;
  const purl = `pkg:npm/${pkg}@1.0.0`;
  const risk = f.risk ?? 5;
  const data = {
    id: f.vulnId,
    aliases: [],
    advisories: [f.vulnId],
    title: `${pkg} is vulnerable`,
    package: { id: `${pkg}@1.0.0`, name: pkg, version: '1.0.0', purl, ecosystem: 'npm', location: { file: 'package-lock.json' } },
    severity: f.severity,
    sourceSeverity: null,
    cvss: [],
    fixedVersions: [],
    kev: null,
    epss: null,
    path: [],
    matchedBy: 'seed',
    confidence: 'high',
    risk: { score: risk, contributions: [] },
  };
  await ctx.db.tenant(tenantId, (q) =>
    q.query(
      `INSERT INTO findings (id, tenant_id, project_id, vuln_id, ids, package_key, package_name, package_version, package_purl, ecosystem,
                             severity, severity_rank, kev, epss, risk, state, first_seen_at, last_seen_at, data)
       VALUES ($1, $2, $3, $4, ARRAY[$4], $5, $6, '1.0.0', $7, 'npm', $8, $9, $10, $11, $12, $13, $14, $14, $15)`,
      [id, tenantId, f.projectId, f.vulnId, `npm/${pkg}`, pkg, purl, f.severity, SEVERITY_RANK[f.severity], f.kev ?? false, f.epss ?? null, risk, f.state ?? 'open', f.firstSeen, JSON.stringify(data)],
    ),
  );
  return id;
}

/** A state change of a finding at `at` (the finding's `state` column is set to `to` too). */
export async function insertChange(ctx: AppContext, tenantId: string, findingId: string, at: Date, from: string | null, to: string, actor = 'system:match'): Promise<void> {
  await ctx.db.tenant(tenantId, async (q) => {
    await q.query(`INSERT INTO finding_events (tenant_id, finding_id, at, actor, from_state, to_state) VALUES ($1, $2, $3, $4, $5, $6)`, [tenantId, findingId, at, actor, from, to]);
    await q.query(`UPDATE findings SET state = $2, fixed_at = CASE WHEN $2 = 'fixed' THEN $3::timestamptz ELSE NULL END WHERE id = $1`, [findingId, to, at]);
  });
}

/** A posture target (cluster or account), created when absent; returns its id. */
export async function insertTarget(ctx: AppContext, tenantId: string, provider: 'kubernetes' | 'aws' | 'azure' | 'gcp', name: string): Promise<string> {
  return ctx.db.tenant(tenantId, async (q) => {
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO posture_targets (tenant_id, provider, external_id, name) VALUES ($1, $2, $3, $3)
       ON CONFLICT (tenant_id, provider, external_id) DO UPDATE SET name = EXCLUDED.name RETURNING id`,
      [tenantId, provider, name],
    );
    return rows[0]!.id;
  });
}

/** A scan of a target (collector, scored) or of a project (uploaded IaC, unscored) at `at`. */
export async function insertScan(
  ctx: AppContext,
  tenantId: string,
  s: { targetId?: string; projectId?: string; at: Date; risk: number | null; failed: number; compliance?: { framework: string; compliance: number }[] },
): Promise<string> {
  return ctx.db.tenant(tenantId, async (q) => {
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO posture_scans (tenant_id, project_id, target_id, source, target, summary, risk, compliance, created_at)
       VALUES ($1, $2, $3, $4, 'seed', $5, $6, $7, $8) RETURNING id`,
      [
        tenantId,
        s.projectId ?? null,
        s.targetId ?? null,
        s.targetId ? 'collector' : 'cli',
        JSON.stringify({ fail: {}, failed: s.failed, suppressed: 0, notAssessed: 0 }),
        s.risk,
        s.targetId ? JSON.stringify((s.compliance ?? []).map((c) => ({ framework: c.framework, name: c.framework, controls: { pass: 0, fail: 0, notAssessed: 0, notApplicable: 0 }, compliance: c.compliance }))) : null,
        s.at,
      ],
    );
    return rows[0]!.id;
  });
}
