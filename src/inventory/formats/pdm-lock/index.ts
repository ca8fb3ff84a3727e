import type { InventoryReader } from '../../reader.js';
import { parsePdmLock, READER_ID } from './parse.js';

/** PDM `pdm.lock`. */
export const pdmLockReader: InventoryReader = {
  id: READER_ID,
  title: 'PDM pdm.lock',
  matches: (path) => path === 'pdm.lock' || path.endsWith('/pdm.lock'),
  read: parsePdmLock,
};
