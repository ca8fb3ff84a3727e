import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Inventory, LayerRef } from '../model.js';
import type { AnyInventoryReader } from '../reader.js';
import { INVENTORY_READERS } from '../registry.js';
import { InventoryBuilder, readerForPath } from '../walk/run.js';
import type { LayerLimits, LayerRecord } from './layer.js';
import { ByteBudget, cleanEntryName, readLayer } from './layer.js';
import type { ImagePlan } from './manifest.js';
import { planImage } from './manifest.js';
import { parseOsRelease } from './os-release.js';
import type { Target, TargetResult } from './scan.js';
import { attribute, IMAGE_READER_ID, imageLocations, runTarget } from './scan.js';
import { bytesSource, fileSource, forEachEntry } from './tar-source.js';
import type { FileNode } from './view.js';
import { FsView } from './view.js';

export { isImageTar } from './detect.js';

/**
 * A container image tar, read without Docker: `docker save` output or an OCI image layout
 * (plain or gzip-compressed tar). Layers (plain, gzip or zstd) are streamed, never held
 * whole; only files some reader wants (and the OS identification files) are kept, under a
 * per-file cap and an image-wide budget. Whiteouts are applied, every registered reader runs
 * on the final filesystem, and each package is attributed to the layer that added it.
 *
 * Hostile input (names climbing out of the root, symlink loops, absurd sizes, truncated or
 * non-tar data) becomes problems in the returned inventory; this never throws for bad input.
 */
export interface ImageOptions {
  readonly readers?: readonly AnyInventoryReader[] | undefined;
  /** `os/arch[/variant]` to pick from a multi-platform image (default: the host's arch, else the first). */
  readonly platform?: string | undefined;
  /** Largest file whose bytes are kept (default 64 MiB). */
  readonly maxFileBytes?: number | undefined;
  /** Most entries read from one layer (default 1,000,000). */
  readonly maxLayerEntries?: number | undefined;
  /** Most uncompressed bytes read from one layer (default 64 GiB). */
  readonly maxLayerBytes?: number | undefined;
  /** Bytes kept across the whole image, all layers and versions (default 1 GiB). */
  readonly maxKeptBytes?: number | undefined;
  /** Most files handed to readers (default 10,000). */
  readonly maxFiles?: number | undefined;
  /** Called as layers are read: layers done, layers in total. */
  readonly onProgress?: ((done: number, total: number) => void) | undefined;
}

export const IMAGE_DEFAULTS = {
  maxFileBytes: 64 * 1024 * 1024,
  maxLayerEntries: 1_000_000,
  maxLayerBytes: 64 * 1024 ** 3,
  maxKeptBytes: 1024 ** 3,
  maxFiles: 10_000,
} as const;

/** Files that identify the OS: always kept. */
const OS_FILES = new Set(['etc/os-release', 'usr/lib/os-release', 'etc/alpine-release', 'etc/debian_version']);
/** Small members of the image tar kept from the first pass (JSON documents, tiny layers). */
const SMALL_ANY = 1024 * 1024;
const SMALL_JSON = 16 * 1024 * 1024;
const SMALL_TOTAL = 256 * 1024 * 1024;

