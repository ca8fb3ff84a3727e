/**
 * `semver`: SemVer 2.0.0 precedence (https://semver.org/#spec-item-11), the ordering OSV
 * `SEMVER` ranges use, and the scheme of Bitnami, SwiftURL and VSCode. Written by hand on the
 * shared SemVer-family scanner (../semver-like.ts) because npm's `semver` library rejects what
 * OSV data and the shared fixtures contain and OSV tooling (osv.dev, OSV-Scanner) reads:
 *   - numbers of any size (`semver` stops at 2^53; SemVer 2.0.0 sets no limit);
 *   - a leading `v` (`v1.2.3` = `1.2.3`), which the OSV schema says SEMVER ranges omit but
 *     package versions from tags (SwiftURL, Go) carry;
 *   - fewer or more than three numeric parts: missing parts are 0 (`1.2` = `1.2.0`, so the
 *     OSV sentinel `0` parses) and extra parts follow the patch number numerically
 *     (`1.2.3.4` > `1.2.3`);
 *   - leading zeros in numeric parts, compared by value (`1.02.3` = `1.2.3`).
 * Everything else is strict: identifiers `[0-9A-Za-z-]+`, none empty, nothing after the build
 * metadata, no spaces. Build metadata never affects the order (§10).
 */
import type { VersionScheme } from '../scheme.js';
import { comparePrecedence, parseSemverLike, type SemverLike } from '../semver-like.js';
import { MAX_VERSION_LENGTH } from '../common.js';

const OPTIONS = { leadingV: true, minCore: 1, maxCore: MAX_VERSION_LENGTH, leadingZeros: true } as const;

export const scheme: VersionScheme<SemverLike> = {
  id: 'semver',
  title: 'SemVer 2.0.0 precedence (OSV SEMVER ranges)',
  parse: (v) => parseSemverLike(v, OPTIONS),
  compare: comparePrecedence,
};
