/**
 * What the posture metrics read at scrape time (system door, every tenant): each registry
 * target's latest scan with its scores, failing findings of chosen rules per scan, and the
 * workloads per cluster. Bounded: one row per target plus one per (scan, rule).
 */
import type { FrameworkScore } from '../../posture/scores.js';
import type { PostureSummary } from '../../posture/output/report.js';
import type { Queryable } from '../db.js';

export interface LatestTargetScan {
  readonly tenant: string;
  readonly targetId: string;
  readonly provider: string;
  readonly target: string;
  readonly scanId: string;
  readonly summary: PostureSummary | null;
  readonly compliance: readonly FrameworkScore[] | null;
  readonly risk: number | null;
  readonly durationMs: number | null;
  readonly workloads: number;
}

export async function latestTargetScans(q: Queryable): Promise<LatestTargetScan[]> {
  const { rows } = await q.query<{
    tenant: string;
    target_id: string;
    provider: string;
    target: string;
    scan_id: string;
    summary: PostureSummary | null;
    compliance: FrameworkScore[] | null;
    risk: string | number | null;
    duration_ms: number | null;
    workloads: string | number;
  }>(
    `SELECT tn.slug AS tenant, t.id AS target_id, t.provider, t.name AS target, l.id AS scan_id, l.summary, l.compliance, l.risk, l.duration_ms,
            (SELECT count(*) FROM posture_workloads w WHERE w.target_id = t.id) AS workloads
       FROM posture_targets t
       JOIN tenants tn ON tn.id = t.tenant_id
       JOIN LATERAL (SELECT s.id, s.summary, s.compliance, s.risk, s.duration_ms FROM posture_scans s
                      WHERE s.target_id = t.id ORDER BY s.created_at DESC, s.id DESC LIMIT 1) l ON TRUE`,
  );
  return rows.map((r) => ({
    tenant: r.tenant,
    targetId: r.target_id,
    provider: r.provider,
    target: r.target,
    scanId: r.scan_id,
    summary: r.summary,
    compliance: r.compliance,
    risk: r.risk === null ? null : Number(r.risk),
    durationMs: r.duration_ms,
    workloads: Number(r.workloads),
  }));
}

/** Failing findings per scan of the given rules (distinct resources). */
export async function failingByScan(q: Queryable, scanIds: readonly string[], ruleIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (scanIds.length === 0 || ruleIds.length === 0) return out;
  const { rows } = await q.query<{ scan_id: string; n: string | number }>(
    `SELECT scan_id, count(DISTINCT resource_id) AS n FROM posture_findings
      WHERE scan_id = ANY($1::uuid[]) AND rule_id = ANY($2::text[]) AND status = 'fail' GROUP BY scan_id`,
    [[...scanIds], [...ruleIds]],
  );
  for (const r of rows) out.set(r.scan_id, Number(r.n));
  return out;
}
