/**
 * Test helper: a local fake of the Google Cloud REST APIs (HTTP on 127.0.0.1, random port)
 * serving recorded flights, so the live collector runs google-auth-library's authorised
 * request, gaxios's retries and the pageToken loop against it. Every API host is served under
 * a path prefix: the collector's `endpoint` option maps `storage.googleapis.com` to
 * `http://127.0.0.1:<port>/storage.googleapis.com`.
 *
 * - Paging: a recorded list longer than `pageSize` is served in pages linked by
 *   `nextPageToken`, as Google APIs do; a recorded nextPageToken is kept on the last page.
 * - Throttling: the first `throttle` requests answer 429 RESOURCE_EXHAUSTED with `Retry-After: 0`.
 * - `override(method, host, path)` answers instead of the recordings (401/403 tests).
 */
import { createServer, type Server } from 'node:http';
import { notRecordedBody, type FlightStore } from '../flights.js';

export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FakeGcpOptions {
  readonly store: FlightStore;
  readonly pageSize?: number;
  readonly throttle?: number;
  readonly override?: (method: string, host: string, path: string) => FakeAnswer | undefined;
}

export interface FakeGcp {
  /** For the collector's `endpoint` option. */
  readonly endpoint: (host: string) => string;
  readonly requests: { method: string; host: string; url: string; bearer: boolean }[];
  close(): Promise<void>;
}

/** List keys of the recorded Google API answers the fake may split into pages. */
const LIST_KEYS = ['items', 'accounts', 'keys', 'sinks', 'metrics', 'locations', 'keyRings', 'cryptoKeys', 'clusters', 'datasets', 'managedZones', 'policies', 'projects', 'alertPolicies', 'contacts'];
const FAKE_TOKEN = 'vigil-fake-page-';

export async function startFakeGcp(options: FakeGcpOptions): Promise<FakeGcp> {
  const pageSize = options.pageSize ?? Number.POSITIVE_INFINITY;
  const pages = new Map<string, { key: string; items: unknown[]; rest: Record<string, unknown> }>();
  const requests: FakeGcp['requests'] = [];
  let throttleLeft = options.throttle ?? 0;

  const server: Server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const raw = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, host = '', ...rest] = raw.pathname.split('/');
    const path = `/${rest.join('/')}`;
    requests.push({ method, host, url: `${path}${raw.search}`, bearer: /^Bearer \S+/.test(req.headers.authorization ?? '') });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    // Drain any request body (getIamPolicy POSTs) before answering.
    req.resume();
    req.on('end', () => {
      if (throttleLeft > 0) {
        throttleLeft--;
        send(429, { error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: 'Quota exceeded (fake throttling)' } }, { 'retry-after': '0' });
        return;
      }
      const forced = options.override?.(method, host, path);
      if (forced) {
        send(forced.status, forced.body, { ...forced.headers });
        return;
      }
      const token = raw.searchParams.get('pageToken');
      if (token?.startsWith(FAKE_TOKEN)) {
        const [id, offset] = token.slice(FAKE_TOKEN.length).split('.');
        const page = pages.get(id ?? '');
        if (!page) send(400, { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'unknown page token' } });
        else send(200, pageOf(id ?? '', page, Number(offset)));
        return;
      }
      const realUrl = `https://${host}${path}${raw.search}`;
      const rec = options.store.find(method, realUrl);
      if (!rec) {
        send(404, notRecordedBody(method, realUrl));
        return;
      }
      const body = rec.body;
      if (rec.status === 200 && body !== null && typeof body === 'object' && !Array.isArray(body)) {
        const o = body as Record<string, unknown>;
        const key = LIST_KEYS.find((k) => Array.isArray(o[k]));
        const list = key ? (o[key] as unknown[]) : [];
        if (key && list.length > pageSize) {
          const { [key]: _items, ...restOfBody } = o;
          const id = String(pages.size + 1);
          pages.set(id, { key, items: list, rest: restOfBody });
          send(200, pageOf(id, { key, items: list, rest: restOfBody }, 0));
          return;
        }
      }
      send(rec.status, body === undefined ? '' : body);
    });
  });

  function pageOf(id: string, page: { key: string; items: unknown[]; rest: Record<string, unknown> }, offset: number): unknown {
    const slice = page.items.slice(offset, offset + pageSize);
    const next = offset + slice.length;
    const { nextPageToken, ...rest } = page.rest;
    const body: Record<string, unknown> = { ...rest, [page.key]: slice };
    if (next < page.items.length) body['nextPageToken'] = `${FAKE_TOKEN}${id}.${next}`;
    else if (nextPageToken !== undefined) body['nextPageToken'] = nextPageToken;
    return body;
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: (host) => `http://127.0.0.1:${port}/${host}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
