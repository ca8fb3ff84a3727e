/**
 * pnpm `pnpm-lock.yaml`, lockfileVersion 5.x (`/name/1.0.0_peer@2.0.0`), 6.x
 * (`/name@1.0.0(peer@2.0.0)`) and 9.x (`packages` without peers + `snapshots` with them,
 * no leading `/`). YAML, read with the core `readYamlText` under the failsafe schema (every
 * scalar the string written) through npm-shared/yaml-doc.ts, which also notes key lines.
 *
 * One package per name@version (+ commit or tarball): the peer-dependency variants of a
 * package are one piece of software, and their edges are merged. `importers` (or the
 * top-level sections of a single-project v5 lockfile) give the direct dependencies; other
 * workspace importers become packages flagged with their folder. Scope comes from the v5/v6
 * `dev` flags where present, otherwise it is propagated from the importers' sections.
 */
import type { ReadResult, Scope } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { LockGraph, type DepKind, type NodeRef } from '../npm-shared/graph.js';
import { isRecord, isTrue, readSiblingManifest, readWorkspaceManifest, text } from '../npm-shared/input.js';
import { lastDocument, readLockYaml } from '../npm-shared/yaml-doc.js';
import { integrityHashes, joinPath, looksLikePackageName, redactUrl, splitNameAt, tryExtractCommit } from '../npm-shared/spec.js';

export const PNPM_LOCK_READER_ID = 'pnpm-lock';

const SECTIONS: readonly [string, DepKind][] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
];

const PACKAGE_SECTIONS = ['dependencies', 'optionalDependencies'] as const;

interface Group {
  index: number;
  variants: number;
  devTrue: number;
  devFalse: number;
  optional: number;
}

