import { normaliseVulnId, type AffectedPackage, type AffectedRange, type Advisory, type CvssEntry, type CvssVersion, type RangeEvent, type Reference } from '../../core/advisory.js';
import { firstIssue, readString, type JsonProblem } from '../../core/json-input.js';
import type { FeedFile, FeedRecord, Origin } from '../types.js';
import { fastOsvRecord } from './fast.js';
import { DEFAULT_OSV_LIMITS, isYamlName, readOsvValue, type OsvLimits } from './read.js';
import { EVENT_KEYS, idPrefix, isOsvId, isPlainObject, osvRecordSchema, type OsvAffected, type OsvRecord, type OsvSeverity } from './schema.js';

const OSV_NAME = /\.(?:json|ya?ml)$/i;
const JSON_ID = /"id"\s*:\s*"([^"\\]{1,128})"/;
const YAML_ID = /^id:[ \t]*["']?([^"'\s#]{1,128})/m;

/**
 * Cheap recognition from the name and the first few KiB: an OSV record in JSON or YAML. CVE 5
 * records (which also have `affected`) and JSON schemas are left to their own parsers.
 */
export function sniffOsv(name: string, head: string): boolean {
  if (!OSV_NAME.test(name)) return false;
  const h = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  if (isYamlName(name)) {
    if (/^(?:schema_version|affected):/m.test(h)) return true;
    const id = YAML_ID.exec(h)?.[1];
    return id !== undefined && isOsvId(id) && /^modified:/m.test(h);
  }
  if (!h.trimStart().startsWith('{')) return false;
  if (h.includes('"cveMetadata"') || h.includes('"CVE_RECORD"') || h.includes('"$schema"')) return false;
  if (h.includes('"schema_version"') || h.includes('"affected"')) return true;
  const id = JSON_ID.exec(h)?.[1];
  return id !== undefined && isOsvId(id) && h.includes('"modified"');
}

/** One file, one OSV record: an advisory, or an invalid record naming the file, id and reason. */
export function parseOsvFile(file: FeedFile, limits: OsvLimits = DEFAULT_OSV_LIMITS): FeedRecord[] {
  const read = readOsvValue(file.name, file.bytes, limits);
  if (!read.ok) return [invalid(file.origin, null, read.problem)];
  return [parseOsvValue(read.value, file.origin)];
}

/** An already-parsed OSV value (e.g. one entry of an API response) → one record. */
function parseOsvValue(value: unknown, origin: Origin): FeedRecord {
  if (!isPlainObject(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return invalid(origin, null, { reason: `expected one OSV record (an object), got ${got}`, pointer: '' });
  }
  const recordId = readString(value, 'id');
  // The hand-written check first (fast.ts): most records pass it; zod judges the rest.
  let record = fastOsvRecord(value);
  if (record === undefined) {
    const parsed = osvRecordSchema.safeParse(value);
    if (!parsed.success) return invalid(origin, recordId, firstIssue(parsed.error));
    record = parsed.data;
  }
  const cvss = cvssEntries(record);
  if (!cvss.ok) return invalid(origin, recordId, cvss.problem);
  return { kind: 'advisory', advisory: toAdvisory(record, cvss.entries, value), origin };
}

function invalid(origin: Origin, recordId: string | null, problem: JsonProblem): FeedRecord {
  return { kind: 'invalid', origin, feed: 'osv', recordId, reason: problem.reason, pointer: problem.pointer };
}

function toAdvisory(r: OsvRecord, cvss: readonly CvssEntry[], raw: unknown): Advisory {
  const self = normaliseVulnId(r.id);
  const aliases = uniqueIds(r.aliases ?? [], self);
  return {
    source: 'osv',
    id: r.id,
    aliases,
    related: uniqueIds([...(r.related ?? []), ...(r.upstream ?? [])], self),
    title: r.summary || null,
    description: r.details || null,
    published: r.published ?? null,
    modified: r.modified,
    withdrawn: r.withdrawn ?? null,
    rejected: false,
    cwes: cweIds(r.database_specific),
    references: (r.references ?? []).map((ref): Reference => ({ url: ref.url, tags: [ref.type] })),
    cvss,
    ssvc: [],
    affectedPackages: (r.affected ?? []).map(affectedPackage),
    affectedProducts: [],
    cpeConfigurations: [],
    raw,
  };
}

/** Normalised, first-seen order, no repeats, never the record's own id. */
function uniqueIds(ids: readonly string[], self: string): string[] {
  const out = new Set<string>();
  for (const id of ids) {
    const n = normaliseVulnId(id);
    if (n !== '' && n !== self) out.add(n);
  }
  return [...out];
}

const CWE = /^CWE-\d{1,7}$/;

/** GHSA's `database_specific.cwe_ids`: only well-formed `CWE-NNN` strings are kept. */
function cweIds(db: Record<string, unknown> | undefined): string[] {
  const ids = db?.['cwe_ids'];
  if (!Array.isArray(ids)) return [];
  const out = new Set<string>();
  for (const id of ids as unknown[]) if (typeof id === 'string' && CWE.test(id.trim())) out.add(id.trim());
  return [...out];
}

function affectedPackage(a: OsvAffected): AffectedPackage {
  const ranges = (a.ranges ?? []).map((r): AffectedRange => {
    const events = r.events.map(rangeEvent);
    return {
      type: r.type,
      ...(r.repo !== undefined && { repo: r.repo }),
      events,
      ...(r.database_specific !== undefined && { databaseSpecific: r.database_specific }),
    };
  });
  // A package-less entry (GIT ranges only) is allowed by OSV: it is named as osv.dev's query
  // API names it, ecosystem `GIT` and the repository URL, so commit matching can find it.
  const gitRepo = a.package ? undefined : ranges.find((r) => r.type === 'GIT' && r.repo)?.repo;
  return {
    ecosystem: a.package?.ecosystem ?? (gitRepo ? 'GIT' : ''),
    name: a.package?.name ?? gitRepo ?? '',
    ...(a.package?.purl !== undefined && { purl: a.package.purl }),
    ranges,
    versions: a.versions ?? [],
    ...(a.ecosystem_specific !== undefined && { ecosystemSpecific: a.ecosystem_specific }),
    ...(a.database_specific !== undefined && { databaseSpecific: a.database_specific }),
  };
}

/** The event's one key and value, as given (the schema checked there is exactly one). */
function rangeEvent(e: Partial<Record<(typeof EVENT_KEYS)[number], string>>): RangeEvent {
  for (const k of EVENT_KEYS) {
    const v = e[k];
    if (v !== undefined) return { [k]: v };
  }
  return {};
}

const CVSS_TYPES: Readonly<Record<string, readonly CvssVersion[]>> = {
  CVSS_V2: ['2.0'],
  CVSS_V3: ['3.0', '3.1'],
  CVSS_V4: ['4.0'],
};

/** The version a vector announces: `CVSS:3.1/…` → 3.1; a bare v2 vector (`AV:N/…`) → 2.0. */
export function cvssVersionOf(vector: string): CvssVersion | null {
  const m = /^CVSS:(\d\.\d)\//.exec(vector);
  if (!m) return /^AV:[A-Za-z]/.test(vector) ? '2.0' : null;
  const v = m[1];
  return v === '3.0' || v === '3.1' || v === '4.0' ? v : null;
}

type CvssResult = { readonly ok: true; readonly entries: CvssEntry[] } | { readonly ok: false; readonly problem: JsonProblem };

/**
 * CVSS vectors from the record's `severity[]` and each affected package's `severity[]`,
 * unscored (src/risk/cvss scores them). Other severity types (`Ubuntu`, …) stay in `raw`
 * only. A vector whose prefix contradicts its type, or names no CVSS version, makes the
 * record invalid; the metrics after the prefix are left for the scorer to judge.
 */
function cvssEntries(r: OsvRecord): CvssResult {
  const source = `osv:${idPrefix(r.id)}`;
  const seen = new Set<string>();
  const entries: CvssEntry[] = [];
  const lists: [OsvSeverity | null | undefined, string][] = [[r.severity, '/severity']];
  (r.affected ?? []).forEach((a, i) => lists.push([a.severity, `/affected/${i}/severity`]));
  for (const [list, base] of lists) {
    for (const [j, s] of (list ?? []).entries()) {
      const allowed = CVSS_TYPES[s.type];
      if (!allowed) continue;
      const vector = s.score.trim();
      const version = cvssVersionOf(vector);
      const pointer = `${base}/${j}/score`;
      if (version === null) return { ok: false, problem: { reason: `${pointer}: ${s.type} score is not a CVSS vector: ${JSON.stringify(vector.slice(0, 40))}`, pointer } };
      if (!allowed.includes(version)) return { ok: false, problem: { reason: `${pointer}: ${s.type} score holds a CVSS ${version} vector`, pointer } };
      const key = `${version} ${vector}`;
      if (seen.has(key)) continue;
      seen.add(key);
      entries.push({ version, vector, score: null, severity: 'unknown', source });
    }
  }
  return { ok: true, entries };
}
