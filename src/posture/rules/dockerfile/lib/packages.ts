/**
 * OS package manager commands as rules see them: which manager a command is, its subcommand,
 * the packages it names (options and their values skipped), whether it answers prompts by
 * itself, whether a package is version-pinned, and which later command in the same RUN
 * removes the manager's cache. One table row per manager family; pure and linear.
 */
import type { Command } from './run.js';
import { isDynamic } from './shell.js';

export type ManagerId = 'apt' | 'dnf' | 'yum' | 'zypper' | 'apk';

export interface PackageManager {
  readonly id: ManagerId;
  /** Command names of the family. */
  readonly commands: ReadonlySet<string>;
  /** Options taking a separate value (the next word is not a package). */
  readonly valued: ReadonlySet<string>;
  /** Subcommands installing the packages they name. */
  readonly install: ReadonlySet<string>;
  /** Subcommands that ask for confirmation unless told not to. */
  readonly prompting: ReadonlySet<string>;
  /** Options that answer prompts (checked against every option word). */
  readonly yes?: (options: readonly string[]) => boolean;
  /** The package names a version (or is not a registry package at all). */
  readonly pinned: (pkg: string) => boolean;
  /** Commands that remove the package cache; `cacheDirs` also counts when removed with rm or mounted as a cache. */
  readonly cleans: (c: Command) => boolean;
  readonly cacheDirs: readonly string[];
}

/** A package manager command split into its parts. */
export interface PackageCommand {
  readonly manager: PackageManager;
  readonly subcommand: string;
  readonly options: readonly string[];
  readonly packages: readonly string[];
}

const shortCluster = (o: string, letter: string): boolean => /^-[A-Za-z]+$/.test(o) && o.includes(letter);
const subcommandIs = (c: Command, name: string, subs: readonly string[]): boolean => c.name === name && subs.includes(c.args.find((a) => !a.startsWith('-')) ?? '');

/** rpm `name-version[-release]` with an optional epoch: `httpd-2.4.57`, `openssl-libs-1:1.1.1k-6.el8`. */
const RPM_VERSION = /-(\d+:)?\d[^-]*(-\d[^-]*)?$/;
/** Not a repository package: a path, URL, local package file or group. */
const notRegistry = (p: string): boolean => p.includes('/') || p.startsWith('.') || p.startsWith('@') || /\.(deb|rpm|apk)$/.test(p);

const APT: PackageManager = {
  id: 'apt',
  commands: new Set(['apt-get', 'apt']),
  valued: new Set(['-o', '-c', '-t', '-a', '-P', '--option', '--config-file', '--target-release', '--default-release', '--host-architecture', '--build-profiles']),
  install: new Set(['install']),
  prompting: new Set(['install', 'upgrade', 'dist-upgrade', 'full-upgrade', 'remove', 'purge', 'autoremove', 'autopurge', 'build-dep', 'reinstall']),
  yes(options) {
    let quiet = 0;
    for (const [i, o] of options.entries()) {
      if (o === '--yes' || o === '--assume-yes' || o === '-q=2' || o === '--quiet=2') return true;
      if (shortCluster(o, 'y')) return true;
      if ((o === '-o' || o === '--option') && /^APT::Get::Assume-Yes=(true|1|yes)$/i.test(options[i + 1] ?? '')) return true;
      if (o === '--quiet') quiet++;
      else if (/^-q+$/.test(o)) quiet += o.length - 1;
    }
    return quiet >= 2;
  },
  pinned: (p) => p.includes('=') || notRegistry(p),
  cleans: (c) => c.name === 'rm' && c.args.some((a) => a.startsWith('/var/lib/apt/lists')),
  cacheDirs: ['/var/lib/apt', '/var/lib/apt/lists'],
};

const RPM_PROMPTING = ['install', 'in', 'reinstall', 'rei', 'groupinstall', 'localinstall', 'remove', 'rm', 'erase', 'upgrade', 'up', 'update',
  'downgrade', 'dg', 'distro-sync', 'dsync', 'autoremove', 'swap', 'groupupdate', 'groupremove', 'upgrade-minimal', 'update-minimal', 'group', 'groups', 'module'];
const RPM_VALUED = ['-c', '-d', '-e', '-x', '-R', '--config', '--exclude', '--releasever', '--installroot', '--enablerepo', '--disablerepo', '--repo', '--repoid', '--setopt', '--downloaddir', '--destdir', '--debuglevel', '--errorlevel'];
const rpmYes = (options: readonly string[]): boolean =>
  options.some((o) => o === '--assumeyes' || o === '--assumeno' || shortCluster(o, 'y') || /^--setopt=assumeyes=(1|true|yes)$/i.test(o));

const DNF: PackageManager = {
  id: 'dnf',
  commands: new Set(['dnf', 'dnf5', 'microdnf']),
  valued: new Set(RPM_VALUED),
  install: new Set(['install', 'in', 'reinstall', 'rei', 'install-n', 'install-na', 'install-nevra', 'localinstall']),
  prompting: new Set(RPM_PROMPTING),
  yes: rpmYes,
  pinned: (p) => RPM_VERSION.test(p) || notRegistry(p),
  cleans: (c) => c.args.includes('all') && ['dnf', 'dnf5', 'microdnf', 'yum'].some((n) => subcommandIs(c, n, ['clean'])),
  cacheDirs: ['/var/cache/dnf', '/var/cache/yum', '/var/cache/libdnf5'],
};

