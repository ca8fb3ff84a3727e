/**
 * `vers:` version range specifiers (package-url VERS, VERSION-RANGE-SPEC), the syntax only:
 * `vers:<type>/<constraint>|<constraint>|…` → the type and the (comparator, version) list, or
 * `*`. Written by hand: there is no maintained vers parser on npm. Sorting, the uniqueness and
 * alternation rules and containment need the type's version ordering and are in contains.ts.
 *
 * Strict where a mistake changes the meaning, lenient where the intent is unambiguous, and
 * every leniency reported as a note so the caller can surface it:
 *   - accepted and normalised (notes): spaces and tabs (removed, as the spec's parsing
 *     procedure says), `VERS:` / upper-case type (lower-cased), empty constraints from
 *     leading, trailing or doubled pipes (ignored), an explicit `=` comparator;
 *   - refused (errors): a URI scheme other than `vers`, no `/`, a type that is empty, does not
 *     start with a letter or holds characters other than letters, digits, `.` and `-`, the
 *     reserved type `invalid`, no constraints, `*` together with anything else, a comparator
 *     without a version, an unencoded `<>=!*` in a version, bad percent-encoding (`%` not
 *     followed by two hex digits, or bytes that are not UTF-8), control characters, line
 *     breaks and anything outside printable ASCII, and input over the limits.
 * Linear in the input; no regular expression backtracks. Pure, never throws.
 */

export const VERS_COMPARATORS = ['=', '!=', '<', '<=', '>', '>='] as const;
export type VersComparator = (typeof VERS_COMPARATORS)[number];

export interface VersConstraint {
  readonly comparator: VersComparator;
  /** The version, percent-decoded. */
  readonly version: string;
}

export interface ParsedVers {
  /** The versioning scheme (vers type), lower-case: `npm`, `pypi`, `deb` … */
  readonly type: string;
  /** `vers:<type>/*`: every version. */
  readonly star: boolean;
  /** In the order written (empty for `*`). */
  readonly constraints: readonly VersConstraint[];
  /** Non-canonical spellings that were accepted and normalised. */
  readonly notes: readonly string[];
}

export type VersParseResult = { readonly ok: true; readonly vers: ParsedVers } | { readonly ok: false; readonly error: string };

export interface VersLimits {
  /** Longest specifier accepted, in characters. */
  readonly maxChars: number;
  /** Most constraints accepted. */
  readonly maxConstraints: number;
}

export const DEFAULT_VERS_LIMITS: VersLimits = { maxChars: 16_384, maxConstraints: 1_000 };

const fail = (error: string): VersParseResult => ({ ok: false, error });

/** `"abc…"` for messages: JSON-quoted, at most 60 characters. */
export function quoted(s: string): string {
  return JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);
}

const isLetter = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isHex = (c: number): boolean => isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** Removes spaces and tabs; refuses any other character outside printable ASCII. */
function compact(text: string): { ok: true; text: string; removed: boolean } | { ok: false; error: string } {
  let out = '';
  let from = 0;
  let removed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      out += text.slice(from, i);
      from = i + 1;
      removed = true;
    } else if (c < 33 || c > 126) {
      const cp = text.codePointAt(i) ?? c;
      return { ok: false, error: `character U+${cp.toString(16).toUpperCase().padStart(4, '0')} at position ${i + 1} is not allowed (printable ASCII only; percent-encode it in a version)` };
    }
  }
  return { ok: true, text: removed ? out + text.slice(from) : text, removed };
}

function validType(type: string): string | undefined {
  if (type === '') return 'the versioning scheme (before "/") is empty';
  if (!isLetter(type.charCodeAt(0))) return `versioning scheme ${quoted(type)} must start with a letter`;
  for (let i = 1; i < type.length; i++) {
    const c = type.charCodeAt(i);
    if (!isLetter(c) && !isDigit(c) && c !== 46 && c !== 45) return `versioning scheme ${quoted(type)} may hold only letters, digits, "." and "-"`;
  }
  return undefined;
}

