import { createReadStream } from 'node:fs';
import { lstat, open, readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import type { FeedFile, Origin } from './types.js';

/** Limits on what a walk reads: untrusted input must not exhaust memory or time. */
export interface WalkLimits {
  /** Largest single file or archive entry, uncompressed (default 256 MiB). */
  readonly maxFileBytes: number;
  /** Most entries read from one archive (default 2,000,000). */
  readonly maxArchiveEntries: number;
  /** Deepest directory recursion (default 32). */
  readonly maxDepth: number;
}

export const DEFAULT_LIMITS: WalkLimits = { maxFileBytes: 256 * 1024 * 1024, maxArchiveEntries: 2_000_000, maxDepth: 32 };

/** A file the walk could not read: reported, never silently skipped. */
export interface WalkError {
  readonly origin: Origin;
  readonly reason: string;
}

export type WalkItem = { readonly kind: 'file'; readonly file: FeedFile } | { readonly kind: 'error'; readonly error: WalkError };

const SKIP_DIRS = new Set(['.git', 'node_modules', '.svn', '.hg']);
const DATA_FILE = /\.(json|ya?ml|csv|gz)$/i;

/**
 * Expands the given paths into files: a file as is, a directory recursively (data files only,
 * sorted, VCS folders skipped), a `.zip` entry by entry (streamed, never loaded whole), a
 * `.gz` decompressed. Unreadable files, truncated archives and oversized entries come out as
 * errors with the path, in order, and the walk goes on.
 */
export async function* walk(paths: readonly string[], limits: WalkLimits = DEFAULT_LIMITS): AsyncGenerator<WalkItem> {
  for (const p of paths) yield* walkPath(p, p, 0, limits);
}

async function* walkPath(path: string, shown: string, depth: number, limits: WalkLimits): AsyncGenerator<WalkItem> {
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    yield fail({ file: shown }, `cannot read: ${(err as Error).message}`);
    return;
  }
  if (st.isSymbolicLink()) {
    yield fail({ file: shown }, 'symbolic link not followed');
    return;
  }
  if (st.isDirectory()) {
    if (depth >= limits.maxDepth) {
      yield fail({ file: shown }, `directory nesting deeper than ${limits.maxDepth}`);
      return;
    }
    let names: string[];
    try {
      names = (await readdir(path)).sort();
    } catch (err) {
      yield fail({ file: shown }, `cannot list directory: ${(err as Error).message}`);
      return;
    }
    for (const name of names) {
      if (SKIP_DIRS.has(name)) continue;
      const child = join(path, name);
      const cst = await lstat(child).catch(() => undefined);
      if (cst?.isDirectory() || /\.zip$/i.test(name) || DATA_FILE.test(name)) yield* walkPath(child, join(shown, name), depth + 1, limits);
    }
    return;
  }
  if (!st.isFile()) {
    yield fail({ file: shown }, 'not a regular file');
    return;
  }
  if (/\.zip$/i.test(path)) {
    yield* walkZip(path, shown, limits);
    return;
  }
  if (/\.gz$/i.test(path)) {
    yield* readGzip(path, shown, limits);
    return;
  }
  if (st.size > limits.maxFileBytes) {
    yield fail({ file: shown }, `file is ${st.size} bytes, over the ${limits.maxFileBytes}-byte limit`);
    return;
  }
  try {
    yield { kind: 'file', file: { origin: { file: shown }, name: basename(path), bytes: await readFile(path) } };
  } catch (err) {
    yield fail({ file: shown }, `cannot read: ${(err as Error).message}`);
  }
}

function fail(origin: Origin, reason: string): WalkItem {
  return { kind: 'error', error: { origin, reason } };
}

async function* readGzip(path: string, shown: string, limits: WalkLimits): AsyncGenerator<WalkItem> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of createReadStream(path).pipe(createGunzip()) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxFileBytes) throw new Error(`decompressed size over the ${limits.maxFileBytes}-byte limit`);
      chunks.push(chunk);
    }
  } catch (err) {
    yield fail({ file: shown }, `cannot decompress: ${(err as Error).message}`);
    return;
  }
  yield { kind: 'file', file: { origin: { file: shown }, name: basename(path).replace(/\.gz$/i, ''), bytes: Buffer.concat(chunks) } };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: true, strictFileNames: false, validateEntrySizes: true }, (err, zip) => (err ? reject(err) : resolve(zip)));
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (entry.uncompressedSize > max) {
      reject(new Error(`entry is ${entry.uncompressedSize} bytes uncompressed, over the ${max}-byte limit`));
      return;
    }
    zip.openReadStream(entry, (err, stream) => {
      if (err) {
        reject(err);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) stream.destroy(new Error(`entry over the ${max}-byte limit`));
        else chunks.push(c);
      });
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/** Streams a zip's entries one at a time (the central directory is read, the entries are not all held). */
async function* walkZip(path: string, shown: string, limits: WalkLimits): AsyncGenerator<WalkItem> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(path);
  } catch (err) {
    yield fail({ file: shown }, `not a readable zip archive: ${(err as Error).message}`);
    return;
  }
  const next = (): Promise<yauzl.Entry | null> =>
    new Promise((resolve, reject) => {
      const onEntry = (e: yauzl.Entry) => {
        cleanup();
        resolve(e);
      };
      const onEnd = () => {
        cleanup();
        resolve(null);
      };
      const onError = (e: Error) => {
        cleanup();
        reject(e);
      };
      const cleanup = () => {
        zip.off('entry', onEntry);
        zip.off('end', onEnd);
        zip.off('error', onError);
      };
      zip.on('entry', onEntry);
      zip.on('end', onEnd);
      zip.on('error', onError);
      zip.readEntry();
    });
  let count = 0;
  for (;;) {
    let entry: yauzl.Entry | null;
    try {
      entry = await next();
    } catch (err) {
      yield fail({ file: shown }, `archive is damaged after ${count} entries: ${(err as Error).message}`);
      zip.close();
      return;
    }
    if (!entry) return;
    if (entry.fileName.endsWith('/')) continue;
    if (++count > limits.maxArchiveEntries) {
      yield fail({ file: shown }, `more than ${limits.maxArchiveEntries} entries; the rest were not read`);
      zip.close();
      return;
    }
    const origin = { file: shown, entry: entry.fileName };
    try {
      const bytes = await readEntry(zip, entry, limits.maxFileBytes);
      yield { kind: 'file', file: { origin, name: basename(entry.fileName), bytes } };
    } catch (err) {
      yield fail(origin, `cannot read archive entry: ${(err as Error).message}`);
    }
  }
}

/** The first `n` bytes of a file as text, for sniffing its format. */
export async function head(path: string, n = 4096): Promise<string> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } finally {
    await fh.close();
  }
}
