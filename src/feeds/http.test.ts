import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { feedServer, withEtag, type FeedServer } from '../../test/helpers/feedServer.js';
import { VERSION } from '../version.js';
import { createHttpClient, download, FeedHttpError, getJson, SlidingWindowLimiter, systemClock } from './http.js';

let srv: FeedServer;
let dir: string;
const http = createHttpClient({ retry: { attempts: 3, baseMs: 5, maxMs: 50 } });

before(async () => {
  srv = await feedServer();
  dir = await mkdtemp(join(tmpdir(), 'vigil-http-'));
});
after(async () => {
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});

describe('download', () => {
  test('streams to the file, returns the validators; a matching ETag gets 304 and leaves no file', async () => {
    srv.route('/file.json', (req) => withEtag(req, '"v1"', '{"a":1}', { 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' }));
    const dest = join(dir, 'file.json');
    const first = await download(http, `${srv.origin}/file.json`, dest, { maxBytes: 1000 });
    assert.equal(first.status, 'downloaded');
    assert.ok(first.status === 'downloaded');
    assert.deepEqual(first.validators, { etag: '"v1"', lastModified: 'Mon, 01 Jan 2024 00:00:00 GMT' });
    assert.equal(first.bytes, 7);
    assert.equal(await readFile(dest, 'utf8'), '{"a":1}');
    await rm(dest);
    const second = await download(http, `${srv.origin}/file.json`, dest, { maxBytes: 1000, validators: first.validators });
    assert.equal(second.status, 'not-modified');
    const req = srv.seen('/file.json')[1]!;
    assert.equal(req.headers['if-none-match'], '"v1"');
    assert.equal(req.headers['if-modified-since'], 'Mon, 01 Jan 2024 00:00:00 GMT');
    assert.equal(req.headers['user-agent'], `vigil/${VERSION}`);
    assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('file.json')), []);
  });

  test('retries 503 and 429 (honouring Retry-After) and network errors, then succeeds', async () => {
    let n = 0;
    srv.route('/flaky', () => {
      n++;
      if (n === 1) return { status: 503 };
      if (n === 2) return { status: 429, headers: { 'retry-after': '0' } };
      if (n === 3) return { destroy: true };
      return { body: 'ok' };
    });
    const res = await download(createHttpClient({ retry: { attempts: 4, baseMs: 5, maxMs: 50 } }), `${srv.origin}/flaky`, join(dir, 'flaky'), { maxBytes: 100 });
    assert.equal(res.status, 'downloaded');
    assert.equal(n, 4);
  });

  test('a status that keeps failing ends in an error naming the URL and the status', async () => {
    srv.route('/broken', () => ({ status: 500, headers: { message: 'database on fire' } }));
    const url = `${srv.origin}/broken`;
    await assert.rejects(download(http, url, join(dir, 'broken'), { maxBytes: 100 }), (e: unknown) => {
      assert.ok(e instanceof FeedHttpError);
      assert.equal(e.status, 500);
      assert.equal(e.url, url);
      assert.match(e.message, new RegExp(`GET ${url} failed after 3 attempt\\(s\\): HTTP 500 Internal Server Error \\(database on fire\\)`));
      return true;
    });
    assert.equal(srv.seen('/broken').length, 3);
  });

  test('a 404 is not retried', async () => {
    await assert.rejects(download(http, `${srv.origin}/missing`, join(dir, 'missing'), { maxBytes: 100 }), /failed: HTTP 404/);
    assert.equal(srv.seen('/missing').length, 1);
  });

  test('the size limit is enforced from Content-Length and while streaming', async () => {
    srv.route('/big', () => ({ headers: { 'content-length': '500' }, body: 'x'.repeat(500) }));
    await assert.rejects(download(http, `${srv.origin}/big`, join(dir, 'big'), { maxBytes: 100 }), /500 bytes, over the 100-byte limit/);
    srv.route('/chunked', () => ({ headers: { 'transfer-encoding': 'chunked' }, body: 'y'.repeat(500) }));
    await assert.rejects(download(http, `${srv.origin}/chunked`, join(dir, 'chunked'), { maxBytes: 100 }), /over the 100-byte limit/);
    assert.equal(srv.seen('/chunked').length, 1, 'a size limit is final');
    assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('big') || n.startsWith('chunked')), []);
  });

  test('cancelling stops a retry wait at once', async () => {
    srv.route('/slow-fail', () => ({ status: 503 }));
    const ctl = new AbortController();
    const slow = createHttpClient({ retry: { attempts: 5, baseMs: 60_000, maxMs: 60_000 } });
    const started = Date.now();
    setTimeout(() => ctl.abort(new Error('stop now')), 50);
    await assert.rejects(download(slow, `${srv.origin}/slow-fail`, join(dir, 'slow'), { maxBytes: 100, signal: ctl.signal }), /stop now/);
    assert.ok(Date.now() - started < 5000);
  });
});

