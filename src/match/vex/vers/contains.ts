/**
 * `vers:` ranges with their versioning scheme: check a parsed specifier against the rules of
 * the specification (VERSION-RANGE-SPEC, "Normalized, canonical representation and
 * validation") and test whether a version is inside it ("Checking if a version is contained
 * within a range"). Written by hand (no maintained vers library on npm); versions compare with
 * the scheme's own comparator (schemes.ts), never loosely.
 *
 * {@link compileVers}: parse (parse.ts), find the scheme (a type without an ordering is
 * `unsupported`: not evaluable, reported by the caller), parse every constraint version in
 * that scheme, sort the constraints by version (constraints written out of order are sorted,
 * with a note; the older spec's procedure sorts, the newer one refuses, and the meaning is
 * the same), then refuse duplicated versions (scheme equality: `1.0` and `1.0.0` are one PyPI
 * version) and invalid neighbours: ignoring `!=`, an `=` may be followed only by `=`, `>`,
 * `>=`; ignoring `=` and `!=` too, lower and upper bounds must alternate.
 *
 * {@link versContains}: the specification's procedure, with the two cases its pairwise walk
 * does not cover spelt out: a single bound (`<2.0`: everything below) and a range of only
 * `!=` constraints (everything except those versions). Pure, never throws.
 */
import type { VersionScheme } from '../../../versions/scheme.js';
import { DEFAULT_VERS_LIMITS, parseVers, quoted, type ParsedVers, type VersComparator, type VersLimits } from './parse.js';
import { VERS_TYPES_WITH_ORDERING, versScheme } from './schemes.js';

export interface VersBound {
  readonly comparator: VersComparator;
  /** As written (percent-decoded). */
  readonly version: string;
  readonly parsed: unknown;
}

export interface VersRange {
  readonly type: string;
  /** `all`: every version (`*`); `none`: no version (`vers:none/*`); `constraints`: see `constraints`. */
  readonly kind: 'all' | 'none' | 'constraints';
  /** Sorted by version, each version once. Empty unless kind is `constraints`. */
  readonly constraints: readonly VersBound[];
  /** The scheme that orders the versions (undefined for `all` / `none`). */
  readonly scheme: VersionScheme | undefined;
}

export type VersCompileResult =
  | { readonly ok: true; readonly range: VersRange; readonly notes: readonly string[] }
  /** `invalid`: the specifier is malformed; `unsupported`: well-formed, but Vigil has no ordering for its scheme. */
  | { readonly ok: false; readonly reason: 'invalid' | 'unsupported'; readonly message: string };

/** The outcome of a containment test: `invalid` when the tested version is not a version of the range's scheme. */
export type VersContainment = 'in' | 'out' | 'invalid';

const isLower = (c: VersComparator): boolean => c === '<' || c === '<=';
const isUpper = (c: VersComparator): boolean => c === '>' || c === '>=';
const show = (b: { comparator: VersComparator; version: string }): string => (b.comparator === '=' ? b.version : `${b.comparator}${b.version}`);

/** Parses and checks a `vers:` specifier for containment tests. */
export function compileVers(text: string, limits: VersLimits = DEFAULT_VERS_LIMITS): VersCompileResult {
  const p = parseVers(text, limits);
  if (!p.ok) return { ok: false, reason: 'invalid', message: p.error };
  return compileParsed(p.vers);
}

export function compileParsed(vers: ParsedVers): VersCompileResult {
  const notes = [...vers.notes];
  const { type } = vers;
  if (type === 'none' || type === 'all') {
    if (!vers.star) return { ok: false, reason: 'invalid', message: `"vers:${type}/*" is the only valid range of the scheme "${type}"` };
    return { ok: true, range: { type, kind: type, constraints: [], scheme: undefined }, notes };
  }
  const scheme = versScheme(type);
  // `*` needs no comparison: every version, whatever the scheme.
  if (vers.star) {
    if (!scheme) notes.push(`versioning scheme "${type}" is not one Vigil orders; "*" needs no ordering`);
    return { ok: true, range: { type, kind: 'all', constraints: [], scheme }, notes };
  }
  if (!scheme) {
    return { ok: false, reason: 'unsupported', message: `Vigil has no version ordering for the vers scheme "${type}" (it has: ${VERS_TYPES_WITH_ORDERING.join(', ')}), so the range cannot be evaluated` };
  }
  const bounds: VersBound[] = [];
  for (const c of vers.constraints) {
    const parsed = scheme.parse(c.version);
    if (parsed === undefined) return { ok: false, reason: 'invalid', message: `${quoted(c.version)} (in ${quoted(show(c))}) is not a valid ${scheme.id} version` };
    bounds.push({ comparator: c.comparator, version: c.version, parsed });
  }
  const sorted = bounds.map((b, i) => ({ b, i })).sort((x, y) => scheme.compare(x.b.parsed, y.b.parsed) || x.i - y.i);
  if (sorted.some((x, k) => x.i !== k)) notes.push('constraints were not in version order; sorted');
  const constraints = sorted.map((x) => x.b);
  for (let k = 1; k < constraints.length; k++) {
    const a = constraints[k - 1]!;
    const b = constraints[k]!;
    if (scheme.compare(a.parsed, b.parsed) === 0) return { ok: false, reason: 'invalid', message: `version ${quoted(b.version)} appears more than once (${quoted(show(a))}, ${quoted(show(b))}); each version may occur once` };
  }
  const problem = sequenceProblem(constraints);
  if (problem) return { ok: false, reason: 'invalid', message: problem };
  return { ok: true, range: { type, kind: 'constraints', constraints, scheme }, notes };
}

