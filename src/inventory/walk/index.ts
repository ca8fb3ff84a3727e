import { constants, type Dirent } from 'node:fs';
import { closeSync, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import type { Inventory } from '../model.js';
import type { AnyInventoryReader } from '../reader.js';
import { INVENTORY_READERS } from '../registry.js';
import type { ReadText } from './run.js';
import { decodeText, InventoryBuilder, readerForPath, runReader } from './run.js';

/**
 * The directory walker: finds every file a registered reader wants, reads it (all I/O is
 * here; readers stay pure) and combines the results into one inventory. Hostile trees are
 * expected: symlinks are never followed out of the root (nor into directories, which would
 * allow loops), only regular files are opened (never a FIFO or device), and every limit hit
 * is a warning naming the path, never a silent skip.
 */

export const WALKER_ID = 'walker';

/**
 * Directories not descended into, by name, anywhere in the tree: package-manager install
 * folders and caches whose lockfiles describe other projects (node_modules, vendor), VCS
 * metadata, Python virtualenvs and caches, and build output (`target` of Cargo and Maven
 * holds copies of lockfiles). Replace the list with `skipDirs` (e.g. `[]` to walk everything).
 */
export const DEFAULT_SKIP_DIRS: readonly string[] = [
  'node_modules', 'bower_components', 'jspm_packages',
  '.git', '.hg', '.svn', '.bzr',
  '__pycache__', '.venv', 'venv', '.tox', '.nox', '.mypy_cache', '.pytest_cache', '.ruff_cache',
  'vendor', 'target', '.gradle', '.m2', '.terraform', '.cache',
];

export interface WalkOptions {
  /** Readers to use, first match wins (default: every registered reader). */
  readonly readers?: readonly AnyInventoryReader[] | undefined;
  /** Directory names not descended into (default DEFAULT_SKIP_DIRS). */
  readonly skipDirs?: readonly string[] | undefined;
  /** Deepest directory level walked below the root (default 32). */
  readonly maxDepth?: number | undefined;
  /** Largest file read, in bytes (default 64 MiB); also applies to companion files. */
  readonly maxFileBytes?: number | undefined;
  /** Most files handed to readers (default 10,000). */
  readonly maxFiles?: number | undefined;
  /** Most directory entries examined (default 1,000,000). */
  readonly maxEntries?: number | undefined;
  /** Called before each file is read and once at the end: files done, files in total. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export const WALK_DEFAULTS = { maxDepth: 32, maxFileBytes: 64 * 1024 * 1024, maxFiles: 10_000, maxEntries: 1_000_000 } as const;

interface Found {
  /** Relative, `/`-separated. */
  readonly rel: string;
  /** Absolute path to open (a symlink's resolved target inside the root). */
  readonly abs: string;
  readonly reader: AnyInventoryReader;
  readonly viaLink: boolean;
}


export async function walkDirectory(root: string, options: WalkOptions = {}): Promise<Inventory> {
  const out = new InventoryBuilder();
  const source = { kind: 'directory' as const, name: root };
  let rootReal: string;
  try {
    rootReal = await realpath(resolve(root));
    if (!(await stat(rootReal)).isDirectory()) throw new Error(`${root} is not a directory`);
  } catch (err) {
    out.problem('.', WALKER_ID, `cannot open the directory to scan: ${errText(err)}`, 'error');
    return out.build(source);
  }
  const readers = options.readers ?? INVENTORY_READERS;
  const skip = new Set(options.skipDirs ?? DEFAULT_SKIP_DIRS);
  const maxDepth = options.maxDepth ?? WALK_DEFAULTS.maxDepth;
  const maxFiles = options.maxFiles ?? WALK_DEFAULTS.maxFiles;
  const maxEntries = options.maxEntries ?? WALK_DEFAULTS.maxEntries;
  const maxFileBytes = options.maxFileBytes ?? WALK_DEFAULTS.maxFileBytes;

  const found: Found[] = [];
  let entries = 0;
  let overFiles: string | undefined;
  const stack: { abs: string; rel: string; depth: number }[] = [{ abs: rootReal, rel: '', depth: 0 }];
  walk: while (stack.length > 0) {
    const dir = stack.pop()!;
    let list: Dirent[];
    try {
      list = await readdir(dir.abs, { withFileTypes: true });
    } catch (err) {
      out.problem(dir.rel || '.', WALKER_ID, `cannot list directory: ${errText(err)}`, 'warning');
      continue;
    }
    list.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)); // reversed: the stack pops in name order
    for (const d of list) {
      if (++entries > maxEntries) {
        out.problem(dir.rel || '.', WALKER_ID, `stopped after examining ${maxEntries} directory entries (maxEntries): the rest of the tree, from here on, was not walked`, 'warning');
        break walk;
      }
      const rel = dir.rel === '' ? d.name : `${dir.rel}/${d.name}`;
      const abs = join(dir.abs, d.name);
      if (d.isDirectory()) {
        if (skip.has(d.name)) continue;
        if (dir.depth + 1 > maxDepth) out.problem(rel, WALKER_ID, `directory is deeper than ${maxDepth} levels (maxDepth): not walked`, 'warning');
        else stack.push({ abs, rel, depth: dir.depth + 1 });
        continue;
      }
      const reader = readerForPath(readers, rel);
      if (!reader) continue;
      if (!d.isFile() && !d.isSymbolicLink()) {
        out.problem(rel, WALKER_ID, 'not a regular file (a FIFO, socket or device): not read', 'warning'); // never opened
        continue;
      }
      let target = abs;
      if (d.isSymbolicLink()) {
        const t = await insideRoot(abs, rootReal);
        if (t === undefined) {
          out.problem(rel, WALKER_ID, 'symlink points outside the scanned directory (or nowhere): not followed', 'warning');
          continue;
        }
        target = t;
      }
      if (found.length >= maxFiles) {
        overFiles ??= rel;
        continue;
      }
      found.push({ rel, abs: target, reader, viaLink: target !== abs });
    }
  }
  if (overFiles !== undefined) {
    out.problem(overFiles, WALKER_ID, `more than ${maxFiles} files to read (maxFiles): this one and the ones after it were not read`, 'warning');
  }

  const readFile = companionReader(rootReal, maxFileBytes);
  for (let i = 0; i < found.length; i++) {
    options.onProgress?.(i, found.length);
    const f = found[i]!;
    const bytes = await readRegularFile(f.abs, maxFileBytes, !f.viaLink);
    if (!bytes.ok) {
      out.problem(f.rel, WALKER_ID, bytes.reason, bytes.severity);
      continue;
    }
    out.add(f.rel, f.reader.id, await runReader(f.reader, f.rel, bytes.bytes, readFile));
  }
  options.onProgress?.(found.length, found.length);
  return out.build(source);
}

