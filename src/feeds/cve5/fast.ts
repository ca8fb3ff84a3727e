import { isCpe23Name, isCpeName } from '../cpe.js';
import { isCvssVector } from '../cvss-vector.js';
import { isUri } from '../references.js';
import { toIsoTimestamp } from '../timestamp.js';
import { CVE_ID, ENGLISH, type PublishedRecord, type RejectedRecord, type SsvcContent } from './schema.js';

/**
 * Written by hand, for speed: the zod schemas of schema.ts (the reference, which every
 * message about a bad record comes from) cost about a quarter of a millisecond per CVE record
 * before V8 has warmed up to them, the largest single cost of an import. No library validates
 * and transforms a CVE 5 record faster with the same rules, so this file repeats them: it
 * accepts a record only when schema.ts would, and then gives what schema.ts gives (the same
 * objects the mapper reads, timestamps normalised). Anything it does not accept, for whatever
 * reason, goes on to zod, which accepts it or says what is wrong; so this file may refuse more
 * than the schema (it does for nothing in the corpus), never less. fast.test.ts checks both
 * directions on the shared corpus and on hand-made bad records.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
/** An optional key: absent (undefined), or present and valid. */
const opt = (v: unknown, ok: (x: unknown) => boolean): boolean => v === undefined || ok(v);
const uri = (v: unknown): boolean => typeof v === 'string' && isUri(v);
/** A non-empty array whose every item passes. */
function list(v: unknown, ok: (x: unknown) => boolean, min = 1): v is unknown[] {
  if (!Array.isArray(v) || v.length < min) return false;
  for (const x of v) if (!ok(x)) return false;
  return true;
}

const DATA_VERSION = /^5\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?$/;
const CWE_ID = /^CWE-[1-9][0-9]*$/;
const STATUS = new Set(['affected', 'unaffected', 'unknown']);
const OPERATOR = new Set(['AND', 'OR']);

/** A timestamp as `isoTimestamp` reads it, or null when that refuses it. */
const iso = (v: unknown): string | null => (typeof v === 'string' ? toIsoTimestamp(v) : null);

/** providerMetadata, copied with `dateUpdated` normalised; undefined when the schema refuses it. */
function providerMetadata(v: unknown): Obj | undefined {
  if (!isObj(v) || !nonEmpty(v['orgId']) || !opt(v['shortName'], nonEmpty)) return undefined;
  const d = v['dateUpdated'];
  if (d === undefined) return v;
  const t = iso(d);
  return t === null ? undefined : { ...v, dateUpdated: t };
}

const description = (v: unknown): boolean => isObj(v) && nonEmpty(v['lang']) && nonEmpty(v['value']);
const englishDescriptions = (v: unknown): boolean =>
  list(v, description) && v.some((d) => ENGLISH.test((d as Obj)['lang'] as string));

const reference = (v: unknown): boolean => isObj(v) && uri(v['url']) && opt(v['tags'], (t) => list(t, nonEmpty, 0));
const references = (v: unknown): boolean => list(v, reference);

const problemDescription = (v: unknown): boolean =>
  isObj(v) && nonEmpty(v['lang']) && nonEmpty(v['description']) && opt(v['cweId'], (c) => isStr(c) && CWE_ID.test(c)) && opt(v['type'], isStr);
const problemTypes = (v: unknown): boolean => list(v, (p) => isObj(p) && list(p['descriptions'], problemDescription));

const cvss = (version: '2.0' | '3.0' | '3.1' | '4.0') => (v: unknown): boolean =>
  isObj(v) && v['version'] === version && isStr(v['vectorString']) && isCvssVector(version, v['vectorString']);
const CVSS_CHECKS = [['cvssV2_0', cvss('2.0')], ['cvssV3_0', cvss('3.0')], ['cvssV3_1', cvss('3.1')], ['cvssV4_0', cvss('4.0')]] as const;

/**
 * SSVC content (schema.ts `ssvcContent`) as the schema gives it: a copy with its timestamp
 * normalised, or undefined when this cannot tell that the schema accepts it.
 */
