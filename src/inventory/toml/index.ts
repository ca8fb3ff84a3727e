import type { TomlRead } from '../../core/toml-input.js';
import { TOML_MAX_CHARS } from '../../core/toml-input.js';
import { parseToml } from './parse.js';

export { parseToml, type TomlParse, type TomlTable, type TomlValue } from './parse.js';

/**
 * Reading an untrusted TOML lockfile within a size limit, with the same contract as the core
 * `readToml` (a value, or a message with a line) but through the faster parser of ./parse.ts.
 */
export function readLockToml(text: string, maxChars = TOML_MAX_CHARS): TomlRead {
  if (text.length > maxChars) return { ok: false, message: `file is ${text.length} characters, over the ${maxChars} limit` };
  const parsed = parseToml(text);
  if (parsed.ok) return { ok: true, value: parsed.value };
  return { ok: false, message: `malformed TOML: ${parsed.message.slice(0, 200)} (line ${parsed.line}, column ${parsed.column})`, line: parsed.line };
}
