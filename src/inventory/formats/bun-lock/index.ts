import type { InventoryReader } from '../../reader.js';
import { BUN_LOCK_READER_ID, parseBunLock } from './parse.js';

/** Bun's text lockfile; those inside node_modules belong to installed packages. */
export const bunLockReader: InventoryReader = {
  id: BUN_LOCK_READER_ID,
  title: 'Bun bun.lock',
  matches: (path) => path.slice(path.lastIndexOf('/') + 1) === 'bun.lock' && !`/${path}`.includes('/node_modules/'),
  read: parseBunLock,
};
