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