describe('getJson', () => {
  test('parses JSON, answers 304 to a matching ETag, refuses what is not JSON', async () => {
    srv.route('/list', (req) => withEtag(req, 'W/"abc"', '[1,2]'));
    const res = await getJson(http, `${srv.origin}/list`, { maxBytes: 100 });
    assert.ok(res.status === 'ok');
    assert.deepEqual(res.value, [1, 2]);
    assert.equal((await getJson(http, `${srv.origin}/list`, { maxBytes: 100, validators: res.validators })).status, 'not-modified');
    srv.route('/html', () => ({ body: '<html>' }));
    await assert.rejects(getJson(http, `${srv.origin}/html`, { maxBytes: 100 }), /is not JSON/);
  });
});

describe('SlidingWindowLimiter', () => {
  test('never lets more than `limit` requests arrive in any window, retries included', async () => {
    let n = 0;
    srv.route('/limited', () => (++n === 3 ? { status: 503 } : { body: '{}' }));
    const limiter = new SlidingWindowLimiter(systemClock, 2, 150);
    for (let i = 0; i < 5; i++) await download(http, `${srv.origin}/limited`, join(dir, `l${i}`), { maxBytes: 100, limiter });
    const at = srv.seen('/limited').map((r) => r.at);
    assert.equal(at.length, 6);
    for (let i = 0; i + 2 < at.length; i++) assert.ok(at[i + 2]! - at[i]! >= 150, `requests ${i} and ${i + 2} arrived ${at[i + 2]! - at[i]!} ms apart`);
  });

  test('refuses nonsense limits', () => {
    assert.throws(() => new SlidingWindowLimiter(systemClock, 0, 100), RangeError);
  });
});

test('HTTP_PROXY: requests go through the proxy (Node 20 fetch would ignore it), NO_PROXY is honoured', async () => {
  const { createServer } = await import('node:http');
  const { connect } = await import('node:net');
  const tunnels: string[] = [];
  // A forward proxy that tunnels every CONNECT to the loopback feed server, whatever host was asked.
  const proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, socket) => {
    tunnels.push(req.url ?? '');
    const up = connect(Number(new URL(srv.origin).port), '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const port = (proxy.address() as { port: number }).port;
  srv.route('/via-proxy.json', () => ({ status: 200, body: '{"via":"proxy"}' }));
  try {
    const client = createHttpClient({ retry: { attempts: 1, baseMs: 1, maxMs: 1 } }, { HTTP_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: 'localhost' });
    const res = await client.fetch('http://feeds.invalid/via-proxy.json', { headers: {} });
    assert.deepEqual(await res.json(), { via: 'proxy' });
    assert.deepEqual(tunnels, ['feeds.invalid:80']);
    // NO_PROXY hosts are fetched directly.
    const direct = await client.fetch(`${srv.origin.replace('127.0.0.1', 'localhost')}/via-proxy.json`, { headers: {} });
    assert.equal(direct.status, 200);
    await direct.arrayBuffer();
    assert.equal(tunnels.length, 1);
  } finally {
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
  }
});
