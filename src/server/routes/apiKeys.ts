import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { newApiKey } from '../../auth/secrets.js';
import { notFound } from '../../core/errors.js';
import { ROLES } from '../../core/roles.js';
import { getApiKey, insertApiKey, listApiKeys, revokeApiKey } from '../../store/repos/apiKeys.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, pageOf, pageQuery, problems, queryBool } from '../schemas.js';

export const ApiKeyOut = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('Non-secret identifier shown in listings, e.g. vgl_AbC123dEf456'),
    role: z.enum(ROLES),
    createdBy: z.uuid().nullable(),
    createdAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const apiKeysRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api-keys',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['api-keys'],
        summary: 'List API keys of my tenant (never their secrets)',
        querystring: z.strictObject({ ...pageQuery(['createdAt', 'name'], '-createdAt'), role: z.enum(ROLES).optional(), active: queryBool.optional() }),
        response: { 200: pageOf(ApiKeyOut), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      return ctx.db.tenant(principalOf(req).tenantId, (q) => listApiKeys(q, filter, { limit, cursor, sort }));
    },
  );

  app.post(
    '/api-keys',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; the secret is in this response only',
        body: z.strictObject({
          name: z.string().min(1).max(200),
          role: z.enum(ROLES),
          expiresAt: z.iso.datetime({ offset: true }).optional().describe('When the key stops working (RFC 3339)'),
          expiresInDays: z.number().int().min(1).max(3650).optional(),
        }),
        response: { 201: ApiKeyOut.extend({ key: z.string().describe('The secret: shown once, store it now') }), ...problems(...AUTHED) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const expiresAt = req.body.expiresAt
        ? new Date(req.body.expiresAt)
        : req.body.expiresInDays
          ? new Date(Date.now() + req.body.expiresInDays * 86_400_000)
          : null;
      const k = newApiKey();
      const row = await ctx.db.tenant(p.tenantId, (q) =>
        insertApiKey(q, { tenantId: p.tenantId, name: req.body.name, prefix: k.prefix, keyHash: k.hash, role: req.body.role, createdBy: p.kind === 'user' ? p.id : null, expiresAt }),
      );
      return reply.code(201).send({ ...row, key: k.key });
    },
  );

  app.get(
    '/api-keys/:id',
    { config: { permission: 'admin' }, schema: { tags: ['api-keys'], summary: 'Get an API key', params: IdParams, response: { 200: ApiKeyOut, ...problems(...AUTHED, 404) } } },
    async (req) => {
      const k = await ctx.db.tenant(principalOf(req).tenantId, (q) => getApiKey(q, req.params.id));
      if (!k) throw notFound('API key');
      return k;
    },
  );

  app.delete(
    '/api-keys/:id',
    { config: { permission: 'admin' }, schema: { tags: ['api-keys'], summary: 'Revoke an API key (it stops working at once)', params: IdParams, response: { 200: ApiKeyOut, ...problems(...AUTHED, 404) } } },
    async (req) => {
      const k = await ctx.db.tenant(principalOf(req).tenantId, (q) => revokeApiKey(q, req.params.id));
      if (!k) throw notFound('API key');
      return k;
    },
  );
};
