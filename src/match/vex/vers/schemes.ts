/**
 * vers versioning schemes (the `<type>` of `vers:<type>/…`) → the version ordering Vigil uses
 * for them. Package-ecosystem types reuse the comparators of src/versions (the same ones the
 * matcher uses); the generic types the vers specification defines precisely (`intdot`,
 * `lexicographic`) are written here by hand (a few lines each, no library has them); `all` and
 * `none` take only `*` (contains.ts). Every other type (`generic`, whose ordering the
 * specification leaves for later, `datetime`, `cpan`, `gentoo`, `conan`, `alpm`, a vendor's
 * own …) has no ordering here: a range using it is reported as not evaluable, never guessed.
 */
import type { VersionScheme } from '../../../versions/scheme.js';
import { schemeById, type VersionSchemeId } from '../../../versions/registry.js';
import { compareDigits, isDigitCode, MAX_VERSION_LENGTH } from '../../../versions/common.js';

/** vers type → src/versions scheme id. Names are the package-url types (and the older spec's `alpine`). */
export const VERS_TYPE_SCHEME_IDS: Readonly<Record<string, VersionSchemeId>> = {
  npm: 'npm',
  pypi: 'pep440',
  maven: 'maven',
  golang: 'go',
  cargo: 'cargo',
  gem: 'rubygems',
  nuget: 'nuget',
  composer: 'packagist',
  pub: 'pub',
  dart: 'pub',
  hex: 'hex',
  deb: 'debian',
  apk: 'alpine',
  alpine: 'alpine',
  rpm: 'rpm',
  semver: 'semver',
  cran: 'cran',
  hackage: 'hackage',
};

/**
 * `intdot`: dot-separated non-negative integers, leading zeros ignored; reading stops at the
 * first character that is neither a digit nor a dot (`1.2beta` = `1.2`). A missing segment
 * counts as 0 (`1.2` = `1.2.0`) and a trailing dot is ignored (`1.2.beta` = `1.2`). A version
 * that does not start with a digit, or has an empty segment (`1..2`), is not an intdot version.
 */
export const intdot: VersionScheme<readonly string[]> = {
  id: 'intdot',
  title: 'vers intdot (dot-separated integers)',
  parse(v) {
    if (v.length === 0 || v.length > MAX_VERSION_LENGTH || !isDigitCode(v.charCodeAt(0))) return undefined;
    let end = 0;
    while (end < v.length && (isDigitCode(v.charCodeAt(end)) || v.charCodeAt(end) === 46)) end++;
    let head = v.slice(0, end);
    if (head.endsWith('.')) head = head.slice(0, -1);
    const parts = head.split('.');
    return parts.some((p) => p === '') ? undefined : parts;
  },
  compare(a, b) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const c = compareDigits(a[i] ?? '0', b[i] ?? '0');
      if (c !== 0) return c;
    }
    return 0;
  },
};

/** `lexicographic`: byte order of the UTF-8 encoding, without normalisation (= code point order). */
export const lexicographic: VersionScheme<string> = {
  id: 'lexicographic',
  title: 'vers lexicographic (UTF-8 byte order)',
  parse: (v) => (v.length === 0 || v.length > MAX_VERSION_LENGTH ? undefined : v),
  compare(a, b) {
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const x = a.codePointAt(i)!;
      const y = b.codePointAt(j)!;
      if (x !== y) return x < y ? -1 : 1;
      i += x > 0xffff ? 2 : 1;
      j += y > 0xffff ? 2 : 1;
    }
    return i < a.length ? 1 : j < b.length ? -1 : 0;
  },
};

/** The ordering of a vers type, or undefined when Vigil has none for it. */
export function versScheme(type: string): VersionScheme | undefined {
  if (type === 'intdot') return intdot;
  if (type === 'lexicographic') return lexicographic;
  const id = Object.hasOwn(VERS_TYPE_SCHEME_IDS, type) ? VERS_TYPE_SCHEME_IDS[type] : undefined;
  return id === undefined ? undefined : schemeById(id);
}

/** Every vers type with an ordering, for messages and docs. */
export const VERS_TYPES_WITH_ORDERING: readonly string[] = [...Object.keys(VERS_TYPE_SCHEME_IDS), 'intdot', 'lexicographic'].sort();
