import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Job } from './queue.js';

/** What a handler gets for one attempt of one job. */
export interface JobContext<P = unknown> {
  readonly job: Job;
  /** The payload, checked against the handler's `payload` schema when it has one. */
  readonly payload: P;
  /**
   * Fires when the job should stop: cancelled by a user, timed out, the worker shutting down
   * or its lease lost. `signal.reason` is a JobAbort saying which. Pass it to fetch() and
   * check it between units of work.
   */
  readonly signal: AbortSignal;
  /** Reports progress (visible through GET /jobs/{id}); also renews the lease. Throttled. */
  readonly progress: (done: number, total?: number, message?: string) => Promise<void>;
  readonly logger: Logger;
}

/**
 * One job type. Handlers must be idempotent: delivery is at-least-once, so an attempt may
 * run again after a crash, a lost lease or a retry.
 */
export interface JobHandler<P = unknown> {
  /** The job type, e.g. `sessions.purge`; lower case, dotted. */
  readonly type: string;
  readonly description: string;
  /** Attempts before the job fails for good (default: the service's, 3). */
  readonly maxAttempts?: number;
  /** The signal fires after this long and the attempt counts as failed. */
  readonly timeoutSeconds?: number;
  /** At most this many jobs of the type run at once, across every worker (default: no cap). */
  readonly maxRunning?: number;
  /** May a tenant's admin enqueue this type through POST /api/v1/jobs? (default false) */
  readonly enqueueableByTenant?: boolean;
  /** Validates the (untrusted, stored) payload at enqueue and before each attempt. */
  readonly payload?: z.ZodType<P>;
  run(ctx: JobContext<P>): Promise<unknown>;
}

/** The registry: one handler per job type. */
export type HandlerRegistry = Map<string, JobHandler>;

/** Keeps the payload type of one handler while storing it among others. */
export function defineHandler<P>(h: JobHandler<P>): JobHandler {
  return h;
}

export function handlerRegistry(handlers: readonly JobHandler[]): HandlerRegistry {
  const map: HandlerRegistry = new Map();
  for (const h of handlers) {
    if (!/^[a-z][a-z0-9_.-]{0,99}$/.test(h.type)) throw new Error(`job type "${h.type}" must be lower case letters, digits, dots, dashes or underscores`);
    if (map.has(h.type)) throw new Error(`two handlers for job type ${h.type}`);
    map.set(h.type, h);
  }
  return map;
}

export type AbortKind = 'cancel' | 'timeout' | 'shutdown' | 'lease-lost';

/** The reason of a job's AbortSignal. */
export class JobAbort extends Error {
  constructor(readonly kind: AbortKind, message: string) {
    super(message);
    this.name = 'JobAbort';
  }
}

/**
 * Thrown by a handler to fail the attempt with a result attached (stored with the job) and,
 * with `retryable: false`, without further attempts: retrying would not help.
 */
export class JobError extends Error {
  readonly retryable: boolean;
  readonly result: unknown;
  constructor(message: string, opts: { retryable?: boolean; result?: unknown; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'JobError';
    this.retryable = opts.retryable ?? true;
    this.result = opts.result;
  }
}
