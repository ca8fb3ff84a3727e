import { lstat, readdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { Bus } from '../bus/types.js';
import { MemoryBus } from '../bus/memory.js';
import type { Database } from '../store/db.js';
import { finishRun, startRun, type RunCounts } from '../store/repos/feedRuns.js';
import { RECORDS_TOPIC, storeRecords, type RecordEnvelope } from './consume.js';
import type { WorkerInput, WorkerMessage } from './ingestWorker.js';
import { startWorker } from './threads.js';
import { ACK, HUNGRY, produce, toMessage, type Chunk, type FileError, type RecordMessage } from './produce.js';
import { learnScores } from './normalise.js';
import { FEED_PARSERS } from './registry.js';
import type { FeedId, FeedParser } from './types.js';
import type { WalkLimits } from './walk.js';

export type { FileError, RecordMessage } from './produce.js';
export { RECORDS_TOPIC } from './consume.js';

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
  /** Records written per transaction (default DEFAULT_BATCH: 1,000 on a server, 2,500 in PGlite). */
  readonly batchSize?: number;
  readonly limits?: WalkLimits;
  readonly mode?: 'import' | 'sync';
  readonly jobId?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: IngestProgress) => void;
  /**
   * Defaults to an in-process bus with the store as its consumer. Another Bus (the queue bus)
   * must already have a consumer of RECORDS_TOPIC (storeRecords) wherever it delivers.
   */
  readonly bus?: Bus | undefined;
  /**
   * Read and parse in worker threads (one reads, see readWorker.ts; one parses) while this
   * thread writes (default `auto`: when the input holds WORKER_MIN_BYTES or more and the
   * machine has two cores or more). The parsing worker builds its own parsers: those of
   * FEED_PARSERS, and for a configured parser (e.g. createEpssParser with options) the
   * registered one of the same feed and sniff function, only to recognise files, which this
   * thread then parses. Other parsers: no worker.
   */
  readonly worker?: boolean | 'auto';
  /**
   * With a worker: whether this thread, when it waits for the worker with nothing else to do,
   * parses some files itself (see ingestWorker.ts). Default false: since the parsers got
   * cheaper, each thread warming up its own parsers and score cache costs more than the idle
   * time it fills (measured on the shared corpus with a server, the case it was made for).
   */
  readonly shareParsing?: boolean;
}

export interface IngestReport {
  readonly runs: { readonly runId: string; readonly source: FeedId; readonly counts: RunCounts }[];
  /** Files that could not be read or recognised: they count as warnings and make --strict fail. */
  readonly fileErrors: readonly FileError[];
  readonly files: number;
  readonly records: number;
  readonly durationMs: number;
}

/**
 * Records per transaction. PGlite is one session whose every statement crosses into WASM and
 * whose writes go through a file-system layer: larger batches cost it less per record (about a
 * tenth less at 2,500 than at 1,000 on the shared corpus). A server gains nothing from larger
 * ones, and smaller ones overlap the parsing better.
 */
export const DEFAULT_BATCH: Readonly<Record<Database['kind'], number>> = { pglite: 2500, postgres: 1000 };

/** Below this much input a worker's start-up (a few hundred ms) costs more than it saves. */
export const WORKER_MIN_BYTES = 2 * 1024 * 1024;

/**
 * Imports files, directories and archives: walker → parser → normaliser (produce.ts, in
 * worker threads for large inputs: one reads, one parses) → bus topic → store (consumer, in
 * batches, one transaction each). Every record is new, updated, unchanged or quarantined with
 * its file, id and reason; unreadable files are reported; nothing aborts the batch except a
 * database failure. One feed run is recorded per source seen. Memory stays flat: the reader
 * waits for the parser, the parser for the bus, and the bus for the database.
 */
export async function ingest(db: Database, logger: Logger, paths: readonly string[], opts: IngestOptions): Promise<IngestReport> {
  const started = performance.now();
  const batchSize = opts.batchSize ?? DEFAULT_BATCH[db.kind];
  // Room for a few batches of up to 1,000 records, or two larger ones (the one being written and
  // the next one filling): the parser never runs far ahead of the database.
  const bus = opts.bus ?? new MemoryBus(Math.max(4 * Math.min(batchSize, 1000), 2 * batchSize));
  const runs = new Map<FeedId, string>();
  const fileErrors: FileError[] = [];
  let files = 0;
  let records = 0;
  let invalid = 0;

  // Runs are created by the producer, so every record names its run and whichever process
  // stores a batch adds its counts to the run in the database.
  const runOf = async (feed: FeedId) => {
    let r = runs.get(feed);
    if (r === undefined) {
      r = await db.system((q) => startRun(q, feed, opts.mode ?? 'import', paths, opts.jobId));
      runs.set(feed, r);
    }
    return r;
  };

  // Ingest drains the topic at the end, so a partial batch may wait long for more records.
  if (!opts.bus) bus.subscribe<RecordEnvelope>(RECORDS_TOPIC, (batch, meta) => storeRecords(db, batch, meta), { batchSize, maxWaitMs: 1000 });

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
    // Both databases load rows by COPY (see upsertPrepared); JSON rows remain for drivers without it.
    const rowFormat = 'copy';
    const workerParsers = await parsersForWorker(paths, opts);
    const chunks = workerParsers
      ? fromWorker(
          // Rows as bytes only for the store in this process: another bus carries records as JSON.
          { role: 'vigil-ingest-worker', paths, source: opts.source, parsers: workerParsers, limits: opts.limits, rowFormat, packRows: !opts.bus },
          opts.shareParsing ?? false,
        )
      : produce(paths, { source: opts.source, parsers: opts.parsers, limits: opts.limits, rowFormat });
    const publish = async (m: RecordMessage) => {
      records++;
      if (m.kind === 'invalid') invalid++;
      await bus.publish<RecordEnvelope>(RECORDS_TOPIC, { runId: runs.get(m.feed) ?? (await runOf(m.feed)), record: m });
    };
    for await (const chunk of chunks) {
      if (opts.signal?.aborted) throw new Error('import cancelled');
      files += chunk.files;
      current = chunk.current;
      fileErrors.push(...chunk.fileErrors);
      for (const item of chunk.items) {
        if (item.kind !== 'file') {
          await publish(item);
          continue;
        }
        // A file the worker only recognised: for one of our configured parsers, or handed over to share the parsing.
        const parser = opts.parsers[item.slot]!;
        for (const record of parser.parse(item.file)) {
          await publish(toMessage(parser.id, record, rowFormat));
          progress();
        }
      }
      progress();
    }
    if (opts.signal?.aborted) throw new Error('import cancelled');
    await bus.drain(RECORDS_TOPIC);
  } catch (err) {
    await bus.drain(RECORDS_TOPIC).catch(() => undefined);
    const status = opts.signal?.aborted ? 'cancelled' : 'failed';
    for (const runId of runs.values()) await db.system((q) => finishRun(q, runId, status, performance.now() - started, (err as Error).message));
    throw err;
  } finally {
    if (!opts.bus) await bus.close();
  }
  progress(true);
  const durationMs = performance.now() - started;
  const finished: IngestReport['runs'][number][] = [];
  for (const [source, runId] of runs) {
    const run = await db.system((q) => finishRun(q, runId, 'succeeded', durationMs));
    finished.push({ runId, source, counts: { new: run.new, updated: run.updated, unchanged: run.unchanged, rejected: run.rejected, invalid: run.invalid } });
  }
  if (fileErrors.length > 0) logger.warn({ count: fileErrors.length }, 'some inputs could not be read');
  return { runs: finished, fileErrors, files, records, durationMs };
}

