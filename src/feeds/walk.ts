import { randomBytes } from 'node:crypto';
import { closeSync, constants, createReadStream, createWriteStream, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, type Dirent } from 'node:fs';
import { lstat, open, readdir, readFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
  /**
   * Zips inside zips opened, counting the outer one (default 2: cvelistV5's baseline asset is
   * a zip holding `cves.zip`). An inner zip is copied to a temporary file first, since a zip
   * is read from its end.
   */
  readonly maxZipNesting?: number;
  /** Largest inner zip copied out, in bytes of the inner zip file itself (default 4 GiB). */
  readonly maxNestedZipBytes?: number;
  /** Where inner zips are copied (default the system temporary directory). */
  readonly tmpDir?: string;
}

export const DEFAULT_LIMITS: WalkLimits = { maxFileBytes: 256 * 1024 * 1024, maxArchiveEntries: 2_000_000, maxDepth: 32, maxZipNesting: 2, maxNestedZipBytes: 4 * 1024 * 1024 * 1024 };

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
 * sorted, VCS folders skipped), a `.zip` entry by entry (streamed, never loaded whole; a `.zip`
 * entry inside it opened in turn, up to `maxZipNesting`), a `.gz` decompressed. Unreadable
 * files, truncated archives and oversized entries come out as errors with the path, in order,
 * and the walk goes on.
 */
export async function* walk(paths: readonly string[], limits: WalkLimits = DEFAULT_LIMITS, opts: WalkOptions = {}): AsyncGenerator<WalkItem> {
  for (const p of paths) yield* walkPath(p, p, 0, limits, opts.blockingReads ?? false);
}

/** How a walk reads. */
export interface WalkOptions {
  /**
   * Read plain files with blocking calls, one at a time: about ten times less CPU per small
   * file than the asynchronous calls, but the thread waits for the disk. For a thread that has
   * nothing else to do meanwhile (the import worker); the default reads a few files ahead,
   * asynchronously.
   */
  readonly blockingReads?: boolean;
}

