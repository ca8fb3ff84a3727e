import { Registry } from 'prom-client';
import { testDatabase } from '../../../test/helpers/db.js';
import { createLogger } from '../../observability/logger.js';
import type { Database } from '../../store/db.js';
import { createTenant } from '../../store/repos/tenants.js';
import type { Schedule } from '../cron.js';
import type { JobHandler } from '../handlers.js';
import type { JobQueue } from '../queue.js';
import type { RunnerOptions } from '../runner.js';
import { JobService } from '../service.js';

/** A database with two tenants and a JobService over the given handlers (no schedules unless given). */
export interface Harness {
  readonly db: Database;
  readonly jobs: JobService;
  readonly registry: Registry;
  readonly tenantA: string;
  readonly tenantB: string;
  cleanup(): Promise<void>;
}

let seq = 0;

export async function harness(handlers: readonly JobHandler[] | ((queue: JobQueue, db: Database) => readonly JobHandler[]), schedules: readonly Schedule[] = []): Promise<Harness> {
  const t = await testDatabase();
  const registry = new Registry();
  const jobs = new JobService(
    { db: t.db, logger: createLogger('silent'), registry },
    { handlers: typeof handlers === 'function' ? (queue) => handlers(queue, t.db) : () => handlers, schedules, backoff: { baseMs: 40, maxMs: 200, jitter: 0 } },
  );
  seq++;
  const a = await t.db.system((q) => createTenant(q, `jobs-a-${seq}`, 'Tenant A'));
  const b = await t.db.system((q) => createTenant(q, `jobs-b-${seq}`, 'Tenant B'));
  return { db: t.db, jobs, registry, tenantA: a.id, tenantB: b.id, cleanup: () => t.cleanup() };
}

/** Runner options for tests: poll and recover often, write every progress, short waits. */
export const FAST: Omit<RunnerOptions, 'concurrency'> = {
  pollIntervalMs: 10,
  recoverIntervalMs: 0,
  progressIntervalMs: 0,
  abortGraceMs: 300,
  shutdownTimeoutMs: 3000,
};

/** Polls `fn` until it returns something truthy. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 8000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A promise a test opens when it wants a handler to go on. */
export function gate(): { readonly promise: Promise<void>; open(): void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open: () => open() };
}

/** Resolves when the signal fires (a handler that honours cancellation). */
export function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
