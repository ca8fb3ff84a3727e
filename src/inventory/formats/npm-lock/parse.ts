/**
 * npm `package-lock.json` / `npm-shrinkwrap.json`, lockfileVersion 1, 2 and 3. JSON, parsed
 * with JSON.parse behind the core size and nesting guards (see npm-shared/input.ts).
 *
 * - v2/v3: the `packages` map keyed by install path (`node_modules/a/node_modules/b`,
 *   workspace folders `packages/b`). `name` is the real name of an `npm:` alias; `link: true`
 *   entries stand for their `resolved` target and are not packages themselves; `dev`,
 *   `optional`, `devOptional`, `peer`, `inBundle` become groups and scope. Edges come from
 *   each entry's dependency maps, resolved the way Node looks modules up. Direct = listed by
 *   the root entry `packages[""]` or by a workspace.
 * - v1: the nested `dependencies` tree (v1.ts); direct dependencies come from package.json.
 */
import { LineIndex } from '../../lines.js';
import type { ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { LockGraph, type DepKind, type NodeRef } from '../npm-shared/graph.js';
import { isRecord, isTrue, parseJsonText, readSiblingManifest, text } from '../npm-shared/input.js';
import { nameFromPath, v2Draft } from './entry.js';
import { readDependencyTree } from './v1.js';
import { workspaceMatcher } from './workspaces.js';

export const NPM_LOCK_READER_ID = 'npm-lock';

export function parseNpmLock(input: ReaderInput): ReadResult {
  const g = new LockGraph(input.path, NPM_LOCK_READER_ID);
  const parsed = parseJsonText(input.text);
  if (!parsed.ok) return fail(g, `could not extract from ${input.path}: ${parsed.reason}`);
  const doc = parsed.value;
  if (!isRecord(doc)) return fail(g, `could not extract from ${input.path}: expected a JSON object at the top level`);
  const version = doc['lockfileVersion'];
  if (typeof version === 'number' && version > 3) g.problem(`lockfileVersion ${version} is newer than this reader knows (3); read as version 3`, 'warning');
  const lines = new LineIndex(input.text);
  const packages = doc['packages'];
  const dependencies = doc['dependencies'];
  if (isRecord(packages)) {
    const knowsDirect = readPackages(packages, g, lines, input);
    return g.finish({ knowsDirect, propagateScope: false });
  }
  if (packages !== undefined) return fail(g, `could not extract from ${input.path}: /packages is not an object`);
  if (isRecord(dependencies)) {
    const manifest = readSiblingManifest(input);
    readDependencyTree(dependencies, g, lines, manifest, input.text);
    return g.finish({ knowsDirect: manifest !== undefined, propagateScope: false });
  }
  if (dependencies !== undefined) return fail(g, `could not extract from ${input.path}: /dependencies is not an object`);
  return g.finish({ knowsDirect: true, propagateScope: false });
}

function fail(g: LockGraph, message: string): ReadResult {
  g.problem(message, 'error');
  return { packages: [], edges: [], problems: g.problems };
}

const PACKAGE_FIELDS: readonly [string, DepKind][] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
];
const PROJECT_FIELDS: readonly [string, DepKind][] = [...PACKAGE_FIELDS, ['devDependencies', 'dev']];

/** An install path outside any node_modules folder: the root, a workspace or a local (`file:`) folder. */
const isFolder = (path: string): boolean => !path.startsWith('node_modules/') && !path.includes('/node_modules/');

/** Reads the `packages` map; returns whether the root's own dependencies were known. */
function readPackages(packages: Record<string, unknown>, g: LockGraph, lines: LineIndex, input: ReaderInput): boolean {
  const root = isRecord(packages['']) ? packages[''] : undefined;
  const ws = root?.['workspaces'];
  const patterns = Array.isArray(ws) ? ws : isRecord(ws) && Array.isArray(ws['packages']) ? ws['packages'] : [];
  const isWorkspace = workspaceMatcher(patterns.filter((p): p is string => typeof p === 'string'));
  const byPath = new Map<string, number>();
  const links = new Map<string, string>();
  const entries = Object.entries(packages);
  // A link target without a `name` (a `file:` folder outside the tree) is named as it is installed.
  const linkedAs = new Map<string, string>();
  for (const [path, entry] of entries) {
    if (isRecord(entry) && isTrue(entry['link'])) {
      const target = text(entry['resolved']);
      if (target !== undefined && !linkedAs.has(target)) linkedAs.set(target, nameFromPath(path));
    }
  }
  let cursor = Math.max(0, input.text.indexOf('"packages"'));
  for (const [path, entry] of entries) {
    if (path === '') continue;
    const hit = lines.find(`${JSON.stringify(path)}:`, cursor);
    if (hit) cursor = hit.offset + 1;
    if (!isRecord(entry)) {
      g.problem(`/packages/${path} is not an object; skipped`, 'warning', hit?.line);
      continue;
    }
    if (isTrue(entry['link'])) {
      links.set(path, text(entry['resolved']) ?? '');
      continue;
    }
    const workspace = isFolder(path) && isWorkspace(path) ? path : undefined;
    byPath.set(path, g.add(v2Draft(path, entry, hit?.line, workspace, linkedAs.get(path))));
  }

  const lookup = (path: string): number | undefined => {
    const hit = byPath.get(path);
    if (hit !== undefined) return hit;
    const target = links.get(path);
    return target === undefined ? undefined : byPath.get(target);
  };
  const resolve = (from: string, name: string): number | undefined => {
    for (let base = from; ; ) {
      const hit = lookup(base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`);
      if (hit !== undefined || base === '') return hit;
      const up = base.lastIndexOf('/node_modules/');
      base = up === -1 ? '' : base.slice(0, up);
    }
  };

  let unresolved = 0;
  let example = '';
  const link = (from: NodeRef, fromPath: string, entry: Record<string, unknown>, project: boolean): void => {
    // Only projects (root, workspaces) get their devDependencies installed.
    for (const [field, kind] of project ? PROJECT_FIELDS : PACKAGE_FIELDS) {
      const deps = entry[field];
      if (!isRecord(deps)) continue;
      for (const name in deps) {
        const to = resolve(fromPath, name);
        if (to === undefined) {
          if (kind === 'prod' || (kind === 'dev' && from === 'root')) {
            unresolved++;
            example ||= `${from === 'root' ? 'the root package' : g.drafts[from]!.name} → ${name}`;
          }
        } else if (project) g.projectEdge(from, to, kind);
        else g.edge(from, to, kind === 'optional');
      }
    }
  };
  // Hand-written or trimmed lockfiles may lack the root entry: package.json then says.
  const manifest = root ? undefined : readSiblingManifest(input);
  if (root) link('root', '', root, true);
  for (const dep of manifest?.deps ?? []) {
    const to = resolve('', dep.name);
    if (to !== undefined) g.projectEdge('root', to, dep.kind);
  }
  for (const [path, entry] of entries) {
    const from = byPath.get(path);
    if (from === undefined || !isRecord(entry)) continue;
    link(from, path, entry, g.drafts[from]!.workspace !== undefined);
  }
  if (unresolved > 0) g.problem(`${unresolved} dependenc${unresolved === 1 ? 'y is' : 'ies are'} not in the lockfile (first: ${example})`, 'warning');
  return root !== undefined || manifest !== undefined;
}
