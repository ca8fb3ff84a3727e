/**
 * A project's findings in the store: `syncFindings` reconciles what the matcher found for the
 * project's current inventory with the rows already there (new rows, refreshed rows, rows no
 * longer present marked fixed, fixed rows seen again reopened), carries earlier triage
 * decisions to the same package and vulnerability, sets SLA due dates and writes the events,
 * all in the caller's (tenant) transaction.
 */
import { randomUUID } from 'node:crypto';
import { matchKey } from '../../core/ecosystem.js';
import type { Finding } from '../../match/model.js';
import { slaDue, type SlaPolicy } from '../../match/sla.js';
import type { Queryable } from '../db.js';
import { emitEvents, type EventInput } from './events.js';

export const FINDING_STATES = ['open', 'in_triage', 'accepted_risk', 'false_positive', 'not_affected', 'fixed'] as const;
export type FindingState = (typeof FINDING_STATES)[number];

export const SEVERITY_RANK = { critical: 5, high: 4, medium: 3, low: 2, none: 1, unknown: 0 } as const;

/** The states a decision leaves: they carry to later versions and stop the SLA clock (except in_triage). */
const CARRIED = new Set(['in_triage', 'accepted_risk', 'false_positive', 'not_affected']);

export interface SyncCounts {
  created: number;
  updated: number;
  fixed: number;
  reopened: number;
  /** New rows that took an earlier decision for the same package and vulnerability. */
  inherited: number;
}

interface ExistingRow {
  id: string;
  vuln_id: string;
  ids: string[];
  package_key: string;
  package_version: string;
  state: string;
  triage_state: string | null;
  justification: string | null;
  triage_reason: string | null;
  triage_expires_at: Date | string | null;
  triage_by: string | null;
  triage_at: Date | string | null;
  first_seen_at: Date | string;
}

export function findingIds(f: Finding): string[] {
  return [f.id, ...f.aliases];
}

const overlaps = (a: readonly string[], b: ReadonlySet<string>) => a.some((x) => b.has(x));
const asDate = (d: Date | string | null): Date | null => (d === null ? null : d instanceof Date ? d : new Date(d));

export interface SyncArgs {
  readonly tenantId: string;
  readonly projectId: string;
  readonly versionId: string | null;
  readonly findings: readonly Finding[];
  readonly policy: SlaPolicy;
  /** Recorded as the actor of automatic transitions, e.g. `system:match`. */
  readonly actor: string;
  readonly now?: Date | undefined;
}

