import type { InventoryReader } from '../../reader.js';
import { RENV_LOCK_READER_ID, parseRenvLock } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** R `renv.lock`. */
export const renvLockReader: InventoryReader = {
  id: RENV_LOCK_READER_ID,
  title: 'R renv.lock',
  matches: (path) => basename(path) === 'renv.lock',
  read: parseRenvLock,
};