export function parsePnpmLock(input: ReaderInput): ReadResult {
  const g = new LockGraph(input.path, PNPM_LOCK_READER_ID);
  // pnpm 10 may write its own "env" lockfile as a first YAML document: the project's is the last.
  const { text: body, lineOffset } = lastDocument(input.text);
  const parsed = readLockYaml(body);
  if (!parsed.ok) return fail(g, `could not extract from ${input.path}: ${parsed.reason}`);
  const doc = lineOffset === 0 ? parsed : { ...parsed, lineOf: (map: object, key: string) => offsetLine(parsed.lineOf(map, key), lineOffset) };
  // An empty file (or one holding only comments) is an empty lockfile.
  if (doc.value === null || doc.value === undefined) return g.finish({ knowsDirect: true, propagateScope: false });
  if (!isRecord(doc.value)) return fail(g, `could not extract from ${input.path}: expected a YAML mapping at the top level`);
  const lock = doc.value;
  const major = Number.parseFloat(text(lock['lockfileVersion']) ?? '');
  if (Number.isNaN(major)) g.problem('lockfileVersion is missing or not a number; read as version 5', 'warning');
  else if (major >= 10) g.problem(`lockfileVersion ${major} is newer than this reader knows (9); read as version 9`, 'warning');
  const slashPaths = Number.isNaN(major) || major < 6;

  const packages = isRecord(lock['packages']) ? lock['packages'] : {};
  const snapshots = isRecord(lock['snapshots']) ? lock['snapshots'] : undefined;
  const byPath = new Map<string, number>();
  const groups = new Map<string, Group>();
  for (const [key, entry] of Object.entries(packages)) {
    const line = doc.lineOf(packages, key);
    if (!isRecord(entry)) {
      g.problem(`packages entry "${key}" is not a mapping; skipped`, 'warning', line);
      continue;
    }
    const found = identify(key, entry, slashPaths);
    if (found.name === '') {
      g.problem(`packages entry "${key}" has no package name; skipped`, 'warning', line);
      continue;
    }
    const resolution = isRecord(entry['resolution']) ? entry['resolution'] : {};
    const tarball = text(resolution['tarball']) ?? '';
    const commit = text(resolution['commit']) || tryExtractCommit(tarball);
    const remote = tarball !== '' && !isRegistryTarball(tarball) ? tarball : undefined;
    // Peer variants of one package share name, version and source: one package for all of them.
    const identity = `${found.name}@${found.version}#${commit || remote || ''}`;
    let grp = groups.get(identity);
    if (!grp) {
      const resolved = text(resolution['repo']) ?? remote;
      grp = {
        index: g.add({
          name: found.name,
          version: found.version,
          line,
          commit,
          hashes: integrityHashes(resolution['integrity']),
          properties: resolved ? { resolved: redactUrl(resolved) } : undefined,
        }),
        variants: 0,
        devTrue: 0,
        devFalse: 0,
        optional: 0,
      };
      groups.set(identity, grp);
    }
    grp.variants++;
    if (isTrue(entry['dev'])) grp.devTrue++;
    else if (entry['dev'] === false || entry['dev'] === 'false') grp.devFalse++;
    if (isTrue(entry['optional'])) grp.optional++;
    byPath.set(key, grp.index);
  }
  applyFlags(g, groups);

  // v9: installed instances (with peers) in `snapshots`, keyed to their `packages` entry.
  if (snapshots) {
    for (const key of Object.keys(snapshots)) {
      if (byPath.has(key)) continue;
      const base = stripPeers(key);
      const index = byPath.get(base);
      if (index !== undefined) byPath.set(key, index);
      else {
        const found = identify(key, {}, false);
        if (found.name !== '') byPath.set(key, g.add({ name: found.name, version: found.version, line: doc.lineOf(snapshots, key) }));
      }
    }
  }

  const importers = isRecord(lock['importers']) ? lock['importers'] : { '.': lock };
  const workspaces = new Map<string, number>();
  const linkedAs = linkNames(importers);
  for (const path of Object.keys(importers)) {
    if (path === '.' || path === '') continue;
    const manifest = readWorkspaceManifest(input, path);
    const name = manifest?.name ?? linkedAs.get(path) ?? path.slice(path.lastIndexOf('/') + 1);
    workspaces.set(path, g.add({ name, version: manifest?.version ?? '', line: doc.lineOf(importers, path), workspace: path }));
  }
  // A workspace that depends on the root project (`link:../..`) needs the root as a package too.
  let rootProject: number | undefined;
  if (linkedAs.has('')) {
    const manifest = readSiblingManifest(input);
    rootProject = g.add({ name: manifest?.name ?? linkedAs.get('')!, version: manifest?.version ?? '', workspace: '.' });
    workspaces.set('', rootProject);
  }

  // The key a dependency reference names, in this lockfile version's form first.
  const resolveRef = (name: string, ref: string, fromDir: string): number | undefined => {
    if (ref.startsWith('link:')) return workspaces.get(joinPath(fromDir, ref.slice(5)));
    const first = slashPaths ? byPath.get(`/${name}/${ref}`) : major < 9 ? byPath.get(`/${name}@${ref}`) : byPath.get(`${name}@${ref}`);
    return first ?? byPath.get(ref) ?? byPath.get(`/${ref}`) ?? byPath.get(`/${name}@${ref}`) ?? byPath.get(`${name}@${ref}`);
  };

  let unresolved = 0;
  let example = '';
  const miss = (from: string, name: string): void => {
    unresolved++;
    example ||= `${from} → ${name}`;
  };
  for (const [path, importer] of Object.entries(importers)) {
    if (!isRecord(importer)) continue;
    const from: NodeRef = path === '.' || path === '' ? 'root' : workspaces.get(path)!;
    const dir = from === 'root' ? '' : path;
    for (const [section, kind] of SECTIONS) {
      const deps = importer[section];
      if (!isRecord(deps)) continue;
      for (const [name, value] of Object.entries(deps)) {
        const ref = isRecord(value) ? text(value['version']) : text(value);
        if (ref === undefined) continue;
        const to = resolveRef(name, ref, dir);
        if (to === undefined) miss(path, name);
        else {
          g.projectEdge(from, to, kind);
          if (from === 'root' && rootProject !== undefined) g.edge(rootProject, to, kind === 'optional');
        }
      }
    }
  }
  const edgesFrom = snapshots ?? packages;
  for (const [key, entry] of Object.entries(edgesFrom)) {
    const from = byPath.get(key);
    if (from === undefined || !isRecord(entry)) continue;
    for (const section of PACKAGE_SECTIONS) {
      const deps = entry[section];
      if (!isRecord(deps)) continue;
      for (const [name, value] of Object.entries(deps)) {
        const ref = text(value);
        const to = ref === undefined ? undefined : resolveRef(name, ref, '');
        if (to !== undefined) g.edge(from, to, section === 'optionalDependencies');
        else if (section === 'dependencies') miss(key, name);
      }
    }
  }
  if (unresolved > 0) g.problem(`${unresolved} dependenc${unresolved === 1 ? 'y is' : 'ies are'} not in the lockfile (first: ${example})`, 'warning');
  return g.finish({ knowsDirect: true, propagateScope: true });
}

