/**
 * Reading and triaging findings: the filtered, sorted, cursor-paginated list across projects,
 * one finding with its history, project summary counts, triage (one, many, or by advisory and
 * package across projects), SLA breaches and due-soon lists, and the tenant's SLA policy.
 */
import { normaliseVulnId, type Severity } from '../../core/advisory.js';
import type { Finding } from '../../match/model.js';
import { DEFAULT_SLA, slaDue, type SlaPolicy } from '../../match/sla.js';
import type { Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';
import { emitEvents, type EventInput } from './events.js';
import { FINDING_STATES, type FindingState } from './findings.js';

export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

export interface StoredFinding {
  readonly id: string;
  readonly projectId: string;
  readonly projectName: string;
  readonly versionId: string | null;
  readonly vulnId: string;
  readonly aliases: string[];
  readonly title: string | null;
  readonly package: { name: string; version: string; purl: string; ecosystem: string };
  readonly severity: Severity;
  readonly cvssScore: number | null;
  readonly kev: boolean;
  readonly epss: number | null;
  readonly risk: number;
  readonly fixedVersion: string | null;
  readonly direct: boolean | null;
  readonly confidence: 'high' | 'low';
  readonly state: FindingState;
  readonly triage: {
    readonly state: string;
    readonly justification: string | null;
    readonly reason: string | null;
    readonly expiresAt: string | null;
    readonly by: string | null;
    readonly at: string | null;
  } | null;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string;
  readonly fixedAt: string | null;
  readonly slaDueAt: string | null;
  readonly slaBreachedAt: string | null;
  readonly finding: Finding;
}

const iso = (d: Date | string | null | undefined): string | null => (d === null || d === undefined ? null : new Date(d).toISOString());

type Ts = Date | string | null;

interface FindingRow {
  id: string;
  project_id: string;
  project_name: string;
  version_id: string | null;
  vuln_id: string;
  ids: string[];
  package_name: string;
  package_version: string;
  package_purl: string;
  ecosystem: string;
  severity: Severity;
  cvss_score: string | number | null;
  kev: boolean;
  epss: string | number | null;
  risk: string | number;
  fixed_version: string | null;
  direct: boolean | null;
  confidence: 'high' | 'low';
  state: FindingState;
  triage_state: string | null;
  justification: string | null;
  triage_reason: string | null;
  triage_expires_at: Ts;
  triage_by: string | null;
  triage_at: Ts;
  first_seen_at: Ts;
  last_seen_at: Ts;
  fixed_at: Ts;
  sla_due_at: Ts;
  sla_breached_at: Ts;
  data: Finding;
}

function toStored(r: FindingRow): StoredFinding {
  const f = r.data;
  return {
    id: r.id,
    projectId: r.project_id,
    projectName: r.project_name,
    versionId: r.version_id,
    vulnId: r.vuln_id,
    aliases: r.ids.filter((i) => i !== r.vuln_id),
    title: f.title ?? null,
    package: { name: r.package_name, version: r.package_version, purl: r.package_purl, ecosystem: r.ecosystem },
    severity: r.severity,
    cvssScore: r.cvss_score === null ? null : Number(r.cvss_score),
    kev: r.kev,
    epss: r.epss === null ? null : Number(r.epss),
    risk: Number(r.risk),
    fixedVersion: r.fixed_version,
    direct: r.direct,
    confidence: r.confidence,
    state: r.state,
    triage: r.triage_state
      ? { state: r.triage_state, justification: r.justification, reason: r.triage_reason, expiresAt: iso(r.triage_expires_at), by: r.triage_by, at: iso(r.triage_at) }
      : null,
    firstSeenAt: iso(r.first_seen_at)!,
    lastSeenAt: iso(r.last_seen_at)!,
    fixedAt: iso(r.fixed_at),
    slaDueAt: iso(r.sla_due_at),
    slaBreachedAt: iso(r.sla_breached_at),
    finding: f,
  };
}

export const FINDING_SORT: Record<string, SortColumn> = {
  severity: { column: 'f.severity_rank', cast: 'numeric' },
  risk: { column: 'f.risk', cast: 'numeric' },
  cvss: { column: 'coalesce(f.cvss_score, -1)', cast: 'numeric' },
  // CASE rather than COALESCE (same values): under row-level security only leakproof conditions
  // bound an index scan, and PostgreSQL counts COALESCE as leaky, CASE not. The keyset cursor and
  // the SLA filters then start inside the index (migration 017) instead of filtering from its start.
  epss: { column: 'CASE WHEN f.epss IS NULL THEN -1 ELSE f.epss END', cast: 'numeric' },
  kev: { column: 'f.kev::int', cast: 'numeric' },
  slaDue: { column: "CASE WHEN f.sla_due_at IS NULL THEN '9999-12-31T00:00:00Z'::timestamptz ELSE f.sla_due_at END", cast: 'timestamptz' },
  firstSeen: { column: 'f.first_seen_at', cast: 'timestamptz' },
  lastSeen: { column: 'f.last_seen_at', cast: 'timestamptz' },
  package: { column: 'f.package_name', cast: 'text' },
  version: { column: 'f.package_version', cast: 'text' },
  advisory: { column: 'f.vuln_id', cast: 'text' },
  state: { column: 'f.state', cast: 'text' },
  ecosystem: { column: 'f.ecosystem', cast: 'text' },
  project: { column: 'p.name', cast: 'text' },
};
export const FINDING_SORT_FIELDS = Object.keys(FINDING_SORT) as [string, ...string[]];

export interface FindingFilter {
  readonly project?: readonly string[] | undefined;
  readonly severity?: readonly string[] | undefined;
  readonly state?: readonly string[] | undefined;
  readonly kev?: boolean | undefined;
  readonly epssMin?: number | undefined;
  readonly riskMin?: number | undefined;
  readonly cvssMin?: number | undefined;
  /** Package name (exact, case-insensitive) or purl prefix (`pkg:npm/lodash`). */
  readonly package?: string | undefined;
  readonly ecosystem?: string | undefined;
  /** Any id of the finding's alias group. */
  readonly advisory?: string | undefined;
  readonly slaDueBefore?: string | undefined;
  readonly slaBreached?: boolean | undefined;
  readonly direct?: boolean | undefined;
  readonly fixAvailable?: boolean | undefined;
  /** Active = open or in triage (the default list); false = every state. */
  readonly activeOnly?: boolean | undefined;
}

const SELECT = `SELECT f.*, p.name AS project_name FROM findings f JOIN projects p ON p.id = f.project_id`;

/** WHERE clauses for a filter; parameters appended to `params`. */
export function findingWhere(f: FindingFilter, params: unknown[]): string[] {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const w: string[] = [];
  if (f.project?.length) w.push(`f.project_id = ANY(${p(f.project)}::uuid[])`);
  if (f.severity?.length) w.push(`f.severity = ANY(${p(f.severity)}::text[])`);
  if (f.state?.length) w.push(`f.state = ANY(${p(f.state)}::text[])`);
  else if (f.activeOnly) w.push(`f.state IN ('open', 'in_triage')`);
  if (f.kev !== undefined) w.push(`f.kev = ${p(f.kev)}`);
  if (f.epssMin !== undefined) w.push(`f.epss >= ${p(f.epssMin)}`);
  if (f.riskMin !== undefined) w.push(`f.risk >= ${p(f.riskMin)}`);
  if (f.cvssMin !== undefined) w.push(`f.cvss_score >= ${p(f.cvssMin)}`);
  if (f.package) {
    if (f.package.startsWith('pkg:')) w.push(`(f.package_purl = ${p(f.package)} OR f.package_purl LIKE ${p(`${f.package.replace(/[\\%_]/g, (c) => `\\${c}`)}@%`)})`);
    else w.push(`lower(f.package_name) = ${p(f.package.toLowerCase())}`);
  }
  if (f.ecosystem) w.push(`split_part(f.ecosystem, ':', 1) = ${p(f.ecosystem.split(':')[0])}`);
  if (f.advisory) w.push(`f.ids @> ARRAY[${p(normaliseVulnId(f.advisory))}]::text[]`);
  // On the slaDue sort expression (no due date = 9999-12-31), with the clock as a parameter
  // (now() is not leakproof): each SLA list is one range of findings_tenant_sla_due_idx.
  const due = FINDING_SORT['slaDue']!.column;
  const now = () => `${p(new Date().toISOString())}::timestamptz`;
  if (f.slaDueBefore) w.push(`${due} < ${p(f.slaDueBefore)}::timestamptz`);
  if (f.slaBreached === true) w.push(`${due} < ${now()} AND f.state IN ('open', 'in_triage')`);
  // Only open and in-triage findings listed (the due-soon list): a range, not an OR.
  else if (f.slaBreached === false && f.activeOnly && !f.state?.length) w.push(`${due} >= ${now()}`);
  else if (f.slaBreached === false) w.push(`(${due} >= ${now()} OR f.state NOT IN ('open', 'in_triage'))`);
  if (f.direct !== undefined) w.push(`f.direct = ${p(f.direct)}`);
  if (f.fixAvailable !== undefined) w.push(f.fixAvailable ? 'f.fixed_version IS NOT NULL' : 'f.fixed_version IS NULL');
  return w;
}

export async function listFindings(q: Queryable, filter: FindingFilter, page: PageRequest): Promise<Page<StoredFinding>> {
  const params: unknown[] = [];
  const where = findingWhere(filter, params);
  const ks = keyset(page, FINDING_SORT, params.length + 1, 'f.id');
  params.push(...ks.params);
  const { rows } = await q.query<FindingRow & { sort_key: unknown }>(
    `${SELECT.replace('SELECT f.*', `SELECT f.*, ${ks.sortKey} AS sort_key`)} WHERE ${[...where, ks.where].join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
    params,
  );
  const page2 = toPage(rows, page, (r) => r.sort_key);
  return { items: page2.items.map(toStored), nextCursor: page2.nextCursor };
}

export async function getFinding(q: Queryable, id: string): Promise<StoredFinding | undefined> {
  const { rows } = await q.query<FindingRow>(`${SELECT} WHERE f.id = $1`, [id]);
  return rows[0] ? toStored(rows[0]) : undefined;
}

export interface FindingHistoryEntry {
  readonly at: string;
  readonly actor: string;
  readonly from: string | null;
  readonly to: string;
  readonly justification: string | null;
  readonly reason: string | null;
  readonly expiresAt: string | null;
}

export async function findingHistory(q: Queryable, id: string): Promise<FindingHistoryEntry[]> {
  const { rows } = await q.query<{ at: Date; actor: string; from_state: string | null; to_state: string; justification: string | null; reason: string | null; expires_at: Date | null }>(
    `SELECT at, actor, from_state, to_state, justification, reason, expires_at FROM finding_events WHERE finding_id = $1 ORDER BY id LIMIT 500`,
    [id],
  );
  return rows.map((r) => ({ at: iso(r.at)!, actor: r.actor, from: r.from_state, to: r.to_state, justification: r.justification, reason: r.reason, expiresAt: iso(r.expires_at) }));
}

export interface FindingSummary {
  readonly total: number;
  readonly active: number;
  readonly bySeverity: Record<string, number>;
  readonly byState: Record<string, number>;
  readonly kev: number;
  readonly fixAvailable: number;
  readonly slaBreached: number;
  readonly slaDueSoon: number;
}

/**
 * Counts for one project (or the whole tenant): severities count active findings only.
 *
 * The counts by state and severity, KEV and fix come from finding_stats, which triggers keep
 * as findings change (migration 018): a few rows per project instead of every finding. The SLA
 * counts depend on the clock, so they are counted in the findings, over the active findings'
 * due dates only (findings_tenant_state_due_idx, or findings_project_state_idx for one project).
 * `now` is a parameter, not now(): under row-level security only a leakproof comparison bounds
 * the index scan (migration 017).
 */
export async function findingSummary(q: Queryable, projectId: string | undefined, dueSoonDays: number): Promise<FindingSummary> {
  const { rows } = await q.query<{ state: string; severity: string; n: string; kev: string; fix: string }>(
    `SELECT state, severity, sum(n) AS n, sum(kev) AS kev, sum(fix) AS fix
       FROM finding_stats ${projectId ? 'WHERE project_id = $1' : 'WHERE $1::uuid IS NULL'} GROUP BY state, severity`,
    [projectId ?? null],
  );
  const { rows: sla } = await q.query<{ breached: string; soon: string }>(
    `SELECT count(*) FILTER (WHERE sla_due_at < $2) AS breached, count(*) FILTER (WHERE sla_due_at >= $2) AS soon
       FROM findings
      WHERE state IN ('open', 'in_triage') AND sla_due_at < $2::timestamptz + make_interval(days => $3)
        ${projectId ? 'AND project_id = $1' : 'AND $1::uuid IS NULL'}`,
    [projectId ?? null, new Date().toISOString(), dueSoonDays],
  );
  const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, none: 0, unknown: 0 };
  const byState: Record<string, number> = Object.fromEntries(FINDING_STATES.map((s) => [s, 0]));
  let total = 0;
  let active = 0;
  let kev = 0;
  let fix = 0;
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    byState[r.state] = (byState[r.state] ?? 0) + n;
    if (r.state === 'open' || r.state === 'in_triage') {
      active += n;
      bySeverity[r.severity] = (bySeverity[r.severity] ?? 0) + n;
      kev += Number(r.kev);
      fix += Number(r.fix);
    }
  }
  return { total, active, bySeverity, byState, kev, fixAvailable: fix, slaBreached: Number(sla[0]?.breached ?? 0), slaDueSoon: Number(sla[0]?.soon ?? 0) };
}

export interface TriageChange {
  readonly state: FindingState;
  readonly justification?: VexJustification | undefined;
  readonly reason?: string | undefined;
  readonly expiresAt?: string | undefined;
}

/**
 * Sets the state of the given findings (already visible to the tenant transaction), records
 * who/when/why in finding_events and emits `finding.triaged`. `open` clears the decision.
 * Returns the ids changed.
 */
export async function triageFindings(q: Queryable, tenantId: string, ids: readonly string[], change: TriageChange, actor: string): Promise<string[]> {
  if (ids.length === 0) return [];
  const clear = change.state === 'open';
  const { rows } = await q.query<{ id: string; from_state: string; project_id: string; vuln_id: string; package_purl: string }>(
    `UPDATE findings f SET state = $2,
            triage_state = CASE WHEN $3 THEN NULL ELSE $2 END,
            justification = CASE WHEN $3 THEN NULL ELSE $4 END,
            triage_reason = CASE WHEN $3 THEN NULL ELSE $5 END,
            triage_expires_at = CASE WHEN $3 THEN NULL ELSE $6::timestamptz END,
            triage_by = $7, triage_at = now(),
            fixed_at = CASE WHEN $2 = 'fixed' THEN coalesce(f.fixed_at, now()) ELSE NULL END
       FROM (SELECT id, state AS from_state FROM findings WHERE id = ANY($1::uuid[]) FOR UPDATE) old
      WHERE f.id = old.id
      RETURNING f.id, old.from_state, f.project_id, f.vuln_id, f.package_purl`,
    [ids, change.state, clear, change.justification ?? null, change.reason ?? null, change.expiresAt ?? null, actor],
  );
  if (rows.length === 0) return [];
  await q.query(
    `INSERT INTO finding_events (tenant_id, finding_id, actor, from_state, to_state, justification, reason, expires_at)
     SELECT $1, x.id, $2, x.from_state, $3, $4, $5, $6::timestamptz FROM json_to_recordset($7::json) AS x(id uuid, from_state text)`,
    [tenantId, actor, change.state, change.justification ?? null, change.reason ?? null, change.expiresAt ?? null, JSON.stringify(rows.map((r) => ({ id: r.id, from_state: r.from_state })))],
  );
  const events: EventInput[] = rows.map((r) => ({
    type: 'finding.triaged',
    subject: r.id,
    payload: { findingId: r.id, projectId: r.project_id, vulnId: r.vuln_id, purl: r.package_purl, from: r.from_state, to: change.state, by: actor },
  }));
  await emitEvents(q, tenantId, events);
  return rows.map((r) => r.id);
}

/** Finding ids matching a filter (for bulk triage across projects), at most `max`. */
export async function findingIdsWhere(q: Queryable, filter: FindingFilter, max: number): Promise<string[]> {
  const params: unknown[] = [];
  const where = findingWhere(filter, params);
  params.push(max + 1);
  const { rows } = await q.query<{ id: string }>(
    `SELECT f.id FROM findings f WHERE ${where.length ? where.join(' AND ') : 'TRUE'} ORDER BY f.id LIMIT $${params.length}`,
    params,
  );
  return rows.map((r) => r.id);
}

/* ---------- SLA policy ---------- */

export async function getSlaPolicy(q: Queryable): Promise<SlaPolicy & { custom: boolean }> {
  const { rows } = await q.query<{ critical_days: number; high_days: number; medium_days: number; low_days: number; unknown_days: number | null; kev_days: number | null; start: 'first_seen' | 'published'; due_soon_days: number }>(
    `SELECT critical_days, high_days, medium_days, low_days, unknown_days, kev_days, start, due_soon_days FROM sla_policies LIMIT 1`,
  );
  const r = rows[0];
  if (!r) return { ...DEFAULT_SLA, custom: false };
  return {
    criticalDays: r.critical_days,
    highDays: r.high_days,
    mediumDays: r.medium_days,
    lowDays: r.low_days,
    unknownDays: r.unknown_days,
    kevDays: r.kev_days,
    start: r.start,
    dueSoonDays: r.due_soon_days,
    custom: true,
  };
}

/** Saves the policy and recomputes the due date of every finding of the tenant. */
export async function setSlaPolicy(q: Queryable, tenantId: string, p: SlaPolicy, actor: string): Promise<number> {
  await q.query(
    `INSERT INTO sla_policies (tenant_id, critical_days, high_days, medium_days, low_days, unknown_days, kev_days, start, due_soon_days, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())
     ON CONFLICT (tenant_id) DO UPDATE SET critical_days = EXCLUDED.critical_days, high_days = EXCLUDED.high_days,
       medium_days = EXCLUDED.medium_days, low_days = EXCLUDED.low_days, unknown_days = EXCLUDED.unknown_days,
       kev_days = EXCLUDED.kev_days, start = EXCLUDED.start, due_soon_days = EXCLUDED.due_soon_days,
       updated_by = EXCLUDED.updated_by, updated_at = now()`,
    [tenantId, p.criticalDays, p.highDays, p.mediumDays, p.lowDays, p.unknownDays, p.kevDays, p.start, p.dueSoonDays, actor],
  );
  const { rows } = await q.query<{ id: string; severity: 'critical'; kev: boolean; first_seen_at: Date; published: Date | null }>(
    `SELECT id, severity, kev, first_seen_at, published FROM findings`,
  );
  const due = rows.map((r) => ({ id: r.id, due: slaDue(p, { severity: r.severity, kev: r.kev, firstSeen: new Date(r.first_seen_at), published: r.published ? new Date(r.published) : null })?.toISOString() ?? null }));
  for (let i = 0; i < due.length; i += 5000) {
    await q.query(
      `UPDATE findings f SET sla_due_at = x.due, sla_breached_at = CASE WHEN x.due IS NULL OR x.due > now() THEN NULL ELSE f.sla_breached_at END
         FROM json_to_recordset($1::json) AS x(id uuid, due timestamptz) WHERE f.id = x.id`,
      [JSON.stringify(due.slice(i, i + 5000))],
    );
  }
  return due.length;
}
