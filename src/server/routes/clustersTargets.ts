import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { notFound, VigilError } from '../../core/errors.js';
import type { FrameworkId } from '../../posture/frameworks.js';
import { getTarget, targetScan, targetTrend, type TargetFamily } from '../../store/repos/postureTargets.js';
import { scanCompliance } from '../../store/repos/postureTargetsCompliance.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, problems } from '../schemas.js';
import { TargetComplianceOut, TargetComplianceQuery, TargetDetailOut, TrendQuery } from './clustersSchemas.js';

const NOUN: Record<TargetFamily, { one: string; tag: string }> = {
  clusters: { one: 'cluster', tag: 'clusters' },
  accounts: { one: 'cloud account', tag: 'accounts' },
};

/**
 * `GET /{family}/{id}` (the target, its latest scan and the trend) and `GET /{family}/{id}/compliance`
 * (per framework: compliance %, control counts and the controls with their rules), shared by
 * clusters.ts and accounts.ts. A target of the other family is not found.
 */
export const targetDetailRoutes = (family: TargetFamily): FastifyPluginAsyncZod<{ ctx: AppContext }> =>
  async (app, { ctx }) => {
    const { one, tag } = NOUN[family];

    app.get(
      `/${family}/:id`,
      {
        config: { permission: 'read' },
        schema: {
          tags: [tag],
          summary: `One ${one} with its latest scan (risk, compliance per framework, collection gaps) and the trend over its last scans`,
          params: IdParams,
          querystring: TrendQuery,
          response: { 200: TargetDetailOut, ...problems(...AUTHED, 404) },
        },
      },
      async (req) =>
        ctx.db.tenant(principalOf(req).tenantId, async (q) => {
          const target = await getTarget(q, family, req.params.id);
          if (!target) throw notFound(one);
          return { ...target, trend: await targetTrend(q, target.id, req.query.trend) };
        }),
    );

    app.get(
      `/${family}/:id/compliance`,
      {
        config: { permission: 'read' },
        schema: {
          tags: [tag],
          summary: `Compliance of a ${one} per framework: compliance %, pass / fail / not-assessed controls, and each control with its status and rules`,
          params: IdParams,
          querystring: TargetComplianceQuery,
          response: { 200: TargetComplianceOut, ...problems(...AUTHED, 404) },
        },
      },
      async (req) =>
        ctx.db.tenant(principalOf(req).tenantId, async (q) => {
          const target = await getTarget(q, family, req.params.id);
          if (!target) throw notFound(one);
          const scan = await targetScan(q, target.id, req.query.scan);
          if (!scan) throw new VigilError('not-found', req.query.scan ? `No such scan of this ${one}` : `The ${one} has no scan yet`);
          const frameworks = await scanCompliance(q, scan.id, scan.compliance, { framework: req.query.framework as FrameworkId | undefined, status: req.query.status });
          return { targetId: target.id, scanId: scan.id, scannedAt: scan.createdAt, frameworks };
        }),
    );
  };