/** How a worker names our parsers, when this import should use one; else undefined. */
async function parsersForWorker(paths: readonly string[], opts: IngestOptions): Promise<WorkerInput['parsers'] | undefined> {
  const want = opts.worker ?? 'auto';
  if (want === false) return undefined;
  const specs = opts.parsers.map((p) => {
    const same = FEED_PARSERS.indexOf(p);
    if (same !== -1) return { registry: same, deferred: false };
    const sniffs = FEED_PARSERS.findIndex((r) => r.id === p.id && r.sniff === p.sniff);
    return sniffs === -1 ? undefined : { registry: sniffs, deferred: true };
  });
  if (specs.some((s) => s === undefined)) {
    if (want === true) throw new Error('a worker can only recognise files with the parsers of FEED_PARSERS (or configured copies of them)');
    return undefined;
  }
  if (want === 'auto' && (availableParallelism() < 2 || !(await holdsAtLeast(paths, WORKER_MIN_BYTES)))) return undefined;
  return specs as WorkerInput['parsers'];
}

/** Paths looked at side by side while adding up sizes (one after the other, a directory of small files took 30 to 70 ms). */
const SIZE_PROBES = 32;

/** Whether the files under `paths` add up to `bytes` (stops looking once they do). */
async function holdsAtLeast(paths: readonly string[], bytes: number): Promise<boolean> {
  let total = 0;
  const todo = [...paths];
  const probe = async (p: string) => {
    const st = await lstat(p).catch(() => undefined);
    if (st?.isFile()) total += st.size;
    else if (st?.isDirectory()) for (const name of await readdir(p).catch(() => [])) todo.push(join(p, name));
  };
  while (todo.length > 0 && total < bytes) await Promise.all(todo.splice(-SIZE_PROBES).map(probe));
  return total >= bytes;
}

/**
 * The chunks a worker produces; each is acknowledged once taken (after its records are on the
 * bus). With `share`, waiting for a chunk asks the worker for files to parse here (HUNGRY).
 * While the worker starts (a few hundred ms), this thread waits: parsing the first files here
 * meanwhile (a head start, tried until November 2026) warmed up a second copy of the parsers
 * and cost more CPU time than the wait, for no faster import (issue 3, ADR 0006).
 */
async function* fromWorker(input: Omit<WorkerInput, 'readPort'>, share: boolean): AsyncGenerator<Chunk> {
  // The reading thread (readWorker.ts) sends the walk's items straight to the parsing one.
  const { port1, port2 } = new MessageChannel();
  const reader = startWorker('readWorker', { role: 'vigil-read-worker', paths: input.paths, limits: input.limits, port: port1 }, [port1]);
  const worker = startWorker('ingestWorker', { ...input, readPort: port2 }, [port2]);
  const inbox: WorkerMessage[] = [];
  let asked = false;
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (m: WorkerMessage) => {
    inbox.push(m);
    poke();
  });
  // The reader's failures while reading come to the parsing thread as an error message (see
  // itemsFrom); one that kills it (it could not start) ends the import here.
  for (const w of [worker, reader]) {
    w.on('error', (err) => {
      failure = err;
      poke();
    });
  }
  worker.on('exit', () => {
    exited = true;
    poke();
  });
  try {
    for (;;) {
      const m = inbox.shift();
      if (m === undefined) {
        if (failure) throw failure;
        if (exited) throw new Error('the import worker stopped unexpectedly');
        if (share && !asked) {
          worker.postMessage(HUNGRY);
          asked = true;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      asked = false;
      if (m.type === 'done') return;
      if (m.type === 'error') throw new Error(`import worker: ${m.message}`);
      // Vectors the worker scored, should this thread parse files with them (see share).
      if (share) learnScores(m.scores);
      yield m.chunk;
      worker.postMessage(ACK);
    }
  } finally {
    await Promise.all([worker.terminate(), reader.terminate()]);
  }
}
