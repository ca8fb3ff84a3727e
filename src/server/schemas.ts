import { z } from 'zod';
import { PROBLEMS } from '../core/errors.js';

/** Shared route schemas: pagination, ids, problem responses. */
export const IdParams = z.strictObject({ id: z.uuid() });

export function pageQuery<S extends readonly [string, ...string[]]>(sortFields: S, defaultSort: S[number] | `-${S[number]}`) {
  const sorts = sortFields.flatMap((f) => [f, `-${f}`]) as [string, ...string[]];
  return {
    limit: z.coerce.number().int().min(1).max(500).default(50).describe('Items per page (1-500)'),
    cursor: z.string().max(512).optional().describe('The `nextCursor` of the previous page'),
    sort: z.enum(sorts).default(defaultSort).describe('Sort field; a leading `-` sorts descending'),
  };
}

export const queryBool = z.enum(['true', 'false']).transform((v) => v === 'true');

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  })
  .describe('RFC 9457 problem details (application/problem+json)');

/** Problem responses for the OpenAPI document, by status code. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  const all = new Set<number>(Object.values(PROBLEMS).map((p) => p.status));
  return Object.fromEntries(statuses.filter((s) => all.has(s)).map((s) => [s, Problem]));
}

/** The problems every authenticated route can answer with. */
export const AUTHED = [400, 401, 403, 429, 500] as const;
