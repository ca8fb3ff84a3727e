import { z } from 'zod';
import { JOB_STATUSES, type Job } from '../../jobs/queue.js';

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
