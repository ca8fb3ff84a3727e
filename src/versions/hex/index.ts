/**
 * `hex`: Hex packages, ordered as Elixir's `Version` module orders them: SemVer 2.0.0 with all
 * three numeric parts, no leading `v` or zeros, build metadata ignored by `Version.compare/2`.
 * Parsing and precedence come from the `semver` library in strict mode (see ../cargo).
 */
import type { SemVer } from 'semver';
import type { VersionScheme } from '../scheme.js';
import { parseStrictSemver } from '../cargo/index.js';

export const scheme: VersionScheme<SemVer> = {
  id: 'hex',
  title: 'Hex (Elixir Version, SemVer 2.0.0)',
  parse: parseStrictSemver,
  compare: (a, b) => a.compare(b),
};
