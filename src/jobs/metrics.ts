import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram } from '../observability/metrics.js';
import { JOB_STATUSES, type JobQueue } from './queue.js';

/** How one attempt ended, for the duration histogram. */
export type AttemptOutcome = 'succeeded' | 'retry' | 'failed' | 'cancelled' | 'interrupted' | 'lost';

export interface JobMetrics {
  /** Failed attempts (thrown error, timeout, expired lease), retried or not. */
  readonly failures: Counter<'type'>;
  readonly duration: Histogram<'type' | 'outcome'>;
}

/**
 * Registers the job metrics: `vigil_jobs` (jobs by status and type, counted in the database
 * at scrape time, so it shows the whole queue however many processes serve it),
 * `vigil_job_failures_total` and `vigil_job_duration_seconds` (this process's attempts).
 */
export function registerJobMetrics(registry: Registry, queue: JobQueue, knownTypes: () => Iterable<string>, logger: Logger): JobMetrics {
  new Gauge({
    name: 'vigil_jobs',
    help: 'Jobs in the database by status and type (queued and running: the queue depth)',
    labelNames: ['status', 'type'] as const,
    registers: [registry],
    async collect() {
      let counts;
      try {
        counts = await queue.counts();
      } catch (err) {
        // Keep the last values rather than fail the whole scrape.
        logger.warn({ err }, 'could not count jobs for /metrics');
        return;
      }
      this.reset();
      for (const type of knownTypes()) for (const status of JOB_STATUSES) this.set({ status, type }, 0);
      for (const c of counts) this.set({ status: c.status, type: c.type }, c.count);
    },
  });
  const failures = new Counter({
    name: 'vigil_job_failures_total',
    help: 'Failed job attempts by type (an error, a timeout or an expired lease), retried or not',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'vigil_job_duration_seconds',
    help: 'Duration of job attempts run by this process, by type and outcome',
    labelNames: ['type', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  return { failures, duration };
}
