import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The public test data in ../shared/data (never copied into this repository). The path comes
 * from VIGIL_SHARED_DATA, else the `shared/data` folder beside the repository. Returns
 * undefined when absent: corpus tests then skip, saying so.
 */
export function sharedData(...parts: string[]): string | undefined {
  const root = process.env['VIGIL_SHARED_DATA'] ?? resolve(fileURLToPath(new URL('../../', import.meta.url)), '..', 'shared', 'data');
  const p = resolve(root, ...parts);
  return existsSync(p) ? p : undefined;
}

export const skipMessage = (what: string): string =>
  `shared data ${what} not found (set VIGIL_SHARED_DATA to the shared/data folder to run this corpus test)`;