/** Importer folder → the name another importer depends on it by (`name: link:../folder`). */
function linkNames(importers: Record<string, unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, importer] of Object.entries(importers)) {
    if (!isRecord(importer)) continue;
    const dir = path === '.' ? '' : path;
    for (const [section] of SECTIONS) {
      const deps = importer[section];
      if (!isRecord(deps)) continue;
      for (const [name, value] of Object.entries(deps)) {
        const ref = isRecord(value) ? text(value['version']) : text(value);
        if (ref?.startsWith('link:')) {
          const target = joinPath(dir, ref.slice(5));
          if (!out.has(target)) out.set(target, name);
        }
      }
    }
  }
  return out;
}

function fail(g: LockGraph, message: string): ReadResult {
  g.problem(message, 'error');
  return { packages: [], edges: [], problems: g.problems };
}

const offsetLine = (line: number | undefined, offset: number): number | undefined => (line === undefined ? undefined : line + offset);

const isRegistryTarball = (url: string): boolean => url.includes('registry.npmjs.org/') || url.includes('registry.yarnpkg.com/');

/** v5/v6 `dev`/`optional` flags, merged over a package's peer variants, as scope and groups. */
function applyFlags(g: LockGraph, groups: Map<string, Group>): void {
  for (const grp of groups.values()) {
    if (grp.devTrue + grp.devFalse + grp.optional === 0) continue;
    const devOnly = grp.devTrue === grp.variants;
    const flagged = grp.devTrue + grp.devFalse === grp.variants;
    const optional = grp.optional === grp.variants;
    const names = [...(devOnly ? ['dev'] : []), ...(optional ? ['optional'] : [])];
    const scope: Scope | undefined = !flagged ? undefined : devOnly ? 'dev' : optional ? 'optional' : 'prod';
    const d = g.drafts[grp.index]!;
    g.drafts[grp.index] = { ...d, scope, groups: names.length > 0 ? names : undefined };
  }
}

/** `name@1.0.0(peer@2.0.0)(…)` → `name@1.0.0`. */
function stripPeers(key: string): string {
  const paren = key.indexOf('(');
  return paren > 0 ? key.slice(0, paren) : key;
}

/**
 * Name and version of a `packages` key, overridden by the entry's own `name`/`version`
 * (present for git, tarball and directory dependencies, whose keys hold no version).
 */
function identify(key: string, entry: Record<string, unknown>, slashPaths: boolean): { name: string; version: string } {
  let name = '';
  let version = '';
  let trusted = false;
  let k = key.startsWith('/') ? key.slice(1) : key;
  if (!k.startsWith('file:') && !k.startsWith('link:')) {
    k = stripPeers(k);
    const scoped = k.startsWith('@');
    const segs = slashPaths ? k.split('/') : [];
    if (slashPaths && segs.length >= (scoped ? 3 : 2)) {
      name = scoped ? `${segs[0]}/${segs[1]}` : segs[0]!;
      version = (scoped ? segs[2] : segs[1]) ?? '';
      const underscore = version.indexOf('_');
      if (underscore !== -1) version = version.slice(0, underscore);
      trusted = /^\d/.test(version);
    } else {
      [name, version] = splitNameAt(k);
      trusted = version !== '' && looksLikePackageName(name);
    }
    // Keys of git, tarball and directory dependencies hold a URL or path, not a version.
    if (!/^\d/.test(version)) version = '';
  }
  return { name: text(entry['name']) ?? (trusted ? name : ''), version: text(entry['version']) ?? version };
}
