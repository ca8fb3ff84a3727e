import { z } from 'zod';

/**
 * composer.lock entries as this reader uses them: name and version strict (a number is a
 * version too, as WordPress plug-ins from wpackagist write it), the rest loose.
 */
const reference = z.looseObject({ reference: z.string().nullish().catch(undefined), shasum: z.string().nullish().catch(undefined) });

export const composerPackage = z.looseObject({
  name: z.string().min(1),
  version: z.union([z.string(), z.number().transform(String)]),
  source: reference.nullish().catch(undefined),
  dist: reference.nullish().catch(undefined),
  require: z.unknown().optional(),
  license: z.union([z.array(z.string()), z.string().transform((s) => [s])]).nullish().catch(undefined),
});
export type ComposerPackage = z.infer<typeof composerPackage>;

export const composerLock = z.looseObject({
  packages: z.array(z.unknown()).nullish(),
  'packages-dev': z.array(z.unknown()).nullish(),
});
