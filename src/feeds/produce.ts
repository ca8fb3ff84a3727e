import type { EpssScore, KevEntry } from '../core/advisory.js';
import { prepareAdvisory, type PreparedAdvisory, type RowFormat } from '../store/repos/advisories.js';
import type { QuarantineItem } from '../store/repos/feedRuns.js';
import { normaliseAdvisory } from './normalise.js';
import type { FeedFile, FeedId, FeedParser, FeedRecord } from './types.js';
import { walk, type WalkItem, type WalkLimits } from './walk.js';

/**
 * The producing half of an import: walker → parser → normaliser → row, in chunks of plain
 * data. It runs in the importing thread or in a worker thread (ingestWorker.ts); either way
 * only what the store needs crosses over: each advisory normalised, serialised and hashed
 * once (see prepareAdvisory), KEV and EPSS entries, quarantine items.
 */

/** What flows on the bus: one record, ready for the store. */
export type RecordMessage =
  | { readonly feed: FeedId; readonly kind: 'advisory'; readonly row: PreparedAdvisory; readonly rejected: boolean }
  | { readonly feed: FeedId; readonly kind: 'kev'; readonly entry: KevEntry; readonly catalogVersion: string | null }
  | { readonly feed: FeedId; readonly kind: 'epss'; readonly score: EpssScore }
  | { readonly feed: FeedId; readonly kind: 'invalid'; readonly item: QuarantineItem };

export interface FileError {
  readonly path: string;
  readonly reason: string;
}

/**
 * A parser the producer only recognises files for (by the same sniff function): the importer
 * parses them itself, with its own parser in position `slot` (a configured parser, whose
 * parse function cannot cross threads).
 */
export interface DeferredParser {
  readonly id: FeedId;
  readonly sniff: FeedParser['sniff'];
  readonly slot: number;
}

/** A record ready for the store, or a file for the importer to parse (see DeferredParser). */
export type ChunkItem = RecordMessage | { readonly kind: 'file'; readonly slot: number; readonly file: FeedFile };

/** Some files' worth of output. */
export interface Chunk {
  /** Files read (recognised or not) since the previous chunk. */
  files: number;
  /** The last file read. */
  current: string;
  readonly fileErrors: FileError[];
  readonly items: ChunkItem[];
  /** With `packRows`: the buffer holding the chunk's COPY rows, to transfer rather than copy to another thread. */
  transfer?: ArrayBuffer[];
}

export interface ProduceOptions {
  /** A feed id, or `auto` to recognise each file by its name and first bytes. */
  readonly source: FeedId | 'auto';
  readonly parsers: readonly (FeedParser | DeferredParser)[];
  readonly limits?: WalkLimits | undefined;
  /** How advisory rows are prepared: COPY lines for PGlite, JSON objects otherwise (default). */
  readonly rowFormat?: RowFormat | undefined;
  /**
   * Asked before each recognised file: how many files (this one included) to pass on unparsed,
   * as `file` items, for the consumer to parse itself (0: parse here). An importer with time
   * to spare takes part of the parsing so (see ingestWorker.ts); the records still come in
   * input order. Once that many were passed on, the chunk is handed over at once.
   */
  readonly handOff?: (() => number) | undefined;
  /**
   * Whether each chunk's COPY rows are packed, as their UTF-8 bytes, into one buffer of the
   * chunk's own (`transfer`), for a worker to hand the chunk over without copying its rows:
   * up to 8 MB of text per chunk that the other thread would otherwise deserialise and then
   * encode again for COPY. Only for a consumer in this process (the queue bus stores records
   * as JSON: rows must stay text there).
   */
  readonly packRows?: boolean | undefined;
  /** The walk's items as another thread reads them (readWorker.ts), instead of walking `paths` here. */
  readonly items?: AsyncIterable<WalkItem> | undefined;
}

/** What the importer answers a worker's chunk with: taken (see ingestWorker.ts). */
export const ACK = 'ack';
/** What the importer tells a worker when it waits for a chunk with nothing else to do: pass on some files unparsed. */
export const HUNGRY = 'hungry';

/** A chunk is handed over at this many records, bytes of rows or milliseconds, whichever comes first. */
const CHUNK_RECORDS = 256;
const CHUNK_BYTES = 8 * 1024 * 1024;
const CHUNK_MS = 100;

/** The position in `opts.parsers` of the parser for this file, or -1. */
function pickParser(file: FeedFile, opts: ProduceOptions): number {
  if (opts.source !== 'auto') return opts.parsers.findIndex((p) => p.id === opts.source);
  // A view on the first bytes, not a copy of them.
  const head = Buffer.from(file.bytes.buffer, file.bytes.byteOffset, Math.min(file.bytes.length, 4096)).toString('utf8');
  return opts.parsers.findIndex((p) => p.sniff(file.name, head));
}

