import { posix } from 'node:path';
import type { LayerRef, Package, ReadProblem, ReadResult } from '../model.js';
import type { AnyInventoryReader } from '../reader.js';
import type { ReadText } from '../walk/run.js';
import { decodeText, runReader } from '../walk/run.js';
import type { FileNode, FsView } from './view.js';

/**
 * Running the readers on the image's final filesystem, and attributing each package to the
 * layer that added it: the earliest layer from which every later version of the file still
 * lists the package (a dpkg status rewritten by five layers attributes `curl` to the layer
 * whose `apt-get install` added it, not to the last layer that touched the file).
 */

export const IMAGE_READER_ID = 'image';

export interface Target {
  /** Path in the image (as matched; may be a symlink). */
  readonly path: string;
  readonly reader: AnyInventoryReader;
  readonly node: FileNode;
  /** Reached through a symlink (its own layer never saw the path as wanted). */
  readonly viaLink: boolean;
}

/** readFile over the final view; paths whose bytes were not kept are recorded in `misses`. */
export function viewReader(view: FsView, maxFileBytes: number, misses: Map<string, FileNode>): ReadText {
  return (path: string) => {
    if (path === '' || path.startsWith('/') || path.includes('\0')) return undefined;
    const norm = posix.normalize(path);
    if (norm === '..' || norm.startsWith('../')) return undefined;
    const r = view.resolve(norm);
    if (!r.ok || r.node.kind !== 'file') return undefined;
    if (r.node.bytes) return decodeText(r.node.bytes);
    if (r.node.size <= maxFileBytes) misses.set(r.path, r.node);
    return undefined;
  };
}

export interface TargetResult {
  readonly target: Target;
  readonly result: ReadResult;
  /** Companion files the reader asked for that exist but whose bytes were not kept. */
  readonly misses: Map<string, FileNode>;
}

export async function runTarget(target: Target, view: FsView, maxFileBytes: number): Promise<TargetResult> {
  const misses = new Map<string, FileNode>();
  const bytes = target.node.bytes;
  if (!bytes) {
    // An oversized file was reported by its layer, unless it was reached through a symlink.
    const tooBig = target.node.size > maxFileBytes;
    const problems: ReadProblem[] =
      tooBig && !target.viaLink
        ? []
        : [
            {
              location: { file: target.path },
              reader: IMAGE_READER_ID,
              message: tooBig ? `file is ${target.node.size} bytes, over the ${maxFileBytes}-byte limit (maxFileBytes): not read` : 'file content could not be read from its layer',
              severity: tooBig ? 'warning' : 'error',
            },
          ];
    return { target, result: { packages: [], edges: [], problems }, misses };
  }
  const result = await runReader(target.reader, target.path, bytes, viewReader(view, maxFileBytes, misses));
  return { target, result, misses };
}

/** For each package of the final version, the index of the layer that added it. */
export async function attribute(target: Target, result: ReadResult, view: FsView, maxFileBytes: number): Promise<number[]> {
  const finalLayer = target.node.layer;
  const history = target.node.history;
  if (history.length === 0 || result.packages.length === 0) return result.packages.map(() => finalLayer);
  const readFile = viewReader(view, maxFileBytes, new Map());
  const seen: Set<string>[] = [];
  for (const v of history) {
    const r = await runReader(target.reader, target.path, v.bytes, readFile);
    seen.push(new Set(r.packages.map(key)));
  }
  return result.packages.map((p) => {
    const k = key(p);
    let i = history.length;
    while (i > 0 && seen[i - 1]!.has(k)) i--;
    return i === history.length ? finalLayer : history[i]!.layer;
  });
}

const key = (p: Package): string => `${p.purl}\0${p.name}\0${p.version}`;

/** Rewrites a reader's paths to the image form `layer-blob!path` and sets each package's layer. */
export function imageLocations(result: ReadResult, locate: (file: string) => string, layers: readonly (LayerRef | undefined)[]): ReadResult {
  return {
    packages: result.packages.map((p, i) => ({ ...p, location: { ...p.location, file: locate(p.location.file) }, layer: layers[i] })),
    edges: result.edges,
    problems: result.problems.map((q) => ({ ...q, location: { ...q.location, file: locate(q.location.file) } })),
  };
}
