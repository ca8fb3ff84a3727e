/**
 * The bus between collectors and processors: topics, batches, at-least-once delivery,
 * backpressure. In-process by default (memory.ts); across processes the same interface is
 * served by the PostgreSQL job queue, and later NATS JetStream / Kafka adapters.
 */
export interface Bus {
  /** Resolves once the message is accepted; waits while the topic is full (backpressure). */
  publish<T>(topic: string, payload: T): Promise<void>;
  /** One consumer per topic; the handler gets batches and must be idempotent. */
  subscribe<T>(topic: string, handler: BatchHandler<T>, opts?: SubscribeOptions): void;
  /** Resolves when everything published so far on the topic was handled; rejects with the first handler error. */
  drain(topic: string): Promise<void>;
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Largest batch handed to the handler (default 500). */
  readonly batchSize?: number;
  /**
   * How long a partial batch may wait for more messages before it is handled anyway (default
   * 50 ms). A full batch, or a `drain`, hands it over at once: a consumer faster than its
   * producer then writes full batches instead of one message at a time.
   */
  readonly maxWaitMs?: number;
}

/** What a consumer learns about a batch besides its messages. */
export interface BatchMeta {
  /**
   * Set by buses that may deliver a batch more than once (the queue bus): the same id on
   * every delivery, so a consumer can apply the batch once in its own transaction.
   */
  readonly id?: string | undefined;
}

export type BatchHandler<T> = (batch: T[], meta: BatchMeta) => Promise<void>;
