/**
 * Ruby Bundler `Gemfile.lock`. Hand-written line reader (no maintained JavaScript parser;
 * the format is Bundler's own indentation-based text): source sections `GEM`, `GIT`, `PATH`
 * and `PLUGIN SOURCE` list specs at four spaces (`name (version[-platform])`) and each spec's
 * own dependencies at six; `DEPENDENCIES` names the direct ones (`name!` = from a git or path
 * source); `CHECKSUMS` (Bundler 2.5+) gives SHA-256 sums. As osv-scanner does, the platform
 * suffix is cut from the version (`1.13.3-x86_64-linux` → `1.13.3`) and kept as the purl's
 * `platform` qualifier; a gem listed for several platforms is one package.
 */
import type { Edge, Hash, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { PackageIds, purl } from '../../purl.js';

export const GEMFILE_LOCK_READER_ID = 'gemfile-lock';
const ECOSYSTEM = 'RubyGems';
const SOURCE_SECTIONS = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE']);
const MAX_WARNINGS = 100;
const OTHER_SECTIONS = new Set(['PLATFORMS', 'DEPENDENCIES', 'RUBY VERSION', 'BUNDLED WITH', 'CHECKSUMS']);

interface Spec {
  readonly name: string;
  readonly version: string;
  readonly platforms: string[];
  readonly source: string;
  readonly remote: string | undefined;
  readonly commit: string | undefined;
  readonly line: number;
  readonly deps: string[];
}

/** `name (1.2.3-x86_64-linux)` → name, version, platform; `name` alone → version ''. */
export function splitSpec(text: string): { name: string; version: string; platform: string | undefined } {
  const open = text.indexOf(' (');
  if (open === -1 || !text.endsWith(')')) return { name: text.replace(/!$/, ''), version: '', platform: undefined };
  const inside = text.slice(open + 2, -1);
  const dash = inside.indexOf('-');
  return { name: text.slice(0, open), version: dash === -1 ? inside : inside.slice(0, dash), platform: dash === -1 ? undefined : inside.slice(dash + 1) };
}

const indentOf = (line: string): number => {
  let i = 0;
  while (line.charCodeAt(i) === 0x20) i++;
  return i;
};

function checksumHashes(fields: readonly string[]): Hash[] {
  const hashes: Hash[] = [];
  for (const field of fields.join(' ').split(/[,\s]+/)) {
    const eq = field.indexOf('=');
    if (eq === -1) continue;
    const alg = field.slice(0, eq).toLowerCase();
    const value = field.slice(eq + 1);
    if (alg === 'sha256' && /^[0-9a-f]{64}$/i.test(value)) hashes.push({ alg: 'SHA-256', content: value.toLowerCase() });
    else if (alg === 'sha512' && /^[0-9a-f]{128}$/i.test(value)) hashes.push({ alg: 'SHA-512', content: value.toLowerCase() });
  }
  return hashes;
}

export function parseGemfileLock(input: ReaderInput): ReadResult {
  const { path, text } = input;
  const problems: ReadProblem[] = [];
  const specs: Spec[] = [];
  const direct = new Set<string>();
  const checksums = new Map<string, Hash[]>();
  let sawDependencies = false;
  let section: string | undefined;
  let source: { kind: string; remote?: string; commit?: string } = { kind: '' };
  let current: Spec | undefined;
  let recognised = 0;
  let unknown: { line: number; text: string } | undefined;
  let oddLines = 0;

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    const lineNo = i + 1;
    if (line.trim() === '') continue;
    const indent = indentOf(line);
    if (indent === 0) {
      section = line.trim();
      current = undefined;
      if (SOURCE_SECTIONS.has(section)) {
        source = { kind: section };
        recognised++;
      } else if (OTHER_SECTIONS.has(section)) {
        recognised++;
        if (section === 'DEPENDENCIES') sawDependencies = true;
      } else {
        unknown ??= { line: lineNo, text: line.slice(0, 60) };
      }
      continue;
    }
    if (section === undefined) continue;
    const body = line.slice(indent);
    if (SOURCE_SECTIONS.has(section)) {
      if (indent === 2) {
        const colon = body.indexOf(': ');
        const key = colon === -1 ? body : body.slice(0, colon);
        const value = colon === -1 ? '' : body.slice(colon + 2).trim();
        if (key === 'remote' && source.remote === undefined) source.remote = value;
        else if (key === 'revision') source.commit = value;
      } else if (indent === 4) {
        const { name, version, platform } = splitSpec(body.trim());
        current = { name, version, platforms: platform ? [platform] : [], source: source.kind, remote: source.remote, commit: source.commit, line: lineNo, deps: [] };
        specs.push(current);
      } else if (indent === 6 && current) {
        current.deps.push(splitSpec(body.trim()).name);
      } else {
        if (++oddLines <= MAX_WARNINGS) problems.push({ location: { file: path, line: lineNo }, reader: GEMFILE_LOCK_READER_ID, message: `unexpected indentation (${indent} spaces) in ${section}: line skipped`, severity: 'warning' });
      }
    } else if (section === 'DEPENDENCIES' && indent === 2) {
      direct.add(splitSpec(body.trim()).name);
    } else if (section === 'CHECKSUMS' && indent === 2) {
      const close = body.indexOf(') ');
      if (close === -1) continue;
      const { name, version, platform } = splitSpec(body.slice(0, close + 1));
      const hashes = checksumHashes(body.slice(close + 2).split(' '));
      const key = `${name}@${version}`;
      if (hashes.length && (!checksums.has(key) || platform === undefined)) checksums.set(key, hashes);
    }
  }

  if (recognised === 0 && unknown) {
    return { packages: [], edges: [], problems: [{ location: { file: path, line: unknown.line }, reader: GEMFILE_LOCK_READER_ID, message: `not a Gemfile.lock: no section header such as GEM or DEPENDENCIES (first line: "${unknown.text}")`, severity: 'error' }] };
  }
  if (oddLines > MAX_WARNINGS) problems.push({ location: { file: path }, reader: GEMFILE_LOCK_READER_ID, message: `${oddLines - MAX_WARNINGS} more lines with unexpected indentation not shown`, severity: 'warning' });
  if (unknown) problems.push({ location: { file: path, line: unknown.line }, reader: GEMFILE_LOCK_READER_ID, message: `unknown section "${unknown.text}": skipped`, severity: 'warning' });

  // Same gem and version in two places (platform variants, two sections): one package.
  const unique: Spec[] = [];
  const seen = new Map<string, Spec>();
  for (const s of specs) {
    const key = `${s.name}@${s.version}`;
    const first = seen.get(key);
    if (first) {
      first.platforms.push(...s.platforms);
      first.deps.push(...s.deps);
    } else {
      seen.set(key, s);
      unique.push(s);
    }
  }

  const ids = new PackageIds();
  const packages: Package[] = [];
  const byName = new Map<string, string>();
  for (const s of unique) {
    const platforms = [...new Set(s.platforms)];
    let p: string;
    try {
      p = purl('gem', undefined, s.name, s.version, { platform: platforms.length === 1 ? platforms[0] : undefined });
    } catch {
      p = purl('gem', undefined, s.name, undefined);
    }
    const properties: Record<string, string> = { 'bundler:source': s.source };
    if (s.remote) properties['bundler:remote'] = s.remote;
    if (platforms.length) properties['bundler:platforms'] = platforms.join(',');
    const hashes = checksums.get(`${s.name}@${s.version}`);
    const id = ids.next(p);
    if (!byName.has(s.name)) byName.set(s.name, id);
    packages.push({
      id,
      name: s.name,
      version: s.version,
      ecosystem: ECOSYSTEM,
      purl: p,
      ...(sawDependencies ? { direct: direct.has(s.name) } : {}),
      location: { file: path, line: s.line },
      ...(s.commit && s.source === 'GIT' ? { commit: s.commit } : {}),
      ...(hashes ? { hashes } : {}),
      properties,
    });
  }

  const edges: Edge[] = [];
  for (const name of direct) {
    const to = byName.get(name);
    if (to) edges.push({ from: 'root', to });
    else problems.push({ location: { file: path }, reader: GEMFILE_LOCK_READER_ID, message: `DEPENDENCIES names ${name}, which no source section lists`, severity: 'warning' });
  }
  packages.forEach((p, k) => {
    for (const dep of new Set(unique[k]!.deps)) {
      const to = byName.get(dep);
      // Gems Bundler provides itself (bundler, and default gems on some platforms) have no spec.
      if (to) edges.push({ from: p.id, to });
    }
  });
  return { packages, edges, problems };
}
