import type { LineIndex } from '../../lines.js';
import type { Scope } from '../../model.js';
import type { LockGraph } from '../npm-shared/graph.js';
import { isRecord, isTrue, text, type Manifest } from '../npm-shared/input.js';
import { integrityHashes, parseNpmAlias, redactUrl, tryExtractCommit } from '../npm-shared/spec.js';
import { isDefaultRegistry } from './entry.js';

/**
 * lockfileVersion 1 (npm 5–6, and the legacy half of v2): a nested `dependencies` tree
 * keyed by install name, each entry with `version` (a version, an `npm:` alias, a git URL or
 * a `file:` path), flags (`dev`, `optional`, `bundled`), `requires` (name → range) and its
 * own nested `dependencies`. `requires` resolve like Node's module lookup: the entry's own
 * children, then each enclosing level up to the top.
 */

interface Frame {
  readonly parent: Frame | undefined;
  readonly byName: Map<string, number>;
}

interface Node {
  readonly index: number;
  readonly frame: Frame;
  children: Frame | undefined;
  readonly requires: Record<string, unknown> | undefined;
}

export function readDependencyTree(top: Record<string, unknown>, g: LockGraph, lines: LineIndex, manifest: Manifest | undefined, jsonText: string): void {
  const nodes: Node[] = [];
  const rootFrame: Frame = { parent: undefined, byName: new Map() };
  let cursor = Math.max(0, jsonText.indexOf('"dependencies"'));
  // Depth-first in document order, so each key is found after the previous one.
  const stack: { frame: Frame; entries: [string, unknown][]; at: number; owner: Node | undefined }[] = [
    { frame: rootFrame, entries: Object.entries(top), at: 0, owner: undefined },
  ];
  while (stack.length > 0) {
    const level = stack[stack.length - 1]!;
    if (level.at >= level.entries.length) {
      stack.pop();
      continue;
    }
    const [key, entry] = level.entries[level.at++]!;
    const hit = lines.find(`${JSON.stringify(key)}: {`, cursor);
    if (hit) cursor = hit.offset + 1;
    if (!isRecord(entry)) {
      g.problem(`dependencies entry "${key}" is not an object; skipped`, 'warning', hit?.line);
      continue;
    }
    const index = g.add(v1Draft(key, entry, hit?.line));
    level.frame.byName.set(key, index);
    const node: Node = { index, frame: level.frame, children: undefined, requires: isRecord(entry['requires']) ? entry['requires'] : undefined };
    nodes.push(node);
    const nested = entry['dependencies'];
    if (isRecord(nested)) {
      node.children = { parent: level.frame, byName: new Map() };
      stack.push({ frame: node.children, entries: Object.entries(nested), at: 0, owner: node });
    }
  }

  let unresolved = 0;
  let example = '';
  for (const node of nodes) {
    if (!node.requires) continue;
    for (const name of Object.keys(node.requires)) {
      const to = lookup(node.children ?? node.frame, name);
      if (to !== undefined) g.edge(node.index, to);
      else {
        unresolved++;
        example ||= `${g.drafts[node.index]!.name} → ${name}`;
      }
    }
  }
  if (unresolved > 0) g.problem(`${unresolved} required dependenc${unresolved === 1 ? 'y is' : 'ies are'} not in the lockfile (first: ${example})`, 'warning');

  for (const dep of manifest?.deps ?? []) {
    const to = rootFrame.byName.get(dep.name);
    if (to !== undefined) g.projectEdge('root', to, dep.kind);
    else if (dep.kind === 'prod' || dep.kind === 'dev') g.problem(`package.json lists ${dep.name}@${dep.range} but the lockfile has no entry for it`, 'warning');
  }
}

function lookup(start: Frame, name: string): number | undefined {
  for (let f: Frame | undefined = start; f; f = f.parent) {
    const hit = f.byName.get(name);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

function v1Draft(key: string, entry: Record<string, unknown>, line: number | undefined) {
  const raw = text(entry['version']) ?? '';
  let name = key;
  let version = raw;
  let commit = '';
  const alias = parseNpmAlias(raw);
  if (alias) [name, version] = alias;
  if (raw.startsWith('file:')) version = '';
  else {
    commit = tryExtractCommit(raw);
    // The "version" of a git dependency is its URL: the commit is what identifies it.
    if (commit !== '') version = '';
  }
  const dev = isTrue(entry['dev']);
  const optional = isTrue(entry['optional']);
  const groups: string[] = [];
  if (isTrue(entry['bundled'])) groups.push('bundled');
  if (dev) groups.push('dev');
  if (optional) groups.push('optional');
  const scope: Scope = dev ? 'dev' : optional ? 'optional' : 'prod';
  const resolved = text(entry['resolved']);
  const properties: Record<string, string> = {};
  if (name !== key) properties['alias'] = key;
  if (commit !== '' || raw.startsWith('file:')) properties['resolved'] = redactUrl(raw);
  else if (resolved !== undefined && !isDefaultRegistry(resolved)) properties['resolved'] = redactUrl(resolved);
  return {
    name,
    version,
    line,
    commit,
    groups: groups.length > 0 ? groups : undefined,
    scope,
    hashes: integrityHashes(entry['integrity']),
    properties: Object.keys(properties).length > 0 ? properties : undefined,
  };
}