export function fastSsvcContent(v: unknown): SsvcContent | undefined {
  if (!isObj(v) || !list(v['options'], ssvcOption) || !opt(v['version'], isStr) || !opt(v['role'], isStr)) return undefined;
  const ts = v['timestamp'];
  if (ts === undefined) return v as SsvcContent;
  const t = iso(ts);
  return t === null ? undefined : ({ ...v, timestamp: t } as SsvcContent);
}

/** `z.record(z.string(), z.string())`: a plain object of strings. */
function ssvcOption(v: unknown): boolean {
  if (!isObj(v) || Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k of Object.keys(v)) if (!isStr(v[k])) return false;
  return true;
}

function other(v: unknown): boolean {
  if (!isObj(v) || !nonEmpty(v['type']) || !isObj(v['content'])) return false;
  return v['type'] !== 'ssvc' || fastSsvcContent(v['content']) !== undefined;
}

function metric(v: unknown): boolean {
  if (!isObj(v)) return false;
  let some = false;
  for (const [key, check] of CVSS_CHECKS) {
    const m = v[key];
    if (m === undefined) continue;
    if (!check(m)) return false;
    some = true;
  }
  const o = v['other'];
  if (o !== undefined) {
    if (!other(o)) return false;
    some = true;
  }
  return some;
}

const version = nonEmpty;
const status = (v: unknown): boolean => isStr(v) && STATUS.has(v);
const change = (v: unknown): boolean => isObj(v) && version(v['at']) && status(v['status']);

function versionEntry(v: unknown): boolean {
  if (!isObj(v) || !version(v['version']) || !status(v['status'])) return false;
  const { versionType, lessThan, lessThanOrEqual, changes } = v;
  if (!opt(versionType, nonEmpty) || !opt(lessThan, version) || !opt(lessThanOrEqual, version) || !opt(changes, (c) => list(c, change))) return false;
  // The schema's oneOf (see schema.ts versionEntry).
  const range = lessThan !== undefined || lessThanOrEqual !== undefined;
  if (lessThan !== undefined && lessThanOrEqual !== undefined) return false;
  if (range && versionType === undefined) return false;
  return range || changes === undefined;
}

function product(v: unknown): boolean {
  if (!isObj(v)) return false;
  const { vendor, product: name, collectionURL, packageName, repo, cpes, platforms, defaultStatus, versions } = v;
  if (!opt(vendor, nonEmpty) || !opt(name, nonEmpty) || !opt(collectionURL, uri) || !opt(packageName, nonEmpty) || !opt(repo, uri)) return false;
  if (!opt(cpes, (c) => list(c, (s) => isStr(s) && isCpeName(s), 0)) || !opt(platforms, (p) => list(p, isStr))) return false;
  if (!opt(defaultStatus, status) || !opt(versions, (x) => list(x, versionEntry))) return false;
  const named = (vendor !== undefined && name !== undefined) || (collectionURL !== undefined && packageName !== undefined);
  return named && (versions !== undefined || defaultStatus !== undefined);
}

const optionalNonEmpty = (v: unknown): boolean => v === undefined || nonEmpty(v);
const optionalBool = (v: unknown): boolean => v === undefined || typeof v === 'boolean';

function cpeMatch(v: unknown): boolean {
  return (
    isObj(v) &&
    typeof v['vulnerable'] === 'boolean' &&
    isStr(v['criteria']) &&
    isCpe23Name(v['criteria']) &&
    optionalNonEmpty(v['matchCriteriaId']) &&
    optionalNonEmpty(v['versionStartIncluding']) &&
    optionalNonEmpty(v['versionStartExcluding']) &&
    optionalNonEmpty(v['versionEndIncluding']) &&
    optionalNonEmpty(v['versionEndExcluding'])
  );
}
const operator = (v: unknown): boolean => isStr(v) && OPERATOR.has(v);
const cpeNode = (v: unknown): boolean => isObj(v) && operator(v['operator']) && optionalBool(v['negate']) && list(v['cpeMatch'], cpeMatch, 0);
const cpeApplicability = (v: unknown): boolean =>
  list(v, (c) => isObj(c) && opt(c['operator'], operator) && optionalBool(c['negate']) && list(c['nodes'], cpeNode, 0), 0);

