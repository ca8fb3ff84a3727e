import { PackageURL } from 'packageurl-js';

/**
 * Package URLs through packageurl-js (which applies each type's normalisation: PyPI names
 * lower-cased with `_` → `-`, npm scopes percent-encoded …). `namespace` is the npm scope,
 * Maven group id, Go module path prefix, Composer vendor, deb/rpm/apk vendor …
 *
 * The library validates and normalises through several objects per call, which was a tenth
 * of a lockfile read; the common case (a known type, components of plain characters that
 * need no percent-encoding) is written here directly, to the same text (purl.test.ts checks
 * both ways agree on every package of the shared lockfile data and on random input).
 * Anything else goes through the library.
 */
export function purl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string | undefined,
  qualifiers?: Record<string, string | undefined>,
): string {
  return fastPurl(type, namespace || undefined, name, version || undefined, qualifiers) ?? libraryPurl(type, namespace, name, version, qualifiers);
}

/** The purl as packageurl-js builds it. */
export function libraryPurl(
  type: string,
  namespace: string | undefined,
  name: string,
  version: string | undefined,
  qualifiers?: Record<string, string | undefined>,
): string {
  const q: Record<string, string> = {};
  for (const [k, v] of Object.entries(qualifiers ?? {})) if (v !== undefined && v !== '') q[k] = v;
  return new PackageURL(type, namespace || undefined, name, version || undefined, Object.keys(q).length ? q : undefined, undefined).toString();
}

/**
 * Types whose normalisation the fast path applies (`lower`: namespace and name lower-cased;
 * `pypi`: also `_` → `-` in the name), and which packageurl-js validates in no way the fast
 * path's character rules do not already cover (Maven: a namespace is required; Go: a version
 * starting with `v` must be semver, left to the library).
 */
export const FAST_TYPES: ReadonlyMap<string, 'keep' | 'lower' | 'pypi'> = new Map([
  ['npm', 'lower'],
  ['pypi', 'pypi'],
  ['cargo', 'keep'],
  ['gem', 'keep'],
  ['nuget', 'keep'],
  ['generic', 'keep'],
  ['maven', 'keep'],
  ['golang', 'keep'],
  ['composer', 'lower'],
  ['hex', 'lower'],
  ['deb', 'lower'],
  ['apk', 'lower'],
]);

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/** Left alone by encodeURIComponent and by trim(): letters, digits, `-` `.` `_` `~`. */
const isPlain = (c: number): boolean => isAlnum(c) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;

function allPlain(s: string, extra?: (c: number, i: number) => boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isPlain(c) && !extra?.(c, i)) return false;
  }
  return true;
}

/** Interior single slashes and colons, which the namespace keeps unencoded; a leading `@` (npm scope). */
const namespaceExtra =
  (ns: string) =>
  (c: number, i: number): boolean =>
    c === 0x3a || (c === 0x40 && i === 0) || (c === 0x2f && i > 0 && i < ns.length - 1 && ns.charCodeAt(i - 1) !== 0x2f);
/** `+` and `:` stay unencoded in a version. */
const versionExtra = (c: number): boolean => c === 0x2b || c === 0x3a;
/** Left alone by form-urlencoding (qualifier values): letters, digits, `*` `-` `.` `_`. */
const isFormPlain = (c: number): boolean => isAlnum(c) || c === 0x2a || c === 0x2d || c === 0x2e || c === 0x5f;

function fastQualifiers(qualifiers: Record<string, string | undefined> | undefined): string | undefined {
  if (qualifiers === undefined) return '';
  const pairs: [string, string][] = [];
  for (const key in qualifiers) {
    if (!Object.hasOwn(qualifiers, key)) continue;
    const value = qualifiers[key];
    if (value === undefined || value === '') continue;
    const k0 = key.charCodeAt(0);
    if (!(k0 >= 0x61 && k0 <= 0x7a)) return undefined;
    for (let i = 1; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f)) return undefined;
    }
    for (let i = 0; i < value.length; i++) if (!isFormPlain(value.charCodeAt(i))) return undefined;
    pairs.push([key, value]);
  }
  if (pairs.length === 0) return '';
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

/** The purl for the common case, or undefined when the library must decide. */
function fastPurl(type: string, namespace: string | undefined, name: string, version: string | undefined, qualifiers: Record<string, string | undefined> | undefined): string | undefined {
  const mode = FAST_TYPES.get(type);
  if (mode === undefined || name === '' || !allPlain(name)) return undefined;
  if (namespace !== undefined && !allPlain(namespace, namespaceExtra(namespace))) return undefined;
  if (version !== undefined && !allPlain(version, versionExtra)) return undefined;
  if (type === 'maven' && namespace === undefined) return undefined;
  if (type === 'golang' && version?.charCodeAt(0) === 0x76) return undefined;
  const q = fastQualifiers(qualifiers);
  if (q === undefined) return undefined;
  let ns = namespace;
  let n = name;
  if (mode !== 'keep') {
    ns = ns?.toLowerCase();
    n = n.toLowerCase();
    if (mode === 'pypi') n = n.replaceAll('_', '-');
  }
  const nsText = ns === undefined ? '' : `${ns.charCodeAt(0) === 0x40 ? `%40${ns.slice(1)}` : ns}/`;
  return `pkg:${type}/${nsText}${n}${version === undefined ? '' : `@${version}`}${q}`;
}

/** Splits a scoped npm name `@scope/name` into namespace and name. */
export function npmPurl(fullName: string, version: string): string {
  const slash = fullName.startsWith('@') ? fullName.indexOf('/') : -1;
  return slash > 0 ? purl('npm', fullName.slice(0, slash), fullName.slice(slash + 1), version) : purl('npm', undefined, fullName, version);
}

/** Go module path `github.com/foo/bar` → namespace `github.com/foo`, name `bar`. */
export function golangPurl(modulePath: string, version: string): string {
  const slash = modulePath.lastIndexOf('/');
  return slash > 0 ? purl('golang', modulePath.slice(0, slash), modulePath.slice(slash + 1), version) : purl('golang', undefined, modulePath, version);
}

/**
 * Hands out package ids unique within one inventory: the purl, then `purl#2`, `purl#3` …
 * when the same purl is seen again (the same package at two paths of a lockfile).
 */
export class PackageIds {
  private readonly seen = new Map<string, number>();

  next(purlText: string): string {
    const n = (this.seen.get(purlText) ?? 0) + 1;
    this.seen.set(purlText, n);
    return n === 1 ? purlText : `${purlText}#${n}`;
  }
}
