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
