/**
 * OSV `affected[]` evaluation (https://ossf.github.io/osv-schema/#evaluation): is a version
 * of a package inside an entry's `ECOSYSTEM` / `SEMVER` ranges or its explicit `versions`
 * list, and which `fixed` versions lie above it. Written by hand (no maintained JavaScript
 * library evaluates OSV ranges); checked against osv.dev's own answers in
 * test/match-osv-ground-truth.test.ts.
 *
 * Events are sorted with each ecosystem's comparator (`introduced: "0"` first), then walked:
 * `introduced` ≤ v turns the range on, `fixed` ≤ v or `last_affected` < v turns it off; a
 * `limit` at or below v means the range says nothing about v. Several ranges: affected by any.
 * `GIT` ranges need commits and are left to the `versions` list OSV derives from them.
 */
import type { AffectedPackage, AffectedRange } from '../../core/advisory.js';
import type { VersionScheme } from '../../versions/scheme.js';

/** Parses each version once per scheme (a scan compares the same strings many times). */
export class ParseCache {
  private readonly maps = new Map<string, Map<string, unknown>>();

  parse(scheme: VersionScheme, v: string): unknown {
    let m = this.maps.get(scheme.id);
    if (!m) {
      m = new Map();
      this.maps.set(scheme.id, m);
    }
    if (m.has(v)) return m.get(v);
    const p = v.length > 256 ? undefined : scheme.parse(v);
    if (m.size > 200_000) m.clear();
    m.set(v, p);
    return p;
  }
}

export interface EvalContext {
  /** The scheme of an OSV ecosystem (undefined: none defined, reported, never guessed). */
  readonly schemeFor: (ecosystem: string) => VersionScheme | undefined;
  /** SemVer 2.0, for `SEMVER` ranges. */
  readonly semver: VersionScheme;
  readonly cache: ParseCache;
}

export type Verdict =
  | { readonly affected: true; readonly by: 'versions' | 'ecosystem' | 'semver'; readonly fixed: readonly string[] }
  | { readonly affected: false; readonly unassessable?: string | undefined };

const SENTINEL_ZERO = '0';

interface SortedEvent {
  readonly kind: 'introduced' | 'fixed' | 'last_affected' | 'limit';
  readonly value: string;
  /** Parsed; null for `introduced: "0"` (below everything). */
  readonly parsed: unknown;
}

const KIND_ORDER = { introduced: 0, last_affected: 1, fixed: 2, limit: 3 } as const;

function sortEvents(range: AffectedRange, scheme: VersionScheme, cache: ParseCache): SortedEvent[] {
  const out: SortedEvent[] = [];
  for (const e of range.events) {
    const kind = e.introduced !== undefined ? 'introduced' : e.fixed !== undefined ? 'fixed' : e.last_affected !== undefined ? 'last_affected' : e.limit !== undefined ? 'limit' : undefined;
    if (!kind) continue;
    const value = (e as Record<string, string>)[kind]!;
    if (kind === 'introduced' && value === SENTINEL_ZERO) {
      out.push({ kind, value, parsed: null });
      continue;
    }
    if (kind === 'limit' && value === '*') continue;
    const parsed = cache.parse(scheme, value);
    // An event the scheme cannot read is skipped: an unreadable `introduced` cannot open the
    // range and an unreadable `fixed` cannot close it (both in the advisory's own data).
    if (parsed === undefined) continue;
    out.push({ kind, value, parsed });
  }
  return out.sort((a, b) => {
    if (a.parsed === null || b.parsed === null) return a.parsed === b.parsed ? KIND_ORDER[a.kind] - KIND_ORDER[b.kind] : a.parsed === null ? -1 : 1;
    return scheme.compare(a.parsed, b.parsed) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  });
}

/** Is `v` (parsed) inside one range? Returns the range's fixed versions above v when it is. */
export function inRange(v: unknown, range: AffectedRange, scheme: VersionScheme, cache: ParseCache): { affected: boolean; fixed: string[] } {
  const events = sortEvents(range, scheme, cache);
  let affected = false;
  for (const e of events) {
    if (e.kind === 'limit') {
      if (scheme.compare(v, e.parsed) >= 0) return { affected: false, fixed: [] };
      continue;
    }
    if (e.parsed !== null && scheme.compare(v, e.parsed) < 0) continue;
    if (e.kind === 'introduced') affected = true;
    else if (e.kind === 'fixed') affected = affected && scheme.compare(v, e.parsed) < 0;
    else if (e.kind === 'last_affected') affected = affected && scheme.compare(v, e.parsed) <= 0;
  }
  if (!affected) return { affected: false, fixed: [] };
  const fixed = events.filter((e) => e.kind === 'fixed' && scheme.compare(e.parsed, v) > 0).map((e) => e.value);
  return { affected: true, fixed };
}

