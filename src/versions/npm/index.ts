/**
 * `npm`: npm's own ordering through the `semver` library (node-semver 7, `loose: false`), so
 * versions parse exactly as `npm install` reads them: `MAJOR.MINOR.PATCH[-pre][+build]`, an
 * optional leading `v`, no leading zeros, numbers up to 2^53 - 1, at most 256 characters.
 * Build metadata is ignored by the order. Surrounding spaces are refused here rather than
 * trimmed as `semver.parse` would: the caller passes the version as recorded.
 */
import { parse, type SemVer } from 'semver';
import type { VersionScheme } from '../scheme.js';
import { acceptableAscii } from '../common.js';

export const scheme: VersionScheme<SemVer> = {
  id: 'npm',
  title: 'npm (node-semver, strict)',
  parse: (v) => (acceptableAscii(v) ? (parse(v, { loose: false }) ?? undefined) : undefined),
  compare: (a, b) => a.compare(b),
};
