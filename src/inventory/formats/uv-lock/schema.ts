import { z } from 'zod';

/** A dependency reference inside uv.lock: a name, plus version/source when the name is ambiguous. */
export const uvDependencySchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().optional(),
  extra: z.array(z.string()).optional(),
  marker: z.string().optional(),
});

const dependencyList = z.array(uvDependencySchema);

/** One `[[package]]` of a uv.lock; loose, so fields we do not read pass through unchecked. */
export const uvPackageSchema = z.looseObject({
  name: z.string().min(1),
  /** Absent for a project with a dynamic version. */
  version: z.string().optional(),
  /** Exactly one of registry / git / url / path / directory / editable / virtual. */
  source: z.record(z.string(), z.unknown()).optional(),
  dependencies: dependencyList.optional(),
  'optional-dependencies': z.record(z.string(), dependencyList).optional(),
  'dev-dependencies': z.record(z.string(), dependencyList).optional(),
  sdist: z.looseObject({ hash: z.string().optional(), url: z.string().optional() }).optional(),
  /** Often hundreds per package: only their `hash` strings are read (without validating each wheel). */
  wheels: z.array(z.unknown()).optional(),
});

export type UvDependency = z.infer<typeof uvDependencySchema>;
export type UvPackage = z.infer<typeof uvPackageSchema>;

/** A table whose keys are all ordinary: zod copies objects key by key and treats `__proto__` its own way, so such tables are left to it. */
const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !Object.hasOwn(v, '__proto__');
const optString = (v: unknown): boolean => v === undefined || typeof v === 'string';

function isPlainDependency(v: unknown): boolean {
  if (!isObj(v) || typeof v['name'] !== 'string' || v['name'] === '' || !optString(v['version']) || !optString(v['marker'])) return false;
  const extra = v['extra'];
  return extra === undefined || (Array.isArray(extra) && extra.every((x) => typeof x === 'string'));
}

const isDependencyList = (v: unknown): boolean => Array.isArray(v) && v.every(isPlainDependency);

function isDependencyGroups(v: unknown): boolean {
  if (v === undefined) return true;
  if (!isObj(v)) return false;
  for (const k in v) if (Object.hasOwn(v, k) && !isDependencyList(v[k])) return false;
  return true;
}

/**
 * Whether a `[[package]]` table certainly passes {@link uvPackageSchema}, checked without
 * copying it (zod builds a new object for every package, dependency and wheel list, a
 * tenth of reading a large uv.lock). Conservative: anything it does not accept goes through
 * zod, which then decides and words the problem; schema.test.ts checks that whatever this
 * accepts, zod accepts with the same value.
 */
export function isPlainUvPackage(raw: unknown): raw is UvPackage {
  if (!isObj(raw) || typeof raw['name'] !== 'string' || raw['name'] === '' || !optString(raw['version'])) return false;
  const source = raw['source'];
  if (source !== undefined && !isObj(source)) return false;
  const deps = raw['dependencies'];
  if (deps !== undefined && !isDependencyList(deps)) return false;
  if (!isDependencyGroups(raw['optional-dependencies']) || !isDependencyGroups(raw['dev-dependencies'])) return false;
  const sdist = raw['sdist'];
  if (sdist !== undefined && (!isObj(sdist) || !optString(sdist['hash']) || !optString(sdist['url']))) return false;
  const wheels = raw['wheels'];
  return wheels === undefined || Array.isArray(wheels);
}
