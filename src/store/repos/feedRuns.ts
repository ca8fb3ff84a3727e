import type { Queryable } from '../db.js';

export interface RunCounts {
  new: number;
  updated: number;
  unchanged: number;
  rejected: number;
  invalid: number;
}

export const emptyCounts = (): RunCounts => ({ new: 0, updated: 0, unchanged: 0, rejected: 0, invalid: 0 });

export interface FeedRun extends RunCounts {
  readonly id: string;
  readonly source: string;
  readonly mode: 'import' | 'sync';
  readonly inputs: readonly string[];
  readonly status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly error: string | null;
}

interface RunRow {
  id: string;
  source: string;
  mode: 'import' | 'sync';
  inputs: string[];
  status: FeedRun['status'];
  started_at: Date;
  finished_at: Date | null;
  new_count: number;
  updated_count: number;
  unchanged_count: number;
  rejected_count: number;
  invalid_count: number;
  duration_ms: number | null;
  error: string | null;
}

const toRun = (r: RunRow): FeedRun => ({
  id: r.id,
  source: r.source,
  mode: r.mode,
  inputs: r.inputs,
  status: r.status,
  startedAt: r.started_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
  durationMs: r.duration_ms,
  error: r.error,
  new: r.new_count,
  updated: r.updated_count,
  unchanged: r.unchanged_count,
  rejected: r.rejected_count,
  invalid: r.invalid_count,
});

export async function startRun(q: Queryable, source: string, mode: 'import' | 'sync', inputs: readonly string[], jobId?: string): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    "INSERT INTO feed_runs (source, mode, inputs, status, job_id) VALUES ($1, $2, $3, 'running', $4) RETURNING id",
    [source, mode, inputs.slice(0, 100), jobId ?? null],
  );
  return rows[0]!.id;
}

/**
 * Ends a run. Counts are added batch by batch (addRunCounts) by whichever process stored the
 * batch; `counts`, when given, replaces them (a run that never reached the store).
 */
export async function finishRun(q: Queryable, id: string, status: FeedRun['status'], durationMs: number, error?: string, counts?: RunCounts): Promise<FeedRun> {
  const { rows } = counts
    ? await q.query<RunRow>(
        `UPDATE feed_runs SET status = $2, finished_at = now(), duration_ms = $3, error = $4, new_count = $5, updated_count = $6,
           unchanged_count = $7, rejected_count = $8, invalid_count = $9 WHERE id = $1 RETURNING *`,
        [id, status, Math.round(durationMs), error ?? null, counts.new, counts.updated, counts.unchanged, counts.rejected, counts.invalid],
      )
    : await q.query<RunRow>('UPDATE feed_runs SET status = $2, finished_at = now(), duration_ms = $3, error = $4 WHERE id = $1 RETURNING *', [
        id,
        status,
        Math.round(durationMs),
        error ?? null,
      ]);
  if (!rows[0]) throw new Error(`feed run ${id} not found`);
  return toRun(rows[0]);
}

/** Adds one stored batch's counts to its run (in the batch's transaction). */
export async function addRunCounts(q: Queryable, id: string, c: RunCounts): Promise<void> {
  await q.query(
    `UPDATE feed_runs SET new_count = new_count + $2, updated_count = updated_count + $3, unchanged_count = unchanged_count + $4,
       rejected_count = rejected_count + $5, invalid_count = invalid_count + $6 WHERE id = $1`,
    [id, c.new, c.updated, c.unchanged, c.rejected, c.invalid],
  );
}

/**
 * Records that batch `batchId` was applied to run `runId`; false when it already was (a
 * redelivered batch, which must then change nothing). Call in the batch's transaction.
 */
export async function claimBatch(q: Queryable, runId: string, batchId: string): Promise<boolean> {
  const { rows } = await q.query('INSERT INTO feed_run_batches (run_id, batch_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING batch_id', [runId, batchId]);
  return rows.length === 1;
}

/**
 * Names a run's input by what it really was (a sync's URL) instead of the temporary file it was
 * read from, in the run and in its quarantine.
 */
