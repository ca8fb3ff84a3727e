import { debEcosystem, distroQualifier, findOsRelease, rootPrefix, safeRead } from '../../image/os-release.js';
import type { InventoryReader, ReaderInput } from '../../reader.js';
import type { DpkgContext } from './parse.js';
import { parseDpkgStatus, READER_ID } from './parse.js';

const STATUS = 'var/lib/dpkg/status';
const STATUS_D = 'var/lib/dpkg/status.d/';

/** `…/var/lib/dpkg/status` or a stanza file in `…/var/lib/dpkg/status.d/` (not its `*.md5sums`). */
function matches(path: string): boolean {
  if (rootPrefix(path, STATUS) !== undefined) return true;
  const prefix = statusDPrefix(path);
  if (prefix === undefined) return false;
  const base = path.slice(prefix.length + STATUS_D.length);
  return base !== '' && !base.includes('/') && !base.endsWith('.md5sums') && !base.startsWith('.');
}

/**
 * The OS of the tree the database sits in, through the companion files beside it:
 * os-release for the distribution and release, `etc/debian_version` when os-release has no
 * VERSION_ID. Without them: `Debian`, as osv-scanner's reader reports on its own.
 */
function context(input: ReaderInput): DpkgContext {
  const prefix = rootPrefix(input.path, STATUS) ?? statusDPrefix(input.path);
  if (prefix === undefined || !input.readFile) return { ecosystem: 'Debian', vendor: 'debian' };
  const os = findOsRelease(input.readFile, prefix);
  const debianVersion = os?.versionId ? undefined : safeRead(input.readFile, `${prefix}etc/debian_version`);
  return { ecosystem: debEcosystem(os, debianVersion), vendor: os?.id ?? 'debian', distro: distroQualifier(os) };
}

function statusDPrefix(path: string): string | undefined {
  if (path.startsWith(STATUS_D)) return '';
  const i = path.lastIndexOf(`/${STATUS_D}`);
  return i === -1 ? undefined : path.slice(0, i + 1);
}

export const dpkgStatusReader: InventoryReader = {
  id: READER_ID,
  title: 'dpkg status database',
  matches,
  read: (input) => parseDpkgStatus(input.text, input.path, context(input)),
};
