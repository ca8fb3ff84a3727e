/**
 * Posture scans in the store: saving a scan with its findings (COPY where the driver offers
 * it, else multi-row INSERTs in batches), listing and reading scans, and each project's
 * latest scan. Findings lists and summaries are in postureQueries.ts; scans of collected
 * targets (clusters, cloud accounts) in postureTargets.ts, which stores its findings through
 * `insertPostureFindings` here. Tenant transactions only.
 */
import { randomUUID } from 'node:crypto';
import type { InputProblem, PostureFinding, PostureSeverity } from '../../posture/model.js';
import { summarise, type PostureSummary } from '../../posture/output/report.js';
import { copyArray, copyInt, copyJson, copyNullable, copyText } from '../copy.js';
import { APP_ROLE, type Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';

export const POSTURE_SCAN_SOURCES = ['cli', 'archive'] as const;
export type PostureScanSource = (typeof POSTURE_SCAN_SOURCES)[number];
/** Every scan's source: project scans (cli, archive) and collected scans of a registry target. */
export const ALL_SCAN_SOURCES = [...POSTURE_SCAN_SOURCES, 'collector'] as const;

/** Stored with each finding so that "worst first" is an index order. */
export const POSTURE_SEVERITY_RANK: Readonly<Record<PostureSeverity, number>> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** Errors kept per scan (the count is kept whole). */
export const MAX_STORED_ERRORS = 1000;
/** Errors shown per scan in lists; GET of one scan shows all that were kept. */
export const LIST_ERRORS = 20;

export interface PostureScanInput {
  readonly source: PostureScanSource;
  readonly target: string;
  readonly files: number;
  readonly resources: number;
  readonly findings: readonly PostureFinding[];
  readonly errors: readonly InputProblem[];
  readonly rulesVersion: string | null;
  readonly documentSha256: string | null;
  readonly createdBy: string | null;
}

export interface StoredPostureScan {
  readonly id: string;
  /** The project of a project scan; null for a collected scan of a cluster or account. */
  readonly projectId: string | null;
  readonly projectName: string | null;
  /** The registry target (cluster, cloud account) of a collected scan; null for a project scan. */
  readonly targetId: string | null;
  readonly targetName: string | null;
  readonly source: (typeof ALL_SCAN_SOURCES)[number];
  readonly target: string;
  readonly files: number;
  readonly resources: number;
  readonly findings: number;
  readonly summary: PostureSummary;
  readonly errors: readonly InputProblem[];
  readonly errorCount: number;
  readonly rulesVersion: string | null;
  readonly documentSha256: string | null;
  readonly createdBy: string | null;
  readonly createdAt: string;
}

interface ScanRow {
  id: string;
  project_id: string | null;
  project_name: string | null;
  target_id?: string | null;
  target_name?: string | null;
  source: (typeof ALL_SCAN_SOURCES)[number];
  target: string;
  files: number;
  resources: number;
  finding_count: number;
  summary: PostureSummary;
  errors: InputProblem[];
  error_count: number;
  rules_version: string | null;
  document_sha256: string | null;
  created_by: string | null;
  created_at: Date | string;
}

const toScan = (r: ScanRow): StoredPostureScan => ({
  id: r.id,
  projectId: r.project_id,
  projectName: r.project_name,
  targetId: r.target_id ?? null,
  targetName: r.target_name ?? null,
  source: r.source,
  target: r.target,
  files: r.files,
  resources: r.resources,
  findings: r.finding_count,
  summary: r.summary,
  errors: r.errors,
  errorCount: r.error_count,
  rulesVersion: r.rules_version,
  documentSha256: r.document_sha256,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
});

/** Text columns cannot hold NUL, and jsonb refuses unpaired surrogates: replace both. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const storable = (s: string): string => s.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
export const storableOrNull = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : storable(s));
/** JSON for a jsonb column: strings made storable first (JSON.stringify escapes NUL as \u0000). */
export const storableJson = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' ? storable(x) : x));

const SCAN_COLUMNS = `s.id, s.project_id, p.name AS project_name, s.source, s.target, s.files, s.resources, s.finding_count, s.summary,
  s.error_count, s.rules_version, s.document_sha256, s.created_by, s.created_at`;

/**
 * Stores a scan and its findings for `projectId` (visible to this tenant transaction) and
 * returns it. Thousands of findings go in by COPY (or INSERTs of 2,000 rows).
 */
export async function savePostureScan(q: Queryable, tenantId: string, projectId: string, scan: PostureScanInput): Promise<StoredPostureScan> {
  const summary = summarise(scan.findings);
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO posture_scans (tenant_id, project_id, source, target, files, resources, finding_count, summary, errors, error_count,
                                rules_version, document_sha256, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10, $11, $12, $13) RETURNING id`,
    [
      tenantId,
      projectId,
      scan.source,
      storable(scan.target).slice(0, 1000),
      scan.files,
      scan.resources,
      scan.findings.length,
      JSON.stringify(summary),
      storableJson(scan.errors.slice(0, MAX_STORED_ERRORS).map((e) => ({ path: e.path, ...(e.line !== undefined ? { line: e.line } : {}), reason: e.reason }))),
      scan.errors.length,
      storableOrNull(scan.rulesVersion)?.slice(0, 200) ?? null,
      scan.documentSha256,
      scan.createdBy,
    ],
  );
  const scanId = rows[0]!.id;
  await insertPostureFindings(q, tenantId, { projectId }, scanId, scan.findings);
  await q.query('UPDATE projects SET updated_at = now() WHERE id = $1', [projectId]);
  return (await getPostureScan(q, scanId))!;
}

const FINDING_COLUMNS =
  'id, tenant_id, scan_id, project_id, rule_id, severity, severity_rank, status, title, message, resource_kind, resource_id, resource_name, provider, account, region, namespace, file, line, frameworks, framework_keys, remediation, fix, suppression';
const CHUNK = 2000;

/** The framework ids and `framework:control` pairs of a finding: its GIN-indexed filter keys. */
export function frameworkKeys(f: Pick<PostureFinding, 'frameworks'>): string[] {
  const keys = new Set<string>();
  for (const c of f.frameworks) {
    keys.add(storable(c.framework));
    keys.add(storable(`${c.framework}:${c.control}`));
  }
  return [...keys];
}

/**
 * Stores the findings of scan `scanId` (created in this transaction). A target scan's findings
 * have no project (`projectId: null`): the scan names the target.
 */
export async function insertPostureFindings(
  q: Queryable,
  tenantId: string,
  subject: { readonly projectId: string | null },
  scanId: string,
  findings: readonly PostureFinding[],
): Promise<void> {
  if (findings.length === 0) return;
  const { projectId } = subject;
  if (q.copyFrom) {
    // COPY is not subject to row-level security (PostgreSQL refuses it for a role RLS applies
    // to), so it runs under the owner role for the COPY alone, as saveVersion does. Every row
    // carries the tenant of this transaction, checked first; the rows belong to a scan created
    // in this transaction, so no other writer can clash with them.
    const { rows: same } = await q.query<{ ok: boolean }>('SELECT vigil_current_tenant() = $1::uuid AS ok', [tenantId]);
    if (same[0]?.ok !== true) throw new Error('insertPostureFindings: tenant does not match the transaction');
    for (let i = 0; i < findings.length; i += CHUNK * 5) {
      const lines = findings.slice(i, i + CHUNK * 5).map((f) => copyLine(tenantId, scanId, projectId, f));
      await asOwner(q, () => q.copyFrom!(`posture_findings (${FINDING_COLUMNS})`, `${lines.join('\n')}\n`));
    }
    return;
  }
  for (let i = 0; i < findings.length; i += CHUNK) {
    await q.query(
      `INSERT INTO posture_findings (${FINDING_COLUMNS})
       SELECT x.id, $1, $2, $3, x.rule_id, x.severity, x.severity_rank, x.status, x.title, x.message, x.resource_kind, x.resource_id,
              x.resource_name, x.provider, x.account, x.region, x.namespace, x.file, x.line, x.frameworks, x.framework_keys,
              x.remediation, x.fix, x.suppression
         FROM json_to_recordset($4::json) AS x(id uuid, rule_id text, severity text, severity_rank smallint, status text, title text, message text,
              resource_kind text, resource_id text, resource_name text, provider text, account text, region text, namespace text,
              file text, line integer, frameworks jsonb, framework_keys text[], remediation text, fix text, suppression jsonb)`,
      [tenantId, scanId, projectId, storableJson(findings.slice(i, i + CHUNK).map(recordOf))],
    );
  }
}

function recordOf(f: PostureFinding): Record<string, unknown> {
  return {
    id: randomUUID(),
    rule_id: f.ruleId,
    severity: f.severity,
    severity_rank: POSTURE_SEVERITY_RANK[f.severity],
    status: f.status,
    title: f.title,
    message: f.message,
    resource_kind: f.resource.kind,
    resource_id: f.resource.id,
    resource_name: f.resource.name,
    provider: f.resource.provider,
    account: f.resource.account,
    region: f.resource.region,
    namespace: f.resource.namespace,
    file: f.location.file,
    line: f.location.line,
    frameworks: f.frameworks.map((c) => ({ framework: c.framework, control: c.control })),
    framework_keys: frameworkKeys(f),
    remediation: f.remediation,
    fix: f.fix,
    suppression: f.suppression,
  };
}

function copyLine(tenantId: string, scanId: string, projectId: string | null, f: PostureFinding): string {
  return [
    randomUUID(),
    tenantId,
    scanId,
    projectId ?? '\\N',
    copyText(storable(f.ruleId)),
    f.severity,
    String(POSTURE_SEVERITY_RANK[f.severity]),
    f.status,
    copyText(storable(f.title)),
    copyText(storable(f.message)),
    copyText(storable(f.resource.kind)),
    copyText(storable(f.resource.id)),
    copyText(storable(f.resource.name)),
    f.resource.provider,
    copyNullable(storableOrNull(f.resource.account)),
    copyNullable(storableOrNull(f.resource.region)),
    copyNullable(storableOrNull(f.resource.namespace)),
    copyText(storable(f.location.file)),
    copyInt(f.location.line),
    copyJson(storableJson(f.frameworks.map((c) => ({ framework: c.framework, control: c.control })))),
    copyArray(frameworkKeys(f)),
    copyText(storable(f.remediation)),
    copyNullable(storableOrNull(f.fix)),
    f.suppression ? copyJson(storableJson(f.suppression)) : '\\N',
  ].join('\t');
}

/** Runs a COPY under the session's own role, then takes the tenant role again. */
async function asOwner(q: Queryable, fn: () => Promise<void>): Promise<void> {
  await q.query('RESET ROLE');
  try {
    await fn();
  } finally {
    await q.query(`SET LOCAL ROLE ${APP_ROLE}`);
  }
}

export async function getPostureScan(q: Queryable, id: string): Promise<StoredPostureScan | undefined> {
  const { rows } = await q.query<ScanRow>(
    `SELECT ${SCAN_COLUMNS}, s.target_id, t.name AS target_name, s.errors
       FROM posture_scans s LEFT JOIN projects p ON p.id = s.project_id LEFT JOIN posture_targets t ON t.id = s.target_id
      WHERE s.id = $1`,
    [id],
  );
  return rows[0] && toScan(rows[0]);
}

export const POSTURE_SCAN_SORT: Record<string, SortColumn> = {
  createdAt: { column: 's.created_at', cast: 'timestamptz' },
  project: { column: 'p.name', cast: 'text' },
};
export const POSTURE_SCAN_SORT_FIELDS = Object.keys(POSTURE_SCAN_SORT) as [string, ...string[]];

export interface PostureScanFilter {
  readonly project?: readonly string[] | undefined;
  readonly source?: PostureScanSource | undefined;
  /** Only each project's latest scan. */
  readonly latest?: boolean | undefined;
}

/** Scans, newest first by default; `errors` holds the first LIST_ERRORS of each. */
export async function listPostureScans(q: Queryable, filter: PostureScanFilter, page: PageRequest): Promise<Page<StoredPostureScan>> {
  const params: unknown[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  const where: string[] = [];
  if (filter.project?.length) where.push(`s.project_id = ANY(${p(filter.project)}::uuid[])`);
  if (filter.source) where.push(`s.source = ${p(filter.source)}`);
  if (filter.latest) where.push(`s.id = ANY(${p(await latestScanIds(q, filter.project))}::uuid[])`);
  const ks = keyset(page, POSTURE_SCAN_SORT, params.length + 1, 's.id');
  params.push(...ks.params);
  const { rows } = await q.query<ScanRow & { sort_key: string }>(
    `SELECT ${SCAN_COLUMNS}, jsonb_path_query_array(s.errors, '$[0 to ${LIST_ERRORS - 1}]') AS errors, ${ks.sortKey} AS sort_key
       FROM posture_scans s JOIN projects p ON p.id = s.project_id
      WHERE ${[...where, ks.where].join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
    params,
  );
  const out = toPage(rows, page, (r) => r.sort_key);
  return { items: out.items.map(toScan), nextCursor: out.nextCursor };
}

/** The id of each project's most recent scan (of the given projects, or of all); target scans are not project scans. */
export async function latestScanIds(q: Queryable, projects?: readonly string[]): Promise<string[]> {
  const { rows } = await q.query<{ id: string }>(
    `SELECT DISTINCT ON (project_id) id FROM posture_scans
      WHERE project_id IS NOT NULL AND ($1::uuid[] IS NULL OR project_id = ANY($1::uuid[]))
      ORDER BY project_id, created_at DESC, id DESC`,
    [projects?.length ? projects : null],
  );
  return rows.map((r) => r.id);
}
