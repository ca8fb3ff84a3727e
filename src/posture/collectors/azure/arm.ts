/**
 * The ARM API layer: generic read-only GETs through the Azure SDK's HTTP pipeline
 * (@azure/core-rest-pipeline: its retry policy, which honours Retry-After on 429/503 and backs
 * off exponentially on 5xx and network errors, and `bearerTokenAuthenticationPolicy` with the
 * ARM scope), `nextLink` pagination with a page cap, and a concurrency limit.
 *
 * Live and offline differ only in the pipeline's `HttpClient`: the SDK's default one, or the
 * replay of recorded cassettes (cassette.ts). Everything above it, retries and auth included,
 * is the same code. The SDK is loaded with `import()` on first use.
 */
import type { Agent } from 'node:http';
import type { HttpClient, Pipeline } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/identity';
import { classifyArm, classifyThrown, type CallFailure } from './errors.js';
import { createLimiter } from '../lib/limit.js';

export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';

export interface ArmRetryOptions {
  /** Retries after the first attempt (default 4). */
  readonly maxRetries?: number;
  /** First back-off delay when the answer has no Retry-After (default 1000 ms). */
  readonly retryDelayInMs?: number;
  readonly maxRetryDelayInMs?: number;
}

export interface ArmClientOptions {
  readonly credential: TokenCredential;
  /** The transport; default the SDK's own (live). The offline replay passes its client here. */
  readonly httpClient?: HttpClient | undefined;
  /** ARM endpoint (sovereign clouds, tests); default https://management.azure.com. */
  readonly endpoint?: string | undefined;
  /** Token scope; default `<endpoint>/.default`. */
  readonly scope?: string | undefined;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number | undefined;
  /** Pages followed per list call before stopping with a gap (default 500). */
  readonly maxPages?: number | undefined;
  readonly retry?: ArmRetryOptions | undefined;
  /** Per-attempt timeout (default 60 s). */
  readonly timeoutMs?: number | undefined;
  /** An HTTP(S) agent for the default client (proxy or private CA). */
  readonly agent?: Agent | undefined;
}

export interface ArmStats {
  /** Requests made (pages count one each). */
  calls: number;
  /** HTTP attempts, retries included. */
  attempts: number;
}

export type GetResult = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly failure: CallFailure };

/** Items read so far; `failure` when the list stopped early (the items are then partial). */
export interface ListResult {
  readonly items: unknown[];
  readonly failure?: CallFailure | undefined;
}

export interface Arm {
  /** GET one object. `path` is an ARM path (`/subscriptions/…`). */
  get(path: string, apiVersion: string, query?: Readonly<Record<string, string>>): Promise<GetResult>;
  /** GET a collection, following `nextLink`. */
  list(path: string, apiVersion: string, query?: Readonly<Record<string, string>>): Promise<ListResult>;
  readonly stats: ArmStats;
}

const MAX_BODY_CHARS = 256 * 1024 * 1024;

