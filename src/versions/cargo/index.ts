/**
 * `cargo`: crates.io versions, SemVer 2.0.0 as Cargo's `semver` crate reads them: exactly
 * `MAJOR.MINOR.PATCH[-pre][+build]`, no leading `v`, no leading zeros. Parsing and precedence
 * come from the `semver` library in strict mode; build metadata is ignored by the order (as
 * Cargo's requirement matching ignores it). Numbers above 2^53 - 1, which Cargo allows up to
 * 2^64 - 1, are refused by the library and so reported as invalid, never compared loosely.
 */
import { parse, type SemVer } from 'semver';
import type { VersionScheme } from '../scheme.js';
import { acceptableAscii, isDigitCode } from '../common.js';

/** Strict SemVer 2.0.0 through the `semver` library: digits first (no `v`, no `=`). */
export function parseStrictSemver(v: string): SemVer | undefined {
  if (!acceptableAscii(v) || !isDigitCode(v.charCodeAt(0))) return undefined;
  return parse(v, { loose: false }) ?? undefined;
}

export const scheme: VersionScheme<SemVer> = {
  id: 'cargo',
  title: 'Cargo / crates.io (SemVer 2.0.0)',
  parse: parseStrictSemver,
  compare: (a, b) => a.compare(b),
};
