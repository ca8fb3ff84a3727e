import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { routesOf } from '../../src/server/app.js';
import { bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: SeededUser;
let token: string;

before(async () => {
  t = await testApp({ bodyLimit: 4096 });
  admin = await seedTenant(t.ctx, 'admin');
  token = await login(t.app, admin);
});
after(() => t.close());

const PROBLEM = 'application/problem+json; charset=utf-8';

describe('health', () => {
  test('/healthz and /readyz answer', async () => {
    const h = await t.app.inject({ url: '/healthz' });
    assert.equal(h.statusCode, 200);
    assert.deepEqual(h.json(), { status: 'ok' });
    const r = await t.app.inject({ url: '/readyz' });
    assert.equal(r.statusCode, 200);
    assert.equal(r.json().status, 'ready');
    assert.ok(r.json().migrations >= 2);
  });

  test('/metrics serves Prometheus text with latency by route and the pool', async () => {
    await t.app.inject({ url: '/api/v1/users', headers: bearer(token) });
    const m = await t.app.inject({ url: '/metrics' });
    assert.equal(m.statusCode, 200);
    assert.match(m.headers['content-type'] as string, /^text\/plain/);
    assert.match(m.body, /vigil_http_request_duration_seconds_bucket\{[^}]*route="\/api\/v1\/users"/);
    assert.match(m.body, /vigil_db_pool_connections\{state="total"\} \d+/);
  });
});

describe('OpenAPI', () => {
  test('is a valid OpenAPI 3.1 document listing every /api/v1 route', async () => {
    const res = await t.app.inject({ url: '/api/v1/openapi.json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.openapi, '3.1.0');
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors, null, 2));
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path}`);
    }
    const routes = apiRoutes(t);
    assert.ok(routes.length > 10);
    for (const r of routes) assert.ok(documented.has(r), `${r} is missing from the OpenAPI document`);
  });

  test('has a docs page', async () => {
    const res = await t.app.inject({ url: '/api/v1/docs/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /swagger/i);
  });
});

/** Every /api/v1 route of the app as `METHOD /api/v1/path/{param}`, from the router itself. */
function apiRoutes(app: TestApp): string[] {
  return routesOf(app.app)
    .filter((r) => r.url.startsWith('/api/v1/') && !r.url.startsWith('/api/v1/docs') && r.url !== '/api/v1/openapi.json')
    .map((r) => `${r.method} ${r.url.replace(/:([A-Za-z]+)/g, '{$1}')}`);
}

describe('errors are RFC 9457 problem+json', () => {
  test('unauthenticated request to a tenant route: 401', async () => {
    const res = await t.app.inject({ url: '/api/v1/users' });
    assert.equal(res.statusCode, 401);
    assert.equal(res.headers['content-type'], PROBLEM);
    const p = res.json();
    assert.equal(p.type, 'urn:vigil:problem:unauthorized');
    assert.equal(p.status, 401);
    assert.equal(p.instance, '/api/v1/users');
    assert.equal(p.requestId, res.headers['x-request-id']);
    assert.equal(res.headers['www-authenticate'], 'Bearer realm="vigil"');
  });

  test('malformed JSON: 400', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { ...bearer(token), 'content-type': 'application/json' }, payload: '{"email": ' });
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['content-type'], PROBLEM);
    assert.equal(res.json().type, 'urn:vigil:problem:malformed-json');
    assert.equal(res.json().errors[0].pointer, '/body');
  });

  test('wrong types name the field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: { email: 'a@b.test', password: 12345, role: 'viewer' } });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().type, 'urn:vigil:problem:validation');
    assert.deepEqual(res.json().errors.map((e: { pointer: string }) => e.pointer), ['/body/password']);
  });

  test('unknown fields are refused, by name', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: { email: 'a@b.test', password: 'long-enough-pass', role: 'viewer', isSuperuser: true } });
    assert.equal(res.statusCode, 400);
    assert.deepEqual(res.json().errors, [{ pointer: '/body/isSuperuser', detail: 'unknown field' }]);
  });

  test('bad query parameters name the parameter', async () => {
    const res = await t.app.inject({ url: '/api/v1/users?limit=0&bogus=1', headers: bearer(token) });
    assert.equal(res.statusCode, 400);
    const pointers = res.json().errors.map((e: { pointer: string }) => e.pointer).sort();
    assert.deepEqual(pointers, ['/querystring/bogus', '/querystring/limit']);
  });

  test('invalid ids in the path are 400 naming the parameter', async () => {
    const res = await t.app.inject({ url: '/api/v1/users/not-a-uuid', headers: bearer(token) });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().errors[0].pointer, '/params/id');
  });

  test('oversized bodies: 413 problem+json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: { email: 'a@b.test', password: 'x'.repeat(5000), role: 'viewer' } });
    assert.equal(res.statusCode, 413);
    assert.equal(res.headers['content-type'], PROBLEM);
    assert.equal(res.json().type, 'urn:vigil:problem:payload-too-large');
  });

  test('unknown routes: 404 problem+json, no stack traces anywhere', async () => {
    const res = await t.app.inject({ url: '/api/v1/nope' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.headers['content-type'], PROBLEM);
    assert.doesNotMatch(res.body, /at .*\.(ts|js):\d+/);
  });

  test('wrong content type: 415', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { ...bearer(token), 'content-type': 'text/xml' }, payload: '<x/>' });
    assert.equal(res.statusCode, 415);
    assert.equal(res.headers['content-type'], PROBLEM);
  });
});

describe('HTTP hygiene', () => {
  test('request ids: echoed when safe, generated otherwise', async () => {
    const a = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(a.headers['x-request-id'], 'abc-123');
    const b = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'evil\u0000id<script>' } });
    assert.match(b.headers['x-request-id'] as string, /^[0-9a-f-]{36}$/);
  });

  test('security headers are set; CORS is off by default', async () => {
    const res = await t.app.inject({ url: '/api/v1/users', headers: { ...bearer(token), origin: 'https://evil.example' } });
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.headers['content-security-policy'] as string, /default-src 'self'/);
    assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
    assert.equal(res.headers['access-control-allow-origin'], undefined);
  });

  test('CORS answers only configured origins', async () => {
    const withCors = await testApp({ corsOrigins: 'https://ui.example' });
    try {
      const ok = await withCors.app.inject({ method: 'OPTIONS', url: '/api/v1/users', headers: { origin: 'https://ui.example', 'access-control-request-method': 'GET' } });
      assert.equal(ok.headers['access-control-allow-origin'], 'https://ui.example');
      const other = await withCors.app.inject({ method: 'OPTIONS', url: '/api/v1/users', headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' } });
      assert.notEqual(other.headers['access-control-allow-origin'], 'https://evil.example');
    } finally {
      await withCors.close();
    }
  });

  test('lists are cursor-paginated and sortable', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(token), payload: { email: `page${i}@p.test`, password: 'long-enough-pass', role: 'viewer' } });
      assert.equal(r.statusCode, 201);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/users?limit=2&sort=email${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ url, headers: bearer(token) })).json();
      assert.ok(page.items.length <= 2);
      seen.push(...page.items.map((u: { email: string }) => u.email));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 6);
    assert.deepEqual(seen, [...seen].sort(), 'sorted by email across pages');
    const filtered = (await t.app.inject({ url: '/api/v1/users?role=admin', headers: bearer(token) })).json();
    assert.deepEqual(filtered.items.map((u: { email: string }) => u.email), [admin.email]);
    // Ascending by creation time, one per page: every user once (timestamps carry microseconds on a server).
    const byTime: string[] = [];
    let c: string | null = null;
    do {
      const url: string = `/api/v1/users?limit=1&sort=createdAt${c ? `&cursor=${c}` : ''}`;
      const page = (await t.app.inject({ url, headers: bearer(token) })).json();
      byTime.push(...page.items.map((u: { id: string }) => u.id));
      c = page.nextCursor;
      assert.ok(byTime.length <= 6, 'paging does not repeat rows');
    } while (c);
    assert.equal(new Set(byTime).size, 6);
    const desc = (await t.app.inject({ url: '/api/v1/users?sort=-email&limit=1', headers: bearer(token) })).json();
    assert.equal(desc.items[0].email, seen[seen.length - 1]);
  });

  test('rate limits answer 429 problem+json', async () => {
    const limited = await testApp({ rateLimit: 3 });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.app.inject({ url: '/api/v1/tenant', remoteAddress: '10.1.1.1' })).statusCode);
      assert.deepEqual(codes.slice(0, 3), [401, 401, 401]);
      assert.equal(codes[4], 429);
    } finally {
      await limited.close();
    }
  });
});
