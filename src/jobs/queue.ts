/**
 * The job queue, kept in PostgreSQL itself: a `jobs` table (migration 003) whose queued rows
 * workers claim with `FOR UPDATE SKIP LOCKED`. The same code serves the embedded database
 * (PGlite, one process) and a PostgreSQL server shared by several processes, where
 * `vigil worker` on another machine picks up work.
 *
 * Why not a library: pg-boss has no tenant row-level security and no progress, and keeps its
 * own schema whose state we would have to mirror into ours; graphile-worker stalls on PGlite
 * (one connection, no LISTEN between processes). A table guarded by the same RLS policy as
 * every tenant table, plus a few short statements, is smaller than either adapter.
 *
 * Delivery is at-least-once: a claimed job holds a lease (`locked_until`) that its worker
 * renews while the handler runs; when a worker dies its lease runs out and any worker puts
 * the job back in the queue (or fails it when its attempts are used up). Handlers must
 * therefore be idempotent. Every method is one short transaction; none is held while a
 * handler runs (PGlite has a single connection: never nest `db.tenant`/`db.system`).
 */
import type { Database, Queryable } from '../store/db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../store/paging.js';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobProgress {
  readonly done: number;
  readonly total: number | null;
  readonly message: string | null;
}

export interface Job {
  readonly id: string;
  /** null: a system job (maintenance), invisible to every tenant. */
  readonly tenantId: string | null;
  readonly type: string;
  readonly payload: unknown;
  readonly status: JobStatus;
  readonly priority: number;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly runAt: string;
  readonly lockedBy: string | null;
  readonly lockedUntil: string | null;
  readonly progress: JobProgress | null;
  readonly result: unknown;
  readonly lastError: string | null;
  readonly cancelRequested: boolean;
  readonly dedupeKey: string | null;
  readonly schedule: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly updatedAt: string;
}

