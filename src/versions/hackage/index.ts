/**
 * `hackage`: Haskell package versions (Hackage, and the GHC ecosystem), ordered as
 * `Data.Version` / Cabal's `Version`: one or more numbers separated by `.`, compared as lists,
 * so a prefix sorts first (`1.0` < `1.0.0` < `1.0.1`). Written by hand (a few lines). As in
 * Cabal, a number has no leading zeros (`0` itself is fine) and tags (`1.0-foo`) are refused;
 * numbers of any size are compared exactly (Cabal stops at nine digits).
 */
import type { VersionScheme } from '../scheme.js';
import { acceptableAscii, compareDigits, digitRunEnd } from '../common.js';

export interface HackageVersion {
  readonly parts: readonly string[];
}

export function parseHackageVersion(v: string): HackageVersion | undefined {
  if (!acceptableAscii(v)) return undefined;
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    const end = digitRunEnd(v, i);
    if (end === i || (end - i > 1 && v.charCodeAt(i) === 48)) return undefined;
    parts.push(v.slice(i, end));
    if (end === v.length) return { parts };
    if (v.charCodeAt(end) !== 46) return undefined;
    i = end + 1;
  }
}

export function compareHackageVersions(a: HackageVersion, b: HackageVersion): number {
  const n = Math.min(a.parts.length, b.parts.length);
  for (let k = 0; k < n; k++) {
    const d = compareDigits(a.parts[k]!, b.parts[k]!);
    if (d !== 0) return d;
  }
  return Math.sign(a.parts.length - b.parts.length);
}

export const scheme: VersionScheme<HackageVersion> = {
  id: 'hackage',
  title: 'Hackage / GHC (Data.Version)',
  parse: parseHackageVersion,
  compare: compareHackageVersions,
};