export async function readImageTar(path: string, options: ImageOptions = {}): Promise<Inventory> {
  const out = new InventoryBuilder();
  const fallbackName = basename(path);
  const problem = (file: string, message: string, severity: 'error' | 'warning'): void => out.problem(file, IMAGE_READER_ID, message, severity);
  try {
    const st = await stat(path);
    if (!st.isFile()) {
      problem(fallbackName, 'not a regular file', 'error');
      return out.build({ kind: 'image', name: fallbackName });
    }
  } catch (err) {
    problem(fallbackName, `cannot open the image tar: ${err instanceof Error ? err.message : String(err)}`, 'error');
    return out.build({ kind: 'image', name: fallbackName });
  }

  const readers = options.readers ?? INVENTORY_READERS;
  const limits: LayerLimits = {
    maxFileBytes: options.maxFileBytes ?? IMAGE_DEFAULTS.maxFileBytes,
    maxLayerEntries: options.maxLayerEntries ?? IMAGE_DEFAULTS.maxLayerEntries,
    maxLayerBytes: options.maxLayerBytes ?? IMAGE_DEFAULTS.maxLayerBytes,
  };
  const budget = new ByteBudget(options.maxKeptBytes ?? IMAGE_DEFAULTS.maxKeptBytes);

  // Pass 1: the tar's members, keeping the small ones (manifests, configs, tiny layers).
  const small = new Map<string, Uint8Array>();
  const members = await collectSmall(path, small, problem, fallbackName);
  if (members === undefined) return out.build({ kind: 'image', name: fallbackName });
  const planned = planImage(small, options.platform);
  if (!planned.ok) {
    problem(fallbackName, planned.reason, 'error');
    return out.build({ kind: 'image', name: fallbackName });
  }
  const plan = planned.plan;
  for (const p of plan.problems) problem(fallbackName, p.message, p.severity);
  const source = { kind: 'image' as const, name: plan.name ?? fallbackName, version: plan.version };

  // Pass 2: the layers, each streamed once (from memory when small).
  const want = (p: string): boolean => OS_FILES.has(p) || readerForPath(readers, p) !== undefined;
  const records = await readLayers(path, plan, small, members, (src) => readLayer(src, want, limits, budget), options.onProgress);
  const layers: LayerRef[] = plan.layers.map((l, index) => ({ digest: l.digest ?? records.get(l.blob)?.blobDigest ?? '', index, createdBy: l.createdBy }));
  const view = new FsView();
  for (const [index, l] of plan.layers.entries()) {
    const record = records.get(l.blob);
    if (!record) {
      problem(l.blob, `layer ${index} is missing from the image tar: the files it adds or deletes are not seen`, 'error');
      continue;
    }
    for (const p of record.problems) problem(l.blob, `layer ${index}: ${p.message}`, p.severity);
    view.apply(index, record);
  }

  const os = detectOs(view);
  const targets = findTargets(view, readers, options.maxFiles ?? IMAGE_DEFAULTS.maxFiles, problem);

  // Files reached through symlinks or hardlinks, and companions readers asked for, may not
  // have been kept on the way: fetch them from their layers, then (re)run those readers.
  const refetch = async (nodes: Iterable<FileNode>): Promise<void> => {
    const todo = [...nodes].filter((n) => !n.bytes && n.size <= limits.maxFileBytes);
    if (todo.length > 0) await fetchContents(path, plan, small, todo, limits, budget);
  };
  await refetch(targets.map((t) => t.node));
  const results: TargetResult[] = [];
  for (const t of targets) results.push(await runTarget(t, view, limits.maxFileBytes));
  const missed = results.flatMap((r, i) => (r.misses.size > 0 ? [i] : []));
  if (missed.length > 0) {
    await refetch(missed.flatMap((i) => [...results[i]!.misses.values()]));
    for (const i of missed) results[i] = await runTarget(results[i]!.target, view, limits.maxFileBytes);
  }

  for (const { target, result } of results) {
    const owners = await attribute(target, result, view, limits.maxFileBytes);
    const blob = plan.layers[target.node.layer]?.blob ?? '';
    const located = imageLocations(result, (file) => `${blob}!${file}`, owners.map((i) => layers[i]));
    if (target.node.bytes) out.add(`${blob}!${target.path}`, target.reader.id, located);
    else out.problems.push(...located.problems); // not read: not listed among the files
  }
  return out.build(source, { os, layers });
}

type Problem = (file: string, message: string, severity: 'error' | 'warning') => void;

/** Pass 1. Returns the member names (clean), or undefined when the file is no tar at all. */
async function collectSmall(path: string, small: Map<string, Uint8Array>, problem: Problem, name: string): Promise<Set<string> | undefined> {
  const members = new Set<string>();
  let kept = 0;
  let err: Error | undefined;
  try {
    err = await forEachEntry(fileSource(path), async (entry) => {
      const clean = cleanEntryName(entry.header.name);
      if (typeof clean !== 'string' || (entry.header.type !== 'file' && entry.header.type !== 'contiguous-file')) return 'continue';
      members.add(clean);
      const size = entry.header.size ?? 0;
      if (size > SMALL_JSON || kept + size > SMALL_TOTAL) return 'continue';
      const parts: Uint8Array[] = [];
      let keep = size <= SMALL_ANY;
      let first = true;
      for await (const chunk of entry.chunks()) {
        if (first) {
          first = false;
          keep ||= chunk.length > 0 && (chunk[0] === 0x7b || chunk[0] === 0x5b); // `{` or `[`: a JSON document
        }
        if (keep) parts.push(chunk);
      }
      if (keep) {
        kept += size;
        small.set(clean, parts.length === 1 ? parts[0]! : Buffer.concat(parts));
      }
      return 'continue';
    });
  } catch (e) {
    err = e instanceof Error ? e : new Error(String(e));
  }
  if (err && members.size === 0) {
    problem(name, `not a tar archive (${err.message})`, 'error');
    return undefined;
  }
  if (err) problem(name, `the image tar is truncated or corrupt (${err.message}): members after the damage are not seen`, 'error');
  return members;
}