const YUM: PackageManager = {
  id: 'yum',
  commands: new Set(['yum']),
  valued: new Set(RPM_VALUED),
  install: new Set(['install', 'reinstall', 'localinstall']),
  prompting: new Set(RPM_PROMPTING),
  yes: rpmYes,
  pinned: (p) => RPM_VERSION.test(p) || notRegistry(p),
  cleans: (c) => c.args.includes('all') && subcommandIs(c, 'yum', ['clean']),
  cacheDirs: ['/var/cache/yum'],
};

const ZYPPER: PackageManager = {
  id: 'zypper',
  commands: new Set(['zypper']),
  valued: new Set(['-R', '-c', '-D', '-r', '-t', '--root', '--config', '--reposd-dir', '--cache-dir', '--repo', '--type', '--from']),
  install: new Set(['install', 'in']),
  prompting: new Set(['install', 'in', 'remove', 'rm', 'update', 'up', 'patch', 'dist-upgrade', 'dup', 'source-install', 'si', 'install-new-recommends', 'inr', 'verify', 've']),
  yes: (options) => options.some((o) => o === '--non-interactive' || o === '--no-confirm' || o === '-n' || o === '-y' || shortCluster(o, 'n') || shortCluster(o, 'y')),
  pinned: (p) => /[=<>]/.test(p) || RPM_VERSION.test(p) || notRegistry(p),
  cleans: (c) => subcommandIs(c, 'zypper', ['clean', 'cc']),
  cacheDirs: ['/var/cache/zypp'],
};

const APK: PackageManager = {
  id: 'apk',
  commands: new Set(['apk']),
  valued: new Set(['-X', '-p', '-t', '--repository', '--root', '--arch', '--virtual', '--keys-dir', '--cache-dir', '--repositories-file']),
  install: new Set(['add']),
  prompting: new Set(),
  pinned: (p) => /[=~<>]/.test(p) || notRegistry(p),
  cleans: (c) => (c.name === 'apk' && c.args.includes('--no-cache')) || subcommandIs(c, 'apk', ['cache']),
  cacheDirs: ['/var/cache/apk', '/etc/apk/cache'],
};

export const MANAGERS: Readonly<Record<ManagerId, PackageManager>> = { apt: APT, dnf: DNF, yum: YUM, zypper: ZYPPER, apk: APK };

/** Reads `c` as a command of `manager`, else undefined. */
export function packageCommand(c: Command, manager: PackageManager): PackageCommand | undefined {
  if (!manager.commands.has(c.name)) return undefined;
  const options: string[] = [];
  const operands: string[] = [];
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i]!;
    if (a.startsWith('-') && a.length > 1) {
      options.push(a);
      if (manager.valued.has(a)) options.push(c.args[++i] ?? '');
    } else operands.push(a);
  }
  const [subcommand = '', ...rest] = operands;
  const grouped = subcommand === 'group' || subcommand === 'groups' || subcommand === 'module';
  return { manager, subcommand: grouped ? `${subcommand} ${rest[0] ?? ''}`.trim() : subcommand, options, packages: grouped ? [] : rest };
}

/** Installed packages that are not version-pinned (words still holding a variable are not judged). */
export function unpinned(pc: PackageCommand): string[] {
  if (!pc.manager.install.has(pc.subcommand)) return [];
  return pc.packages.filter((p) => p !== '' && !isDynamic(p) && /^[A-Za-z0-9]/.test(p) && !pc.manager.pinned(p));
}

/** The command would stop at a confirmation prompt. */
export function prompts(pc: PackageCommand): boolean {
  const sub = pc.subcommand.split(' ');
  const asks = pc.manager.prompting.has(sub[0]!) && (sub.length === 1 || sub[1] !== 'list');
  return asks && pc.manager.yes !== undefined && !pc.manager.yes(pc.options);
}

/** The install leaves the cache behind: no clean-up command after it in the same RUN, no cache mount. */
export function leavesCache(commands: readonly Command[], at: number, manager: PackageManager, mounts: readonly string[]): boolean {
  if (mounts.some((m) => manager.cacheDirs.some((d) => m === d || m.startsWith(`${d}/`)))) return false;
  if (manager.cleans(commands[at]!)) return false;
  for (let k = at + 1; k < commands.length; k++) {
    const c = commands[k]!;
    if (manager.cleans(c)) return false;
    if (c.name === 'rm' && c.args.some((a) => manager.cacheDirs.some((d) => a === d || a.startsWith(`${d}/`)))) return false;
  }
  return true;
}

/** Targets of `RUN --mount=type=cache,target=…` flags. */
export function cacheMounts(flagList: readonly { readonly name: string; readonly value: string | null }[]): string[] {
  const out: string[] = [];
  for (const f of flagList) {
    if (f.name !== 'mount' || f.value === null) continue;
    const fields = new Map(f.value.split(',').map((kv) => [kv.slice(0, kv.indexOf('=') === -1 ? kv.length : kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)] as const));
    const target = fields.get('target') ?? fields.get('dst') ?? fields.get('destination');
    if (fields.get('type') === 'cache' && target !== undefined) out.push(target.replace(/\/+$/, ''));
  }
  return out;
}
