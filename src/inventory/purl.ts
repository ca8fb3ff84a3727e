import { PackageURL } from 'packageurl-js';

/**
 * Package URLs through packageurl-js (which applies each type's normalisation: PyPI names
 * lower-cased with `_` → `-`, npm scopes percent-encoded …). `namespace` is the npm scope,
 * Maven group id, Go module path prefix, Composer vendor, deb/rpm/apk vendor …
 */
export function purl(
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
