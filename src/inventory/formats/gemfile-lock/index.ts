import type { InventoryReader } from '../../reader.js';
import { GEMFILE_LOCK_READER_ID, parseGemfileLock } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Ruby Bundler `Gemfile.lock` (and `gems.locked`, Bundler's alternative name). */
export const gemfileLockReader: InventoryReader = {
  id: GEMFILE_LOCK_READER_ID,
  title: 'Ruby Gemfile.lock',
  matches: (path) => ['Gemfile.lock', 'gems.locked'].includes(basename(path)),
  read: parseGemfileLock,
};
