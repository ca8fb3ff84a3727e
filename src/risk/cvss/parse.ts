/**
 * Strict CVSS vector parsing and validation (v2.0, v3.0, v3.1, v4.0).
 *
 * Written by hand: ae-cvss-calculator does not validate (see metrics.ts), so every vector is
 * checked here before it reaches the library. Decisions, where the spec or feeds leave room:
 * - Outer whitespace is trimmed; whitespace inside a vector is an error. Input longer than
 *   MAX_VECTOR_LENGTH characters is refused before it is looked at.
 * - v3.x and v4.0 need their `CVSS:3.0/`, `CVSS:3.1/`, `CVSS:4.0/` prefix. v2 is accepted
 *   bare (`AV:N/...`, NVD's form), in parentheses (`(AV:N/...)`, older NVD pages and feeds)
 *   or as `CVSS:2.0/AV:N/...`, and is normalised to the bare form.
 * - Metric names and values are case-sensitive (all versions' specs say so); `av:n` is refused.
 * - All base metrics are mandatory, never "Not Defined". Other groups may be partial (Red Hat's
 *   v2 vectors list E and RC without RL), and may say X / ND explicitly.
 * - Order: enforced for v2 and v4.0, whose specs require it, as the relative order of the
 *   metrics present; any order for v3.x, whose spec tells readers to accept any order.
 * - A duplicate metric, an empty field (`//`, trailing `/`) or a field that is not
 *   `METRIC:VALUE` is an error.
 */
import { CVSS_VERSIONS } from '../../core/advisory.js';
import { VERSION_SPECS } from './metrics.js';
import type { MetricSpec, VersionSpec } from './metrics.js';
import type { CvssResult, CvssVersion, ParsedCvss } from './types.js';

/** Longest input looked at; the longest valid v4.0 vector (every metric) is about 200. */
export const MAX_VECTOR_LENGTH = 512;

const SUPPORTED: readonly CvssVersion[] = CVSS_VERSIONS;

interface IndexedMetric {
  readonly metric: MetricSpec;
  readonly position: number;
}

/** Metric id → spec and position, per version, built once. */
const INDEX = new Map<CvssVersion, ReadonlyMap<string, IndexedMetric>>(
  SUPPORTED.map((v) => [v, new Map(VERSION_SPECS[v].metrics.map((metric, position) => [metric.id, { metric, position }]))]),
);

function fail(error: string): { ok: false; error: string } {
  return { ok: false, error };
}

