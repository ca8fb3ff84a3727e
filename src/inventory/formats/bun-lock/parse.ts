/**
 * Bun's text lockfile `bun.lock` (lockfileVersion 0 and 1): JSONC (comments, trailing
 * commas), made JSON by jsonc.ts and parsed with JSON.parse behind the core guards. The
 * binary `bun.lockb` is not read.
 *
 * `workspaces` maps each project folder ('' = root) to its name and dependency lists;
 * `packages` maps an install key (`chalk`, `chalk/supports-color` for a copy nested under
 * chalk) to a tuple whose first element is the resolved identifier `name@version`
 * (`name@github:owner/repo#commit`, `name@workspace:packages/a`, `name@file:…`), followed by
 * the registry URL, an info object (`dependencies`, `optionalDependencies`,
 * `peerDependencies`) and the integrity. A tuple that cannot be read is reported by its key
 * and skipped; the others are kept.
 */
import { LineIndex } from '../../lines.js';
import type { ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { LockGraph, type NodeRef } from '../npm-shared/graph.js';
import { isRecord, manifestDeps, parseJsonText, text } from '../npm-shared/input.js';
import { integrityHashes, isLocalReference, redactUrl, splitNameAt } from '../npm-shared/spec.js';
import { jsoncToJson } from './jsonc.js';

export const BUN_LOCK_READER_ID = 'bun-lock';

export function parseBunLock(input: ReaderInput): ReadResult {
  const g = new LockGraph(input.path, BUN_LOCK_READER_ID);
  const parsed = parseJsonText(jsoncToJson(input.text));
  if (!parsed.ok) return fail(g, `could not extract from ${input.path}: ${parsed.reason}`);
  if (!isRecord(parsed.value)) return fail(g, `could not extract from ${input.path}: expected a JSON object at the top level`);
  const doc = parsed.value;
  const lockVersion = doc['lockfileVersion'];
  if (typeof lockVersion === 'number' && lockVersion > 1) g.problem(`lockfileVersion ${lockVersion} is newer than this reader knows (1); read as version 1`, 'warning');
  const workspaces = isRecord(doc['workspaces']) ? doc['workspaces'] : {};
  const packages = isRecord(doc['packages']) ? doc['packages'] : {};
  const lines = new LineIndex(input.text);

  const byKey = new Map<string, number>();
  const wsIndex = new Map<string, number>();
  const infos: [number, string, Record<string, unknown>][] = [];
  let cursor = Math.max(0, input.text.indexOf('"packages"'));
  for (const [key, tuple] of Object.entries(packages)) {
    const hit = lines.find(`${JSON.stringify(key)}: [`, cursor);
    if (hit) cursor = hit.offset + 1;
    const ident = Array.isArray(tuple) ? (tuple as unknown[])[0] : undefined;
    if (typeof ident !== 'string') {
      g.problem(`could not extract '${key}': ${Array.isArray(tuple) ? (tuple.length === 0 ? 'empty package tuple' : 'first element of package tuple is not a string') : 'package entry is not a tuple'}`, 'error', hit?.line);
      continue;
    }
    const items = tuple as unknown[];
    const [name, spec] = splitNameAt(ident);
    let version = spec;
    let commit = '';
    let workspace: string | undefined;
    if (spec.startsWith('workspace:')) {
      // A project of this repository, not a published version (osv-scalibr leaves it empty too).
      workspace = spec.slice(10);
      version = '';
    } else if (isLocalReference(spec)) version = '';
    else if (spec.includes('#')) {
      // A git dependency: bun keeps the commit, not the version.
      commit = spec.slice(spec.lastIndexOf('#') + 1);
      version = '';
    } else if (spec.includes(':')) version = '';
    const registry = text(items[1]);
    const properties: Record<string, string> = {};
    if (version === '' && workspace === undefined && spec !== '') properties['resolved'] = redactUrl(spec);
    else if (registry !== undefined && registry !== '') properties['resolved'] = redactUrl(registry);
    const index = g.add({
      name,
      version,
      line: hit?.line,
      commit,
      hashes: integrityHashes(items.find((x, i) => i > 0 && typeof x === 'string' && /^sha\d+-/.test(x))),
      properties: Object.keys(properties).length > 0 ? properties : undefined,
      workspace,
    });
    byKey.set(key, index);
    if (workspace !== undefined) wsIndex.set(workspace, index);
    const info = items.find((x, i) => i > 0 && isRecord(x));
    if (isRecord(info)) infos.push([index, key, info]);
  }

  /** Node-style lookup over install keys: `a/b` needing `c` tries `a/b/c`, `a/c`, `c`. */
  const resolve = (fromKey: string, dep: string): number | undefined => {
    const names = keyNames(fromKey);
    for (let depth = names.length; depth >= 0; depth--) {
      const hit = byKey.get(depth === 0 ? dep : `${names.slice(0, depth).join('/')}/${dep}`);
      if (hit !== undefined) return hit;
    }
    return undefined;
  };

  let unresolved = 0;
  let example = '';
  for (const [index, key, info] of infos) {
    for (const dep of manifestDeps(info, ['prod', 'optional', 'peer'])) {
      const to = resolve(key, dep.name);
      if (to !== undefined) g.edge(index, to, dep.kind === 'optional');
      else if (dep.kind === 'prod') {
        unresolved++;
        example ||= `${key} → ${dep.name}`;
      }
    }
  }
  for (const [path, ws] of Object.entries(workspaces)) {
    if (!isRecord(ws)) continue;
    let from: NodeRef = 'root';
    let prefix = '';
    if (path !== '') {
      const wsName = text(ws['name']) ?? path.slice(path.lastIndexOf('/') + 1);
      from = wsIndex.get(path) ?? g.add({ name: wsName, version: '', workspace: path });
      prefix = wsName;
    }
    for (const dep of manifestDeps(ws)) {
      const to = prefix === '' ? byKey.get(dep.name) : (byKey.get(`${prefix}/${dep.name}`) ?? byKey.get(dep.name));
      if (to !== undefined) g.projectEdge(from, to, dep.kind);
      else if (dep.kind === 'prod' || dep.kind === 'dev') {
        unresolved++;
        example ||= `${path === '' ? 'the root workspace' : path} → ${dep.name}`;
      }
    }
  }
  if (unresolved > 0) g.problem(`${unresolved} dependenc${unresolved === 1 ? 'y is' : 'ies are'} not in the lockfile (first: ${example})`, 'warning');
  return g.finish({ knowsDirect: isRecord(doc['workspaces']), propagateScope: true });
}

function fail(g: LockGraph, message: string): ReadResult {
  g.problem(message, 'error');
  return { packages: [], edges: [], problems: g.problems };
}

/** `@s/a/b/@t/c` → ['@s/a', 'b', '@t/c']. */
function keyNames(key: string): string[] {
  const out: string[] = [];
  const segs = key.split('/');
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (s.startsWith('@') && i + 1 < segs.length) out.push(`${s}/${segs[++i]!}`);
    else out.push(s);
  }
  return out;
}
