/**
 * Candidates and matches for `--cpe`: packages no ecosystem advisory assessed (their
 * ecosystem has no version scheme, or they carry a CPE from their SBOM) against the CPE
 * applicability of CVE 5 / NVD records. One query: by `vendor:product` where the package's
 * CPE names the vendor, else by product alone (a scan of the products column: --cpe is opt-in).
 */
import type { CpeConfiguration } from '../../core/advisory.js';
import type { Package } from '../../inventory/model.js';
import type { Queryable } from '../../store/db.js';
import { schemeForEcosystem } from '../../versions/registry.js';
import { CANDIDATE_COLUMNS, toCandidate } from '../load.js';
import { aliasGroups, type Hit, type PackageMatch } from '../match.js';
import { cpeVerdict, parseCpe23 } from './cpe.js';

const CPE_PROPERTY = 'vigil:cpe';

interface Target {
  readonly pkg: Package;
  readonly vendor?: string | undefined;
  readonly product: string;
  readonly version: string;
}

/** Which packages CPE matching looks at, and by what name. */
export function cpeTargets(packages: readonly Package[], matched: ReadonlySet<string>): Target[] {
  const out: Target[] = [];
  for (const p of packages) {
    if (matched.has(p.id) || !p.version) continue;
    const cpe = p.properties?.[CPE_PROPERTY];
    const parsed = cpe ? parseCpe23(cpe) : undefined;
    if (parsed && parsed.product !== '*' && parsed.product !== '-') {
      out.push({ pkg: p, vendor: parsed.vendor === '*' || parsed.vendor === '-' ? undefined : parsed.vendor, product: parsed.product, version: parsed.version !== '*' && parsed.version !== '-' ? parsed.version : p.version });
    } else if (!schemeForEcosystem(p.ecosystem)) {
      out.push({ pkg: p, product: p.name.toLowerCase().replace(/^.*\//, '').replace(/[^a-z0-9._-]/g, '_'), version: p.version });
    }
  }
  return out;
}

export async function cpeMatches(q: Queryable, packages: readonly Package[], matched: ReadonlySet<string>, pathTo: (id: string) => string[]): Promise<PackageMatch[]> {
  const targets = cpeTargets(packages, matched);
  if (targets.length === 0) return [];
  const keys = [...new Set(targets.filter((t) => t.vendor).map((t) => `${t.vendor}:${t.product}`))];
  const products = [...new Set(targets.filter((t) => !t.vendor).map((t) => t.product))];
  const { rows } = await q.query<Parameters<typeof toCandidate>[0] & { configs: CpeConfiguration[] | null }>(
    `SELECT ${CANDIDATE_COLUMNS}, a.data->'cpeConfigurations' AS configs FROM advisories a
      WHERE NOT a.rejected AND a.withdrawn IS NULL AND a.source IN ('nvd', 'cve5')
        AND (a.products && $1::text[] OR (cardinality($2::text[]) > 0 AND EXISTS (SELECT 1 FROM unnest(a.products) x WHERE split_part(x, ':', 2) = ANY($2::text[]))))`,
    [keys, products],
  );
  const out: PackageMatch[] = [];
  for (const t of targets) {
    const hits: Hit[] = [];
    for (const r of rows) {
      const v = cpeVerdict(r.configs ?? [], t);
      if (v.affected) hits.push({ advisory: toCandidate(r), by: 'cpe', fixed: v.fixed, lowConfidence: true });
    }
    if (hits.length > 0) out.push({ pkg: t.pkg, groups: aliasGroups(hits), path: pathTo(t.pkg.id) });
  }
  return out;
}
