import { PackageURL } from 'packageurl-js';
import type { Ecosystem } from '../model.js';

/**
 * Package URL → OSV ecosystem and package name, for packages read from an SBOM (where the
 * purl is the only reliable identity). One small map; OS types look at the purl namespace
 * and the `distro` qualifier for the release (`Debian:12`, `Alpine:v3.20`).
 */

type Resolver = Ecosystem | ((p: PackageURL) => Ecosystem);

const DEBIAN_CODENAMES: Readonly<Record<string, string>> = { stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13' };
const UBUNTU_CODENAMES: Readonly<Record<string, string>> = { bionic: '18.04', focal: '20.04', jammy: '22.04', noble: '24.04' };

/** `debian-12.5` / `12.5` / `bookworm` → the release part, or undefined. */
function distroRelease(p: PackageURL, prefix: string, codenames?: Readonly<Record<string, string>>): string | undefined {
  const distro = p.qualifiers?.['distro']?.toLowerCase();
  if (!distro) return undefined;
  const bare = distro.startsWith(`${prefix}-`) ? distro.slice(prefix.length + 1) : distro;
  if (codenames && Object.hasOwn(codenames, bare)) return codenames[bare];
  return /^\d+(?:\.\d+)*$/.test(bare) ? bare : undefined;
}

const withRelease = (eco: string, release: string | undefined): Ecosystem => (release ? `${eco}:${release}` : eco);
const major = (v: string | undefined): string | undefined => v?.split('.')[0];
const majorMinor = (v: string | undefined): string | undefined => (v ? v.split('.').slice(0, 2).join('.') : undefined);

function deb(p: PackageURL): Ecosystem {
  switch (p.namespace?.toLowerCase() ?? '') {
    case 'debian':
      return withRelease('Debian', major(distroRelease(p, 'debian', DEBIAN_CODENAMES)));
    case 'ubuntu':
      return withRelease('Ubuntu', distroRelease(p, 'ubuntu', UBUNTU_CODENAMES));
    default:
      return '';
  }
}

function apk(p: PackageURL): Ecosystem {
  switch (p.namespace?.toLowerCase() ?? '') {
    case 'alpine': {
      const release = majorMinor(distroRelease(p, 'alpine'));
      return release ? `Alpine:v${release}` : 'Alpine';
    }
    case 'wolfi':
      return 'Wolfi';
    case 'chainguard':
      return 'Chainguard';
    default:
      return '';
  }
}

const RPM_VENDORS: Readonly<Record<string, string>> = {
  redhat: 'Red Hat',
  rhel: 'Red Hat',
  rocky: 'Rocky Linux',
  almalinux: 'AlmaLinux',
  opensuse: 'openSUSE',
  suse: 'SUSE',
  sles: 'SUSE',
  openeuler: 'openEuler',
  mariner: 'Mariner',
  azurelinux: 'Azure Linux',
  photon: 'Photon OS',
};

function rpm(p: PackageURL): Ecosystem {
  const vendor = p.namespace?.toLowerCase() ?? '';
  const eco = Object.hasOwn(RPM_VENDORS, vendor) ? RPM_VENDORS[vendor]! : '';
  if (eco === 'AlmaLinux' || eco === 'Rocky Linux') return withRelease(eco, major(distroRelease(p, vendor === 'rocky' ? 'rocky' : 'almalinux')));
  return eco;
}

/** purl type → OSV ecosystem (https://ossf.github.io/osv-schema/#defined-ecosystems). Unknown types map to ''. */
const ECOSYSTEMS: ReadonlyMap<string, Resolver> = new Map<string, Resolver>([
  ['npm', 'npm'],
  ['pypi', 'PyPI'],
  ['golang', 'Go'],
  ['cargo', 'crates.io'],
  ['gem', 'RubyGems'],
  ['composer', 'Packagist'],
  ['nuget', 'NuGet'],
  ['maven', 'Maven'],
  ['pub', 'Pub'],
  ['hex', 'Hex'],
  ['conan', 'ConanCenter'],
  ['cran', 'CRAN'],
  ['hackage', 'Hackage'],
  ['swift', 'SwiftURL'],
  ['bitnami', 'Bitnami'],
  ['githubactions', 'GitHub Actions'],
  ['deb', deb],
  ['apk', apk],
  ['rpm', rpm],
]);

export function ecosystemOf(p: PackageURL): Ecosystem {
  const r = ECOSYSTEMS.get(p.type);
  if (r === undefined) return '';
  return typeof r === 'string' ? r : r(p);
}

/** purl types whose package name includes the namespace, and the separator OSV uses. */
const NAMESPACED: ReadonlyMap<string, string> = new Map([
  ['maven', ':'],
  ['npm', '/'],
  ['golang', '/'],
  ['composer', '/'],
  ['swift', '/'],
  ['github', '/'],
  ['githubactions', '/'],
  ['docker', '/'],
  ['oci', '/'],
  ['generic', '/'],
]);

/** The package name as the ecosystem spells it: Maven `group:artifact`, npm `@scope/name`, Go module path … */
export function packageNameOf(p: PackageURL): string {
  const sep = NAMESPACED.get(p.type);
  return sep !== undefined && p.namespace ? `${p.namespace}${sep}${p.name}` : p.name;
}

export type ParsedPurl = { readonly ok: true; readonly purl: PackageURL } | { readonly ok: false; readonly reason: string };

export function parsePurl(text: string): ParsedPurl {
  try {
    return { ok: true, purl: PackageURL.fromString(text) };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
