/**
 * `pep440`: PyPI versions, PEP 440 (https://peps.python.org/pep-0440/) as Python's
 * `packaging` reads and orders them: normalisation (`1.0RC1` = `1.0rc1`, `1.0-1` = `1.0.post1`,
 * `v1.0` = `1.0`), epochs (`1!1.0` > `2.0`), pre, post and dev releases (`1.0.dev0` < `1.0a0`
 * < `1.0` < `1.0.post0`), local versions (`1.0+ubuntu.1` > `1.0`) and trailing zeros
 * (`1.0` = `1.0.0`). Strings PEP 440 rejects are ordered as `packaging` < 22 `LegacyVersion`,
 * below every PEP 440 version (see ./version.ts). Grammar from @renovatebot/pep440.
 */
import type { VersionScheme } from '../scheme.js';
import { comparePythonVersions, parsePythonVersion, type PythonVersion } from './version.js';

export const scheme: VersionScheme<PythonVersion> = {
  id: 'pep440',
  title: 'PEP 440 (PyPI)',
  parse: parsePythonVersion,
  compare: comparePythonVersions,
};
