/**
 * Dashboard history (issue 8): open findings per severity per day, and posture risk per scan
 * target per day, both aggregated in SQL (generate_series, window functions) so no finding or
 * scan row leaves the database. Tenant transactions only (RLS scopes every table).
 *
 * A finding's open spells come from what migration 007 records: it opens at `first_seen_at`
 * in its initial state, and every later change of state (triage, fixed by a new inventory,
 * reopened, risk acceptance expired) is a `finding_events` row with `at`, `from_state` and
 * `to_state`. "Open" is `open` or `in_triage` (the `active` of the summary). The initial state
 * is the first event's `from_state` (its `to_state` when the first event created the row with
 * a carried decision), or the current state when the finding never changed.
 *
 * The query turns these into +1 / -1 per (day, severity) and sums them over generate_series
 * days, without pairing events in a window: a finding open now counts +1 from first seen, and
 * each change into or out of open counts from its time, with its opposite at first seen (the
 * initial state is the current one undone by every change since). Open findings come from an
 * index scan; changes from one join of the events with their findings.
 *
 * The tenant-wide trend replays each ended day once and keeps it in finding_trend_days; today
 * is the live finding_stats (migration 018 keeps both, and drops the stored days a late insert,
 * deletion, severity change or backdated state change rewrites).
 */
import { SEVERITIES, type Severity } from '../../core/advisory.js';
import type { Queryable } from '../db.js';

export const TREND_MAX_DAYS = 366;

export type SeverityCounts = Record<Severity, number>;

export interface FindingTrendPoint {
  /** The UTC day (`YYYY-MM-DD`); counts are as of the end of that day (now, for today). */
  readonly date: string;
  readonly total: number;
  readonly bySeverity: SeverityCounts;
}

export interface FindingTrendFilter {
  readonly days: number;
  readonly projects?: readonly string[] | undefined;
  /** Fixed "now" for tests; the database clock otherwise. */
  readonly now?: Date | undefined;
}

/** Zero counts for every severity. */
export const zeroCounts = (): SeverityCounts => Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;

/**
 * Pivots (day index, severity, count) rows into one point per day, oldest first, every day
 * of the window present. Pure. Unknown severities and out-of-window days are ignored.
 */
export function pivotTrend(rows: readonly { day: number; severity: string; open: number }[], firstDay: Date, days: number): FindingTrendPoint[] {
  const points = Array.from({ length: days }, (_, i) => ({ date: new Date(firstDay.getTime() + i * 86_400_000).toISOString().slice(0, 10), total: 0, bySeverity: zeroCounts() }));
  for (const r of rows) {
    const p = points[r.day];
    if (!p || !(SEVERITIES as readonly string[]).includes(r.severity)) continue;
    p.bySeverity[r.severity as Severity] += r.open;
    p.total += r.open;
  }
  return points;
}

/** The first UTC day of a window of `days` days ending on the day of `now`. Pure. */
export function windowStart(now: Date, days: number): Date {
  const d = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return new Date(d - (days - 1) * 86_400_000);
}

const ACTIVE = `('open', 'in_triage')`;

const DAY_MS = 86_400_000;
const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Open findings per severity at the end of each of the last `days` UTC days.
 *
 * The tenant-wide trend (no project filter, the database clock) reads the days that have ended
 * from finding_trend_days, replaying only those not stored yet (the first request of a day, or
 * after history was rewritten: migration 018) and storing them; today's point is the live
 * counts of finding_stats. A project filter or a fixed `now` replays the whole window.
 */
