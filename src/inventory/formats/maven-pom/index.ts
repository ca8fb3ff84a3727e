import type { InventoryReader } from '../../reader.js';
import { MAVEN_POM_READER_ID, parseMavenPom } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Maven `pom.xml` (properties, dependencyManagement, parents in the same tree). */
export const mavenPomReader: InventoryReader = {
  id: MAVEN_POM_READER_ID,
  title: 'Maven pom.xml',
  matches: (path) => basename(path) === 'pom.xml',
  read: parseMavenPom,
};
