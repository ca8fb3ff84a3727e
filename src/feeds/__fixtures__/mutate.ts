/**
 * Random single-point mutations of a JSON document, for the differential tests of the
 * hand-written validators (cve5/fast.test.ts, osv/fast.test.ts): seeded, so a failure replays.
 */

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
export function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Path = (string | number)[];

function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (at.length > 0) out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

/** In a replacement list: delete the value instead of replacing it. */
export const DELETE = Symbol('delete');

/**
 * A copy of `doc` with the value at one random path replaced by one of `replacements`, deleted
 * (DELETE), or (one time in ten, on an object) given an unknown key.
 */
export function mutate<T>(doc: T, rnd: () => number, replacements: readonly unknown[]): T {
  const copy = structuredClone(doc);
  const all = paths(copy);
  const path = all[Math.floor(rnd() * all.length)]!;
  const parent = path.slice(0, -1).reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], copy) as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  if (rnd() < 0.1 && typeof parent[key] === 'object' && parent[key] !== null && !Array.isArray(parent[key])) {
    (parent[key] as Record<string, unknown>)['x_unknown'] = 1;
    return copy;
  }
  const value = replacements[Math.floor(rnd() * replacements.length)];
  if (value === DELETE) {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else {
    parent[key] = value;
  }
  return copy;
}
