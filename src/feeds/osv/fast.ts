import { isUri } from '../references.js';
import { EVENT_KEYS, isOsvId, isPlainObject, rfc3339ToIso, type OsvRecord } from './schema.js';

/**
 * Written by hand, for speed: the zod schema of schema.ts (the reference, which every message
 * about a bad record comes from) costs more than reading the record, before V8 has warmed up
 * to it. No library validates and transforms an OSV record faster with the same rules, so
 * this file repeats them: it accepts a record only when `osvRecordSchema` would, and then gives
 * what the schema gives (the objects the mapper reads, timestamps normalised). Anything it
 * does not accept goes on to zod, which accepts it or says what is wrong; so this may refuse
 * more than the schema, never less. fast.test.ts checks both directions.
 */

type Obj = Record<string, unknown>;

const isStr = (v: unknown): v is string => typeof v === 'string';
const optStr = (v: unknown): boolean => v === undefined || typeof v === 'string';
const optPlain = (v: unknown): boolean => v === undefined || isPlainObject(v);

function strings(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (const x of v) if (typeof x !== 'string') return false;
  return true;
}

/** `severitySchema`: absent, null, or a list of {type, score} strings. */
function severity(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v)) return false;
  for (const s of v) if (!isPlainObject(s) || !isStr(s['type']) || !isStr(s['score'])) return false;
  return true;
}

const RANGE_TYPES = new Set(['SEMVER', 'ECOSYSTEM', 'GIT']);

function range(v: unknown): boolean {
  if (!isPlainObject(v) || !isStr(v['type']) || !RANGE_TYPES.has(v['type']) || !optStr(v['repo']) || !optPlain(v['database_specific'])) return false;
  const events = v['events'];
  if (!Array.isArray(events) || events.length === 0) return false;
  let introduced = false;
  let fixed = false;
  let lastAffected = false;
  for (const e of events) {
    if (!isPlainObject(e)) return false;
    let keys = 0;
    for (const k of EVENT_KEYS) {
      const x = e[k];
      if (x === undefined) continue;
      if (typeof x !== 'string') return false;
      keys++;
    }
    if (keys !== 1) return false;
    if (e['introduced'] !== undefined) introduced = true;
    if (e['fixed'] !== undefined) fixed = true;
    if (e['last_affected'] !== undefined) lastAffected = true;
  }
  // rangeSchema's own rules.
  return introduced && !(fixed && lastAffected) && (v['type'] !== 'GIT' || v['repo'] !== undefined);
}

function affected(v: unknown): boolean {
  if (!isPlainObject(v) || !severity(v['severity']) || !optPlain(v['ecosystem_specific']) || !optPlain(v['database_specific'])) return false;
  const pkg = v['package'];
  if (pkg !== undefined && (!isPlainObject(pkg) || !isStr(pkg['ecosystem']) || pkg['ecosystem'] === '' || !isStr(pkg['name']) || pkg['name'] === '' || !optStr(pkg['purl']))) return false;
  const ranges = v['ranges'];
  if (ranges !== undefined) {
    if (!Array.isArray(ranges)) return false;
    for (const r of ranges) if (!range(r)) return false;
  }
  return v['versions'] === undefined || strings(v['versions']);
}

const reference = (v: unknown): boolean => isPlainObject(v) && isStr(v['type']) && isStr(v['url']) && isUri(v['url']);

/** A list that may also be null or absent, every item passing. */
function nullableList(v: unknown, ok: (x: unknown) => boolean): boolean {
  if (v === undefined || v === null) return true;
  if (!Array.isArray(v)) return false;
  for (const x of v) if (!ok(x)) return false;
  return true;
}

/** A timestamp field: absent, or what `timestamp` makes of it; null when the schema refuses it. */
function time(v: unknown): string | undefined | null {
  if (v === undefined) return undefined;
  return typeof v === 'string' ? rfc3339ToIso(v) : null;
}

/**
 * An OSV record as `osvRecordSchema` would give it, when this can tell the schema accepts it;
 * else undefined (ask the schema). Nested objects the schema would only copy are the record's own.
 */
export function fastOsvRecord(v: Obj): OsvRecord | undefined {
  const id = v['id'];
  if (!isStr(id) || !isOsvId(id) || !optStr(v['schema_version']) || !optStr(v['summary']) || !optStr(v['details'])) return undefined;
  const modified = time(v['modified']);
  const published = time(v['published']);
  const withdrawn = time(v['withdrawn']);
  if (modified === undefined || modified === null || published === null || withdrawn === null) return undefined;
  if (!(v['aliases'] === undefined || v['aliases'] === null || strings(v['aliases']))) return undefined;
  if ((v['related'] !== undefined && !strings(v['related'])) || (v['upstream'] !== undefined && !strings(v['upstream']))) return undefined;
  if (!severity(v['severity']) || !nullableList(v['affected'], affected) || !nullableList(v['references'], reference) || !optPlain(v['database_specific'])) return undefined;
  // Severity is given once: for the whole record or per affected package, not both.
  if (v['severity'] !== undefined && Array.isArray(v['affected'])) {
    for (const a of v['affected'] as Obj[]) if (a['severity'] !== undefined && a['severity'] !== null) return undefined;
  }
  const out: Obj = { ...v, modified };
  if (published !== undefined) out['published'] = published;
  if (withdrawn !== undefined) out['withdrawn'] = withdrawn;
  // Checked above, rule by rule, against the schema's types (see fast.test.ts).
  return out as OsvRecord;
}
