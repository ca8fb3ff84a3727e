/**
 * The operating system of a root filesystem, from `os-release(5)` (`etc/os-release`, else
 * `usr/lib/os-release`), and the OSV ecosystem names derived from it. Pure: callers hand in a
 * `readFile` over the tree (the directory walker's or the image's final filesystem view).
 *
 * Shared by the OS package readers (dpkg, apk, rpm), which look for the file beside the
 * database they read, and by the image reader, which reports the image's OS.
 */

export interface OsRelease {
  /** `ID`, lower-case (`debian`, `ubuntu`, `alpine`, `rhel` …). */
  readonly id: string;
  readonly idLike: readonly string[];
  readonly versionId?: string | undefined;
  /** `VERSION`, e.g. `22.04.4 LTS (Jammy Jellyfish)`. */
  readonly version?: string | undefined;
  readonly prettyName?: string | undefined;
  readonly name?: string | undefined;
  readonly buildId?: string | undefined;
}

export type ReadText = (path: string) => string | undefined;

/** Largest os-release accepted: the real files are well under 1 KiB. */
const MAX_OS_RELEASE = 64 * 1024;

/**
 * Parses `KEY=value` lines (values bare, or in single or double quotes with `\` escapes).
 * Returns undefined when there is no `ID` (the spec's default is `linux`, which tells us
 * nothing useful about package ecosystems).
 */
export function parseOsRelease(text: string): OsRelease | undefined {
  if (text.length > MAX_OS_RELEASE) return undefined;
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    if (!/^[A-Z0-9_]+$/.test(key)) continue;
    fields.set(key, unquote(line.slice(eq + 1)));
  }
  const id = fields.get('ID')?.toLowerCase();
  if (!id) return undefined;
  const optional = (k: string): string | undefined => {
    const v = fields.get(k);
    return v === undefined || v === '' ? undefined : v;
  };
  return {
    id,
    idLike: (fields.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter((s) => s !== ''),
    versionId: optional('VERSION_ID'),
    version: optional('VERSION'),
    prettyName: optional('PRETTY_NAME'),
    name: optional('NAME'),
    buildId: optional('BUILD_ID'),
  };
}

function unquote(value: string): string {
  const q = value[0];
  if ((q !== '"' && q !== "'") || value.length < 2) return value;
  const end = value.lastIndexOf(q);
  const body = value.slice(1, end > 0 ? end : undefined);
  if (q === "'") return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\' && i + 1 < body.length) out += body[++i];
    else out += c;
  }
  return out;
}

/**
 * The root prefix of a database path: `var/lib/dpkg/status` → `''`,
 * `img/rootfs/var/lib/dpkg/status` → `img/rootfs/`. Undefined when `path` does not end
 * with `suffix` at a path-segment boundary.
 */
export function rootPrefix(path: string, suffix: string): string | undefined {
  if (path === suffix) return '';
  if (path.endsWith(`/${suffix}`)) return path.slice(0, path.length - suffix.length);
  return undefined;
}

/** The os-release of the tree rooted at `prefix` (`etc/os-release`, then `usr/lib/os-release`). */
export function findOsRelease(readFile: ReadText | undefined, prefix: string): OsRelease | undefined {
  if (!readFile) return undefined;
  for (const p of ['etc/os-release', 'usr/lib/os-release']) {
    const text = safeRead(readFile, prefix + p);
    if (text !== undefined) {
      const os = parseOsRelease(text);
      if (os) return os;
    }
  }
  return undefined;
}

/** A companion read that never throws (a readFile that fails is a missing file here). */
export function safeRead(readFile: ReadText, path: string): string | undefined {
  try {
    return readFile(path);
  } catch {
    return undefined;
  }
}

/** `major.minor…` → `major`. */
const major = (v: string): string => /^\d+/.exec(v)?.[0] ?? v;

/** purl `distro` qualifier: `debian-12`, `alpine-3.20.1`, `rhel-9.4`. */
export function distroQualifier(os: OsRelease | undefined): string | undefined {
  if (!os) return undefined;
  const v = os.versionId ?? os.buildId;
  return v ? `${os.id}-${v}` : undefined;
}

