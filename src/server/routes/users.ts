import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { hashPassword } from '../../auth/passwords.js';
import { notFound, VigilError } from '../../core/errors.js';
import { ROLES } from '../../core/roles.js';
import { revokeUserSessions } from '../../store/repos/sessions.js';
import { countAdmins, deleteUser, getUser, insertUser, listUsers, updateUser } from '../../store/repos/users.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, pageOf, pageQuery, problems, queryBool } from '../schemas.js';
import { isUniqueViolation } from '../../store/pgErrors.js';

export const UserOut = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    disabled: z.boolean(),
    mustChangePassword: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .meta({ id: 'User' });

export const usersRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/users',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['users'],
        summary: 'List the users of my tenant',
        querystring: z.strictObject({
          ...pageQuery(['createdAt', 'email'], 'createdAt'),
          role: z.enum(ROLES).optional(),
          email: z.string().max(320).optional().describe('Substring of the email'),
          disabled: queryBool.optional(),
        }),
        response: { 200: pageOf(UserOut), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      return ctx.db.tenant(principalOf(req).tenantId, (q) => listUsers(q, filter, { limit, cursor, sort }));
    },
  );

  app.post(
    '/users',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Create a user in my tenant',
        body: z.strictObject({
          email: z.email().max(320),
          name: z.string().max(200).optional(),
          password: z.string().min(12).max(1024),
          role: z.enum(ROLES),
        }),
        response: { 201: UserOut, ...problems(...AUTHED, 409) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const passwordHash = await hashPassword(req.body.password);
      try {
        const user = await ctx.db.tenant(p.tenantId, (q) =>
          insertUser(q, { tenantId: p.tenantId, email: req.body.email, name: req.body.name, passwordHash, role: req.body.role }),
        );
        return reply.code(201).send(user);
      } catch (err) {
        if (isUniqueViolation(err)) throw new VigilError('conflict', 'A user with this email already exists');
        throw err;
      }
    },
  );

  app.get(
    '/users/:id',
    {
      config: { permission: 'read' },
      schema: { tags: ['users'], summary: 'Get a user', params: IdParams, response: { 200: UserOut, ...problems(...AUTHED, 404) } },
    },
    async (req) => {
      const user = await ctx.db.tenant(principalOf(req).tenantId, (q) => getUser(q, req.params.id));
      if (!user) throw notFound('user');
      return user;
    },
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Change a user: name, role, disabled, or set a new password',
        params: IdParams,
        body: z.strictObject({
          name: z.string().max(200).optional(),
          role: z.enum(ROLES).optional(),
          disabled: z.boolean().optional(),
          password: z.string().min(12).max(1024).optional(),
        }),
        response: { 200: UserOut, ...problems(...AUTHED, 404, 409) },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const { password, ...rest } = req.body;
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      const updated = await ctx.db.tenant(p.tenantId, async (q) => {
        const before = await getUser(q, req.params.id);
        if (!before) throw notFound('user');
        const demotesAdmin = before.role === 'admin' && ((rest.role !== undefined && rest.role !== 'admin') || rest.disabled === true);
        if (demotesAdmin && (await countAdmins(q)) <= 1) throw new VigilError('conflict', 'The last enabled admin of a tenant cannot be demoted or disabled');
        const user = await updateUser(q, req.params.id, { ...rest, passwordHash, mustChangePassword: password === undefined ? undefined : true });
        if (!user) throw notFound('user');
        if (passwordHash !== undefined || rest.disabled === true) await revokeUserSessions(q, user.id);
        return user;
      });
      // The user may be a member of other tenants: its sessions there end too (system door, src/auth).
      if (passwordHash !== undefined || rest.disabled === true) await ctx.auth.revokeEverywhere(updated.id);
      return updated;
    },
  );

  app.delete(
    '/users/:id',
    {
      config: { permission: 'admin' },
      schema: { tags: ['users'], summary: 'Delete a user', params: IdParams, response: { 204: z.null(), ...problems(...AUTHED, 404, 409) } },
    },
    async (req, reply) => {
      const p = principalOf(req);
      await ctx.db.tenant(p.tenantId, async (q) => {
        const before = await getUser(q, req.params.id);
        if (!before) throw notFound('user');
        if (before.role === 'admin' && !before.disabled && (await countAdmins(q)) <= 1) throw new VigilError('conflict', 'The last enabled admin of a tenant cannot be deleted');
        await deleteUser(q, req.params.id);
      });
      return reply.code(204).send(null);
    },
  );
};
