import { apkEcosystem, distroQualifier, findOsRelease, rootPrefix, safeRead } from '../../image/os-release.js';
import type { ReadResult } from '../../model.js';
import type { InventoryReader, ReaderInput } from '../../reader.js';
import { parseApkInstalled, READER_ID } from './parse.js';

const INSTALLED = 'lib/apk/db/installed';

/**
 * Reads the database, with the ecosystem release from `etc/alpine-release` (else os-release)
 * beside it. Without either, `Alpine:v3.20` as osv-scanner assumes, and a warning says so.
 */
function read(input: ReaderInput): ReadResult {
  const prefix = rootPrefix(input.path, INSTALLED);
  const os = prefix !== undefined ? findOsRelease(input.readFile, prefix) : undefined;
  const alpineRelease = prefix !== undefined && input.readFile ? safeRead(input.readFile, `${prefix}etc/alpine-release`) : undefined;
  const { ecosystem, assumed } = apkEcosystem(os, alpineRelease);
  const result = parseApkInstalled(input.text, input.path, { ecosystem, vendor: os?.id ?? 'alpine', distro: distroQualifier(os) });
  if (!assumed || result.packages.length === 0) return result;
  return {
    ...result,
    problems: [
      ...result.problems,
      {
        location: { file: input.path },
        reader: READER_ID,
        message: `Alpine release unknown (no etc/alpine-release or os-release beside the database): ecosystem ${ecosystem} assumed, as osv-scanner does`,
        severity: 'warning',
      },
    ],
  };
}

export const apkInstalledReader: InventoryReader = {
  id: READER_ID,
  title: 'Alpine apk installed database',
  matches: (path) => rootPrefix(path, INSTALLED) !== undefined,
  read,
};
