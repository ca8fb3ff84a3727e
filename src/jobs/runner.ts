import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Ticker } from './cron.js';
import { JobAbort, JobError, type AbortKind, type HandlerRegistry, type JobHandler } from './handlers.js';
import type { AttemptOutcome, JobMetrics } from './metrics.js';
import { jsonParam, retryDelay, type BackoffPolicy, type Job, type JobProgress, type JobQueue } from './queue.js';

export interface RunnerOptions {
  /** Jobs run at once (at least 1). */
  readonly concurrency: number;
  /** How often to look for work, cancellations and due schedules (default 1 s). */
  readonly pollIntervalMs?: number;
  /** How long a claimed job is ours without a heartbeat (default 60 s). */
  readonly leaseMs?: number;
  /** How often held leases are renewed (default a third of the lease). */
  readonly heartbeatMs?: number;
  /** How often expired leases of other (dead) workers are looked for (default 5 s). */
  readonly recoverIntervalMs?: number;
  /** stop(): how long to let running jobs finish before aborting them (default 30 s). */
  readonly shutdownTimeoutMs?: number;
  /** After a job's signal fires, how long its handler gets to return before the runner moves on (default 5 s). */
  readonly abortGraceMs?: number;
  /** Progress is written at most this often per job (default 500 ms); the last value is always kept. */
  readonly progressIntervalMs?: number;
  /** Identifies this worker in `locked_by` (default host:pid:random). */
  readonly workerId?: string;
  /** The clock for schedules (tests). */
  readonly now?: () => Date;
}

export interface RunnerDeps {
  readonly queue: JobQueue;
  readonly handlers: HandlerRegistry;
  readonly logger: Logger;
  readonly metrics: JobMetrics;
  readonly backoff: BackoffPolicy;
  /** Fires schedules on each tick; undefined: this runner fires none. */
  readonly cron?: Ticker | undefined;
  /** Called once the runner has stopped. */
  readonly onStopped?: () => void;
}

interface Active {
  readonly job: Job;
  readonly controller: AbortController;
  lastProgress: JobProgress | null;
  lastProgressWrite: number;
  done?: Promise<void>;
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The stored payload checked again before each attempt: a bad one fails the job for good. */
function parsePayload(schema: NonNullable<JobHandler['payload']>, payload: unknown): unknown {
  const parsed = schema.safeParse(payload);
  if (parsed.success) return parsed.data;
  const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
  throw new JobError(`invalid payload: ${why}`, { retryable: false });
}

/** Resolves after `ms` unless `cancel` is called first; the timer never outlives the wait. */
function sleep(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  let done: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    done = resolve;
    timer = setTimeout(resolve, ms);
  });
  return {
    promise,
    cancel() {
      clearTimeout(timer);
      done();
    },
  };
}

/**
 * Runs jobs: polls the queue, claims up to `concurrency` jobs of the types it has handlers
 * for, runs them with an AbortSignal, renews their leases, notices cancellations, records
 * the outcome (retrying with backoff) and puts dead workers' jobs back in the queue.
 * No database transaction is open while a handler runs.
 */
export class Runner {
  readonly workerId: string;
  private readonly active = new Map<string, Active>();
  private state: 'idle' | 'running' | 'stopping' | 'stopped' = 'idle';
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private lastHeartbeat = 0;
  private lastRecover = 0;
  private stopping: Promise<void> | undefined;
  private readonly o: Required<Omit<RunnerOptions, 'workerId'>>;

  constructor(private readonly deps: RunnerDeps, opts: RunnerOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new Error('runner concurrency must be a whole number of at least 1');
    const leaseMs = opts.leaseMs ?? 60_000;
    this.o = {
      concurrency: opts.concurrency,
      pollIntervalMs: opts.pollIntervalMs ?? 1000,
      leaseMs,
      heartbeatMs: opts.heartbeatMs ?? Math.floor(leaseMs / 3),
      recoverIntervalMs: opts.recoverIntervalMs ?? 5000,
      shutdownTimeoutMs: opts.shutdownTimeoutMs ?? 30_000,
      abortGraceMs: opts.abortGraceMs ?? 5000,
      progressIntervalMs: opts.progressIntervalMs ?? 500,
      now: opts.now ?? (() => new Date()),
    };
    this.workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.caps = new Map([...deps.handlers.values()].flatMap((h) => (h.maxRunning === undefined ? [] : [[h.type, h.maxRunning] as const])));
  }

