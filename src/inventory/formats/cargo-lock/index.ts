import type { InventoryReader } from '../../reader.js';
import { CARGO_LOCK_READER_ID, parseCargoLock } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Rust `Cargo.lock` (lockfile versions 1 to 4). */
export const cargoLockReader: InventoryReader = {
  id: CARGO_LOCK_READER_ID,
  title: 'Rust Cargo.lock',
  matches: (path) => basename(path) === 'Cargo.lock',
  read: parseCargoLock,
};
