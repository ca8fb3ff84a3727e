/**
 * The GCP API layer: REST calls through google-auth-library's authorised `request()` (gaxios
 * underneath: its retry with exponential back-off on 429 and 5xx, here also honouring
 * Retry-After), `pageToken` pagination with a page cap, and a concurrency limit.
 *
 * Live and offline differ only in gaxios's `fetchImplementation`: the real fetch, or the replay
 * of recorded flights (flights.ts). The auth client, retries and error handling are the same.
 */
import type { gaxios } from 'google-auth-library';
import { classifyThrown, type CallFailure } from './errors.js';
import { createLimiter } from '../lib/limit.js';

/** What the collector needs of an auth client: GoogleAuth and every AuthClient have it. */
export interface GcpRequester {
  request<T = unknown>(opts: gaxios.GaxiosOptions): Promise<gaxios.GaxiosResponse<T>>;
}

export interface GcpRetryOptions {
  /** Retries after the first attempt (default 4). */
  readonly maxRetries?: number;
  /** First back-off delay (default 500 ms); gaxios doubles it per attempt. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

export interface GcpClientOptions {
  readonly requester: GcpRequester;
  /** Base URL for an API host (tests, private endpoints); default `https://<host>`. */
  readonly endpoint?: ((host: string) => string) | undefined;
  /** The transport under gaxios; default the real fetch. The offline replay passes its own. */
  readonly fetchImplementation?: typeof fetch | undefined;
  readonly concurrency?: number | undefined;
  readonly maxPages?: number | undefined;
  readonly retry?: GcpRetryOptions | undefined;
  readonly timeoutMs?: number | undefined;
}

export interface GcpStats {
  calls: number;
  retries: number;
}

export type CallResult = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly failure: CallFailure };

export interface ListResult {
  readonly items: unknown[];
  readonly failure?: CallFailure | undefined;
}

export interface CallSpec {
  readonly method: 'GET' | 'POST';
  readonly host: string;
  readonly path: string;
  readonly query?: Readonly<Record<string, string>> | undefined;
  readonly body?: unknown;
}

export interface Gcp {
  call(spec: CallSpec): Promise<CallResult>;
  /** Follows `nextPageToken`; `aggregated` lists hold `{items: {<scope>: {<itemsKey>: [...]}}}`. */
  list(spec: CallSpec, itemsKey: string, aggregated?: boolean): Promise<ListResult>;
  readonly stats: GcpStats;
}

const invalid = (message: string): CallFailure => ({ reason: 'invalid-response', message });

function retryAfterMs(err: unknown): number {
  const headers = (err as { response?: { headers?: { get?: (k: string) => string | null } } }).response?.headers;
  const value = typeof headers?.get === 'function' ? headers.get('retry-after') : null;
  if (value === null || value === undefined || value === '') return 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : 0;
}

export function buildUrl(base: string, path: string, query?: Readonly<Record<string, string>>): string {
  const params = Object.entries(query ?? {}).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
  return `${base.replace(/\/+$/, '')}${path}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

export function createGcpClient(options: GcpClientOptions): Gcp {
  const stats: GcpStats = { calls: 0, retries: 0 };
  const limit = createLimiter(options.concurrency ?? 8);
  const maxPages = Math.max(1, options.maxPages ?? 500);
  const endpoint = options.endpoint ?? ((host: string) => `https://${host}`);
  const maxRetries = options.retry?.maxRetries ?? 4;
  const baseDelay = options.retry?.retryDelayMs ?? 500;
  const maxDelay = options.retry?.maxRetryDelayMs ?? 60_000;

  async function call(spec: CallSpec, operation: string): Promise<CallResult> {
    const url = buildUrl(endpoint(spec.host), spec.path, spec.query);
    const apiHost = new URL(url).host;
    return limit(async () => {
      stats.calls++;
      let data: unknown;
      try {
        const res = await options.requester.request<unknown>({
          url,
          method: spec.method,
          ...(spec.body === undefined ? {} : { data: spec.body, headers: { 'content-type': 'application/json' } }),
          responseType: 'json',
          timeout: options.timeoutMs ?? 60_000,
          ...(options.fetchImplementation ? { fetchImplementation: options.fetchImplementation } : {}),
          retryConfig: {
            retry: maxRetries,
            noResponseRetries: 2,
            // getIamPolicy is a POST but reads only: retrying it is safe.
            httpMethodsToRetry: ['GET', 'POST'],
            statusCodesToRetry: [
              [429, 429],
              [500, 599],
            ],
            retryDelay: baseDelay,
            maxRetryDelay: maxDelay,
            retryBackoff: async (err, delay) => {
              const wait = Math.min(Math.max(delay, retryAfterMs(err)), maxDelay);
              await new Promise((resolve) => setTimeout(resolve, wait));
            },
            onRetryAttempt: () => {
              stats.retries++;
            },
          },
        });
        data = res.data;
      } catch (err) {
        return { ok: false, failure: classifyThrown(err, apiHost, operation) };
      }
      if (data === '' || data === undefined || data === null) return { ok: true, value: {} };
      if (typeof data !== 'object' || Array.isArray(data)) return { ok: false, failure: invalid(`${operation}: answer is not a JSON object`) };
      return { ok: true, value: data as Record<string, unknown> };
    });
  }

  const describe = (spec: CallSpec): string => `${spec.method} ${spec.path}`;

  return {
    stats,
    call: (spec) => call(spec, describe(spec)),
    async list(spec, itemsKey, aggregated = false) {
      const operation = describe(spec);
      const items: unknown[] = [];
      let token: string | undefined;
      const seen = new Set<string>();
      for (let page = 1; ; page++) {
        const res = await call(token === undefined ? spec : { ...spec, query: { ...spec.query, pageToken: token } }, operation);
        if (!res.ok) return { items, failure: res.failure };
        const got = extract(res.value, itemsKey, aggregated);
        if (typeof got === 'string') return { items, failure: invalid(`${operation}: ${got}`) };
        for (const item of got) items.push(item);
        const next = res.value['nextPageToken'];
        if (next === undefined || next === null || next === '') return { items };
        if (typeof next !== 'string') return { items, failure: invalid(`${operation}: "nextPageToken" is not a string`) };
        if (seen.has(next)) return { items, failure: invalid(`${operation}: "nextPageToken" repeats`) };
        seen.add(next);
        if (page >= maxPages) return { items, failure: { reason: 'error', message: `${operation}: stopped after ${maxPages} pages (maxPages)` } };
        token = next;
      }
    },
  };
}

/** The items of one page, or what is wrong with it. An absent key is an empty page (Google omits empty lists). */
function extract(body: Record<string, unknown>, itemsKey: string, aggregated: boolean): unknown[] | string {
  if (!aggregated) {
    const v = body[itemsKey];
    if (v === undefined) return [];
    return Array.isArray(v) ? v : `"${itemsKey}" is not an array`;
  }
  const scopes = body['items'];
  if (scopes === undefined) return [];
  if (scopes === null || typeof scopes !== 'object' || Array.isArray(scopes)) return '"items" is not a map of scopes';
  const out: unknown[] = [];
  for (const scope of Object.values(scopes as Record<string, unknown>)) {
    const v = scope !== null && typeof scope === 'object' ? (scope as Record<string, unknown>)[itemsKey] : undefined;
    if (v === undefined) continue;
    if (!Array.isArray(v)) return `a scope's "${itemsKey}" is not an array`;
    for (const item of v) out.push(item);
  }
  return out;
}
