import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound } from '../../core/errors.js';
import { currentTenant, renameTenant } from '../../store/repos/tenants.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, problems } from '../schemas.js';
import { membersRoutes } from './members.js';

const TenantOut = z.object({ id: z.uuid(), slug: z.string(), name: z.string(), createdAt: z.string() }).meta({ id: 'Tenant' });

export const tenantRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(membersRoutes, { ctx });

  app.get('/tenant', { config: { permission: 'read' }, schema: { tags: ['tenant'], summary: 'My tenant', response: { 200: TenantOut, ...problems(...AUTHED) } } }, async (req) => {
    const t = await ctx.db.tenant(principalOf(req).tenantId, currentTenant);
    if (!t) throw notFound('tenant');
    return t;
  });

  app.patch(
    '/tenant',
    {
      config: { permission: 'admin' },
      schema: { tags: ['tenant'], summary: 'Rename my tenant', body: z.strictObject({ name: z.string().min(1).max(200) }), response: { 200: TenantOut, ...problems(...AUTHED) } },
    },
    async (req) => {
      const t = await ctx.db.tenant(principalOf(req).tenantId, (q) => renameTenant(q, req.body.name));
      if (!t) throw notFound('tenant');
      return t;
    },
  );
};
