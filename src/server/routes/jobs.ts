import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound, VigilError } from '../../core/errors.js';
import { JOB_STATUSES, type Job } from '../../jobs/queue.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, pageOf, pageQuery, problems } from '../schemas.js';

export const JobOut = z
  .object({
    id: z.uuid(),
    type: z.string(),
    status: z.enum(JOB_STATUSES),
    payload: z.unknown(),
    priority: z.number().int(),
    attempts: z.number().int().describe('Attempts started so far'),
    maxAttempts: z.number().int(),
    runAt: z.string().describe('Not before this time (the next attempt, when queued for a retry)'),
    progress: z
      .object({ done: z.number(), total: z.number().nullable(), message: z.string().nullable() })
      .nullable()
      .describe('Last progress reported by the handler'),
    result: z.unknown().describe('What the handler returned (or attached to its failure)'),
    lastError: z.string().nullable(),
    cancelRequested: z.boolean(),
    dedupeKey: z.string().nullable(),
    createdAt: z.string(),
    startedAt: z.string().nullable().describe('When the latest attempt started'),
    finishedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Job' });

/** What a tenant sees of a job: not which worker holds it. */
export const jobOut = (j: Job): z.infer<typeof JobOut> => ({
  id: j.id,
  type: j.type,
  status: j.status,
  payload: j.payload,
  priority: j.priority,
  attempts: j.attempts,
  maxAttempts: j.maxAttempts,
  runAt: j.runAt,
  progress: j.progress,
  result: j.result,
  lastError: j.lastError,
  cancelRequested: j.cancelRequested,
  dedupeKey: j.dedupeKey,
  createdAt: j.createdAt,
  startedAt: j.startedAt,
  finishedAt: j.finishedAt,
  updatedAt: j.updatedAt,
});

/**
 * A tenant's jobs. Every query runs through the tenant door, so row-level security hides
 * system jobs (maintenance) and other tenants' jobs: their ids answer 404 like unknown ones.
 */
export const jobsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
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
        body: z.strictObject({
          type: z.string().min(1).max(100),
          payload: z.record(z.string(), z.unknown()).default({}),
          dedupeKey: z.string().min(1).max(200).optional().describe('While a job with this key is queued or running, return it instead'),
          priority: z.number().int().min(-100).max(100).optional().describe('Higher runs first (default 0)'),
        }),
        response: { 200: JobOut, 201: JobOut, ...problems(...AUTHED) },
      },
    },
    async (req, reply) => {
      const { type, payload, ...opts } = req.body;
      const { job, created } = await ctx.jobs.enqueueForTenant(principalOf(req).tenantId, type, payload, opts);
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
