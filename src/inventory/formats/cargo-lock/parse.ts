/**
 * Rust `Cargo.lock`, lockfile versions 1 to 4, read with the TOML parser of ../../toml (tested
 * against smol-toml). Each `[[package]]` is a package (crates.io ecosystem, as osv-scanner
 * reports them); packages without `source` are the workspace's own crates and path
 * dependencies: kept (osv-scanner lists them too) and marked `cargo:source = local`. Edges
 * come from `dependencies` entries, written `name`, `name version` or `name version (source)`
 * — as much as the lockfile needs to disambiguate. Checksums come from `checksum` (v2+) or the
 * v1 `[metadata]` table.
 */
import { readLockToml } from '../../toml/index.js';
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { LineIndex } from '../../lines.js';
import { PackageIds, purl } from '../../purl.js';

export const CARGO_LOCK_READER_ID = 'cargo-lock';
const ECOSYSTEM = 'crates.io';
const MAX_BYTES = 64 * 1024 * 1024;
const MAX_WARNINGS = 100;
const SHA256 = /^[0-9a-f]{64}$/i;

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

  const toml = readLockToml(text, MAX_BYTES);
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
    const list: unknown = raw['dependencies'];
    const isString = (d: unknown): d is string => typeof d === 'string';
    // The list as it is when it holds only strings (it does): no copy per crate.
    const deps: readonly string[] = !Array.isArray(list) ? [] : list.every(isString) ? list : list.filter(isString);
    const checksum = str(raw['checksum']) ?? (source ? str(metadata[`checksum ${name} ${ver} (${source})`]) : undefined);
    crates.push({ name, version: ver, source, checksum, deps, index: i });
  });

  // Ids first (edges name them), then edges, then the packages with what the edges say.
  const ids = new PackageIds();
  const purls = crates.map((c) => {
    try {
      return purl('cargo', undefined, c.name, c.version);
    } catch {
      return purl('cargo', undefined, c.name, undefined);
    }
  });
  const pkgIds = purls.map((p) => ids.next(p));

  // Edges: a dependency names a package by name, adding version and source only when needed;
  // it resolves to the first [[package]] that matches what it gives.
  const byName = new Map<string, number[]>();
  crates.forEach((c, k) => {
    const list = byName.get(c.name);
    if (list) list.push(k);
    else byName.set(c.name, [k]);
  });
  const resolve = (dep: string): number | undefined => {
    // The usual form, a bare name: no splitting.
    if (!dep.includes(' ') && dep.trim() === dep) return byName.get(dep)?.[0];
    const d = splitDep(dep);
    const candidates = byName.get(d.name);
    if (!candidates) return undefined;
    if (d.version === undefined) return candidates[0];
    for (const k of candidates) {
      const c = crates[k]!;
      if (c.version === d.version && (d.source === undefined || c.source === d.source)) return k;
    }
    return undefined;
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
      edges.push({ from: pkgIds[k]!, to: pkgIds[to]! });
    }
  });
  // The workspace: local crates nothing else depends on are the roots; what local crates
  // depend on from a registry or git is direct, the rest transitive.
  const direct = new Set<number>();
  crates.forEach((c, k) => {
    if (c.source !== undefined) return;
    if (!dependedOn.has(k)) edges.push({ from: 'root', to: pkgIds[k]! });
    for (const to of deps[k]!) if (crates[to]!.source !== undefined) direct.add(to);
  });
  const hasLocal = crates.some((c) => c.source === undefined);
  const out: Package[] = crates.map((c, k) => {
    const p: { -readonly [K in keyof Package]: Package[K] } = {
      id: pkgIds[k]!,
      name: c.name,
      version: c.version,
      ecosystem: ECOSYSTEM,
      purl: purls[k]!,
      location: { file: path, line: lineOf(c.index) },
    };
    const commit = gitCommit(c.source);
    if (commit) p.commit = commit;
    if (c.checksum && SHA256.test(c.checksum)) p.hashes = [{ alg: 'SHA-256', content: c.checksum.toLowerCase() }];
    p.properties = { 'cargo:source': c.source ?? 'local' };
    if (c.source !== undefined && hasLocal) p.direct = direct.has(k);
    return p;
  });
  if (warnings > MAX_WARNINGS) problems.push({ location: { file: path }, reader: CARGO_LOCK_READER_ID, message: `${warnings - MAX_WARNINGS} more warnings not shown`, severity: 'warning' });
  return { packages: out, edges, problems };
}
