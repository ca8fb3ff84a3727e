import { createHash } from 'node:crypto';
import type { Advisory, EpssScore, KevEntry, Severity } from '../../core/advisory.js';
import { normaliseVulnId } from '../../core/advisory.js';
import type { Queryable } from '../db.js';

/** Upsert outcome counts for one batch. */
export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, none: 1, unknown: 0 };

/** The highest score and severity among an advisory's CVSS entries (null/unknown without any). */
export function headline(a: Advisory): { score: number | null; severity: Severity } {
  let score: number | null = null;
  let severity: Severity = 'unknown';
  for (const c of a.cvss) {
    if (c.score !== null && (score === null || c.score > score)) score = c.score;
    if (SEVERITY_RANK[c.severity] > SEVERITY_RANK[severity]) severity = c.severity;
  }
  return { score, severity };
}

/** The row written for an advisory: search columns derived once, at ingestion. */
interface AdvisoryRow {
  source: string;
  id: string;
  modified: string;
  published: string | null;
  withdrawn: string | null;
  rejected: boolean;
  title: string | null;
  description: string | null;
  severity: Severity;
  cvss_score: number | null;
  cwes: readonly string[];
  aliases: readonly string[];
  ecosystems: string[];
  packages: string[];
  products: string[];
  ids: string[];
  data: Omit<Advisory, 'raw'>;
  raw: unknown;
  content_hash: string;
}

/** `ecosystem/name` keys, lower-cased, for the package filter (matchers apply each ecosystem's own rules later). */
export function packageKey(ecosystem: string, name: string): string {
  return `${ecosystem.split(':')[0]!.toLowerCase()}/${name.toLowerCase()}`;
}

/** `vendor:product` keys from CVE 5 affected products and CPE criteria. */
export function productKeys(a: Advisory): string[] {
  const out = new Set<string>();
  const add = (v: string | undefined, p: string | undefined) => {
    if (v && p) out.add(`${v.toLowerCase()}:${p.toLowerCase()}`);
  };
  const fromCpe = (cpe: string) => {
    const parts = cpe.split(':');
    if (parts[0] === 'cpe' && parts[1] === '2.3') add(parts[3], parts[4]);
  };
  for (const p of a.affectedProducts) {
    add(p.vendor, p.product);
    p.cpes.forEach(fromCpe);
  }
  for (const c of a.cpeConfigurations) for (const n of c.nodes) for (const m of n.cpeMatch) fromCpe(m.criteria);
  return [...out].sort();
}

export function toRow(a: Advisory): AdvisoryRow {
  const { raw, ...data } = a;
  const h = headline(a);
  const ecosystems = [...new Set(a.affectedPackages.map((p) => p.ecosystem))].sort();
  const packages = [...new Set(a.affectedPackages.map((p) => packageKey(p.ecosystem, p.name)))].sort();
  const ids = [...new Set([a.id, ...a.aliases].map((x) => normaliseVulnId(x).toUpperCase()))];
  const content_hash = createHash('sha256').update(JSON.stringify(data)).update('\0').update(JSON.stringify(raw) ?? 'null').digest('hex');
  return {
    source: a.source,
    id: a.id,
    modified: a.modified,
    published: a.published,
    withdrawn: a.withdrawn,
    rejected: a.rejected,
    title: a.title,
    description: a.description,
    severity: h.severity,
    cvss_score: h.score,
    cwes: a.cwes,
    aliases: a.aliases,
    ecosystems,
    packages,
    products: productKeys(a),
    ids,
    data,
    raw,
    content_hash,
  };
}

/** Keeps, per (source, id), only the newest record of a batch (ON CONFLICT may touch a row once per statement). */
function newestPerKey(rows: AdvisoryRow[]): AdvisoryRow[] {
  const byKey = new Map<string, AdvisoryRow>();
  for (const r of rows) {
    const k = `${r.source}\0${r.id}`;
    const prev = byKey.get(k);
    if (!prev || Date.parse(r.modified) >= Date.parse(prev.modified)) byKey.set(k, r);
  }
  return [...byKey.values()];
}

