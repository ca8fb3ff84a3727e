/**
 * uv `uv.lock`: TOML, read with the TOML parser of ../../toml (tested against smol-toml).
 * Every `[[package]]` is a locked distribution with a `source` (registry, git, url, path,
 * directory, editable or virtual). The project itself and its workspace members
 * (`editable`/`virtual` sources, `[manifest] members`) are not packages: their `dependencies`
 * are the direct runtime dependencies, their `optional-dependencies` (extras) and
 * `dev-dependencies` (PEP 735 groups) the direct optional and development ones, whose group
 * names go into `groups`. Scope is what the package is reachable from, following
 * `dependencies` and the extras a reference asks for (prod before optional before dev).
 */
import { firstIssue } from '../../../core/json-input.js';
import type { ReaderInput } from '../../reader.js';
import type { ReadResult, Scope } from '../../model.js';
import { addGroup, draft, NameIndex, ROOT_ID, type PypiDraft, type PypiResultBuilder } from '../pypi-shared/build.js';
import { isTable, str } from '../../../core/toml-input.js';
import { readLockTables } from '../pypi-shared/lock-toml.js';
import { normalizePypiName } from '../pypi-shared/names.js';

import { isPlainUvPackage, uvPackageSchema, type UvDependency, type UvPackage } from './schema.js';

export const READER_ID = 'uv-lock';

interface Entry {
  readonly pkg: UvPackage;
  readonly line: number | undefined;
  readonly root: boolean;
  /** Position among the entries (a key for walks). */
  readonly pos: number;
  /** Draft index for a non-root package. */
  draftIndex: number;
}

export function parseUvLock(input: ReaderInput): ReadResult {
  const read = readLockTables(input, READER_ID, 'package');
  if (!read.ok) return read.result;
  const { doc, out, list, lines } = read;
  const members = workspaceMembers(doc['manifest']);

  const entries: Entry[] = [];
  list.forEach((raw, i) => {
    let pkg: UvPackage;
    if (isPlainUvPackage(raw)) pkg = raw;
    else {
      const r = uvPackageSchema.safeParse(raw);
      if (!r.success) {
        out.problem(`package entry skipped: ${firstIssue(r.error, ['package', i]).reason}`, lines[i]);
        return;
      }
      pkg = r.data;
    }
    const source = pkg.source ?? {};
    const root = 'virtual' in source || 'editable' in source || members.has(normalizePypiName(pkg.name));
    const entry: Entry = { pkg, line: lines[i], root, pos: entries.length, draftIndex: -1 };
    if (!root) entry.draftIndex = out.add(toDraft(pkg, input.path, lines[i]));
    entries.push(entry);
  });

  const index = new NameIndex(entries.map((e) => ({ name: e.pkg.name, version: e.pkg.version ?? '' })));
  // Each reference is resolved once, though the edges and the three scope walks all follow it.
  const resolved = new Map<UvDependency, Entry[]>();
  const resolve = (dep: UvDependency): Entry[] => {
    let targets = resolved.get(dep);
    if (targets === undefined) {
      targets = index.resolve(dep.name, dep.version).map((i) => entries[i]!);
      resolved.set(dep, targets);
    }
    return targets;
  };
  linkAndScope(entries, resolve, out);
  return out.finish();
}

function toDraft(pkg: UvPackage, file: string, line: number | undefined): PypiDraft {
  const source = pkg.source ?? {};
  const git = str(source['git']);
  const hashAt = git?.lastIndexOf('#') ?? -1;
  const commit = git !== undefined && hashAt !== -1 ? git.slice(hashAt + 1) : undefined;
  const repo = git !== undefined ? (hashAt === -1 ? git : git.slice(0, hashAt)) : undefined;
  const [sourceType, sourceValue] = Object.entries(source)[0] ?? [];
  const d = draft({
    name: pkg.name,
    version: pkg.version ?? '',
    file,
    line,
    commit,
    vcsUrl: repo !== undefined ? `git+${repo.split('?', 1)[0]}${commit ? `@${commit}` : ''}` : undefined,
    properties: { sourceType, sourceUrl: typeof sourceValue === 'string' ? sourceValue : undefined },
  });
  if (pkg.sdist?.hash !== undefined) d.hashes.addText(pkg.sdist.hash);
  for (const w of pkg.wheels ?? []) {
    const hash = isTable(w) ? str(w['hash']) : undefined;
    if (hash !== undefined) d.hashes.addText(hash);
  }
  return d;
}

