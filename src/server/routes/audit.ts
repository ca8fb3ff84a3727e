import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { VigilError } from '../../core/errors.js';
import { rowToRecord, type AuditRow } from '../../audit/log.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, problems } from '../schemas.js';

const AuditOut = z
  .object({
    seq: z.number().int(),
    occurredAt: z.string(),
    tenantId: z.uuid().nullable(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    actorLabel: z.string(),
    action: z.string(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    outcome: z.string(),
    details: z.record(z.string(), z.unknown()),
    hash: z.string(),
  })
  .meta({ id: 'AuditRecord' });

const cursorOf = (seq: number) => Buffer.from(String(seq)).toString('base64url');
function seqOf(cursor: string): number {
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new VigilError('validation', 'invalid cursor', { errors: [{ pointer: '/querystring/cursor', detail: 'expected a cursor returned as nextCursor by this list' }] });
  }
  return n;
}

export const auditRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/audit',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['audit'],
        summary: "My tenant's audit records, newest first by default",
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().max(64).optional(),
          sort: z.enum(['seq', '-seq']).default('-seq'),
          action: z.string().max(200).optional().describe('Exact action, e.g. auth.login'),
          actorId: z.string().max(100).optional(),
          actorType: z.enum(['user', 'apikey', 'system', 'anonymous']).optional(),
          targetType: z.string().min(1).max(100).optional().describe('What was acted on, e.g. findings, projects, users, api-keys'),
          targetId: z.string().min(1).max(200).optional().describe('The id of what was acted on, e.g. a finding id'),
          outcome: z.enum(['success', 'failure']).optional(),
          since: z.iso.datetime({ offset: true }).optional(),
          until: z.iso.datetime({ offset: true }).optional(),
        }),
        response: { 200: z.object({ items: z.array(AuditOut), nextCursor: z.string().nullable() }), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, action, actorId, actorType, targetType, targetId, outcome, since, until } = req.query;
      const params: unknown[] = [];
      const where: string[] = [];
      if (action) where.push(`action = $${params.push(action)}`);
      if (actorId) where.push(`actor_id = $${params.push(actorId)}`);
      if (actorType) where.push(`actor_type = $${params.push(actorType)}`);
      if (targetType) where.push(`target_type = $${params.push(targetType)}`);
      if (targetId) where.push(`target_id = $${params.push(targetId)}`);
      if (outcome) where.push(`outcome = $${params.push(outcome)}`);
      if (since) where.push(`occurred_at >= $${params.push(since)}::timestamptz`);
      if (until) where.push(`occurred_at < $${params.push(until)}::timestamptz`);
      const desc = sort === '-seq';
      if (cursor) where.push(`seq ${desc ? '<' : '>'} $${params.push(seqOf(cursor))}`);
      const sql = `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq ${desc ? 'DESC' : 'ASC'} LIMIT ${limit + 1}`;
      const rows = await ctx.db.tenant(principalOf(req).tenantId, async (q) => (await q.query<AuditRow>(sql, params)).rows);
      const items = rows.slice(0, limit).map(rowToRecord);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? cursorOf(last.seq) : null };
    },
  );
};