/** Pass 2: one record per distinct layer blob. */
async function readLayers(
  path: string,
  plan: ImagePlan,
  small: ReadonlyMap<string, Uint8Array>,
  members: ReadonlySet<string>,
  read: (src: AsyncIterable<Uint8Array>) => Promise<LayerRecord>,
  onProgress: ImageOptions['onProgress'],
): Promise<Map<string, LayerRecord>> {
  const records = new Map<string, LayerRecord>();
  const blobs = [...new Set(plan.layers.map((l) => l.blob))];
  const total = blobs.length;
  const done = (): void => onProgress?.(records.size, total);
  for (const blob of blobs) {
    const bytes = small.get(blob);
    if (bytes) {
      records.set(blob, await read(bytesSource(bytes)));
      done();
    }
  }
  const pending = new Set(blobs.filter((b) => !records.has(b) && members.has(b)));
  if (pending.size > 0) {
    await forEachEntry(fileSource(path), async (entry) => {
      const clean = cleanEntryName(entry.header.name);
      if (typeof clean !== 'string' || !pending.has(clean)) return 'continue';
      pending.delete(clean);
      records.set(clean, await read(entry.chunks()));
      done();
      return pending.size === 0 ? 'stop' : 'continue';
    }, { drainSource: false }).catch(() => undefined); // damage was reported by pass 1
  }
  return records;
}

/** Reads the given files' contents again from their layers (a blob re-streamed once for all its files). */
async function fetchContents(path: string, plan: ImagePlan, small: ReadonlyMap<string, Uint8Array>, nodes: readonly FileNode[], limits: LayerLimits, budget: ByteBudget): Promise<void> {
  const byBlob = new Map<string, Map<string, FileNode[]>>();
  for (const n of nodes) {
    const blob = plan.layers[n.src.layer]?.blob;
    if (!blob) continue;
    const files = byBlob.get(blob) ?? new Map<string, FileNode[]>();
    byBlob.set(blob, files);
    files.set(n.src.path, [...(files.get(n.src.path) ?? []), n]);
  }
  const fill = (record: LayerRecord, files: Map<string, FileNode[]>): void => {
    for (const e of record.entries) if (e.kind === 'file' && e.bytes) for (const n of files.get(e.path) ?? []) n.bytes = e.bytes;
  };
  const read = (src: AsyncIterable<Uint8Array>, files: Map<string, FileNode[]>): Promise<LayerRecord> => readLayer(src, (p) => files.has(p), limits, budget);
  for (const [blob, files] of byBlob) {
    const bytes = small.get(blob);
    if (bytes) {
      fill(await read(bytesSource(bytes), files), files);
      byBlob.delete(blob);
    }
  }
  if (byBlob.size === 0) return;
  await forEachEntry(fileSource(path), async (entry) => {
    const clean = cleanEntryName(entry.header.name);
    const files = typeof clean === 'string' ? byBlob.get(clean) : undefined;
    if (!files || typeof clean !== 'string') return 'continue';
    byBlob.delete(clean);
    fill(await read(entry.chunks(), files), files);
    return byBlob.size === 0 ? 'stop' : 'continue';
  }, { drainSource: false }).catch(() => undefined);
}

function detectOs(view: FsView): Inventory['os'] {
  for (const p of ['etc/os-release', 'usr/lib/os-release']) {
    const r = view.resolve(p);
    if (r.ok && r.node.kind === 'file' && r.node.bytes) {
      const os = parseOsRelease(new TextDecoder().decode(r.node.bytes));
      if (os) return { id: os.id, versionId: os.versionId, prettyName: os.prettyName };
    }
  }
  return undefined;
}

/** Every file (or symlink to a file) in the final view some reader wants. */
function findTargets(view: FsView, readers: readonly AnyInventoryReader[], maxFiles: number, problem: Problem): Target[] {
  const targets: Target[] = [];
  for (const { path, node } of view.entries()) {
    const reader = readerForPath(readers, path);
    if (!reader) continue;
    let file: FileNode;
    if (node.kind === 'symlink') {
      const r = view.resolve(path);
      if (!r.ok) {
        problem(path, r.reason === 'loop' ? 'symlink loop: not read' : 'dangling symlink: not read', 'warning');
        continue;
      }
      if (r.node.kind !== 'file') continue;
      file = r.node;
    } else {
      file = node;
    }
    if (targets.length >= maxFiles) {
      problem(path, `more than ${maxFiles} files to read (maxFiles): this one and the ones after it were not read`, 'warning');
      break;
    }
    targets.push({ path, reader, node: file, viaLink: node.kind === 'symlink' });
  }
  return targets;
}
