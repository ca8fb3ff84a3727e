/**
 * `go`: Go module versions as golang.org/x/mod/semver orders them: `vMAJOR.MINOR.PATCH`, the
 * shorthands `v1` and `v1.2` (= `v1.0.0`, `v1.2.0`, without pre-release or build), no leading
 * zeros, `+incompatible` and any other build metadata ignored by the order, and
 * pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.2019…`) which are SemVer
 * pre-releases and order as such. OSV writes Go versions without the `v` (`1.2.3`, and the
 * sentinel `0`), so both spellings are accepted. Precedence comes from the `semver` library
 * (strict mode) after the `v` is dropped; numbers above 2^53 - 1 are refused.
 */
import { parse, type SemVer } from 'semver';
import type { VersionScheme } from '../scheme.js';
import { acceptableAscii, isDigitCode } from '../common.js';

/** `1` → `1.0.0`, `1.2` → `1.2.0` (x/mod/semver shorthands); anything else unchanged. */
function expandShorthand(v: string): string {
  let dots = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 46) dots++;
    else if (!isDigitCode(c)) return v;
  }
  return dots === 0 ? `${v}.0.0` : dots === 1 ? `${v}.0` : v;
}

export function parseGoVersion(v: string): SemVer | undefined {
  if (!acceptableAscii(v)) return undefined;
  const bare = v.charCodeAt(0) === 118 ? v.slice(1) : v;
  if (!isDigitCode(bare.charCodeAt(0))) return undefined;
  return parse(expandShorthand(bare), { loose: false }) ?? undefined;
}

export const scheme: VersionScheme<SemVer> = {
  id: 'go',
  title: 'Go modules (golang.org/x/mod/semver)',
  parse: parseGoVersion,
  compare: (a, b) => a.compare(b),
};
