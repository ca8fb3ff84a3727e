/**
 * The version schemes, and which one each OSV ecosystem uses
 * (https://ossf.github.io/osv-schema/#defined-ecosystems; the same choices as osv.dev's
 * `osv/ecosystems/_ecosystems.py`). An ecosystem without a defined ordering maps to nothing:
 * the matcher reports "unknown version scheme" and never guesses.
 */
import type { VersionScheme } from './scheme.js';
import { ecosystemBase } from '../core/ecosystem.js';
import { scheme as alpine } from './alpine/index.js';
import { scheme as cargo } from './cargo/index.js';
import { scheme as cran } from './cran/index.js';
import { scheme as debian } from './debian/index.js';
import { scheme as go } from './go/index.js';
import { scheme as hackage } from './hackage/index.js';
import { scheme as hex } from './hex/index.js';
import { scheme as maven } from './maven/index.js';
import { scheme as npm } from './npm/index.js';
import { scheme as nuget } from './nuget/index.js';
import { scheme as packagist } from './packagist/index.js';
import { scheme as pep440 } from './pep440/index.js';
import { scheme as pub } from './pub/index.js';
import { scheme as rpm } from './rpm/index.js';
import { scheme as rubygems } from './rubygems/index.js';
import { scheme as semver } from './semver/index.js';

export { ecosystemBase, ecosystemRelease } from '../core/ecosystem.js';

export const VERSION_SCHEME_IDS = [
  'alpine',
  'cargo',
  'cran',
  'debian',
  'go',
  'hackage',
  'hex',
  'maven',
  'npm',
  'nuget',
  'packagist',
  'pep440',
  'pub',
  'rpm',
  'rubygems',
  'semver',
] as const;

export type VersionSchemeId = (typeof VERSION_SCHEME_IDS)[number];

/** Every scheme, by id (the id is also its folder under src/versions/). */
export const VERSION_SCHEMES: ReadonlyMap<VersionSchemeId, VersionScheme> = new Map<VersionSchemeId, VersionScheme>([
  ['alpine', alpine],
  ['cargo', cargo],
  ['cran', cran],
  ['debian', debian],
  ['go', go],
  ['hackage', hackage],
  ['hex', hex],
  ['maven', maven],
  ['npm', npm],
  ['nuget', nuget],
  ['packagist', packagist],
  ['pep440', pep440],
  ['pub', pub],
  ['rpm', rpm],
  ['rubygems', rubygems],
  ['semver', semver],
]);

/**
 * OSV ecosystem (the part before the first `:`) → scheme. Ecosystems OSV defines without an
 * ordering implemented here are absent: Android, ConanCenter, GIT, GitHub Actions, Julia,
 * Kubernetes, Linux, OSS-Fuzz, opam, Photon OS, FreeBSD, TuxCare, Root, CleanStart and
 * Docker Hardened Images.
 */
export const ECOSYSTEM_SCHEMES: Readonly<Record<string, VersionSchemeId>> = {
  AlmaLinux: 'rpm',
  Alpaquita: 'alpine',
  Alpine: 'alpine',
  'Azure Linux': 'rpm',
  'BellSoft Hardened Containers': 'alpine',
  Bioconductor: 'cran',
  Bitnami: 'semver',
  Chainguard: 'alpine',
  CRAN: 'cran',
  'crates.io': 'cargo',
  Debian: 'debian',
  Echo: 'debian',
  GHC: 'hackage',
  Go: 'go',
  Hackage: 'hackage',
  Hex: 'hex',
  Mageia: 'rpm',
  Maven: 'maven',
  MinimOS: 'alpine',
  npm: 'npm',
  NuGet: 'nuget',
  openEuler: 'rpm',
  openSUSE: 'rpm',
  Packagist: 'packagist',
  Pub: 'pub',
  PyPI: 'pep440',
  'Red Hat': 'rpm',
  'Rocky Linux': 'rpm',
  RubyGems: 'rubygems',
  SUSE: 'rpm',
  SwiftURL: 'semver',
  Ubuntu: 'debian',
  VSCode: 'semver',
  Wolfi: 'alpine',
};

export function schemeById(id: string): VersionScheme | undefined {
  return VERSION_SCHEMES.get(id as VersionSchemeId);
}

/**
 * The scheme of an OSV ecosystem name, ignoring any `:release` suffix (`Debian:12`,
 * `Alpine:v3.20`, `Ubuntu:22.04:LTS`); undefined when OSV defines no ordering we implement.
 */
export function schemeForEcosystem(ecosystem: string): VersionScheme | undefined {
  const base = ecosystemBase(ecosystem);
  const id = Object.hasOwn(ECOSYSTEM_SCHEMES, base) ? ECOSYSTEM_SCHEMES[base] : undefined;
  return id === undefined ? undefined : VERSION_SCHEMES.get(id);
}
