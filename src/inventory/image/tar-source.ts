import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { PassThrough, Readable, Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import type { Header } from 'tar-stream';
import tar from 'tar-stream';

/**
 * Streaming tar archives (tar-stream) with the compression detected from magic bytes: gzip
 * (node:zlib), zstd (fzstd, decompression only) or none. Entries are handed to a callback
 * one at a time and must be consumed by it (`drain` or `collect`); nothing here holds a
 * whole archive in memory.
 */

export type Compression = 'gzip' | 'zstd' | 'none';

/** The compression of a blob from its first bytes. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4 && head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd';
  return 'none';
}

/** True when the first 512 bytes look like a tar header (`ustar` magic, or a valid checksum). */
export function looksLikeTar(head: Uint8Array): boolean {
  if (head.length < 512) return false;
  if (head[257] === 0x75 && head[258] === 0x73 && head[259] === 0x74 && head[260] === 0x61 && head[261] === 0x72) return true;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : head[i]!;
  const stored = parseInt(new TextDecoder().decode(head.subarray(148, 156)).replace(/\0.*$/, '').trim(), 8);
  return stored === sum && sum !== 8 * 0x20;
}

/** A zstd decompressing Transform over fzstd's streaming API (its output chunks are copied: fzstd reuses its window). */
export function zstdTransform(): Transform {
  const out: { t?: Transform } = {};
  const decoder = new Decompress((data) => {
    out.t?.push(Buffer.from(data));
  });
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        decoder.push(chunk);
        cb();
      } catch (err) {
        cb(err instanceof Error ? err : new Error(String(err)));
      }
    },
    flush(cb) {
      try {
        decoder.push(new Uint8Array(0), true);
        cb();
      } catch (err) {
        cb(new Error(`zstd stream ends early or is corrupt: ${err instanceof Error ? err.message : String(err)}`));
      }
    },
  });
  out.t = t;
  return t;
}

export function decoderFor(kind: Compression): Transform {
  if (kind === 'gzip') return createGunzip({ chunkSize: 128 * 1024 });
  if (kind === 'zstd') return zstdTransform();
  return new PassThrough();
}

export interface TarEntry {
  readonly header: Header;
  /** Reads the rest of the entry, keeping it (the caller checked `header.size` first). */
  collect(): Promise<Uint8Array>;
  /** Reads the rest of the entry, discarding it. */
  drain(): Promise<void>;
  /** The entry's data as it streams (consume it fully: never break out of the loop). */
  chunks(): AsyncIterable<Uint8Array>;
}

export type EntryHandler = (entry: TarEntry) => Promise<'continue' | 'stop'>;

/**
 * Feeds `source` (compressed or not, detected from its first bytes) through a tar extractor
 * and calls `onEntry` for each entry. `source` is consumed to its end even when the handler
 * stops early or the archive is corrupt, so an enclosing archive's stream stays usable
 * (`drainSource: false` for a top-level file, which can simply be closed).
 * Resolves with the error that ended the archive early, or undefined.
 */
export async function forEachEntry(source: AsyncIterable<Uint8Array>, onEntry: EntryHandler, options: { readonly drainSource?: boolean } = {}): Promise<Error | undefined> {
  const drainSource = options.drainSource ?? true;
  const extract = tar.extract();
  let decoder: Transform | undefined;
  let failed: Error | undefined;
  let stopped = false;
  const fail = (err: unknown): void => {
    failed ??= err instanceof Error ? err : new Error(String(err));
  };

  const consume = (async () => {
    try {
      for await (const stream of extract) {
        const entry = wrapEntry(stream);
        const next = await onEntry(entry);
        await entry.drain();
        if (next === 'stop') {
          stopped = true;
          break;
        }
      }
    } catch (err) {
      fail(err);
    }
  })();
  const settled = consume.then(() => 'settled' as const);

  let head: Uint8Array | undefined;
  for await (const raw of source) {
    if (stopped || failed) {
      if (drainSource) continue; // an enclosing archive needs its entry read to the end
      break;
    }
    const chunk = raw instanceof Uint8Array ? raw : new Uint8Array(raw);
    if (!decoder) {
      head = head ? concat(head, chunk) : chunk;
      if (head.length < 4) continue;
      decoder = decoderFor(sniffCompression(head));
      decoder.on('error', (err) => {
        fail(err);
        extract.destroy(err);
      });
      decoder.pipe(extract);
      if (!decoder.write(head)) await Promise.race([once(decoder, 'drain').catch(() => undefined), settled]);
      continue;
    }
    if (!decoder.write(chunk)) await Promise.race([once(decoder, 'drain').catch(() => undefined), settled]);
  }
  if (!decoder && head && head.length > 0 && !stopped) {
    decoder = new PassThrough();
    decoder.pipe(extract);
    decoder.write(head);
  }
  if (decoder && !stopped && !failed) decoder.end();
  else if (!decoder) extract.end(null);
  if (stopped || failed) decoder?.destroy();
  await consume;
  return stopped ? undefined : failed;
}

function wrapEntry(stream: AsyncIterable<unknown> & { readonly header: Header }): TarEntry {
  let consumed = false;
  const chunks = async function* (): AsyncGenerator<Uint8Array> {
    consumed = true;
    for await (const c of stream) yield c as Uint8Array;
  };
  return {
    header: stream.header,
    chunks,
    async collect() {
      const parts: Uint8Array[] = [];
      let size = 0;
      for await (const c of chunks()) {
        parts.push(c);
        size += c.length;
      }
      return parts.length === 1 ? parts[0]! : concat(...parts, size);
    },
    async drain() {
      if (consumed) return;
      consumed = true;
      for await (const _ of stream) {
        // discarded
      }
    },
  };
}

function concat(...args: (Uint8Array | number)[]): Uint8Array {
  const parts = args.filter((a): a is Uint8Array => typeof a !== 'number');
  const size = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** A file as a chunk source (the outer image tar). */
export function fileSource(path: string): AsyncIterable<Uint8Array> {
  return createReadStream(path, { highWaterMark: 1024 * 1024 });
}

/** An in-memory blob as a chunk source. */
export function bytesSource(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  return Readable.from([bytes], { objectMode: false });
}
