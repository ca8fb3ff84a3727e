import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { VERSION } from '../version.js';

/**
 * The HTTP edge of the feed syncs: conditional GETs, downloads streamed to a file under a size
 * limit, bounded retries with backoff, and a sliding-window rate limiter. The fetch function
 * and the clock are passed in (tests drive them); nothing here reaches the network unless a
 * sync was asked for.
 */

/** Node's global fetch (undici), or a test's. */
export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it fires first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(abortReason(signal));
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, ms));
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

function abortReason(signal: AbortSignal | undefined): Error {
  const r: unknown = signal?.reason;
  return r instanceof Error ? r : new Error('cancelled');
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** First backoff; doubles each retry. */
  readonly baseMs: number;
  /** Longest single wait, also the cap on a server's Retry-After. */
  readonly maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseMs: 2000, maxMs: 60_000 };

export interface HttpClient {
  readonly fetch: FetchFn;
  readonly clock: Clock;
  readonly userAgent: string;
  readonly retry: RetryPolicy;
}

export function createHttpClient(opts: Partial<HttpClient> = {}, env: NodeJS.ProcessEnv = process.env): HttpClient {
  return {
    fetch: opts.fetch ?? (proxyConfigured(env) ? proxiedFetch(env) : (url, init) => fetch(url, init)),
    clock: opts.clock ?? systemClock,
    userAgent: opts.userAgent ?? `vigil/${VERSION}`,
    retry: opts.retry ?? DEFAULT_RETRY,
  };
}

/** The proxy variables curl and most tools honour (upper or lower case). */
const PROXY_VARS = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

export const proxyConfigured = (env: NodeJS.ProcessEnv): boolean => PROXY_VARS.some((v) => Boolean(env[v]));

/**
 * Node 20's fetch ignores HTTP(S)_PROXY: with a proxy configured, requests go through
 * undici's EnvHttpProxyAgent (which also honours NO_PROXY), with undici's own fetch so the
 * agent and the client are the same version. Loaded only when a proxy is set.
 */
function proxiedFetch(env: NodeJS.ProcessEnv): FetchFn {
  let ready: Promise<FetchFn> | undefined;
  const load = async (): Promise<FetchFn> => {
    const undici = await import('undici');
    const pick = (upper: string) => env[upper] ?? env[upper.toLowerCase()];
    const agent = new undici.EnvHttpProxyAgent({ httpProxy: pick('HTTP_PROXY'), httpsProxy: pick('HTTPS_PROXY') ?? pick('HTTP_PROXY'), noProxy: pick('NO_PROXY') });
    return (url, init) => undici.fetch(url, { ...(init as Parameters<typeof undici.fetch>[1]), dispatcher: agent });
  };
  return async (url, init) => (await (ready ??= load()))(url, init);
}

/** A request that failed for good: names the URL and, when there was one, the HTTP status. */
export class FeedHttpError extends Error {
  constructor(
    readonly url: string,
    readonly status: number | null,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FeedHttpError';
  }
}

/** Statuses worth another attempt: rate limits (NVD answers 403) and passing server trouble. */
const RETRY_STATUS = new Set([403, 429, 500, 502, 503, 504]);

/** Allows at most `limit` requests per rolling `windowMs`, counted from when each one finished. */
export class SlidingWindowLimiter {
  /** One slot per recent request: when it finished (Infinity while it is under way). */
  private slots: { at: number }[] = [];

  constructor(
    private readonly clock: Clock,
    readonly limit: number,
    readonly windowMs: number,
  ) {
    if (!(limit >= 1) || !(windowMs > 0)) throw new RangeError('limiter: limit must be >= 1 and windowMs > 0');
  }

