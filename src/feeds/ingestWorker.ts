import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { ACK, HUNGRY, produce, type Chunk, type DeferredParser } from './produce.js';
import { takeNewScores } from './normalise.js';
import { itemsFrom } from './readWorker.js';
import { FEED_PARSERS } from './registry.js';
import type { FeedId, FeedParser } from './types.js';
import type { WalkLimits } from './walk.js';
import type { RowFormat } from '../store/repos/advisories.js';

/**
 * The import worker: runs the producing half of an import (produce.ts) in its own thread, so
 * that parsing, validating and serialising overlap the database work of the importing thread
 * (and the reading of the next files, which the reading thread does: readWorker.ts). Parsers are named by their index in FEED_PARSERS (functions cannot cross
 * threads). At most MAX_IN_FLIGHT chunks wait unacknowledged: the importer acknowledges a
 * chunk once it is on the bus, so the worker never runs far ahead of the database.
 *
 * When the importing thread is told to share the parsing (IngestOptions.shareParsing),
 * whenever it waits for a chunk with nothing else to do it says so (HUNGRY) and the worker
 * passes the next HANDOFF_FILES files on unparsed, for that thread to parse. The two threads
 * then share the parsing as their loads allow; the records always reach the bus in input order.
 */

export interface WorkerInput {
  readonly role: 'vigil-ingest-worker';
  readonly paths: readonly string[];
  readonly source: FeedId | 'auto';
  /**
   * The importer's parsers, by their position in FEED_PARSERS: used as they are, or (deferred)
   * only to recognise files, which the importer then parses with its own parser of that slot.
   */
  readonly parsers: readonly { readonly registry: number; readonly deferred: boolean }[];
  readonly limits?: WalkLimits | undefined;
  readonly rowFormat: RowFormat;
  /** See ProduceOptions.packRows. */
  readonly packRows?: boolean | undefined;
  /** Where the reading thread (readWorker.ts) sends the walk of `paths`: this thread only parses. */
  readonly readPort: MessagePort;
}

export type WorkerMessage =
  | { readonly type: 'chunk'; readonly chunk: Chunk; readonly scores: ReturnType<typeof takeNewScores> }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };

const MAX_IN_FLIGHT = 16;
/** Files passed on unparsed per HUNGRY: about 10 ms of parsing for the importing thread. */
const HANDOFF_FILES = 32;

async function run(port: NonNullable<typeof parentPort>, input: WorkerInput): Promise<void> {
  let inFlight = 0;
  let handOff = 0;
  let wake: (() => void) | undefined;
  port.on('message', (m: unknown) => {
    if (m === HUNGRY) {
      handOff = HANDOFF_FILES;
    } else if (m === ACK) {
      inFlight--;
      wake?.();
    }
  });
  const takeHandOff = () => {
    const n = handOff;
    handOff = 0;
    return n;
  };
  const send = (m: WorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
  try {
    const parsers = input.parsers.map(({ registry, deferred }, slot): FeedParser | DeferredParser => {
      const p = FEED_PARSERS[registry];
      if (!p) throw new Error(`no parser at index ${registry}`);
      return deferred ? { id: p.id, sniff: (name, head) => p.sniff(name, head), slot } : p;
    });
    const opts = { source: input.source, parsers, limits: input.limits, rowFormat: input.rowFormat, packRows: input.packRows, items: itemsFrom(input.readPort), handOff: takeHandOff };
    for await (const chunk of produce(input.paths, opts)) {
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => (wake = resolve));
      inFlight++;
      send({ type: 'chunk', chunk, scores: takeNewScores() }, chunk.transfer);
    }
    send({ type: 'done' });
  } catch (err) {
    send({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  } finally {
    port.unref();
  }
}

const input = workerData as Partial<WorkerInput> | null;
if (parentPort && input?.role === 'vigil-ingest-worker') void run(parentPort, input as WorkerInput);
