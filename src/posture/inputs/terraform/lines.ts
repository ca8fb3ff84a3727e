/**
 * Source lines shared by the HCL and plan inputs: offset → 1-based line through a table of line
 * starts, and `lineOf` over a tree of lines that mirrors a resource's attrs.
 */

import { lineAt, lineStarts } from '../lines.js';

export { lineStarts, lineAt };

export interface LineNode {
  readonly l: number;
  c?: Map<string | number, LineNode>;
}

/** `lineOf` over a line tree: the deepest line recorded on `path`, if `path` exists in attrs. */
export function lineFinder(attrs: Readonly<Record<string, unknown>>, root: LineNode): (path: readonly (string | number)[]) => number | undefined {
  return (path) => {
    let value: unknown = attrs;
    let node: LineNode | undefined = root;
    let line: number | undefined;
    for (const key of path) {
      if (value === null || typeof value !== 'object') return undefined;
      if (Array.isArray(value)) {
        if (typeof key !== 'number') return undefined;
        value = value[key];
      } else {
        if (typeof key !== 'string' || !Object.hasOwn(value, key)) return undefined;
        value = (value as Record<string, unknown>)[key];
      }
      if (value === undefined) return undefined;
      node = node?.c?.get(key);
      if (node !== undefined) line = node.l;
    }
    return line ?? root.l;
  };
}
