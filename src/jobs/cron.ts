import { CronExpressionParser } from 'cron-parser';
import type { Logger } from 'pino';
import type { Database, Queryable } from '../store/db.js';
import type { HandlerRegistry } from './handlers.js';
import { insertJob, type Job } from './queue.js';

/** Something the runner asks on every tick to enqueue what is due (schedules in code, per-target scans). */
export interface Ticker {
  tick(now: Date): Promise<Job[]>;
}

/** Several tickers as one, asked in order; one that fails does not stop the others. */
export class Tickers implements Ticker {
  constructor(private readonly list: readonly Ticker[], private readonly logger: Logger) {}
  async tick(now: Date): Promise<Job[]> {
    const out: Job[] = [];
    for (const t of this.list) {
      try {
        out.push(...(await t.tick(now)));
      } catch (err) {
        this.logger.error({ err }, 'a scheduler failed to fire its schedules');
      }
    }
    return out;
  }
}

/** A recurring job, defined in code. Cron expressions are read in UTC. */
export interface Schedule {
  /** Stable id: fires are recorded under it, and jobs carry it as `schedule`. */
  readonly name: string;
  /** Five fields (minute hour day month weekday) or six with seconds first. */
  readonly cron: string;
  readonly jobType: string;
  readonly payload?: Readonly<Record<string, unknown>>;
  readonly description: string;
}

/** Every built-in schedule: add one line here. Minutes are spread so maintenance does not pile up. */
export const SCHEDULES: readonly Schedule[] = [
  { name: 'sessions.purge', cron: '7 * * * *', jobType: 'sessions.purge', description: 'Hourly: delete sessions expired or revoked over a day ago' },
  { name: 'audit.verify', cron: '23 3 * * *', jobType: 'audit.verify', description: 'Daily: verify the audit hash chain and record a checkpoint' },
  { name: 'jobs.purge', cron: '41 3 * * *', jobType: 'jobs.purge', description: 'Daily: delete jobs finished over 30 days ago' },
  { name: 'db.vacuum', cron: '53 * * * *', jobType: 'db.vacuum', description: 'Hourly: VACUUM (ANALYZE) the embedded database (PGlite has no autovacuum; a no-op on a server)' },
];

/** The latest time at or before `now` when the expression fires. */
export function lastFireAt(cron: string, now: Date): Date {
  // prev() is strictly before its start, so start one millisecond later to include `now`.
  return CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: 'UTC' }).prev().toDate();
}

/** Checks schedules against the handlers at start-up: unique names, known job types, valid expressions. */
export function checkSchedules(schedules: readonly Schedule[], handlers: HandlerRegistry): void {
  const names = new Set<string>();
  for (const s of schedules) {
    if (names.has(s.name)) throw new Error(`two schedules named ${s.name}`);
    names.add(s.name);
    if (!handlers.has(s.jobType)) throw new Error(`schedule ${s.name}: no handler for job type ${s.jobType}`);
    try {
      CronExpressionParser.parse(s.cron, { tz: 'UTC' });
    } catch (err) {
      throw new Error(`schedule ${s.name}: invalid cron expression "${s.cron}": ${(err as Error).message}`, { cause: err });
    }
  }
}

/**
 * Fires schedules. On each runner tick it computes every schedule's latest fire time; a time
 * not seen before by this process is inserted into job_schedule_fires, and only the process
 * whose insert wins enqueues the job, in the same transaction. So a schedule fires once per
 * tick however many processes run, and a process that was down fires the missed tick once
 * when it comes back (never a backlog of them). A still unfinished job of the same schedule
 * is not doubled (dedupe key `schedule:<name>`).
 */
export class CronScheduler implements Ticker {
  /** Last fire time handled per schedule by this process: most ticks cost no query. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly db: Database,
    private readonly schedules: readonly Schedule[],
    private readonly handlers: HandlerRegistry,
    private readonly logger: Logger,
  ) {}

  /** Returns the jobs this call enqueued. */
  async tick(now: Date): Promise<Job[]> {
    const out: Job[] = [];
    for (const s of this.schedules) {
      const fireAt = lastFireAt(s.cron, now);
      if (this.seen.get(s.name) === fireAt.getTime()) continue;
      const job = await this.db.system((q) => this.fire(q, s, fireAt));
      this.seen.set(s.name, fireAt.getTime());
      if (job) {
        out.push(job);
        this.logger.info({ schedule: s.name, fireAt: fireAt.toISOString(), jobId: job.id }, 'schedule fired');
      }
    }
    return out;
  }

  private async fire(q: Queryable, s: Schedule, fireAt: Date): Promise<Job | undefined> {
    const won = await q.query('INSERT INTO job_schedule_fires (schedule, fire_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING schedule', [s.name, fireAt]);
    if (won.rows.length === 0) return undefined;
    const maxAttempts = this.handlers.get(s.jobType)?.maxAttempts;
    const { job, created } = await insertJob(q, null, s.jobType, s.payload ?? {}, { dedupeKey: `schedule:${s.name}`, schedule: s.name, maxAttempts });
    await q.query('UPDATE job_schedule_fires SET job_id = $3 WHERE schedule = $1 AND fire_at = $2', [s.name, fireAt, job.id]);
    return created ? job : undefined;
  }
}

/** Deletes fire records older than `days` (they only guard the current tick). */
export async function purgeScheduleFires(q: Queryable, days: number): Promise<number> {
  const { rowCount } = await q.query("DELETE FROM job_schedule_fires WHERE fire_at < now() - $1::double precision * interval '1 day'", [days]);
  return rowCount;
}