/** The fields a published CNA container and an ADP container share; false when one is refused. */
function containerFields(c: Obj): boolean {
  return (
    opt(c['title'], nonEmpty) &&
    opt(c['affected'], (a) => list(a, product)) &&
    opt(c['cpeApplicability'], cpeApplicability) &&
    opt(c['problemTypes'], problemTypes) &&
    opt(c['references'], references) &&
    opt(c['metrics'], (m) => list(m, metric))
  );
}

/** A container with its providerMetadata normalised (a copy), or undefined. */
function withProvider(c: Obj): Obj | undefined {
  const pm = providerMetadata(c['providerMetadata']);
  if (pm === undefined) return undefined;
  return pm === c['providerMetadata'] ? c : { ...c, providerMetadata: pm };
}

function adp(v: unknown): Obj | undefined {
  if (!isObj(v) || !containerFields(v) || !opt(v['descriptions'], (d) => list(d, description, 0))) return undefined;
  return withProvider(v);
}

function cnaPublished(v: unknown): Obj | undefined {
  if (!isObj(v) || !containerFields(v) || !englishDescriptions(v['descriptions']) || !list(v['affected'], product) || !references(v['references'])) return undefined;
  return withProvider(v);
}

function cnaRejected(v: unknown): Obj | undefined {
  if (!isObj(v) || !englishDescriptions(v['rejectedReasons']) || !opt(v['replacedBy'], (r) => list(r, (id) => isStr(id) && CVE_ID.test(id)))) return undefined;
  return withProvider(v);
}

/** cveMetadata copied with its timestamps normalised, or undefined. */
function metadata(v: Obj, state: 'PUBLISHED' | 'REJECTED'): Obj | undefined {
  if (v['state'] !== state || !isStr(v['cveId']) || !CVE_ID.test(v['cveId']) || !nonEmpty(v['assignerOrgId']) || !opt(v['assignerShortName'], nonEmpty)) return undefined;
  const out: Obj = { ...v };
  for (const key of state === 'REJECTED' ? ['dateUpdated', 'datePublished', 'dateReserved', 'dateRejected'] : ['dateUpdated', 'datePublished', 'dateReserved']) {
    const d = v[key];
    if (d === undefined) continue;
    const t = iso(d);
    if (t === null) return undefined;
    out[key] = t;
  }
  return out;
}

export type FastCve5 = { readonly state: 'PUBLISHED'; readonly record: PublishedRecord } | { readonly state: 'REJECTED'; readonly record: RejectedRecord };

/**
 * A CVE 5 record as `publishedRecord` or `rejectedRecord` would give it, when this can tell
 * the schema accepts it; else undefined (ask the schema). Nested objects the schema would only
 * copy are the record's own.
 */
export function fastCve5Record(raw: unknown): FastCve5 | undefined {
  if (!isObj(raw) || raw['dataType'] !== 'CVE_RECORD' || !isStr(raw['dataVersion']) || !DATA_VERSION.test(raw['dataVersion'])) return undefined;
  const meta = raw['cveMetadata'];
  const containers = raw['containers'];
  if (!isObj(meta) || !isObj(containers)) return undefined;
  const state = meta['state'];
  if (state !== 'PUBLISHED' && state !== 'REJECTED') return undefined;
  const cveMetadata = metadata(meta, state);
  if (cveMetadata === undefined) return undefined;
  const cna = state === 'PUBLISHED' ? cnaPublished(containers['cna']) : cnaRejected(containers['cna']);
  if (cna === undefined) return undefined;
  const adpIn = containers['adp'];
  let adpOut: Obj[] | undefined;
  if (adpIn !== undefined) {
    if (!Array.isArray(adpIn) || adpIn.length === 0) return undefined;
    adpOut = [];
    for (const a of adpIn) {
      const c = adp(a);
      if (c === undefined) return undefined;
      adpOut.push(c);
    }
  }
  const record = { ...raw, cveMetadata, containers: { ...containers, cna, ...(adpOut !== undefined && { adp: adpOut }) } };
  // Checked above, rule by rule, against the schema's types (see fast.test.ts).
  return state === 'PUBLISHED' ? { state, record: record as unknown as PublishedRecord } : { state, record: record as unknown as RejectedRecord };
}
