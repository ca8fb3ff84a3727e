/**
 * `packagist`: Composer packages, ordered as PHP's `version_compare()` orders them once the
 * leading `v` is dropped (see ./version.ts, written by hand).
 */
import type { VersionScheme } from '../scheme.js';
import { comparePackagistVersions, parsePackagistVersion, type PackagistVersion } from './version.js';

export const scheme: VersionScheme<PackagistVersion> = {
  id: 'packagist',
  title: 'Packagist / Composer (PHP version_compare)',
  parse: parsePackagistVersion,
  compare: comparePackagistVersions,
};