  /** Job types with a cap on how many run at once across all workers. */
  private readonly caps: ReadonlyMap<string, number>;

  /** Jobs this runner is running now. */
  get running(): readonly Job[] {
    return [...this.active.values()].map((a) => a.job);
  }

  start(): void {
    if (this.state !== 'idle') throw new Error(`runner already ${this.state}`);
    this.state = 'running';
    this.deps.logger.info({ workerId: this.workerId, concurrency: this.o.concurrency, types: [...this.deps.handlers.keys()] }, 'job runner started');
    this.schedule(0);
  }

  /** Looks for work now rather than at the next poll (after an enqueue in this process). */
  wake(): void {
    if (this.state === 'running' && !this.ticking) this.schedule(0);
    else this.again = true;
  }

  /**
   * One round: fire due schedules, recover expired leases, watch held jobs, claim work.
   * Resolves when the round is done (jobs it started keep running). Tests call it directly.
   */
  poll(): Promise<void> {
    if (this.ticking) {
      this.again = true;
      return this.ticking;
    }
    clearTimeout(this.timer);
    const t = this.tick().finally(() => {
      this.ticking = undefined;
      const again = this.again;
      this.again = false;
      this.schedule(again ? 0 : this.o.pollIntervalMs);
    });
    this.ticking = t;
    return t;
  }

  /**
   * Stops gracefully: claims nothing more, lets running jobs finish for up to the shutdown
   * timeout, then fires their signals (reason `shutdown`) and gives back to the queue, without
   * counting the attempt, any job whose handler has not returned within the grace period.
   */
  stop(timeoutMs = this.o.shutdownTimeoutMs): Promise<void> {
    this.stopping ??= this.shutdown(timeoutMs);
    return this.stopping;
  }

  private async shutdown(timeoutMs: number): Promise<void> {
    if (this.state === 'idle') {
      this.state = 'stopped';
      this.deps.onStopped?.();
      return;
    }
    this.state = 'stopping';
    await this.ticking?.catch(() => undefined);
    const finishing = () => Promise.allSettled([...this.active.values()].map((a) => a.done ?? Promise.resolve()));
    if (this.active.size > 0) {
      this.deps.logger.info({ running: this.active.size, timeoutMs }, 'job runner stopping: waiting for running jobs');
      const wait = sleep(timeoutMs);
      await Promise.race([finishing(), wait.promise]);
      wait.cancel();
    }
    if (this.active.size > 0) {
      for (const a of this.active.values()) this.abort(a, 'shutdown', 'the worker is shutting down');
      const grace = sleep(this.o.abortGraceMs + 1000);
      await Promise.race([finishing(), grace.promise]);
      grace.cancel();
      const left = [...this.active.keys()];
      if (left.length > 0) await this.deps.queue.release(this.workerId, left).catch((err: unknown) => this.deps.logger.error({ err }, 'could not release jobs'));
    }
    this.state = 'stopped';
    clearTimeout(this.timer);
    this.deps.onStopped?.();
    this.deps.logger.info({ workerId: this.workerId }, 'job runner stopped');
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    if (this.state !== 'running' && !(this.state === 'stopping' && this.active.size > 0)) return;
    this.timer = setTimeout(() => void this.poll(), delayMs);
  }

  private async tick(): Promise<void> {
    const { logger } = this.deps;
    const step = async (what: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (err) {
        logger.error({ err, workerId: this.workerId }, `job runner: ${what} failed`);
      }
    };
    // While stopping, only keep watching (leases, cancellations) the jobs still running.
    await step('watching running jobs', () => this.watchActive());
    if (this.state !== 'running') return;
    if (this.deps.cron) {
      const cron = this.deps.cron;
      await step('firing schedules', async () => void (await cron.tick(this.o.now())));
    }
    if (Date.now() - this.lastRecover >= this.o.recoverIntervalMs) {
      this.lastRecover = Date.now();
      await step('recovering expired leases', () => this.recover());
    }
    await step('claiming jobs', () => this.claim());
  }

