import type { InventoryReader } from '../../reader.js';
import { NUGET_LOCK_READER_ID, parseNugetLock } from './parse.js';

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** .NET NuGet `packages.lock.json` (lock file versions 1 and 2). */
export const nugetLockReader: InventoryReader = {
  id: NUGET_LOCK_READER_ID,
  title: 'NuGet packages.lock.json',
  matches: (path) => basename(path) === 'packages.lock.json',
  read: parseNugetLock,
};
