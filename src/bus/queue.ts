import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { z } from 'zod';
import { defineHandler, JobError, type JobHandler } from '../jobs/handlers.js';
import { insertJob, jsonParam } from '../jobs/queue.js';
import type { Database } from '../store/db.js';
import type { BatchHandler, Bus, SubscribeOptions } from './types.js';

/**
 * The bus across processes, carried by the PostgreSQL job queue (src/jobs/queue.ts): each
 * batch of messages becomes one `bus.deliver` system job, which any process running a job
 * runner with the consumer registered (`vigil worker`, `vigil serve`) picks up with
 * `FOR UPDATE SKIP LOCKED`. Delivery is at least once (a worker that dies after its commit
 * but before the job is marked done leaves the batch to be delivered again): each batch
 * carries a stable id for the consumer to apply it once.
 *
 * The producer keeps at most `maxPending` batches in flight per topic (backpressure, so memory
 * and the jobs table stay bounded) and, while it waits, helps: a batch no worker took within
 * `selfConsumeAfterMs` is claimed and consumed by the producer itself, so an import finishes
 * with no worker running at all (the embedded database, or a lone `vigil db import`), and
 * goes faster with every worker added. Delivered batches' jobs are deleted by the producer
 * (a crashed producer's are purged by `jobs.purge`). NATS JetStream and Kafka adapters will
 * implement the same Bus interface.
 */
export const BUS_DELIVER = 'bus.deliver';

export interface QueueBusOptions {
  /** Messages per job (default 500). */
  readonly batchSize?: number;
  /** A batch is sent once its messages' estimated size reaches this many bytes (default 4 MiB). */
  readonly maxBatchBytes?: number;
  /** Estimated size of one message (default 1 KiB each). */
  readonly sizeOf?: (message: unknown) => number;
  /** Batches in flight per topic before publish waits (default 4). */
  readonly maxPending?: number;
  /** How often in-flight batches are looked at (default 100 ms). */
  readonly pollMs?: number;
  /** A batch still queued this long is consumed by the producer itself (default 1 s; Infinity: never). */
  readonly selfConsumeAfterMs?: number;
  /** Attempts a worker makes at a batch (default 5). */
  readonly maxAttempts?: number;
  /** Called after a batch is enqueued (wakes this process's runners). */
  readonly onEnqueued?: () => void;
}

interface Pending {
  readonly jobId: string;
  readonly since: number;
}

interface TopicState {
  buffer: unknown[];
  bytes: number;
  readonly pending: Map<string, Pending>;
  error: Error | undefined;
}

