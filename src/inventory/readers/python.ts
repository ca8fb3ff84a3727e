import type { AnyInventoryReader } from '../reader.js';

/** The python inventory readers, one folder each under src/inventory/formats/. */
export const PYTHON_READERS: readonly AnyInventoryReader[] = [];