/** The specification's rules for neighbouring comparators (on the sorted list). */
function sequenceProblem(constraints: readonly VersBound[]): string | undefined {
  const noUnequal = constraints.filter((c) => c.comparator !== '!=');
  for (let k = 0; k + 1 < noUnequal.length; k++) {
    const a = noUnequal[k]!;
    const b = noUnequal[k + 1]!;
    if (a.comparator === '=' && isLower(b.comparator)) return `${quoted(show(a))} followed by ${quoted(show(b))}: the "=" is already inside the "${b.comparator}" bound (an empty or redundant range)`;
  }
  const bounds = noUnequal.filter((c) => c.comparator !== '=');
  for (let k = 0; k + 1 < bounds.length; k++) {
    const a = bounds[k]!;
    const b = bounds[k + 1]!;
    if (isLower(a.comparator) === isLower(b.comparator)) {
      const what = isLower(a.comparator) ? 'two upper limits ("<", "<=")' : 'two lower limits (">", ">=")';
      return `${quoted(show(a))} followed by ${quoted(show(b))}: ${what} in a row; lower and upper limits must alternate`;
    }
  }
  return undefined;
}

/** Whether `version` is inside `range` (VERSION-RANGE-SPEC containment). */
export function versContains(range: VersRange, version: string): VersContainment {
  if (range.kind === 'all') return 'in';
  if (range.kind === 'none') return 'out';
  const scheme = range.scheme!;
  const v = scheme.parse(version);
  if (v === undefined) return 'invalid';
  const bounds: VersBound[] = [];
  let unequalOnly = true;
  for (const c of range.constraints) {
    const cmp = scheme.compare(v, c.parsed);
    if (cmp === 0) {
      if (c.comparator === '=' || c.comparator === '<=' || c.comparator === '>=') return 'in';
      if (c.comparator === '!=') return 'out';
    }
    if (c.comparator !== '!=') unequalOnly = false;
    if (c.comparator !== '=' && c.comparator !== '!=') bounds.push(c);
  }
  // Only `!=` constraints: every other version. Only `=` (and `!=`): the listed versions, already checked.
  if (bounds.length === 0) return unequalOnly ? 'in' : 'out';
  if (bounds.length === 1) {
    const only = bounds[0]!;
    const cmp = scheme.compare(v, only.parsed);
    return (isLower(only.comparator) ? cmp < 0 : cmp > 0) ? 'in' : 'out';
  }
  for (let k = 0; k + 1 < bounds.length; k++) {
    const cur = bounds[k]!;
    const next = bounds[k + 1]!;
    if (k === 0 && isLower(cur.comparator) && scheme.compare(v, cur.parsed) < 0) return 'in';
    if (k + 2 === bounds.length && isUpper(next.comparator) && scheme.compare(v, next.parsed) > 0) return 'in';
    if (isUpper(cur.comparator) && isLower(next.comparator) && scheme.compare(v, cur.parsed) > 0 && scheme.compare(v, next.parsed) < 0) return 'in';
  }
  return 'out';
}

/** The canonical text of a compiled range (sorted, percent-encoding where the spec requires it). */
export function formatVers(range: VersRange): string {
  if (range.kind !== 'constraints') return `vers:${range.type}/*`;
  return `vers:${range.type}/${range.constraints.map((c) => show({ comparator: c.comparator, version: encodeVersion(c.version) })).join('|')}`;
}

function encodeVersion(v: string): string {
  let out = '';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    out += c > 32 && c < 127 && !'<>=!*|%'.includes(v.charAt(i)) ? v.charAt(i) : c < 128 ? `%${c.toString(16).toUpperCase().padStart(2, '0')}` : encodeUtf8(v, i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length) i++;
  }
  return out;
}

function encodeUtf8(v: string, i: number): string {
  const cp = v.codePointAt(i)!;
  const bytes = new TextEncoder().encode(String.fromCodePoint(cp));
  return [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}
