/**
 * .NET NuGet `packages.lock.json` (JSON through the `readJsonText` guards of ../../json.ts;
 * hand-checked shape). One section per target framework (`net6.0`, `net8.0/linux-x64` …), each
 * mapping a package id to `{type, requested, resolved, contentHash, dependencies}`. A package
 * resolved to the same version in several frameworks is one package (the frameworks are listed
 * in a property), as osv-scanner merges them. `Direct` → direct, `Transitive` and
 * `CentralTransitive` → transitive, `Project` = another project of the solution (kept, with no
 * version, marked `nuget:type = Project`). `contentHash` is the package's base64 SHA-512.
 */
import type { JsonLimits } from '../../../core/json-input.js';
import { readJsonText } from '../../json.js';
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { ForwardLines, LineIndex } from '../../lines.js';
import { PackageIds, purl } from '../../purl.js';

export const NUGET_LOCK_READER_ID = 'nuget-lock';
const ECOSYSTEM = 'NuGet';
const LIMITS: JsonLimits = { maxBytes: 64 * 1024 * 1024, maxDepth: 32 };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

interface Found {
  pkg: Package;
  direct: boolean;
  frameworks: string[];
  types: Set<string>;
}

function sha512(contentHash: string | undefined): { alg: string; content: string } | undefined {
  if (!contentHash) return undefined;
  const bytes = Buffer.from(contentHash, 'base64');
  return bytes.length === 64 ? { alg: 'SHA-512', content: bytes.toString('hex') } : undefined;
}

export function parseNugetLock(input: ReaderInput): ReadResult {
  const { path, text } = input;
  const problems: ReadProblem[] = [];
  const fatal = (message: string): ReadResult => ({ packages: [], edges: [], problems: [{ location: { file: path }, reader: NUGET_LOCK_READER_ID, message, severity: 'error' }] });
  const warn = (message: string, line?: number): void => {
    problems.push({ location: { file: path, line }, reader: NUGET_LOCK_READER_ID, message, severity: 'warning' });
  };

  const json = readJsonText(text, LIMITS);
  if (!json.ok) return fatal(`could not read packages.lock.json: ${json.problem.reason}`);
  const doc = json.value;
  if (!isRecord(doc)) return fatal('not a NuGet packages.lock.json: the top level is not an object');
  if (doc['version'] !== 1 && doc['version'] !== 2) return fatal(`unsupported packages.lock.json version ${JSON.stringify(doc['version'])?.slice(0, 20) ?? 'undefined'} (expected 1 or 2)`);
  const frameworks = doc['dependencies'] ?? {};
  if (!isRecord(frameworks)) return fatal('/dependencies is not an object of target frameworks');

  const keyLines = new ForwardLines(new LineIndex(text));
  const lineOfKey = (key: string): number | undefined => keyLines.next(`${JSON.stringify(key)}:`);

  const ids = new PackageIds();
  const found = new Map<string, Found>();
  const pending: { tfm: string; from: string; deps: string[] }[] = [];
  const resolvedIn = new Map<string, string>(); // `${tfm}\0${lower name}` → package id
  for (const tfm of Object.keys(frameworks)) {
    const section = frameworks[tfm];
    lineOfKey(tfm);
    if (!isRecord(section)) {
      warn(`/dependencies/${tfm}: not an object: skipped`);
      continue;
    }
    for (const name of Object.keys(section)) {
      const entry = section[name];
      const line = lineOfKey(name);
      if (!isRecord(entry)) {
        warn(`/dependencies/${tfm}/${name}: not an object: skipped`, line);
        continue;
      }
      const type = str(entry['type']) ?? '';
      const version = str(entry['resolved']) ?? '';
      if (!version && type !== 'Project') warn(`${name} in ${tfm} has no resolved version`, line);
      const key = `${name.toLowerCase()}@${version.toLowerCase()}`;
      let f = found.get(key);
      if (!f) {
        let p: string;
        try {
          p = purl('nuget', undefined, name, version);
        } catch {
          p = purl('nuget', undefined, name, undefined);
        }
        const hash = sha512(str(entry['contentHash']));
        f = {
          pkg: { id: ids.next(p), name, version, ecosystem: ECOSYSTEM, purl: p, location: { file: path, line }, ...(hash ? { hashes: [hash] } : {}) },
          direct: false,
          frameworks: [],
          types: new Set(),
        };
        found.set(key, f);
      }
      f.frameworks.push(tfm);
      f.types.add(type);
      if (type === 'Direct' || type === 'Project') f.direct = true;
      resolvedIn.set(`${tfm}\0${name.toLowerCase()}`, f.pkg.id);
      const deps = entry['dependencies'];
      if (isRecord(deps)) pending.push({ tfm, from: f.pkg.id, deps: Object.keys(deps) });
    }
  }

  const packages: Package[] = [];
  const edges: Edge[] = [];
  const seenEdge = new Set<string>();
  const edge = (from: string, to: string): void => {
    const k = `${from}\0${to}`;
    if (seenEdge.has(k)) return;
    seenEdge.add(k);
    edges.push({ from, to });
  };
  for (const f of found.values()) {
    const properties: Record<string, string> = { 'nuget:frameworks': f.frameworks.join(','), 'nuget:type': [...f.types].join(',') };
    packages.push({ ...f.pkg, direct: f.direct, properties });
    if (f.direct) edge('root', f.pkg.id);
  }
  for (const { tfm, from, deps } of pending) {
    for (const dep of deps) {
      const to = resolvedIn.get(`${tfm}\0${dep.toLowerCase()}`);
      if (to) edge(from, to);
    }
  }
  return { packages, edges, problems };
}
