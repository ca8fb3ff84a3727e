/**
 * Live job changes for the event stream (GET /api/v1/jobs/events): one poller per server
 * process, shared by every listener, reading the `jobs` table about once a second while at
 * least one listener is connected (no timer at all otherwise).
 *
 * Why polling and not LISTEN/NOTIFY: workers may be other processes (`vigil worker`) writing
 * the same table, so changes must come from the database; NOTIFY would need a trigger (a
 * migration) and a dedicated listening connection, which the pooled driver and PGlite's single
 * session do not give us. A poll costs one cheap query per tick when nothing changed.
 *
 * Each tick: (1) through the system door, which of the listening tenants have jobs changed
 * since the cursor (tenant ids only, no job data); (2) for each such tenant, the changed jobs
 * through the tenant door, so row-level security decides what a tenant's listeners receive.
 * `updated_at` is the writer's transaction time, so a transaction that commits late can carry
 * an older time than rows already seen: every tick re-reads an overlap window before the
 * cursor and drops rows whose (id, updated_at) was already sent.
 */
import type { Logger } from 'pino';
import type { Database } from '../store/db.js';
import { toJob, type Job, type JobRow } from './queue.js';

export interface JobWatchLimits {
  /** Streams open at once for one tenant (default 10). */
  readonly maxPerTenant: number;
  /** Streams open at once in this process (default 200). */
  readonly maxTotal: number;
}

export interface JobWatcherOptions extends Partial<JobWatchLimits> {
  /** Poll interval (default 1000 ms). */
  readonly intervalMs?: number;
  /** Re-read window before the cursor, for late commits (default 5000 ms). */
  readonly overlapMs?: number;
  /** Most jobs read per tenant per tick (default 1000); beyond that its listeners are told to reload. */
  readonly batch?: number;
}

export const DEFAULT_WATCH_LIMITS: JobWatchLimits = { maxPerTenant: 10, maxTotal: 200 };

/** What a stream is told: a job changed, or too many changed at once and the list must be reloaded. */
export type JobEvent = { readonly kind: 'job'; readonly job: Job } | { readonly kind: 'resync' };

export type JobListener = (event: JobEvent) => void;

export interface Subscription {
  readonly ok: true;
  /** Stops delivery; idempotent. */
  close(): void;
}

export type SubscribeResult = Subscription | { readonly ok: false; readonly reason: 'tenant-limit' | 'process-limit' };

/**
 * Rows changed after $1. Every write to a job either leaves it unfinished or sets finished_at
 * to its commit time, so the second clause lets the planner use the partial indexes of
 * migration 003 (claim, lease, finished) instead of scanning the table for `updated_at`.
 */
const CHANGED = `updated_at > $1 AND (status IN ('queued', 'running') OR finished_at > $1)`;

export class JobWatcher {
  private readonly listeners = new Map<string, Set<JobListener>>();
  private total = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Database time up to which changes were read (minus the overlap on the next read). */
  private cursor: Date | undefined;
  /** id → what was sent of the row (and its updated_at in ms), kept while inside the overlap window. */
  private readonly sent = new Map<string, { readonly at: number; readonly seen: string }>();
  /** tenant → the latest change it was told to reload for (one reload per burst). */
  private readonly resynced = new Map<string, number>();
  private stopped = false;
  readonly limits: JobWatchLimits;
  private readonly intervalMs: number;
  private readonly overlapMs: number;
  private readonly batch: number;

  constructor(
    private readonly db: Database,
    private readonly logger: Logger,
    opts: JobWatcherOptions = {},
  ) {
    this.limits = { maxPerTenant: opts.maxPerTenant ?? DEFAULT_WATCH_LIMITS.maxPerTenant, maxTotal: opts.maxTotal ?? DEFAULT_WATCH_LIMITS.maxTotal };
    this.intervalMs = opts.intervalMs ?? 1000;
    this.overlapMs = opts.overlapMs ?? 5000;
    this.batch = opts.batch ?? 1000;
  }

  /** Listeners connected now (for the tests and a gauge). */
  get size(): number {
    return this.total;
  }

  /** True while the poll timer is armed or a poll runs. */
  get active(): boolean {
    return this.timer !== undefined || this.running !== undefined;
  }

  subscribe(tenantId: string, listener: JobListener): SubscribeResult {
    if (this.stopped || this.total >= this.limits.maxTotal) return { ok: false, reason: 'process-limit' };
    let set = this.listeners.get(tenantId);
    if ((set?.size ?? 0) >= this.limits.maxPerTenant) return { ok: false, reason: 'tenant-limit' };
    if (!set) {
      set = new Set();
      this.listeners.set(tenantId, set);
    }
    // The same function may be passed twice: wrap it so each subscription counts once.
    const entry: JobListener = (event) => listener(event);
    set.add(entry);
    this.total++;
    this.arm();
    let closed = false;
    return {
      ok: true,
      close: () => {
        if (closed) return;
        closed = true;
        const s = this.listeners.get(tenantId);
        if (s?.delete(entry)) this.total--;
        if (s?.size === 0) this.listeners.delete(tenantId);
        if (this.total === 0) this.disarm();
      },
    };
  }

