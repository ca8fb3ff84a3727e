import { matchKey } from '../../core/ecosystem.js';
import type { Advisory, AffectedPackage, AffectedProduct, CpeConfiguration, CvssEntry, Reference, Severity, SsvcDecision } from '../../core/advisory.js';
import { normaliseVulnId } from '../../core/advisory.js';
import { VigilError } from '../../core/errors.js';
import type { Queryable } from '../db.js';

export interface KevView {
  readonly dateAdded: string;
  readonly dueDate: string;
  readonly knownRansomwareCampaignUse: 'Known' | 'Unknown';
  readonly vendorProject: string;
  readonly product: string;
  readonly vulnerabilityName: string;
  readonly requiredAction: string;
}

export interface EpssView {
  readonly score: number;
  readonly percentile: number;
  readonly date: string;
}

export type AffectedView =
  | ({ readonly kind: 'package'; readonly recordSource: string; readonly recordId: string } & AffectedPackage)
  | ({ readonly kind: 'product'; readonly recordSource: string; readonly recordId: string } & AffectedProduct)
  | ({ readonly kind: 'cpe'; readonly recordSource: string; readonly recordId: string } & CpeConfiguration);

/** The merged view of an alias group: every record that shares an id or alias, transitively. */
export interface MergedAdvisory {
  readonly id: string;
  readonly aliases: string[];
  readonly summary: string | null;
  readonly description: string | null;
  readonly published: string | null;
  readonly modified: string;
  readonly withdrawn: string | null;
  readonly rejected: boolean;
  readonly severity: Severity;
  readonly cvss: CvssEntry[];
  readonly kev: KevView | null;
  readonly epss: EpssView | null;
  readonly cwes: string[];
  readonly ssvc: SsvcDecision[];
  readonly references: Reference[];
  readonly affected: AffectedView[];
  readonly related: string[];
  readonly records: { readonly source: string; readonly id: string; readonly modified: string }[];
}

interface StoredRow {
  source: string;
  id: string;
  data: Omit<Advisory, 'raw'>;
}

const SOURCE_RANK: Record<string, number> = { cve5: 0, nvd: 1, osv: 2 };
const SEV_RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, none: 1, unknown: 0 };
const GROUP_LIMIT = 200;

/** The records of the alias group `id` belongs to (any id or alias resolves), bounded. */
export async function groupRecords(q: Queryable, id: string): Promise<StoredRow[]> {
  const key = normaliseVulnId(id).toUpperCase();
  const { rows } = await q.query<StoredRow>(
    `WITH RECURSIVE grp(source, advisory_id) AS (
       SELECT source, advisory_id FROM advisory_ids WHERE vuln_id = $1
       UNION
       SELECT i2.source, i2.advisory_id FROM grp g
         JOIN advisory_ids i1 ON i1.source = g.source AND i1.advisory_id = g.advisory_id
         JOIN advisory_ids i2 ON i2.vuln_id = i1.vuln_id
     )
     SELECT a.source, a.id, a.data FROM advisories a JOIN grp ON a.source = grp.source AND a.id = grp.advisory_id
     LIMIT ${GROUP_LIMIT}`,
    [key],
  );
  return rows;
}

/** Merges a group into one view; `primary` prefers the CVE id, then the asked-for id. */
export async function mergedAdvisory(q: Queryable, id: string): Promise<MergedAdvisory | undefined> {
  const rows = await groupRecords(q, id);
  if (rows.length === 0) return undefined;
  rows.sort((a, b) => (SOURCE_RANK[a.source] ?? 9) - (SOURCE_RANK[b.source] ?? 9) || a.id.localeCompare(b.id));
  const allIds = new Set<string>();
  for (const r of rows) for (const x of [r.data.id, ...r.data.aliases]) allIds.add(normaliseVulnId(x));
  const cves = [...allIds].filter((x) => /^CVE-\d{4}-\d+$/.test(x)).sort();
  const asked = normaliseVulnId(id);
  const primary = cves.length === 1 ? cves[0]! : allIds.has(asked) ? asked : rows[0]!.data.id;
  const datas = rows.map((r) => r.data);
  const first = <T>(f: (d: Omit<Advisory, 'raw'>) => T | null): T | null => {
    for (const d of datas) {
      const v = f(d);
      if (v !== null && v !== undefined && v !== '') return v;
    }
    return null;
  };
  const cvss = dedupe(datas.flatMap((d) => d.cvss), (c) => `${c.source}|${c.vector}`);
  const severity = cvss.reduce<Severity>((s, c) => (SEV_RANK[c.severity] > SEV_RANK[s] ? c.severity : s), 'unknown');
  const lookup = cves.length > 0 ? cves : [primary];
  const kev = await kevFor(q, lookup);
  const epss = await epssFor(q, lookup);
  const published = datas.map((d) => d.published).filter((x): x is string => !!x).sort()[0] ?? null;
  const modified = datas.map((d) => d.modified).sort().reverse()[0]!;
  return {
    id: primary,
    aliases: [...allIds].filter((x) => x !== primary).sort(),
    summary: first((d) => d.title),
    description: first((d) => d.description),
    published,
    modified,
    withdrawn: datas.every((d) => d.withdrawn) ? (datas.map((d) => d.withdrawn!).sort()[0] ?? null) : null,
    rejected: datas.some((d) => d.rejected && (d.source === 'cve5' || d.source === 'nvd')),
    severity,
    cvss,
    kev,
    epss,
    cwes: [...new Set(datas.flatMap((d) => d.cwes))].sort(),
    ssvc: datas.flatMap((d) => d.ssvc),
    references: dedupe(datas.flatMap((d) => d.references), (r) => r.url),
    affected: rows.flatMap((r) => [
      ...r.data.affectedPackages.map((p): AffectedView => ({ kind: 'package', recordSource: r.source, recordId: r.id, ...p })),
      ...r.data.affectedProducts.map((p): AffectedView => ({ kind: 'product', recordSource: r.source, recordId: r.id, ...p })),
      ...r.data.cpeConfigurations.map((c): AffectedView => ({ kind: 'cpe', recordSource: r.source, recordId: r.id, ...c })),
    ]),
    related: [...new Set(datas.flatMap((d) => d.related))].filter((x) => !allIds.has(normaliseVulnId(x))).sort(),
    records: rows.map((r) => ({ source: r.source, id: r.id, modified: r.data.modified })),
  };
}