/**
 * OSV ecosystem for dpkg packages: `Debian:12`, `Ubuntu:22.04:LTS`, `Ubuntu:24.10`; plain
 * `Debian` when the release is unknown (what osv-scanner's dpkg reader reports on its own).
 * `debianVersion` is the text of `etc/debian_version`, used when os-release has no version.
 */
export function debEcosystem(os: OsRelease | undefined, debianVersion?: string): string {
  if (os?.id === 'ubuntu') {
    if (!os.versionId) return 'Ubuntu';
    const lts = os.version !== undefined && /\bLTS\b/.test(os.version);
    return `Ubuntu:${os.versionId}${lts ? ':LTS' : ''}`;
  }
  if (os === undefined || os.id === 'debian') {
    if (os?.versionId) return `Debian:${major(os.versionId)}`;
    const dv = debianVersion?.trim();
    if (dv && /^\d+(\.\d+)*$/.test(dv)) return `Debian:${major(dv)}`;
  }
  return 'Debian';
}

/** Release osv-scanner assumes when an Alpine database has no `etc/alpine-release` beside it. */
export const ALPINE_FALLBACK_RELEASE = 'v3.20';

/**
 * OSV ecosystem for apk packages: `Alpine:v3.20` from `etc/alpine-release` (or os-release's
 * VERSION_ID), `Wolfi`, `Chainguard`. `assumed` is true when the release was not found and
 * osv-scanner's fallback was used.
 */
export function apkEcosystem(os: OsRelease | undefined, alpineRelease: string | undefined): { ecosystem: string; assumed: boolean } {
  if (os?.id === 'wolfi') return { ecosystem: 'Wolfi', assumed: false };
  if (os?.id === 'chainguard') return { ecosystem: 'Chainguard', assumed: false };
  for (const candidate of [alpineRelease, os?.id === 'alpine' ? os.versionId : undefined]) {
    const m = candidate === undefined ? null : /^\s*(\d+)\.(\d+)/.exec(candidate);
    if (m) return { ecosystem: `Alpine:v${m[1]}.${m[2]}`, assumed: false };
  }
  return { ecosystem: `Alpine:${ALPINE_FALLBACK_RELEASE}`, assumed: true };
}

/**
 * OSV ecosystem for rpm packages, or undefined when OSV has none for this distribution (or
 * the OS is unknown): `Red Hat`, `AlmaLinux:9`, `Rocky Linux:9`, `openSUSE:Leap 15.5`,
 * `openSUSE:Tumbleweed`, `SUSE:Linux Enterprise Server 15 SP5`, `Mageia:9`, `Azure Linux:3`.
 */
export function rpmEcosystem(os: OsRelease | undefined): string | undefined {
  if (!os) return undefined;
  const v = os.versionId;
  switch (os.id) {
    case 'rhel':
      return 'Red Hat';
    case 'almalinux':
      return v ? `AlmaLinux:${major(v)}` : 'AlmaLinux';
    case 'rocky':
      return v ? `Rocky Linux:${major(v)}` : 'Rocky Linux';
    case 'opensuse-leap':
      return v ? `openSUSE:Leap ${v}` : 'openSUSE';
    case 'opensuse-tumbleweed':
      return 'openSUSE:Tumbleweed';
    case 'sles':
    case 'sled':
    case 'sle-micro': {
      if (!v) return 'SUSE';
      if (os.id === 'sle-micro') return `SUSE:Linux Enterprise Micro ${v}`;
      const [maj, min] = v.split('.');
      const product = os.id === 'sles' ? 'Linux Enterprise Server' : 'Linux Enterprise Desktop';
      return `SUSE:${product} ${maj}${min && min !== '0' ? ` SP${min}` : ''}`;
    }
    case 'mageia':
      return v ? `Mageia:${v}` : 'Mageia';
    case 'azurelinux':
      return v ? `Azure Linux:${major(v)}` : 'Azure Linux';
    default:
      return undefined;
  }
}

/** purl namespace (vendor) for rpm packages: `redhat` for RHEL, else the os-release ID. */
export function rpmVendor(os: OsRelease | undefined): string | undefined {
  if (!os) return undefined;
  return os.id === 'rhel' ? 'redhat' : os.id;
}
