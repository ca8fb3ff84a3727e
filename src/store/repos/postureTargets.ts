/**
 * The posture registry (issue 7, section 3): the running infrastructure a tenant scans (AWS
 * accounts, Azure subscriptions, GCP projects: "accounts"; Kubernetes clusters: "clusters"),
 * one row per provider + external id, with the facts of its latest scan; each target's scans
 * with their risk and compliance scores, the latest one and the trend. Saving a collected scan
 * is in postureTargetsSave.ts, workloads in postureTargetsWorkloads.ts, control results and the
 * cross-target compliance report in postureTargetsCompliance.ts. Tenant transactions only.
 */
import type { CollectorProvider, TargetFacts } from '../../posture/collectors/types.js';
import type { PostureSummary } from '../../posture/output/report.js';
import type { FrameworkScore } from '../../posture/scores.js';
import type { Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';
import { storable, storableOrNull } from './posture.js';
import type { ScanConfig } from '../../posture/schedule/config.js';

/** Which providers each API family lists: `/clusters` and `/accounts`. */
export const TARGET_FAMILIES = {
  clusters: ['kubernetes'],
  accounts: ['aws', 'azure', 'gcp'],
} as const satisfies Record<string, readonly CollectorProvider[]>;
export type TargetFamily = keyof typeof TARGET_FAMILIES;
export const ACCOUNT_PROVIDERS = TARGET_FAMILIES.accounts;
export type AccountProvider = (typeof ACCOUNT_PROVIDERS)[number];

/** Errors shown with a target's latest scan (the scan keeps the first 1,000). */
export const TARGET_LIST_ERRORS = 20;

export interface TargetScanSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly resources: number;
  readonly findings: number;
  readonly summary: PostureSummary;
  readonly errorCount: number;
  /** Collection gaps and other problems: the first TARGET_LIST_ERRORS. */
  readonly errors: readonly { readonly path: string; readonly reason: string }[];
  /** 0–10, see src/posture/scores.ts. */
  readonly risk: number | null;
  /** Frameworks with at least one applicable control (those without are left out). */
  readonly compliance: readonly FrameworkScore[];
  readonly durationMs: number | null;
  readonly rulesVersion: string | null;
}

export interface PostureTarget {
  readonly id: string;
  readonly provider: CollectorProvider;
  /** Account id, subscription id, project id, or cluster name. */
  readonly externalId: string;
  readonly name: string;
  readonly regions: readonly string[];
  readonly version: string | null;
  readonly platform: string | null;
  readonly nodeCount: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Workloads seen by the latest scans (clusters; 0 for accounts). */
  readonly workloads: number;
  readonly latestScan: TargetScanSummary | null;
  /** How the server scans it itself (migration 014); null: known only from uploaded scans. */
  readonly scan: ScanSettings | null;
}

interface ScanRow {
  scan_id: string | null;
  scan_created_at: Date | string | null;
  scan_resources: number | null;
  scan_findings: number | null;
  scan_summary: PostureSummary | null;
  scan_error_count: number | null;
  scan_errors: { path: string; reason: string }[] | null;
  scan_risk: string | number | null;
  scan_compliance: FrameworkScore[] | null;
  scan_duration_ms: number | null;
  scan_rules_version: string | null;
}

interface TargetRow extends ScanRow, SettingsRow {
  id: string;
  provider: CollectorProvider;
  external_id: string;
  name: string;
  regions: string[];
  version: string | null;
  platform: string | null;
  node_count: number | null;
  created_at: Date | string;
  updated_at: Date | string;
  workloads: string | number;
}

export interface ScanSettings {
  readonly config: ScanConfig;
  /** UTC cron expression; null: scanned only when asked. */
  readonly cron: string | null;
  /** The last due time the scheduler fired (or when the schedule was set). */
  readonly firedAt: string | null;
}

export interface SettingsRow {
  scan_config: ScanConfig | null;
  scan_cron: string | null;
  scan_fired_at: Date | string | null;
}

export const toSettings = (r: SettingsRow): ScanSettings | null =>
  r.scan_config === null ? null : { config: r.scan_config, cron: r.scan_cron, firedAt: r.scan_fired_at === null ? null : new Date(r.scan_fired_at).toISOString() };

const iso = (d: Date | string): string => new Date(d).toISOString();
const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/** Only the frameworks some control of which applied (a cluster has no CIS AWS score). */
export const applicable = (c: readonly FrameworkScore[] | null): FrameworkScore[] => (c ?? []).filter((f) => f.compliance !== null);