function workspaceMembers(manifest: unknown): Set<string> {
  const members = isTable(manifest) && Array.isArray(manifest['members']) ? manifest['members'] : [];
  return new Set(members.filter((m): m is string => typeof m === 'string').map(normalizePypiName));
}

/**
 * Edges (root → direct deps, package → its deps and the deps of the extras it is asked for),
 * direct flags, groups and scopes. Each scope is a breadth-first walk over (package, extra)
 * states, so the work is linear in the size of the graph.
 */
function linkAndScope(entries: readonly Entry[], resolve: (dep: UvDependency) => Entry[], out: PypiResultBuilder): void {
  const roots = entries.filter((e) => e.root);
  const drafts = out.drafts;
  const starts: Record<'prod' | 'optional' | 'dev', UvDependency[]> = { prod: [], optional: [], dev: [] };

  for (const root of roots) {
    for (const dep of root.pkg.dependencies ?? []) starts.prod.push(dep);
    for (const [kind, groups] of [['optional', root.pkg['optional-dependencies']], ['dev', root.pkg['dev-dependencies']]] as const) {
      for (const [group, deps] of Object.entries(groups ?? {})) {
        for (const dep of deps) {
          starts[kind].push(dep);
          for (const target of resolve(dep)) if (!target.root) addGroup(drafts[target.draftIndex]!.groups, group);
        }
      }
    }
  }
  for (const d of drafts) d.groups.sort();
  if (roots.length > 0) {
    for (const d of drafts) d.direct = false;
    for (const dep of [...starts.prod, ...starts.optional, ...starts.dev]) {
      for (const target of resolve(dep)) {
        if (target.root) continue;
        drafts[target.draftIndex]!.direct = true;
        out.edge(ROOT_ID, target.draftIndex);
      }
    }
  }

  // Package → package edges: plain dependencies and those of every extra the package declares.
  for (const e of entries) {
    if (e.root) continue;
    const deps = [...(e.pkg.dependencies ?? []), ...Object.values(e.pkg['optional-dependencies'] ?? {}).flat()];
    for (const dep of deps) for (const target of resolve(dep)) if (!target.root) out.edge(e.draftIndex, target.draftIndex);
  }

  for (const scope of ['prod', 'optional', 'dev'] as const satisfies readonly Scope[]) walk(starts[scope], scope, resolve, out);
}

function walk(start: readonly UvDependency[], scope: Scope, resolve: (dep: UvDependency) => Entry[], out: PypiResultBuilder): void {
  // States are (entry, extra): plain states by entry position, extra states by a string key.
  const seenPlain = new Set<number>();
  const seenExtra = new Set<string>();
  const queue: [Entry, string][] = [];
  const enqueue = (target: Entry, extra: string): void => {
    if (extra === '') {
      if (seenPlain.has(target.pos)) return;
      seenPlain.add(target.pos);
    } else {
      const key = `${target.pos}|${extra}`;
      if (seenExtra.has(key)) return;
      seenExtra.add(key);
    }
    queue.push([target, extra]);
  };
  const visit = (dep: UvDependency): void => {
    for (const target of resolve(dep)) {
      enqueue(target, '');
      for (const x of dep.extra ?? []) enqueue(target, x);
    }
  };
  start.forEach(visit);
  for (let head = 0; head < queue.length; head++) {
    const [entry, extra] = queue[head]!;
    if (!entry.root) out.drafts[entry.draftIndex]!.scope ??= scope;
    const deps = extra === '' ? (entry.pkg.dependencies ?? []) : (entry.pkg['optional-dependencies']?.[extra] ?? []);
    deps.forEach(visit);
  }
}
