/**
 * `cran`: R package versions (CRAN, Bioconductor), as R's `package_version()` reads them and
 * `utils::compareVersion()` orders them: at least two non-negative numbers separated by `.` or
 * `-` (the two separators weigh the same: `1.0-1` = `1.0.1`), compared one by one; when one
 * runs out, the longer version is the greater (`1.0` < `1.0.0`). Leading zeros are read as R
 * reads integers (`0.01` = `0.1`). Written by hand (a few lines); numbers of any size are
 * compared exactly (R's integers stop at 2^31 - 1).
 */
import type { VersionScheme } from '../scheme.js';
import { acceptableAscii, digitRunEnd } from '../common.js';
import { compareHackageVersions, type HackageVersion } from '../hackage/index.js';

export type CranVersion = HackageVersion;

export function parseCranVersion(v: string): CranVersion | undefined {
  if (!acceptableAscii(v)) return undefined;
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const end = digitRunEnd(v, i);
    if (end === i) return undefined;
    parts.push(v.slice(i, end));
    if (end === v.length) return parts.length >= 2 ? { parts } : undefined;
    const c = v.charCodeAt(end);
    if (c !== 46 && c !== 45) return undefined;
    i = end + 1;
  }
}

export const scheme: VersionScheme<CranVersion> = {
  id: 'cran',
  title: 'CRAN / Bioconductor (R package_version)',
  parse: parseCranVersion,
  // compareVersion: part by part, then the longer is greater: the same list order as Hackage.
  compare: compareHackageVersions,
};
