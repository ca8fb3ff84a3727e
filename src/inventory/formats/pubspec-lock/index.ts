import type { InventoryReader } from '../../reader.js';
import { PUBSPEC_LOCK_READER_ID, parsePubspecLock } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Dart / Flutter `pubspec.lock`. */
export const pubspecLockReader: InventoryReader = {
  id: PUBSPEC_LOCK_READER_ID,
  title: 'Dart pubspec.lock',
  matches: (path) => basename(path) === 'pubspec.lock',
  read: parsePubspecLock,
};
