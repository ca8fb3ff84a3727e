import type { InventoryReader } from '../../reader.js';
import { CONAN_LOCK_READER_ID, parseConanLock } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** C/C++ Conan `conan.lock` (Conan 1 graph locks and Conan 2 lockfiles). */
export const conanLockReader: InventoryReader = {
  id: CONAN_LOCK_READER_ID,
  title: 'Conan conan.lock',
  matches: (path) => basename(path) === 'conan.lock',
  read: parseConanLock,
};
