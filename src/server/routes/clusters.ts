import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound } from '../../core/errors.js';
import { getTarget, listTargets, TARGET_SORT_FIELDS } from '../../store/repos/postureTargets.js';
import { listWorkloads, WORKLOAD_SORT_FIELDS, workloadPosture } from '../../store/repos/postureTargetsWorkloads.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, pageOf, pageQuery, problems } from '../schemas.js';
import { TargetListQuery, TargetOut, WorkloadOut, WorkloadPostureOut, WorkloadQuery } from './clustersSchemas.js';
import { targetScanRoutes } from './clustersScans.js';
import { targetDetailRoutes } from './clustersTargets.js';

/**
 * The Kubernetes clusters of the registry (issue 7, section 6): list, one cluster with its
 * trend and compliance (clustersTargets.ts), its workloads with their images, and the findings
 * of one workload. Clusters are registered by their scans (`POST /scans`).
 */
export const clustersRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tenantOf = (req: Parameters<typeof principalOf>[0]) => principalOf(req).tenantId;

  app.get(
    '/clusters',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['clusters'],
        summary: 'List Kubernetes clusters with their latest scan (risk, compliance per framework)',
        querystring: z.strictObject({
          ...pageQuery(TARGET_SORT_FIELDS, 'name'),
          ...TargetListQuery,
          platform: z.string().min(1).max(50).optional().describe('Distribution: eks, gke, aks, openshift, other'),
        }),
        response: { 200: pageOf(TargetOut), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      return ctx.db.tenant(tenantOf(req), (q) => listTargets(q, 'clusters', filter, { limit, cursor, sort }));
    },
  );

  await app.register(targetDetailRoutes('clusters'), { ctx });
  await app.register(targetScanRoutes('clusters'), { ctx });

  app.get(
    '/clusters/:id/workloads',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['clusters'],
        summary: "A cluster's workloads (pod-owning objects and bare pods) with their images and failed findings, as of its latest scan",
        params: IdParams,
        querystring: z.strictObject({ ...pageQuery(WORKLOAD_SORT_FIELDS, 'namespace'), ...WorkloadQuery }),
        response: { 200: pageOf(WorkloadOut), ...problems(...AUTHED, 404) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      return ctx.db.tenant(tenantOf(req), async (q) => {
        if (!(await getTarget(q, 'clusters', req.params.id))) throw notFound('cluster');
        return listWorkloads(q, req.params.id, filter, { limit, cursor, sort });
      });
    },
  );

  app.get(
    '/workloads/:id/posture',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['clusters'],
        summary: "A workload and the findings of its resource in its cluster's latest scan, worst first",
        params: IdParams,
        response: { 200: WorkloadPostureOut, ...problems(...AUTHED, 404) },
      },
    },
    async (req) => {
      const found = await ctx.db.tenant(tenantOf(req), (q) => workloadPosture(q, req.params.id));
      if (!found) throw notFound('workload');
      return found;
    },
  );
};
