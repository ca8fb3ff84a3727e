/**
 * CycloneDX VEX (1.4–1.7 JSON, or XML mapped to the same shape), loosely: the document, its
 * components (for bom-refs) and `vulnerabilities[]` with `analysis` and `affects`. Unknown
 * fields are ignored; states and justifications are checked by the parser so that an unknown
 * word is reported, not rejected with the whole statement.
 */
import { z } from 'zod';

const text = z.string().max(100_000);
const ident = z.string().min(1).max(4096);

export const versionSchema = z.looseObject({
  version: z.string().max(1024).optional(),
  // Long enough for the vers parser to report its own limit with the entry's pointer.
  range: z.string().max(100_000).optional(),
  status: z.string().max(100).optional(),
});

export const vulnerabilitySchema = z.looseObject({
  id: ident.optional(),
  references: z.array(z.looseObject({ id: ident })).optional(),
  recommendation: text.optional(),
  workaround: text.optional(),
  published: z.string().max(100).optional(),
  updated: z.string().max(100).optional(),
  analysis: z
    .looseObject({
      state: z.string().max(100).optional(),
      justification: z.string().max(200).optional(),
      response: z.array(z.string().max(200)).optional(),
      detail: text.optional(),
      firstIssued: z.string().max(100).optional(),
      lastUpdated: z.string().max(100).optional(),
    })
    .optional(),
  affects: z.array(z.looseObject({ ref: ident, versions: z.array(versionSchema).optional() })).optional(),
});

export const documentSchema = z.looseObject({
  bomFormat: z.literal('CycloneDX'),
  specVersion: z.string().max(20),
  serialNumber: z.string().max(200).optional(),
  metadata: z.looseObject({ timestamp: z.string().max(100).optional(), component: z.unknown().optional() }).optional(),
  components: z.array(z.unknown()).optional(),
  vulnerabilities: z.array(z.unknown()).optional(),
});

export type CdxVulnerabilityInput = z.infer<typeof vulnerabilitySchema>;
export type CdxVersionInput = z.infer<typeof versionSchema>;
