import type { Scope } from '../../model.js';
import type { Draft } from '../npm-shared/graph.js';
import { isTrue, text } from '../npm-shared/input.js';
import { integrityHashes, redactUrl, tryExtractCommit } from '../npm-shared/spec.js';

/** One `packages` entry (lockfileVersion 2 and 3) as a package draft. */

const DEFAULT_REGISTRIES = ['https://registry.npmjs.org/', 'https://registry.yarnpkg.com/', 'https://registry.npmmirror.com/'];

export const isDefaultRegistry = (resolved: string): boolean => DEFAULT_REGISTRIES.some((r) => resolved.startsWith(r));

/** `node_modules/a/node_modules/@s/b` → `@s/b`; a folder path `packages/b` → `b`. */
export function nameFromPath(path: string): string {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  if (slash > 0) {
    const prev = path.lastIndexOf('/', slash - 1);
    const scope = path.slice(prev + 1, slash);
    if (scope.startsWith('@')) return `${scope}/${base}`;
  }
  return base;
}

export function v2Draft(path: string, entry: Record<string, unknown>, line: number | undefined, workspace: string | undefined, linkedAs?: string): Draft {
  const installedAs = nameFromPath(path);
  const name = text(entry['name']) || linkedAs || installedAs;
  const version = text(entry['version']) ?? '';
  const resolved = text(entry['resolved']) ?? '';
  const commit = tryExtractCommit(resolved);
  const dev = isTrue(entry['dev']);
  const optional = isTrue(entry['optional']);
  const devOptional = isTrue(entry['devOptional']);
  const peer = isTrue(entry['peer']);
  const groups: string[] = [];
  if (isTrue(entry['inBundle'])) groups.push('bundled');
  if (dev || devOptional) groups.push('dev');
  if (optional || devOptional) groups.push('optional');
  if (peer) groups.push('peer');
  // devOptional: a dev dependency that is also an optional dependency of a non-dev package.
  const scope: Scope = dev ? 'dev' : optional || devOptional ? 'optional' : peer ? 'peer' : 'prod';
  const properties: Record<string, string> = {};
  if (path.includes('node_modules/') && name !== installedAs) properties['alias'] = installedAs;
  if (resolved !== '' && !isDefaultRegistry(resolved)) properties['resolved'] = redactUrl(resolved);
  if (isTrue(entry['extraneous'])) properties['extraneous'] = 'true';
  return {
    name,
    version,
    line,
    commit,
    groups: groups.length > 0 ? groups : undefined,
    scope,
    hashes: integrityHashes(entry['integrity']),
    properties: Object.keys(properties).length > 0 ? properties : undefined,
    workspace,
  };
}
