/**
 * `pub`: Dart packages, ordered as the `pub_semver` package orders them. Written by hand on the
 * SemVer-family scanner (../semver-like.ts); no JavaScript port of pub_semver exists.
 *  - SemVer 2.0.0 precedence for the numbers and the pre-release;
 *  - then, unlike SemVer, the build: a version without build sorts before the same version
 *    with one (`1.0.0` < `1.0.0+1`), and builds compare part by part like pre-releases
 *    (`+9` < `+10` < `+a`).
 * Tolerated as in OSV tooling and the shared fixtures (pub itself refuses them): a leading `v`,
 * numbers of any size, fewer or more than three numeric parts (missing parts are 0).
 */
import type { VersionScheme } from '../scheme.js';
import { comparePre, comparePrecedence, parseSemverLike, type SemverLike } from '../semver-like.js';
import { MAX_VERSION_LENGTH } from '../common.js';

const OPTIONS = { leadingV: true, minCore: 1, maxCore: MAX_VERSION_LENGTH, leadingZeros: true } as const;

/** pub_semver: no build first, then builds part by part (the SemVer identifier rules). */
function compareBuild(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? -1 : 1;
  return comparePre(a, b);
}

export const scheme: VersionScheme<SemverLike> = {
  id: 'pub',
  title: 'Pub (Dart pub_semver)',
  parse: (v) => parseSemverLike(v, OPTIONS),
  compare: (a, b) => comparePrecedence(a, b) || compareBuild(a.build, b.build),
};
