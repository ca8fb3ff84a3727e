/**
 * OpenVEX documents, loosely: v0.2.0 (https://openvex.dev/ns/v0.2.0, products and
 * subcomponents as objects, vulnerability as an object) and the earlier form
 * (https://openvex.dev/ns, strings for both, subcomponents beside products). Unknown fields
 * are ignored; only what Vigil reads is checked.
 */
import { z } from 'zod';
import { VEX_STATUSES } from '../model.js';

const text = z.string().max(100_000);
const ident = z.string().min(1).max(4096);

export const identifiersSchema = z.looseObject({
  purl: ident.optional(),
  cpe23: ident.optional(),
  cpe22: ident.optional(),
  '@cpe23': ident.optional(),
  '@cpe22': ident.optional(),
});

export const subcomponentSchema = z.union([ident, z.looseObject({ '@id': ident.optional(), identifiers: identifiersSchema.optional() })]);

export const productSchema = z.union([
  ident,
  z.looseObject({
    '@id': ident.optional(),
    identifiers: identifiersSchema.optional(),
    subcomponents: z.array(subcomponentSchema).optional(),
  }),
]);

export const vulnerabilitySchema = z.union([
  ident,
  z.looseObject({
    '@id': ident.optional(),
    name: ident.optional(),
    aliases: z.array(ident).optional(),
  }),
]);

export const statementSchema = z.looseObject({
  vulnerability: vulnerabilitySchema,
  products: z.array(productSchema).optional(),
  /** Earlier OpenVEX: subcomponents beside products, as strings. */
  subcomponents: z.array(subcomponentSchema).optional(),
  status: z.enum(VEX_STATUSES),
  justification: z.string().max(200).optional(),
  impact_statement: text.optional(),
  action_statement: text.optional(),
  status_notes: text.optional(),
  timestamp: z.string().max(100).optional(),
  last_updated: z.string().max(100).optional(),
});

export const documentSchema = z.looseObject({
  '@context': z.string().max(1000),
  '@id': z.string().max(4096).optional(),
  author: z.string().max(10_000).optional(),
  timestamp: z.string().max(100).optional(),
  last_updated: z.string().max(100).optional(),
  statements: z.array(z.unknown()),
});

export type OpenVexStatementInput = z.infer<typeof statementSchema>;
export type OpenVexProductInput = z.infer<typeof productSchema>;
export type OpenVexSubcomponentInput = z.infer<typeof subcomponentSchema>;
