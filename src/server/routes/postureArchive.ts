/**
 * A directory archive uploaded for a posture scan (tar, tar.gz or zip, recognised by magic
 * bytes), read IN MEMORY into the source files the posture inputs take. Hostile archives are
 * refused with a typed error: a member path that climbs out (`..`) or is absolute, more
 * members than allowed, more expanded bytes than allowed (a gzip or zip bomb: inflation stops
 * at the limit), a corrupt archive. Links are never followed; a link with an IaC file name is
 * reported as a scan error, as are files over the per-file limit and files that are not
 * UTF-8 (as `vigil posture scan` reports them). Archive libraries: tar-stream, yauzl, node:zlib.
 */
import { Readable } from 'node:stream';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import tar from 'tar-stream';
import yauzl from 'yauzl';
import { inputFor } from '../../posture/inputs/registry.js';
import type { SourceFile } from '../../posture/inputs/types.js';
import type { InputProblem } from '../../posture/model.js';
import { DEFAULT_LIMITS, DEFAULT_SUPPRESSION_FILE, isCandidateFile, SKIP_DIRS } from '../../posture/scan.js';

export interface ArchiveLimits {
  /** Members of any kind (files, folders, links). */
  readonly maxEntries: number;
  /** Bytes after decompression, all members together (tar: the whole expanded tar). */
  readonly maxTotalBytes: number;
  /** Largest file scanned; larger IaC files are reported and skipped. */
  readonly maxFileBytes: number;
  /** Folder depth below the root; deeper IaC files are reported and skipped. */
  readonly maxDepth: number;
}

export const ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 50_000,
  maxTotalBytes: 128 * 1024 * 1024,
  maxFileBytes: DEFAULT_LIMITS.maxFileBytes,
  maxDepth: DEFAULT_LIMITS.maxDepth,
};

export type ArchiveFailure = 'traversal' | 'too-many-entries' | 'too-large' | 'corrupt';

export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  constructor(
    readonly failure: ArchiveFailure,
    message: string,
  ) {
    super(message);
  }
}

export type BodyKind = 'gzip' | 'zip' | 'tar' | 'json' | 'unknown';

/** What the body is, from its first bytes. */
export function sniffBody(buf: Uint8Array): BodyKind {
  if (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b) return 'gzip';
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && ((buf[2] === 0x03 && buf[3] === 0x04) || (buf[2] === 0x05 && buf[3] === 0x06))) return 'zip';
  if (looksLikeTar(buf)) return 'tar';
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09 || buf[i] === 0x0a || buf[i] === 0x0d)) i++;
  return buf[i] === 0x7b ? 'json' : 'unknown';
}

/** A tar header: `ustar` magic, or (old v7 tars) a valid header checksum. */
function looksLikeTar(head: Uint8Array): boolean {
  if (head.length < 512) return false;
  if (head[257] === 0x75 && head[258] === 0x73 && head[259] === 0x74 && head[260] === 0x61 && head[261] === 0x72) return true;
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : head[i]!;
  const stored = parseInt(Buffer.from(head.subarray(148, 156)).toString('latin1').replace(/\0.*$/s, '').trim(), 8);
  return stored === sum && sum !== 8 * 0x20;
}

/** Inflates a gzip body in memory, refusing more than `max` bytes out (a gzip bomb stops there). */
export async function gunzipLimited(buf: Buffer, max: number): Promise<Buffer> {
  try {
    return await promisify(gunzip)(buf, { maxOutputLength: max });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new ArchiveError('too-large', `the archive expands to more than ${max} bytes`);
    }
    throw new ArchiveError('corrupt', `not a valid gzip stream: ${(err as Error).message}`);
  }
}

export interface ArchiveContents {
  /** Candidate IaC files, paths relative to the archive root (after `strip`), `/`-separated. */
  readonly files: SourceFile[];
  readonly problems: InputProblem[];
  /** The root's suppression file (.vigil-posture.yaml), when the archive has one. */
  readonly suppressions?: SourceFile | undefined;
}

// The files `vigil posture scan` reads in a directory walk (as src/posture/scan.ts chooses them).

type Member = { readonly kind: 'file'; readonly path: string; readonly size: number } | { readonly kind: 'link' | 'dir' | 'other'; readonly path: string };

/** A member name → its path segments; refuses `..` and absolute names (never applied). */
function segmentsOf(name: string): string[] {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) throw new ArchiveError('traversal', `absolute path in the archive refused: ${name.slice(0, 200)}`);
  const parts: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') throw new ArchiveError('traversal', `path traversal in the archive refused: ${name.slice(0, 200)}`);
    parts.push(seg);
  }
  return parts;
}

/**
 * Collects members: decides from the name and size whether the bytes are wanted (`read`
 * returns them only when asked), and builds the result.
 */
class Collector {
  readonly files: SourceFile[] = [];
  readonly problems: InputProblem[] = [];
  suppressions: SourceFile | undefined;
  private entries = 0;

  constructor(
    private readonly limits: ArchiveLimits,
    private readonly strip: number,
  ) {}

