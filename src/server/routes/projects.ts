import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound, VigilError } from '../../core/errors.js';
import { SBOM_OUTPUT_FORMATS } from '../../inventory/sbom/formats.js';
import { listProjectsWithRisk, PROJECT_RISK_SORT_FIELDS } from '../../store/repos/projectRisk.js';
import { createProject, CRITICALITIES, deleteProject, getProject, PROJECT_KINDS, updateProject, type Project } from '../../store/repos/projects.js';
import { COMPONENT_SORT_FIELDS, deleteVersion, diffVersions, findVersion, getVersion, listComponents, listVersions, loadInventory } from '../../store/repos/projectVersions.js';
import { VERSION } from '../../version.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, pageOf, pageQuery, problems, queryBool } from '../schemas.js';
import { ProjectListItemOut } from './historySchemas.js';
import { ComponentOut, DiffOut, ProjectOut, VersionOut } from './projectSchemas.js';
import { uploadRoutes } from './uploads.js';
import { vexRoutes } from './vex.js';

const VersionParams = z.strictObject({ id: z.uuid(), versionId: z.uuid() });

const SBOM_TYPES: Record<(typeof SBOM_OUTPUT_FORMATS)[number], { type: string; ext: string }> = {
  cyclonedx: { type: 'application/vnd.cyclonedx+json', ext: 'cdx.json' },
  'cyclonedx-xml': { type: 'application/vnd.cyclonedx+xml', ext: 'cdx.xml' },
  spdx: { type: 'application/spdx+json', ext: 'spdx.json' },
};

const safeFileName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'project';

