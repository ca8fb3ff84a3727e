import { splitNameAt } from '../npm-shared/spec.js';

/** One yarn.lock entry as both formats (v1 and Berry) describe it, before it becomes a package. */
export interface YarnEntry {
  /** The specifiers (`name@range`) this entry satisfies, as written in its key. */
  readonly specifiers: readonly string[];
  /** Scalar fields: `version`, `resolved`/`resolution`, `integrity`, `checksum`, `linkType` … */
  readonly fields: Map<string, string>;
  readonly deps: [name: string, range: string][];
  readonly optionalDeps: [name: string, range: string][];
  readonly line: number | undefined;
}

/**
 * The package name a specifier asks for: `name@range` → `name`; an alias
 * `alias@npm:real@range` → `real` (a Berry range `npm:^1.0.0` is not an alias).
 */
export function nameOfSpecifier(spec: string): string {
  const [name, right] = splitNameAt(spec);
  if (right.startsWith('npm:') && right.indexOf('@', 5) !== -1) return splitNameAt(right.slice(4))[0];
  return name;
}