  /**
   * Waits for a slot, then returns the function to call when the request is over: the slot is
   * stamped with that time, so a slow response cannot let the next requests arrive early.
   */
  async acquire(signal?: AbortSignal, onWait?: (ms: number) => void): Promise<() => void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      this.slots = this.slots.filter((s) => s.at > now - this.windowMs);
      if (this.slots.length < this.limit) {
        const slot = { at: Infinity };
        this.slots.push(slot);
        return () => {
          slot.at = this.clock.now();
        };
      }
      const oldest = Math.min(...this.slots.map((s) => s.at));
      const wait = Number.isFinite(oldest) ? Math.max(1, oldest + this.windowMs - now) : this.windowMs;
      onWait?.(wait);
      await this.clock.sleep(wait, signal);
    }
  }
}

export interface Validators {
  readonly etag?: string | undefined;
  readonly lastModified?: string | undefined;
}

export interface RequestOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal | undefined;
  /** ETag / Last-Modified of the copy we hold: sent as If-None-Match / If-Modified-Since. */
  readonly validators?: Validators | undefined;
  readonly limiter?: SlidingWindowLimiter | undefined;
  /** Told about every wait (rate limit or backoff), for progress reports. */
  readonly onWait?: ((ms: number, why: string) => void) | undefined;
}

function headersFor(client: HttpClient, opts: RequestOptions): Record<string, string> {
  const h: Record<string, string> = { 'user-agent': client.userAgent, ...opts.headers };
  if (opts.validators?.etag) h['if-none-match'] = opts.validators.etag;
  if (opts.validators?.lastModified) h['if-modified-since'] = opts.validators.lastModified;
  return h;
}

