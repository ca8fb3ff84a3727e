import type { Edge, Package } from '../inventory/model.js';

export const ROOT = 'root';

/**
 * Shortest dependency paths from the project to each package, by one breadth-first walk over
 * the inventory's edges (O(packages + edges)). `pathTo(id)` is the chain of package ids from a
 * direct dependency down to `id` (inclusive): `[id]` for a direct dependency, `[]` when the
 * inventory has no edges reaching it.
 */
export function dependencyPaths(packages: readonly Package[], edges: readonly Edge[]): (id: string) => string[] {
  const out = new Map<string, string[]>();
  for (const e of edges) {
    let list = out.get(e.from);
    if (!list) out.set(e.from, (list = []));
    list.push(e.to);
  }
  const parent = new Map<string, string>();
  const starts: string[] = [...(out.get(ROOT) ?? [])];
  // Packages the reader marked direct start a path even when no `root` edge names them.
  for (const p of packages) if (p.direct === true && !parent.has(p.id)) starts.push(p.id);
  const queue: string[] = [];
  for (const s of starts) {
    if (parent.has(s)) continue;
    parent.set(s, ROOT);
    queue.push(s);
  }
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    for (const to of out.get(id) ?? []) {
      if (parent.has(to)) continue;
      parent.set(to, id);
      queue.push(to);
    }
  }
  return (id: string) => {
    const path: string[] = [];
    let cur: string | undefined = id;
    while (cur !== undefined && cur !== ROOT) {
      if (!parent.has(cur) || path.length > 10_000) return [];
      path.push(cur);
      cur = parent.get(cur);
    }
    return path.reverse();
  };
}
