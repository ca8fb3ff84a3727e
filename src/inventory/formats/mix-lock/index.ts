import type { InventoryReader } from '../../reader.js';
import { MIX_LOCK_READER_ID, parseMixLock } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Elixir Mix `mix.lock`. */
export const mixLockReader: InventoryReader = {
  id: MIX_LOCK_READER_ID,
  title: 'Elixir mix.lock',
  matches: (path) => basename(path) === 'mix.lock',
  read: parseMixLock,
};
