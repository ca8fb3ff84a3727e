import { z } from 'zod';

/** One package entry of a Pipfile.lock section; loose, so fields we do not read pass through unchecked. */
export const pipfileEntrySchema = z.looseObject({
  /** `==1.2.3`; absent for VCS, path and file entries. */
  version: z.string().optional(),
  hashes: z.array(z.string()).optional(),
  markers: z.string().optional(),
  index: z.string().optional(),
  extras: z.array(z.string()).optional(),
  git: z.string().optional(),
  hg: z.string().optional(),
  ref: z.string().optional(),
  editable: z.boolean().optional(),
  path: z.string().optional(),
  file: z.string().optional(),
});

export type PipfileEntry = z.infer<typeof pipfileEntrySchema>;