function dedupe<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = key(i);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

async function kevFor(q: Queryable, cves: string[]): Promise<KevView | null> {
  const { rows } = await q.query<{ date_added: string; due_date: string; known_ransomware_campaign_use: 'Known' | 'Unknown'; vendor_project: string; product: string; vulnerability_name: string; required_action: string }>(
    `SELECT to_char(date_added, 'YYYY-MM-DD') AS date_added, to_char(due_date, 'YYYY-MM-DD') AS due_date, known_ransomware_campaign_use,
            vendor_project, product, vulnerability_name, required_action
       FROM kev_entries WHERE cve_id = ANY($1) ORDER BY date_added LIMIT 1`,
    [cves],
  );
  const r = rows[0];
  return r ? { dateAdded: r.date_added, dueDate: r.due_date, knownRansomwareCampaignUse: r.known_ransomware_campaign_use, vendorProject: r.vendor_project, product: r.product, vulnerabilityName: r.vulnerability_name, requiredAction: r.required_action } : null;
}

async function epssFor(q: Queryable, cves: string[]): Promise<EpssView | null> {
  const { rows } = await q.query<{ epss: number; percentile: number; d: string }>(
    "SELECT epss, percentile, to_char(score_date, 'YYYY-MM-DD') AS d FROM epss_scores WHERE cve_id = ANY($1) ORDER BY epss DESC LIMIT 1",
    [cves],
  );
  const r = rows[0];
  return r ? { score: r.epss, percentile: r.percentile, date: r.d } : null;
}

export interface AdvisoryFilter {
  readonly id?: string | undefined;
  readonly q?: string | undefined;
  readonly ecosystem?: string | undefined;
  readonly package?: string | undefined;
  readonly vendor?: string | undefined;
  readonly product?: string | undefined;
  readonly severity?: Severity | undefined;
  readonly cvssMin?: number | undefined;
  readonly kev?: boolean | undefined;
  readonly epssMin?: number | undefined;
  readonly publishedFrom?: string | undefined;
  readonly publishedTo?: string | undefined;
  readonly source?: string | undefined;
}

export const ADVISORY_SORTS = ['published', 'modified', 'cvss', 'epss'] as const;
export type AdvisorySort = (typeof ADVISORY_SORTS)[number];

export interface AdvisorySummary {
  readonly source: string;
  readonly id: string;
  readonly aliases: string[];
  readonly title: string | null;
  readonly severity: Severity;
  readonly cvssScore: number | null;
  readonly kev: boolean;
  readonly epss: number | null;
  readonly published: string | null;
  readonly modified: string;
  readonly rejected: boolean;
  readonly withdrawn: string | null;
}

const SORT_SQL: Record<AdvisorySort, string> = {
  published: "COALESCE(a.published, '-infinity'::timestamptz)",
  modified: 'a.modified',
  cvss: 'COALESCE(a.cvss_score, -1)',
  epss: 'COALESCE(e.epss, -1)',
};
const SORT_CAST: Record<AdvisorySort, string> = { published: 'timestamptz', modified: 'timestamptz', cvss: 'numeric', epss: 'double precision' };

/** The CVE id of a record: its own id or its first CVE alias (SQL). */
const CVE_OF = "COALESCE(CASE WHEN a.id LIKE 'CVE-%' THEN a.id END, (SELECT x FROM unnest(a.aliases) AS x WHERE x LIKE 'CVE-%' ORDER BY x LIMIT 1))";

