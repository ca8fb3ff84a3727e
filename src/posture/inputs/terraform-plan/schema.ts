/**
 * The parts of `terraform show -json` output this input reads, kept loose (extra fields are
 * ignored, as Terraform adds fields between format versions).
 */
import { z } from 'zod';

export const plannedResourceSchema = z.looseObject({
  address: z.string().min(1),
  mode: z.enum(['managed', 'data']),
  type: z.string().min(1),
  name: z.string().min(1),
  index: z.union([z.number(), z.string()]).optional(),
  provider_name: z.string().optional(),
});
export type PlannedResource = z.infer<typeof plannedResourceSchema>;

export const resourceChangeSchema = z.looseObject({
  address: z.string(),
  change: z.looseObject({
    actions: z.array(z.string()).optional(),
    after_unknown: z.unknown().optional(),
  }),
});

export const configResourceSchema = z.looseObject({
  address: z.string(),
  provider_config_key: z.string().optional(),
  expressions: z.unknown().optional(),
});
