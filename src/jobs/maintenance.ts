import { z } from 'zod';
import { verifyAuditChain } from '../audit/verify.js';
import type { Database } from '../store/db.js';
import { purgeSessions } from '../store/repos/sessions.js';
import { purgeScheduleFires } from './cron.js';
import { defineHandler, JobError, type JobHandler } from './handlers.js';
import type { JobQueue } from './queue.js';

const PURGE_BATCH = 1000;

/**
 * The built-in maintenance jobs (system jobs, run by the schedules in cron.ts). Each is
 * idempotent: running one twice leaves the same state as running it once.
 */
export function maintenanceHandlers(deps: { readonly db: Database; readonly queue: JobQueue }): JobHandler[] {
  const { db, queue } = deps;
  return [
    defineHandler({
      type: 'sessions.purge',
      description: 'Delete login sessions that expired or were revoked more than a day ago',
      timeoutSeconds: 600,
      async run() {
        const deleted = await db.system((q) => purgeSessions(q));
        return { deleted };
      },
    }),

    defineHandler({
      type: 'audit.verify',
      description: 'Verify the audit log hash chain; record a checkpoint of its head when it is intact',
      // A broken chain does not mend itself: the job fails at once (JobError not retryable).
      async run({ logger, progress }) {
        const r = await verifyAuditChain(db, { checkpoint: true });
        await progress(r.checked, r.checked, r.ok ? 'chain intact' : `${r.problems.length} problem(s)`);
        const summary = { ok: r.ok, checked: r.checked, head: r.head, problems: r.problems };
        if (!r.ok) {
          const first = r.problems[0];
          logger.error({ checked: r.checked, problems: r.problems.slice(0, 20) }, 'audit chain verification failed: the audit log was changed, cut or reordered');
          throw new JobError(
            `audit chain broken: ${r.problems.length} problem(s)${first ? `; first at seq ${first.seq}: ${first.reason}` : ''}`,
            { retryable: false, result: summary },
          );
        }
        return summary;
      },
    }),

    defineHandler({
      type: 'db.vacuum',
      description: 'Embedded database (PGlite) only: VACUUM (ANALYZE), which a PostgreSQL server leaves to its autovacuum',
      timeoutSeconds: 3600,
      async run({ progress }) {
        const started = Date.now();
        const ran = await db.vacuum();
        await progress(1, 1, ran ? 'vacuumed and analysed' : 'left to the server\'s autovacuum');
        return { ran, durationMs: Date.now() - started };
      },
    }),

    defineHandler({
      type: 'jobs.purge',
      description: 'Delete jobs that finished more than `olderThanDays` (default 30) days ago',
      timeoutSeconds: 3600,
      payload: z.object({ olderThanDays: z.number().int().min(1).max(3650).default(30) }),
      async run({ payload, signal, progress }) {
        let deleted = 0;
        for (;;) {
          signal.throwIfAborted();
          const n = await queue.purgeFinished(payload.olderThanDays, PURGE_BATCH);
          deleted += n;
          await progress(deleted, undefined, `${deleted} finished job(s) deleted`);
          if (n < PURGE_BATCH) break;
        }
        const fires = await db.system((q) => purgeScheduleFires(q, payload.olderThanDays));
        return { deleted, scheduleFiresDeleted: fires };
      },
    }),
  ];
}