/** Percent-decodes a version: every `%` must start a `%XX` triplet and the bytes must be UTF-8. */
function decodeVersion(v: string): { ok: true; version: string } | { ok: false; error: string } {
  if (!v.includes('%')) return { ok: true, version: v };
  for (let i = v.indexOf('%'); i !== -1; i = v.indexOf('%', i + 1)) {
    if (!isHex(v.charCodeAt(i + 1)) || !isHex(v.charCodeAt(i + 2))) return { ok: false, error: `invalid percent-encoding in version ${quoted(v)}: "%" must be followed by two hex digits` };
  }
  try {
    return { ok: true, version: decodeURIComponent(v) };
  } catch {
    return { ok: false, error: `invalid percent-encoding in version ${quoted(v)}: the bytes are not UTF-8` };
  }
}

const RESERVED_IN_VERSION = '<>=!*';

function constraintOf(raw: string, index: number): { ok: true; constraint: VersConstraint; explicitEquals: boolean } | { ok: false; error: string } {
  const two = raw.slice(0, 2);
  const one = raw.charAt(0);
  let comparator: VersComparator = '=';
  let rest = raw;
  if (two === '>=' || two === '<=' || two === '!=') {
    comparator = two;
    rest = raw.slice(2);
  } else if (one === '<' || one === '>' || one === '=') {
    comparator = one;
    rest = raw.slice(1);
  }
  const where = `constraint ${index + 1} (${quoted(raw)})`;
  if (rest === '') return { ok: false, error: `${where} has no version` };
  for (let i = 0; i < rest.length; i++) {
    if (RESERVED_IN_VERSION.includes(rest.charAt(i))) return { ok: false, error: `${where}: "${rest.charAt(i)}" in a version must be percent-encoded${rest.charAt(i) === '*' ? ', and "*" must stand alone' : ''}` };
  }
  const decoded = decodeVersion(rest);
  if (!decoded.ok) return { ok: false, error: `${where}: ${decoded.error}` };
  return { ok: true, constraint: { comparator, version: decoded.version }, explicitEquals: one === '=' };
}

/** Parses a `vers:` specifier (syntax only; see contains.ts for ordering and containment). */
export function parseVers(input: string, limits: VersLimits = DEFAULT_VERS_LIMITS): VersParseResult {
  if (input.length > limits.maxChars) return fail(`the range is ${input.length} characters, over the ${limits.maxChars}-character limit`);
  const c = compact(input);
  if (!c.ok) return fail(c.error);
  const text = c.text;
  const notes: string[] = [];
  if (c.removed) notes.push('spaces removed');
  if (text === '') return fail('the range is empty');
  const colon = text.indexOf(':');
  if (colon === -1) return fail(`${quoted(text)} is not a vers range: expected "vers:<scheme>/<constraints>"`);
  const uri = text.slice(0, colon);
  if (uri.toLowerCase() !== 'vers') return fail(`URI scheme ${quoted(uri)} is not "vers"`);
  if (uri !== 'vers') notes.push('URI scheme lower-cased');
  const spec = text.slice(colon + 1);
  const slash = spec.indexOf('/');
  if (slash === -1) return fail('no "/" after the versioning scheme: expected "vers:<scheme>/<constraints>"');
  const rawType = spec.slice(0, slash);
  const typeError = validType(rawType);
  if (typeError) return fail(typeError);
  const type = rawType.toLowerCase();
  if (type !== rawType) notes.push('versioning scheme lower-cased');
  if (type === 'invalid') return fail('the versioning scheme "invalid" is reserved: a range using it is always invalid');
  const body = spec.slice(slash + 1);
  if (body === '') return fail('no constraints after the versioning scheme');
  if (body === '*') return { ok: true, vers: { type, star: true, constraints: [], notes } };

  const parts = body.split('|');
  const nonEmpty = parts.filter((p) => p !== '');
  if (nonEmpty.length === 0) return fail('no constraints after the versioning scheme');
  if (nonEmpty.length !== parts.length) notes.push('empty constraints (leading, trailing or doubled "|") ignored');
  if (nonEmpty.length > limits.maxConstraints) return fail(`more than ${limits.maxConstraints} constraints`);
  if (nonEmpty.includes('*')) return fail('"*" must be the only constraint');
  const constraints: VersConstraint[] = [];
  let explicitEquals = false;
  for (let i = 0; i < nonEmpty.length; i++) {
    const r = constraintOf(nonEmpty[i]!, i);
    if (!r.ok) return fail(r.error);
    explicitEquals ||= r.explicitEquals;
    constraints.push(r.constraint);
  }
  if (explicitEquals) notes.push('"=" comparator dropped (equality is written as the bare version)');
  return { ok: true, vers: { type, star: false, constraints, notes } };
}

