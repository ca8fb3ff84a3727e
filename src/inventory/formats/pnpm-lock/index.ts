import type { InventoryReader } from '../../reader.js';
import { parsePnpmLock, PNPM_LOCK_READER_ID } from './parse.js';

/** pnpm lockfiles (v5 to v9); those inside node_modules belong to installed packages. */
export const pnpmLockReader: InventoryReader = {
  id: PNPM_LOCK_READER_ID,
  title: 'pnpm pnpm-lock.yaml',
  matches: (path) => path.slice(path.lastIndexOf('/') + 1) === 'pnpm-lock.yaml' && !`/${path}`.includes('/node_modules/'),
  read: parsePnpmLock,
};
