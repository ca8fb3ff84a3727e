/**
 * The projects list with each project's open-finding aggregate (issue 8): open findings by
 * severity, how many are in CISA KEV, the highest EPSS, the highest finding risk and the
 * project's risk figure, sortable on the server by any of them.
 *
 * The project's risk is the sum of the risk scores (0-10 each, src/match/risk.ts) of its open
 * findings (open or in triage), one decimal: fixing any finding lowers it, a project with forty
 * medium findings can outrank one with a single high, and it is what can be removed. The
 * highest single finding risk is returned beside it (`maxRisk`).
 *
 * The counts, KEV and risk sum come from finding_stats, which triggers keep as findings change
 * (migration 018): sorting by risk, open findings or KEV reads a few rows per project, not the
 * findings. The highest EPSS and risk cannot be kept by adding (a fix lowers them), so they are
 * read from the findings for the page of projects shown only, one index-only lookup each
 * (findings_project_state_idx, also migration 018). Sorting by the highest EPSS still
 * aggregates every open finding of the tenant in one grouped pass. Sorted by the projects' own
 * columns (name, dates: the project pickers), the page of projects is chosen from the projects
 * alone.
 */
import { SEVERITIES, type Severity } from '../../core/advisory.js';
import type { Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';
import type { Project, ProjectKind } from './projects.js';

export interface ProjectRisk {
  readonly open: number;
  readonly bySeverity: Record<Severity, number>;
  readonly kev: number;
  readonly maxEpss: number | null;
  readonly maxRisk: number | null;
  /** Sum of the open findings' risk scores. */
  readonly risk: number;
}

export type ProjectWithRisk = Project & { readonly findings: ProjectRisk };

export const PROJECT_RISK_SORT: Record<string, SortColumn> = {
  name: { column: 'p.name', cast: 'text' },
  createdAt: { column: 'p.created_at', cast: 'timestamptz' },
  updatedAt: { column: 'p.updated_at', cast: 'timestamptz' },
  risk: { column: 'p.risk', cast: 'numeric' },
  open: { column: 'p.open', cast: 'numeric' },
  kev: { column: 'p.kev', cast: 'numeric' },
  maxEpss: { column: 'p.max_epss_key', cast: 'numeric' },
};
export const PROJECT_RISK_SORT_FIELDS = Object.keys(PROJECT_RISK_SORT) as [string, ...string[]];

interface Row {
  id: string;
  tenant_id: string;
  name: string;
  kind: ProjectKind;
  description: string | null;
  criticality: Project['criticality'];
  created_at: Date;
  updated_at: Date;
  latest: { id: string; version: string; components: number; created_at: string } | null;
  open: string;
  kev: string;
  max_epss: number | null;
  max_risk: string | null;
  risk: string;
  by_severity: Record<string, number>;
}

const ACTIVE = `('open', 'in_triage')`;

/** Every project's highest open EPSS, from its findings in one grouped pass: what sorting by it needs (adding cannot keep a maximum). */
const MAX_EPSS = `SELECT project_id, max(epss) AS max_epss FROM findings WHERE state IN ${ACTIVE} GROUP BY project_id`;

/** Every project's open findings by severity, KEV and risk sum, from the counts kept in finding_stats (migration 018). */
const STATS_COLUMNS = `sum(n) AS open, sum(kev) AS kev, round(sum(risk), 1) AS risk,
         ${SEVERITIES.map((s) => `sum(n) FILTER (WHERE severity = '${s}') AS n_${s}`).join(', ')}`;
const STATS = `SELECT project_id, ${STATS_COLUMNS} FROM finding_stats WHERE state IN ${ACTIVE} GROUP BY project_id`;
/** One project's kept counts (the primary key, tenant and project first). */
const STATS_OF_P = `SELECT ${STATS_COLUMNS} FROM finding_stats s WHERE s.project_id = p.id AND s.state IN ${ACTIVE}`;
/** One project's highest EPSS and risk, which cannot be kept by adding: read for the page shown only (findings_project_state_idx, index-only). */
const MAX_OF_P = `SELECT max(epss) AS max_epss, max(risk) AS max_risk FROM findings f WHERE f.project_id = p.id AND f.state IN ${ACTIVE}`;

/** The columns of a project row `p` with its aggregate `a` (and its latest version). */
const COLUMNS = `p.id, p.tenant_id, p.name, p.kind, p.description, p.criticality, p.created_at, p.updated_at,
       (SELECT json_build_object('id', v.id, 'version', v.version, 'components', v.component_count, 'created_at', v.created_at)
          FROM project_versions v WHERE v.project_id = p.id ORDER BY v.created_at DESC, v.id DESC LIMIT 1) AS latest,
       coalesce(a.open, 0) AS open, coalesce(a.kev, 0) AS kev, m.max_epss, m.max_risk,
       coalesce(a.risk, 0) AS risk,
       json_build_object(${SEVERITIES.map((s) => `'${s}', coalesce(a.n_${s}, 0)`).join(', ')}) AS by_severity`;

/** Sorts by a project's own columns: the page is chosen first and only its projects are aggregated. */
const OWN_SORTS = new Set(['name', 'createdAt', 'updatedAt']);
/** Sorts the kept counts answer: every project's figure from finding_stats, then the page. */
const STATS_SORTS = new Set(['risk', 'open', 'kev']);

const toItem = (r: Row): ProjectWithRisk => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  kind: r.kind,
  description: r.description,
  criticality: r.criticality,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
  latestVersion: r.latest && { id: r.latest.id, version: r.latest.version, components: r.latest.components, createdAt: new Date(r.latest.created_at).toISOString() },
  findings: {
    open: Number(r.open),
    bySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, Number(r.by_severity[s] ?? 0)])) as Record<Severity, number>,
    kev: Number(r.kev),
    maxEpss: r.max_epss === null ? null : Number(r.max_epss),
    maxRisk: r.max_risk === null ? null : Number(r.max_risk),
    risk: Number(r.risk),
  },
});

