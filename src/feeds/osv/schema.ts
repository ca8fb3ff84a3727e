import { z } from 'zod';
import { isUri } from '../references.js';
import { timestampParts } from '../timestamp.js';

/**
 * The OSV record (https://ossf.github.io/osv-schema/) as this parser reads it: strict on what
 * the advisory model needs (ids, timestamps, ranges, versions, severity, references), loose
 * (unknown keys pass through, untouched) everywhere else. `raw` keeps the record verbatim, so
 * nothing here needs to model `credits`, `database_specific` or other fields in full.
 *
 * Where this is deliberately more lenient than the official JSON schema (closed lists that
 * grow with every new database, extra top-level fields), the corpus test names each case.
 */

export const RANGE_TYPES = ['SEMVER', 'ECOSYSTEM', 'GIT'] as const;
export const EVENT_KEYS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;

const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

export const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Any JSON object, passed through as the same value (not copied, so nothing is dropped). */
const plainObject = z.custom<Record<string, unknown>>(isPlainObject, { message: 'expected an object' });

/**
 * An OSV id: a database prefix, a dash and the rest (`GHSA-…`, `PYSEC-…`, `RHSA-2022:0216`,
 * `SUSE-SU-…`), or a private `x_…` id. The prefix list itself is not closed here: it grows
 * with every database that joins OSV.
 */
const ID_CHARS = /^[A-Za-z][A-Za-z0-9._:+-]*$/;
export function isOsvId(s: string): boolean {
  if (s.length < 3 || s.length > 128 || !ID_CHARS.test(s)) return false;
  return s.startsWith('x_') || /^[A-Za-z][A-Za-z0-9]*-./.test(s);
}

/** The id's database prefix, for labelling (`GHSA-…` → `GHSA`, `SUSE-SU-…` → `SUSE`). */
export function idPrefix(id: string): string {
  const dash = id.indexOf('-');
  return dash > 0 ? id.slice(0, dash) : id;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * An RFC 3339 date-time (the zone is required, any year 0000–9999) → ISO 8601 in UTC with
 * millisecond precision (`YYYY-MM-DDTHH:MM:SS.sssZ`), so that string order is time order.
 * Sub-millisecond digits are truncated. Leap seconds (`:60`) are refused. OSV's Go database
 * writes `0001-01-01T00:00:00Z` in its repository copy: a valid, if meaningless, instant.
 */
export function rfc3339ToIso(s: string): string | null {
  if (s.length > 64) return null;
  // In UTC already (most records): the fields as given, which is what Date would print for a
  // valid instant of a four-digit year, without a regex or a Date (see timestampParts).
  const p = timestampParts(s, true);
  if (p !== undefined && (p.rest === 'Z' || p.rest === 'z')) {
    const monthDays = p.month === 2 && isLeap(p.year) ? 29 : DAYS[p.month - 1];
    if (monthDays === undefined || p.day < 1 || p.day > monthDays || p.hour > 23 || p.minute > 59 || p.second > 59) return null;
    return `${s.slice(0, 10)}T${s.slice(11, 19)}.${p.fraction.slice(1, 4).padEnd(3, '0')}Z`;
  }
  const m = RFC3339.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const monthDays = mo === 2 && isLeap(y) ? 29 : DAYS[mo - 1];
  if (monthDays === undefined || d < 1 || d > monthDays || h > 23 || mi > 59 || se > 59) return null;
  const ms = m[7] ? Number(m[7].slice(1, 4).padEnd(3, '0')) : 0;
  const zone = m[8] ?? 'Z';
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return null;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not.
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, se, ms);
  const utc = new Date(date.getTime() - offsetMinutes * 60_000);
  const year = utc.getUTCFullYear();
  return year < 0 || year > 9999 ? null : utc.toISOString();
}

/** zod: an RFC 3339 timestamp, output normalised by `rfc3339ToIso`. */
export const timestamp = z.string().transform((s, ctx) => {
  const iso = rfc3339ToIso(s);
  if (iso === null) {
    ctx.addIssue({ code: 'custom', message: `not an RFC 3339 date-time with a zone: ${show(s)}` });
    return z.NEVER;
  }
  return iso;
});

const optionalString = z.string().optional();

/** One range event: exactly one of the four keys (other keys are tolerated, and dropped). */
export const rangeEventSchema = z
  .looseObject({ introduced: optionalString, fixed: optionalString, last_affected: optionalString, limit: optionalString })
  .refine((e) => EVENT_KEYS.filter((k) => e[k] !== undefined).length === 1, {
    message: `a range event needs exactly one of ${EVENT_KEYS.join(', ')}`,
  });

export const rangeSchema = z
  .looseObject({
    type: z.enum(RANGE_TYPES, { error: (iss) => `unknown range type ${show(iss.input)} (expected ${RANGE_TYPES.join(', ')})` }),
    repo: optionalString,
    events: z.array(rangeEventSchema).min(1, 'a range needs at least one event'),
    database_specific: plainObject.optional(),
  })
  .superRefine((r, ctx) => {
    // The schema's own rules, which also make a range meaningful to a matcher.
    if (!r.events.some((e) => e.introduced !== undefined)) ctx.addIssue({ code: 'custom', message: "a range needs an 'introduced' event", path: ['events'] });
    if (r.events.some((e) => e.fixed !== undefined) && r.events.some((e) => e.last_affected !== undefined)) {
      ctx.addIssue({ code: 'custom', message: "'fixed' and 'last_affected' events cannot share a range", path: ['events'] });
    }
    if (r.type === 'GIT' && r.repo === undefined) ctx.addIssue({ code: 'custom', message: 'a GIT range needs a repo', path: ['repo'] });
  });

export const severitySchema = z.array(z.looseObject({ type: z.string(), score: z.string() })).nullable().optional();

export const affectedSchema = z.looseObject({
  package: z
    .looseObject({
      ecosystem: z.string().min(1, 'an empty ecosystem'),
      name: z.string().min(1, 'an empty package name'),
      purl: optionalString,
    })
    .optional(),
  severity: severitySchema,
  ranges: z.array(rangeSchema).optional(),
  versions: z.array(z.string()).optional(),
  ecosystem_specific: plainObject.optional(),
  database_specific: plainObject.optional(),
});

export const referenceSchema = z.looseObject({
  type: z.string(),
  url: z.string().refine(isUri, { message: 'not an absolute URI' }),
});

const idList = z.array(z.string());

export const osvRecordSchema = z
  .looseObject({
    schema_version: optionalString,
    id: z.string().refine(isOsvId, { message: 'not an OSV id (PREFIX-…)' }),
    modified: timestamp,
    published: timestamp.optional(),
    withdrawn: timestamp.optional(),
    aliases: idList.nullable().optional(),
    related: idList.optional(),
    upstream: idList.optional(),
    summary: optionalString,
    details: optionalString,
    severity: severitySchema,
    affected: z.array(affectedSchema).nullable().optional(),
    references: z.array(referenceSchema).nullable().optional(),
    database_specific: plainObject.optional(),
  })
  .superRefine((r, ctx) => {
    // Severity is given once: for the whole record or per affected package, not both.
    if (r.severity === undefined) return;
    r.affected?.forEach((a, i) => {
      if (a.severity !== undefined && a.severity !== null) {
        ctx.addIssue({ code: 'custom', message: 'severity is given both for the record and for this affected package', path: ['affected', i, 'severity'] });
      }
    });
  });

export type OsvRecord = z.output<typeof osvRecordSchema>;
export type OsvAffected = z.output<typeof affectedSchema>;
export type OsvSeverity = NonNullable<z.output<typeof severitySchema>>;