export interface SingleFileOptions {
  readonly readers?: readonly AnyInventoryReader[] | undefined;
  /** Force a reader by id instead of matching on the path. */
  readonly reader?: string | undefined;
  readonly maxFileBytes?: number | undefined;
}

/**
 * Reads one file with the reader that wants it. Readers match on paths relative to a root,
 * so the root is chosen as the longest directory prefix for which a reader matches the rest
 * (`/x/package-lock.json` → root `/x`; `/var/lib/dpkg/status` → root `/`, so the os-release
 * of that system is found). Companion files resolve relative to that root, never outside it.
 */
export async function readSingleFile(file: string, options: SingleFileOptions = {}): Promise<Inventory> {
  const out = new InventoryBuilder();
  const abs = resolve(file);
  const source = { kind: 'file' as const, name: file };
  const readers = options.readers ?? INVENTORY_READERS;
  const parts = abs.split(sep).filter((s) => s !== '');
  let root = dirname(abs);
  let rel = basename(abs);
  let reader = options.reader === undefined ? undefined : readers.find((r) => r.id === options.reader);
  if (options.reader !== undefined && !reader) {
    out.problem(rel, WALKER_ID, `no reader with id "${options.reader}"`, 'error');
    return out.build(source);
  }
  if (!reader) {
    for (let k = 1; k <= parts.length && !reader; k++) {
      const candidate = parts.slice(parts.length - k).join('/');
      reader = readerForPath(readers, candidate);
      if (reader) {
        rel = candidate;
        root = abs.slice(0, abs.length - candidate.length - 1) || sep;
      }
    }
  }
  if (!reader) {
    out.problem(rel, WALKER_ID, 'no inventory reader recognises this file name', 'error');
    return out.build(source);
  }
  const maxFileBytes = options.maxFileBytes ?? WALK_DEFAULTS.maxFileBytes;
  const bytes = await readRegularFile(abs, maxFileBytes, false);
  if (!bytes.ok) {
    out.problem(rel, WALKER_ID, bytes.reason, bytes.severity);
    return out.build(source);
  }
  let rootReal = root;
  try {
    rootReal = realpathSync(root);
  } catch {
    // keep the lexical root: companion reads will simply find nothing
  }
  out.add(rel, reader.id, await runReader(reader, rel, bytes.bytes, companionReader(rootReal, maxFileBytes)));
  return out.build(source);
}