export async function listProjectsWithRisk(q: Queryable, filter: { q?: string | undefined; kind?: ProjectKind | undefined }, page: PageRequest): Promise<Page<ProjectWithRisk>> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.q) where.push(`p.name ILIKE $${params.push(`%${filter.q.replace(/[\\%_]/g, '\\$&')}%`)}`);
  if (filter.kind) where.push(`p.kind = $${params.push(filter.kind)}`);
  const ks = keyset(page, PROJECT_RISK_SORT, params.length + 1, 'p.id');
  params.push(...ks.params);
  const sortField = page.sort.replace(/^-/, '');
  const filters = [...where, ks.where].join(' AND ');
  // The rows the page is chosen from: the projects, with the figure to sort by when it is an aggregate.
  const source = OWN_SORTS.has(sortField)
    ? 'projects'
    : STATS_SORTS.has(sortField)
      ? `(SELECT p.*, coalesce(a.open, 0) AS open, coalesce(a.kev, 0) AS kev, coalesce(a.risk, 0) AS risk
            FROM projects p LEFT JOIN (${STATS}) a ON a.project_id = p.id)`
      : `(SELECT p.*, coalesce(a.max_epss, -1) AS max_epss_key FROM projects p LEFT JOIN (${MAX_EPSS}) a ON a.project_id = p.id)`;
  // The page of projects `p` (with its sort key and order), then its aggregate `a` and maxima `m`.
  const pageSql = `SELECT p.*, ${ks.sortKey} AS sort_key, row_number() OVER (ORDER BY ${ks.orderBy}) AS ord
                     FROM ${source} p WHERE ${filters} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`;
  const sql = `SELECT ${COLUMNS}, p.sort_key FROM (${pageSql}) p
                 LEFT JOIN LATERAL (${STATS_OF_P}) a ON true
                 LEFT JOIN LATERAL (${MAX_OF_P}) m ON true
                ORDER BY p.ord`;
  const { rows } = await q.query<Row & { sort_key: string }>(sql, params);
  const keys = new Map(rows.map((r) => [r.id, r.sort_key]));
  return toPage(rows.map(toItem), page, (x) => keys.get(x.id));
}
