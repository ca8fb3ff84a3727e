/**
 * Matching against the store: load the candidates for an inventory, match, load the
 * enrichment for what matched, build the findings. Used by `vigil scan`, the scan API, and
 * project matching (on upload and after feed imports).
 */
import type { Edge, Package } from '../inventory/model.js';
import type { Queryable } from '../store/db.js';
import { schemeById, schemeForEcosystem } from '../versions/registry.js';
import { loadCandidates, loadEnrichment } from './load.js';
import { buildFindings, inventoryKeys, matchPackages, type MatchOptions } from './match.js';
import type { Finding, MatchProblem } from './model.js';
import { ParseCache, type EvalContext } from './osv/affected.js';
import { dependencyPaths } from './paths.js';

export function evalContext(): EvalContext {
  const semver = schemeById('semver');
  if (!semver) throw new Error('the semver version scheme is not registered');
  return { schemeFor: schemeForEcosystem, semver, cache: new ParseCache() };
}

export interface EngineResult {
  readonly findings: Finding[];
  readonly unassessed: MatchProblem[];
  /** Advisories read as candidates (for diagnostics and benchmarks). */
  readonly candidates: number;
}

export async function matchInventory(
  q: Queryable,
  inv: { readonly packages: readonly Package[]; readonly edges: readonly Edge[] },
  opts: MatchOptions & { readonly cpe?: boolean | undefined } = {},
): Promise<EngineResult> {
  const index = await loadCandidates(q, inventoryKeys(inv.packages));
  const ctx = evalContext();
  const m = matchPackages(inv.packages, inv.edges, index, ctx);
  const matches = [...m.matches];
  if (opts.cpe) {
    // Loaded only for --cpe.
    const { cpeMatches } = await import('./cpe/load.js');
    const done = new Set(m.matches.map((x) => x.pkg.id));
    const extra = await cpeMatches(q, inv.packages, done, dependencyPaths(inv.packages, inv.edges));
    for (const x of extra) for (const g of x.groups) for (const h of g) [h.advisory.id, ...h.advisory.aliases].forEach((i) => m.ids.add(i));
    matches.push(...extra);
  }
  const enrichment = await loadEnrichment(q, m.ids);
  return { findings: buildFindings(matches, enrichment, ctx, opts), unassessed: m.unassessed, candidates: index.size };
}