/**
 * Upserts a batch in one statement: the batch travels as one JSON parameter and is expanded
 * server-side by jsonb_to_recordset (one round trip, on PGlite and on a server alike). A row
 * changes only when the incoming record is newer, or as new but with different content;
 * replaying the same input changes nothing. Returns how many rows were new, updated or
 * unchanged, and refreshes the id/alias index of the rows that changed.
 */
export async function upsertAdvisories(q: Queryable, advisories: readonly Advisory[]): Promise<UpsertCounts> {
  if (advisories.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const rows = newestPerKey(advisories.map(toRow));
  const { rows: changed } = await q.query<{ source: string; id: string; inserted: boolean }>(
    `INSERT INTO advisories AS a (source, id, modified, published, withdrawn, rejected, title, description, severity,
        cvss_score, cwes, aliases, ecosystems, packages, products, data, raw, content_hash)
     SELECT r.source, r.id, r.modified, r.published, r.withdrawn, r.rejected, r.title, r.description, r.severity,
        r.cvss_score, ARRAY(SELECT jsonb_array_elements_text(r.cwes)), ARRAY(SELECT jsonb_array_elements_text(r.aliases)),
        ARRAY(SELECT jsonb_array_elements_text(r.ecosystems)), ARRAY(SELECT jsonb_array_elements_text(r.packages)),
        ARRAY(SELECT jsonb_array_elements_text(r.products)), r.data, r.raw, r.content_hash
       FROM jsonb_to_recordset($1::jsonb) AS r(source text, id text, modified timestamptz, published timestamptz,
        withdrawn timestamptz, rejected boolean, title text, description text, severity text, cvss_score numeric,
        cwes jsonb, aliases jsonb, ecosystems jsonb, packages jsonb, products jsonb, data jsonb, raw jsonb, content_hash text)
     ON CONFLICT (source, id) DO UPDATE SET
        modified = EXCLUDED.modified, published = EXCLUDED.published, withdrawn = EXCLUDED.withdrawn,
        rejected = EXCLUDED.rejected, title = EXCLUDED.title, description = EXCLUDED.description,
        severity = EXCLUDED.severity, cvss_score = EXCLUDED.cvss_score, cwes = EXCLUDED.cwes, aliases = EXCLUDED.aliases,
        ecosystems = EXCLUDED.ecosystems, packages = EXCLUDED.packages, products = EXCLUDED.products,
        data = EXCLUDED.data, raw = EXCLUDED.raw, content_hash = EXCLUDED.content_hash, updated_at = now()
      WHERE a.modified < EXCLUDED.modified
         OR (a.modified = EXCLUDED.modified AND a.content_hash <> EXCLUDED.content_hash)
     RETURNING a.source, a.id, (xmax = 0) AS inserted`,
    [JSON.stringify(rows)],
  );
  if (changed.length > 0) {
    const keys = new Set(changed.map((c) => `${c.source}\0${c.id}`));
    const idRows = rows.filter((r) => keys.has(`${r.source}\0${r.id}`)).flatMap((r) => r.ids.map((v) => ({ v, s: r.source, a: r.id })));
    await q.query(
      `DELETE FROM advisory_ids d USING jsonb_to_recordset($1::jsonb) AS k(source text, id text)
        WHERE d.source = k.source AND d.advisory_id = k.id`,
      [JSON.stringify(changed.map((c) => ({ source: c.source, id: c.id })))],
    );
    await q.query(
      `INSERT INTO advisory_ids (vuln_id, source, advisory_id)
       SELECT x.v, x.s, x.a FROM jsonb_to_recordset($1::jsonb) AS x(v text, s text, a text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(idRows)],
    );
  }
  const inserted = changed.filter((c) => c.inserted).length;
  return { inserted, updated: changed.length - inserted, unchanged: advisories.length - changed.length };
}

/** Upserts KEV entries; an entry changes only when its content does. */
export async function upsertKev(q: Queryable, entries: readonly KevEntry[], catalogVersion: string | null): Promise<UpsertCounts> {
  if (entries.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const byId = new Map(entries.map((e) => [e.cveId, e]));
  const rows = [...byId.values()].map((e) => ({ ...e, catalogVersion, hash: createHash('sha256').update(JSON.stringify(e)).digest('hex') }));
  const { rows: changed } = await q.query<{ inserted: boolean }>(
    `INSERT INTO kev_entries AS k (cve_id, vendor_project, product, vulnerability_name, date_added, short_description,
        required_action, due_date, known_ransomware_campaign_use, notes, cwes, catalog_version, content_hash)
     SELECT r."cveId", r."vendorProject", r.product, r."vulnerabilityName", r."dateAdded", r."shortDescription",
        r."requiredAction", r."dueDate", r."knownRansomwareCampaignUse", r.notes, ARRAY(SELECT jsonb_array_elements_text(r.cwes)),
        r."catalogVersion", r.hash
       FROM jsonb_to_recordset($1::jsonb) AS r("cveId" text, "vendorProject" text, product text, "vulnerabilityName" text,
        "dateAdded" date, "shortDescription" text, "requiredAction" text, "dueDate" date, "knownRansomwareCampaignUse" text,
        notes text, cwes jsonb, "catalogVersion" text, hash text)
     ON CONFLICT (cve_id) DO UPDATE SET vendor_project = EXCLUDED.vendor_project, product = EXCLUDED.product,
        vulnerability_name = EXCLUDED.vulnerability_name, date_added = EXCLUDED.date_added,
        short_description = EXCLUDED.short_description, required_action = EXCLUDED.required_action,
        due_date = EXCLUDED.due_date, known_ransomware_campaign_use = EXCLUDED.known_ransomware_campaign_use,
        notes = EXCLUDED.notes, cwes = EXCLUDED.cwes, catalog_version = EXCLUDED.catalog_version,
        content_hash = EXCLUDED.content_hash, updated_at = now()
      WHERE k.content_hash <> EXCLUDED.content_hash
     RETURNING (xmax = 0) AS inserted`,
    [JSON.stringify(rows)],
  );
  const inserted = changed.filter((c) => c.inserted).length;
  return { inserted, updated: changed.length - inserted, unchanged: entries.length - changed.length };
}

/** Upserts EPSS scores; a score for a later (or the same, changed) date replaces the stored one. */
export async function upsertEpss(q: Queryable, scores: readonly EpssScore[]): Promise<UpsertCounts> {
  if (scores.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const byId = new Map<string, EpssScore>();
  for (const s of scores) {
    const prev = byId.get(s.cveId);
    if (!prev || s.date >= prev.date) byId.set(s.cveId, s);
  }
  const { rows: changed } = await q.query<{ inserted: boolean }>(
    `INSERT INTO epss_scores AS e (cve_id, epss, percentile, score_date, model_version)
     SELECT r."cveId", r.epss, r.percentile, r.date, r."modelVersion"
       FROM jsonb_to_recordset($1::jsonb) AS r("cveId" text, epss double precision, percentile double precision, date date, "modelVersion" text)
     ON CONFLICT (cve_id) DO UPDATE SET epss = EXCLUDED.epss, percentile = EXCLUDED.percentile,
        score_date = EXCLUDED.score_date, model_version = EXCLUDED.model_version, updated_at = now()
      WHERE e.score_date < EXCLUDED.score_date
         OR (e.score_date = EXCLUDED.score_date AND (e.epss, e.percentile) IS DISTINCT FROM (EXCLUDED.epss, EXCLUDED.percentile))
     RETURNING (xmax = 0) AS inserted`,
    [JSON.stringify([...byId.values()])],
  );
  const inserted = changed.filter((c) => c.inserted).length;
  return { inserted, updated: changed.length - inserted, unchanged: scores.length - changed.length };
}
