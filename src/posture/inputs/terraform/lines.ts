/**
 * Source lines shared by the HCL and plan inputs: offset → 1-based line through a table of line
 * starts, and `lineOf` over a tree of lines that mirrors a resource's attrs.
 */

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

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