export function toScanSummary(r: ScanRow): TargetScanSummary | null {
  if (r.scan_id === null || r.scan_created_at === null) return null;
  return {
    id: r.scan_id,
    createdAt: iso(r.scan_created_at),
    resources: r.scan_resources ?? 0,
    findings: r.scan_findings ?? 0,
    summary: r.scan_summary ?? { fail: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, failed: 0, suppressed: 0, notAssessed: 0 },
    errorCount: r.scan_error_count ?? 0,
    errors: (r.scan_errors ?? []).map((e) => ({ path: e.path, reason: e.reason })),
    risk: num(r.scan_risk),
    compliance: applicable(r.scan_compliance),
    durationMs: r.scan_duration_ms,
    rulesVersion: r.scan_rules_version,
  };
}

const toTarget = (r: TargetRow): PostureTarget => ({
  id: r.id,
  provider: r.provider,
  externalId: r.external_id,
  name: r.name,
  regions: r.regions,
  version: r.version,
  platform: r.platform,
  nodeCount: r.node_count,
  createdAt: iso(r.created_at),
  updatedAt: iso(r.updated_at),
  workloads: Number(r.workloads),
  latestScan: toScanSummary(r),
  scan: toSettings(r),
});

/** The columns of a scan `s` as ScanRow's `scan_*` names. */
export const SCAN_SUMMARY_COLUMNS = `s.id AS scan_id, s.created_at AS scan_created_at, s.resources AS scan_resources, s.finding_count AS scan_findings,
  s.summary AS scan_summary, s.error_count AS scan_error_count, jsonb_path_query_array(s.errors, '$[0 to ${TARGET_LIST_ERRORS - 1}]') AS scan_errors,
  s.risk AS scan_risk, s.compliance AS scan_compliance, s.duration_ms AS scan_duration_ms, s.rules_version AS scan_rules_version`;

/** Targets `t` with their latest scan (`ls`) and workload count; the index on (target_id, created_at DESC, id DESC) serves the lateral join. */
const SELECT_TARGET = `SELECT t.id, t.provider, t.external_id, t.name, t.regions, t.version, t.platform, t.node_count, t.created_at, t.updated_at,
    t.scan_config, t.scan_cron, t.scan_fired_at,
    (SELECT count(*) FROM posture_workloads w WHERE w.target_id = t.id) AS workloads, ls.*
  FROM posture_targets t
  LEFT JOIN LATERAL (SELECT ${SCAN_SUMMARY_COLUMNS} FROM posture_scans s WHERE s.target_id = t.id ORDER BY s.created_at DESC, s.id DESC LIMIT 1) ls ON TRUE`;

/**
 * Inserts the target named by `facts` or updates its facts (name, the regions scanned, and the
 * version, platform and node count when the scan knew them). Per tenant, provider + id.
 */
export async function upsertTarget(q: Queryable, tenantId: string, facts: TargetFacts): Promise<{ id: string; created: boolean }> {
  const { rows } = await q.query<{ id: string; created: boolean }>(
    `INSERT INTO posture_targets (tenant_id, provider, external_id, name, regions, version, platform, node_count)
     VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8)
     ON CONFLICT (tenant_id, provider, external_id) DO UPDATE SET
       name = EXCLUDED.name,
       regions = CASE WHEN cardinality(EXCLUDED.regions) > 0 THEN EXCLUDED.regions ELSE posture_targets.regions END,
       version = COALESCE(EXCLUDED.version, posture_targets.version),
       platform = COALESCE(EXCLUDED.platform, posture_targets.platform),
       node_count = COALESCE(EXCLUDED.node_count, posture_targets.node_count),
       updated_at = now()
     RETURNING id, (xmax = 0) AS created`,
    [
      tenantId,
      facts.provider,
      storable(facts.id).slice(0, 300),
      storable(facts.name).slice(0, 300) || storable(facts.id).slice(0, 300),
      [...new Set((facts.regions ?? []).map((r) => storable(r).slice(0, 100)))].slice(0, 1000),
      storableOrNull(facts.version)?.slice(0, 100) ?? null,
      storableOrNull(facts.platform)?.slice(0, 50) ?? null,
      facts.nodeCount ?? null,
    ],
  );
  return rows[0]!;
}

export const TARGET_SORT: Record<string, SortColumn> = {
  name: { column: 't.name', cast: 'text' },
  createdAt: { column: 't.created_at', cast: 'timestamptz' },
  updatedAt: { column: 't.updated_at', cast: 'timestamptz' },
};
export const TARGET_SORT_FIELDS = Object.keys(TARGET_SORT) as [string, ...string[]];

