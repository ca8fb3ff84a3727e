/**
 * Scans the server runs itself (issue 7, section 5): `posture.collect` collects one registry
 * target with its stored settings, analyses it with the built-in rules and stores the scan as
 * an upload would; the posture scheduler fires each target's cron schedule once per due time
 * across every process. At most `maxScans` collections run at once across all workers (the
 * queue's per-type cap) and tenants take turns in the queue (its fair claim).
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { VERSION } from '../version.js';
import type { Database } from '../store/db.js';
import { claimFire, getScanSettings, scheduledTargets } from '../store/repos/postureTargetsSchedule.js';
import { lastFireAt, type Ticker } from './cron.js';
import { defineHandler, JobError, type JobHandler } from './handlers.js';
import { insertJob, type Job } from './queue.js';
import type { CollectPolicy } from '../posture/schedule/config.js';

export const POSTURE_COLLECT = 'posture.collect';

/** Jobs carry this as `schedule` when the posture scheduler enqueued them. */
export const POSTURE_SCHEDULE = 'posture.target';

export interface PostureJobDeps {
  readonly db: Database;
  readonly policy: CollectPolicy;
  /** Collections running at once across every worker (VIGIL_POSTURE_MAX_SCANS, default 100). */
  readonly maxScans: number;
}

export const collectPayload = z.strictObject({ targetId: z.uuid() });

/** Enqueues a scan of a target now (deduplicated: an unfinished scan of it is returned instead). */
export function enqueueTargetScan(q: Parameters<typeof insertJob>[0], tenantId: string, targetId: string, schedule?: string) {
  return insertJob(q, tenantId, POSTURE_COLLECT, { targetId }, { dedupeKey: `${POSTURE_COLLECT}:${targetId}`, maxAttempts: 2, ...(schedule ? { schedule } : {}) });
}

export function postureHandlers(deps: PostureJobDeps): JobHandler[] {
  return [
    defineHandler({
      type: POSTURE_COLLECT,
      description: 'Collect a cloud account or cluster with its stored settings, check it with the built-in rules and store the scan',
      timeoutSeconds: 3 * 3600,
      maxAttempts: 2,
      maxRunning: deps.maxScans,
      payload: collectPayload,
      async run({ job, payload, signal, progress }) {
        const tenantId = job.tenantId;
        if (tenantId === null) throw new JobError('a posture scan belongs to a tenant', { retryable: false });
        const found = await deps.db.tenant(tenantId, (q) => getScanSettings(q, payload.targetId));
        if (!found) throw new JobError('the target no longer exists', { retryable: false });
        if (!found.settings) throw new JobError('the target has no scan settings (PUT /{clusters|accounts}/{id}/scan-settings)', { retryable: false });
        // Loaded on first use: the collectors, SDKs and rules stay out of start-up.
        const [{ collectRequestFor, ScanConfigError }, { runCollectors }, { analyseCollected }, { BUILTIN_RULES }, { rulesVersionOf }, save] = await Promise.all([
          import('../posture/schedule/config.js'),
          import('../posture/collectors/run.js'),
          import('../posture/collectors/analyse.js'),
          import('../posture/rules/registry.js'),
          import('../posture/rules/version.js'),
          import('../store/repos/postureTargetsSave.js'),
        ]);
        let request;
        try {
          request = await collectRequestFor(found.settings.config, { provider: found.provider, tenantId }, deps.policy);
        } catch (err) {
          if (err instanceof ScanConfigError) throw new JobError(err.message, { retryable: false });
          throw err;
        }
        await progress(0, undefined, `collecting ${found.provider}:${found.externalId}`);
        let last = 0;
        const results = await runCollectors(request, (p) => {
          const now = Date.now();
          if (now - last < 1000) return;
          last = now;
          void progress(p.done, p.total, p.label).catch(() => undefined);
        });
        signal.throwIfAborted();
        const result = results.find((r) => r.target.provider === found.provider && r.target.id === found.externalId);
        if (!result) {
          const got = results.map((r) => `${r.target.provider}:${r.target.id}`).join(', ') || 'nothing';
          throw new JobError(`the settings reached ${got}, not ${found.provider}:${found.externalId}`, { retryable: false });
        }
        const scan = analyseCollected(result, BUILTIN_RULES);
        const rulesVersion = rulesVersionOf(VERSION, BUILTIN_RULES);
        const saved = await deps.db.tenant(tenantId, (q) =>
          save.saveCollectedScan(q, tenantId, save.collectedScanInput(scan, result.resources, { rulesVersion, createdBy: `job:${job.id}` })),
        );
        await progress(result.resources.length, result.resources.length, 'stored');
        return { scanId: saved.scan.id, targetId: saved.target.id, resources: result.resources.length, findings: scan.report.findings.length, gaps: result.gaps.length, risk: scan.scores.risk };
      },
    }),
  ];
}

/**
 * Fires the targets' cron schedules: looks at most every `everyMs` (schedules are per minute),
 * and for each target whose latest due time is after its last fire, moves the last fire
 * forward with a conditional update; only the process whose update wins enqueues the scan. A
 * process that was down fires a missed time once (never a backlog).
 */
export class PostureScheduler implements Ticker {
  private lastLook = 0;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    private readonly everyMs = 10_000,
  ) {}

  async tick(now: Date): Promise<Job[]> {
    if (now.getTime() - this.lastLook < this.everyMs) return [];
    this.lastLook = now.getTime();
    const out: Job[] = [];
    for (const t of await this.db.system((q) => scheduledTargets(q))) {
      let fireAt: Date;
      try {
        fireAt = lastFireAt(t.cron, now);
      } catch {
        continue; // refused when stored; an expression the parser no longer takes fires nothing
      }
      if (fireAt <= t.since) continue;
      const job = await this.db.system(async (q) => ((await claimFire(q, t.id, fireAt)) ? (await enqueueTargetScan(q, t.tenantId, t.id, POSTURE_SCHEDULE)).job : undefined));
      if (job) {
        out.push(job);
        this.logger.info({ targetId: t.id, tenantId: t.tenantId, fireAt: fireAt.toISOString(), jobId: job.id }, 'posture scan scheduled');
      }
    }
    return out;
  }
}
