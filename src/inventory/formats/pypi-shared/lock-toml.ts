import { entryLines } from '../../../core/toml-input.js';
import { readLockToml } from '../../toml/index.js';
import type { ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { PypiResultBuilder } from './build.js';

/** A TOML lockfile's `[[package]]` (or `[[packages]]`) array, ready for a reader's loop. */
export interface LockTables {
  readonly ok: true;
  readonly doc: Record<string, unknown>;
  readonly out: PypiResultBuilder;
  readonly list: readonly unknown[];
  /** The 1-based line of each entry's header (empty when the count cannot be trusted). */
  readonly lines: readonly (number | undefined)[];
}

/**
 * The start every TOML lock reader shares (poetry.lock, uv.lock, pdm.lock, pylock.toml): parse
 * within limits, find the array of package tables and the line of each. A file that is not
 * TOML, or whose array is not an array, is one error problem.
 */
export function readLockTables(input: ReaderInput, readerId: string, key: 'package' | 'packages'): LockTables | { readonly ok: false; readonly result: ReadResult } {
  const toml = readLockToml(input.text);
  if (!toml.ok) return { ok: false, result: PypiResultBuilder.failure(readerId, input.path, toml.message, toml.line) };
  const list = toml.value[key] ?? [];
  if (!Array.isArray(list)) return { ok: false, result: PypiResultBuilder.failure(readerId, input.path, `\`${key}\` should be an array of tables`) };
  return { ok: true, doc: toml.value, out: new PypiResultBuilder(readerId, input.path), list, lines: entryLines(input.text, `[[${key}]]`, list.length) };
}