export async function findingTrend(q: Queryable, f: FindingTrendFilter): Promise<FindingTrendPoint[]> {
  const { rows: clock } = await q.query<{ now: Date }>('SELECT coalesce($1::timestamptz, now()) AS now', [f.now?.toISOString() ?? null]);
  const now = new Date(clock[0]!.now);
  const first = windowStart(now, f.days);
  if ((f.projects && f.projects.length > 0) || f.now) return pivotTrend(await replayTrend(q, first, f.days, f.projects, now), first, f.days);

  const today = windowStart(now, 1);
  const pastDays = f.days - 1;
  const stored = pastDays === 0 ? [] : (
    await q.query<{ day: string; severity: string; open: number }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, severity, open FROM finding_trend_days WHERE day >= $1::date AND day < $2::date`,
      [isoDay(first), isoDay(today)],
    )
  ).rows;
  // Stored rows by day index in the window; the first ended day not stored and all after it are replayed.
  const rows = stored.map((r) => ({ day: Math.round((Date.parse(`${r.day}T00:00:00Z`) - first.getTime()) / DAY_MS), severity: r.severity, open: r.open }));
  const have = new Set(rows.map((r) => r.day));
  let missingFrom = -1;
  for (let i = 0; i < pastDays && missingFrom < 0; i++) if (!have.has(i)) missingFrom = i;
  if (missingFrom >= 0) rows.splice(0, rows.length, ...rows.filter((r) => r.day < missingFrom));
  if (missingFrom >= 0) {
    const from = new Date(first.getTime() + missingFrom * DAY_MS);
    const replayed = await replayTrend(q, from, pastDays - missingFrom, undefined, now);
    await q.query(
      `INSERT INTO finding_trend_days (tenant_id, day, severity, open)
       SELECT vigil_current_tenant(), $1::date + x.day, x.severity, x.open
         FROM unnest($2::int[], $3::text[], $4::int[]) AS x(day, severity, open)
       ON CONFLICT (tenant_id, day, severity) DO UPDATE SET open = excluded.open`,
      [isoDay(from), replayed.map((r) => r.day), replayed.map((r) => r.severity), replayed.map((r) => r.open)],
    );
    rows.push(...replayed.map((r) => ({ ...r, day: r.day + missingFrom })));
  }
  const { rows: live } = await q.query<{ severity: string; open: string }>(
    `SELECT severity, sum(n) AS open FROM finding_stats WHERE state IN ${ACTIVE} GROUP BY severity`,
  );
  rows.push(...live.map((r) => ({ day: pastDays, severity: r.severity, open: Number(r.open) })));
  return pivotTrend(rows, first, f.days);
}

/**
 * Replays open findings per severity at the end of each of `days` UTC days from `first`, from
 * first-seen times and state changes: one row per (day index, severity), every severity of
 * every day present.
 */
async function replayTrend(
  q: Queryable,
  first: Date,
  days: number,
  projects: readonly string[] | undefined,
  now: Date,
): Promise<{ day: number; severity: string; open: number }[]> {
  const { rows } = await q.query<{ day: number; severity: string; open: string }>(
    `WITH deltas AS (
       -- Every finding open now counts from when it was first seen...
       SELECT f.severity, f.first_seen_at AS at, 1 AS delta FROM findings f
        WHERE f.state IN ${ACTIVE} AND ($3::uuid[] IS NULL OR f.project_id = ANY($3::uuid[])) AND f.first_seen_at <= $4
       UNION ALL
       -- ...corrected by each change into (+1) or out of (-1) open: the change counts from its
       -- time on, and its opposite from first seen, since the state a finding started in is its
       -- state now undone by every change since.
       SELECT f.severity, x.at, x.delta
         FROM finding_events e JOIN findings f ON f.id = e.finding_id
        CROSS JOIN LATERAL (SELECT (e.to_state IN ${ACTIVE})::int - (coalesce(e.from_state, e.to_state) IN ${ACTIVE})::int AS d) c
        CROSS JOIN LATERAL (VALUES (e.at, c.d), (f.first_seen_at, -c.d)) AS x(at, delta)
        WHERE c.d <> 0 AND ($3::uuid[] IS NULL OR f.project_id = ANY($3::uuid[])) AND f.first_seen_at <= $4
     ),
     per_day AS (
       -- Changes before the window count on its first day.
       SELECT greatest(0, (at AT TIME ZONE 'UTC')::date - $1::date) AS day, severity, sum(delta) AS n
         FROM deltas WHERE delta <> 0 GROUP BY 1, 2
     )
     SELECT d.day, s.severity, sum(coalesce(p.n, 0)) OVER (PARTITION BY s.severity ORDER BY d.day) AS open
       FROM generate_series(0, $2::int - 1) AS d(day)
      CROSS JOIN unnest($5::text[]) AS s(severity)
       LEFT JOIN per_day p ON p.day = d.day AND p.severity = s.severity`,
    [isoDay(first), days, projects && projects.length > 0 ? projects : null, now.toISOString(), [...SEVERITIES]],
  );
  return rows.map((r) => ({ day: Number(r.day), severity: r.severity, open: Number(r.open) }));
}

/* ---------- posture score trend ---------- */

export const POSTURE_TARGET_KINDS = ['cluster', 'account', 'upload'] as const;
export type PostureTargetKind = (typeof POSTURE_TARGET_KINDS)[number];

export interface PostureTrendPoint {
  readonly date: string;
  readonly scanId: string;
  readonly createdAt: string;
  /** 0-10 (lower is better); null for uploaded IaC scans, which are not scored. */
  readonly risk: number | null;
  readonly failed: number;
  /** Compliance % by framework id (collected scans only). */
  readonly compliance: Record<string, number>;
}

export interface PostureTrendSeries {
  /** The cluster's or account's target id, or the project id of uploaded scans. */
  readonly id: string;
  readonly kind: PostureTargetKind;
  readonly provider: string | null;
  readonly name: string;
  readonly points: PostureTrendPoint[];
}

export interface PostureTrendFilter {
  readonly days: number;
  readonly targets?: readonly string[] | undefined;
  readonly kind?: PostureTargetKind | undefined;
  readonly limit: number;
  readonly now?: Date | undefined;
}

/** Which kind of target a provider is (project scans have none). Pure. */
export function targetKind(provider: string | null): PostureTargetKind {
  if (provider === null) return 'upload';
  return provider === 'kubernetes' ? 'cluster' : 'account';
}

interface PostureTrendRow {
  subject: string;
  provider: string | null;
  name: string;
  day: string;
  scan_id: string;
  created_at: Date | string;
  risk: string | null;
  failed: number | null;
  compliance: { framework: string; compliance: number | null }[] | null;
}

/**
 * Per target (cluster, account, or project with uploaded IaC scans), its latest scan of each
 * UTC day in the window, oldest first. At most `limit` targets, those scanned most recently.
 */
export async function postureTrend(q: Queryable, f: PostureTrendFilter): Promise<PostureTrendSeries[]> {
  const { rows: clock } = await q.query<{ now: Date }>('SELECT coalesce($1::timestamptz, now()) AS now', [f.now?.toISOString() ?? null]);
  const now = new Date(clock[0]!.now);
  const first = windowStart(now, f.days);
  const kindWhere =
    f.kind === 'upload' ? 's.target_id IS NULL' : f.kind === 'cluster' ? `t.provider = 'kubernetes'` : f.kind === 'account' ? `t.provider <> 'kubernetes'` : 'TRUE';
  const { rows } = await q.query<PostureTrendRow>(
    `WITH scans AS (
       SELECT s.id, coalesce(s.target_id, s.project_id) AS subject, t.provider, coalesce(t.name, p.name) AS name,
              s.created_at, s.risk, (s.summary->>'failed')::int AS failed, s.compliance
         FROM posture_scans s
         LEFT JOIN posture_targets t ON t.id = s.target_id
         LEFT JOIN projects p ON p.id = s.project_id
        WHERE s.created_at >= $1 AND s.created_at <= $2
          AND ($3::uuid[] IS NULL OR s.target_id = ANY($3::uuid[]) OR s.project_id = ANY($3::uuid[]))
          AND ${kindWhere}
     ),
     subjects AS (
       SELECT subject FROM scans GROUP BY subject ORDER BY max(created_at) DESC, subject LIMIT $4
     )
     SELECT DISTINCT ON (s.subject, day) s.subject, s.provider, s.name,
            to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, s.id AS scan_id, s.created_at, s.risk, s.failed, s.compliance
       FROM scans s JOIN subjects USING (subject)
      ORDER BY s.subject, day, s.created_at DESC, s.id DESC`,
    [first.toISOString(), now.toISOString(), f.targets && f.targets.length > 0 ? f.targets : null, f.limit],
  );
  const series = new Map<string, PostureTrendSeries>();
  for (const r of rows) {
    let s = series.get(r.subject);
    if (!s) {
      s = { id: r.subject, kind: targetKind(r.provider), provider: r.provider, name: r.name, points: [] };
      series.set(r.subject, s);
    }
    s.points.push({
      date: r.day,
      scanId: r.scan_id,
      createdAt: new Date(r.created_at).toISOString(),
      risk: r.risk === null ? null : Number(r.risk),
      failed: r.failed ?? 0,
      compliance: Object.fromEntries((r.compliance ?? []).flatMap((c) => (c.compliance === null ? [] : [[c.framework, c.compliance]]))),
    });
  }
  return [...series.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}