  /** Counts a member; returns its path after `strip`, or undefined when it is not wanted. */
  admit(m: Member): string | undefined {
    if (++this.entries > this.limits.maxEntries) throw new ArchiveError('too-many-entries', `the archive has more than ${this.limits.maxEntries} entries`);
    const segs = segmentsOf(m.path).slice(this.strip);
    if (segs.length === 0) return undefined;
    const path = segs.join('/');
    const name = segs[segs.length - 1]!;
    const wanted = isCandidateFile(name);
    if (m.kind !== 'file') {
      if (m.kind === 'link' && wanted) this.problems.push({ path, reason: 'a link in the archive: not followed' });
      return undefined;
    }
    if (segs.length === 1 && name === DEFAULT_SUPPRESSION_FILE) return path;
    if (!wanted || segs.slice(0, -1).some((s) => SKIP_DIRS.has(s))) return undefined;
    if (segs.length - 1 > this.limits.maxDepth) {
      this.problems.push({ path, reason: `deeper than ${this.limits.maxDepth} levels; not scanned` });
      return undefined;
    }
    if (m.size > this.limits.maxFileBytes) {
      this.problems.push({ path, reason: `file is ${m.size} bytes, over the ${this.limits.maxFileBytes}-byte limit; not scanned` });
      return undefined;
    }
    return path;
  }

  add(path: string, bytes: Buffer): void {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      if (inputFor(path, bytes.subarray(0, 8192).toString('latin1')) !== undefined) this.problems.push({ path, reason: 'not valid UTF-8' });
      return;
    }
    if (path === DEFAULT_SUPPRESSION_FILE) this.suppressions = { path, text };
    else this.files.push({ path, text });
  }

  result(): ArchiveContents {
    this.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files: this.files, problems: this.problems, suppressions: this.suppressions };
  }
}

/** Reads a tar (already inflated) held in memory. */
export async function readTar(buf: Buffer, limits: ArchiveLimits = ARCHIVE_LIMITS, strip = 0): Promise<ArchiveContents> {
  if (buf.length > limits.maxTotalBytes) throw new ArchiveError('too-large', `the archive is more than ${limits.maxTotalBytes} bytes`);
  const c = new Collector(limits, strip);
  const extract = tar.extract();
  Readable.from([buf]).pipe(extract);
  let total = 0;
  try {
    for await (const entry of extract) {
      const h = entry.header;
      const size = h.size ?? 0;
      total += size;
      if (total > limits.maxTotalBytes) throw new ArchiveError('too-large', `the archive's members hold more than ${limits.maxTotalBytes} bytes`);
      const kind = h.type === 'file' || h.type === 'contiguous-file' || h.type === undefined || h.type === null ? 'file' : h.type === 'symlink' || h.type === 'link' ? 'link' : h.type === 'directory' ? 'dir' : 'other';
      const path = c.admit(kind === 'file' ? { kind, path: h.name, size } : { kind, path: h.name });
      if (path === undefined) {
        entry.resume();
        continue;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of entry as AsyncIterable<Buffer>) chunks.push(chunk);
      c.add(path, Buffer.concat(chunks));
    }
  } catch (err) {
    extract.destroy();
    if (err instanceof ArchiveError) throw err;
    throw new ArchiveError('corrupt', `not a valid tar archive: ${(err as Error).message}`);
  }
  return c.result();
}

/** Reads a zip held in memory; declared sizes are checked before inflating and enforced while. */
export async function readZip(buf: Buffer, limits: ArchiveLimits = ARCHIVE_LIMITS, strip = 0): Promise<ArchiveContents> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.fromBuffer(buf, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false, decodeStrings: true }, (err, z) => (err ? reject(zipError(err)) : resolve(z)));
  });
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ArchiveError('too-many-entries', `the archive has ${zip.entryCount} entries, more than ${limits.maxEntries}`);
  }
  const c = new Collector(limits, strip);
  let total = 0;
  try {
    for (;;) {
      const entry = await nextEntry(zip);
      if (entry === null) break;
      total += entry.uncompressedSize;
      if (total > limits.maxTotalBytes) throw new ArchiveError('too-large', `the archive's members hold more than ${limits.maxTotalBytes} bytes`);
      const mode = (entry.externalFileAttributes >>> 16) & 0o170000;
      const dir = entry.fileName.endsWith('/') || mode === 0o040000;
      const kind = dir ? 'dir' : mode === 0o120000 ? 'link' : mode === 0 || mode === 0o100000 ? 'file' : 'other';
      const path = c.admit(kind === 'file' ? { kind, path: entry.fileName, size: entry.uncompressedSize } : { kind, path: entry.fileName });
      if (path !== undefined) c.add(path, await readEntry(zip, entry));
    }
  } finally {
    zip.close();
  }
  return c.result();
}

function zipError(err: Error): ArchiveError {
  if (/^(absolute path|invalid relative path)/.test(err.message)) return new ArchiveError('traversal', `path traversal in the archive refused: ${err.message}`);
  return new ArchiveError('corrupt', `not a valid zip archive: ${err.message}`);
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (e: yauzl.Entry) => {
      cleanup();
      resolve(e);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (err: Error) => {
      cleanup();
      reject(zipError(err));
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) {
        reject(zipError(err));
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      // validateEntrySizes: a member inflating past its declared size fails here.
      stream.on('error', (e: Error) => reject(/size/i.test(e.message) ? new ArchiveError('too-large', `zip member ${entry.fileName.slice(0, 200)}: ${e.message}`) : zipError(e)));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/** Any supported archive body: tar, tar.gz (or .tgz) or zip. `kind` from sniffBody. */
export async function readArchive(buf: Buffer, kind: 'gzip' | 'zip' | 'tar', limits: ArchiveLimits = ARCHIVE_LIMITS, strip = 0): Promise<ArchiveContents> {
  if (kind === 'zip') return readZip(buf, limits, strip);
  if (kind === 'tar') return readTar(buf, limits, strip);
  const inner = await gunzipLimited(buf, limits.maxTotalBytes);
  if (sniffBody(inner) !== 'tar') throw new ArchiveError('corrupt', 'the gzip stream does not hold a tar archive');
  return readTar(inner, limits, strip);
}
