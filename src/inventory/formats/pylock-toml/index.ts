import type { InventoryReader } from '../../reader.js';
import { parsePylock, READER_ID } from './parse.js';

/** `pylock.toml` or `pylock.<name>.toml` (one dot-free name between), as PEP 751 names them. */
export function isPylockName(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base === 'pylock.toml') return true;
  if (!base.startsWith('pylock.') || !base.endsWith('.toml')) return false;
  const middle = base.slice('pylock.'.length, -'.toml'.length);
  return middle.length > 0 && !middle.includes('.');
}

/** PEP 751 `pylock.toml`. */
export const pylockTomlReader: InventoryReader = {
  id: READER_ID,
  title: 'PEP 751 pylock.toml',
  matches: isPylockName,
  read: parsePylock,
};
