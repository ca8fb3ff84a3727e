import type { InventoryReader } from '../../reader.js';
import { COMPOSER_LOCK_READER_ID, parseComposerLock } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** PHP Composer `composer.lock` (+ `composer.json` beside it for direct dependencies). */
export const composerLockReader: InventoryReader = {
  id: COMPOSER_LOCK_READER_ID,
  title: 'PHP composer.lock',
  matches: (path) => basename(path) === 'composer.lock',
  read: parseComposerLock,
};
