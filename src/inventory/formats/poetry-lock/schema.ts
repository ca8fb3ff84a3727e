import { z } from 'zod';

/** One `[[package]]` of a poetry.lock; loose, so fields we do not read pass through unchecked. */
export const poetryPackageSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().optional(),
  /** Poetry < 1.5: `main` or `dev`. */
  category: z.string().optional(),
  optional: z.boolean().optional(),
  /** Poetry ≥ 2 (lock 2.1): the dependency groups the package belongs to. */
  groups: z.array(z.string()).optional(),
  source: z
    .looseObject({
      type: z.string().optional(),
      url: z.string().optional(),
      reference: z.string().optional(),
      resolved_reference: z.string().optional(),
      subdirectory: z.string().optional(),
    })
    .optional(),
  dependencies: z.record(z.string(), z.unknown()).optional(),
  /** Lock 2.x: the artefacts with their hashes. */
  files: z.array(z.looseObject({ file: z.string().optional(), hash: z.string().optional() })).optional(),
});

export type PoetryPackage = z.infer<typeof poetryPackageSchema>;

/** Lock 1.x keeps the artefacts in `[metadata.files]`, by package name. */
export const poetryMetadataFilesSchema = z.record(z.string(), z.array(z.looseObject({ file: z.string().optional(), hash: z.string().optional() })));

/** A table whose keys are all ordinary (zod treats `__proto__` its own way: such tables are left to it). */
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Object.hasOwn(v, '__proto__');
const optString = (v: unknown): boolean => v === undefined || typeof v === 'string';
const isFile = (f: unknown): boolean => isObj(f) && optString(f['file']) && optString(f['hash']);

/**
 * Whether a `[[package]]` table certainly passes {@link poetryPackageSchema}, checked without
 * copying it (zod rebuilds every package and file list). Conservative: what it does not accept
 * goes through zod, which decides and words the problem; schema.test.ts checks that whatever
 * this accepts, zod accepts with the same value.
 */
export function isPlainPoetryPackage(raw: unknown): raw is PoetryPackage {
  if (!isObj(raw) || typeof raw['name'] !== 'string' || raw['name'] === '') return false;
  if (!optString(raw['version']) || !optString(raw['category'])) return false;
  const optional = raw['optional'];
  if (optional !== undefined && typeof optional !== 'boolean') return false;
  const groups = raw['groups'];
  if (groups !== undefined && !(Array.isArray(groups) && groups.every((g) => typeof g === 'string'))) return false;
  const source = raw['source'];
  if (source !== undefined && !(isObj(source) && ['type', 'url', 'reference', 'resolved_reference', 'subdirectory'].every((k) => optString(source[k])))) return false;
  const deps = raw['dependencies'];
  if (deps !== undefined && !isObj(deps)) return false;
  const files = raw['files'];
  return files === undefined || (Array.isArray(files) && files.every(isFile));
}
