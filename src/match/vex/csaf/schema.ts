/**
 * CSAF 2.0 (https://docs.oasis-open.org/csaf/csaf/v2.0/csaf-v2.0.html), loosely: the parts a
 * VEX reading needs (document category and dates, the product tree's product ids with their
 * purl / CPE helpers, relationships and groups, vulnerabilities' product_status, flags,
 * threats and remediations). Unknown fields are ignored.
 */
import { z } from 'zod';

const id = z.string().min(1).max(4096);
const ids = z.array(id);

export const fullProductNameSchema = z.looseObject({
  product_id: id,
  name: z.string().max(4096).optional(),
  product_identification_helper: z.looseObject({ purl: id.optional(), cpe: id.optional() }).optional(),
});

export const productTreeSchema = z.looseObject({
  branches: z.array(z.unknown()).optional(),
  full_product_names: z.array(fullProductNameSchema).optional(),
  relationships: z
    .array(
      z.looseObject({
        category: z.string().max(100).optional(),
        product_reference: id,
        relates_to_product_reference: id,
        full_product_name: fullProductNameSchema,
      }),
    )
    .optional(),
  product_groups: z.array(z.looseObject({ group_id: id, product_ids: ids })).optional(),
});

const scoped = { product_ids: ids.optional(), group_ids: ids.optional() };

export const vulnerabilitySchema = z.looseObject({
  cve: id.optional(),
  ids: z.array(z.looseObject({ system_name: z.string().max(1000).optional(), text: id })).optional(),
  product_status: z.record(z.string(), ids).optional(),
  flags: z.array(z.looseObject({ label: z.string().max(200), date: z.string().max(100).optional(), ...scoped })).optional(),
  threats: z.array(z.looseObject({ category: z.string().max(100), details: z.string().max(100_000), ...scoped })).optional(),
  remediations: z
    .array(z.looseObject({ category: z.string().max(100), details: z.string().max(100_000), date: z.string().max(100).optional(), ...scoped }))
    .optional(),
});

export const documentSchema = z.looseObject({
  document: z.looseObject({
    category: z.string().max(200),
    csaf_version: z.string().max(20).optional(),
    tracking: z.looseObject({ current_release_date: z.string().max(100).optional(), initial_release_date: z.string().max(100).optional() }).optional(),
  }),
  product_tree: productTreeSchema.optional(),
  vulnerabilities: z.array(z.unknown()).optional(),
});

export type CsafFullProductName = z.infer<typeof fullProductNameSchema>;
export type CsafProductTree = z.infer<typeof productTreeSchema>;
export type CsafVulnerability = z.infer<typeof vulnerabilitySchema>;
