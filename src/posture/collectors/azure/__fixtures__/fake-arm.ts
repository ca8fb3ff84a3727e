/**
 * Test helper: a local fake of Azure Resource Manager (HTTPS on 127.0.0.1, random port) serving
 * recorded cassette answers, so the live collector runs the real SDK pipeline (bearer policy,
 * retries, nextLink paging) against it.
 *
 * - Paging: a recorded `value` array longer than `pageSize` is served in pages linked by
 *   `nextLink` with a `$skiptoken`, as ARM does; a recorded nextLink is kept on the last page.
 * - Throttling: the first `throttle` requests answer 429 with `Retry-After: 0`.
 * - `override(method, path)` answers instead of the recordings (401/403 tests, subscription list).
 * Recorded nextLinks to management.azure.com are rewritten to the fake's own origin, as a
 * real endpoint's links point to itself.
 *
 * The TLS certificate is made per run with the `openssl` command (the bearer policy refuses
 * plain HTTP); `makeCertificate()` answers undefined when openssl is missing and tests skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, Agent, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notRecordedBody, type CassetteStore } from '../cassette.js';

export interface Certificate {
  readonly key: string;
  readonly cert: string;
}

export function makeCertificate(): Certificate | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-fake-arm-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface FakeAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FakeArmOptions {
  readonly store: CassetteStore;
  readonly certificate: Certificate;
  readonly pageSize?: number;
  readonly throttle?: number;
  readonly override?: (method: string, path: string) => FakeAnswer | undefined;
}

export interface FakeArm {
  readonly endpoint: string;
  /** Trusts the fake's certificate: give it to the collector's `agent`. */
  readonly agent: Agent;
  /** Requests seen: method, path + query, and whether a bearer token came with it. */
  readonly requests: { method: string; url: string; bearer: boolean }[];
  close(): Promise<void>;
}

const RECORDED_ORIGIN = 'https://management.azure.com';
const FAKE_TOKEN = 'vigil-fake-page-';

export async function startFakeArm(options: FakeArmOptions): Promise<FakeArm> {
  const pageSize = options.pageSize ?? Number.POSITIVE_INFINITY;
  const pages = new Map<string, { items: unknown[]; tail: unknown }>();
  const requests: FakeArm['requests'] = [];
  let throttleLeft = options.throttle ?? 0;
  let origin = '';

  const server: Server = createServer({ key: options.certificate.key, cert: options.certificate.cert }, (req, res) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', origin);
    requests.push({ method, url: `${url.pathname}${url.search}`, bearer: /^Bearer \S+/.test(req.headers.authorization ?? '') });
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(text);
    };
    if (throttleLeft > 0) {
      throttleLeft--;
      send(429, { error: { code: 'TooManyRequests', message: 'fake throttling' } }, { 'retry-after': '0' });
      return;
    }
    const forced = options.override?.(method, url.pathname);
    if (forced) {
      send(forced.status, forced.body, { ...forced.headers });
      return;
    }
    const token = url.searchParams.get('$skiptoken');
    if (token?.startsWith(FAKE_TOKEN)) {
      const [key, offsetText] = token.slice(FAKE_TOKEN.length).split('.');
      const page = pages.get(key ?? '');
      if (!page) {
        send(400, { error: { code: 'InvalidSkipToken', message: 'unknown page token' } });
        return;
      }
      servePage(send, key ?? '', page, Number(offsetText), url);
      return;
    }
    const rec = options.store.find(method, `${RECORDED_ORIGIN}${url.pathname}${url.search}`);
    if (!rec) {
      send(404, notRecordedBody(method, `${RECORDED_ORIGIN}${url.pathname}`), { 'x-vigil-replay': 'not-recorded' });
      return;
    }
    let body: unknown = rec.body;
    try {
      body = rec.body === '' ? '' : (JSON.parse(rec.body) as unknown);
    } catch {
      send(rec.status, rec.body);
      return;
    }
    if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
      const o = body as Record<string, unknown>;
      const value = o['value'];
      const tail = typeof o['nextLink'] === 'string' ? o['nextLink'].replace(RECORDED_ORIGIN, origin) : o['nextLink'];
      if (Array.isArray(value) && value.length > pageSize) {
        const key = String(pages.size + 1);
        pages.set(key, { items: value, tail });
        servePage(send, key, { items: value, tail }, 0, url);
        return;
      }
      if (tail !== undefined) body = { ...o, nextLink: tail };
    }
    send(rec.status, body);
  });

  function servePage(send: (status: number, body: unknown) => void, key: string, page: { items: unknown[]; tail: unknown }, offset: number, url: URL): void {
    const slice = page.items.slice(offset, offset + pageSize);
    const nextOffset = offset + slice.length;
    let nextLink: unknown = page.tail;
    if (nextOffset < page.items.length) {
      const next = new URL(url.pathname, origin);
      next.searchParams.set('api-version', url.searchParams.get('api-version') ?? '');
      next.searchParams.set('$skiptoken', `${FAKE_TOKEN}${key}.${nextOffset}`);
      nextLink = next.href;
    }
    send(200, nextLink === undefined ? { value: slice } : { value: slice, nextLink });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  origin = `https://127.0.0.1:${port}`;
  const agent = new Agent({ ca: options.certificate.cert, keepAlive: true });
  return {
    endpoint: origin,
    agent,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
