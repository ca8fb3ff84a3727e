/**
 * A feed sync started by a tenant's admin (POST /api/v1/jobs with type `feeds.sync`).
 *
 * The advisory database is shared by every tenant, so who may start a sync is a server-wide
 * question. Decision: any tenant's admin may, one at a time for the whole server. The job
 * belongs to the tenant that started it (it sees it in its list, with progress, and may cancel
 * it); while any sync is queued or running, another tenant's request is refused with 409 (it
 * would only download the same files again), and the same tenant gets its unfinished one back
 * (dedupe key). The queue's per-type cap (`maxRunning: 1`) keeps two syncs from running at
 * once even when two requests race past this check or a scheduled sync is due.
 */
import { VigilError } from '../core/errors.js';
import type { Database } from '../store/db.js';
import { FEEDS_SYNC } from './feeds.js';
import type { EnqueueResult } from './queue.js';
import type { JobService } from './service.js';

export async function startFeedSync(jobs: JobService, db: Database, tenantId: string, payload: unknown, opts: { online?: boolean } = {}): Promise<EnqueueResult> {
  if (opts.online === false) {
    throw new VigilError('conflict', 'online feed sync is turned off on this server (VIGIL_FEED_SYNC_ONLINE=false): import mirrored feed files with `vigil db import PATH`');
  }
  // System door: syncs of other tenants and the scheduled one count too. Only the time and the
  // state are read, never whose it is.
  const { rows } = await db.system((q) =>
    q.query<{ tenant_id: string | null; status: string; created_at: Date }>(
      `SELECT tenant_id, status, created_at FROM jobs WHERE type = $1 AND status IN ('queued', 'running') ORDER BY created_at LIMIT 1`,
      [FEEDS_SYNC],
    ),
  );
  const other = rows[0];
  if (other && other.tenant_id !== tenantId) {
    throw new VigilError(
      'conflict',
      `a feed sync is already ${other.status} on this server (since ${other.created_at.toISOString()}); the advisory database is shared by every tenant, so its results reach you too: wait for it to finish`,
    );
  }
  return jobs.enqueueForTenant(tenantId, FEEDS_SYNC, payload, { dedupeKey: FEEDS_SYNC });
}