/** Refuses paths that could leave the ARM resource namespace (they come from responses). */
export function safeArmPath(path: string): boolean {
  if (!path.startsWith('/') || path.length > 4096) return false;
  // eslint-disable-next-line no-control-regex
  if (/[?#\\\u0000-\u001f\u007f]/.test(path) || path.includes('//')) return false;
  return !path.split('/').some((seg) => seg === '..' || seg === '.');
}

export function armUrl(endpoint: string, path: string, apiVersion: string, query?: Readonly<Record<string, string>>): string {
  const params = [`api-version=${encodeURIComponent(apiVersion)}`];
  for (const [k, v] of Object.entries(query ?? {})) params.push(`${k}=${encodeURIComponent(v)}`);
  return `${endpoint.replace(/\/+$/, '')}${path.replaceAll(' ', '%20')}?${params.join('&')}`;
}

const invalid = (message: string): CallFailure => ({ reason: 'invalid-response', message });

export async function createArmClient(options: ArmClientOptions): Promise<Arm> {
  const core = await import('@azure/core-rest-pipeline');
  const endpoint = (options.endpoint ?? DEFAULT_ARM_ENDPOINT).replace(/\/+$/, '');
  const origin = new URL(endpoint).origin;
  const stats: ArmStats = { calls: 0, attempts: 0 };
  const pipeline: Pipeline = core.createPipelineFromOptions({
    retryOptions: {
      maxRetries: options.retry?.maxRetries ?? 4,
      retryDelayInMs: options.retry?.retryDelayInMs ?? 1000,
      maxRetryDelayInMs: options.retry?.maxRetryDelayInMs ?? 60_000,
    },
    userAgentOptions: { userAgentPrefix: 'vigil-posture' },
    ...(options.agent ? { agent: options.agent } : {}),
  });
  pipeline.addPolicy(core.bearerTokenAuthenticationPolicy({ credential: options.credential, scopes: options.scope ?? `${endpoint}/.default` }), { phase: 'Sign' });
  pipeline.addPolicy(
    {
      name: 'vigilAttemptCounter',
      sendRequest: (request, next) => {
        stats.attempts++;
        return next(request);
      },
    },
    { afterPhase: 'Retry' },
  );
  const httpClient = options.httpClient ?? core.createDefaultHttpClient();
  const limit = createLimiter(options.concurrency ?? 8);
  const maxPages = Math.max(1, options.maxPages ?? 500);
  const timeout = options.timeoutMs ?? 60_000;

  async function getUrl(url: string, operation: string): Promise<GetResult> {
    return limit(async () => {
      stats.calls++;
      let status: number;
      let text: string;
      try {
        const response = await pipeline.sendRequest(httpClient, core.createPipelineRequest({ url, method: 'GET', timeout }));
        status = response.status;
        text = response.bodyAsText ?? '';
      } catch (err) {
        return { ok: false, failure: classifyThrown(err) };
      }
      let body: unknown;
      if (text.length > MAX_BODY_CHARS) return { ok: false, failure: invalid(`${operation}: answer over ${MAX_BODY_CHARS} characters`) };
      try {
        body = text === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        body = undefined;
        if (status >= 200 && status < 300) return { ok: false, failure: invalid(`${operation}: answer is not JSON`) };
      }
      if (status < 200 || status >= 300) return { ok: false, failure: classifyArm(status, body, operation) };
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, failure: invalid(`${operation}: answer is not a JSON object`) };
      return { ok: true, value: body as Record<string, unknown> };
    });
  }

  function start(path: string, apiVersion: string, query?: Readonly<Record<string, string>>): string | CallFailure {
    return safeArmPath(path) ? armUrl(endpoint, path, apiVersion, query) : invalid(`refusing ARM path ${JSON.stringify(path.slice(0, 200))}`);
  }

  return {
    stats,
    async get(path, apiVersion, query) {
      const url = start(path, apiVersion, query);
      if (typeof url !== 'string') return { ok: false, failure: url };
      return getUrl(url, `GET ${path}`);
    },
    async list(path, apiVersion, query) {
      const first = start(path, apiVersion, query);
      if (typeof first !== 'string') return { items: [], failure: first };
      const operation = `GET ${path}`;
      const items: unknown[] = [];
      let url = first;
      for (let page = 1; ; page++) {
        const res = await getUrl(url, operation);
        if (!res.ok) return { items, failure: res.failure };
        const value = res.value['value'];
        if (!Array.isArray(value)) return { items, failure: invalid(`${operation}: answer has no "value" array`) };
        for (const item of value) items.push(item);
        const next = res.value['nextLink'];
        if (next === undefined || next === null || next === '') return { items };
        if (typeof next !== 'string') return { items, failure: invalid(`${operation}: "nextLink" is not a string`) };
        let nextUrl: URL;
        try {
          nextUrl = new URL(next);
        } catch {
          return { items, failure: invalid(`${operation}: "nextLink" is not a URL`) };
        }
        // The token goes with the request: never follow a link to another host.
        if (nextUrl.origin !== origin) return { items, failure: invalid(`${operation}: "nextLink" points to ${nextUrl.origin}, not ${origin}`) };
        if (!nextUrl.searchParams.has('api-version')) nextUrl.searchParams.set('api-version', apiVersion);
        if (nextUrl.href === url) return { items, failure: invalid(`${operation}: "nextLink" repeats the current page`) };
        if (page >= maxPages) return { items, failure: { reason: 'error', message: `${operation}: stopped after ${maxPages} pages (maxPages)` } };
        url = nextUrl.href;
      }
    },
  };
}