export async function relabelRunInput(q: Queryable, runId: string, from: string, to: string): Promise<void> {
  await q.query('UPDATE feed_runs SET inputs = array_replace(inputs, $2, $3) WHERE id = $1', [runId, from, to]);
  // Entries of inner archives are named `<file>!<inner.zip>`: keep the suffix.
  await q.query(
    `UPDATE feed_quarantine SET file = $3 || substr(file, length($2) + 1)
      WHERE run_id = $1 AND (file = $2 OR left(file, length($2) + 1) = $2 || '!')`,
    [runId, from, to],
  );
}

export interface QuarantineItem {
  readonly source: string;
  readonly file: string;
  readonly entry?: string | undefined;
  readonly line?: number | undefined;
  readonly recordId: string | null;
  readonly reason: string;
  readonly pointer?: string | undefined;
}

export async function quarantine(q: Queryable, runId: string, items: readonly QuarantineItem[]): Promise<void> {
  if (items.length === 0) return;
  await q.query(
    `INSERT INTO feed_quarantine (run_id, source, file, entry, line, record_id, reason, pointer)
     SELECT $1, r.source, r.file, r.entry, r.line, r."recordId", left(r.reason, 2000), r.pointer
       FROM jsonb_to_recordset($2::jsonb) AS r(source text, file text, entry text, line integer, "recordId" text, reason text, pointer text)`,
    [runId, JSON.stringify(items)],
  );
}

export async function listRuns(q: Queryable, limit: number, before?: { startedAt: string; id: string }): Promise<FeedRun[]> {
  const { rows } = before
    ? await q.query<RunRow>('SELECT * FROM feed_runs WHERE (started_at, id) < ($1::timestamptz, $2::uuid) ORDER BY started_at DESC, id DESC LIMIT $3', [before.startedAt, before.id, limit])
    : await q.query<RunRow>('SELECT * FROM feed_runs ORDER BY started_at DESC, id DESC LIMIT $1', [limit]);
  return rows.map(toRun);
}

export async function getRun(q: Queryable, id: string): Promise<FeedRun | undefined> {
  const { rows } = await q.query<RunRow>('SELECT * FROM feed_runs WHERE id = $1', [id]);
  return rows[0] && toRun(rows[0]);
}

export async function quarantineOf(q: Queryable, runId: string, limit = 1000): Promise<(QuarantineItem & { id: number })[]> {
  const { rows } = await q.query<{ id: string; source: string; file: string; entry: string | null; line: number | null; record_id: string | null; reason: string; pointer: string | null }>(
    'SELECT * FROM feed_quarantine WHERE run_id = $1 ORDER BY id LIMIT $2',
    [runId, limit],
  );
  return rows.map((r) => ({ id: Number(r.id), source: r.source, file: r.file, entry: r.entry ?? undefined, line: r.line ?? undefined, recordId: r.record_id, reason: r.reason, pointer: r.pointer ?? undefined }));
}

export interface DbStatus {
  readonly advisories: Record<string, number>;
  readonly kev: number;
  readonly epss: number;
  readonly epssDate: string | null;
  readonly lastRuns: FeedRun[];
}

export async function dbStatus(q: Queryable): Promise<DbStatus> {
  const adv = await q.query<{ source: string; n: number }>('SELECT source, count(*)::int AS n FROM advisories GROUP BY source ORDER BY source');
  const kev = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM kev_entries');
  const epss = await q.query<{ n: number; d: string | null }>("SELECT count(*)::int AS n, to_char(max(score_date), 'YYYY-MM-DD') AS d FROM epss_scores");
  const runs = await q.query<RunRow>(
    'SELECT DISTINCT ON (source) * FROM feed_runs ORDER BY source, started_at DESC',
  );
  return {
    advisories: Object.fromEntries(adv.rows.map((r) => [r.source, r.n])),
    kev: kev.rows[0]?.n ?? 0,
    epss: epss.rows[0]?.n ?? 0,
    epssDate: epss.rows[0]?.d ?? null,
    lastRuns: runs.rows.map(toRun),
  };
}