/** Quotes a piece of untrusted input for an error message: escaped, then cut short. */
function q(text: string): string {
  const quoted = JSON.stringify(text);
  return quoted.length > 42 ? `${quoted.slice(0, 40)}…"` : quoted;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function isVersion(label: string): label is CvssVersion {
  return (SUPPORTED as readonly string[]).includes(label);
}

interface Located {
  readonly spec: VersionSpec;
  /** The metrics part, without prefix or parentheses. */
  readonly body: string;
  /** The normalised vector returned to callers. */
  readonly vector: string;
}

/** Finds the version and the metrics part of a trimmed, non-empty vector. */
function locate(text: string): CvssResult<Located> {
  if (text.startsWith('CVSS:')) {
    const slash = text.indexOf('/');
    const label = slash === -1 ? text.slice(5) : text.slice(5, slash);
    if (!isVersion(label)) {
      return fail(`unsupported CVSS version ${q(label)}; expected one of ${SUPPORTED.join(', ')}`);
    }
    const spec = VERSION_SPECS[label];
    const body = slash === -1 ? '' : text.slice(slash + 1);
    if (body === '') {
      return fail(`CVSS ${label}: no metrics after the "CVSS:${label}/" prefix; expected the base metrics ${baseIds(spec)}`);
    }
    return { ok: true, value: { spec, body, vector: label === '2.0' ? body : text } };
  }
  if (text.slice(0, 5).toUpperCase() === 'CVSS:') {
    return fail(`the version prefix must be written in upper case ("CVSS:"), got ${q(text.slice(0, 9))}`);
  }
  const spec = VERSION_SPECS['2.0'];
  if (text.startsWith('(') || text.endsWith(')')) {
    if (!(text.startsWith('(') && text.endsWith(')')) || text.length < 3) {
      return fail('CVSS 2.0: unbalanced parentheses; expected "(AV:…/A:…)" or the bare vector');
    }
    const body = text.slice(1, -1);
    return { ok: true, value: { spec, body, vector: body } };
  }
  return { ok: true, value: { spec, body: text, vector: text } };
}

function baseIds(spec: VersionSpec): string {
  return spec.metrics.filter((m) => m.group === 'base').map((m) => m.id).join(', ');
}

/** Explains an unknown metric, pointing at the version that has it when there is one. */
function unknownMetric(spec: VersionSpec, id: string): string {
  const label = `CVSS ${spec.version}`;
  const index = INDEX.get(spec.version);
  const sameLetters = [...(index?.keys() ?? [])].find((known) => known.toLowerCase() === id.toLowerCase());
  if (sameLetters !== undefined) {
    return `${label}: unknown metric ${q(id)}; metric names are case-sensitive, expected ${q(sameLetters)}`;
  }
  const others = SUPPORTED.filter((v) => VERSION_SPECS[v].metrics !== spec.metrics && INDEX.get(v)?.has(id) === true);
  const elsewhere = others.length === 0 ? '' : `; ${q(id)} is a metric of CVSS ${others.join(', ')}`;
  const hint = spec.version === '2.0' && others.length > 0 ? ', and CVSS 3.x/4.0 vectors must start with "CVSS:3.1/" (or 3.0, 4.0)' : '';
  return `${label}: unknown metric ${q(id)}${elsewhere}${hint}; expected one of ${spec.metrics.map((m) => m.id).join(', ')}`;
}

/** Checks every field of the metrics part against the version's table. */
function readMetrics(spec: VersionSpec, body: string): CvssResult<Map<string, string>> {
  const label = `CVSS ${spec.version}`;
  const index = INDEX.get(spec.version) ?? new Map<string, IndexedMetric>();
  const metrics = new Map<string, string>();
  const fields = body.split('/');
  let previous: IndexedMetric | undefined;
  for (const [i, field] of fields.entries()) {
    if (field === '') {
      const where = i === fields.length - 1 ? ' (trailing "/")' : i === 0 ? ' (leading "/")' : '';
      return fail(`${label}: empty field ${i + 1}${where}; expected METRIC:VALUE`);
    }
    const colon = field.indexOf(':');
    if (colon <= 0 || field.indexOf(':', colon + 1) !== -1) {
      return fail(`${label}: field ${q(field)} is not of the form METRIC:VALUE`);
    }
    const id = field.slice(0, colon);
    const value = field.slice(colon + 1);
    const entry = index.get(id);
    if (entry === undefined) return fail(unknownMetric(spec, id));
    if (metrics.has(id)) return fail(`${label}: duplicate metric ${q(id)}; each metric may appear once`);
    const { metric } = entry;
    if (!metric.values.includes(value)) {
      return fail(`${label}: metric ${id} (${metric.name}) has invalid value ${q(value)}; expected one of ${metric.values.join(', ')}`);
    }
    if (spec.ordered && previous !== undefined && entry.position < previous.position) {
      return fail(`${label}: metric ${id} is out of order; the spec requires it before ${previous.metric.id}`);
    }
    previous = entry;
    metrics.set(id, value);
  }
  const missing = spec.metrics.filter((m) => m.group === 'base' && !metrics.has(m.id)).map((m) => m.id);
  if (missing.length > 0) {
    const noun = missing.length === 1 ? 'metric' : 'metrics';
    return fail(`${label}: missing mandatory base ${noun} ${missing.join(', ')}; all of ${baseIds(spec)} are required`);
  }
  return { ok: true, value: metrics };
}

/**
 * Parses and validates a CVSS vector of any supported version. Never throws: anything that
 * is not a valid vector (including non-strings from untyped data) comes back as an error.
 */
export function parseCvss(vector: string): CvssResult<ParsedCvss> {
  const input: unknown = vector;
  if (typeof input !== 'string') return fail(`vector must be a string, got ${describe(input)}`);
  if (input.length > MAX_VECTOR_LENGTH) {
    return fail(`vector is ${input.length} characters long; at most ${MAX_VECTOR_LENGTH} are accepted`);
  }
  const text = input.trim();
  if (text === '') return fail('vector is empty');
  const located = locate(text);
  if (!located.ok) return located;
  const { spec, body, vector: normalised } = located.value;
  const metrics = readMetrics(spec, body);
  if (!metrics.ok) return metrics;
  return { ok: true, value: { version: spec.version, vector: normalised, metrics: Object.fromEntries(metrics.value) } };
}
