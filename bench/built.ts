// The built product (dist/), which benchmarks of what users run measure: `vigil` runs dist/cli/main.js.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
const ENTRY = join(ROOT, 'dist', 'cli', 'main.js');

function newestMtime(dir: string, skip: (name: string) => boolean): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (skip(name)) continue;
    const p = join(dir, name);
    const st = statSync(p);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(p, skip) : st.mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than any source file. */
export function ensureBuilt(): void {
  const srcNewest = Math.max(newestMtime(join(ROOT, 'src'), (n) => n.endsWith('.test.ts') || n === '__fixtures__'), statSync(join(ROOT, 'package.json')).mtimeMs);
  if (existsSync(ENTRY) && statSync(ENTRY).mtimeMs >= srcNewest) return;
  console.error('bench: dist/ is missing or stale, running npm run build');
  const res = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (res.status !== 0) throw new Error(`npm run build failed (exit ${res.status ?? res.signal})`);
}

/** A module of the built product, e.g. `feeds/ingest.js` (build it first: ensureBuilt). */
export function distUrl(path: string): string {
  return new URL(`../dist/${path}`, import.meta.url).href;
}
