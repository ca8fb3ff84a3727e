import type { Logger } from 'pino';
import type { Database } from '../store/db.js';
import { checkSla } from '../store/repos/slaCheck.js';
import type { Schedule } from './cron.js';
import { defineHandler, type JobHandler } from './handlers.js';

export const FINDINGS_REMATCH = 'findings.rematch';
export const SLA_CHECK = 'sla.check';

/**
 * Findings upkeep (system jobs): re-match projects after advisories change, and mark SLA
 * breaches and expired risk acceptances (emitting their events). Both idempotent.
 */
export function findingsHandlers(deps: { readonly db: Database; readonly logger: Logger }): JobHandler[] {
  return [
    defineHandler({
      type: FINDINGS_REMATCH,
      description: 'Re-match the projects whose packages are named by advisories (or KEV / EPSS entries) changed since the last run',
      timeoutSeconds: 3600,
      async run({ signal, progress }) {
        // Loaded on first use: the matcher and the version schemes stay out of start-up.
        const { rematchChanged } = await import('../match/project.js');
        const r = await rematchChanged(deps.db, deps.logger, {
          signal,
          onProgress: (done, total) => void progress(done, total, `${done}/${total} projects re-matched`).catch(() => undefined),
        });
        return r;
      },
    }),
    defineHandler({
      type: SLA_CHECK,
      description: 'Mark findings past their SLA due date (event sla.breached) and reopen risk acceptances that expired (event finding.risk_expired)',
      timeoutSeconds: 600,
      async run() {
        return deps.db.system((q) => checkSla(q));
      },
    }),
  ];
}

/** Re-matching polls for changed advisories every minute (a cheap max() over indexed columns when nothing changed). */
export const FINDINGS_SCHEDULES: readonly Schedule[] = [
  { name: 'findings.rematch', cron: '* * * * *', jobType: FINDINGS_REMATCH, description: 'Every minute: re-match projects touched by advisory changes' },
  { name: 'sla.check', cron: '*/10 * * * *', jobType: SLA_CHECK, description: 'Every 10 minutes: SLA breaches and expired risk acceptances' },
];