export interface TargetFilter {
  /** Providers of the family to list (default: all of the family's). */
  readonly provider?: readonly CollectorProvider[] | undefined;
  /** Substring of the name or external id, case-insensitive. */
  readonly q?: string | undefined;
  /** Kubernetes distribution (`eks`, `gke`, `aks`, `openshift`, `other`). */
  readonly platform?: string | undefined;
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, '\\$&');

/** The family's targets, filtered, cursor-paginated; each with its latest scan summary. */
export async function listTargets(q: Queryable, family: TargetFamily, filter: TargetFilter, page: PageRequest): Promise<Page<PostureTarget>> {
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const allowed: readonly CollectorProvider[] = TARGET_FAMILIES[family];
  const providers = filter.provider?.length ? filter.provider.filter((x) => allowed.includes(x)) : allowed;
  const where = [`t.provider = ANY(${p(providers)}::text[])`];
  if (filter.q) {
    const like = p(`%${likeEscape(filter.q)}%`);
    where.push(`(t.name ILIKE ${like} OR t.external_id ILIKE ${like})`);
  }
  if (filter.platform) where.push(`t.platform = ${p(filter.platform)}`);
  const ks = keyset(page, TARGET_SORT, params.length + 1, 't.id');
  params.push(...ks.params);
  const { rows } = await q.query<TargetRow & { sort_key: string }>(
    `${SELECT_TARGET.replace('ls.*', `ls.*, ${ks.sortKey} AS sort_key`)}
      WHERE ${[...where, ks.where].join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
    params,
  );
  const out = toPage(rows, page, (r) => r.sort_key);
  return { items: out.items.map(toTarget), nextCursor: out.nextCursor };
}

/** One target of the family (a cluster id asked for as an account is not found). */
export async function getTarget(q: Queryable, family: TargetFamily, id: string): Promise<PostureTarget | undefined> {
  const { rows } = await q.query<TargetRow>(`${SELECT_TARGET} WHERE t.id = $1 AND t.provider = ANY($2::text[])`, [id, TARGET_FAMILIES[family]]);
  return rows[0] && toTarget(rows[0]);
}

export interface TrendPoint {
  readonly scanId: string;
  readonly createdAt: string;
  readonly risk: number | null;
  readonly failed: number;
  readonly notAssessed: number;
  /** Compliance % by framework id (frameworks with an applicable control). */
  readonly compliance: Readonly<Record<string, number>>;
}

/** Risk and compliance per framework over the target's last `scans` scans, oldest first. */
export async function targetTrend(q: Queryable, targetId: string, scans: number): Promise<TrendPoint[]> {
  const { rows } = await q.query<{ id: string; created_at: Date | string; risk: string | null; compliance: FrameworkScore[] | null; summary: PostureSummary }>(
    `SELECT id, created_at, risk, compliance, summary FROM posture_scans WHERE target_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
    [targetId, scans],
  );
  return rows.reverse().map((r) => ({
    scanId: r.id,
    createdAt: iso(r.created_at),
    risk: num(r.risk),
    failed: r.summary.failed,
    notAssessed: r.summary.notAssessed,
    compliance: Object.fromEntries(applicable(r.compliance).map((f) => [f.framework, f.compliance!])),
  }));
}

/** The id of each given target's most recent scan. */
export async function latestTargetScanIds(q: Queryable, targets: readonly string[]): Promise<string[]> {
  if (targets.length === 0) return [];
  const { rows } = await q.query<{ id: string }>(
    `SELECT DISTINCT ON (target_id) id FROM posture_scans WHERE target_id = ANY($1::uuid[]) ORDER BY target_id, created_at DESC, id DESC`,
    [targets],
  );
  return rows.map((r) => r.id);
}

/** A scan of the target: the named one (when it is the target's), else its latest. */
export async function targetScan(q: Queryable, targetId: string, scanId?: string): Promise<TargetScanSummary | undefined> {
  const { rows } = await q.query<ScanRow>(
    `SELECT ${SCAN_SUMMARY_COLUMNS} FROM posture_scans s
      WHERE s.target_id = $1 AND ($2::uuid IS NULL OR s.id = $2::uuid) ORDER BY s.created_at DESC, s.id DESC LIMIT 1`,
    [targetId, scanId ?? null],
  );
  return (rows[0] && toScanSummary(rows[0])) ?? undefined;
}
