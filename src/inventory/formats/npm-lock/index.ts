import type { InventoryReader } from '../../reader.js';
import { NPM_LOCK_READER_ID, parseNpmLock } from './parse.js';

const NAMES = new Set(['package-lock.json', 'npm-shrinkwrap.json']);

/** npm lockfiles; those inside node_modules belong to installed packages, not to the project. */
export const npmLockReader: InventoryReader = {
  id: NPM_LOCK_READER_ID,
  title: 'npm package-lock.json / npm-shrinkwrap.json',
  matches: (path) => NAMES.has(path.slice(path.lastIndexOf('/') + 1)) && !`/${path}`.includes('/node_modules/'),
  read: parseNpmLock,
};
