/**
 * `debian`: Debian and Ubuntu package versions, `[epoch:]upstream[-revision]`, ordered as dpkg
 * orders them (lib/dpkg/version.c `dpkg_version_compare` / `verrevcmp`). Written by hand: no
 * maintained JavaScript library (`deb-version-compare` gets `4` vs `4-1` wrong); tested against
 * `dpkg --compare-versions`.
 *  - epoch: the digits before the first `:` (0 when absent), compared as a number;
 *  - revision: after the last `-` (absent = empty, which equals `0`);
 *  - upstream and revision by `verrevcmp`: alternately a run of non-digits, compared character
 *    by character with `~` before everything (even the end), then letters, then other
 *    characters; and a run of digits, compared as a number of any size.
 * Valid as dpkg's `parseversion` requires (it refuses to compare otherwise): an epoch that is a
 * number up to 2^31 - 1, a non-empty upstream and revision, no spaces. Characters outside
 * Debian policy, or an upstream not starting with a digit, only draw a warning from dpkg and
 * are compared the same way here, within visible ASCII.
 */
import type { VersionScheme } from '../scheme.js';
import { acceptableAscii, compareDigits, isDigitCode, isDigits, isLetterCode } from '../common.js';

export interface DebianVersion {
  readonly epoch: string;
  readonly upstream: string;
  readonly revision: string;
}

const MAX_EPOCH = '2147483647';

export function parseDebianVersion(v: string): DebianVersion | undefined {
  if (!acceptableAscii(v)) return undefined;
  let rest = v;
  let epoch = '0';
  const colon = v.indexOf(':');
  if (colon >= 0) {
    epoch = v.slice(0, colon);
    if (!isDigits(epoch) || compareDigits(epoch, MAX_EPOCH) > 0) return undefined;
    rest = v.slice(colon + 1);
  }
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen < 0 ? rest : rest.slice(0, hyphen);
  const revision = hyphen < 0 ? '' : rest.slice(hyphen + 1);
  if (upstream === '' || (hyphen >= 0 && revision === '')) return undefined;
  return { epoch, upstream, revision };
}

/** dpkg `order()`: `~` first, then the end of a part and digits, then letters, then the rest. */
function order(c: number): number {
  if (c === -1 || isDigitCode(c)) return 0;
  if (isLetterCode(c)) return c;
  if (c === 126) return -1;
  return c + 256;
}

/** dpkg `verrevcmp`, with digit runs compared as numbers of any size. */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    for (;;) {
      const ca = i < a.length ? a.charCodeAt(i) : -1;
      const cb = j < b.length ? b.charCodeAt(j) : -1;
      const aNonDigit = ca !== -1 && !isDigitCode(ca);
      const bNonDigit = cb !== -1 && !isDigitCode(cb);
      if (!aNonDigit && !bNonDigit) break;
      const d = order(ca) - order(cb);
      if (d !== 0) return Math.sign(d);
      i++;
      j++;
    }
    const ia = i;
    const jb = j;
    while (i < a.length && isDigitCode(a.charCodeAt(i))) i++;
    while (j < b.length && isDigitCode(b.charCodeAt(j))) j++;
    const d = compareDigits(ia === i ? '0' : a.slice(ia, i), jb === j ? '0' : b.slice(jb, j));
    if (d !== 0) return d;
  }
  return 0;
}

export function compareDebianVersions(a: DebianVersion, b: DebianVersion): number {
  return compareDigits(a.epoch, b.epoch) || verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
}

export const scheme: VersionScheme<DebianVersion> = {
  id: 'debian',
  title: 'Debian / Ubuntu (dpkg)',
  parse: parseDebianVersion,
  compare: compareDebianVersions,
};
