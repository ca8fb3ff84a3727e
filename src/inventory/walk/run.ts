import type { Edge, Inventory, Package, ReadProblem, ReadResult } from '../model.js';
import type { AnyInventoryReader } from '../reader.js';
import { isBinaryReader } from '../reader.js';

/**
 * Running one reader on one file's bytes, and combining many files' results into one
 * inventory. Shared by the directory walker and the image reader. Never throws for a
 * reader's failure: a crash becomes an error problem for that file.
 */

export type ReadText = (path: string) => string | undefined;

const utf8 = new TextDecoder('utf-8'); // not fatal: a stray byte must not lose the whole file; the BOM is dropped

export function decodeText(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/**
 * The first reader that wants `path`. `matches` is meant to be cheap and pure; one that
 * throws is treated as not matching rather than ending a walk.
 */
export function readerForPath(readers: readonly AnyInventoryReader[], path: string): AnyInventoryReader | undefined {
  for (const r of readers) {
    try {
      if (r.matches(path)) return r;
    } catch {
      // a broken matcher: not this reader
    }
  }
  return undefined;
}

export async function runReader(reader: AnyInventoryReader, path: string, bytes: Uint8Array, readFile: ReadText | undefined): Promise<ReadResult> {
  try {
    if (isBinaryReader(reader)) {
      // The binary contract has no readFile; readers that can use one (rpm-sqlite) take it.
      const input = { path, bytes, readFile };
      return await reader.read(input);
    }
    return reader.read({ path, text: decodeText(bytes), readFile });
  } catch (err) {
    return {
      packages: [],
      edges: [],
      problems: [{ location: { file: path }, reader: reader.id, message: `reader crashed: ${err instanceof Error ? err.message : String(err)}`, severity: 'error' }],
    };
  }
}

export interface InventoryParts {
  readonly packages: Package[];
  readonly edges: Edge[];
  readonly problems: ReadProblem[];
  readonly files: { path: string; reader: string; packages: number }[];
}

/**
 * Accumulates per-file results. Package ids are unique per file (the readers' PackageIds);
 * across files the same purl can recur (two lockfiles pinning the same version), so a clash
 * is renamed `purl#n` and the file's edges follow the rename.
 */
export class InventoryBuilder implements InventoryParts {
  readonly packages: Package[] = [];
  readonly edges: Edge[] = [];
  readonly problems: ReadProblem[] = [];
  readonly files: { path: string; reader: string; packages: number }[] = [];
  private readonly used = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();

  problem(file: string, reader: string, message: string, severity: ReadProblem['severity'], line?: number): void {
    this.problems.push({ location: { file, line }, reader, message, severity });
  }

  /** Adds one file's result; `adjust` may rewrite each package (image: layer, location). */
  add(path: string, readerId: string, result: ReadResult, adjust?: (p: Package) => Package): void {
    const renamed = new Map<string, string>();
    for (const p of result.packages) {
      let id = p.id;
      if (this.used.has(id)) {
        id = this.freeId(p.purl || p.id);
        renamed.set(p.id, id);
      }
      this.used.add(id);
      const q = id === p.id ? p : { ...p, id };
      this.packages.push(adjust ? adjust(q) : q);
    }
    for (const e of result.edges) {
      this.edges.push(renamed.size === 0 ? e : { from: renamed.get(e.from) ?? e.from, to: renamed.get(e.to) ?? e.to });
    }
    this.problems.push(...result.problems);
    this.files.push({ path, reader: readerId, packages: result.packages.length });
  }

  private freeId(base: string): string {
    let n = this.nextSuffix.get(base) ?? 2;
    while (this.used.has(`${base}#${n}`)) n++;
    this.nextSuffix.set(base, n + 1);
    return `${base}#${n}`;
  }

  build(source: Inventory['source'], extra?: Pick<Inventory, 'os' | 'layers'>): Inventory {
    return { source, packages: this.packages, edges: this.edges, problems: this.problems, files: this.files, ...extra };
  }
}
