import { z } from 'zod';

/** One `[[package]]` of a pdm.lock; loose, so fields we do not read pass through unchecked. */
export const pdmPackageSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().optional(),
  /** Lock ≥ 4.4: the dependency groups (`default`, `dev`, optional groups) that need it. */
  groups: z.array(z.string()).optional(),
  /** An entry for `name[extra,…]`: same distribution, the extra's dependencies. */
  extras: z.array(z.string()).optional(),
  /** PEP 508 requirement strings. */
  dependencies: z.array(z.string()).optional(),
  files: z.array(z.looseObject({ hash: z.string().optional() })).optional(),
  git: z.string().optional(),
  hg: z.string().optional(),
  ref: z.string().optional(),
  revision: z.string().optional(),
  path: z.string().optional(),
  url: z.string().optional(),
  editable: z.boolean().optional(),
});

export type PdmPackage = z.infer<typeof pdmPackageSchema>;