const originText = (f: { readonly origin: FeedFile['origin'] }) => (f.origin.entry ? `${f.origin.file}!${f.origin.entry}` : f.origin.file);

/** One parsed record → what the store needs of it. */
export function toMessage(feed: FeedId, r: FeedRecord, format: RowFormat = 'json'): RecordMessage {
  switch (r.kind) {
    case 'advisory': {
      const row = prepareAdvisory(normaliseAdvisory(r.advisory), format);
      if (row.unstorable !== null) {
        // One such record must not fail the database batch around it.
        return { feed, kind: 'invalid', item: { source: feed, file: r.origin.file, entry: r.origin.entry, line: r.origin.line, recordId: r.advisory.id, reason: row.unstorable } };
      }
      return { feed, kind: 'advisory', row, rejected: r.advisory.rejected || r.advisory.withdrawn !== null };
    }
    case 'kev':
      return { feed, kind: 'kev', entry: r.entry, catalogVersion: r.catalogVersion };
    case 'epss':
      return { feed, kind: 'epss', score: r.score };
    case 'invalid':
      return { feed, kind: 'invalid', item: { source: feed, file: r.origin.file, entry: r.origin.entry, line: r.origin.line, recordId: r.recordId, reason: r.reason, pointer: r.pointer } };
  }
}

const sizeOf = (m: ChunkItem) => (m.kind === 'advisory' ? m.row.row.length : m.kind === 'file' ? m.file.bytes.length : 100);

/**
 * Walks `paths` and yields chunks of records ready for the store, with the files that could
 * not be read or recognised. Never throws for bad input (parsers turn it into invalid records).
 */
export async function* produce(paths: readonly string[], opts: ProduceOptions): AsyncGenerator<Chunk> {
  let chunk: Chunk = { files: 0, current: '', fileErrors: [], items: [] };
  let bytes = 0;
  let since = performance.now();
  const due = () => chunk.items.length >= CHUNK_RECORDS || bytes >= CHUNK_BYTES || performance.now() - since >= CHUNK_MS;
  const take = () => {
    const out = opts.packRows ? packed(chunk) : chunk;
    chunk = { files: 0, current: out.current, fileErrors: [], items: [] };
    bytes = 0;
    since = performance.now();
    return out;
  };
  // Files still to pass on unparsed (see ProduceOptions.handOff).
  let passOn = 0;
  for await (const item of opts.items ?? walk(paths, opts.limits)) {
    if (item.kind === 'error') {
      chunk.fileErrors.push({ path: originText(item.error), reason: item.error.reason });
    } else {
      chunk.files++;
      chunk.current = originText(item.file);
      const slot = pickParser(item.file, opts);
      const parser = opts.parsers[slot];
      if (!parser) {
        chunk.fileErrors.push({ path: chunk.current, reason: opts.source === 'auto' ? 'not recognised as CVE 5, OSV, NVD, KEV or EPSS data' : `no parser for source ${opts.source}` });
      } else if ('slot' in parser) {
        const m = { kind: 'file', slot: parser.slot, file: item.file } as const;
        chunk.items.push(m);
        bytes += sizeOf(m);
      } else if (passOn > 0 || (passOn = opts.handOff?.() ?? 0) > 0) {
        const m = { kind: 'file', slot, file: item.file } as const;
        chunk.items.push(m);
        bytes += sizeOf(m);
        if (--passOn === 0) yield take();
      } else {
        for (const record of parser.parse(item.file)) {
          const m = toMessage(parser.id, record, opts.rowFormat);
          chunk.items.push(m);
          bytes += sizeOf(m);
          if (due()) yield take();
        }
      }
    }
    if (due()) yield take();
  }
  if (chunk.files > 0 || chunk.fileErrors.length > 0 || chunk.items.length > 0) yield take();
}

/**
 * The chunk with its COPY rows encoded into one buffer of its own (not Node's shared pool, so
 * that it can be transferred) and each row a view of it (see ProduceOptions.packRows).
 */
function packed(chunk: Chunk): Chunk {
  let bytes = 0;
  for (const m of chunk.items) if (m.kind === 'advisory' && typeof m.row.row === 'string' && m.row.format === 'copy') bytes += Buffer.byteLength(m.row.row, 'utf8');
  if (bytes === 0) return chunk;
  const buf = Buffer.allocUnsafeSlow(bytes);
  let at = 0;
  const items = chunk.items.map((m): ChunkItem => {
    if (m.kind !== 'advisory' || typeof m.row.row !== 'string' || m.row.format !== 'copy') return m;
    const n = buf.write(m.row.row, at, 'utf8');
    const row = buf.subarray(at, at + n);
    at += n;
    return { ...m, row: { ...m.row, row } };
  });
  return { ...chunk, items, transfer: [buf.buffer] };
}

