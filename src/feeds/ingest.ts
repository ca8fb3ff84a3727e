import type { Logger } from 'pino';
import type { Advisory, EpssScore, KevEntry } from '../core/advisory.js';
import type { Bus } from '../bus/types.js';
import { MemoryBus } from '../bus/memory.js';
import type { Database } from '../store/db.js';
import { upsertAdvisories, upsertEpss, upsertKev, type UpsertCounts } from '../store/repos/advisories.js';
import { emptyCounts, finishRun, quarantine, startRun, type QuarantineItem, type RunCounts } from '../store/repos/feedRuns.js';
import { normaliseAdvisory } from './normalise.js';
import type { FeedFile, FeedId, FeedParser, FeedRecord } from './types.js';
import { walk, type WalkLimits } from './walk.js';

export const RECORDS_TOPIC = 'feeds.records';

/** What flows on the bus: one record with the feed that produced it. */
export interface RecordMessage {
  readonly feed: FeedId;
  readonly record: FeedRecord;
}

export interface IngestProgress {
  readonly files: number;
  readonly records: number;
  readonly invalid: number;
  readonly elapsedMs: number;
  /** The file being read. */
  readonly current: string;
}

export interface IngestOptions {
  /** A feed id, or `auto` to recognise each file by its name and first bytes. */
  readonly source: FeedId | 'auto';
  readonly parsers: readonly FeedParser[];
  readonly batchSize?: number;
  readonly limits?: WalkLimits;
  readonly mode?: 'import' | 'sync';
  readonly jobId?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: IngestProgress) => void;
  /** Defaults to an in-process bus; pass another Bus to cross processes. */
  readonly bus?: Bus;
}

export interface FileError {
  readonly path: string;
  readonly reason: string;
}

export interface IngestReport {
  readonly runs: { readonly runId: string; readonly source: FeedId; readonly counts: RunCounts }[];
  /** Files that could not be read or recognised: they count as warnings and make --strict fail. */
  readonly fileErrors: readonly FileError[];
  readonly files: number;
  readonly records: number;
  readonly durationMs: number;
}

function pickParser(file: FeedFile, opts: IngestOptions): FeedParser | undefined {
  if (opts.source !== 'auto') return opts.parsers.find((p) => p.id === opts.source);
  const head = Buffer.from(file.bytes.subarray(0, 4096)).toString('utf8');
  return opts.parsers.find((p) => p.sniff(file.name, head));
}

const originText = (f: FeedFile) => (f.origin.entry ? `${f.origin.file}!${f.origin.entry}` : f.origin.file);

/**
 * Imports files, directories and archives: walker → parser (collector) → bus topic →
 * normaliser and store (consumer). Every record is new, updated, unchanged or quarantined
 * with its file, id and reason; unreadable files are reported; nothing aborts the batch
 * except a database failure. One feed run is recorded per source seen.
 */
