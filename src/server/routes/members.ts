import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound, VigilError } from '../../core/errors.js';
import { ROLES } from '../../core/roles.js';
import { deleteMembership, getMembership, insertMembership, isHomeUserEmail, listMemberships, setMembershipRole } from '../../store/repos/memberships.js';
import { isUniqueViolation } from '../../store/pgErrors.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, pageOf, pageQuery, problems } from '../schemas.js';

/**
 * Members of my tenant: users whose home is another tenant, holding a role here. The answer
 * never tells whether the email has an account (ADR 0003, "Users in several tenants").
 */
export const MemberOut = z
  .object({
    id: z.uuid().describe('The membership id (not a user id)'),
    email: z.string(),
    role: z.enum(ROLES),
    createdAt: z.string(),
    createdBy: z.string().describe('Email of the admin who added the member'),
    lastSwitchedAt: z.string().nullable().describe('When the member last switched into this tenant; null until it does'),
  })
  .meta({ id: 'Member' });

export const membersRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/tenant/members',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['tenant'],
        summary: 'List the members of my tenant (users of other tenants with a role here)',
        querystring: z.strictObject(pageQuery(['createdAt', 'email'], 'createdAt')),
        response: { 200: pageOf(MemberOut), ...problems(...AUTHED) },
      },
    },
    async (req) => ctx.db.tenant(principalOf(req).tenantId, (q) => listMemberships(q, req.query)),
  );

  app.post(
    '/tenant/members',
    {
      config: { permission: 'admin', rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['tenant'],
        summary: 'Add a user of another tenant to my tenant by email, with a role',
        description:
          'Answers 201 with the same shape whether or not an account with this email exists, so the call cannot be used to probe for accounts. ' +
          'The membership works if the account exists now; one created later with this email is not bound to it (remove and add again). ' +
          'Its password, disabled state and home data stay with its home tenant. 409 when the email is already a member or a user of this tenant.',
        body: z.strictObject({ email: z.email().max(320), role: z.enum(ROLES) }),
        response: { 201: MemberOut, ...problems(...AUTHED, 409) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const email = req.body.email.trim().toLowerCase();
      req.auditDetails = { email, role: req.body.role };
      const account = await ctx.auth.findAccount(email);
      try {
        const member = await ctx.db.tenant(p.tenantId, async (q) => {
          // A user of this tenant is visible to its admins anyway: saying so leaks nothing.
          if (await isHomeUserEmail(q, email)) throw new VigilError('conflict', 'This email is a user of this tenant already: change its role under Users');
          return insertMembership(q, {
            tenantId: p.tenantId,
            email,
            userId: account?.userId ?? null,
            role: req.body.role,
            createdBy: p.kind === 'user' ? p.id : null,
            createdByLabel: p.label,
          });
        });
        return reply.code(201).send(member);
      } catch (err) {
        if (isUniqueViolation(err)) throw new VigilError('conflict', 'This email is a member of this tenant already');
        throw err;
      }
    },
  );

  app.patch(
    '/tenant/members/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['tenant'],
        summary: "Change a member's role here (takes effect on its next request)",
        params: IdParams,
        body: z.strictObject({ role: z.enum(ROLES) }),
        response: { 200: MemberOut, ...problems(...AUTHED, 404) },
      },
    },
    async (req) => {
      req.auditDetails = { role: req.body.role };
      const m = await ctx.db.tenant(principalOf(req).tenantId, (q) => setMembershipRole(q, req.params.id, req.body.role));
      if (!m) throw notFound('member');
      return m;
    },
  );

  app.delete(
    '/tenant/members/:id',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['tenant'],
        summary: 'Remove a member: its sessions in this tenant end at once',
        params: IdParams,
        response: { 204: z.null(), ...problems(...AUTHED, 404) },
      },
    },
    async (req, reply) => {
      const out = await ctx.db.tenant(principalOf(req).tenantId, async (q) => {
        const before = await getMembership(q, req.params.id);
        if (!before) return undefined;
        req.auditDetails = { email: before.email, role: before.role };
        return deleteMembership(q, req.params.id);
      });
      if (!out) throw notFound('member');
      req.auditDetails = { ...req.auditDetails, revokedSessions: out.revokedSessions };
      return reply.code(204).send(null);
    },
  );
};
