/**
 * The `.vigilignore` file for `vigil scan --ignore-file`: parse it (line or YAML form; every
 * problem names file:line and is an error the CLI exits 2 on), then apply the entries to
 * findings with the clock passed in. Format in docs/scan-formats.md.
 */
export { applyIgnores, isExpired, type ApplyIgnoresResult } from './apply.js';
export { DEFAULT_IGNORE_LIMITS, type IgnoreEntry, type IgnoreFile, type IgnoreLimits, type IgnoreProblem } from './model.js';
export { parseIgnoreFile } from './parse.js';