type FileBytes = { ok: true; bytes: Uint8Array } | { ok: false; reason: string; severity: 'error' | 'warning' };

/**
 * Opens without following a final symlink (unless the caller resolved it), non-blocking (a
 * path swapped for a FIFO after the listing cannot hang the walk), and reads only a
 * regular file within the size limit.
 */
async function readRegularFile(abs: string, maxBytes: number, noFollow: boolean): Promise<FileBytes> {
  let handle;
  try {
    handle = await open(abs, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0));
  } catch (err) {
    return { ok: false, reason: `cannot open: ${errText(err)}`, severity: 'error' };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { ok: false, reason: 'not a regular file: not read', severity: 'warning' };
    if (st.size > maxBytes) return { ok: false, reason: `file is ${st.size} bytes, over the ${maxBytes}-byte limit (maxFileBytes): not read`, severity: 'warning' };
    return { ok: true, bytes: await handle.readFile() };
  } catch (err) {
    return { ok: false, reason: `cannot read: ${errText(err)}`, severity: 'error' };
  } finally {
    await handle.close();
  }
}

/** The target of a symlink when it is a path inside the root, else undefined. */
async function insideRoot(abs: string, rootReal: string): Promise<string | undefined> {
  try {
    const t = await realpath(abs);
    return t.startsWith(rootReal + sep) || (rootReal === sep && t.startsWith(sep)) ? t : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `readFile` for readers' companion files: a `/`-separated path relative to the root; absolute
 * paths, paths climbing out (`..`), and symlinks resolving outside the root are refused
 * (undefined), as are non-regular and oversized files.
 */
export function companionReader(rootReal: string, maxBytes: number): ReadText {
  return (path: string) => {
    if (path === '' || path.startsWith('/') || path.includes('\\') || path.includes('\0')) return undefined;
    const norm = posix.normalize(path);
    if (norm === '..' || norm.startsWith('../') || posix.isAbsolute(norm)) return undefined;
    const abs = join(rootReal, ...norm.split('/'));
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      return undefined;
    }
    const rel = relative(rootReal, real);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
    let fd: number | undefined;
    try {
      fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > maxBytes) return undefined;
      const buf = new Uint8Array(st.size);
      let off = 0;
      while (off < buf.length) {
        const n = readSync(fd, buf, off, buf.length - off, off);
        if (n === 0) break;
        off += n;
      }
      return decodeText(buf.subarray(0, off));
    } catch {
      return undefined;
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  };
}

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));
