import type { AnyInventoryReader } from '../reader.js';

/** The javascript inventory readers, one folder each under src/inventory/formats/. */
export const JAVASCRIPT_READERS: readonly AnyInventoryReader[] = [];
