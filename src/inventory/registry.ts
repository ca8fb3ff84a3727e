import type { AnyInventoryReader } from './reader.js';
import { JAVASCRIPT_READERS } from './readers/javascript.js';
import { LANGUAGES_READERS } from './readers/languages.js';
import { OS_READERS } from './readers/os.js';
import { PYTHON_READERS } from './readers/python.js';

/** Every inventory reader, in the order the walker tries them (first match wins). */
export const INVENTORY_READERS: readonly AnyInventoryReader[] = [...JAVASCRIPT_READERS, ...PYTHON_READERS, ...LANGUAGES_READERS, ...OS_READERS];

export function readerById(id: string): AnyInventoryReader | undefined {
  return INVENTORY_READERS.find((r) => r.id === id);
}

/** The reader for a path (relative, `/`-separated), or undefined when no reader wants it. */
export function readerFor(path: string): AnyInventoryReader | undefined {
  return INVENTORY_READERS.find((r) => r.matches(path));
}
