import { createHash, hash } from 'node:crypto';
import type { Advisory, EpssScore, KevEntry, Severity } from '../../core/advisory.js';
import { normaliseVulnId } from '../../core/advisory.js';
import { matchKey } from '../../core/ecosystem.js';
import { copyArray, copyJson, copyNullable, copyPayload, copyText } from '../copy.js';
import { isUniqueViolation } from '../pgErrors.js';
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

/**
 * `ecosystem/name` keys for the package filter and the matcher's lookup: lower-cased base
 * ecosystem and the name as the ecosystem compares it (PEP 503 for PyPI …), see
 * src/core/ecosystem.ts. Migration 007 recomputed the rows stored before names were normalised.
 */
export function packageKey(ecosystem: string, name: string): string {
  return matchKey(ecosystem, name);
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

/** How a prepared row travels: a JSON object (any driver) or a line for COPY (PGlite). */
export type RowFormat = 'json' | 'copy';

/**
 * An advisory ready for the store, built once where it is parsed (possibly in another thread:
 * plain data only). `row` holds every column, the normalised model (`data`) and the source
 * record (`raw`) included, each serialised exactly once (the content hash uses that text
 * too): a JSON object, or a line of COPY text format in ADVISORY_COLUMNS order.
 */
export interface PreparedAdvisory {
  readonly source: string;
  readonly id: string;
  readonly modified: string;
  /** Of the normalised model and the source record: any change to either changes it. */
  readonly contentHash: string;
  /** Of the source record alone: orders two different records with the same id and time (see `replaces`). */
  readonly rawHash: string;
  /** Every id the record answers to (its own and its aliases), normalised and upper-cased. */
  readonly ids: readonly string[];
  readonly format: RowFormat;
  /**
   * The row: JSON text, or a COPY line as text or, once the import worker packed it for the
   * importing thread (see produce.ts `packRows`), as its UTF-8 bytes.
   */
  readonly row: string | Uint8Array;
  /**
   * Why PostgreSQL cannot store the record, when it cannot: a NUL character (U+0000) anywhere,
   * or an unpaired UTF-16 surrogate in the source record (jsonb refuses both). Such a record
   * must be quarantined, not written: it would fail its whole database batch.
   */
  readonly unstorable: string | null;
}

/** A JSON `\u0000` escape that is not itself an escaped backslash followed by `u0000`. */
const NUL_ESCAPE = /(?<!\\)(?:\\\\)*\\u0000/;
/**
 * A JSON escape of a lone surrogate. JSON.stringify writes a paired surrogate as the character
 * itself and escapes only one without its pair (well-formed JSON.stringify), so any such escape
 * that is not an escaped backslash followed by `ud800`… is one.
 */
const LONE_SURROGATE_ESCAPE = /(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/;

/** Why PostgreSQL could not store this serialised record, or null (see PreparedAdvisory.unstorable). */
function unstorable(dataJson: string, rawJson: string): string | null {
  // JSON.stringify escapes only control characters and lone surrogates with `\u`: most records have none.
  const dataEscapes = dataJson.includes('\\u');
  const rawEscapes = rawJson.includes('\\u');
  if ((dataEscapes && NUL_ESCAPE.test(dataJson)) || (rawEscapes && NUL_ESCAPE.test(rawJson))) return 'the record contains a NUL character (U+0000), which PostgreSQL cannot store';
  if (rawEscapes && LONE_SURROGATE_ESCAPE.test(rawJson)) return 'the record contains an unpaired UTF-16 surrogate (U+D800 to U+DFFF), which PostgreSQL cannot store as jsonb';
  return null;
}

/** The columns a prepared row fills, in COPY line order. */
export const ADVISORY_COLUMNS =
  'source, id, modified, published, withdrawn, rejected, title, description, severity, cvss_score, cwes, aliases, ecosystems, packages, products, data, raw, content_hash, raw_hash';


export function prepareAdvisory(a: Advisory, format: RowFormat = 'json'): Omit<PreparedAdvisory, 'row'> & { readonly row: string } {
  const { raw, ...data } = a;
  const h = headline(a);
  const dataJson = JSON.stringify(data);
  const rawJson = JSON.stringify(raw) ?? 'null';
  // One-shot hashing (about twice as fast as a Hash object for records of a few KB).
  const rawHash = hash('sha256', rawJson, 'hex');
  const contentHash = hash('sha256', `${dataJson}\0${rawHash}`, 'hex');
  const ecosystems = [...new Set(a.affectedPackages.map((p) => p.ecosystem))].sort();
  const packages = [...new Set(a.affectedPackages.map((p) => packageKey(p.ecosystem, p.name)))].sort();
  const products = productKeys(a);
  let row: string;
  if (format === 'copy') {
    row = [
      copyText(a.source), copyText(a.id), copyText(a.modified), copyNullable(a.published), copyNullable(a.withdrawn), a.rejected ? 't' : 'f',
      copyNullable(a.title), copyNullable(a.description), h.severity, h.score === null ? '\\N' : String(h.score),
      copyArray(a.cwes), copyArray(a.aliases), copyArray(ecosystems), copyArray(packages), copyArray(products),
      copyJson(dataJson), copyJson(rawJson), contentHash, rawHash,
    ].join('\t') + '\n';
  } else {
    const columns = JSON.stringify({
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
      products,
      content_hash: contentHash,
      raw_hash: rawHash,
    });
    row = `${columns.slice(0, -1)},"data":${dataJson},"raw":${rawJson}}`;
  }
  return {
    source: a.source,
    id: a.id,
    modified: a.modified,
    contentHash,
    rawHash,
    ids: [...new Set([a.id, ...a.aliases].map((x) => normaliseVulnId(x).toUpperCase()))],
    format,
    row,
    unstorable: unstorable(dataJson, rawJson),
  };
}

/**
 * Whether `next` replaces `stored`: a later `modified`; or the same `modified` with other
 * content, when it is the same source record normalised anew (same raw hash) or another
 * record whose raw hash orders after (a fixed order, so that two mirrors that disagree do not
 * replace each other on every import). UPDATE_RULE says the same in SQL.
 */
function replaces(next: PreparedAdvisory, stored: PreparedAdvisory): boolean {
  const a = Date.parse(next.modified);
  const b = Date.parse(stored.modified);
  return a > b || (a === b && next.contentHash !== stored.contentHash && next.rawHash >= stored.rawHash);
}

/** Keeps, per (source, id), the record of a batch that the update rule lets win (ON CONFLICT may touch a row once per statement). */
function newestPerKey(rows: readonly PreparedAdvisory[]): PreparedAdvisory[] {
  const byKey = new Map<string, PreparedAdvisory>();
  for (const r of rows) {
    const k = `${r.source}\0${r.id}`;
    const prev = byKey.get(k);
    if (!prev || replaces(r, prev)) byKey.set(k, r);
  }
  return [...byKey.values()];
}

/** `replaces` in SQL, for a stored row `a` and an incoming one `n`. */
const UPDATE_RULE = (n: string) =>
  `(a.modified < ${n}.modified OR (a.modified = ${n}.modified AND a.content_hash <> ${n}.content_hash AND a.raw_hash <= ${n}.raw_hash))`;

/** Upserts advisories (see upsertPrepared): as COPY lines where the driver can COPY. */
export function upsertAdvisories(q: Queryable, advisories: readonly Advisory[]): Promise<UpsertCounts> {
  return upsertPrepared(q, advisories.map((a) => prepareAdvisory(a, q.copyFrom ? 'copy' : 'json')));
}

const UPSERT_SET = `ON CONFLICT (source, id) DO UPDATE SET
        modified = EXCLUDED.modified, published = EXCLUDED.published, withdrawn = EXCLUDED.withdrawn,
        rejected = EXCLUDED.rejected, title = EXCLUDED.title, description = EXCLUDED.description,
        severity = EXCLUDED.severity, cvss_score = EXCLUDED.cvss_score, cwes = EXCLUDED.cwes, aliases = EXCLUDED.aliases,
        ecosystems = EXCLUDED.ecosystems, packages = EXCLUDED.packages, products = EXCLUDED.products,
        data = EXCLUDED.data, raw = EXCLUDED.raw, content_hash = EXCLUDED.content_hash, raw_hash = EXCLUDED.raw_hash,
        updated_at = now()
      WHERE ${UPDATE_RULE('EXCLUDED')}
     RETURNING a.source, a.id, (xmax = 0) AS inserted`;

/** A row written, and whether its ids were written with it (see writeCopy). */
type Changed = { source: string; id: string; inserted: boolean; withIds?: boolean };

/** JSON rows: one INSERT … ON CONFLICT, the batch as one parameter expanded by json_to_recordset. */
async function writeJson(q: Queryable, rows: readonly PreparedAdvisory[]): Promise<Changed[]> {
  const { rows: changed } = await q.query<Changed>(
    `INSERT INTO advisories AS a (${ADVISORY_COLUMNS})
     SELECT ${ADVISORY_COLUMNS}
       FROM json_to_recordset($1::json) AS r(source text, id text, modified timestamptz, published timestamptz,
        withdrawn timestamptz, rejected boolean, title text, description text, severity text, cvss_score numeric,
        cwes text[], aliases text[], ecosystems text[], packages text[], products text[], data json, raw jsonb, content_hash text,
        raw_hash text)
     ${UPSERT_SET}`,
    [`[${rows.map((r) => (typeof r.row === 'string' ? r.row : Buffer.from(r.row.buffer, r.row.byteOffset, r.row.length).toString('utf8'))).join(',')}]`],
  );
  return changed;
}

type Copying = Queryable & Required<Pick<Queryable, 'copyFrom'>>;

/**
 * COPYs rows the light query found new straight into the table: no staging, no ON CONFLICT.
 * With PGlite (one session) nothing can insert them meanwhile. On a server another session
 * may have, since the light query: the unique key then refuses the COPY (23505), it is undone
 * to a savepoint and false is returned, for the rows to go the upsert way instead.
 */
async function copyFresh(q: Copying, rows: readonly PreparedAdvisory[]): Promise<boolean> {
  const lines = copyPayload(rows.map((r) => r.row));
  if (q.exclusive) {
    await q.copyFrom(`advisories (${ADVISORY_COLUMNS})`, lines);
    return true;
  }
  await q.query('SAVEPOINT advisories_fresh');
  try {
    await q.copyFrom(`advisories (${ADVISORY_COLUMNS})`, lines);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    await q.query('ROLLBACK TO SAVEPOINT advisories_fresh');
    return false;
  }
  await q.query('RELEASE SAVEPOINT advisories_fresh');
  return true;
}

/** COPY rows that may exist: into a temporary table, then the same INSERT … ON CONFLICT as JSON rows. */
async function upsertStaged(q: Copying, rows: readonly PreparedAdvisory[]): Promise<Changed[]> {
  await q.query('CREATE TEMP TABLE IF NOT EXISTS advisories_incoming (LIKE advisories INCLUDING DEFAULTS) ON COMMIT DELETE ROWS');
  await q.copyFrom(`advisories_incoming (${ADVISORY_COLUMNS})`, copyPayload(rows.map((r) => r.row)));
  const { rows: changed } = await q.query<Changed>(`INSERT INTO advisories AS a (${ADVISORY_COLUMNS}) SELECT ${ADVISORY_COLUMNS} FROM advisories_incoming ${UPSERT_SET}`);
  await q.query('TRUNCATE advisories_incoming');
  return changed;
}

/**
 * COPY rows: new ones copied in (see copyFresh) with their ids (no other session can hold ids
 * of rows this transaction created), the others (and new ones a concurrent session took
 * first) upserted.
 */
async function writeCopy(q: Queryable, fresh: readonly PreparedAdvisory[], existing: readonly PreparedAdvisory[]): Promise<Changed[]> {
  if (!q.copyFrom) throw new Error('rows prepared for COPY need a driver that can COPY');
  const c = q as Copying;
  const changed: Changed[] = [];
  const upsert = [...existing];
  if (fresh.length > 0) {
    if (await copyFresh(c, fresh)) {
      const lines: string[] = [];
      for (const r of fresh) {
        const key = `\t${copyText(r.source)}\t${copyText(r.id)}\n`;
        for (const v of r.ids) lines.push(copyText(v) + key);
        changed.push({ source: r.source, id: r.id, inserted: true, withIds: true });
      }
      await c.copyFrom('advisory_ids (vuln_id, source, advisory_id)', lines.join(''));
    } else {
      upsert.push(...fresh);
    }
  }
  if (upsert.length > 0) changed.push(...(await upsertStaged(c, upsert)));
  return changed;
}

/**
 * Upserts a batch. A row changes only when the incoming record is newer, or as new but with
 * different content; replaying the same input changes nothing. First a light query (keys,
 * times and hashes only) finds the rows that would change, so unchanged records cost no
 * parsing, full-text analysis or index work; then only those rows are written: by COPY where
 * the driver can (new rows straight into the table, others through a staging table and one
 * INSERT … ON CONFLICT), else in one JSON statement; and the id/alias index of the rows that
 * changed is refreshed. Returns how many rows were new, updated or unchanged.
 */
export async function upsertPrepared(q: Queryable, prepared: readonly PreparedAdvisory[]): Promise<UpsertCounts> {
  if (prepared.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const rows = newestPerKey(prepared);
  const { rows: todo } = await q.query<{ i: number; fresh: boolean }>(
    `SELECT k.i, a.id IS NULL AS fresh FROM json_to_recordset($1::json) AS k(i integer, source text, id text, modified timestamptz, content_hash text, raw_hash text)
       LEFT JOIN advisories a ON a.source = k.source AND a.id = k.id
      WHERE a.id IS NULL OR ${UPDATE_RULE('k')}`,
    [JSON.stringify(rows.map((r, i) => ({ i, source: r.source, id: r.id, modified: r.modified, content_hash: r.contentHash, raw_hash: r.rawHash })))],
  );
  if (todo.length === 0) return { inserted: 0, updated: 0, unchanged: prepared.length };
  const write = todo.map((t) => rows[t.i]!);
  const json = write.filter((r) => r.format === 'json');
  const changed = json.length > 0 ? await writeJson(q, json) : [];
  if (json.length < write.length) {
    const fresh: PreparedAdvisory[] = [];
    const existing: PreparedAdvisory[] = [];
    for (const t of todo) {
      const r = rows[t.i]!;
      if (r.format === 'copy') (t.fresh ? fresh : existing).push(r);
    }
    changed.push(...(await writeCopy(q, fresh, existing)));
  }
  const idsToWrite = changed.filter((c) => !c.withIds);
  if (idsToWrite.length > 0) {
    // A new row has no ids yet (they go with their record: ON DELETE CASCADE); an updated one may have stale ones.
    const updated = changed.filter((c) => !c.inserted);
    if (updated.length > 0) {
      await q.query(
        `DELETE FROM advisory_ids d USING json_to_recordset($1::json) AS k(s text, id text)
          WHERE d.source = k.s AND d.advisory_id = k.id`,
        [JSON.stringify(updated.map((c) => ({ s: c.source, id: c.id })))],
      );
    }
    const keys = new Set(idsToWrite.map((c) => `${c.source}\0${c.id}`));
    const idRows = write.filter((r) => keys.has(`${r.source}\0${r.id}`)).flatMap((r) => r.ids.map((v) => ({ v, s: r.source, a: r.id })));
    await q.query(
      `INSERT INTO advisory_ids (vuln_id, source, advisory_id)
       SELECT x.v, x.s, x.a FROM json_to_recordset($1::json) AS x(v text, s text, a text)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(idRows)],
    );
  }
  const inserted = changed.filter((c) => c.inserted).length;
  return { inserted, updated: changed.length - inserted, unchanged: prepared.length - changed.length };
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
        r."requiredAction", r."dueDate", r."knownRansomwareCampaignUse", r.notes, r.cwes,
        r."catalogVersion", r.hash
       FROM json_to_recordset($1::json) AS r("cveId" text, "vendorProject" text, product text, "vulnerabilityName" text,
        "dateAdded" date, "shortDescription" text, "requiredAction" text, "dueDate" date, "knownRansomwareCampaignUse" text,
        notes text, cwes text[], "catalogVersion" text, hash text)
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
  let rows = [...byId.values()];
  let copied = 0;
  if (q.exclusive && q.copyFrom) {
    // PGlite: scores seen for the first time are copied in (one session: nothing else can
    // insert them meanwhile); only the others go through the upsert.
    const { rows: todo } = await q.query<{ i: number; fresh: boolean }>(
      `SELECT k.i, e.cve_id IS NULL AS fresh FROM json_to_recordset($1::json) AS k(i integer, c text, d date, e double precision, p double precision)
         LEFT JOIN epss_scores e ON e.cve_id = k.c
        WHERE e.cve_id IS NULL OR e.score_date < k.d OR (e.score_date = k.d AND (e.epss, e.percentile) IS DISTINCT FROM (k.e, k.p))`,
      [JSON.stringify(rows.map((r, i) => ({ i, c: r.cveId, d: r.date, e: r.epss, p: r.percentile })))],
    );
    const fresh = todo.filter((t) => t.fresh).map((t) => rows[t.i]!);
    if (fresh.length > 0) {
      const line = (r: EpssScore) => `${copyText(r.cveId)}\t${r.epss}\t${r.percentile}\t${copyText(r.date)}\t${copyNullable(r.modelVersion)}\n`;
      await q.copyFrom('epss_scores (cve_id, epss, percentile, score_date, model_version)', fresh.map(line).join(''));
    }
    copied = fresh.length;
    rows = todo.filter((t) => !t.fresh).map((t) => rows[t.i]!);
  }
  let changed: { inserted: boolean }[] = [];
  if (rows.length > 0) {
    ({ rows: changed } = await q.query<{ inserted: boolean }>(
      `INSERT INTO epss_scores AS e (cve_id, epss, percentile, score_date, model_version)
       SELECT r."cveId", r.epss, r.percentile, r.date, r."modelVersion"
         FROM json_to_recordset($1::json) AS r("cveId" text, epss double precision, percentile double precision, date date, "modelVersion" text)
       ON CONFLICT (cve_id) DO UPDATE SET epss = EXCLUDED.epss, percentile = EXCLUDED.percentile,
          score_date = EXCLUDED.score_date, model_version = EXCLUDED.model_version, updated_at = now()
        WHERE e.score_date < EXCLUDED.score_date
           OR (e.score_date = EXCLUDED.score_date AND (e.epss, e.percentile) IS DISTINCT FROM (EXCLUDED.epss, EXCLUDED.percentile))
       RETURNING (xmax = 0) AS inserted`,
      [JSON.stringify(rows)],
    ));
  }
  const inserted = copied + changed.filter((c) => c.inserted).length;
  const updated = changed.length - (inserted - copied);
  return { inserted, updated, unchanged: scores.length - inserted - updated };
}