/** A `jobs` row (migration 003) as the driver returns it. */
export interface JobRow {
  id: string;
  tenant_id: string | null;
  type: string;
  payload: unknown;
  status: JobStatus;
  priority: number;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  locked_by: string | null;
  locked_until: Date | null;
  progress: JobProgress | null;
  result: unknown;
  last_error: string | null;
  cancel_requested: boolean;
  dedupe_key: string | null;
  schedule: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export const toJob = (r: JobRow): Job => ({
  id: r.id,
  tenantId: r.tenant_id,
  type: r.type,
  payload: r.payload,
  status: r.status,
  priority: r.priority,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAt: r.run_at.toISOString(),
  lockedBy: r.locked_by,
  lockedUntil: iso(r.locked_until),
  progress: r.progress,
  result: r.result ?? null,
  lastError: r.last_error,
  cancelRequested: r.cancel_requested,
  dedupeKey: r.dedupe_key,
  schedule: r.schedule,
  createdAt: r.created_at.toISOString(),
  startedAt: iso(r.started_at),
  finishedAt: iso(r.finished_at),
  updatedAt: r.updated_at.toISOString(),
});

/**
 * JSON for a jsonb parameter, passed as text and cast in SQL (`$n::text::jsonb`): the two
 * drivers would otherwise encode arrays and strings differently.
 */
export function jsonParam(value: unknown): string {
  const text = JSON.stringify(value ?? null) as string | undefined;
  if (text === undefined) throw new TypeError('value is not JSON-serialisable');
  return text;
}

export interface EnqueueOptions {
  /** Higher runs first (default 0). */
  readonly priority?: number | undefined;
  readonly maxAttempts?: number | undefined;
  /** Not before this time (default now). */
  readonly runAt?: Date | undefined;
  /** While a job with this key is queued or running for the same tenant, enqueue returns it instead. */
  readonly dedupeKey?: string | undefined;
  /** The cron schedule that created the job. */
  readonly schedule?: string | undefined;
}

export interface EnqueueResult {
  readonly job: Job;
  /** false: an unfinished job with the same dedupe key already existed and is returned. */
  readonly created: boolean;
}

/**
 * Inserts a job within the caller's transaction (so work and its job commit together). In a
 * tenant transaction `tenantId` must be that tenant (RLS checks it); null needs the system door.
 */
export async function insertJob(q: Queryable, tenantId: string | null, type: string, payload: unknown, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
  const params = [tenantId, type, jsonParam(payload ?? {}), opts.priority ?? 0, opts.maxAttempts ?? 3, opts.runAt ?? null, opts.dedupeKey ?? null, opts.schedule ?? null];
  // A duplicate may finish between our insert and our look-up: then insert again.
  for (let tries = 0; tries < 3; tries++) {
    const { rows } = await q.query<JobRow>(
      `INSERT INTO jobs (tenant_id, type, payload, priority, max_attempts, run_at, dedupe_key, schedule)
       VALUES ($1, $2, $3::text::jsonb, $4, $5, COALESCE($6::timestamptz, now()), $7, $8)
       ON CONFLICT (tenant_id, dedupe_key) WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running') DO NOTHING
       RETURNING *`,
      params,
    );
    if (rows[0]) return { job: toJob(rows[0]), created: true };
    const existing = await q.query<JobRow>(
      `SELECT * FROM jobs WHERE tenant_id IS NOT DISTINCT FROM $1 AND dedupe_key = $2 AND status IN ('queued', 'running')`,
      [tenantId, opts.dedupeKey],
    );
    if (existing.rows[0]) return { job: toJob(existing.rows[0]), created: false };
  }
  throw new Error(`could not enqueue ${type}: dedupe key ${String(opts.dedupeKey)} kept changing hands`);
}

export const JOB_SORT: Record<string, SortColumn> = {
  createdAt: { column: 'created_at', cast: 'timestamptz' },
};

export interface JobFilter {
  readonly status?: JobStatus | undefined;
  readonly type?: string | undefined;
}

export type CancelOutcome = 'cancelled' | 'requested' | 'already-finished';

/** What a worker learns about the jobs it holds: whether a cancel was asked, whether it still holds them. */
export interface HeldJob {
  readonly id: string;
  readonly cancelRequested: boolean;
}

export interface RecoveredJob {
  readonly id: string;
  readonly type: string;
  readonly status: JobStatus;
}

export interface FailOptions {
  readonly error: string;
  /** Delay before the next attempt; null: do not retry (a permanent failure). */
  readonly retryDelayMs: number | null;
  readonly result?: unknown;
  readonly progress?: JobProgress | null | undefined;
}

const ms = (n: number) => Math.max(0, Math.round(n));

/**
 * The queue over a Database. Methods that take `tenantId` use the tenant door when it is a
 * tenant id (RLS: only that tenant's jobs exist) and the system door when it is null (every
 * job). Worker methods (claim, heartbeat, finish) use the system door: they work across tenants.
 */
export class JobQueue {
  constructor(private readonly db: Database) {}

  private door<T>(tenantId: string | null, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return tenantId === null ? this.db.system(fn) : this.db.tenant(tenantId, fn);
  }

  enqueue(tenantId: string | null, type: string, payload: unknown, opts: EnqueueOptions = {}): Promise<EnqueueResult> {
    return this.door(tenantId, (q) => insertJob(q, tenantId, type, payload, opts));
  }

