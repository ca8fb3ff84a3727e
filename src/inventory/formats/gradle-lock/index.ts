import type { InventoryReader } from '../../reader.js';
import { GRADLE_LOCK_READER_ID, parseGradleLock } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Gradle `gradle.lockfile`, `buildscript-gradle.lockfile` and Gradle 6 `gradle/dependency-locks/*.lockfile`. */
export const gradleLockReader: InventoryReader = {
  id: GRADLE_LOCK_READER_ID,
  title: 'Gradle lockfile',
  matches: (path) => ['gradle.lockfile', 'buildscript-gradle.lockfile'].includes(basename(path)) || (/(^|\/)gradle\/dependency-locks\/[^/]+\.lockfile$/.test(path)),
  read: parseGradleLock,
};