/** Reconciles the project's findings with a fresh match (see the file comment). */
export async function syncFindings(q: Queryable, a: SyncArgs): Promise<SyncCounts> {
  const now = a.now ?? new Date();
  const { rows: existing } = await q.query<ExistingRow>(
    `SELECT id, vuln_id, ids, package_key, package_version, state, triage_state, justification, triage_reason,
            triage_expires_at, triage_by, triage_at, first_seen_at
       FROM findings WHERE project_id = $1`,
    [a.projectId],
  );
  const byPkgVersion = new Map<string, ExistingRow[]>();
  const decisionsByPkg = new Map<string, ExistingRow[]>();
  for (const r of existing) {
    const k = `${r.package_key}\0${r.package_version}`;
    byPkgVersion.set(k, [...(byPkgVersion.get(k) ?? []), r]);
    if (r.triage_state && CARRIED.has(r.triage_state)) decisionsByPkg.set(r.package_key, [...(decisionsByPkg.get(r.package_key) ?? []), r]);
  }
  const seen = new Set<string>();
  const inserts: Record<string, unknown>[] = [];
  const updates: Record<string, unknown>[] = [];
  const history: { finding_id: string | null; idx?: number; from: string | null; to: string; reason: string | null; justification: string | null; expires: string | null }[] = [];
  const events: EventInput[] = [];
  const counts: SyncCounts = { created: 0, updated: 0, fixed: 0, reopened: 0, inherited: 0 };
  const taken = new Set<string>();
  for (const f of a.findings) {
    const pkgKey = matchKey(f.package.ecosystem, f.package.name);
    const ids = new Set(findingIds(f));
    const dedupe = `${pkgKey}\0${f.package.version}\0${f.id}`;
    if (taken.has(dedupe)) continue;
    taken.add(dedupe);
    const row = (byPkgVersion.get(`${pkgKey}\0${f.package.version}`) ?? []).find((r) => !seen.has(r.id) && overlaps(r.ids, ids));
    const common = {
      vuln_id: f.id,
      ids: [...ids],
      package_key: pkgKey,
      package_name: f.package.name,
      package_version: f.package.version,
      package_purl: f.package.purl,
      ecosystem: f.package.ecosystem,
      severity: f.severity,
      severity_rank: SEVERITY_RANK[f.severity],
      cvss_score: f.cvss.length > 0 ? Math.max(...f.cvss.map((c) => c.score ?? 0)) : null,
      kev: f.kev !== null,
      epss: f.epss?.score ?? null,
      risk: f.risk.score,
      fixed_version: f.fixedVersions[0] ?? null,
      direct: f.package.direct ?? null,
      confidence: f.confidence,
      published: f.published ?? null,
      data: f,
    };
    if (row) {
      seen.add(row.id);
      const firstSeen = asDate(row.first_seen_at)!;
      let state = row.state;
      if (state === 'fixed') {
        state = row.triage_state && CARRIED.has(row.triage_state) && !expired(row, now) ? row.triage_state : 'open';
        counts.reopened++;
        history.push({ finding_id: row.id, from: 'fixed', to: state, reason: 'seen again in the current inventory', justification: null, expires: null });
        events.push({ type: 'finding.reopened', subject: row.id, payload: eventPayload(a, row.id, f) });
      } else counts.updated++;
      updates.push({ id: row.id, ...common, state, sla_due_at: due(a.policy, f, firstSeen) });
      continue;
    }
    const decision = (decisionsByPkg.get(pkgKey) ?? [])
      .filter((r) => overlaps(r.ids, ids) && !expired(r, now))
      .sort((x, y) => (asDate(y.triage_at)?.getTime() ?? 0) - (asDate(x.triage_at)?.getTime() ?? 0))[0];
    const state = decision?.triage_state ?? 'open';
    if (decision) counts.inherited++;
    counts.created++;
    const idx = inserts.length;
    inserts.push({
      id: randomUUID(),
      ...common,
      state,
      triage_state: decision?.triage_state ?? null,
      justification: decision?.justification ?? null,
      triage_reason: decision ? `${decision.triage_reason ?? ''}`.slice(0, 4000) || null : null,
      triage_expires_at: decision ? asDate(decision.triage_expires_at)?.toISOString() ?? null : null,
      triage_by: decision?.triage_by ?? null,
      triage_at: decision ? asDate(decision.triage_at)?.toISOString() ?? null : null,
      sla_due_at: due(a.policy, f, now),
    });
    if (decision) history.push({ finding_id: null, idx, from: null, to: state, reason: `decision carried from finding ${decision.id}`, justification: decision.justification, expires: null });
    events.push({ type: 'finding.created', subject: '', payload: eventPayload(a, '', f), idx });
  }
  const gone = existing.filter((r) => !seen.has(r.id) && r.state !== 'fixed');
  const insertedIds = await insertRows(q, a, inserts, now);
  await updateRows(q, updates, a.versionId, now);
  if (gone.length > 0) {
    await q.query(`UPDATE findings SET state = 'fixed', fixed_at = $2 WHERE id = ANY($1::uuid[])`, [gone.map((g) => g.id), now]);
    counts.fixed = gone.length;
    for (const g of gone) {
      history.push({ finding_id: g.id, from: g.state, to: 'fixed', reason: 'no longer in the current inventory', justification: null, expires: null });
      events.push({ type: 'finding.fixed', subject: g.id, payload: { projectId: a.projectId, findingId: g.id, vulnId: g.vuln_id, package: g.package_key, version: g.package_version } });
    }
  }
  for (const h of history) if (h.finding_id === null && h.idx !== undefined) h.finding_id = insertedIds[h.idx]!;
  for (const e of events) {
    if (e.idx !== undefined) {
      e.subject = insertedIds[e.idx]!;
      (e.payload).findingId = e.subject;
    }
  }
  if (history.length > 0) {
    await q.query(
      `INSERT INTO finding_events (tenant_id, finding_id, actor, from_state, to_state, reason, justification, expires_at)
       SELECT $1, x.finding_id, $2, x.from_state, x.to_state, x.reason, x.justification, x.expires
         FROM json_to_recordset($3::json) AS x(finding_id uuid, from_state text, to_state text, reason text, justification text, expires timestamptz)`,
      [a.tenantId, a.actor, JSON.stringify(history.map((h) => ({ finding_id: h.finding_id, from_state: h.from, to_state: h.to, reason: h.reason, justification: h.justification, expires: h.expires })))],
    );
  }
  await emitEvents(q, a.tenantId, events);
  return counts;
}

