/**
 * `maven`: Maven versions ordered by the Maven version order specification (see ./version.ts,
 * written by hand, checked against `mvncmp` and Maven's own ComparableVersion), plus the
 * Maven range syntax (`[1.0,2.0)`, `(,1.0],[1.2,)` …, see ./range.ts). Any visible-ASCII
 * string of at most 256 characters is a Maven version, as in Maven itself.
 */
import type { VersionScheme } from '../scheme.js';
import { compareMavenVersions, parseMavenVersion, type MavenVersion } from './version.js';

export { parseMavenRange, type MavenRange, type MavenRangeResult, type MavenRestriction } from './range.js';
export type { MavenVersion } from './version.js';

export const scheme: VersionScheme<MavenVersion> = {
  id: 'maven',
  title: 'Maven (version order specification)',
  parse: parseMavenVersion,
  compare: compareMavenVersions,
};
