import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { VigilError } from '../../core/errors.js';
import { ROLES } from '../../core/roles.js';
import { currentTenant } from '../../store/repos/tenants.js';
import { getUser, getUserWithHash, updateUser } from '../../store/repos/users.js';
import { principalOf, REFRESH_COOKIE } from '../plugins/auth.js';
import { AUTHED, problems } from '../schemas.js';
import { clearCookies, clientOf as client, setCookies } from './authCookies.js';
import { authTenantsRoutes, Tokens } from './authTenants.js';
import { UserOut } from './users.js';

export const authRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await app.register(authTenantsRoutes, { ctx });

  app.post(
    '/auth/login',
    {
      config: { permission: 'public', audit: 'self', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Log in with email and password',
        description: 'Returns a short-lived access token and a refresh token, and sets HttpOnly session cookies for the web UI. The same 401 answers an unknown account, a wrong password and a disabled account.',
        body: z.strictObject({ email: z.string().min(3).max(320), password: z.string().min(1).max(1024) }),
        response: { 200: Tokens, ...problems(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const { tokens } = await ctx.auth.login(req.body.email, req.body.password, client(req));
      setCookies(ctx, reply, tokens);
      return tokens;
    },
  );

  app.post(
    '/auth/refresh',
    {
      config: { permission: 'public', audit: 'self', rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: 'Exchange a refresh token for a new token pair (the old refresh token stops working)',
        body: z.strictObject({ refreshToken: z.string().min(1).max(512).optional() }).optional(),
        response: { 200: Tokens, ...problems(400, 401, 429) },
      },
    },
    async (req, reply) => {
      const token = req.body?.refreshToken ?? req.cookies[REFRESH_COOKIE];
      if (!token) throw new VigilError('unauthorized', 'No refresh token: send it in the body or the refresh cookie');
      const tokens = await ctx.auth.refresh(token, client(req));
      setCookies(ctx, reply, tokens);
      return tokens;
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { permission: 'read' },
      schema: { tags: ['auth'], summary: 'Revoke the current session', response: { 204: z.null(), ...problems(...AUTHED) } },
    },
    async (req, reply) => {
      await ctx.auth.logout(principalOf(req));
      clearCookies(reply);
      return reply.code(204).send(null);
    },
  );

  const Me = z.object({
    kind: z.enum(['user', 'apikey']),
    id: z.uuid(),
    role: z.enum(ROLES),
    label: z.string(),
    tenant: z.object({ id: z.uuid(), slug: z.string(), name: z.string() }),
    user: UserOut.nullable(),
  });

  app.get(
    '/auth/me',
    {
      // Every role, viewer and ingest included, may ask who it is.
      config: { permission: 'self' },
      schema: { tags: ['auth'], summary: 'Who am I: the calling user or API key, its role and tenant', response: { 200: Me, ...problems(401, 429, 500) } },
    },
    async (req) => {
      const p = principalOf(req);
      const tenant = await ctx.db.tenant(p.tenantId, currentTenant);
      if (!tenant) throw new VigilError('unauthorized');
      // A member's user row lives in its home tenant, which RLS hides from this one: read it there.
      const home = p.homeTenantId ?? p.tenantId;
      const user = p.kind === 'user' ? ((await ctx.db.tenant(home, (q) => getUser(q, p.id))) ?? null) : null;
      return { kind: p.kind, id: p.id, role: p.role, label: p.label, tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, user };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { permission: 'self', audit: 'auto' },
      schema: {
        tags: ['auth'],
        summary: 'Change my password (signs out every session of mine)',
        body: z.strictObject({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().min(12).max(1024) }),
        response: { 204: z.null(), ...problems(...AUTHED) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      if (p.kind !== 'user') throw new VigilError('forbidden', 'API keys have no password');
      // The credential lives in the home tenant, whichever tenant this session is in.
      const home = p.homeTenantId ?? p.tenantId;
      const user = await ctx.db.tenant(home, (q) => getUserWithHash(q, p.id));
      if (!user || !(await verifyPassword(user.passwordHash, req.body.currentPassword))) {
        throw new VigilError('invalid-credentials', 'Current password is wrong');
      }
      const hash = await hashPassword(req.body.newPassword);
      await ctx.db.tenant(home, (q) => updateUser(q, p.id, { passwordHash: hash, mustChangePassword: false }));
      // Every session of the user ends, in its home tenant and in the tenants it is a member of.
      await ctx.auth.revokeEverywhere(p.id);
      clearCookies(reply);
      return reply.code(204).send(null);
    },
  );
};
