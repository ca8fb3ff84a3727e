/**
 * npm `workspaces` patterns (`packages/*`, `apps/**`, `!packages/legacy`) matched against a
 * folder path from the lockfile's `packages` map. Patterns are tiny and matched segment by
 * segment; `*` inside a segment is checked with sequential indexOf, so nothing backtracks
 * beyond the (short) segment list.
 */
export function workspaceMatcher(patterns: readonly string[]): (path: string) => boolean {
  const include: string[][] = [];
  const exclude: string[][] = [];
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    // Consecutive `**` mean the same as one; collapsing them keeps matching polynomial.
    const segs = normalise(negated ? raw.slice(1) : raw).filter((s, i, all) => s !== '**' || all[i - 1] !== '**');
    if (segs.length === 0) continue;
    (negated ? exclude : include).push(segs);
  }
  if (include.length === 0) return () => false;
  return (path) => {
    const segs = normalise(path);
    return include.some((p) => matchSegments(p, 0, segs, 0)) && !exclude.some((p) => matchSegments(p, 0, segs, 0));
  };
}

function normalise(path: string): string[] {
  return path.split('/').filter((s) => s !== '' && s !== '.');
}

function matchSegments(pattern: readonly string[], pi: number, path: readonly string[], si: number): boolean {
  if (pi === pattern.length) return si === path.length;
  const p = pattern[pi]!;
  if (p === '**') {
    for (let k = si; k <= path.length; k++) if (matchSegments(pattern, pi + 1, path, k)) return true;
    return false;
  }
  return si < path.length && matchSegment(p, path[si]!) && matchSegments(pattern, pi + 1, path, si + 1);
}

/** One segment against a pattern with `*` wildcards (no other glob syntax). */
export function matchSegment(pattern: string, segment: string): boolean {
  if (!pattern.includes('*')) return pattern === segment;
  const parts = pattern.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!segment.startsWith(first) || segment.length < first.length + last.length || !segment.endsWith(last)) return false;
  let at = first.length;
  const end = segment.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const found = segment.indexOf(parts[i]!, at);
    if (found === -1 || found + parts[i]!.length > end) return false;
    at = found + parts[i]!.length;
  }
  return true;
}
