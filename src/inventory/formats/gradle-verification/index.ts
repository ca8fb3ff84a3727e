import type { InventoryReader } from '../../reader.js';
import { GRADLE_VERIFICATION_READER_ID, parseGradleVerification } from './parse.js';

/** Gradle `gradle/verification-metadata.xml` (dependency verification). */
export const gradleVerificationReader: InventoryReader = {
  id: GRADLE_VERIFICATION_READER_ID,
  title: 'Gradle verification-metadata.xml',
  matches: (path) => path === 'gradle/verification-metadata.xml' || path.endsWith('/gradle/verification-metadata.xml'),
  read: parseGradleVerification,
};
