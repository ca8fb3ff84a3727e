/**
 * Reading posture findings: the filtered, sorted, cursor-paginated list and the summary
 * counts (per severity, status and framework). Both read each project's latest scan unless
 * scans are named, or each named target's (cluster, cloud account) latest scan with the
 * `target` filter. Tenant transactions only.
 */
import type { ControlRef, FindingStatus, PostureSeverity, Provider } from '../../posture/model.js';
import type { Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';
import { latestScanIds } from './posture.js';
import { latestTargetScanIds } from './postureTargets.js';

export interface StoredPostureFinding {
  readonly id: string;
  readonly scanId: string;
  /** The project of a project scan, or the target (cluster, cloud account) of a collected scan. */
  readonly projectId: string | null;
  readonly projectName: string | null;
  readonly targetId: string | null;
  readonly targetName: string | null;
  readonly ruleId: string;
  readonly severity: PostureSeverity;
  readonly status: FindingStatus;
  readonly title: string;
  readonly message: string;
  readonly resource: {
    readonly kind: string;
    readonly id: string;
    readonly name: string;
    readonly provider: Provider;
    readonly account: string | null;
    readonly region: string | null;
    readonly namespace: string | null;
  };
  readonly location: { readonly file: string; readonly line: number };
  readonly frameworks: readonly ControlRef[];
  readonly remediation: string;
  readonly fix: string | null;
  readonly suppression: { readonly reason: string; readonly source: string; readonly expires: string | null } | null;
}

/** A posture_findings row with its project's or target's name (`project_name`, `target_id`, `target_name`). */
export interface FindingRow {
  id: string;
  scan_id: string;
  project_id: string | null;
  project_name: string | null;
  target_id: string | null;
  target_name: string | null;
  rule_id: string;
  severity: PostureSeverity;
  status: FindingStatus;
  title: string;
  message: string;
  resource_kind: string;
  resource_id: string;
  resource_name: string;
  provider: Provider;
  account: string | null;
  region: string | null;
  namespace: string | null;
  file: string;
  line: number;
  frameworks: ControlRef[];
  remediation: string;
  fix: string | null;
  suppression: StoredPostureFinding['suppression'];
}

export const toFinding = (r: FindingRow): StoredPostureFinding => ({
  id: r.id,
  scanId: r.scan_id,
  projectId: r.project_id,
  projectName: r.project_name,
  targetId: r.target_id,
  targetName: r.target_name,
  ruleId: r.rule_id,
  severity: r.severity,
  status: r.status,
  title: r.title,
  message: r.message,
  resource: { kind: r.resource_kind, id: r.resource_id, name: r.resource_name, provider: r.provider, account: r.account, region: r.region, namespace: r.namespace },
  location: { file: r.file, line: r.line },
  frameworks: r.frameworks,
  remediation: r.remediation,
  fix: r.fix,
  suppression: r.suppression,
});

export const POSTURE_FINDING_SORT: Record<string, SortColumn> = {
  severity: { column: 'f.severity_rank', cast: 'numeric' },
  rule: { column: 'f.rule_id', cast: 'text' },
  resource: { column: 'f.resource_id', cast: 'text' },
  // File, then line (zero-padded so the text order is the numeric order).
  file: { column: `(f.file || ':' || lpad(f.line::text, 10, '0'))`, cast: 'text' },
  status: { column: 'f.status', cast: 'text' },
};
export const POSTURE_FINDING_SORT_FIELDS = Object.keys(POSTURE_FINDING_SORT) as [string, ...string[]];

export interface PostureFindingFilter {
  readonly project?: readonly string[] | undefined;
  /** Targets (clusters, cloud accounts): their latest scans, or only their scans among `scan`. */
  readonly target?: readonly string[] | undefined;
  /** These scans; default: each (filtered) project's latest scan. */
  readonly scan?: readonly string[] | undefined;
  /** Any of these frameworks. */
  readonly framework?: readonly string[] | undefined;
  /** A control id: of `framework` when one framework is given, else of any framework. */
  readonly control?: string | undefined;
  readonly severity?: readonly string[] | undefined;
  readonly status?: readonly string[] | undefined;
  /** Substring of the resource id or name, case-insensitive. */
  readonly resource?: string | undefined;
  readonly rule?: readonly string[] | undefined;
  /** Resource kinds, e.g. `k8s:Deployment`, `tf:aws_s3_bucket`. */
  readonly kind?: readonly string[] | undefined;
  /** A file path, or a folder (every file under it). */
  readonly file?: string | undefined;
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, '\\$&');

/**
 * The scans a filter reads: the named ones; else with `target` the latest of each of those
 * targets (and of each named project, when `project` is given too); else the latest of each
 * (filtered) project.
 */
async function scansOf(q: Queryable, filter: PostureFindingFilter): Promise<string[]> {
  if (filter.scan?.length) return [...filter.scan];
  if (!filter.target?.length) return latestScanIds(q, filter.project);
  const targets = await latestTargetScanIds(q, filter.target);
  return filter.project?.length ? [...(await latestScanIds(q, filter.project)), ...targets] : targets;
}

/** WHERE clauses for a filter, given the scans to read; parameters appended to `params`. */
export function postureFindingWhere(f: PostureFindingFilter, scans: readonly string[], params: unknown[]): string[] {
  const p = (v: unknown) => `$${params.push(v)}`;
  // One scan (the usual case): an equality, so the (scan_id, severity_rank, id) index can
  // serve the default order with the LIMIT instead of sorting the whole scan.
  const w: string[] = [scans.length === 1 ? `f.scan_id = ${p(scans[0])}::uuid` : `f.scan_id = ANY(${p(scans)}::uuid[])`];
  // Targets: implied by the scans read, unless scans were named (or projects too).
  const ofTargets = () => `f.scan_id IN (SELECT s.id FROM posture_scans s WHERE s.target_id = ANY(${p(f.target)}::uuid[]))`;
  if (f.project?.length) {
    const ofProjects = `f.project_id = ANY(${p(f.project)}::uuid[])`;
    w.push(f.target?.length ? `(${ofProjects} OR ${ofTargets()})` : ofProjects);
  } else if (f.target?.length && f.scan?.length) w.push(ofTargets());
  // framework_keys holds framework ids and `framework:control` pairs (see migration 010).
  if (f.framework?.length) w.push(`f.framework_keys && ${p(f.framework)}::text[]`);
  if (f.control) {
    if (f.framework?.length === 1) w.push(`f.framework_keys @> ARRAY[${p(`${f.framework[0]}:${f.control}`)}]::text[]`);
    else w.push(`EXISTS (SELECT 1 FROM unnest(f.framework_keys) AS k WHERE strpos(k, ':') > 0 AND substr(k, strpos(k, ':') + 1) = ${p(f.control)})`);
  }
  if (f.severity?.length) w.push(`f.severity = ANY(${p(f.severity)}::text[])`);
  if (f.status?.length) w.push(`f.status = ANY(${p(f.status)}::text[])`);
  if (f.resource) {
    const like = p(`%${likeEscape(f.resource)}%`);
    w.push(`(f.resource_id ILIKE ${like} OR f.resource_name ILIKE ${like})`);
  }
  if (f.rule?.length) w.push(`f.rule_id = ANY(${p(f.rule)}::text[])`);
  if (f.kind?.length) w.push(`f.resource_kind = ANY(${p(f.kind)}::text[])`);
  if (f.file) {
    const dir = f.file.replace(/\/+$/, '');
    w.push(`(f.file = ${p(f.file)} OR f.file LIKE ${p(`${likeEscape(dir)}/%`)})`);
  }
  return w;
}

/** Joined onto findings `f`: the project's name, or the target of a collected scan. */
export const FINDING_OWNER_COLUMNS = 'p.name AS project_name, t.id AS target_id, t.name AS target_name';
export const FINDING_OWNER_JOINS = `LEFT JOIN projects p ON p.id = f.project_id
     LEFT JOIN posture_scans os ON f.project_id IS NULL AND os.id = f.scan_id
     LEFT JOIN posture_targets t ON t.id = os.target_id`;

export async function listPostureFindings(q: Queryable, filter: PostureFindingFilter, page: PageRequest): Promise<Page<StoredPostureFinding>> {
  const scans = await scansOf(q, filter);
  if (scans.length === 0) return { items: [], nextCursor: null };
  const params: unknown[] = [];
  const where = postureFindingWhere(filter, scans, params);
  const ks = keyset(page, POSTURE_FINDING_SORT, params.length + 1, 'f.id');
  params.push(...ks.params);
  // The page is cut from the findings alone (an index can serve the order), then joined.
  const { rows } = await q.query<FindingRow & { sort_key: string }>(
    `SELECT f.*, ${FINDING_OWNER_COLUMNS} FROM (
       SELECT f.*, ${ks.sortKey} AS sort_key FROM posture_findings f
        WHERE ${[...where, ks.where].join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}
     ) f ${FINDING_OWNER_JOINS}
      ORDER BY ${ks.orderBy}`,
    params,
  );
  const out = toPage(rows, page, (r) => r.sort_key);
  return { items: out.items.map(toFinding), nextCursor: out.nextCursor };
}

export interface PostureFindingSummary {
  /** Scans read (each project's latest unless scans were named) and their projects. */
  readonly scans: number;
  readonly projects: number;
  readonly total: number;
  readonly byStatus: Record<FindingStatus, number>;
  /** Failed findings by severity. */
  readonly bySeverity: Record<PostureSeverity, number>;
  /** Per framework: failed findings mapped to it and the distinct controls they fail. */
  readonly byFramework: Record<string, { readonly failed: number; readonly controls: number }>;
}

/** Counts over the same scans and filters as the list. */
export async function postureSummary(q: Queryable, filter: PostureFindingFilter): Promise<PostureFindingSummary> {
  const byStatus: Record<FindingStatus, number> = { fail: 0, suppressed: 0, 'not-assessed': 0 };
  const bySeverity: Record<PostureSeverity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  const byFramework: Record<string, { failed: number; controls: number }> = {};
  const scans = await scansOf(q, filter);
  if (scans.length === 0) return { scans: 0, projects: 0, total: 0, byStatus, bySeverity, byFramework };
  const params: unknown[] = [];
  const where = postureFindingWhere(filter, scans, params).join(' AND ');
  const { rows: counts } = await q.query<{ status: FindingStatus; severity: PostureSeverity; n: string }>(
    `SELECT f.status, f.severity, count(*) AS n FROM posture_findings f WHERE ${where} GROUP BY f.status, f.severity`,
    params,
  );
  let total = 0;
  for (const r of counts) {
    const n = Number(r.n);
    total += n;
    byStatus[r.status] += n;
    if (r.status === 'fail') bySeverity[r.severity] += n;
  }
  // Each finding holds each key once: a framework id counts the failed findings mapped to it,
  // its `framework:control` keys the distinct controls they fail (a few hundred keys at most).
  const { rows: keys } = await q.query<{ k: string; n: string }>(
    `SELECT k, count(*) AS n FROM posture_findings f, unnest(f.framework_keys) AS k WHERE ${where} AND f.status = 'fail' GROUP BY k`,
    params,
  );
  for (const { k, n } of [...keys].sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))) {
    const colon = k.indexOf(':');
    const fw = colon < 0 ? k : k.slice(0, colon);
    const entry = (byFramework[fw] ??= { failed: 0, controls: 0 });
    if (colon < 0) entry.failed = Number(n);
    else entry.controls++;
  }
  const { rows: seen } = await q.query<{ scans: string; projects: string }>(
    'SELECT count(*) AS scans, count(DISTINCT project_id) AS projects FROM posture_scans WHERE id = ANY($1::uuid[])',
    [scans],
  );
  return { scans: Number(seen[0]?.scans ?? 0), projects: Number(seen[0]?.projects ?? 0), total, byStatus, bySeverity, byFramework };
}