  private async recover(): Promise<void> {
    for (const r of await this.deps.queue.recoverExpired()) {
      if (r.status !== 'cancelled') this.deps.metrics.failures.inc({ type: r.type });
      this.deps.logger.warn({ jobId: r.id, jobType: r.type, status: r.status }, 'job lease expired (its worker stopped): recovered');
    }
  }

  private async claim(): Promise<void> {
    const free = this.o.concurrency - this.active.size;
    if (free <= 0) return;
    const jobs = await this.deps.queue.claim(this.workerId, [...this.deps.handlers.keys()], free, this.o.leaseMs, this.caps);
    for (const job of jobs) this.launch(job);
  }

  /** Renews leases when due (else only looks), and aborts jobs cancelled or no longer ours. */
  private async watchActive(): Promise<void> {
    if (this.active.size === 0) return;
    const ids = [...this.active.keys()];
    const renew = Date.now() - this.lastHeartbeat >= this.o.heartbeatMs;
    const held = renew ? await this.deps.queue.heartbeat(this.workerId, ids, this.o.leaseMs) : await this.deps.queue.watch(this.workerId, ids);
    if (renew) this.lastHeartbeat = Date.now();
    const byId = new Map(held.map((h) => [h.id, h]));
    for (const id of ids) {
      const a = this.active.get(id);
      if (!a) continue;
      const h = byId.get(id);
      if (!h) this.abort(a, 'lease-lost', 'the job is no longer held by this worker (its lease ran out)');
      else if (h.cancelRequested) this.abort(a, 'cancel', 'the job was cancelled');
    }
  }

  private abort(a: Active, kind: AbortKind, message: string): void {
    if (!a.controller.signal.aborted) a.controller.abort(new JobAbort(kind, message));
  }

  private launch(job: Job): void {
    const handler = this.deps.handlers.get(job.type);
    const a: Active = { job, controller: new AbortController(), lastProgress: job.progress, lastProgressWrite: 0 };
    this.active.set(job.id, a);
    a.done = (handler ? this.execute(a, handler) : Promise.reject(new Error(`no handler for ${job.type}`)))
      .catch((err: unknown) => this.deps.logger.error({ err, jobId: job.id }, 'job runner: recording an outcome failed; the lease will expire and the job run again'))
      .finally(() => {
        this.active.delete(job.id);
        this.wake();
      });
  }

  private async execute(a: Active, handler: JobHandler): Promise<void> {
    const { job, controller } = a;
    const logger = this.deps.logger.child({ jobId: job.id, jobType: job.type, attempt: job.attempts, tenantId: job.tenantId });
    const started = performance.now();
    const timeout = handler.timeoutSeconds
      ? setTimeout(() => this.abort(a, 'timeout', `timed out after ${handler.timeoutSeconds}s`), handler.timeoutSeconds * 1000)
      : undefined;
    let outcome: AttemptOutcome;
    try {
      logger.debug('job started');
      const value = await this.settleOrAbandon(a, async () => {
        const payload = handler.payload ? parsePayload(handler.payload, job.payload) : job.payload;
        return handler.run({ job, payload, signal: controller.signal, logger, progress: (d, t, m) => this.progress(a, logger, d, t, m) });
      });
      outcome = await this.succeeded(a, value, logger);
    } catch (err) {
      outcome = await this.failed(a, err, logger);
    } finally {
      clearTimeout(timeout);
    }
    this.deps.metrics.duration.observe({ type: job.type, outcome }, (performance.now() - started) / 1000);
  }

