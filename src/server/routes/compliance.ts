import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound } from '../../core/errors.js';
import { COLLECTOR_PROVIDERS } from '../../posture/collectors/types.js';
import { FRAMEWORK_IDS, isFrameworkId } from '../../posture/frameworks.js';
import { complianceReport } from '../../store/repos/postureTargetsCompliance.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, problems } from '../schemas.js';
import { ComplianceReportOut, csvEnum, uuidList } from './clustersSchemas.js';
import { complianceCsv, wantsCsv } from './complianceCsv.js';

/**
 * `GET /compliance/{framework}/report`: one framework across the tenant's clusters and cloud
 * accounts (each at its latest scan), as JSON or as CSV (`?format=csv` or `Accept: text/csv`),
 * one line per target and assessed control, every cell guarded against formula injection.
 */
export const complianceRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/compliance/:framework/report',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['compliance'],
        summary: 'Compliance report of one framework across clusters and cloud accounts (JSON, or CSV with ?format=csv or Accept: text/csv)',
        description: `Each target's latest scan; targets none of whose controls the framework applies to are left out. CSV columns: framework, provider, target_id, external_id, target_name, scan_id, scanned_at, target_compliance, target_risk, control, status, rules (space-separated). Frameworks: ${FRAMEWORK_IDS.join(', ')}.`,
        params: z.strictObject({ framework: z.string().min(1).max(100).describe('Framework id, e.g. cis-kubernetes-1.10 (GET /posture/frameworks)') }),
        querystring: z.strictObject({
          format: z.enum(['json', 'csv']).optional().describe('Default: JSON, or CSV when the Accept header prefers text/csv'),
          provider: csvEnum(COLLECTOR_PROVIDERS).optional().describe('Providers, comma-separated: aws, azure, gcp, kubernetes'),
          target: uuidList.optional().describe('Cluster or account ids, comma-separated'),
        }),
        response: { 200: z.union([ComplianceReportOut, z.string().describe('text/csv (?format=csv or Accept: text/csv)')]), ...problems(...AUTHED, 404) },
      },
    },
    async (req, reply) => {
      const { framework } = req.params;
      if (!isFrameworkId(framework)) throw notFound('framework');
      const { format, ...filter } = req.query;
      const report = await ctx.db.tenant(principalOf(req).tenantId, (q) => complianceReport(q, framework, filter));
      if (!wantsCsv(format, req.headers.accept)) return report;
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${framework}-compliance.csv"`)
        .header('vary', 'Accept');
      return reply.send(complianceCsv(report));
    },
  );
};
