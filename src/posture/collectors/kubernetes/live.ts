/**
 * The live API layer: @kubernetes/client-node 1.4 (loaded lazily) reads the kubeconfig and
 * does everything about reaching the cluster the way kubectl does (context, CA, client
 * certificates, bearer tokens, exec and auth-provider plug-ins, proxies, TLS server name);
 * the GET requests themselves are plain node:http(s) requests through the agent and headers it
 * prepares. Why not the generated typed clients: they deserialize into model classes that drop
 * every field the client's models do not know (a newer field on a newer cluster would vanish,
 * failing open) and turn timestamps into Dates, where rules need the objects exactly as the
 * API returns them, and a dump read offline must give the same thing. The client has no retry
 * strategy of its own, so 429 and 5xx answers and dropped connections are retried here with
 * exponential backoff (the server's Retry-After when given).
 *
 * Requests: `GET /version`, `/api`, `/apis`, `/api/v1`, `/apis/<g>/<v>`, and list calls with
 * `limit` and `continue`; Secrets (opt-in) with `Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1`
 * so the server sends metadata only. Nothing else is ever requested (see kinds.ts).
 */
import type { Agent, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { isObject } from '../../attrs.js';
import {
  failure,
  parseGroupList,
  parseListPage,
  parseResourceList,
  reasonForStatus,
  retryableStatus,
  statusMessage,
  type ApiCounters,
  type ApiGroupInfo,
  type ApiResult,
  type ClusterApi,
} from './api.js';
import { backoffMs, DEFAULT_BACKOFF, sleep as realSleep, type BackoffPolicy } from './limit.js';

export interface LiveOptions {
  /** Kubeconfig file; default KUBECONFIG (every file of the list, merged) or ~/.kube/config. */
  readonly kubeconfig?: string | undefined;
  /** Context; default the kubeconfig's current context. */
  readonly context?: string | undefined;
  /** Retries after a 429, 5xx or dropped connection (default 5). */
  readonly retries?: number | undefined;
  readonly backoff?: BackoffPolicy | undefined;
  /** Per-request timeout in milliseconds (default 60 s). */
  readonly timeoutMs?: number | undefined;
  /** Largest response accepted, in bytes (default 256 MiB). */
  readonly maxResponseBytes?: number | undefined;
  /** For tests: the pause between retries. */
  readonly sleep?: ((ms: number) => Promise<void>) | undefined;
}

export interface Connection {
  readonly api: ClusterApi;
  /** The context's name (the default cluster name). */
  readonly context: string;
  readonly server: string;
}

const METADATA_ONLY = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** Reads the kubeconfig; a file or context that is not there is an error message, not an exception. */
export async function connect(options: LiveOptions): Promise<{ ok: true; value: Connection } | { ok: false; message: string }> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  try {
    if (options.kubeconfig !== undefined) kc.loadFromFile(options.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    return { ok: false, message: `kubeconfig could not be read: ${(err as Error).message.split('\n', 1)[0] ?? ''}` };
  }
  if (options.context !== undefined) {
    if (!kc.getContexts().some((c) => c.name === options.context)) {
      return { ok: false, message: `kubeconfig has no context "${options.context}" (contexts: ${kc.getContexts().map((c) => c.name).join(', ') || 'none'})` };
    }
    kc.setCurrentContext(options.context);
  }
  const cluster = kc.getCurrentCluster();
  if (cluster === null) return { ok: false, message: `kubeconfig context "${kc.getCurrentContext()}" names no cluster` };
  let base: URL;
  try {
    base = new URL(cluster.server);
  } catch {
    return { ok: false, message: `cluster "${cluster.name}" has an invalid server URL` };
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return { ok: false, message: `cluster "${cluster.name}": unsupported server URL scheme ${base.protocol}` };
  const [http, https] = await Promise.all([import('node:http'), import('node:https')]);
  const counters: ApiCounters = { calls: 0, retries: 0 };
  const retries = options.retries ?? 5;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const pause = options.sleep ?? realSleep;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const maxBytes = options.maxResponseBytes ?? 256 * 1024 * 1024;
  const prefix = base.pathname.replace(/\/+$/, '');

  interface Raw {
    readonly status: number;
    readonly headers: IncomingHttpHeaders;
    readonly body: Buffer;
  }

  /** Auth and TLS for one request (tokens from exec plug-ins may be refreshed between calls). */
  let agent: Agent | undefined;
  const prepare = async (): Promise<OutgoingHttpHeaders> => {
    const opts: { headers?: OutgoingHttpHeaders; agent?: Agent; auth?: string } = {};
    await kc.applyToHTTPSOptions(opts);
    agent ??= opts.agent;
    const headers: OutgoingHttpHeaders = { ...opts.headers };
    if (opts.auth) headers['authorization'] = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
    return headers;
  };

  const once = (path: string, headers: OutgoingHttpHeaders): Promise<Raw> =>
    new Promise((resolve, reject) => {
      const url = new URL(prefix + path, base);
      const mod = url.protocol === 'http:' ? http : https;
      const req = mod.request(url, { method: 'GET', headers, agent, timeout: timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            req.destroy(new Error(`response larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end();
    });

  const get = async (path: string, accept = 'application/json'): Promise<ApiResult<unknown>> => {
    let headers: OutgoingHttpHeaders;
    try {
      headers = { ...(await prepare()), accept, 'user-agent': 'vigil-posture' };
    } catch (err) {
      return failure('bad-credentials', `credentials could not be obtained: ${(err as Error).message}`);
    }
    for (let attempt = 0; ; attempt++) {
      counters.calls++;
      let raw: Raw | undefined;
      let netError: (Error & { code?: string }) | undefined;
      try {
        raw = await once(path, headers);
      } catch (err) {
        netError = err as Error & { code?: string };
      }
      const retryable = raw === undefined ? retryableNetwork(netError) : retryableStatus(raw.status);
      if (retryable && attempt < retries) {
        counters.retries++;
        await pause(backoffMs(attempt + 1, backoff, raw ? retryAfter(raw.headers) : undefined));
        continue;
      }
      if (raw === undefined) return failure('unavailable', `${netError?.code ? `${netError.code}: ` : ''}${netError?.message ?? 'request failed'}`);
      let body: unknown;
      try {
        body = raw.body.length === 0 ? undefined : JSON.parse(raw.body.toString('utf8'));
      } catch {
        if (raw.status >= 200 && raw.status < 300) return failure('invalid-response', `GET ${path}: the answer is not JSON`, raw.status);
      }
      if (raw.status >= 200 && raw.status < 300) return { ok: true, value: body };
      const reason = reasonForStatus(raw.status);
      const suffix = retryable ? ` (after ${retries} retries)` : '';
      return failure(reason, `${statusMessage(raw.status, body)}${suffix}`, raw.status);
    }
  };

  const api: ClusterApi = {
    counters,
    async version() {
      const r = await get('/version');
      if (!r.ok) return r;
      return isObject(r.value) ? { ok: true, value: r.value } : failure('invalid-response', 'GET /version: not an object');
    },
    async groups() {
      const core = await get('/api');
      if (!core.ok) return core;
      const coreVersions = isObject(core.value) && Array.isArray(core.value['versions']) ? core.value['versions'].filter((v): v is string => typeof v === 'string') : [];
      const apis = await get('/apis');
      if (!apis.ok) return apis;
      const groups = parseGroupList(apis.value);
      if (groups === undefined) return failure('invalid-response', 'GET /apis: not an APIGroupList');
      const out: ApiGroupInfo[] = [{ group: '', preferredVersion: coreVersions.includes('v1') ? 'v1' : (coreVersions[0] ?? 'v1'), versions: coreVersions.length > 0 ? coreVersions : ['v1'] }, ...groups];
      return { ok: true, value: out };
    },
    async resources(group, version) {
      const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
      const r = await get(path);
      if (!r.ok) return r;
      const list = parseResourceList(r.value);
      return list === undefined ? failure('invalid-response', `GET ${path}: not an APIResourceList`) : { ok: true, value: list };
    },
    async list(t, page) {
      const q = new URLSearchParams({ limit: String(page.limit) });
      if (page.continue !== undefined) q.set('continue', page.continue);
      const path = `${t.group === '' ? `/api/${t.version}` : `/apis/${t.group}/${t.version}`}/${t.plural}?${q.toString()}`;
      const r = await get(path, t.metadataOnly ? METADATA_ONLY : 'application/json');
      if (!r.ok) return r;
      const parsed = parseListPage(r.value);
      return parsed === undefined ? failure('invalid-response', `list ${t.plural}: the answer has no items list`) : { ok: true, value: parsed };
    },
  };
  return { ok: true, value: { api, context: kc.getCurrentContext(), server: `${base.protocol}//${base.host}` } };
}

const RETRY_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);

function retryableNetwork(err: (Error & { code?: string }) | undefined): boolean {
  return err?.code !== undefined && RETRY_CODES.has(err.code);
}

function retryAfter(headers: IncomingHttpHeaders): number | undefined {
  const v = headers['retry-after'];
  if (typeof v !== 'string') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}
