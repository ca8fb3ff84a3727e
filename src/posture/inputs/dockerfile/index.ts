/**
 * The Dockerfile input: one `docker:stage` resource per build stage (parse.ts), read with
 * dockerfile-ast.
 */
import type { InputAdapter, InputResult } from '../types.js';
import { parseDockerfile } from './parse.js';

export type { DockerFrom } from './image.js';
export type { DockerInstruction } from './instruction.js';
export type { DockerStageMeta } from './parse.js';
export { parseDockerfile } from './parse.js';

/** `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `Containerfile` (and `Containerfile.*`). */
export function isDockerfileName(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  return (
    base === 'Dockerfile' ||
    base.startsWith('Dockerfile.') ||
    lower.endsWith('.dockerfile') ||
    base === 'Containerfile' ||
    base.startsWith('Containerfile.')
  );
}

export const dockerfileInput: InputAdapter = {
  id: 'dockerfile',
  accepts: (path) => isDockerfileName(path),
  parse(files) {
    const out: InputResult = { resources: [], problems: [] };
    for (const f of files) {
      const r = parseDockerfile(f);
      out.resources.push(...r.resources);
      out.problems.push(...r.problems);
    }
    return Promise.resolve(out);
  },
};