export async function ingest(db: Database, logger: Logger, paths: readonly string[], opts: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const bus = opts.bus ?? new MemoryBus();
  const runs = new Map<FeedId, { runId: string; counts: RunCounts }>();
  const fileErrors: FileError[] = [];
  let files = 0;
  let records = 0;
  let invalid = 0;

  const runOf = async (feed: FeedId) => {
    let r = runs.get(feed);
    if (!r) {
      r = { runId: await db.system((q) => startRun(q, feed, opts.mode ?? 'import', paths, opts.jobId)), counts: emptyCounts() };
      runs.set(feed, r);
    }
    return r;
  };

  bus.subscribe<RecordMessage>(RECORDS_TOPIC, (batch) => storeBatch(db, batch, runOf), { batchSize: opts.batchSize ?? 500 });

  let current = '';
  let lastProgress = 0;
  const progress = (force = false) => {
    const now = performance.now();
    if (opts.onProgress && (force || now - lastProgress > 250)) {
      lastProgress = now;
      opts.onProgress({ files, records, invalid, elapsedMs: now - started, current });
    }
  };

  try {
    for await (const item of walk(paths, opts.limits)) {
      if (opts.signal?.aborted) throw new Error('import cancelled');
      if (item.kind === 'error') {
        fileErrors.push({ path: item.error.origin.entry ? `${item.error.origin.file}!${item.error.origin.entry}` : item.error.origin.file, reason: item.error.reason });
        continue;
      }
      files++;
      current = originText(item.file);
      const parser = pickParser(item.file, opts);
      if (!parser) {
        fileErrors.push({ path: current, reason: opts.source === 'auto' ? 'not recognised as CVE 5, OSV, NVD, KEV or EPSS data' : `no parser for source ${opts.source}` });
        continue;
      }
      for (const record of parser.parse(item.file)) {
        records++;
        if (record.kind === 'invalid') invalid++;
        await bus.publish<RecordMessage>(RECORDS_TOPIC, { feed: parser.id, record });
        progress();
      }
    }
    await bus.drain(RECORDS_TOPIC);
  } catch (err) {
    await bus.drain(RECORDS_TOPIC).catch(() => undefined);
    for (const r of runs.values()) await db.system((q) => finishRun(q, r.runId, opts.signal?.aborted ? 'cancelled' : 'failed', r.counts, performance.now() - started, (err as Error).message));
    throw err;
  } finally {
    if (!opts.bus) await bus.close();
  }
  progress(true);
  const durationMs = performance.now() - started;
  for (const r of runs.values()) await db.system((q) => finishRun(q, r.runId, 'succeeded', r.counts, durationMs));
  if (fileErrors.length > 0) logger.warn({ count: fileErrors.length }, 'some inputs could not be read');
  return {
    runs: [...runs.entries()].map(([source, r]) => ({ runId: r.runId, source, counts: r.counts })),
    fileErrors,
    files,
    records,
    durationMs,
  };
}

function add(c: RunCounts, u: UpsertCounts): void {
  c.new += u.inserted;
  c.updated += u.updated;
  c.unchanged += u.unchanged;
}

/** The consumer: normalises and writes one batch in one transaction per source. */
async function storeBatch(
  db: Database,
  batch: RecordMessage[],
  runOf: (feed: FeedId) => Promise<{ runId: string; counts: RunCounts }>,
): Promise<void> {
  const byFeed = new Map<FeedId, RecordMessage[]>();
  for (const m of batch) {
    const list = byFeed.get(m.feed);
    if (list) list.push(m);
    else byFeed.set(m.feed, [m]);
  }
  for (const [feed, msgs] of byFeed) {
    const run = await runOf(feed);
    const advisories: Advisory[] = [];
    const kev: KevEntry[] = [];
    let catalogVersion: string | null = null;
    const epss: EpssScore[] = [];
    const bad: QuarantineItem[] = [];
    for (const { record: r } of msgs) {
      switch (r.kind) {
        case 'advisory':
          advisories.push(normaliseAdvisory(r.advisory));
          if (r.advisory.rejected || r.advisory.withdrawn) run.counts.rejected++;
          break;
        case 'kev':
          kev.push(r.entry);
          catalogVersion = r.catalogVersion ?? catalogVersion;
          break;
        case 'epss':
          epss.push(r.score);
          break;
        case 'invalid':
          bad.push({ source: feed, file: r.origin.file, entry: r.origin.entry, line: r.origin.line, recordId: r.recordId, reason: r.reason, pointer: r.pointer });
          break;
      }
    }
    await db.system(async (q) => {
      if (advisories.length) add(run.counts, await upsertAdvisories(q, advisories));
      if (kev.length) add(run.counts, await upsertKev(q, kev, catalogVersion));
      if (epss.length) add(run.counts, await upsertEpss(q, epss));
      if (bad.length) await quarantine(q, run.runId, bad);
    });
    run.counts.invalid += bad.length;
  }
}
