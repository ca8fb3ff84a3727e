import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling } from './plugins/errors.js';
import { registerWebApp } from './static.js';

const INDEX = '<!doctype html><title>Vigil</title><div id="root"></div><script type="module" src="/assets/index-abc123.js"></script>';

async function appFor(dir: string): Promise<FastifyInstance> {
  const app = Fastify();
  registerErrorHandling(app);
  app.get('/api/v1/ping', async () => ({ ok: true }));
  app.get('/healthz', async () => ({ status: 'ok' }));
  await registerWebApp(app, dir);
  await app.ready();
  return app;
}

describe('web app served at /', () => {
  let dir: string;
  let app: FastifyInstance;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-web-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), INDEX);
    await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = await appFor(dir);
  });
  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('/ is index.html, revalidated on every load', async () => {
    const res = await app.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /^text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.body, INDEX);
  });

  test('hashed assets are cached for a year; other files are revalidated', async () => {
    const js = await app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(js.statusCode, 200);
    assert.match(js.headers['content-type'] as string, /javascript/);
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    const icon = await app.inject({ url: '/favicon.svg' });
    assert.equal(icon.statusCode, 200);
    assert.equal(icon.headers['cache-control'], 'no-cache');
  });

  test('client-side routes get index.html (reload on /findings/123 works)', async () => {
    for (const url of ['/findings', '/findings/123?severity=high', '/posture/clusters/abc', '/advisories/CVE-2024-1']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.body, INDEX, url);
    }
  });

  test('API paths, server paths and missing files stay problem+json 404s', async () => {
    for (const url of ['/api/v1/nope', '/api/other', '/api', '/healthz/x', '/metrics/x', '/assets/missing-xyz.js', '/robots.txt']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', url);
      assert.equal(res.json().type, 'urn:vigil:problem:not-found', url);
    }
    assert.equal((await app.inject({ url: '/api/v1/ping' })).json().ok, true);
    assert.equal((await app.inject({ url: '/healthz' })).statusCode, 200);
  });

  test('other methods on app paths are 404s, not the app', async () => {
    const res = await app.inject({ method: 'POST', url: '/findings', payload: {} });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  });

  test('hostile paths do not escape the directory', async () => {
    for (const url of ['/../package.json', '/assets/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/%2e%2e%2findex.html']) {
      const res = await app.inject({ url });
      assert.ok(res.statusCode === 404 || res.statusCode === 400 || (res.statusCode === 200 && res.body === INDEX), `${url}: ${res.statusCode}`);
      assert.doesNotMatch(res.body, /root:|"name": "vigil"/, url);
    }
  });
});

describe('without a build', () => {
  test('/ says how to build the dashboard; the API still answers', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-noweb-'));
    const app = await appFor(join(dir, 'absent'));
    try {
      const res = await app.inject({ url: '/' });
      assert.equal(res.statusCode, 200);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.match(res.body, /npm run build/);
      assert.match(res.body, /\/api\/v1\/docs/);
      const api = await app.inject({ url: '/api/v1/nope' });
      assert.equal(api.statusCode, 404);
      assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8');
    } finally {
      await app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
