import type { BatchHandler, Bus, SubscribeOptions } from './types.js';

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(typeof e === 'string' ? e : 'bus consumer failed'));

interface Topic {
  queue: unknown[];
  handler?: BatchHandler<unknown>;
  batchSize: number;
  maxWaitMs: number;
  running: boolean;
  error: unknown;
  /** Pending hand-over of a partial batch (see SubscribeOptions.maxWaitMs). */
  timer: NodeJS.Timeout | undefined;
  /** Resolvers waiting for room (publishers) or for an empty queue (drain). */
  roomWaiters: (() => void)[];
  idleWaiters: { resolve: () => void; reject: (e: unknown) => void }[];
}

/**
 * The in-process bus: a bounded queue per topic with one batching consumer. A publisher waits
 * while the queue holds `highWaterMark` messages, so a fast parser cannot outrun the database
 * and memory stays flat however large the input. The consumer gets full batches: a partial
 * batch waits up to `maxWaitMs` for more messages, unless someone drains the topic. While the
 * consumer handles one batch, publishers fill the next (the two overlap). A handler error
 * stops the topic and is reported to `drain` and to later publishers.
 */
export class MemoryBus implements Bus {
  private readonly topics = new Map<string, Topic>();

  constructor(private readonly highWaterMark = 2000) {}

  private topic(name: string): Topic {
    let t = this.topics.get(name);
    if (!t) {
      t = { queue: [], batchSize: 500, maxWaitMs: 50, running: false, error: undefined, timer: undefined, roomWaiters: [], idleWaiters: [] };
      this.topics.set(name, t);
    }
    return t;
  }

  async publish<T>(topic: string, payload: T): Promise<void> {
    const t = this.topic(topic);
    while (t.queue.length >= this.highWaterMark && t.error === undefined) {
      await new Promise<void>((resolve) => t.roomWaiters.push(resolve));
    }
    if (t.error !== undefined) throw asError(t.error);
    t.queue.push(payload);
    this.pump(t);
  }

  subscribe<T>(topic: string, handler: BatchHandler<T>, opts: SubscribeOptions = {}): void {
    const t = this.topic(topic);
    if (t.handler) throw new Error(`topic ${topic} already has a consumer`);
    t.handler = handler as BatchHandler<unknown>;
    t.batchSize = Math.max(1, opts.batchSize ?? 500);
    t.maxWaitMs = Math.max(0, opts.maxWaitMs ?? 50);
    this.pump(t);
  }

  drain(topic: string): Promise<void> {
    const t = this.topic(topic);
    if (t.error !== undefined) return Promise.reject(asError(t.error));
    if (t.queue.length === 0 && !t.running) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => t.idleWaiters.push({ resolve, reject }));
    this.pump(t);
    return done;
  }

  async close(): Promise<void> {
    for (const name of this.topics.keys()) await this.drain(name).catch(() => undefined);
    for (const t of this.topics.values()) clearTimeout(t.timer);
    this.topics.clear();
  }

  private pump(t: Topic): void {
    if (t.running || !t.handler || t.error !== undefined) return;
    if (t.queue.length === 0) {
      t.idleWaiters.splice(0).forEach((w) => w.resolve());
      return;
    }
    // A full batch (or a full queue, should batches be larger than it) goes at once, and so
    // does anything when someone waits in drain; a partial batch waits a little for more.
    const full = t.queue.length >= Math.min(t.batchSize, this.highWaterMark);
    if (!full && t.idleWaiters.length === 0) {
      t.timer ??= setTimeout(() => {
        t.timer = undefined;
        this.handle(t);
      }, t.maxWaitMs);
      return;
    }
    clearTimeout(t.timer);
    t.timer = undefined;
    t.running = true;
    // Handled on a later turn, never inside the publish() call that filled the batch.
    setImmediate(() => this.handle(t));
  }

  private handle(t: Topic): void {
    if (t.error !== undefined || !t.handler) return;
    const batch = t.queue.splice(0, t.batchSize);
    if (batch.length === 0) {
      t.running = false;
      this.pump(t);
      return;
    }
    t.running = true;
    t.roomWaiters.splice(0).forEach((w) => w());
    t.handler(batch, {}).then(
      () => {
        t.running = false;
        this.pump(t);
      },
      (err: unknown) => {
        t.running = false;
        t.error = err;
        t.queue.length = 0;
        t.roomWaiters.splice(0).forEach((w) => w());
        t.idleWaiters.splice(0).forEach((w) => w.reject(asError(err)));
      },
    );
  }
}
