import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound, VigilError } from '../../core/errors.js';
import { getProject } from '../../store/repos/projects.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, problems } from '../schemas.js';

const VEX_LIMIT = 64 * 1024 * 1024;
const FORMATS = { openvex: 'application/vnd.openvex+json', cyclonedx: 'application/vnd.cyclonedx+json' } as const;

/**
 * VEX per project: `GET /projects/{id}/vex` exports the findings and their triage decisions
 * (OpenVEX 0.2.0 or CycloneDX 1.6 VEX); `POST /projects/{id}/vex` imports an OpenVEX,
 * CycloneDX VEX or CSAF VEX document as triage decisions. Own plugin scope: the import body
 * is the raw document.
 */
export const vexRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  const actorOf = (req: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(req);
    return p.kind === 'user' ? `user:${p.id}` : `api-key:${p.id}`;
  };

  app.get(
    '/projects/:id/vex',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['findings'],
        summary: "Export the project's findings and triage decisions as VEX (OpenVEX or CycloneDX)",
        params: IdParams,
        querystring: z.strictObject({ format: z.enum(['openvex', 'cyclonedx']).default('openvex') }),
        response: { 200: z.any().describe('The VEX document'), ...problems(...AUTHED, 404) },
      },
    },
    async (req, reply) => {
      const tenantId = principalOf(req).tenantId;
      const { exportProjectVex } = await import('../../match/projectVex.js');
      const doc = await ctx.db.tenant(tenantId, async (q) => {
        const project = await getProject(q, req.params.id);
        if (!project) throw notFound('project');
        return { text: await exportProjectVex(q, project, req.query.format), name: project.name };
      });
      const ext = req.query.format === 'openvex' ? 'openvex.json' : 'vex.cdx.json';
      reply.header('content-type', `${FORMATS[req.query.format]}; charset=utf-8`);
      reply.header('content-disposition', `attachment; filename="${doc.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'project'}.${ext}"`);
      return reply.send(doc.text);
    },
  );

  app.post(
    '/projects/:id/vex',
    {
      config: { permission: 'write' },
      bodyLimit: VEX_LIMIT,
      schema: {
        tags: ['findings'],
        summary: "Import a VEX document (OpenVEX, CycloneDX VEX, CSAF VEX) as triage decisions on the project's open findings",
        description:
          'not_affected statements set not_affected with their justification, fixed sets fixed, under_investigation sets in triage, CycloneDX false_positive sets false positive; affected changes nothing. Who, when and why (the statement and its source) are recorded in each finding\'s history.',
        params: IdParams,
        response: {
          200: z.object({ format: z.string(), statements: z.number().int(), applied: z.record(z.string(), z.number().int()), unmatched: z.number().int(), problems: z.array(z.object({ source: z.string(), message: z.string(), severity: z.string() })) }),
          ...problems(...AUTHED, 404, 413),
        },
      },
    },
    async (req) => {
      const body = req.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') throw new VigilError('bad-request', 'the request has no body: send the VEX document as the raw body');
      const tenantId = principalOf(req).tenantId;
      if (!(await ctx.db.tenant(tenantId, (q) => getProject(q, req.params.id)))) throw notFound('project');
      const text = (await buffer(body)).toString('utf8');
      const [{ readVex }, { importProjectVex }] = await Promise.all([import('../../match/vex/read.js'), import('../../match/projectVex.js')]);
      const read = readVex(text, 'vex');
      if (read.format === null) {
        throw new VigilError('bad-request', 'not an OpenVEX, CycloneDX VEX or CSAF VEX document', {
          errors: read.problems.slice(0, 10).map((p) => ({ pointer: '/body', detail: `${p.source}: ${p.message}` })),
        });
      }
      return ctx.db.tenant(tenantId, async (q) => {
        const project = await getProject(q, req.params.id);
        if (!project) throw notFound('project');
        const r = await importProjectVex(q, tenantId, project, read.statements, actorOf(req));
        return { format: read.format!, ...r, problems: read.problems.map((p) => ({ source: p.source, message: p.message, severity: p.severity })) };
      });
    },
  );
};
