/**
 * Findings of projects: match a project's current version and reconcile its findings
 * (on upload), and re-match every project touched by changed advisories (after a feed
 * import, from the `findings.rematch` job).
 */
import type { Logger } from 'pino';
import type { Database, Queryable } from '../store/db.js';
import { getSlaPolicy } from '../store/repos/findingQueries.js';
import { syncFindings, type SyncCounts } from '../store/repos/findings.js';
import { getProject } from '../store/repos/projects.js';
import { getVersion, loadInventory } from '../store/repos/projectVersions.js';
import { matchInventory } from './engine.js';

export interface VersionMatchResult extends SyncCounts {
  readonly projectId: string;
  readonly versionId: string;
  /** false when a newer version of the project exists: its findings follow that one. */
  readonly current: boolean;
  readonly findings: number;
  readonly unassessed: number;
  readonly durationMs: number;
}

async function latestVersionId(q: Queryable, projectId: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>(`SELECT id FROM project_versions WHERE project_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1`, [projectId]);
  return rows[0]?.id;
}

/** Matches one version and, when it is the project's current one, reconciles the project's findings. */
export async function matchProjectVersion(db: Database, tenantId: string, projectId: string, versionId: string, actor: string): Promise<VersionMatchResult> {
  const t0 = performance.now();
  return db.tenant(tenantId, async (q) => {
    const project = await getProject(q, projectId);
    const version = project ? await getVersion(q, projectId, versionId) : undefined;
    if (!project || !version) throw new Error(`project ${projectId} version ${versionId} not found`);
    const empty = { created: 0, updated: 0, fixed: 0, reopened: 0, inherited: 0 };
    if ((await latestVersionId(q, projectId)) !== versionId) {
      return { projectId, versionId, current: false, findings: 0, unassessed: 0, ...empty, durationMs: performance.now() - t0 };
    }
    const inv = await loadInventory(q, version, project.name);
    const result = await matchInventory(q, inv, { criticality: project.criticality });
    const policy = await getSlaPolicy(q);
    const counts = await syncFindings(q, { tenantId, projectId, versionId, findings: result.findings, policy, actor });
    return { projectId, versionId, current: true, findings: result.findings.length, unassessed: result.unassessed.length, ...counts, durationMs: performance.now() - t0 };
  });
}

export interface RematchReport {
  readonly since: string | null;
  readonly until: string | null;
  readonly projects: number;
  readonly created: number;
  readonly fixed: number;
  readonly reopened: number;
  readonly updated: number;
  readonly durationMs: number;
}

/**
 * Re-matches the current version of every project whose packages are named by an advisory
 * changed since the last run (or whose findings name a changed KEV / EPSS entry), then moves
 * the watermark. Idempotent: running it twice re-matches nothing the second time.
 */
export async function rematchChanged(db: Database, logger: Logger, opts: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<RematchReport> {
  const t0 = performance.now();
  const plan = await db.system(async (q) => {
    // Timestamps travel as text at full (microsecond) precision: a JS Date would cut them to
    // milliseconds and `updated_at <= until` would then miss the newest rows.
    const { rows: st } = await q.query<{ seen: string | null }>(`SELECT advisories_seen_at::text AS seen FROM match_state WHERE singleton`);
    const since = st[0]?.seen ?? null;
    const { rows: up } = await q.query<{ until: string | null; newer: boolean }>(
      `SELECT u.until::text AS until, (u.until IS NOT NULL AND ($1::timestamptz IS NULL OR u.until > $1::timestamptz)) AS newer
         FROM (SELECT greatest((SELECT max(updated_at) FROM advisories), (SELECT max(updated_at) FROM kev_entries), (SELECT max(updated_at) FROM epss_scores)) AS until) u`,
      [since],
    );
    const until = up[0]?.until ?? null;
    if (until === null || !up[0]?.newer) return { since, until, targets: [] };
    const after = since ?? '-infinity';
    const { rows: targets } = await q.query<{ tenant_id: string; project_id: string; version_id: string }>(
      // Hash joins on keys throughout: every current version's component keys (name and, for
      // OS packages, source name) against the changed advisories' package keys; every open
      // finding's ids against the changed advisories' ids and the changed KEV / EPSS entries.
      `WITH latest AS (SELECT DISTINCT ON (project_id) id, tenant_id, project_id FROM project_versions ORDER BY project_id, created_at DESC, id DESC),
            changed_keys AS (SELECT DISTINCT unnest(packages) AS key FROM advisories WHERE updated_at > $1::timestamptz AND updated_at <= $2::timestamptz),
            changed_ids AS (
              SELECT DISTINCT x AS id FROM advisories a, unnest(array_append(a.aliases, a.id)) x WHERE a.updated_at > $1::timestamptz AND a.updated_at <= $2::timestamptz
              UNION SELECT cve_id FROM kev_entries WHERE updated_at > $1::timestamptz AND updated_at <= $2::timestamptz
              UNION SELECT cve_id FROM epss_scores WHERE updated_at > $1::timestamptz AND updated_at <= $2::timestamptz),
            component_keys AS (
              SELECT c.version_id, vigil_package_key(c.ecosystem, c.name) AS key FROM components c JOIN latest l ON l.id = c.version_id
              UNION ALL
              SELECT c.version_id, vigil_package_key(c.ecosystem, c.source_name) FROM components c JOIN latest l ON l.id = c.version_id
               WHERE c.source_name IS NOT NULL AND c.source_name <> c.name),
            touched AS (
              SELECT ck.version_id FROM component_keys ck JOIN changed_keys ch ON ch.key = ck.key
              UNION
              SELECT l.id FROM findings f JOIN latest l ON l.project_id = f.project_id, unnest(f.ids) fid
                JOIN changed_ids ci ON ci.id = fid
               WHERE f.state <> 'fixed')
       SELECT l.tenant_id, l.project_id, l.id AS version_id FROM latest l JOIN (SELECT DISTINCT version_id FROM touched) t ON t.version_id = l.id
        ORDER BY l.project_id`,
      [after, until],
    );
    return { since, until, targets };
  });
  let created = 0;
  let fixed = 0;
  let reopened = 0;
  let updated = 0;
  let done = 0;
  for (const t of plan.targets) {
    opts.signal?.throwIfAborted();
    const r = await matchProjectVersion(db, t.tenant_id, t.project_id, t.version_id, 'system:rematch');
    created += r.created;
    fixed += r.fixed;
    reopened += r.reopened;
    updated += r.updated;
    opts.onProgress?.(++done, plan.targets.length);
  }
  if (plan.until) {
    await db.system((q) =>
      q.query(
        `INSERT INTO match_state (singleton, advisories_seen_at, updated_at) VALUES (true, $1::timestamptz, now())
         ON CONFLICT (singleton) DO UPDATE SET advisories_seen_at = greatest(match_state.advisories_seen_at, EXCLUDED.advisories_seen_at), updated_at = now()`,
        [plan.until],
      ),
    );
  }
  const report = {
    since: plan.since,
    until: plan.until,
    projects: plan.targets.length,
    created,
    fixed,
    reopened,
    updated,
    durationMs: Math.round(performance.now() - t0),
  };
  if (plan.targets.length > 0) logger.info(report, 'findings re-matched after advisory changes');
  return report;
}
