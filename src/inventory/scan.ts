import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Inventory } from './model.js';
import { isImageTar, readImageTar } from './image/index.js';
import { INVENTORY_READERS } from './registry.js';
import { HEAD_BYTES, isSbom, readSbom } from './sbom/index.js';
import { InventoryBuilder, readerForPath, runReader } from './walk/run.js';
import { readSingleFile, walkDirectory, WALKER_ID } from './walk/index.js';

/**
 * One entry point for "what is in this?": a directory (every lockfile and package database
 * under it), an image tar (docker save / OCI layout), an SBOM (CycloneDX, SPDX) or a single
 * lockfile. Used by `vigil sbom` and by uploads. Never throws for bad input: what could not
 * be read is in `problems`.
 */
export interface ScanOptions {
  /**
   * The name the content goes by when the path does not say it (an upload stored under its
   * digest): picks the lockfile reader (`package-lock.json`) or the SBOM format.
   */
  readonly name?: string | undefined;
  /** Largest single file read (default: the walker's). */
  readonly maxFileBytes?: number | undefined;
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

async function head(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

export async function scanPath(path: string, opts: ScanOptions = {}): Promise<Inventory> {
  const name = opts.name ?? basename(path);
  let st;
  try {
    st = await stat(path);
  } catch (err) {
    return failed(name, `cannot read: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (st.isDirectory()) return walkDirectory(path, { onProgress: opts.onProgress, ...(opts.maxFileBytes && { maxFileBytes: opts.maxFileBytes }) });
  if (!st.isFile()) return failed(name, 'not a regular file or directory');
  const first = await head(path);
  // A plain image tar is recognised by its members; a gzip-compressed one (`docker save | gzip`)
  // by its magic bytes, and the image reader says so if it is not an image after all.
  if ((await isImageTar(path)) || (first[0] === 0x1f && first[1] === 0x8b)) {
    const inv = await readImageTar(path, { onProgress: opts.onProgress });
    return { ...inv, source: { ...inv.source, name } };
  }
  if (isSbom(name, first)) {
    return readSbom(name, await readFile(path));
  }
  if (opts.name === undefined) return readSingleFile(path, { maxFileBytes: opts.maxFileBytes });
  // Content stored under another name (an upload): the given name picks the reader.
  const reader = readerForPath(INVENTORY_READERS, name);
  if (!reader) return failed(name, 'not recognised: not an image tar, an SBOM (CycloneDX, SPDX) or a lockfile name Vigil reads');
  const max = opts.maxFileBytes ?? 64 * 1024 * 1024;
  if (st.size > max) return failed(name, `file is ${st.size} bytes, over the ${max}-byte limit`);
  const out = new InventoryBuilder();
  out.add(name, reader.id, await runReader(reader, name, await readFile(path), undefined));
  return out.build({ kind: 'file', name });
}

function failed(name: string, message: string): Inventory {
  const out = new InventoryBuilder();
  out.problem(name, WALKER_ID, message, 'error');
  return out.build({ kind: 'file', name });
}
