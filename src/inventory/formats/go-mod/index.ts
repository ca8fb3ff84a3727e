import type { InventoryReader } from '../../reader.js';
import { GO_MOD_READER_ID, parseGoMod } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Go `go.mod`, with hashes from the `go.sum` beside it. */
export const goModReader: InventoryReader = {
  id: GO_MOD_READER_ID,
  title: 'Go go.mod (+ go.sum)',
  matches: (path) => basename(path) === 'go.mod',
  read: parseGoMod,
};
