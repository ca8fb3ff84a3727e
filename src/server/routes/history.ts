import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { findingTrend, postureTrend, POSTURE_TARGET_KINDS, TREND_MAX_DAYS } from '../../store/repos/history.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, problems } from '../schemas.js';
import { FindingTrendOut, PostureTrendOut } from './historySchemas.js';

const days = z.coerce.number().int().min(1).max(TREND_MAX_DAYS).default(90).describe(`Days back, today included (1-${TREND_MAX_DAYS})`);

const uuidList = (max: number, what: string) =>
  z
    .string()
    .max(2000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.uuid()).max(max))
    .optional()
    .describe(`${what}, comma-separated`);

/**
 * Dashboard history (issue 8): open findings by severity per day, and posture risk per scan
 * target per day, aggregated in SQL (src/store/repos/history.ts). Registered by the findings
 * and posture route modules (their paths live beside theirs).
 */
export const findingTrendRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/findings/trend',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['findings'],
        summary: 'Open findings (open or in triage) by severity at the end of each UTC day, oldest first',
        description:
          'One point per day of the window, every day present. Computed from when each finding was first seen and its state changes (triage, fixed, reopened); severities are the findings\' current ones.',
        querystring: z.strictObject({ days, project: uuidList(50, 'Project id(s)') }),
        response: { 200: FindingTrendOut, ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { days: n, project } = req.query;
      const points = await ctx.db.tenant(principalOf(req).tenantId, (q) => findingTrend(q, { days: n, projects: project }));
      return { days: n, points };
    },
  );
};

export const postureTrendRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/posture/trend',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary: 'Posture risk score (0-10, lower is better) over time per scan target: the latest scan of each UTC day',
        description:
          'Targets are clusters and cloud accounts (collected scans, scored) and projects with uploaded IaC scans (`upload`: not scored, `risk` is null; `failed` counts the failed checks). The targets scanned most recently first, at most `limit`.',
        querystring: z.strictObject({
          days,
          target: uuidList(50, 'Cluster or account id(s), or project id(s) for uploaded scans'),
          kind: z.enum(POSTURE_TARGET_KINDS).optional(),
          limit: z.coerce.number().int().min(1).max(100).default(20).describe('Targets at most (1-100)'),
        }),
        response: { 200: PostureTrendOut, ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { days: n, target, kind, limit } = req.query;
      const items = await ctx.db.tenant(principalOf(req).tenantId, (q) => postureTrend(q, { days: n, targets: target, kind, limit }));
      return { days: n, items };
    },
  );
};
