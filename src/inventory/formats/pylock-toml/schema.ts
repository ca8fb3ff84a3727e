import { z } from 'zod';

/** Where an artefact (sdist, wheel, archive) comes from, with its hashes table `{ sha256 = "…" }`. */
const artefact = z.looseObject({
  name: z.string().optional(),
  url: z.string().optional(),
  path: z.string().optional(),
  hashes: z.record(z.string(), z.unknown()).optional(),
});

/** One `[[packages]]` of a PEP 751 lock file; loose, so fields we do not read pass through unchecked. */
export const pylockPackageSchema = z.looseObject({
  name: z.string().min(1),
  version: z.string().optional(),
  marker: z.string().optional(),
  index: z.string().optional(),
  dependencies: z.array(z.looseObject({ name: z.string().optional(), version: z.string().optional() })).optional(),
  vcs: z
    .looseObject({
      type: z.string().optional(),
      url: z.string().optional(),
      path: z.string().optional(),
      'requested-revision': z.string().optional(),
      'commit-id': z.string().optional(),
    })
    .optional(),
  directory: z.looseObject({ path: z.string().optional(), editable: z.boolean().optional() }).optional(),
  archive: artefact.optional(),
  sdist: artefact.optional(),
  wheels: z.array(artefact).optional(),
});

export type PylockPackage = z.infer<typeof pylockPackageSchema>;
