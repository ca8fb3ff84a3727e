/**
 * A version scheme: how one ecosystem spells and orders its versions. One folder per scheme
 * under src/versions/<id>/ with a dedicated comparator (a maintained library where one exists,
 * written by hand where none does, said so in the file); one registry
 * (src/versions/registry.ts) maps OSV ecosystem names to schemes. There is no fuzzy fallback:
 * an ecosystem without a scheme is reported by the matcher, never guessed.
 */
export interface VersionScheme<P = unknown> {
  /** Folder name: `semver`, `npm`, `pep440`, `maven`, `go`, `cargo`, `rubygems`, `nuget`, `packagist`, `pub`, `hex`, `debian`, `alpine`, `rpm`, `cran`, `hackage` … */
  readonly id: string;
  readonly title: string;
  /**
   * Parses a version string exactly as the ecosystem defines it; `undefined` when the string is
   * not a valid version of this scheme (the caller reports it, it is never compared loosely).
   * Pure and cheap enough to call per package; the result is opaque to callers.
   */
  parse(version: string): P | undefined;
  /** Negative, 0 or positive as a orders before, equal to or after b. */
  compare(a: P, b: P): number;
}

/** Compares two version strings in a scheme; throws InvalidVersionError naming the string when either does not parse. */
export function compareStrings<P>(scheme: VersionScheme<P>, a: string, b: string): number {
  const pa = scheme.parse(a);
  if (pa === undefined) throw new InvalidVersionError(scheme.id, a);
  const pb = scheme.parse(b);
  if (pb === undefined) throw new InvalidVersionError(scheme.id, b);
  return scheme.compare(pa, pb);
}

export class InvalidVersionError extends Error {
  constructor(
    readonly scheme: string,
    readonly version: string,
  ) {
    super(`"${version}" is not a valid ${scheme} version`);
    this.name = 'InvalidVersionError';
  }
}
