/**
 * Saving a collected scan (issue 7, section 3): the target upserted from its facts, a
 * posture_scans row of the target (source `collector`) with its risk and compliance scores,
 * its findings (no project), the pass / fail / not-assessed result of every applicable
 * framework control, and for a cluster its workloads. One tenant transaction.
 */
import type { CollectedScan } from '../../posture/collectors/analyse.js';
import type { TargetFacts } from '../../posture/collectors/types.js';
import type { InputProblem, PostureFinding, Resource } from '../../posture/model.js';
import { summarise } from '../../posture/output/report.js';
import type { PostureScores } from '../../posture/scores.js';
import type { Queryable } from '../db.js';
import { insertPostureFindings, MAX_STORED_ERRORS, storable, storableJson, storableOrNull } from './posture.js';
import { getTarget, targetScan, upsertTarget, type PostureTarget, type TargetFamily, type TargetScanSummary } from './postureTargets.js';
import { replaceWorkloads, scannedResources, workloadsOf, type WorkloadInput } from './postureTargetsWorkloads.js';

export interface CollectedScanInput {
  readonly facts: TargetFacts;
  /** The number of resources collected. */
  readonly resources: number;
  readonly findings: readonly PostureFinding[];
  /** Collection gaps (and other problems), as the report's errors. */
  readonly errors: readonly InputProblem[];
  readonly scores: PostureScores;
  /** A cluster's workloads as of this scan; undefined leaves the stored ones as they are. */
  readonly workloads?: readonly WorkloadInput[] | undefined;
  readonly durationMs: number | null;
  readonly rulesVersion: string | null;
  readonly documentSha256: string | null;
  readonly createdBy: string | null;
}

export interface SavedCollectedScan {
  readonly target: PostureTarget;
  readonly targetCreated: boolean;
  readonly scan: TargetScanSummary;
}

const familyOf = (facts: TargetFacts): TargetFamily => (facts.provider === 'kubernetes' ? 'clusters' : 'accounts');

/** What to save from a collection analysed on this side (`analyseCollected`) and the resources it collected. */
export function collectedScanInput(
  scan: CollectedScan,
  resources: readonly Resource[],
  extra: { readonly rulesVersion: string | null; readonly createdBy: string | null },
): CollectedScanInput {
  return {
    facts: scan.facts,
    resources: scan.report.resources,
    findings: scan.report.findings,
    errors: scan.report.errors,
    scores: scan.scores,
    workloads: scan.facts.provider === 'kubernetes' ? workloadsOf(scannedResources(resources)) : undefined,
    durationMs: scan.stats.ms,
    rulesVersion: extra.rulesVersion,
    documentSha256: null,
    createdBy: extra.createdBy,
  };
}

export async function saveCollectedScan(q: Queryable, tenantId: string, input: CollectedScanInput): Promise<SavedCollectedScan> {
  const target = await upsertTarget(q, tenantId, input.facts);
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO posture_scans (tenant_id, target_id, source, target, files, resources, finding_count, summary, errors, error_count,
                                rules_version, document_sha256, created_by, risk, compliance, duration_ms)
     VALUES ($1, $2, 'collector', $3, 0, $4, $5, $6::jsonb, $7::jsonb, $8, $9, $10, $11, $12, $13::jsonb, $14) RETURNING id`,
    [
      tenantId,
      target.id,
      storable(`${input.facts.provider}:${input.facts.id}`).slice(0, 1000),
      input.resources,
      input.findings.length,
      JSON.stringify(summarise(input.findings)),
      storableJson(input.errors.slice(0, MAX_STORED_ERRORS).map((e) => ({ path: e.path, ...(e.line !== undefined ? { line: e.line } : {}), reason: e.reason }))),
      input.errors.length,
      storableOrNull(input.rulesVersion)?.slice(0, 200) ?? null,
      input.documentSha256,
      input.createdBy,
      Math.min(10, Math.max(0, input.scores.risk)),
      storableJson(input.scores.frameworks),
      input.durationMs === null ? null : Math.max(0, Math.round(input.durationMs)),
    ],
  );
  const scanId = rows[0]!.id;
  await insertPostureFindings(q, tenantId, { projectId: null }, scanId, input.findings);
  await insertControlResults(q, tenantId, scanId, input.scores);
  if (input.facts.provider === 'kubernetes' && input.workloads) await replaceWorkloads(q, tenantId, target.id, scanId, input.workloads);
  return { target: (await getTarget(q, familyOf(input.facts), target.id))!, targetCreated: target.created, scan: (await targetScan(q, target.id, scanId))! };
}

const CHUNK = 2000;

/** Applicable controls of the scan with the status of each rule mapped to them. */
async function insertControlResults(q: Queryable, tenantId: string, scanId: string, scores: PostureScores): Promise<void> {
  const ruleStatus = new Map(scores.rules.map((r) => [r.ruleId, r.status]));
  const rows = scores.controls
    .filter((c) => c.status !== 'not-applicable')
    .map((c) => ({
      framework: c.framework,
      control: c.control,
      status: c.status,
      rules: c.rules.map((ruleId) => ({ ruleId, status: ruleStatus.get(ruleId) ?? 'not-applicable' })),
    }));
  for (let i = 0; i < rows.length; i += CHUNK) {
    await q.query(
      `INSERT INTO posture_control_results (tenant_id, scan_id, framework, control, status, rules)
       SELECT $1, $2, x.framework, x.control, x.status, x.rules FROM json_to_recordset($3::json) AS x(framework text, control text, status text, rules jsonb)
       ON CONFLICT (scan_id, framework, control) DO NOTHING`,
      [tenantId, scanId, storableJson(rows.slice(i, i + CHUNK))],
    );
  }
}
