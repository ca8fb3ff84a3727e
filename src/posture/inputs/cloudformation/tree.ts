/**
 * A located value: the template as plain data where every node keeps its source line, so
 * intrinsic functions can be resolved (a parameter default, an `Fn::If` branch) without losing
 * where each key came from. Both the YAML and the JSON readers build this tree; intrinsic
 * resolution works on it; resources hand out the plain value (`toPlain`) and answer `lineOf`
 * by walking it (`lineAt`). Pure.
 *
 * Short-form YAML intrinsics are already in long form here (`!Ref X` is a one-entry map
 * `{ Ref: X }`), so nothing downstream knows which syntax the template used.
 */

import { lineAt as lineOfOffset, lineStarts } from '../lines.js';

export type Scalar = string | number | boolean | null;

export type LNode = LScalar | LSeq | LMap;

export interface LScalar {
  readonly t: 'scalar';
  readonly v: Scalar;
  /** First and last line of the node (1-based). */
  readonly line: number;
  readonly end: number;
  /** Parameters whose defaults this value was resolved from (a `Ref`, an `Fn::Sub`). */
  readonly from?: readonly string[];
}

export interface LSeq {
  readonly t: 'seq';
  readonly items: readonly LNode[];
  readonly line: number;
  readonly end: number;
  readonly from?: readonly string[];
}

export interface LEntry {
  readonly key: string;
  /** Line of the key. */
  readonly line: number;
  readonly value: LNode;
}

export interface LMap {
  readonly t: 'map';
  /** Unique keys, in source order (a duplicated key keeps its last value, and is a problem). */
  readonly entries: readonly LEntry[];
  readonly line: number;
  readonly end: number;
  readonly from?: readonly string[];
}

export const scalar = (v: Scalar, line: number, end = line): LScalar => ({ t: 'scalar', v, line, end });
export const seq = (items: readonly LNode[], line: number, end = line): LSeq => ({ t: 'seq', items, line, end });
export const map = (entries: readonly LEntry[], line: number, end = line): LMap => ({ t: 'map', entries, line, end });

export function entry(node: LNode | undefined, key: string): LEntry | undefined {
  if (node?.t !== 'map') return undefined;
  return node.entries.find((e) => e.key === key);
}

export function get(node: LNode | undefined, key: string): LNode | undefined {
  return entry(node, key)?.value;
}

/** Paths (below `node`) of values resolved from parameter defaults, with the parameters. */
export function parameterOrigins(node: LNode, prefix: (string | number)[] = [], out: { path: (string | number)[]; parameters: readonly string[] }[] = []): typeof out {
  if (node.from !== undefined) out.push({ path: prefix, parameters: node.from });
  if (node.t === 'seq') node.items.forEach((i, n) => parameterOrigins(i, [...prefix, n], out));
  else if (node.t === 'map') for (const e of node.entries) parameterOrigins(e.value, [...prefix, e.key], out);
  return out;
}

/** A string scalar's value, else undefined. */
export function text(node: LNode | undefined): string | undefined {
  return node?.t === 'scalar' && typeof node.v === 'string' ? node.v : undefined;
}

/** A scalar as CloudFormation sees it (every scalar is a string to the service); null stays undefined. */
export function scalarString(node: LNode | undefined): string | undefined {
  if (node?.t !== 'scalar' || node.v === null) return undefined;
  return String(node.v);
}

/** The one key of a one-entry map (`Ref`, `Fn::If`, …), else undefined. */
export function soleKey(node: LNode): string | undefined {
  return node.t === 'map' && node.entries.length === 1 ? node.entries[0]!.key : undefined;
}

/** The same value with every line moved to `line` (a parameter default used at a `Ref`). */
export function relocate(node: LNode, line: number): LNode {
  switch (node.t) {
    case 'scalar':
      return scalar(node.v, line);
    case 'seq':
      return seq(
        node.items.map((i) => relocate(i, line)),
        line,
      );
    case 'map':
      return map(
        node.entries.map((e) => ({ key: e.key, line, value: relocate(e.value, line) })),
        line,
      );
  }
}

/**
 * Plain JSON-like data. Objects are built with `Object.fromEntries`, so a `__proto__` key is an
 * own property, never a prototype.
 */
export function toPlain(node: LNode): unknown {
  switch (node.t) {
    case 'scalar':
      return node.v;
    case 'seq':
      return node.items.map(toPlain);
    case 'map':
      return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value)]));
  }
}

/**
 * Line of the key (map) or item (sequence) at `path` below `node`; undefined when the path is
 * not present. The empty path is the node itself.
 */
export function lineAt(node: LNode, path: readonly (string | number)[]): number | undefined {
  let cur: LNode = node;
  let line = node.line;
  for (const key of path) {
    if (cur.t === 'map' && typeof key === 'string') {
      const e = entry(cur, key);
      if (e === undefined) return undefined;
      line = e.line;
      cur = e.value;
    } else if (cur.t === 'seq' && typeof key === 'number') {
      const item = cur.items[key];
      if (item === undefined) return undefined;
      line = item.line;
      cur = item;
    } else {
      return undefined;
    }
  }
  return line;
}

export { lineStarts, lineOfOffset };