function retryAfterMs(res: Response, now: number): number | undefined {
  const v = res.headers.get('retry-after');
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const describe = (res: Response): string => {
  const why = res.headers.get('message') ?? res.headers.get('x-error-message');
  return `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${why ? ` (${why.slice(0, 200)})` : ''}`;
};

/** A failure inside one attempt that another attempt may cure. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly delayMs?: number,
  ) {
    super(message);
  }
}

/**
 * Runs `once` until it succeeds, a failure is final, or the attempts run out. Network errors,
 * the statuses in RETRY_STATUS and a body cut short are retried after exponential backoff
 * (or the server's Retry-After, capped); the final error names the URL and the status.
 */
async function withRetries<T>(client: HttpClient, url: string, opts: RequestOptions, once: () => Promise<T>): Promise<T> {
  const { attempts, baseMs, maxMs } = client.retry;
  for (let attempt = 1; ; attempt++) {
    opts.signal?.throwIfAborted();
    try {
      return await once();
    } catch (err) {
      if (opts.signal?.aborted) throw abortReason(opts.signal);
      if (err instanceof FeedHttpError) throw err;
      if (!(err instanceof Retryable)) throw new FeedHttpError(url, null, `GET ${url}: ${(err as Error).message}`, { cause: err });
      if (attempt >= attempts) {
        throw new FeedHttpError(url, err.status, `GET ${url} failed after ${attempts} attempt(s): ${err.message}`);
      }
      const delay = Math.min(maxMs, err.delayMs ?? baseMs * 2 ** (attempt - 1));
      opts.onWait?.(delay, `retrying after ${err.message}`);
      await client.clock.sleep(delay, opts.signal);
    }
  }
}

/** One attempt: waits for the limiter, sends, and sorts the answer into ok / retry / final. */
async function attempt(client: HttpClient, url: string, opts: RequestOptions): Promise<Response> {
  const release = opts.limiter ? await opts.limiter.acquire(opts.signal, (ms) => opts.onWait?.(ms, 'rate limit')) : undefined;
  let res: Response;
  try {
    res = await client.fetch(url, { headers: headersFor(client, opts), signal: opts.signal ?? null, redirect: 'follow' });
  } catch (err) {
    if (opts.signal?.aborted) throw abortReason(opts.signal);
    const cause = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    throw new Retryable(`network error: ${cause}`, null);
  } finally {
    release?.();
  }
  if (res.ok || res.status === 304) return res;
  await res.body?.cancel().catch(() => undefined);
  if (RETRY_STATUS.has(res.status)) throw new Retryable(describe(res), res.status, retryAfterMs(res, client.clock.now()));
  throw new FeedHttpError(url, res.status, `GET ${url} failed: ${describe(res)}`);
}

const validatorsOf = (res: Response): Validators => ({ etag: res.headers.get('etag') ?? undefined, lastModified: res.headers.get('last-modified') ?? undefined });

/** Reads a body as a stream of chunks, refusing more than `maxBytes`. */
async function* limitedBody(res: Response, url: string, maxBytes: number): AsyncGenerator<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new FeedHttpError(url, res.status, `GET ${url}: the response is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  if (!res.body) return;
  let size = 0;
  try {
    for await (const chunk of Readable.fromWeb(res.body as WebReadableStream<Uint8Array>)) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > maxBytes) throw new FeedHttpError(url, res.status, `GET ${url}: the response is over the ${maxBytes}-byte limit`);
      yield buf;
    }
  } catch (err) {
    if (err instanceof FeedHttpError) throw err;
    throw new Retryable(`the response was cut short after ${size} bytes: ${(err as Error).message}`, res.status);
  }
}

export type JsonResult = { readonly status: 'not-modified' } | { readonly status: 'ok'; readonly value: unknown; readonly validators: Validators; readonly headers: Headers };

/** GET a JSON document (bounded, retried, conditional when validators are given). */
export async function getJson(client: HttpClient, url: string, opts: RequestOptions & { readonly maxBytes: number }): Promise<JsonResult> {
  return withRetries(client, url, opts, async () => {
    const res = await attempt(client, url, { ...opts, headers: { accept: 'application/json', ...opts.headers } });
    if (res.status === 304) return { status: 'not-modified' } as const;
    const chunks: Buffer[] = [];
    for await (const c of limitedBody(res, url, opts.maxBytes)) chunks.push(c);
    let value: unknown;
    try {
      value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    } catch (err) {
      throw new FeedHttpError(url, res.status, `GET ${url}: the response is not JSON: ${(err as Error).message}`);
    }
    return { status: 'ok', value, validators: validatorsOf(res), headers: res.headers };
  });
}

export type DownloadResult =
  | { readonly status: 'not-modified' }
  | { readonly status: 'downloaded'; readonly path: string; readonly bytes: number; readonly validators: Validators };

export interface DownloadOptions extends RequestOptions {
  readonly maxBytes: number;
  /** Bytes so far and the declared total, as the body arrives. */
  readonly onBytes?: ((bytes: number, total: number | undefined) => void) | undefined;
}

/**
 * Streams a URL to `dest` (through `dest.part`, renamed when complete), never holding the body
 * in memory. A 304 leaves nothing behind. A body cut short is retried from the start.
 */
export async function download(client: HttpClient, url: string, dest: string, opts: DownloadOptions): Promise<DownloadResult> {
  const part = `${dest}.part`;
  try {
    return await withRetries(client, url, opts, async () => {
      const res = await attempt(client, url, opts);
      if (res.status === 304) return { status: 'not-modified' } as const;
      const declared = Number(res.headers.get('content-length'));
      const total = Number.isFinite(declared) && declared > 0 ? declared : undefined;
      let bytes = 0;
      const count = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          opts.onBytes?.(bytes, total);
          cb(null, chunk);
        },
      });
      await pipeline(Readable.from(limitedBody(res, url, opts.maxBytes)), count, createWriteStream(part));
      if (total !== undefined && bytes !== total && !res.headers.get('content-encoding')) {
        throw new Retryable(`the response was cut short: ${bytes} of ${total} bytes`, res.status);
      }
      await rename(part, dest);
      return { status: 'downloaded', path: dest, bytes, validators: validatorsOf(res) } as const;
    });
  } finally {
    await unlink(part).catch(() => undefined);
  }
}