/** Projects, their versions, components, diffs and SBOM downloads; uploads in uploads.ts. */
export const projectsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tenantOf = (req: Parameters<typeof principalOf>[0]) => principalOf(req).tenantId;
  const mustProject = async (tenantId: string, id: string): Promise<Project> => {
    const p = await ctx.db.tenant(tenantId, (q) => getProject(q, id));
    if (!p) throw notFound('project');
    return p;
  };

  app.get(
    '/projects',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['projects'],
        summary: 'List projects (applications, services, images) with their open findings by severity, KEV count, highest EPSS and risk',
        description: "`-risk` lists the riskiest first: a project's risk is the sum of its open findings' risk scores (docs/risk.md).",
        querystring: z.strictObject({ ...pageQuery(PROJECT_RISK_SORT_FIELDS, 'name'), q: z.string().max(200).optional(), kind: z.enum(PROJECT_KINDS).optional() }),
        response: { 200: pageOf(ProjectListItemOut), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      return ctx.db.tenant(tenantOf(req), (q) => listProjectsWithRisk(q, filter, { limit, cursor, sort }));
    },
  );

  app.post(
    '/projects',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['projects'],
        summary: 'Create a project',
        body: z.strictObject({
          name: z.string().min(1).max(200),
          kind: z.enum(PROJECT_KINDS).default('application'),
          description: z.string().max(2000).optional(),
          criticality: z.enum(CRITICALITIES).optional(),
        }),
        response: { 201: ProjectOut, ...problems(...AUTHED, 409) },
      },
    },
    async (req, reply) => {
      const p = await ctx.db.tenant(tenantOf(req), (q) => createProject(q, tenantOf(req), req.body));
      if (!p) throw new VigilError('conflict', `a project named "${req.body.name}" already exists`);
      return reply.code(201).send(p);
    },
  );

  app.get(
    '/projects/:id',
    { config: { permission: 'read' }, schema: { tags: ['projects'], summary: 'Get a project', params: IdParams, response: { 200: ProjectOut, ...problems(...AUTHED, 404) } } },
    async (req) => mustProject(tenantOf(req), req.params.id),
  );

  app.patch(
    '/projects/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['projects'],
        summary: 'Rename or describe a project',
        params: IdParams,
        body: z.strictObject({
          name: z.string().min(1).max(200).optional(),
          kind: z.enum(PROJECT_KINDS).optional(),
          description: z.string().max(2000).nullable().optional(),
          criticality: z.enum(CRITICALITIES).optional(),
        }),
        response: { 200: ProjectOut, ...problems(...AUTHED, 404, 409) },
      },
    },
    async (req) => {
      const p = await ctx.db.tenant(tenantOf(req), (q) => updateProject(q, req.params.id, req.body));
      if (p === 'conflict') throw new VigilError('conflict', `a project named "${req.body.name ?? ''}" already exists`);
      if (!p) throw notFound('project');
      return p;
    },
  );

  app.delete(
    '/projects/:id',
    { config: { permission: 'admin' }, schema: { tags: ['projects'], summary: 'Delete a project with its versions', params: IdParams, response: { 204: z.null(), ...problems(...AUTHED, 404) } } },
    async (req, reply) => {
      if (!(await ctx.db.tenant(tenantOf(req), (q) => deleteProject(q, req.params.id)))) throw notFound('project');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/projects/:id/versions',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['projects'],
        summary: 'List the versions of a project',
        params: IdParams,
        querystring: z.strictObject(pageQuery(['createdAt', 'version'], '-createdAt')),
        response: { 200: pageOf(VersionOut), ...problems(...AUTHED, 404) },
      },
    },
    async (req) => {
      await mustProject(tenantOf(req), req.params.id);
      return ctx.db.tenant(tenantOf(req), (q) => listVersions(q, req.params.id, req.query));
    },
  );

  app.get(
    '/projects/:id/versions/:versionId',
    { config: { permission: 'read' }, schema: { tags: ['projects'], summary: 'Get a version: source, counts, files read and problems', params: VersionParams, response: { 200: VersionOut, ...problems(...AUTHED, 404) } } },
    async (req) => {
      const v = await ctx.db.tenant(tenantOf(req), (q) => getVersion(q, req.params.id, req.params.versionId));
      if (!v) throw notFound('version');
      return v;
    },
  );

  app.delete(
    '/projects/:id/versions/:versionId',
    { config: { permission: 'write' }, schema: { tags: ['projects'], summary: 'Delete a version', params: VersionParams, response: { 204: z.null(), ...problems(...AUTHED, 404) } } },
    async (req, reply) => {
      if (!(await ctx.db.tenant(tenantOf(req), (q) => deleteVersion(q, req.params.id, req.params.versionId)))) throw notFound('version');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/projects/:id/versions/:versionId/components',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['projects'],
        summary: 'List the components of a version',
        params: VersionParams,
        querystring: z.strictObject({
          ...pageQuery(COMPONENT_SORT_FIELDS as [string, ...string[]], 'name'),
          q: z.string().max(200).optional().describe('Substring of the name or purl'),
          ecosystem: z.string().max(100).optional(),
          direct: queryBool.optional(),
          scope: z.string().max(20).optional(),
          license: z.string().max(200).optional(),
        }),
        response: { 200: pageOf(ComponentOut), ...problems(...AUTHED, 404) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      return ctx.db.tenant(tenantOf(req), async (q) => {
        if (!(await getVersion(q, req.params.id, req.params.versionId))) throw notFound('version');
        return listComponents(q, req.params.versionId, filter, { limit, cursor, sort });
      });
    },
  );

  app.get(
    '/projects/:id/versions/:versionId/sbom',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['projects'],
        summary: 'Download the version as an SBOM (CycloneDX 1.6 JSON or XML, SPDX 2.3 JSON)',
        params: VersionParams,
        querystring: z.strictObject({ format: z.enum(SBOM_OUTPUT_FORMATS).default('cyclonedx') }),
        response: { 200: z.any().describe('The SBOM document'), ...problems(...AUTHED, 404) },
      },
    },
    async (req, reply) => {
      const { project, inv } = await ctx.db.tenant(tenantOf(req), async (q) => {
        const p = await getProject(q, req.params.id);
        const v = p && (await getVersion(q, p.id, req.params.versionId));
        if (!p || !v) throw notFound('version');
        return { project: p, inv: await loadInventory(q, v, p.name) };
      });
      const t = SBOM_TYPES[req.query.format];
      void reply
        .type(t.type)
        .header('content-disposition', `attachment; filename="${safeFileName(project.name)}-${safeFileName(inv.source.version ?? '')}.${t.ext}"`);
      // Loaded on first use: the SBOM writers stay out of start-up.
      const { sbomChunks } = await import('../../inventory/sbom/index.js');
      return reply.send(Readable.from(sbomChunks(inv, req.query.format, { toolVersion: VERSION })));
    },
  );

  app.get(
    '/projects/:id/versions/:versionId/document',
    {
      config: { permission: 'read' },
      schema: { tags: ['projects'], summary: 'Download the document uploaded for this version, as it was', params: VersionParams, response: { 200: z.any().describe('The uploaded document'), ...problems(...AUTHED, 404) } },
    },
    async (req, reply) => {
      const v = await ctx.db.tenant(tenantOf(req), (q) => getVersion(q, req.params.id, req.params.versionId));
      if (!v?.document) throw notFound('document');
      const body = await ctx.objects.open(tenantOf(req), v.document.sha256);
      if (!body) throw notFound('document');
      void reply.type('application/octet-stream').header('content-disposition', `attachment; filename="${safeFileName(v.document.name)}"`);
      return reply.send(body);
    },
  );

  app.get(
    '/projects/:id/diff',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['projects'],
        summary: 'Components added, removed and changed between two versions (by version name or id)',
        params: IdParams,
        querystring: z.strictObject({ from: z.string().min(1).max(200), to: z.string().min(1).max(200) }),
        response: { 200: DiffOut, ...problems(...AUTHED, 404) },
      },
    },
    async (req) =>
      ctx.db.tenant(tenantOf(req), async (q) => {
        if (!(await getProject(q, req.params.id))) throw notFound('project');
        const from = await findVersion(q, req.params.id, req.query.from);
        const to = await findVersion(q, req.params.id, req.query.to);
        if (!from) throw notFound(`version "${req.query.from}"`);
        if (!to) throw notFound(`version "${req.query.to}"`);
        return { from: from.version, to: to.version, ...(await diffVersions(q, from.id, to.id)) };
      }),
  );

  await app.register(uploadRoutes, { ctx });
  await app.register(vexRoutes, { ctx });
};