function expired(r: ExistingRow, now: Date): boolean {
  const e = asDate(r.triage_expires_at);
  return r.triage_state === 'accepted_risk' && e !== null && e.getTime() <= now.getTime();
}

function due(policy: SlaPolicy, f: Finding, firstSeen: Date): string | null {
  return slaDue(policy, { severity: f.severity, kev: f.kev !== null, firstSeen, published: f.published ? new Date(f.published) : null })?.toISOString() ?? null;
}

function eventPayload(a: SyncArgs, findingId: string, f: Finding): Record<string, unknown> {
  return { projectId: a.projectId, versionId: a.versionId, findingId, vulnId: f.id, purl: f.package.purl, severity: f.severity, kev: f.kev !== null, fixedVersion: f.fixedVersions[0] ?? null };
}

const COLUMNS = `vuln_id text, ids text[], package_key text, package_name text, package_version text, package_purl text, ecosystem text,
  severity text, severity_rank smallint, cvss_score numeric, kev boolean, epss double precision, risk numeric, fixed_version text,
  direct boolean, confidence text, published timestamptz, data jsonb, state text, sla_due_at timestamptz`;

async function insertRows(q: Queryable, a: SyncArgs, rows: Record<string, unknown>[], now: Date): Promise<string[]> {
  const CHUNK = 2000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    await q.query(
      `INSERT INTO findings (id, tenant_id, project_id, version_id, vuln_id, ids, package_key, package_name, package_version, package_purl,
                             ecosystem, severity, severity_rank, cvss_score, kev, epss, risk, fixed_version, direct, confidence,
                             published, data, state, sla_due_at, triage_state, justification, triage_reason, triage_expires_at,
                             triage_by, triage_at, first_seen_at, last_seen_at)
       SELECT x.id, $1, $2, $3, x.vuln_id, x.ids, x.package_key, x.package_name, x.package_version, x.package_purl, x.ecosystem,
              x.severity, x.severity_rank, x.cvss_score, x.kev, x.epss, x.risk, x.fixed_version, x.direct, x.confidence,
              x.published, x.data, x.state, x.sla_due_at, x.triage_state, x.justification, x.triage_reason, x.triage_expires_at,
              x.triage_by, x.triage_at, $4, $4
         FROM json_to_recordset($5::json) AS x(id uuid, ${COLUMNS}, triage_state text, justification text,
              triage_reason text, triage_expires_at timestamptz, triage_by text, triage_at timestamptz)`,
      [a.tenantId, a.projectId, a.versionId, now, JSON.stringify(rows.slice(i, i + CHUNK))],
    );
  }
  return rows.map((r) => r['id'] as string);
}

async function updateRows(q: Queryable, rows: Record<string, unknown>[], versionId: string | null, now: Date): Promise<void> {
  const CHUNK = 2000;
  for (let i = 0; i < rows.length; i += CHUNK) {
    await q.query(
      `UPDATE findings f SET vuln_id = x.vuln_id, ids = x.ids, package_name = x.package_name, package_purl = x.package_purl,
              ecosystem = x.ecosystem, severity = x.severity, severity_rank = x.severity_rank, cvss_score = x.cvss_score,
              kev = x.kev, epss = x.epss, risk = x.risk, fixed_version = x.fixed_version, direct = x.direct,
              confidence = x.confidence, published = x.published, data = x.data, state = x.state,
              fixed_at = CASE WHEN x.state = 'fixed' THEN f.fixed_at ELSE NULL END,
              sla_due_at = x.sla_due_at, version_id = coalesce($1, f.version_id), last_seen_at = $2
         FROM json_to_recordset($3::json) AS x(id uuid, ${COLUMNS})
        WHERE f.id = x.id`,
      [versionId, now, JSON.stringify(rows.slice(i, i + CHUNK))],
    );
  }
}
