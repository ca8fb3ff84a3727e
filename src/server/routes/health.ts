import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { migrationStatus } from '../../store/migrate.js';
import { Problem } from '../schemas.js';

/** Liveness, readiness and Prometheus metrics: outside /api/v1, unauthenticated. */
export const healthRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/healthz', { schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } }, config: { permission: 'public' } }, async () => ({ status: 'ok' as const }));

  app.get(
    '/readyz',
    { schema: { hide: true, response: { 200: z.object({ status: z.literal('ready'), database: z.string(), migrations: z.number() }), 503: Problem } }, config: { permission: 'public' } },
    async (_req, reply) => {
      try {
        await ctx.db.ping();
        const s = await migrationStatus(ctx.db);
        if (s.pending.length > 0) {
          return reply.code(503).type('application/problem+json').send({ type: 'urn:vigil:problem:unavailable', title: 'Service unavailable', status: 503, detail: `migrations pending: ${s.pending.join(', ')}`, instance: '/readyz', requestId: _req.id });
        }
        return { status: 'ready' as const, database: ctx.db.kind, migrations: s.applied.length };
      } catch (err) {
        _req.log.warn({ err }, 'readiness check failed');
        return reply.code(503).type('application/problem+json').send({ type: 'urn:vigil:problem:unavailable', title: 'Service unavailable', status: 503, detail: 'database unreachable', instance: '/readyz', requestId: _req.id });
      }
    },
  );

  app.get('/metrics', { schema: { hide: true }, config: { permission: 'public' } }, async (_req, reply) => {
    const body = await ctx.metrics.registry.metrics();
    return reply.type(ctx.metrics.registry.contentType).send(body);
  });
};
