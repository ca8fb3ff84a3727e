import { PackageURL } from 'packageurl-js';
import type { Ecosystem } from '../model.js';
import { FAST_TYPES } from '../purl.js';

/**
 * Package URL → OSV ecosystem and package name, for packages read from an SBOM (where the
 * purl is the only reliable identity). One small map; OS types look at the purl namespace
 * and the `distro` qualifier for the release (`Debian:12`, `Alpine:v3.20`).
 */

/** The parts of a parsed purl the mapping reads (a PackageURL has them). */
export interface PurlParts {
  readonly type: string;
  readonly namespace?: string | undefined;
  readonly name: string;
  readonly version?: string | undefined;
  readonly qualifiers?: Readonly<Record<string, string>> | undefined;
  readonly subpath?: string | undefined;
}

type Resolver = Ecosystem | ((p: PurlParts) => Ecosystem);

const DEBIAN_CODENAMES: Readonly<Record<string, string>> = { stretch: '9', buster: '10', bullseye: '11', bookworm: '12', trixie: '13' };
const UBUNTU_CODENAMES: Readonly<Record<string, string>> = { bionic: '18.04', focal: '20.04', jammy: '22.04', noble: '24.04' };

/** `debian-12.5` / `12.5` / `bookworm` → the release part, or undefined. */
function distroRelease(p: PurlParts, prefix: string, codenames?: Readonly<Record<string, string>>): string | undefined {
  const distro = p.qualifiers?.['distro']?.toLowerCase();
  if (!distro) return undefined;
  const bare = distro.startsWith(`${prefix}-`) ? distro.slice(prefix.length + 1) : distro;
  if (codenames && Object.hasOwn(codenames, bare)) return codenames[bare];
  return /^\d+(?:\.\d+)*$/.test(bare) ? bare : undefined;
}

const withRelease = (eco: string, release: string | undefined): Ecosystem => (release ? `${eco}:${release}` : eco);
const major = (v: string | undefined): string | undefined => v?.split('.')[0];
const majorMinor = (v: string | undefined): string | undefined => (v ? v.split('.').slice(0, 2).join('.') : undefined);

function deb(p: PurlParts): Ecosystem {
  switch (p.namespace?.toLowerCase() ?? '') {
    case 'debian':
      return withRelease('Debian', major(distroRelease(p, 'debian', DEBIAN_CODENAMES)));
    case 'ubuntu':
      return withRelease('Ubuntu', distroRelease(p, 'ubuntu', UBUNTU_CODENAMES));
    default:
      return '';
  }
}

function apk(p: PurlParts): Ecosystem {
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

function rpm(p: PurlParts): Ecosystem {
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

export function ecosystemOf(p: PurlParts): Ecosystem {
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
export function packageNameOf(p: PurlParts): string {
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

/** Characters a purl can hold that need no percent-decoding and no URL normalisation. */
const isPlainPurlChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e || c === 0x2b || c === 0x3a || c === 0x2f || c === 0x40;

/**
 * The parts of a plain purl (`pkg:type/[namespace/]name[@version]` of a type the fast purl
 * builder knows, letters, digits and `-._~+:/@` only, no qualifiers or subpath, no empty
 * segments), as PackageURL.fromString would give them; undefined for anything else.
 */
function plainPurl(text: string): PurlParts | undefined {
  if (!text.startsWith('pkg:')) return undefined;
  for (let i = 4; i < text.length; i++) if (!isPlainPurlChar(text.charCodeAt(i))) return undefined;
  const slash = text.indexOf('/', 4);
  if (slash < 5) return undefined;
  const type = text.slice(4, slash);
  const mode = FAST_TYPES.get(type);
  if (mode === undefined) return undefined;
  let at = text.lastIndexOf('@');
  if (at <= slash || text.charCodeAt(at - 1) === 0x2f) at = -1;
  const version = at === -1 ? undefined : text.slice(at + 1);
  if (version === '' || version?.includes('/')) return undefined;
  const path = text.slice(slash + 1, at === -1 ? text.length : at);
  const last = path.lastIndexOf('/');
  let name = path.slice(last + 1);
  let namespace = last === -1 ? undefined : path.slice(0, last);
  if (name === '' || name.includes('@')) return undefined;
  if (namespace !== undefined && (namespace === '' || namespace.startsWith('/') || namespace.endsWith('/') || namespace.includes('//') || namespace.indexOf('@', 1) !== -1)) return undefined;
  if ((type === 'maven' && namespace === undefined) || (type === 'golang' && version?.startsWith('v'))) return undefined;
  if (mode !== 'keep') {
    namespace = namespace?.toLowerCase();
    name = name.toLowerCase();
    if (mode === 'pypi') name = name.replaceAll('_', '-');
  }
  return { type, namespace, name, version, qualifiers: undefined, subpath: undefined };
}

export type ParsedPurlParts = { readonly ok: true; readonly purl: PurlParts } | { readonly ok: false; readonly reason: string };

/**
 * parsePurl for readers that only need the parts: plain purls (nearly all of them) are split
 * here, the rest go through packageurl-js (whose parse uses the WHATWG URL parser, a large
 * share of reading a 100,000-component SBOM). ecosystem.test.ts checks both agree.
 */
export function parsePurlParts(text: string): ParsedPurlParts {
  const plain = plainPurl(text);
  return plain ? { ok: true, purl: plain } : parsePurl(text);
}
