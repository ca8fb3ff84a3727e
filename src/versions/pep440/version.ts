/**
 * PEP 440 parsing and ordering, plus the pre-PEP 440 "legacy" ordering of older tooling.
 *
 * The grammar is the library's: @renovatebot/pep440 exports the PEP 440 appendix B pattern
 * (`VERSION_PATTERN`, case-insensitive, optional leading `v`). The comparison key is built
 * here, after packaging's `_cmpkey`, because the library turns every number into a JavaScript
 * number and so cannot tell `1.0.99999999999999999` from `1.0.99999999999999998`; here the
 * numbers stay digit strings.
 *
 * Legacy versions (`0.9-doduo`, `1.0-SNAPSHOT`) are those PEP 440 rejects. `packaging` before
 * 22 still ordered them (`LegacyVersion`, setuptools' old `parse_version`): always below every
 * PEP 440 version, then by a list of padded parts. OSV PyPI records still carry such versions,
 * so they are read the same way, limited to visible ASCII with at least one letter or digit.
 */
import { VERSION_PATTERN } from '@renovatebot/pep440/lib/version.js';
import { acceptableAscii, compareDigits, compareText, isAlnumCode, isDigitCode, isDigits, isLowerCode } from '../common.js';

const PEP440 = new RegExp(`^${VERSION_PATTERN}$`, 'i');

export interface Pep440Version {
  readonly kind: 'pep440';
  readonly epoch: string;
  /** Release numbers with trailing zeros removed (`1.0.0` → `["1"]`). */
  readonly release: readonly string[];
  /** Pre-release phase (0 a, 1 b, 2 rc) and number. */
  readonly pre: readonly [number, string] | undefined;
  readonly post: string | undefined;
  readonly dev: string | undefined;
  /** Local segments, lower case; digit-only segments compare as numbers. */
  readonly local: readonly string[] | undefined;
}

export interface LegacyVersion {
  readonly kind: 'legacy';
  readonly parts: readonly string[];
}

export type PythonVersion = Pep440Version | LegacyVersion;

const PRE_RANK: Readonly<Record<string, number>> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, rc: 2, pre: 2, preview: 2 };

function parsePep440(v: string): Pep440Version | undefined {
  const g = PEP440.exec(v)?.groups;
  if (!g) return undefined;
  const release = (g['release'] ?? '0').split('.');
  while (release.length > 0 && compareDigits(release[release.length - 1]!, '0') === 0) release.pop();
  const preL = g['pre_l'];
  const postN = g['post_n1'] ?? g['post_n2'];
  const hasPost = g['post_l'] !== undefined || g['post_n1'] !== undefined;
  return {
    kind: 'pep440',
    epoch: g['epoch'] ?? '0',
    release,
    pre: preL === undefined ? undefined : [PRE_RANK[preL.toLowerCase()] ?? 2, g['pre_n'] ?? '0'],
    post: hasPost ? (postN ?? '0') : undefined,
    dev: g['dev_l'] === undefined ? undefined : (g['dev_n'] ?? '0'),
    local: g['local'] === undefined ? undefined : g['local'].toLowerCase().split(/[._-]/),
  };
}

const LEGACY_REPLACEMENTS: Readonly<Record<string, string>> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };

/** packaging 21 `_parse_version_parts`: digit runs, letter runs, `.`, `-`, and the text between. */
function legacyParts(lower: string): string[] {
  const out: string[] = [];
  let i = 0;
  const emit = (raw: string): void => {
    const part = LEGACY_REPLACEMENTS[raw] ?? raw;
    if (part === '' || part === '.') return;
    out.push(isDigitCode(part.charCodeAt(0)) ? part.padStart(8, '0') : `*${part}`);
  };
  while (i < lower.length) {
    const c = lower.charCodeAt(i);
    let j = i + 1;
    if (isDigitCode(c)) while (j < lower.length && isDigitCode(lower.charCodeAt(j))) j++;
    else if (isLowerCode(c)) while (j < lower.length && isLowerCode(lower.charCodeAt(j))) j++;
    else if (c !== 46 && c !== 45) {
      while (j < lower.length) {
        const d = lower.charCodeAt(j);
        if (isDigitCode(d) || isLowerCode(d) || d === 46 || d === 45) break;
        j++;
      }
    }
    emit(lower.slice(i, j));
    i = j;
  }
  out.push('*final');
  return out;
}

/** packaging 21 `_legacy_cmpkey` (the epoch of -1 is the `kind` here). */
function parseLegacy(v: string): LegacyVersion | undefined {
  let alnum = false;
  for (let i = 0; i < v.length && !alnum; i++) alnum = isAlnumCode(v.charCodeAt(i));
  if (!alnum) return undefined;
  const parts: string[] = [];
  for (const part of legacyParts(v.toLowerCase())) {
    if (part.startsWith('*')) {
      if (part < '*final') while (parts.length > 0 && parts[parts.length - 1] === '*final-') parts.pop();
      while (parts.length > 0 && parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return { kind: 'legacy', parts };
}

export function parsePythonVersion(v: string): PythonVersion | undefined {
  if (!acceptableAscii(v)) return undefined;
  return parsePep440(v) ?? parseLegacy(v);
}

function compareList(a: readonly string[], b: readonly string[], one: (x: string, y: string) => number): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) {
    const d = one(a[k]!, b[k]!);
    if (d !== 0) return d;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** PEP 440 local segments: numbers by value, numbers above letters, letters lexically. */
function compareLocalSegment(x: string, y: string): number {
  const xn = isDigits(x);
  const yn = isDigits(y);
  if (xn && yn) return compareDigits(x, y);
  if (xn !== yn) return xn ? 1 : -1;
  return compareText(x, y);
}

/** Optional numbers: `missing` says where an absent value sorts (-1 below all, 1 above all). */
function compareOptional(a: string | undefined, b: string | undefined, missing: -1 | 1): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? missing : -missing;
  return compareDigits(a, b);
}

/** packaging's trick: `1.0.dev0` (dev only) sorts before `1.0a0`. */
const preKey = (v: Pep440Version): -1 | 0 | 1 => (v.pre ? 0 : v.post === undefined && v.dev !== undefined ? -1 : 1);

function comparePep440(a: Pep440Version, b: Pep440Version): number {
  let d = compareDigits(a.epoch, b.epoch) || compareList(a.release, b.release, compareDigits);
  if (d !== 0) return d;
  const ka = preKey(a);
  const kb = preKey(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  if (a.pre && b.pre) {
    d = a.pre[0] - b.pre[0] || compareDigits(a.pre[1], b.pre[1]);
    if (d !== 0) return Math.sign(d);
  }
  d = compareOptional(a.post, b.post, -1) || compareOptional(a.dev, b.dev, 1);
  if (d !== 0) return d;
  if (a.local === undefined || b.local === undefined) return a.local === b.local ? 0 : a.local === undefined ? -1 : 1;
  return compareList(a.local, b.local, compareLocalSegment);
}

export function comparePythonVersions(a: PythonVersion, b: PythonVersion): number {
  if (a.kind === 'legacy' || b.kind === 'legacy') {
    if (a.kind !== b.kind) return a.kind === 'legacy' ? -1 : 1;
    return compareList((a as LegacyVersion).parts, (b as LegacyVersion).parts, compareText);
  }
  return comparePep440(a, b);
}
