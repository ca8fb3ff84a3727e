import type { InventoryReader } from '../../reader.js';
import { parsePipfileLock, READER_ID } from './parse.js';

/** Pipenv `Pipfile.lock`. */
export const pipfileLockReader: InventoryReader = {
  id: READER_ID,
  title: 'Pipenv Pipfile.lock',
  matches: (path) => path === 'Pipfile.lock' || path.endsWith('/Pipfile.lock'),
  read: parsePipfileLock,
};
