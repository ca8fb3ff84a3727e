import type { InventoryReader } from '../../reader.js';
import { parsePoetryLock, READER_ID } from './parse.js';

/** Poetry `poetry.lock`. */
export const poetryLockReader: InventoryReader = {
  id: READER_ID,
  title: 'Poetry poetry.lock',
  matches: (path) => path === 'poetry.lock' || path.endsWith('/poetry.lock'),
  read: parsePoetryLock,
};