  /** Stops polling for good (server shutdown); waits for a poll under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.disarm();
    this.listeners.clear();
    this.total = 0;
    await this.running;
  }

  private arm(): void {
    if (this.timer || this.stopped || this.total === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.poll()
        .catch((err: unknown) => this.logger.warn({ err }, 'job event poll failed'))
        .finally(() => {
          this.running = undefined;
          this.arm();
        });
    }, this.intervalMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.total === 0) {
      // Nobody listens: start afresh from "now" when someone does.
      this.cursor = undefined;
      this.sent.clear();
      this.resynced.clear();
    }
  }

  /** One tick (exported through the class for tests that drive it without timers). */
  async poll(): Promise<void> {
    const tenants = [...this.listeners.keys()];
    if (tenants.length === 0) return;
    if (!this.cursor) {
      // The first tick only sets the cursor: a new stream gets its snapshot from the route.
      const { rows } = await this.db.system((q) => q.query<{ now: Date }>('SELECT now() AS now'));
      this.cursor = rows[0]!.now;
      return;
    }
    const since = new Date(this.cursor.getTime() - this.overlapMs);
    const { rows: changed } = await this.db.system((q) =>
      q.query<{ tenant_id: string; latest: Date }>(
        `SELECT tenant_id, max(updated_at) AS latest FROM jobs WHERE tenant_id = ANY($2::uuid[]) AND ${CHANGED} GROUP BY tenant_id`,
        [since, tenants],
      ),
    );
    let latest = this.cursor.getTime();
    for (const c of changed) {
      if (!this.listeners.has(c.tenant_id)) continue;
      const { rows } = await this.db.tenant(c.tenant_id, (q) =>
        q.query<JobRow>(`SELECT * FROM jobs WHERE ${CHANGED} ORDER BY updated_at, id LIMIT ${this.batch}`, [since]),
      );
      latest = Math.max(latest, c.latest.getTime());
      if (rows.length >= this.batch) {
        // More changed at once than one read takes (a bulk cancel, a lease sweep): the
        // listeners reload the list instead of receiving each job.
        if (this.resynced.get(c.tenant_id) !== c.latest.getTime()) this.deliver(c.tenant_id, { kind: 'resync' });
        this.resynced.set(c.tenant_id, c.latest.getTime());
        continue;
      }
      for (const r of rows) {
        const at = r.updated_at.getTime();
        // Two writes in the same millisecond share `at`: the row's state tells them apart.
        const seen = `${at}|${r.status}|${r.attempts}|${String(r.cancel_requested)}|${JSON.stringify(r.progress)}`;
        if (this.sent.get(r.id)?.seen === seen) continue;
        this.sent.set(r.id, { at, seen });
        this.deliver(c.tenant_id, { kind: 'job', job: toJob(r) });
      }
    }
    this.cursor = new Date(latest);
    const keepFrom = latest - this.overlapMs;
    for (const [id, s] of this.sent) if (s.at < keepFrom) this.sent.delete(id);
    for (const [t, at] of this.resynced) if (at < keepFrom) this.resynced.delete(t);
  }

  private deliver(tenantId: string, event: JobEvent): void {
    for (const l of this.listeners.get(tenantId) ?? []) {
      try {
        l(event);
      } catch (err) {
        this.logger.warn({ err, tenantId }, 'a job event listener failed');
      }
    }
  }
}

/**
 * A tenant's jobs for a new stream, through the tenant door: every unfinished job, plus those
 * changed after `since` (the stream's Last-Event-ID) when given; oldest change first.
 * `complete` is false when `limit` cut the list short (the client should reload the list).
 */
export async function jobsForNewStream(db: Database, tenantId: string, since: Date | undefined, limit: number): Promise<{ jobs: Job[]; complete: boolean }> {
  const { rows } = await db.tenant(tenantId, (q) =>
    since
      ? q.query<JobRow>(`SELECT * FROM jobs WHERE status IN ('queued', 'running') OR ${CHANGED} ORDER BY updated_at, id LIMIT ${limit + 1}`, [since])
      : q.query<JobRow>(`SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY updated_at, id LIMIT ${limit + 1}`),
  );
  return { jobs: rows.slice(0, limit).map(toJob), complete: rows.length <= limit };
}