async function* walkPath(path: string, shown: string, depth: number, limits: WalkLimits, blocking: boolean): AsyncGenerator<WalkItem> {
  let st;
  try {
    st = blocking ? lstatSync(path) : await lstat(path);
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
    let entries: Dirent[];
    try {
      entries = blocking ? readdirSync(path, { withFileTypes: true }) : await readdir(path, { withFileTypes: true });
    } catch (err) {
      yield fail({ file: shown }, `cannot list directory: ${(err as Error).message}`);
      return;
    }
    // The entry types come with the listing (a symbolic link is not a directory here either).
    const children = entries
      .filter((e) => !SKIP_DIRS.has(e.name) && (e.isDirectory() || /\.zip$/i.test(e.name) || DATA_FILE.test(e.name)))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    // Plain files are read a few ahead, so that reading overlaps the parsing of earlier ones.
    const ahead = new Map<number, Promise<WalkItem | (() => Promise<WalkItem>)>>();
    let next = 0;
    const readAhead = blocking ? 1 : READ_AHEAD_FILES;
    for (let i = 0; i < children.length; i++) {
      for (; next < children.length && ahead.size < readAhead; next++) {
        const c = children[next]!;
        if (c.isFile() && !/\.(zip|gz)$/i.test(c.name)) ahead.set(next, readPlain(join(path, c.name), join(shown, c.name), limits, !blocking, blocking));
      }
      const name = children[i]!.name;
      const read = ahead.get(i);
      if (read) {
        ahead.delete(i);
        const item = await read;
        yield typeof item === 'function' ? await item() : item;
      } else {
        yield* walkPath(join(path, name), join(shown, name), depth + 1, limits, blocking);
      }
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
  yield await readRegular(path, shown, st.size, limits, blocking);
}

/** Files read ahead in a directory, and the largest one read ahead (bigger ones wait for their turn). */
const READ_AHEAD_FILES = 8;
const READ_AHEAD_BYTES = 4 * 1024 * 1024;

/**
 * A plain data file found in a directory listing, checked as walkPath checks it. With `early`,
 * a file over READ_AHEAD_BYTES is not read yet: a function reading it comes back instead.
 * Never rejects: problems come back as error items.
 */
async function readPlain(path: string, shown: string, limits: WalkLimits, early: boolean, blocking: boolean): Promise<WalkItem | (() => Promise<WalkItem>)> {
  if (blocking && NO_FOLLOW !== undefined) return readOpenedSync(path, shown, limits, NO_FOLLOW);
  let st;
  try {
    st = blocking ? lstatSync(path) : await lstat(path);
  } catch (err) {
    return fail({ file: shown }, `cannot read: ${(err as Error).message}`);
  }
  if (st.isSymbolicLink()) return fail({ file: shown }, 'symbolic link not followed');
  if (!st.isFile()) return fail({ file: shown }, 'not a regular file');
  const size = st.size;
  if (early && size > READ_AHEAD_BYTES && size <= limits.maxFileBytes) return () => readRegular(path, shown, size, limits, blocking);
  return readRegular(path, shown, size, limits, blocking);
}

/** Where the platform has it (not Windows): open flags that refuse a symbolic link, and a FIFO's wait for a writer. */
const NO_FOLLOW = constants.O_NOFOLLOW === undefined ? undefined : constants.O_RDONLY | constants.O_NOFOLLOW | (constants.O_NONBLOCK ?? 0);

/**
 * A blocking read that checks the file through its descriptor: one open (refusing a symbolic
 * link), fstat and reads, instead of lstat and then readFileSync (which opens and stats again).
 * A system call costs tens of microseconds on some virtual disks, and an import reads tens of
 * thousands of small files. Same checks and messages as readPlain.
 */
function readOpenedSync(path: string, shown: string, limits: WalkLimits, flags: number): WalkItem {
  let fd: number;
  try {
    fd = openSync(path, flags);
  } catch (err) {
    return fail({ file: shown }, (err as NodeJS.ErrnoException).code === 'ELOOP' ? 'symbolic link not followed' : `cannot read: ${(err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return fail({ file: shown }, 'not a regular file');
    if (st.size > limits.maxFileBytes) return fail({ file: shown }, `file is ${st.size} bytes, over the ${limits.maxFileBytes}-byte limit`);
    // As readFileSync: the size fstat gave (a file growing meanwhile is read up to it).
    // Not from the shared pool: a file handed to the importing thread is copied with its whole buffer.
    const bytes = Buffer.allocUnsafeSlow(st.size);
    let length = 0;
    while (length < bytes.length) {
      const n = readSync(fd, bytes, length, bytes.length - length, length);
      if (n === 0) break;
      length += n;
    }
    return { kind: 'file', file: { origin: { file: shown }, name: basename(path), bytes: length === bytes.length ? bytes : bytes.subarray(0, length) } };
  } catch (err) {
    return fail({ file: shown }, `cannot read: ${(err as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

async function readRegular(path: string, shown: string, size: number, limits: WalkLimits, blocking: boolean): Promise<WalkItem> {
  if (size > limits.maxFileBytes) return fail({ file: shown }, `file is ${size} bytes, over the ${limits.maxFileBytes}-byte limit`);
  try {
    return { kind: 'file', file: { origin: { file: shown }, name: basename(path), bytes: blocking ? readFileSync(path) : await readFile(path) } };
  } catch (err) {
    return fail({ file: shown }, `cannot read: ${(err as Error).message}`);
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

/** Copies a zip entry to a file, refusing more than `max` bytes. */
function spoolEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, dest: string, max: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (entry.uncompressedSize > max) {
      reject(new Error(`inner archive is ${entry.uncompressedSize} bytes, over the ${max}-byte limit`));
      return;
    }
    zip.openReadStream(entry, (err, stream) => {
      if (err) {
        reject(err);
        return;
      }
      let size = 0;
      const limit = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          size += chunk.length;
          cb(size > max ? new Error(`inner archive over the ${max}-byte limit`) : null, chunk);
        },
      });
      pipeline(stream, limit, createWriteStream(dest)).then(resolve, reject);
    });
  });
}

/** Opens a zip inside a zip: copied to a temporary file, walked, deleted. */
async function* walkInnerZip(zip: yauzl.ZipFile, entry: yauzl.Entry, shown: string, nesting: number, limits: WalkLimits): AsyncGenerator<WalkItem> {
  const inner = `${shown}!${entry.fileName}`;
  const tmp = join(limits.tmpDir ?? tmpdir(), `vigil-inner-${randomBytes(6).toString('hex')}.zip`);
  try {
    try {
      await spoolEntry(zip, entry, tmp, limits.maxNestedZipBytes ?? DEFAULT_LIMITS.maxNestedZipBytes ?? Infinity);
    } catch (err) {
      yield fail({ file: shown, entry: entry.fileName }, `cannot read inner archive: ${(err as Error).message}`);
      return;
    }
    yield* walkZip(tmp, inner, limits, nesting + 1);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Streams a zip's entries one at a time (the central directory is read, the entries are not all held). */
async function* walkZip(path: string, shown: string, limits: WalkLimits, nesting = 1): AsyncGenerator<WalkItem> {
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
  // Closed however the walk ends, also when its consumer stops early (an import's head start).
  try {
    for (;;) {
      let entry: yauzl.Entry | null;
      try {
        entry = await next();
      } catch (err) {
        yield fail({ file: shown }, `archive is damaged after ${count} entries: ${(err as Error).message}`);
        return;
      }
      if (!entry) return;
      if (entry.fileName.endsWith('/')) continue;
      if (++count > limits.maxArchiveEntries) {
        yield fail({ file: shown }, `more than ${limits.maxArchiveEntries} entries; the rest were not read`);
        return;
      }
      if (/\.zip$/i.test(entry.fileName) && nesting < (limits.maxZipNesting ?? DEFAULT_LIMITS.maxZipNesting ?? 1)) {
        yield* walkInnerZip(zip, entry, shown, nesting, limits);
        continue;
      }
      const origin = { file: shown, entry: entry.fileName };
      try {
        const bytes = await readEntry(zip, entry, limits.maxFileBytes);
        yield { kind: 'file', file: { origin, name: basename(entry.fileName), bytes } };
      } catch (err) {
        yield fail(origin, `cannot read archive entry: ${(err as Error).message}`);
      }
    }
  } finally {
    zip.close();
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
