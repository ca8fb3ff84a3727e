import { bunLockReader } from '../formats/bun-lock/index.js';
import { npmLockReader } from '../formats/npm-lock/index.js';
import { pnpmLockReader } from '../formats/pnpm-lock/index.js';
import { yarnLockReader } from '../formats/yarn-lock/index.js';
import type { AnyInventoryReader } from '../reader.js';

/** The javascript inventory readers, one folder each under src/inventory/formats/. */
export const JAVASCRIPT_READERS: readonly AnyInventoryReader[] = [npmLockReader, yarnLockReader, pnpmLockReader, bunLockReader];