  async get(tenantId: string | null, id: string): Promise<Job | undefined> {
    const { rows } = await this.door(tenantId, (q) => q.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id]));
    return rows[0] && toJob(rows[0]);
  }

  async list(tenantId: string | null, filter: JobFilter, page: PageRequest): Promise<Page<Job>> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.status) where.push(`status = $${params.push(filter.status)}`);
    if (filter.type) where.push(`type = $${params.push(filter.type)}`);
    const ks = keyset(page, JOB_SORT, params.length + 1);
    params.push(...ks.params);
    const { rows } = await this.door(tenantId, (q) =>
      q.query<JobRow & { sort_key: string }>(
        `SELECT *, ${ks.sortKey} AS sort_key FROM jobs WHERE ${[...where, ks.where].join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
        params,
      ),
    );
    const keys = new Map(rows.map((r) => [r.id, r.sort_key]));
    return toPage(rows.map(toJob), page, (j) => keys.get(j.id));
  }

  /**
   * Cancels a job: a queued one at once; a running one is asked to stop (its handler's
   * AbortSignal fires at the worker's next look, within a poll interval). Finished jobs are
   * left as they are. undefined: no such job (for this tenant).
   */
  async cancel(tenantId: string | null, id: string): Promise<{ job: Job; outcome: CancelOutcome } | undefined> {
    return this.door(tenantId, async (q) => {
      const { rows } = await q.query<JobRow>(
        `UPDATE jobs SET
           status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
           finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
           cancel_requested = true,
           updated_at = now()
         WHERE id = $1 AND status IN ('queued', 'running') RETURNING *`,
        [id],
      );
      const changed = rows[0];
      if (changed) return { job: toJob(changed), outcome: changed.status === 'cancelled' ? 'cancelled' : 'requested' };
      const found = (await q.query<JobRow>('SELECT * FROM jobs WHERE id = $1', [id])).rows[0];
      return found && { job: toJob(found), outcome: 'already-finished' as const };
    });
  }

  /**
   * Claims up to `limit` due jobs of the given types for `workerId`, counting an attempt each.
   *
   * Fair across tenants: within a priority, jobs are taken in turns (each tenant's oldest due
   * job first, then each tenant's second, …), so one tenant's hundred queued scans do not hold
   * back another tenant's one. `caps` bounds how many jobs of a type run at once across every
   * worker (e.g. posture collection: at most 100 scans); capped claims take a transaction-scoped
   * advisory lock per capped type, so two workers cannot both see room for the last slot.
   */
  async claim(workerId: string, types: readonly string[], limit: number, leaseMs: number, caps: ReadonlyMap<string, number> = new Map()): Promise<Job[]> {
    if (limit <= 0 || types.length === 0) return [];
    const capped = types.filter((t) => caps.has(t)).sort();
    const { rows } = await this.db.system(async (q) => {
      const room: Record<string, number> = {};
      if (capped.length > 0) {
        for (const t of capped) await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`vigil.jobs.cap:${t}`]);
        const running = await q.query<{ type: string; n: number }>(
          "SELECT type, count(*)::int AS n FROM jobs WHERE status = 'running' AND type = ANY($1::text[]) GROUP BY type",
          [capped],
        );
        const busy = new Map(running.rows.map((r) => [r.type, r.n]));
        for (const t of capped) room[t] = Math.max(0, (caps.get(t) ?? 0) - (busy.get(t) ?? 0));
      }
      const open = types.filter((t) => room[t] === undefined || room[t] > 0);
      if (open.length === 0) return { rows: [] as JobRow[] };
      return q.query<JobRow>(
        `WITH ranked AS (
           SELECT id, priority, run_at,
                  row_number() OVER (PARTITION BY tenant_id ORDER BY priority DESC, run_at, id) AS turn,
                  row_number() OVER (PARTITION BY type ORDER BY priority DESC, run_at, id) AS nth,
                  ($5::jsonb ->> type)::int AS room
             FROM jobs
            WHERE status = 'queued' AND run_at <= now() AND type = ANY($1::text[])),
         next AS (
           SELECT j.id FROM jobs j JOIN ranked r ON r.id = j.id
            WHERE j.status = 'queued' AND (r.room IS NULL OR r.nth <= r.room)
            ORDER BY r.priority DESC, r.turn, r.run_at, r.id
            LIMIT $2
            FOR UPDATE OF j SKIP LOCKED)
         UPDATE jobs j SET status = 'running', attempts = j.attempts + 1, locked_by = $3,
                locked_until = now() + $4::double precision * interval '1 millisecond',
                started_at = now(), updated_at = now()
           FROM next WHERE j.id = next.id
         RETURNING j.*`,
        [open, limit, workerId, ms(leaseMs), JSON.stringify(room)],
      );
    });
    return rows.sort((a, b) => b.priority - a.priority || a.run_at.getTime() - b.run_at.getTime()).map(toJob);
  }

  /** Renews the leases of the jobs `workerId` holds; returns those it still holds. */
  async heartbeat(workerId: string, ids: readonly string[], leaseMs: number): Promise<HeldJob[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.db.system((q) =>
      q.query<{ id: string; cancel_requested: boolean }>(
        `UPDATE jobs SET locked_until = now() + $3::double precision * interval '1 millisecond'
          WHERE id = ANY($1::text[]::uuid[]) AND locked_by = $2 AND status = 'running'
          RETURNING id, cancel_requested`,
        [[...ids], workerId, ms(leaseMs)],
      ),
    );
    return rows.map((r) => ({ id: r.id, cancelRequested: r.cancel_requested }));
  }

  /** A cheap look (no write) at the jobs `workerId` holds: which still are, and which were asked to cancel. */
  async watch(workerId: string, ids: readonly string[]): Promise<HeldJob[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.db.system((q) =>
      q.query<{ id: string; cancel_requested: boolean }>(
        `SELECT id, cancel_requested FROM jobs WHERE id = ANY($1::text[]::uuid[]) AND locked_by = $2 AND status = 'running'`,
        [[...ids], workerId],
      ),
    );
    return rows.map((r) => ({ id: r.id, cancelRequested: r.cancel_requested }));
  }

  /** Records progress (and renews the lease). Tells whether to go on, stop (cancel) or whether the job was lost. */
  async progress(workerId: string, id: string, progress: JobProgress, leaseMs: number): Promise<'ok' | 'cancel' | 'lost'> {
    const { rows } = await this.db.system((q) =>
      q.query<{ cancel_requested: boolean }>(
        `UPDATE jobs SET progress = $3::text::jsonb, updated_at = now(),
                locked_until = now() + $4::double precision * interval '1 millisecond'
          WHERE id = $1 AND locked_by = $2 AND status = 'running' RETURNING cancel_requested`,
        [id, workerId, jsonParam(progress), ms(leaseMs)],
      ),
    );
    const r = rows[0];
    return !r ? 'lost' : r.cancel_requested ? 'cancel' : 'ok';
  }

  /** Marks a held job succeeded. undefined: the worker no longer held it (its lease ran out). */
  async complete(workerId: string, id: string, result: unknown, progress?: JobProgress | null): Promise<Job | undefined> {
    const { rows } = await this.db.system((q) =>
      q.query<JobRow>(
        `UPDATE jobs SET status = 'succeeded', result = $3::text::jsonb, progress = COALESCE($4::text::jsonb, progress),
                finished_at = now(), locked_by = NULL, locked_until = NULL, updated_at = now()
          WHERE id = $1 AND locked_by = $2 AND status = 'running' RETURNING *`,
        [id, workerId, jsonParam(result), progress ? jsonParam(progress) : null],
      ),
    );
    return rows[0] && toJob(rows[0]);
  }

  /**
   * Records a failed attempt: queued again after `retryDelayMs` while attempts remain, else
   * failed; cancelled instead when a cancel was asked for meanwhile.
   */
  async fail(workerId: string, id: string, f: FailOptions): Promise<Job | undefined> {
    const { rows } = await this.db.system((q) =>
      q.query<JobRow>(
        `UPDATE jobs SET
           status = CASE WHEN cancel_requested THEN 'cancelled'
                         WHEN $3::double precision IS NOT NULL AND attempts < max_attempts THEN 'queued'
                         ELSE 'failed' END,
           run_at = CASE WHEN NOT cancel_requested AND $3::double precision IS NOT NULL AND attempts < max_attempts
                         THEN now() + $3::double precision * interval '1 millisecond' ELSE run_at END,
           finished_at = CASE WHEN NOT cancel_requested AND $3::double precision IS NOT NULL AND attempts < max_attempts
                              THEN NULL ELSE now() END,
           last_error = $4, result = COALESCE($5::text::jsonb, result), progress = COALESCE($6::text::jsonb, progress),
           locked_by = NULL, locked_until = NULL, updated_at = now()
         WHERE id = $1 AND locked_by = $2 AND status = 'running' RETURNING *`,
        [id, workerId, f.retryDelayMs === null ? null : ms(f.retryDelayMs), f.error.slice(0, 4000), f.result === undefined ? null : jsonParam(f.result), f.progress ? jsonParam(f.progress) : null],
      ),
    );
    return rows[0] && toJob(rows[0]);
  }

  /**
   * Gives held jobs back to the queue without counting the attempt (the worker is shutting
   * down; the job did nothing wrong). Jobs asked to cancel are cancelled instead.
   */
  async release(workerId: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const { rowCount } = await this.db.system((q) =>
      q.query(
        `UPDATE jobs SET status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'queued' END,
                finished_at = CASE WHEN cancel_requested THEN now() END,
                attempts = GREATEST(attempts - 1, 0), run_at = now(),
                last_error = 'interrupted: worker ' || locked_by || ' shut down',
                locked_by = NULL, locked_until = NULL, updated_at = now()
          WHERE id = ANY($1::text[]::uuid[]) AND locked_by = $2 AND status = 'running'`,
        [[...ids], workerId],
      ),
    );
    return rowCount;
  }

  /**
   * Puts running jobs whose lease ran out (their worker crashed or lost the database) back in
   * the queue, or fails them when their attempts are used up. Any worker may run this.
   */
  async recoverExpired(): Promise<RecoveredJob[]> {
    const { rows } = await this.db.system((q) =>
      q.query<RecoveredJob>(
        `UPDATE jobs SET
           status = CASE WHEN cancel_requested THEN 'cancelled' WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END,
           finished_at = CASE WHEN cancel_requested OR attempts >= max_attempts THEN now() END,
           last_error = 'lease expired: worker ' || locked_by || ' stopped renewing it (crashed or cut off)',
           locked_by = NULL, locked_until = NULL, run_at = now(), updated_at = now()
         WHERE id IN (SELECT id FROM jobs WHERE status = 'running' AND locked_until < now() FOR UPDATE SKIP LOCKED)
         RETURNING id, type, status`,
      ),
    );
    return rows;
  }

  /** Deletes finished jobs that ended more than `olderThanDays` ago, at most `batch` at a time. */
  async purgeFinished(olderThanDays: number, batch: number): Promise<number> {
    const { rowCount } = await this.db.system((q) =>
      q.query(
        `DELETE FROM jobs WHERE id IN (
           SELECT id FROM jobs WHERE finished_at < now() - $1::double precision * interval '1 day' LIMIT $2)`,
        [olderThanDays, batch],
      ),
    );
    return rowCount;
  }

  /** Job counts by status and type (for the queue-depth gauge). */
  async counts(): Promise<{ status: JobStatus; type: string; count: number }[]> {
    const { rows } = await this.db.system((q) =>
      q.query<{ status: JobStatus; type: string; count: string | number }>('SELECT status, type, count(*) AS count FROM jobs GROUP BY status, type'),
    );
    return rows.map((r) => ({ status: r.status, type: r.type, count: Number(r.count) }));
  }
}

export interface BackoffPolicy {
  /** Delay after the first failed attempt. */
  readonly baseMs: number;
  readonly maxMs: number;
  /** Fraction of the delay added or taken at random (0..1), so failed jobs do not retry in step. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 10_000, maxMs: 3_600_000, jitter: 0.2 };

/** Exponential backoff with jitter: min(base · 2^(attempt-1), max) ± jitter, for the attempt that just failed (1-based). */
export function retryDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.baseMs * 2 ** Math.max(0, attempt - 1), policy.maxMs);
  return Math.max(0, Math.round(exp + exp * policy.jitter * (2 * random() - 1)));
}
