/**
 * Maven version range syntax (https://maven.apache.org/pom.html#dependency-version-requirement-specification),
 * written by hand after Maven's `VersionRange.createFromVersionSpec` (no maintained JavaScript
 * library reads it): `1.0`, `[1.0]`, `[1.0,2.0)`, `(,1.0]`, `[1.2,)`, `(,1.0],[1.2,)`.
 *
 * Differences from Maven, on purpose:
 *  - a bare `1.0` is a soft requirement; Maven's `containsVersion` then accepts every version
 *    (it only steers conflict resolution), here `contains` accepts versions equal to 1.0,
 *    which is what such a string means in advisories and lock data (`soft` says which it was);
 *  - sets after an unbounded one (`[1.0,),[2.0,)`) are refused as overlapping; Maven lets
 *    them through because it only checks against a finite upper bound;
 *  - `[]` and bounds that are not valid versions (spaces, over 256 characters) are refused.
 * Never throws: a malformed spec returns `{ ok: false, error }` naming the problem.
 */
import { compareMavenVersions, parseMavenVersion, type MavenVersion } from './version.js';

export interface MavenRestriction {
  readonly lower: string | undefined;
  readonly lowerInclusive: boolean;
  readonly upper: string | undefined;
  readonly upperInclusive: boolean;
}

export interface MavenRange {
  readonly spec: string;
  /** A bare version (`1.0`): Maven's "soft requirement". */
  readonly soft: boolean;
  readonly restrictions: readonly MavenRestriction[];
  /** True when the version lies in one of the sets (for a soft requirement: equals it). */
  contains(version: string): boolean;
}

export type MavenRangeResult = { readonly ok: true; readonly range: MavenRange } | { readonly ok: false; readonly error: string };

/** Longest range spec read: many sets of long versions, still bounded. */
export const MAX_RANGE_LENGTH = 4096;

interface Bound {
  readonly text: string;
  readonly parsed: MavenVersion;
}

interface ParsedRestriction {
  readonly lower: Bound | undefined;
  readonly lowerInclusive: boolean;
  readonly upper: Bound | undefined;
  readonly upperInclusive: boolean;
}

type Step<T> = { ok: true; value: T } | { ok: false; error: string };

function bound(text: string, spec: string): Step<Bound | undefined> {
  if (text === '') return { ok: true, value: undefined };
  const parsed = parseMavenVersion(text);
  return parsed ? { ok: true, value: { text, parsed } } : { ok: false, error: `"${text}" in "${spec}" is not a valid Maven version` };
}

/** One `[a,b)`-style set; `body` is the text between the brackets. */
function restriction(open: string, body: string, close: string, spec: string): Step<ParsedRestriction> {
  const lowerInclusive = open === '[';
  const upperInclusive = close === ']';
  const comma = body.indexOf(',');
  if (comma < 0) {
    if (!lowerInclusive || !upperInclusive) return { ok: false, error: `a single version must be written [version]: "${open}${body}${close}" in "${spec}"` };
    const v = bound(body.trim(), spec);
    if (!v.ok) return v;
    if (!v.value) return { ok: false, error: `empty set "${open}${body}${close}" in "${spec}"` };
    return { ok: true, value: { lower: v.value, lowerInclusive, upper: v.value, upperInclusive } };
  }
  if (body.indexOf(',', comma + 1) >= 0) return { ok: false, error: `a set has one comma at most: "${open}${body}${close}" in "${spec}"` };
  const lower = bound(body.slice(0, comma).trim(), spec);
  if (!lower.ok) return lower;
  const upper = bound(body.slice(comma + 1).trim(), spec);
  if (!upper.ok) return upper;
  if (lower.value && upper.value) {
    const c = compareMavenVersions(upper.value.parsed, lower.value.parsed);
    if (c < 0 || (c === 0 && (!lowerInclusive || !upperInclusive))) {
      return { ok: false, error: `range defies version ordering: "${open}${body}${close}" in "${spec}"` };
    }
  }
  return { ok: true, value: { lower: lower.value, lowerInclusive, upper: upper.value, upperInclusive } };
}

function inRestriction(r: ParsedRestriction, v: MavenVersion): boolean {
  if (r.lower) {
    const c = compareMavenVersions(r.lower.parsed, v);
    if (c > 0 || (c === 0 && !r.lowerInclusive)) return false;
  }
  if (r.upper) {
    const c = compareMavenVersions(r.upper.parsed, v);
    if (c < 0 || (c === 0 && !r.upperInclusive)) return false;
  }
  return true;
}

function build(spec: string, soft: boolean, sets: readonly ParsedRestriction[]): MavenRange {
  return {
    spec,
    soft,
    restrictions: sets.map((r) => ({ lower: r.lower?.text, lowerInclusive: r.lowerInclusive, upper: r.upper?.text, upperInclusive: r.upperInclusive })),
    contains(version: string): boolean {
      const v = parseMavenVersion(version);
      return v !== undefined && sets.some((r) => inRestriction(r, v));
    },
  };
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

function skipSpaces(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Parses a Maven version range or soft requirement. */
export function parseMavenRange(spec: string): MavenRangeResult {
  if (typeof spec !== 'string') return { ok: false, error: 'a Maven range must be a string' };
  if (spec.length > MAX_RANGE_LENGTH) return { ok: false, error: `a Maven range is at most ${MAX_RANGE_LENGTH} characters (got ${spec.length})` };
  const shown = spec.length > 80 ? `${spec.slice(0, 77)}...` : spec;
  const sets: ParsedRestriction[] = [];
  let i = skipSpaces(spec, 0);
  while (i < spec.length && (spec[i] === '[' || spec[i] === '(')) {
    // The set ends at the first `)` or `]`, as in Maven.
    let end = i + 1;
    while (end < spec.length && spec[end] !== ')' && spec[end] !== ']') end++;
    if (end >= spec.length) return { ok: false, error: `unbounded range: "${shown}" has no closing ] or ) after position ${i}` };
    const r = restriction(spec[i]!, spec.slice(i + 1, end), spec[end]!, shown);
    if (!r.ok) return { ok: false, error: r.error };
    const previous = sets[sets.length - 1];
    if (previous && (!previous.upper || !r.value.lower || compareMavenVersions(r.value.lower.parsed, previous.upper.parsed) < 0)) {
      return { ok: false, error: `ranges overlap or are out of order at position ${i} of "${shown}"` };
    }
    sets.push(r.value);
    i = skipSpaces(spec, end + 1);
    if (spec[i] === ',') i = skipSpaces(spec, i + 1);
  }
  const rest = spec.slice(i).trim();
  if (sets.length > 0) {
    if (rest !== '') return { ok: false, error: `only bracketed sets may follow a set: "${rest.slice(0, 40)}" in "${shown}"` };
    return { ok: true, range: build(spec, false, sets) };
  }
  if (rest === '') return { ok: false, error: 'an empty Maven range' };
  const v = bound(rest, shown);
  if (!v.ok) return { ok: false, error: v.error };
  const exact: ParsedRestriction = { lower: v.value, lowerInclusive: true, upper: v.value, upperInclusive: true };
  return { ok: true, range: build(spec, true, [exact]) };
}
