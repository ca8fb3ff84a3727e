import type { InventoryReader } from '../../reader.js';
import { parseUvLock, READER_ID } from './parse.js';

/** uv `uv.lock`. */
export const uvLockReader: InventoryReader = {
  id: READER_ID,
  title: 'uv uv.lock',
  matches: (path) => path === 'uv.lock' || path.endsWith('/uv.lock'),
  read: parseUvLock,
};
