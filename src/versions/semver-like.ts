/**
 * One linear scanner for the SemVer family (`semver`, `pub`, `nuget`): numeric parts separated
 * by `.`, then an optional `-pre.release` and `+build` of dot-separated identifiers
 * `[0-9A-Za-z-]+`, plus SemVer 2.0.0 §11 precedence. Written by hand because the schemes that
 * use it need what npm's `semver` refuses by design: numbers of any size (compared as digit
 * strings), and a number of numeric parts other than three (NuGet's four, OSV tooling's
 * shorter and longer spellings). Each scheme states how lenient it is through the options.
 */
import { acceptableAscii, compareDigits, compareText, digitRunEnd, isAlnumCode, isDigits } from './common.js';

export interface SemverLike {
  /** The numeric parts as written (digit strings, leading zeros kept). */
  readonly core: readonly string[];
  /** Pre-release identifiers; empty for a release. */
  readonly pre: readonly string[];
  /** Build-metadata identifiers; empty when there is none. */
  readonly build: readonly string[];
}

export interface SemverLikeOptions {
  /** Accept one leading lower-case `v` (`v1.2.3`). */
  readonly leadingV: boolean;
  /** Fewest and most numeric parts accepted. */
  readonly minCore: number;
  readonly maxCore: number;
  /** Accept `01` style numeric parts and numeric pre-release identifiers. */
  readonly leadingZeros: boolean;
}

const DOT = 46;
const HYPHEN = 45;
const PLUS = 43;

const hasLeadingZero = (digits: string): boolean => digits.length > 1 && digits.charCodeAt(0) === 48;

/** Reads `id(.id)*` from `from` up to `stop` (a character code) or the end; undefined when malformed. */
function readIdentifiers(v: string, from: number, stop: number, leadingZeros: boolean): { ids: string[]; end: number } | undefined {
  const ids: string[] = [];
  let start = from;
  let i = from;
  for (;;) {
    const c = i < v.length ? v.charCodeAt(i) : -1;
    if (c === HYPHEN || (c !== -1 && isAlnumCode(c))) {
      i++;
      continue;
    }
    if (i === start) return undefined; // empty identifier
    const id = v.slice(start, i);
    if (!leadingZeros && isDigits(id) && hasLeadingZero(id)) return undefined;
    ids.push(id);
    if (c === DOT) {
      i++;
      start = i;
      continue;
    }
    if (c === -1 || c === stop) return { ids, end: i };
    return undefined;
  }
}

/** Parses a SemVer-family version; undefined when it does not follow the grammar above. */
export function parseSemverLike(v: string, o: SemverLikeOptions): SemverLike | undefined {
  if (!acceptableAscii(v)) return undefined;
  let i = o.leadingV && v.charCodeAt(0) === 118 ? 1 : 0;
  const core: string[] = [];
  for (;;) {
    const end = digitRunEnd(v, i);
    if (end === i) return undefined;
    const part = v.slice(i, end);
    if (!o.leadingZeros && hasLeadingZero(part)) return undefined;
    core.push(part);
    if (core.length > o.maxCore) return undefined;
    i = end;
    if (i < v.length && v.charCodeAt(i) === DOT) {
      i++;
      continue;
    }
    break;
  }
  if (core.length < o.minCore) return undefined;
  let pre: string[] = [];
  let build: string[] = [];
  if (i < v.length && v.charCodeAt(i) === HYPHEN) {
    const r = readIdentifiers(v, i + 1, PLUS, o.leadingZeros);
    if (!r) return undefined;
    pre = r.ids;
    i = r.end;
  }
  if (i < v.length && v.charCodeAt(i) === PLUS) {
    const r = readIdentifiers(v, i + 1, -1, true);
    if (!r) return undefined;
    build = r.ids;
    i = r.end;
  }
  return i === v.length ? { core, pre, build } : undefined;
}

/** Numeric parts compared one by one, the shorter list padded with zeros. */
export function compareCore(a: readonly string[], b: readonly string[]): number {
  const n = Math.max(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const d = compareDigits(a[k] ?? '0', b[k] ?? '0');
    if (d !== 0) return d;
  }
  return 0;
}

/** SemVer §11.4 for one identifier: digits numerically, digits before others, others by ASCII. */
export function compareIdentifier(x: string, y: string): number {
  const xn = isDigits(x);
  const yn = isDigits(y);
  if (xn && yn) return compareDigits(x, y);
  if (xn !== yn) return xn ? -1 : 1;
  return compareText(x, y);
}

/** SemVer §11.3/§11.4 for pre-release lists: a release follows its pre-releases; longer wins a tie. */
export function comparePre(a: readonly string[], b: readonly string[], one = compareIdentifier): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const d = one(a[k]!, b[k]!);
    if (d !== 0) return d;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** SemVer 2.0.0 precedence: numeric parts, then pre-release; build metadata is ignored. */
export function comparePrecedence(a: SemverLike, b: SemverLike): number {
  return compareCore(a.core, b.core) || comparePre(a.pre, b.pre);
}
