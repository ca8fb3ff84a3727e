import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { VigilError } from '../core/errors.js';
import type { Database } from '../store/db.js';
import { CronScheduler, checkSchedules, SCHEDULES, Tickers, type Schedule, type Ticker } from './cron.js';
import { handlerRegistry, type HandlerRegistry, type JobHandler } from './handlers.js';
import { maintenanceHandlers } from './maintenance.js';
import { registerJobMetrics, type JobMetrics } from './metrics.js';
import { DEFAULT_BACKOFF, JobQueue, type BackoffPolicy, type EnqueueOptions, type EnqueueResult } from './queue.js';
import { Runner, type RunnerOptions } from './runner.js';

export interface JobServiceDeps {
  readonly db: Database;
  readonly logger: Logger;
  /** The Prometheus registry the job metrics join. */
  readonly registry: Registry;
}

export interface JobServiceOptions {
  /** The handlers (default: the built-in maintenance handlers). */
  readonly handlers?: (queue: JobQueue) => readonly JobHandler[];
  /** More schedulers asked on every runner tick (per-target posture scans). */
  readonly tickers?: (queue: JobQueue) => readonly Ticker[];
  /** The cron schedules (default SCHEDULES). */
  readonly schedules?: readonly Schedule[];
  readonly backoff?: BackoffPolicy;
  /** Attempts for a job whose handler and enqueue say nothing (default 3). */
  readonly defaultMaxAttempts?: number;
}

/**
 * The jobs of one process, built once in the composition root: the queue, the handler
 * registry, the schedules and the metrics. `runner()` makes a runner (in `vigil serve` when
 * the worker concurrency is above 0, and in `vigil worker`).
 */
export class JobService {
  readonly queue: JobQueue;
  readonly handlers: HandlerRegistry;
  readonly schedules: readonly Schedule[];
  readonly metrics: JobMetrics;
  private readonly backoff: BackoffPolicy;
  private readonly defaultMaxAttempts: number;
  private readonly runners = new Set<Runner>();
  private readonly tickers: readonly Ticker[];

  constructor(private readonly deps: JobServiceDeps, opts: JobServiceOptions = {}) {
    this.queue = new JobQueue(deps.db);
    this.handlers = handlerRegistry(opts.handlers ? opts.handlers(this.queue) : maintenanceHandlers({ db: deps.db, queue: this.queue }));
    this.schedules = opts.schedules ?? SCHEDULES;
    checkSchedules(this.schedules, this.handlers);
    this.tickers = opts.tickers ? opts.tickers(this.queue) : [];
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    this.defaultMaxAttempts = opts.defaultMaxAttempts ?? 3;
    this.metrics = registerJobMetrics(deps.registry, this.queue, () => this.handlers.keys(), deps.logger);
  }

  /**
   * Enqueues a job of a registered type after checking its payload. `tenantId` null makes a
   * system job. With a dedupe key, an unfinished job with the same key is returned instead.
   */
  async enqueue(tenantId: string | null, type: string, payload: unknown = {}, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
    const handler = this.handlers.get(type);
    if (!handler) throw new VigilError('validation', `unknown job type "${type}"`, { errors: [{ pointer: '/body/type', detail: `expected one of ${[...this.handlers.keys()].join(', ')}` }] });
    if (handler.payload) {
      const parsed = handler.payload.safeParse(payload);
      if (!parsed.success) {
        throw new VigilError('validation', `invalid payload for job type ${type}`, {
          errors: parsed.error.issues.map((i) => ({ pointer: `/body/payload${i.path.map((p) => `/${String(p)}`).join('')}`, detail: i.message })),
        });
      }
    }
    const res = await this.queue.enqueue(tenantId, type, payload, { ...opts, maxAttempts: opts.maxAttempts ?? handler.maxAttempts ?? this.defaultMaxAttempts });
    this.wakeRunners();
    return res;
  }

  /** Tells this process's runners to look for work now (a job was enqueued by other means). */
  wakeRunners(): void {
    for (const r of this.runners) r.wake();
  }

  /** The job types a tenant may enqueue itself (POST /api/v1/jobs). */
  tenantTypes(): string[] {
    return [...this.handlers.values()].filter((h) => h.enqueueableByTenant === true).map((h) => h.type);
  }

  /** Enqueues on behalf of a tenant: only types marked `enqueueableByTenant`. */
  enqueueForTenant(tenantId: string, type: string, payload: unknown, opts: Pick<EnqueueOptions, 'dedupeKey' | 'priority'> = {}): Promise<EnqueueResult> {
    if (!this.handlers.get(type)?.enqueueableByTenant) {
      const allowed = this.tenantTypes();
      throw new VigilError('validation', `job type "${type}" cannot be started through the API`, {
        errors: [{ pointer: '/body/type', detail: allowed.length > 0 ? `expected one of ${allowed.join(', ')}` : 'no job type can be started through the API yet' }],
      });
    }
    return this.enqueue(tenantId, type, payload, opts);
  }

  /**
   * A runner for this process. It fires the cron schedules unless `schedules: false` (every
   * runner may fire them: each fire is enqueued once across processes).
   */
  runner(opts: RunnerOptions & { readonly schedules?: boolean }): Runner {
    const { logger, db } = this.deps;
    const tickers: Ticker[] =
      opts.schedules === false ? [] : [...(this.schedules.length > 0 ? [new CronScheduler(db, this.schedules, this.handlers, logger)] : []), ...this.tickers];
    const cron = tickers.length === 0 ? undefined : tickers.length === 1 ? tickers[0] : new Tickers(tickers, logger);
    const runner: Runner = new Runner(
      { queue: this.queue, handlers: this.handlers, logger, metrics: this.metrics, backoff: this.backoff, cron, onStopped: () => this.runners.delete(runner) },
      opts,
    );
    this.runners.add(runner);
    return runner;
  }
}
