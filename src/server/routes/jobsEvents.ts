import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { VigilError } from '../../core/errors.js';
import type { Job } from '../../jobs/queue.js';
import { jobsForNewStream, JobWatcher, type JobEvent } from '../../jobs/watch.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, problems } from '../schemas.js';
import { jobOut } from './jobSchemas.js';

/** A comment line every this often keeps proxies and browsers from dropping an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** What the browser waits before reconnecting (the `retry:` field). */
const RETRY_MS = 3000;
/** Jobs sent on connect at most; beyond, a `resync` event tells the client to reload the list. */
const SNAPSHOT_LIMIT = 200;
/** A client that reads slower than this much buffered output is dropped (it reconnects and gets a snapshot). */
const MAX_BUFFERED = 1 << 20;

/** The watcher behind each app's stream (by context), for tests and diagnostics. */
const WATCHERS = new WeakMap<AppContext, JobWatcher>();
export const jobWatcherOf = (ctx: AppContext): JobWatcher | undefined => WATCHERS.get(ctx);

/** One server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html); data is one JSON line. */
export function sseEvent(event: string, data: unknown, id?: string): string {
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

const jobEvent = (j: Job): string => sseEvent('job', jobOut(j), j.updatedAt);

/** Last-Event-ID is the `updatedAt` of the last job event the client received; anything else is ignored. */
function lastEventTime(header: string | string[] | undefined): Date | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v || v.length > 40) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) || !/^\d{4}-\d\d-\d\dT/.test(v) ? undefined : new Date(t);
}

/**
 * `GET /jobs/events`: the tenant's job changes as server-sent events, from one poller per
 * process (jobs/watch.ts). On connect: `retry`, then a `job` event per unfinished job (and per
 * job changed since `Last-Event-ID`); then a `job` event whenever one of the tenant's jobs is
 * created or changes, a `resync` event when too many changed at once to send, and a comment
 * every 15 s. Streams are bounded per tenant (429) and per process (503).
 */
export const jobsEventsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const watcher = new JobWatcher(ctx.db, ctx.logger.child({ component: 'job-events' }));
  WATCHERS.set(ctx, watcher);
  /** Open streams and when each was opened. */
  const streams = new Map<PassThrough, number>();
  /**
   * Credentials are checked when a stream opens; a stream ends after the access token's
   * lifetime (at least a minute) so a revoked or expired session stops receiving events then.
   * The browser reconnects by itself, with Last-Event-ID, and is authenticated again.
   */
  const lifetimeMs = Math.max(60, ctx.config.accessTokenTtl) * 1000;
  let heartbeat: NodeJS.Timeout | undefined;
  const beat = (): void => {
    const now = Date.now();
    for (const [s, openedAt] of streams) {
      if (s.writableEnded) continue;
      if (now - openedAt >= lifetimeMs) s.end();
      else s.write(': heartbeat\n\n');
    }
  };

  app.addHook('preClose', async () => {
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
    for (const s of streams.keys()) s.end();
    streams.clear();
    await watcher.stop();
  });

  app.get(
    '/jobs/events',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['jobs'],
        summary: "My tenant's job changes, live (server-sent events)",
        description: [
          'A `text/event-stream` (use `EventSource`, or send `Accept: text/event-stream`; without that header the answer is the connect-time events only and then ends). On connect: a `job` event for every queued or running job, and for every job changed after the `Last-Event-ID` header when the browser reconnects with one.',
          'Then a `job` event whenever a job of the tenant is created or changes (status, progress, result, cancel), within about a second, whichever process made the change; `data` is the Job as `GET /jobs/{id}` returns it and `id` its `updatedAt`.',
          'A `resync` event (`data: {}`) means more changed at once than is sent one by one: reload `GET /jobs`. A comment line (`: heartbeat`) comes every 15 s. The stream ends after the access token lifetime (VIGIL_ACCESS_TOKEN_TTL, at least a minute); EventSource reconnects by itself.',
          `At most ${watcher.limits.maxPerTenant} streams per tenant (429 beyond) and ${watcher.limits.maxTotal} per server process (503 beyond).`,
        ].join('\n\n'),
        headers: z.object({ 'last-event-id': z.string().max(100).optional().describe('`id` of the last event received (sent by EventSource on reconnect)') }),
        response: {
          200: { description: 'The event stream (never ends by itself)', content: { 'text/event-stream': { schema: z.string().describe('`event: job` / `event: resync` server-sent events') } } },
          ...problems(...AUTHED, 503),
        },
      },
    },
    async (req, reply) => {
      const tenantId = principalOf(req).tenantId;
      const sse = (r: FastifyReply): FastifyReply =>
        r
          .header('content-type', 'text/event-stream; charset=utf-8')
          .header('cache-control', 'no-cache, no-transform')
          // nginx and similar proxies would otherwise hold events back in their buffer.
          .header('x-accel-buffering', 'no');
      const raw: FastifyReply = reply; // the schema documents the stream for OpenAPI; the body is the stream itself
      if (!/\btext\/event-stream\b/i.test(req.headers.accept ?? '')) {
        // Not an EventSource (a script, curl without the header): one look, then the end.
        const first = await jobsForNewStream(ctx.db, tenantId, lastEventTime(req.headers['last-event-id']), SNAPSHOT_LIMIT);
        return sse(raw).send([...(first.complete ? [] : [sseEvent('resync', {})]), ...first.jobs.map(jobEvent)].join(''));
      }
      const stream = new PassThrough();
      let ready = false;
      const pending: JobEvent[] = [];
      const write = (e: JobEvent): void => {
        if (stream.writableEnded) return;
        if (stream.writableLength > MAX_BUFFERED) {
          stream.end();
          return;
        }
        stream.write(e.kind === 'job' ? jobEvent(e.job) : sseEvent('resync', {}));
      };
      const sub = watcher.subscribe(tenantId, (e) => {
        if (ready) write(e);
        else pending.push(e);
      });
      if (!sub.ok) {
        if (sub.reason === 'tenant-limit') {
          throw new VigilError('too-many-requests', `this tenant already has ${watcher.limits.maxPerTenant} job streams open: close a tab or use GET /jobs`, { headers: { 'retry-after': '30' } });
        }
        throw new VigilError('unavailable', `the server has ${watcher.limits.maxTotal} job streams open: try again shortly or use GET /jobs`, { headers: { 'retry-after': '30' } });
      }
      let closed = false;
      const cleanup = (): void => {
        closed = true;
        sub.close();
        streams.delete(stream);
        if (streams.size === 0 && heartbeat) {
          clearInterval(heartbeat);
          heartbeat = undefined;
        }
        if (!stream.writableEnded) stream.end();
      };
      // The client went away (or the server ended the stream): stop delivering at once.
      reply.raw.on('close', cleanup);
      stream.on('close', cleanup);
      stream.on('error', cleanup);
      try {
        const first = await jobsForNewStream(ctx.db, tenantId, lastEventTime(req.headers['last-event-id']), SNAPSHOT_LIMIT);
        stream.write(`retry: ${RETRY_MS}\n\n`);
        if (!first.complete) stream.write(sseEvent('resync', {}));
        for (const j of first.jobs) stream.write(jobEvent(j));
      } catch (err) {
        cleanup();
        throw err;
      }
      // Gone while the snapshot was read: nothing to keep.
      if (closed) return raw.code(204).send();
      ready = true;
      for (const e of pending.splice(0)) write(e);
      streams.set(stream, Date.now());
      heartbeat ??= setInterval(beat, HEARTBEAT_MS).unref();
      return sse(raw).send(stream);
    },
  );
};
