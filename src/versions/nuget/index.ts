/**
 * `nuget`: NuGet versions as NuGet.Versioning's `NuGetVersion` reads and orders them. Written by
 * hand on the SemVer-family scanner (../semver-like.ts): `@snyk/nuget-semver` compares numeric
 * release labels as text (`beta.10` < `beta.9`).
 *  - one to four numeric parts, missing parts are 0 (`1.0` = `1.0.0.0`), leading zeros allowed
 *    and compared by value (`1.0.01` = `1.0.1`); no leading `v`;
 *  - release labels `-a.b.c` (SemVer 2): a version with labels sorts before the same version
 *    without; labels compare one by one, digit-only labels numerically and before the others,
 *    the others case-insensitively (`1.0.0-BETA` = `1.0.0-beta`); more labels win a tie;
 *  - metadata `+…` is ignored (`1.0.0+a` = `1.0.0+b`).
 * Numbers of any size are compared exactly (NuGet itself stops at 2^31 - 1).
 */
import type { VersionScheme } from '../scheme.js';
import { compareCore, comparePre, parseSemverLike, type SemverLike } from '../semver-like.js';

const OPTIONS = { leadingV: false, minCore: 1, maxCore: 4, leadingZeros: true } as const;

export function parseNuGetVersion(v: string): SemverLike | undefined {
  const p = parseSemverLike(v, OPTIONS);
  // Labels compare case-insensitively: fold them once here.
  return p && { core: p.core, pre: p.pre.map((l) => l.toLowerCase()), build: p.build };
}

export const scheme: VersionScheme<SemverLike> = {
  id: 'nuget',
  title: 'NuGet (NuGet.Versioning)',
  parse: parseNuGetVersion,
  compare: (a, b) => compareCore(a.core, b.core) || comparePre(a.pre, b.pre),
};
