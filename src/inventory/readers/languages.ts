import type { AnyInventoryReader } from '../reader.js';

/** The languages inventory readers, one folder each under src/inventory/formats/. */
export const LANGUAGES_READERS: readonly AnyInventoryReader[] = [];
