import type { InventoryReader } from '../../reader.js';
import { parseRequirementsTxt, READER_ID } from './parse.js';

/**
 * `requirements.txt`, `requirements-dev.txt`, `requirements_test.txt`, `dev-requirements.txt`,
 * `test_requirements.txt`, and any `.txt` directly inside a `requirements/` folder.
 */
export function isRequirementsName(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1).toLowerCase();
  if (!base.endsWith('.txt') || base.length <= 4) return false;
  if (base.startsWith('requirements')) return true;
  const stem = base.slice(0, -'requirements.txt'.length);
  if (base.endsWith('requirements.txt') && (stem.endsWith('-') || stem.endsWith('_'))) return true;
  const parent = path.slice(path.lastIndexOf('/', slash - 1) + 1, Math.max(slash, 0)).toLowerCase();
  return slash > 0 && parent === 'requirements';
}

/** pip requirements files. */
export const requirementsTxtReader: InventoryReader = {
  id: READER_ID,
  title: 'pip requirements.txt',
  matches: isRequirementsName,
  read: parseRequirementsTxt,
};
