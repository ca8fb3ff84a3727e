/**
 * Rust `Cargo.lock`, lockfile versions 1 to 4, read with smol-toml. Each `[[package]]` is a
 * package (crates.io ecosystem, as osv-scanner reports them); packages without `source` are
 * the workspace's own crates and path dependencies: kept (osv-scanner lists them too) and
 * marked `cargo:source = local`. Edges come from `dependencies` entries, written `name`,
 * `name version` or `name version (source)` — as much as the lockfile needs to disambiguate.
 * Checksums come from `checksum` (v2+) or the v1 `[metadata]` table.
 */
import { readToml } from '../../../core/toml-input.js';
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { LineIndex } from '../../lines.js';
import { PackageIds, purl } from '../../purl.js';

export const CARGO_LOCK_READER_ID = 'cargo-lock';
const ECOSYSTEM = 'crates.io';
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_WARNINGS = 100;

interface Crate {
  readonly name: string;
  readonly version: string;
  readonly source: string | undefined;
  readonly checksum: string | undefined;
  readonly deps: readonly string[];
  readonly index: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `git+https://github.com/x/y?branch=main#0123abcd…` → the commit after `#`. */
function gitCommit(source: string | undefined): string | undefined {
  if (!source?.startsWith('git+')) return undefined;
  const hash = source.lastIndexOf('#');
  return hash === -1 ? undefined : source.slice(hash + 1) || undefined;
}

/** Splits `name version (source)` (v1 and metadata keys) into its parts. */
function splitDep(dep: string): { name: string; version?: string; source?: string } {
  const trimmed = dep.trim();
  const open = trimmed.indexOf(' (');
  const head = open === -1 ? trimmed : trimmed.slice(0, open);
  const source = open === -1 || !trimmed.endsWith(')') ? undefined : trimmed.slice(open + 2, -1);
  const space = head.indexOf(' ');
  if (space === -1) return { name: head, ...(source ? { source } : {}) };
  return { name: head.slice(0, space), version: head.slice(space + 1).trim(), ...(source ? { source } : {}) };
}

export function parseCargoLock(input: ReaderInput): ReadResult {
  const { path, text } = input;
  const problems: ReadProblem[] = [];
  let warnings = 0;
  const problem = (severity: 'error' | 'warning', message: string, line?: number): void => {
    if (severity === 'warning' && ++warnings > MAX_WARNINGS) return;
    problems.push({ location: { file: path, line }, reader: CARGO_LOCK_READER_ID, message, severity });
  };
  const fatal = (message: string, line?: number): ReadResult => {
    problem('error', message, line);
    return { packages: [], edges: [], problems };
  };

  const toml = readToml(text, MAX_BYTES);
  if (!toml.ok) return fatal(toml.message, toml.line);
  const doc = toml.value;
  const version = doc['version'];
  if (version !== undefined && (typeof version !== 'number' || version < 1 || version > 4)) {
    problem('warning', `lockfile version ${JSON.stringify(version)?.slice(0, 40) ?? '?'} is not one this reader knows (1 to 4): read as version 4`);
  }
  const rawPackages = doc['package'];
  if (rawPackages === undefined) return { packages: [], edges: [], problems };
  if (!Array.isArray(rawPackages)) return fatal('`package` is not an array of tables ([[package]])');

  // v1: checksums in [metadata] under "checksum name version (source)".
  const metadata = isRecord(doc['metadata']) ? doc['metadata'] : {};
  const lines = new LineIndex(text);
  const headers: number[] = [];
  for (let at = text.indexOf('[[package]]'); at !== -1; at = text.indexOf('[[package]]', at + 11)) {
    if (at === 0 || text.charCodeAt(at - 1) === 0x0a) headers.push(at);
  }
  const lineOf = (i: number): number | undefined => (headers.length === rawPackages.length ? lines.lineOf(headers[i]!) : undefined);

  const crates: Crate[] = [];
  rawPackages.forEach((raw: unknown, i) => {
    const name = isRecord(raw) ? str(raw['name']) : undefined;
    const ver = isRecord(raw) ? str(raw['version']) : undefined;
    if (!isRecord(raw) || !name || ver === undefined) {
      problem('warning', `package #${i + 1} has no name or version: skipped`, lineOf(i));
      return;
    }
    const source = str(raw['source']);
    const deps = Array.isArray(raw['dependencies']) ? raw['dependencies'].filter((d): d is string => typeof d === 'string') : [];
    const checksum = str(raw['checksum']) ?? (source ? str(metadata[`checksum ${name} ${ver} (${source})`]) : undefined);
    crates.push({ name, version: ver, source, checksum, deps, index: i });
  });

  const ids = new PackageIds();
  const packages: Package[] = [];
  const byName = new Map<string, number[]>();
  for (const c of crates) {
    let p: string;
    try {
      p = purl('cargo', undefined, c.name, c.version);
    } catch {
      p = purl('cargo', undefined, c.name, undefined);
    }
    const commit = gitCommit(c.source);
    const properties: Record<string, string> = { 'cargo:source': c.source ?? 'local' };
    const list = byName.get(c.name) ?? [];
    list.push(packages.length);
    byName.set(c.name, list);
    packages.push({
      id: ids.next(p),
      name: c.name,
      version: c.version,
      ecosystem: ECOSYSTEM,
      purl: p,
      location: { file: path, line: lineOf(c.index) },
      ...(commit ? { commit } : {}),
      ...(c.checksum && /^[0-9a-f]{64}$/i.test(c.checksum) ? { hashes: [{ alg: 'SHA-256', content: c.checksum.toLowerCase() }] } : {}),
      properties,
    });
  }

  // Edges: a dependency names a package by name, adding version and source only when needed.
  const index = new Map<string, number>();
  crates.forEach((c, k) => {
    for (const key of [c.name, `${c.name} ${c.version}`, `${c.name} ${c.version} (${c.source ?? ''})`]) if (!index.has(key)) index.set(key, k);
  });
  const resolve = (dep: string): number | undefined => {
    const d = splitDep(dep);
    const key = d.version === undefined ? d.name : d.source === undefined ? `${d.name} ${d.version}` : `${d.name} ${d.version} (${d.source})`;
    return index.get(key);
  };
  const edges: Edge[] = [];
  const dependedOn = new Set<number>();
  const deps: number[][] = crates.map(() => []);
  crates.forEach((c, k) => {
    for (const dep of c.deps) {
      const to = resolve(dep);
      if (to === undefined) {
        problem('warning', `${c.name} ${c.version} depends on "${dep.slice(0, 200)}", which no [[package]] entry matches`, lineOf(c.index));
        continue;
      }
      deps[k]!.push(to);
      dependedOn.add(to);
      edges.push({ from: packages[k]!.id, to: packages[to]!.id });
    }
  });
  // The workspace: local crates nothing else depends on are the roots; what local crates
  // depend on from a registry or git is direct, the rest transitive.
  const direct = new Set<number>();
  crates.forEach((c, k) => {
    if (c.source !== undefined) return;
    if (!dependedOn.has(k)) edges.push({ from: 'root', to: packages[k]!.id });
    for (const to of deps[k]!) if (crates[to]!.source !== undefined) direct.add(to);
  });
  const hasLocal = crates.some((c) => c.source === undefined);
  const out = packages.map((p, k) => (crates[k]!.source === undefined || !hasLocal ? p : { ...p, direct: direct.has(k) }));
  if (warnings > MAX_WARNINGS) problems.push({ location: { file: path }, reader: CARGO_LOCK_READER_ID, message: `${warnings - MAX_WARNINGS} more warnings not shown`, severity: 'warning' });
  return { packages: out, edges, problems };
}
