import type { InventoryReader } from '../../reader.js';
import { parseYarnLock, YARN_LOCK_READER_ID } from './parse.js';

/** yarn.lock, v1 and Berry; those inside node_modules belong to installed packages. */
export const yarnLockReader: InventoryReader = {
  id: YARN_LOCK_READER_ID,
  title: 'Yarn yarn.lock (v1 and Berry)',
  matches: (path) => path.slice(path.lastIndexOf('/') + 1) === 'yarn.lock' && !`/${path}`.includes('/node_modules/'),
  read: parseYarnLock,
};
