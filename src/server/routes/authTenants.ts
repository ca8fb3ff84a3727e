import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { ROLES } from '../../core/roles.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, problems } from '../schemas.js';
import { clientOf, setCookies } from './authCookies.js';

/** The token pair answered by login, refresh and switch. */
export const Tokens = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('Seconds until the access token expires'),
  refreshExpiresIn: z.number().int(),
});

const MyTenant = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    role: z.enum(ROLES).describe('My role there: the home role in my home tenant, the membership role elsewhere'),
    home: z.boolean().describe('My home tenant, where my password lives'),
    current: z.boolean().describe('The tenant of this session'),
  })
  .meta({ id: 'MyTenant' });

/** Users in several tenants: which tenants, and a new session in another one. */
export const authTenantsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/auth/tenants',
    {
      config: { permission: 'self' },
      schema: {
        tags: ['auth'],
        summary: 'The tenants I may work in: my home tenant and those I am a member of',
        description: 'An API key belongs to one tenant: it gets that tenant only.',
        response: { 200: z.object({ items: z.array(MyTenant) }), ...problems(401, 403, 429, 500) },
      },
    },
    async (req) => ({ items: await ctx.auth.tenantsOf(principalOf(req)) }),
  );

  app.post(
    '/auth/switch',
    {
      config: { permission: 'self', audit: 'self', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Open a session in another tenant of mine (home or membership)',
        description:
          'Checks the membership in the database, issues a new token pair in that tenant with the role held there and sets the same cookies as login; the current session is not revoked. ' +
          'A tenant I do not belong to answers 404, whether it exists or not. API keys belong to one tenant and get 403.',
        body: z.strictObject({ tenantId: z.uuid() }),
        response: { 200: Tokens.extend({ tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }), role: z.enum(ROLES) }), ...problems(...AUTHED, 404) },
      },
    },
    async (req, reply) => {
      const { tokens, tenant, role } = await ctx.auth.switchTenant(principalOf(req), req.body.tenantId, clientOf(req));
      setCookies(ctx, reply, tokens);
      return { ...tokens, tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, role };
    },
  );
};
