/**
 * Elixir Mix `mix.lock`: an Elixir map literal from app name to a tuple, read with the small
 * term reader in ./term.ts (no JavaScript library reads Elixir terms; osv-scanner matches
 * lines with a regex). `{:hex, :name, "version", "inner checksum", managers, deps, "repo",
 * "outer checksum"}` is a Hex package (older locks stop after the version or the repo);
 * `{:git, "url", "commit", opts}` a git dependency (version '', the commit kept), as
 * osv-scanner reports both. The outer checksum (SHA-256 of the tarball) is the hash; the
 * inner one is kept as a property. Each hex entry's deps give the edges; which
 * dependencies are direct lives in mix.exs, so `direct` stays unknown. A malformed entry is
 * reported and skipped; the entries around it are kept.
 */
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { LineIndex } from '../../lines.js';
import { PackageIds, purl } from '../../purl.js';
import { isAtom, isTuple, TermError, TermReader, type Term } from './term.js';

export const MIX_LOCK_READER_ID = 'mix-lock';
const ECOSYSTEM = 'Hex';
const MAX_BYTES = 32 * 1024 * 1024;
const MAX_PROBLEMS = 100;

const str = (t: Term | undefined): string | undefined => (typeof t === 'string' ? t : undefined);
const atomName = (t: Term | undefined): string | undefined => (isAtom(t) ? t.atom : undefined);
const sha256 = (s: string | undefined): string | undefined => (s && /^[0-9a-f]{64}$/i.test(s) ? s.toLowerCase() : undefined);

/** The atom names a hex entry's dependency list refers to (`{:plug, "~> 1.0", [hex: :plug, …]}`). */
function depNames(deps: Term | undefined): string[] {
  if (!Array.isArray(deps)) return [];
  const out: string[] = [];
  for (const d of deps as readonly Term[]) {
    const name = isTuple(d) ? atomName(d.tuple[0]) : undefined;
    if (name) out.push(name);
  }
  return out;
}

export function parseMixLock(input: ReaderInput): ReadResult {
  const { path, text } = input;
  const problems: ReadProblem[] = [];
  const lines = new LineIndex(text);
  const problem = (severity: 'error' | 'warning', message: string, offset?: number): void => {
    if (problems.length < MAX_PROBLEMS) problems.push({ location: { file: path, line: offset === undefined ? undefined : lines.lineOf(offset) }, reader: MIX_LOCK_READER_ID, message, severity });
  };
  if (text.length > MAX_BYTES) return { packages: [], edges: [], problems: [{ location: { file: path }, reader: MIX_LOCK_READER_ID, message: `mix.lock is ${text.length} characters, over the ${MAX_BYTES} limit`, severity: 'error' }] };
  if (text.trim() === '') return { packages: [], edges: [], problems };

  const reader = new TermReader(text);
  try {
    reader.expect('%{');
  } catch {
    return { packages: [], edges: [], problems: [{ location: { file: path, line: 1 }, reader: MIX_LOCK_READER_ID, message: 'not a mix.lock: expected an Elixir map starting with %{', severity: 'error' }] };
  }

  const ids = new PackageIds();
  const packages: Package[] = [];
  const deps: string[][] = [];
  const byApp = new Map<string, string>();
  const add = (key: Term, value: Term, at: number): void => {
    const app = str(key) ?? atomName(key);
    if (!app) return problem('warning', 'entry key is not a string or atom: skipped', at);
    const t = isTuple(value) ? value.tuple : undefined;
    const kind = atomName(t?.[0]);
    let name = app;
    let version = '';
    let commit: string | undefined;
    const properties: Record<string, string> = {};
    let hash: string | undefined;
    let qualifiers: Record<string, string | undefined> = {};
    if (kind === 'hex' && t) {
      name = atomName(t[1]) ?? app;
      version = str(t[2]) ?? '';
      if (!version) problem('warning', `${app}: hex entry without a version string`, at);
      const inner = str(t[3]);
      const repo = str(t[6]);
      hash = sha256(str(t[7]));
      if (inner) properties['hex:innerChecksum'] = inner;
      if (repo) properties['hex:repo'] = repo;
      if (repo && repo !== 'hexpm') qualifiers = { repository_url: repo };
      deps.push(depNames(t[5]));
    } else if (kind === 'git' && t) {
      const url = str(t[1]);
      commit = str(t[2]);
      if (url) properties['mix:git'] = url;
      if (url && commit) qualifiers = { vcs_url: `git+${url}@${commit}` };
      deps.push([]);
    } else {
      return problem('warning', `${app}: unknown lock entry ${kind ? `:${kind}` : '(not a tuple starting with an atom)'}: skipped`, at);
    }
    if (name !== app) properties['mix:app'] = app;
    let p: string;
    try {
      p = purl('hex', undefined, name, version, qualifiers);
    } catch {
      p = purl('generic', undefined, name, version);
    }
    const id = ids.next(p);
    if (!byApp.has(app)) byApp.set(app, id);
    packages.push({
      id,
      name,
      version,
      ecosystem: ECOSYSTEM,
      purl: p,
      location: { file: path, line: lines.lineOf(at) },
      ...(commit ? { commit } : {}),
      ...(hash ? { hashes: [{ alg: 'SHA-256', content: hash }] } : {}),
      properties,
    });
  };

  for (;;) {
    let next: string;
    try {
      next = reader.peek();
    } catch {
      next = '';
    }
    if (next === '}') break;
    if (next === '') {
      problem('error', 'the map is not closed with }', text.length);
      break;
    }
    reader.skip();
    const at = reader.pos;
    try {
      const [key, value] = reader.entry();
      add(key, value, at);
      if (reader.peek() === ',') reader.pos++;
      else if (reader.peek() !== '}') reader.fail('expected "," or "}" after an entry');
    } catch (err) {
      if (!(err instanceof TermError)) throw err;
      problem('error', `malformed entry skipped: ${err.message}`, err.offset);
      // Resume at the next line that starts an entry ("name": …) or closes the map.
      let pos = text.indexOf('\n', Math.max(err.offset, at));
      while (pos !== -1) {
        const line = text.slice(pos + 1, pos + 200).trimStart();
        if (line.startsWith('"') || line.startsWith('}')) break;
        pos = text.indexOf('\n', pos + 1);
      }
      if (pos === -1) break;
      reader.pos = pos + 1;
    }
  }

  const edges: Edge[] = [];
  packages.forEach((p, k) => {
    for (const dep of deps[k] ?? []) {
      const to = byApp.get(dep);
      if (to) edges.push({ from: p.id, to });
    }
  });
  return { packages, edges, problems };
}