  /**
   * Waits for the handler; once its signal has fired, waits at most the grace period and
   * then gives up on it (a handler that ignores its signal must not hold a slot for ever).
   */
  private settleOrAbandon<T>(a: Active, run: () => Promise<T>): Promise<T> {
    const signal = a.controller.signal;
    return new Promise<T>((resolve, reject) => {
      let grace: NodeJS.Timeout | undefined;
      const onAbort = () => {
        grace = setTimeout(() => {
          this.deps.logger.warn({ jobId: a.job.id, jobType: a.job.type }, 'job handler did not stop after its signal fired; moving on without it');
          reject(signal.reason as Error);
        }, this.o.abortGraceMs);
      };
      const settle = () => {
        clearTimeout(grace);
        signal.removeEventListener('abort', onAbort);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      run().then(
        (v) => {
          settle();
          resolve(v);
        },
        (e: unknown) => {
          settle();
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  private async progress(a: Active, logger: Logger, done: number, total?: number, message?: string): Promise<void> {
    if (!Number.isFinite(done) || done < 0 || (total !== undefined && (!Number.isFinite(total) || total < 0))) {
      throw new RangeError('progress: done and total must be finite numbers >= 0');
    }
    a.lastProgress = { done, total: total ?? null, message: message === undefined ? null : message.slice(0, 500) };
    const now = Date.now();
    const final = total !== undefined && done >= total;
    if (!final && now - a.lastProgressWrite < this.o.progressIntervalMs) return;
    a.lastProgressWrite = now;
    try {
      const state = await this.deps.queue.progress(this.workerId, a.job.id, a.lastProgress, this.o.leaseMs);
      if (state === 'cancel') this.abort(a, 'cancel', 'the job was cancelled');
      if (state === 'lost') this.abort(a, 'lease-lost', 'the job is no longer held by this worker (its lease ran out)');
    } catch (err) {
      // Progress is informative: a failed write must not fail the job.
      logger.warn({ err }, 'could not record job progress');
    }
  }

  private async succeeded(a: Active, value: unknown, logger: Logger): Promise<AttemptOutcome> {
    try {
      jsonParam(value);
    } catch (err) {
      return this.failed(a, new JobError(`the handler's result is not JSON: ${errorMessage(err)}`, { retryable: false }), logger);
    }
    const done = await this.deps.queue.complete(this.workerId, a.job.id, value, a.lastProgress);
    if (!done) {
      logger.warn('job finished but this worker no longer held it; its outcome was not recorded');
      return 'lost';
    }
    logger.info('job succeeded');
    return 'succeeded';
  }

  private async failed(a: Active, err: unknown, logger: Logger): Promise<AttemptOutcome> {
    const { queue, metrics } = this.deps;
    const { job } = a;
    const reason: unknown = a.controller.signal.aborted ? a.controller.signal.reason : undefined;
    const kind = reason instanceof JobAbort ? reason.kind : undefined;
    if (kind === 'shutdown') {
      await queue.release(this.workerId, [job.id]);
      logger.info('job interrupted by shutdown: queued again');
      return 'interrupted';
    }
    if (kind === 'lease-lost') {
      logger.warn('job stopped: this worker no longer held it');
      return 'lost';
    }
    const message = kind === 'timeout' || kind === 'cancel' ? (reason as JobAbort).message : errorMessage(err);
    const retryable = kind !== 'cancel' && !(err instanceof JobError && !err.retryable);
    const result = err instanceof JobError ? err.result : undefined;
    const after = await queue.fail(this.workerId, job.id, {
      error: message,
      retryDelayMs: retryable ? retryDelay(job.attempts, this.deps.backoff) : null,
      result,
      progress: a.lastProgress,
    });
    if (!after) {
      logger.warn({ error: message }, 'job failed but this worker no longer held it');
      return 'lost';
    }
    if (after.status === 'cancelled') {
      logger.info('job cancelled');
      return 'cancelled';
    }
    metrics.failures.inc({ type: job.type });
    if (after.status === 'queued') {
      logger.warn({ err, attempt: job.attempts, maxAttempts: job.maxAttempts, retryAt: after.runAt }, 'job attempt failed: will retry');
      return 'retry';
    }
    logger.error({ err, attempt: job.attempts, maxAttempts: job.maxAttempts }, 'job failed');
    return 'failed';
  }
}
