import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { walk, type WalkItem, type WalkLimits } from './walk.js';

/**
 * The import's reading thread: walks the input (walk.ts, blocking reads) and hands the items
 * over to the parsing thread (ingestWorker.ts) in batches, each file's bytes transferred, not
 * copied. Reading thus overlaps parsing: on a cold page cache (a fresh download or checkout,
 * the usual case for a large import) a small file costs about as much waiting for the disk as
 * parsing it, and a thread that both reads and parses pays both in turn (the shared corpus
 * read cold: 3.0 s instead of 1.5 s for the parsing thread alone; issue 3, ADR 0006). It also
 * starts reading while the parsing thread is still loading its parsers.
 *
 * Flow control: at most MAX_IN_FLIGHT batches, or MAX_IN_FLIGHT_BYTES of files (but always one
 * batch), wait unacknowledged (READ_ACK), so the reader never runs far ahead of the parser and
 * memory stays bounded, also for inputs of large files (NVD's yearly feeds are 50-100 MB each).
 */

export interface ReadWorkerInput {
  readonly role: 'vigil-read-worker';
  readonly paths: readonly string[];
  readonly limits?: WalkLimits | undefined;
  /** Where the items go: the parsing thread holds the other end. */
  readonly port: MessagePort;
  /** Batch and window sizes in bytes (tests; defaults BATCH_BYTES and MAX_IN_FLIGHT_BYTES). */
  readonly batchBytes?: number | undefined;
  readonly maxInFlightBytes?: number | undefined;
}

export type ReadMessage = { readonly type: 'items'; readonly items: WalkItem[] } | { readonly type: 'done' } | { readonly type: 'error'; readonly message: string };

/** What the parsing thread answers a batch with, once it has taken the batch's items. */
export const READ_ACK = 'read-ack';

/** A batch goes out at this many items or bytes, whichever comes first. */
const BATCH_ITEMS = 64;
const BATCH_BYTES = 4 * 1024 * 1024;
const MAX_IN_FLIGHT = 8;
const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;

/**
 * The bytes in a buffer of their own, to transfer: a small buffer from Node's shared pool
 * (archive entries, decompressed files) is copied out first. Node never transfers its pool
 * (it clones it, whole, for every such buffer), so this is about cost, not safety.
 */
function owned(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes;
  const own = new Uint8Array(new ArrayBuffer(bytes.byteLength));
  own.set(bytes);
  return own;
}

async function run(port: MessagePort, input: ReadWorkerInput): Promise<void> {
  // Bytes of each batch not yet acknowledged, oldest first (acknowledgements come in order).
  const inFlight: number[] = [];
  let inFlightBytes = 0;
  let wake: (() => void) | undefined;
  port.on('message', (m: unknown) => {
    if (m === READ_ACK) {
      inFlightBytes -= inFlight.shift() ?? 0;
      wake?.();
      wake = undefined;
    }
  });
  const batchBytes = input.batchBytes ?? BATCH_BYTES;
  const maxInFlightBytes = input.maxInFlightBytes ?? MAX_IN_FLIGHT_BYTES;
  let items: WalkItem[] = [];
  let transfer: ArrayBuffer[] = [];
  let bytes = 0;
  const flush = async () => {
    if (items.length === 0) return;
    while (inFlight.length >= MAX_IN_FLIGHT || (inFlight.length > 0 && inFlightBytes + bytes > maxInFlightBytes)) await new Promise<void>((resolve) => (wake = resolve));
    inFlight.push(bytes);
    inFlightBytes += bytes;
    port.postMessage({ type: 'items', items } satisfies ReadMessage, transfer);
    items = [];
    transfer = [];
    bytes = 0;
  };
  try {
    for await (const item of walk(input.paths, input.limits, { blockingReads: true })) {
      if (item.kind === 'file') {
        const own = owned(item.file.bytes);
        transfer.push(own.buffer as ArrayBuffer);
        bytes += own.byteLength;
        items.push(own === item.file.bytes ? item : { kind: 'file', file: { ...item.file, bytes: own } });
      } else {
        items.push(item);
      }
      if (items.length >= BATCH_ITEMS || bytes >= batchBytes) await flush();
    }
    await flush();
    port.postMessage({ type: 'done' } satisfies ReadMessage);
  } catch (err) {
    port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies ReadMessage);
  } finally {
    port.unref();
  }
}

/**
 * The parsing thread's end: the items the reading thread sends on `port`, in order, each
 * batch acknowledged once taken. Ends at `done`; throws the reader's error.
 */
export async function* itemsFrom(port: MessagePort): AsyncGenerator<WalkItem> {
  const inbox: ReadMessage[] = [];
  let wake: (() => void) | undefined;
  port.on('message', (m: ReadMessage) => {
    inbox.push(m);
    wake?.();
    wake = undefined;
  });
  try {
    for (;;) {
      const m = inbox.shift();
      if (m === undefined) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      if (m.type === 'done') return;
      if (m.type === 'error') throw new Error(`import reader: ${m.message}`);
      yield* m.items;
      port.postMessage(READ_ACK);
    }
  } finally {
    port.close();
  }
}

const input = workerData as Partial<ReadWorkerInput> | null;
if (parentPort && input?.role === 'vigil-read-worker' && input.port) void run(input.port, input as ReadWorkerInput);
