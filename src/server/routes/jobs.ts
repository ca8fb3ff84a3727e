import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound, VigilError } from '../../core/errors.js';
import { FEEDS_SYNC } from '../../jobs/feeds.js';
import { startFeedSync } from '../../jobs/feedSync.js';
import { JOB_STATUSES } from '../../jobs/queue.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, pageOf, pageQuery, problems } from '../schemas.js';
import { JobOut, jobOut } from './jobSchemas.js';
import { jobsEventsRoutes } from './jobsEvents.js';

export { JobOut, jobOut } from './jobSchemas.js';

const JobTypeOut = z
  .object({
    type: z.string(),
    description: z.string(),
    maxRunning: z.number().int().nullable().describe('At most this many run at once on the whole server (null: no cap)'),
    payload: z.unknown().describe('JSON Schema of the payload'),
  })
  .meta({ id: 'JobType' });

/**
 * A tenant's jobs. Every query runs through the tenant door, so row-level security hides
 * system jobs (maintenance) and other tenants' jobs: their ids answer 404 like unknown ones.
 */
export const jobsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  await jobsEventsRoutes(app, { ctx });

  app.get(
    '/jobs/types',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['jobs'],
        summary: 'The job types my tenant’s admins may start with POST /jobs, with their payload schemas',
        response: { 200: z.object({ items: z.array(JobTypeOut) }), ...problems(...AUTHED) },
      },
    },
    async () => ({
      items: ctx.jobs.tenantTypes().map((type) => {
        const h = ctx.jobs.handlers.get(type)!;
        return { type, description: h.description, maxRunning: h.maxRunning ?? null, payload: h.payload ? z.toJSONSchema(h.payload, { io: 'input', unrepresentable: 'any' }) : { type: 'object' } };
      }),
    }),
  );
  app.get(
    '/jobs',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['jobs'],
        summary: "List my tenant's jobs (newest first by default)",
        querystring: z.strictObject({
          ...pageQuery(['createdAt'], '-createdAt'),
          status: z.enum(JOB_STATUSES).optional(),
          type: z.string().max(100).optional().describe('Exact job type'),
        }),
        response: { 200: pageOf(JobOut), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      const page = await ctx.jobs.queue.list(principalOf(req).tenantId, filter, { limit, cursor, sort });
      return { items: page.items.map(jobOut), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/jobs/:id',
    { config: { permission: 'read' }, schema: { tags: ['jobs'], summary: 'Get a job: status, progress, result', params: IdParams, response: { 200: JobOut, ...problems(...AUTHED, 404) } } },
    async (req) => {
      const job = await ctx.jobs.queue.get(principalOf(req).tenantId, req.params.id);
      if (!job) throw notFound('job');
      return jobOut(job);
    },
  );

  app.post(
    '/jobs',
    {
      config: { permission: 'admin' },
      schema: {
        tags: ['jobs'],
        summary: 'Start a job of a type tenants may start (201; 200 with the existing job when the dedupe key matches an unfinished one)',
        description:
          '`GET /jobs/types` lists the types. `feeds.sync` (payload `{ "sources": ["kev", …] }`, empty for every feed) updates the advisory database every tenant shares: one runs at a time for the whole server, so while another tenant’s (or the scheduled) sync is queued or running the answer is 409, and my own unfinished one is returned with 200. A server that reaches no feed host fails the job at once with a message saying so.',
        body: z.strictObject({
          type: z.string().min(1).max(100),
          payload: z.record(z.string(), z.unknown()).default({}),
          dedupeKey: z.string().min(1).max(200).optional().describe('While a job with this key is queued or running, return it instead'),
          priority: z.number().int().min(-100).max(100).optional().describe('Higher runs first (default 0)'),
        }),
        response: { 200: JobOut, 201: JobOut, ...problems(...AUTHED, 409) },
      },
    },
    async (req, reply) => {
      const { type, payload, ...opts } = req.body;
      const tenantId = principalOf(req).tenantId;
      const { job, created } = type === FEEDS_SYNC ? await startFeedSync(ctx.jobs, ctx.db, tenantId, payload, { online: ctx.config.feedSyncOnline }) : await ctx.jobs.enqueueForTenant(tenantId, type, payload, opts);
      return reply.code(created ? 201 : 200).send(jobOut(job));
    },
  );

  app.post(
    '/jobs/:id/cancel',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['jobs'],
        summary: 'Cancel a job: a queued one at once, a running one at its next check (cancelRequested); 409 when it already finished',
        params: IdParams,
        response: { 200: JobOut, ...problems(...AUTHED, 404, 409) },
      },
    },
    async (req) => {
      const res = await ctx.jobs.queue.cancel(principalOf(req).tenantId, req.params.id);
      if (!res) throw notFound('job');
      if (res.outcome === 'already-finished' && res.job.status !== 'cancelled') {
        throw new VigilError('conflict', `the job already ${res.job.status === 'succeeded' ? 'succeeded' : 'failed'}`);
      }
      return jobOut(res.job);
    },
  );
};
