import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { ACCOUNT_PROVIDERS, listTargets, TARGET_SORT_FIELDS } from '../../store/repos/postureTargets.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, pageOf, pageQuery, problems } from '../schemas.js';
import { csvEnum, TargetListQuery, TargetOut } from './clustersSchemas.js';
import { targetScanRoutes } from './clustersScans.js';
import { targetDetailRoutes } from './clustersTargets.js';

/**
 * The cloud accounts of the registry (issue 7, section 6): AWS accounts, Azure subscriptions
 * and GCP projects; list, one account with its trend, its compliance (clustersTargets.ts).
 * Accounts are registered by their scans (`POST /scans`).
 */
export const accountsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/accounts',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['accounts'],
        summary: 'List cloud accounts (AWS accounts, Azure subscriptions, GCP projects) with their latest scan',
        querystring: z.strictObject({
          ...pageQuery(TARGET_SORT_FIELDS, 'name'),
          ...TargetListQuery,
          provider: csvEnum(ACCOUNT_PROVIDERS).optional().describe('Providers, comma-separated: aws, azure, gcp'),
        }),
        response: { 200: pageOf(TargetOut), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      return ctx.db.tenant(principalOf(req).tenantId, (q) => listTargets(q, 'accounts', filter, { limit, cursor, sort }));
    },
  );

  await app.register(targetDetailRoutes('accounts'), { ctx });
  await app.register(targetScanRoutes('accounts'), { ctx });
};