/** The SemVer spelling of a package version for `SEMVER` ranges (OSV writes them without `v`). */
function semverSpelling(version: string): string {
  return version.startsWith('v') ? version.slice(1) : version;
}

/** Evaluates one OSV `affected` entry for one installed version. */
export function evaluate(entry: AffectedPackage, version: string, ctx: EvalContext): Verdict {
  if (entry.versions.includes(version)) return { affected: true, by: 'versions', fixed: fixesAbove(entry, version, ctx) };
  const scheme = ctx.schemeFor(entry.ecosystem);
  let unassessable: string | undefined;
  const fixed = new Set<string>();
  let by: 'ecosystem' | 'semver' | undefined;
  for (const range of entry.ranges) {
    if (range.type === 'GIT') continue;
    const s = range.type === 'SEMVER' ? ctx.semver : scheme;
    if (!s) {
      unassessable = `no version scheme is defined for ecosystem "${entry.ecosystem}"`;
      continue;
    }
    const v = ctx.cache.parse(s, range.type === 'SEMVER' ? semverSpelling(version) : version);
    if (v === undefined) {
      unassessable = `"${version}" is not a valid ${s.id} version`;
      continue;
    }
    const r = inRange(v, range, s, ctx.cache);
    if (r.affected) {
      by ??= range.type === 'SEMVER' ? 'semver' : 'ecosystem';
      r.fixed.forEach((f) => fixed.add(f));
    }
  }
  if (by) return { affected: true, by, fixed: sortFixes([...fixed], range0Scheme(entry, ctx), ctx.cache) };
  // Versions written differently but equal in the scheme (PyPI `1.0` = `1.0.0`).
  if (scheme && entry.versions.length > 0) {
    const v = ctx.cache.parse(scheme, version);
    if (v !== undefined) {
      for (const listed of entry.versions) {
        const p = ctx.cache.parse(scheme, listed);
        if (p !== undefined && scheme.compare(p, v) === 0) return { affected: true, by: 'versions', fixed: fixesAbove(entry, version, ctx) };
      }
    } else if (entry.ranges.length === 0) {
      unassessable = `"${version}" is not a valid ${scheme.id} version`;
    }
  } else if (!scheme && entry.ranges.length === 0 && entry.versions.length > 0) {
    // Only an explicit list and no scheme: the exact-string check above is all we can do, and it is exact.
    return { affected: false };
  }
  return { affected: false, unassessable };
}

function range0Scheme(entry: AffectedPackage, ctx: EvalContext): VersionScheme | undefined {
  const first = entry.ranges.find((r) => r.type !== 'GIT');
  return first?.type === 'SEMVER' ? ctx.semver : ctx.schemeFor(entry.ecosystem);
}

/** Fixed versions above `version` in any range (for a version matched by the explicit list). */
function fixesAbove(entry: AffectedPackage, version: string, ctx: EvalContext): string[] {
  const out = new Set<string>();
  for (const range of entry.ranges) {
    if (range.type === 'GIT') continue;
    const s = range.type === 'SEMVER' ? ctx.semver : ctx.schemeFor(entry.ecosystem);
    if (!s) continue;
    const v = ctx.cache.parse(s, range.type === 'SEMVER' ? semverSpelling(version) : version);
    if (v === undefined) continue;
    for (const e of range.events) {
      if (e.fixed === undefined) continue;
      const p = ctx.cache.parse(s, e.fixed);
      if (p !== undefined && s.compare(p, v) > 0) out.add(e.fixed);
    }
  }
  return sortFixes([...out], range0Scheme(entry, ctx), ctx.cache);
}

/** Ascending in the scheme: the nearest fix first. */
export function sortFixes(fixes: string[], scheme: VersionScheme | undefined, cache: ParseCache): string[] {
  if (!scheme || fixes.length < 2) return fixes;
  return fixes
    .map((f) => ({ f, p: cache.parse(scheme, f) }))
    .sort((a, b) => (a.p === undefined || b.p === undefined ? 0 : scheme.compare(a.p, b.p)))
    .map((x) => x.f);
}