export async function searchAdvisories(
  q: Queryable,
  f: AdvisoryFilter,
  page: { limit: number; cursor?: string | undefined; sort: AdvisorySort; desc: boolean },
): Promise<{ items: AdvisorySummary[]; nextCursor: string | null }> {
  const params: unknown[] = [];
  const where: string[] = [];
  const p = (v: unknown) => `$${params.push(v)}`;
  if (f.id) where.push(`EXISTS (SELECT 1 FROM advisory_ids i WHERE i.vuln_id = ${p(normaliseVulnId(f.id).toUpperCase())} AND i.source = a.source AND i.advisory_id = a.id)`);
  if (f.q) where.push(`a.search @@ websearch_to_tsquery('english', ${p(f.q)})`);
  if (f.ecosystem) where.push(`EXISTS (SELECT 1 FROM unnest(a.ecosystems) AS x WHERE lower(split_part(x, ':', 1)) = lower(${p(f.ecosystem)}))`);
  if (f.package) {
    where.push(f.ecosystem ? `a.packages @> ARRAY[${p(matchKey(f.ecosystem, f.package))}]` : `EXISTS (SELECT 1 FROM unnest(a.packages) AS x WHERE split_part(x, '/', 2) = ${p(f.package.toLowerCase())} OR x LIKE ${p(`%/${f.package.toLowerCase()}`)})`);
  }
  if (f.vendor && f.product) where.push(`a.products @> ARRAY[${p(`${f.vendor.toLowerCase()}:${f.product.toLowerCase()}`)}]`);
  else if (f.vendor) where.push(`EXISTS (SELECT 1 FROM unnest(a.products) AS x WHERE split_part(x, ':', 1) = ${p(f.vendor.toLowerCase())})`);
  else if (f.product) where.push(`EXISTS (SELECT 1 FROM unnest(a.products) AS x WHERE split_part(x, ':', 2) = ${p(f.product.toLowerCase())})`);
  if (f.severity) where.push(`a.severity = ${p(f.severity)}`);
  if (f.cvssMin !== undefined) where.push(`a.cvss_score >= ${p(f.cvssMin)}`);
  if (f.kev !== undefined) where.push(`${f.kev ? '' : 'NOT '}EXISTS (SELECT 1 FROM kev_entries k WHERE k.cve_id = ${CVE_OF})`);
  if (f.epssMin !== undefined) where.push(`e.epss >= ${p(f.epssMin)}`);
  if (f.publishedFrom) where.push(`a.published >= ${p(f.publishedFrom)}::timestamptz`);
  if (f.publishedTo) where.push(`a.published < ${p(f.publishedTo)}::timestamptz`);
  if (f.source) where.push(`a.source = ${p(f.source)}`);
  const sortExpr = SORT_SQL[page.sort];
  const dir = page.desc ? 'DESC' : 'ASC';
  if (page.cursor) {
    const [v, s, i] = decodeCursor(page.cursor);
    where.push(`(${sortExpr}, a.source, a.id) ${page.desc ? '<' : '>'} (${p(v)}::${SORT_CAST[page.sort]}, ${p(s)}, ${p(i)})`);
  }
  const { rows } = await q.query<{ source: string; id: string; aliases: string[]; title: string | null; severity: Severity; cvss_score: string | null; kev: boolean; epss: number | null; published: Date | null; modified: Date; rejected: boolean; withdrawn: Date | null; sort_value: unknown }>(
    `SELECT a.source, a.id, a.aliases, a.title, a.severity, a.cvss_score, e.epss, a.published, a.modified, a.rejected, a.withdrawn,
            EXISTS (SELECT 1 FROM kev_entries k WHERE k.cve_id = ${CVE_OF}) AS kev, ${sortExpr} AS sort_value
       FROM advisories a LEFT JOIN epss_scores e ON e.cve_id = ${CVE_OF}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${sortExpr} ${dir}, a.source ${dir}, a.id ${dir}
      LIMIT ${page.limit + 1}`,
    params,
  );
  const items = rows.slice(0, page.limit).map((r) => ({
    source: r.source,
    id: r.id,
    aliases: r.aliases,
    title: r.title,
    severity: r.severity,
    cvssScore: r.cvss_score === null ? null : Number(r.cvss_score),
    kev: r.kev,
    epss: r.epss,
    published: r.published?.toISOString() ?? null,
    modified: r.modified.toISOString(),
    rejected: r.rejected,
    withdrawn: r.withdrawn?.toISOString() ?? null,
  }));
  const last = rows[page.limit - 1];
  const nextCursor = rows.length > page.limit && last ? encodeCursor(last.sort_value, last.source, last.id) : null;
  return { items, nextCursor };
}

function encodeCursor(v: unknown, source: string, id: string): string {
  const value = v instanceof Date ? (Number.isFinite(v.getTime()) ? v.toISOString() : '-infinity') : String(v);
  return Buffer.from(JSON.stringify([value, source, id])).toString('base64url');
}

function decodeCursor(c: string): [string, string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string')) return v as [string, string, string];
  } catch {
    // fall through
  }
  throw new VigilError('validation', 'invalid cursor', { errors: [{ pointer: '/querystring/cursor', detail: 'expected a cursor returned as nextCursor by this list' }] });
}