const deliverPayload = z.object({
  topic: z.string().min(1).max(200),
  batchId: z.string().min(1).max(100),
  messages: z.array(z.unknown()),
});
type DeliverPayload = z.infer<typeof deliverPayload>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class QueueBus implements Bus {
  private readonly topics = new Map<string, TopicState>();
  private readonly consumers = new Map<string, BatchHandler<unknown>>();
  private readonly o: Required<Omit<QueueBusOptions, 'onEnqueued'>> & Pick<QueueBusOptions, 'onEnqueued'>;
  private readonly workerId = `${hostname()}:${process.pid}:bus-${randomUUID().slice(0, 6)}`;

  constructor(private readonly db: Database, opts: QueueBusOptions = {}) {
    this.o = {
      batchSize: Math.max(1, opts.batchSize ?? 500),
      maxBatchBytes: opts.maxBatchBytes ?? 4 * 1024 * 1024,
      sizeOf: opts.sizeOf ?? (() => 1024),
      maxPending: Math.max(1, opts.maxPending ?? 4),
      pollMs: opts.pollMs ?? 100,
      selfConsumeAfterMs: opts.selfConsumeAfterMs ?? 1000,
      maxAttempts: opts.maxAttempts ?? 5,
      onEnqueued: opts.onEnqueued,
    };
  }

  private topic(name: string): TopicState {
    let t = this.topics.get(name);
    if (!t) {
      t = { buffer: [], bytes: 0, pending: new Map(), error: undefined };
      this.topics.set(name, t);
    }
    return t;
  }

  async publish<T>(topic: string, payload: T): Promise<void> {
    const t = this.topic(topic);
    if (t.error) throw t.error;
    t.buffer.push(payload);
    t.bytes += this.o.sizeOf(payload);
    if (t.buffer.length >= this.o.batchSize || t.bytes >= this.o.maxBatchBytes) await this.send(topic, t);
  }

  /** Registers this process's consumer of `topic`: the `bus.deliver` handler (and the producer's self-help) call it. */
  subscribe<T>(topic: string, handler: BatchHandler<T>, _opts?: SubscribeOptions): void {
    if (this.consumers.has(topic)) throw new Error(`topic ${topic} already has a consumer`);
    this.consumers.set(topic, handler as BatchHandler<unknown>);
  }

  async drain(topic: string): Promise<void> {
    const t = this.topic(topic);
    if (t.error) throw t.error;
    await this.send(topic, t);
    while (t.pending.size > 0) await this.settle(topic, t);
  }

  async close(): Promise<void> {
    for (const name of this.topics.keys()) await this.drain(name).catch(() => undefined);
    this.topics.clear();
  }

  /** The `bus.deliver` job handler: hands a batch to this process's consumer of its topic. */
  handlers(): JobHandler[] {
    return [
      defineHandler<DeliverPayload>({
        type: BUS_DELIVER,
        description: 'Deliver a batch of bus messages (e.g. feed records) to its consumer',
        timeoutSeconds: 600,
        maxAttempts: this.o.maxAttempts,
        payload: deliverPayload,
        run: async ({ payload }) => {
          const consumer = this.consumers.get(payload.topic);
          // Retryable: another process may have the consumer.
          if (!consumer) throw new JobError(`no consumer for bus topic ${payload.topic} in this process`);
          await consumer(payload.messages, { id: payload.batchId });
          return { topic: payload.topic, messages: payload.messages.length };
        },
      }),
    ];
  }

  /** Enqueues the buffered messages as one batch, first waiting for room. */
  private async send(topic: string, t: TopicState): Promise<void> {
    if (t.buffer.length === 0) return;
    while (t.pending.size >= this.o.maxPending) await this.settle(topic, t);
    const messages = t.buffer;
    t.buffer = [];
    t.bytes = 0;
    const batchId = randomUUID();
    const { job } = await this.db.system((q) => insertJob(q, null, BUS_DELIVER, { topic, batchId, messages }, { maxAttempts: this.o.maxAttempts }));
    t.pending.set(job.id, { jobId: job.id, since: performance.now() });
    this.o.onEnqueued?.();
  }

  /**
   * Waits a little, then looks at the batches in flight: finished ones are forgotten (and
   * their jobs deleted), a failed one fails the topic, and the oldest one still queued past
   * `selfConsumeAfterMs` is consumed here.
   */
  private async settle(topic: string, t: TopicState): Promise<void> {
    const ids = [...t.pending.keys()];
    const { rows } = await this.db.system((q) =>
      q.query<{ id: string; status: string; last_error: string | null }>('SELECT id, status, last_error FROM jobs WHERE id = ANY($1::text[]::uuid[])', [ids]),
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const done: string[] = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (!row || row.status === 'succeeded') {
        t.pending.delete(id);
        done.push(id);
      } else if (row.status === 'failed' || row.status === 'cancelled') {
        t.pending.delete(id);
        t.error ??= new Error(`bus batch (job ${id}) on ${topic} ${row.status}: ${row.last_error ?? 'no error recorded'}`);
      }
    }
    if (done.length > 0) await this.db.system((q) => q.query("DELETE FROM jobs WHERE id = ANY($1::text[]::uuid[]) AND status = 'succeeded'", [done]));
    if (t.error) await this.fail(t, t.error);
    if (done.length > 0) return;
    const stale = [...t.pending.values()].find((p) => byId.get(p.jobId)?.status === 'queued' && performance.now() - p.since >= this.o.selfConsumeAfterMs);
    if (stale && this.consumers.has(topic)) {
      await this.consumeHere(topic, t, stale.jobId);
      return;
    }
    await sleep(this.o.pollMs);
  }

  /**
   * The topic has failed: batches of ours still queued are cancelled (nobody should store
   * the rest of a failed import later), and the error is thrown to the producer.
   */
  private async fail(t: TopicState, err: Error): Promise<never> {
    t.error = err;
    const ids = [...t.pending.keys()];
    t.pending.clear();
    if (ids.length > 0) {
      await this.db
        .system((q) =>
          q.query(
            "UPDATE jobs SET status = 'cancelled', cancel_requested = true, finished_at = now(), updated_at = now() WHERE id = ANY($1::text[]::uuid[]) AND status = 'queued'",
            [ids],
          ),
        )
        // The consumer's error is the one to report; should this clean-up fail too, the
        // batches left queued are stored later by a worker, never lost or half-applied.
        .catch(() => undefined);
    }
    throw err;
  }

  /** Claims a still-queued batch of ours and consumes it in this process. */
  private async consumeHere(topic: string, t: TopicState, jobId: string): Promise<void> {
    const { rows } = await this.db.system((q) =>
      q.query<{ payload: unknown }>(
        `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2, locked_until = now() + interval '10 minutes',
                started_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'queued' RETURNING payload`,
        [jobId, this.workerId],
      ),
    );
    if (!rows[0]) return; // a worker took it meanwhile
    const payload = deliverPayload.parse(rows[0].payload);
    try {
      await this.consumers.get(topic)!(payload.messages, { id: payload.batchId });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.db.system((q) =>
        q.query("UPDATE jobs SET status = 'failed', last_error = $2, finished_at = now(), updated_at = now(), result = $3::text::jsonb WHERE id = $1", [
          jobId,
          message,
          jsonParam({ consumedBy: this.workerId }),
        ]),
      );
      t.pending.delete(jobId);
      await this.fail(t, t.error ?? (err instanceof Error ? err : new Error(message)));
    }
    await this.db.system((q) => q.query('DELETE FROM jobs WHERE id = $1', [jobId]));
    t.pending.delete(jobId);
  }
}
