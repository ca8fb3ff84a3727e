import type { AnyInventoryReader } from '../reader.js';

/** The os inventory readers, one folder each under src/inventory/formats/. */
export const OS_READERS: readonly AnyInventoryReader[] = [];
