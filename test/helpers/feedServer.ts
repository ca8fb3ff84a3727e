import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server on 127.0.0.1 (random port) standing in for the feed hosts, so sync tests
 * never reach the internet. Routes are keyed by path; every request is recorded with its time.
 */
export interface Reply {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /** Cut the connection instead of answering. */
  readonly destroy?: boolean;
}

export type Handler = (req: IncomingMessage, url: URL) => Reply | Promise<Reply>;

export interface SeenRequest {
  readonly path: string;
  readonly url: URL;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
}

export interface FeedServer {
  readonly origin: string;
  readonly requests: SeenRequest[];
  route(path: string, handler: Handler): void;
  /** Requests to one path, in order. */
  seen(path: string): SeenRequest[];
  close(): Promise<void>;
}

export async function feedServer(): Promise<FeedServer> {
  const routes = new Map<string, Handler>();
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push({ path: url.pathname, url, headers: req.headers, at: Date.now() });
    const handler = routes.get(url.pathname);
    void Promise.resolve(handler ? handler(req, url) : { status: 404, body: 'no such route' }).then(
      (r) => {
        if (r.destroy) {
          req.socket.destroy();
          return;
        }
        res.writeHead(r.status ?? 200, r.headers);
        res.end(r.body);
      },
      (err: unknown) => {
        res.writeHead(500);
        res.end(String(err));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    route: (path, handler) => routes.set(path, handler),
    seen: (path) => requests.filter((r) => r.path === path),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers 304 when the request carries the current ETag, else the body with that ETag. */
export function withEtag(req: IncomingMessage, etag: string, body: string | Buffer, headers: Record<string, string> = {}): Reply {
  if (req.headers['if-none-match'] === etag) return { status: 304, headers: { etag } };
  return { status: 200, headers: { etag, 'content-length': String(Buffer.byteLength(body)), ...headers }, body };
}

export { zipOf } from './zip.js';
