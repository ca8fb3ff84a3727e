/**
 * Reads what the matcher needs from the advisory store: the candidate advisories for an
 * inventory's lookup keys (one indexed query on `packages`), and for the matched alias groups
 * the CVSS of their CVE 5 / NVD records, KEV entries and EPSS scores. Withdrawn and rejected
 * records never match.
 */
import type { AffectedPackage, CvssEntry } from '../core/advisory.js';
import { normaliseVulnId } from '../core/advisory.js';
import type { Queryable } from '../store/db.js';
import { AdvisoryIndex, type CandidateAdvisory, type Enrichment } from './candidates.js';
import type { EpssFact, KevFact } from './model.js';

/** Keys per query: large inventories are read in slices so no statement grows without bound. */
const KEY_CHUNK = 5000;

interface CandidateRow {
  source: string;
  id: string;
  aliases: string[];
  title: string | null;
  published: Date | string | null;
  modified: Date | string;
  cvss: CvssEntry[] | null;
  affected: AffectedPackage[] | null;
  source_severity: string | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());

export function toCandidate(r: CandidateRow): CandidateAdvisory {
  return {
    source: r.source,
    id: r.id,
    aliases: r.aliases,
    title: r.title,
    published: iso(r.published),
    modified: iso(r.modified)!,
    cvss: r.cvss ?? [],
    affected: r.affected ?? [],
    sourceSeverity: typeof r.source_severity === 'string' && r.source_severity.length <= 40 ? r.source_severity : null,
  };
}

export const CANDIDATE_COLUMNS = `a.source, a.id, a.aliases, a.title, a.published, a.modified, a.data->'cvss' AS cvss,
  a.data->'affectedPackages' AS affected, a.raw->'database_specific'->>'severity' AS source_severity`;

/** The advisories naming any of `keys` (see matchKey), as a lookup index. */
export async function loadCandidates(q: Queryable, keys: readonly string[]): Promise<AdvisoryIndex> {
  const index = new AdvisoryIndex();
  const seen = new Set<string>();
  // The planner cannot estimate `&&` against a long array and scans the whole table (about 1 s
  // for 2,000 keys on 11k advisories) where the GIN index answers in milliseconds: the index is
  // forced for this one statement, the default restored after it.
  await q.query('SET LOCAL enable_seqscan = off');
  try {
    for (let i = 0; i < keys.length; i += KEY_CHUNK) {
      const { rows } = await q.query<CandidateRow>(
        `SELECT ${CANDIDATE_COLUMNS} FROM advisories a
          WHERE a.packages && $1::text[] AND NOT a.rejected AND a.withdrawn IS NULL`,
        [keys.slice(i, i + KEY_CHUNK)],
      );
      for (const r of rows) {
        const k = `${r.source}:${r.id}`;
        if (seen.has(k)) continue;
        seen.add(k);
        index.add(toCandidate(r));
      }
    }
  } finally {
    await q.query('SET LOCAL enable_seqscan TO DEFAULT');
  }
  return index;
}

/** CVSS of other records (CVE 5, NVD), KEV and EPSS for the given vulnerability ids. */
export async function loadEnrichment(q: Queryable, ids: Iterable<string>): Promise<Enrichment> {
  const wanted = [...new Set([...ids].map((i) => normaliseVulnId(i).toUpperCase()))];
  const cvss = new Map<string, CvssEntry[]>();
  const aliases = new Map<string, string[]>();
  const kev = new Map<string, KevFact>();
  const epss = new Map<string, EpssFact>();
  if (wanted.length === 0) return { cvss, aliases, kev, epss };
  const cves = wanted.filter((i) => i.startsWith('CVE-'));
  for (let i = 0; i < wanted.length; i += KEY_CHUNK) {
    const slice = wanted.slice(i, i + KEY_CHUNK);
    const { rows } = await q.query<{ vuln_id: string; cvss: CvssEntry[] | null; aliases: string[] }>(
      `SELECT i.vuln_id, a.data->'cvss' AS cvss, a.aliases
         FROM advisory_ids i JOIN advisories a ON a.source = i.source AND a.id = i.advisory_id
        WHERE i.vuln_id = ANY($1::text[]) AND i.source IN ('cve5', 'nvd') AND NOT a.rejected`,
      [slice],
    );
    for (const r of rows) {
      const key = displayKey(r.vuln_id);
      if (r.cvss && r.cvss.length > 0) cvss.set(key, [...(cvss.get(key) ?? []), ...r.cvss]);
      if (r.aliases.length > 0) aliases.set(key, [...new Set([...(aliases.get(key) ?? []), ...r.aliases])]);
    }
  }
  for (let i = 0; i < cves.length; i += KEY_CHUNK) {
    const slice = cves.slice(i, i + KEY_CHUNK);
    const k = await q.query<{ cve_id: string; date_added: Date | string; due_date: Date | string; known_ransomware_campaign_use: 'Known' | 'Unknown' }>(
      `SELECT cve_id, date_added::text AS date_added, due_date::text AS due_date, known_ransomware_campaign_use FROM kev_entries WHERE cve_id = ANY($1::text[])`,
      [slice],
    );
    for (const r of k.rows) kev.set(r.cve_id, { dateAdded: String(r.date_added), dueDate: String(r.due_date), knownRansomwareCampaignUse: r.known_ransomware_campaign_use });
    const e = await q.query<{ cve_id: string; epss: number; percentile: number; score_date: string }>(
      `SELECT cve_id, epss, percentile, score_date::text AS score_date FROM epss_scores WHERE cve_id = ANY($1::text[])`,
      [slice],
    );
    for (const r of e.rows) epss.set(r.cve_id, { score: Number(r.epss), percentile: Number(r.percentile), date: r.score_date });
  }
  return { cvss, aliases, kev, epss };
}

/** advisory_ids keeps ids upper-cased; findings spell GHSA ids as GitHub does. */
function displayKey(upper: string): string {
  return normaliseVulnId(upper);
}
