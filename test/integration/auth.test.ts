import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addUser, bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: SeededUser;

before(async () => {
  t = await testApp({ loginMaxFailures: 3, loginLockout: 60 });
  admin = await seedTenant(t.ctx, 'admin');
});
after(() => t.close());

describe('login', () => {
  test('gives a JWT, a refresh token and HttpOnly cookies', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: admin.email, password: admin.password } });
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.equal(body.tokenType, 'Bearer');
    assert.equal(body.expiresIn, 900);
    assert.match(body.accessToken, /^eyJ/);
    const cookies = res.cookies as { name: string; httpOnly?: boolean; sameSite?: string }[];
    const access = cookies.find((c) => c.name === 'vigil_access');
    assert.ok(access?.httpOnly, 'access cookie is HttpOnly');
    assert.equal(access?.sameSite, 'Strict');
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(body.accessToken) });
    assert.equal(me.statusCode, 200);
    assert.equal(me.json().user.email, admin.email);
    assert.equal(me.json().role, 'admin');
  });

  test('a viewer may ask who it is', async () => {
    const viewer = await addUser(t.ctx, admin.tenantId, 'viewer');
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(await login(t.app, viewer)) });
    assert.equal(me.statusCode, 200, me.body);
    assert.equal(me.json().role, 'viewer');
  });

  test('the session cookie alone authenticates', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: admin.email, password: admin.password } });
    const me = await t.app.inject({ url: '/api/v1/auth/me', cookies: { vigil_access: res.json().accessToken } });
    assert.equal(me.statusCode, 200);
  });

  test('unknown account and wrong password get the same 401', async () => {
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@nowhere.test', password: 'x' }, remoteAddress: '10.0.0.1' });
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: admin.email, password: 'wrong' }, remoteAddress: '10.0.0.2' });
    assert.equal(a.statusCode, 401);
    assert.equal(b.statusCode, 401);
    assert.equal(a.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(a.json().detail, b.json().detail);
    assert.equal(a.json().type, b.json().type);
  });

  test('is throttled after repeated failures, even with the right password', async () => {
    const u = await addUser(t.ctx, admin.tenantId, 'viewer');
    const ip = '10.9.9.9';
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: 'nope' }, remoteAddress: ip });
      assert.equal(r.statusCode, 401);
    }
    const locked = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password }, remoteAddress: ip });
    assert.equal(locked.statusCode, 429);
    assert.ok(Number(locked.headers['retry-after']) > 0);
    // Another client address is not locked out by this one.
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password }, remoteAddress: '10.9.9.10' });
    assert.equal(other.statusCode, 200);
  });
});

describe('refresh and logout', () => {
  test('refresh rotates: the old refresh token stops working', async () => {
    const l = (await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: admin.email, password: admin.password } })).json();
    const r1 = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: l.refreshToken } });
    assert.equal(r1.statusCode, 200);
    assert.notEqual(r1.json().refreshToken, l.refreshToken);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: l.refreshToken } });
    assert.equal(again.statusCode, 401);
  });

  test('logout revokes the session: its access token stops working at once', async () => {
    const token = await login(t.app, admin);
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode, 200);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) })).statusCode, 204);
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode, 401);
  });

  test('a disabled user is refused at once', async () => {
    const u = await addUser(t.ctx, admin.tenantId, 'analyst');
    const token = await login(t.app, u);
    const adminToken = await login(t.app, admin);
    const d = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${u.userId}`, headers: bearer(adminToken), payload: { disabled: true } });
    assert.equal(d.statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) })).statusCode, 401);
  });
});

describe('API keys', () => {
  test('shown once, hashed, prefixed, scoped to role, revocable, last use recorded', async () => {
    const adminToken = await login(t.app, admin);
    const c = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(adminToken), payload: { name: 'ci', role: 'ingest', expiresInDays: 30 } });
    assert.equal(c.statusCode, 201);
    const { key, id, prefix } = c.json();
    assert.ok(key.startsWith(prefix + '_'));
    const stored = await t.ctx.db.system(async (q) => (await q.query<{ key_hash: Uint8Array }>('SELECT key_hash FROM api_keys WHERE id = $1', [id])).rows[0]);
    assert.ok(stored && !Buffer.from(stored.key_hash).toString('utf8').includes(key), 'only the hash is stored');
    const listed = await t.app.inject({ url: '/api/v1/api-keys', headers: bearer(adminToken) });
    assert.equal(listed.statusCode, 200);
    assert.ok(!listed.body.includes(key), 'the secret is never listed');
    // ingest is write-only: it may say who it is but not read tenant data
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(key) })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/v1/users', headers: bearer(key) })).statusCode, 403);
    const got = await t.app.inject({ url: `/api/v1/api-keys/${id}`, headers: bearer(adminToken) });
    assert.ok(got.json().lastUsedAt, 'last use recorded');
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${id}`, headers: bearer(adminToken) })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(key) })).statusCode, 401);
  });

  test('an expired key is refused', async () => {
    const adminToken = await login(t.app, admin);
    const c = (await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(adminToken), payload: { name: 'old', role: 'viewer', expiresAt: '2000-01-01T00:00:00Z' } })).json();
    assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(c.key) })).statusCode, 401);
  });
});

describe('roles', () => {
  test('viewer reads but cannot write; analyst cannot administer', async () => {
    const viewer = await addUser(t.ctx, admin.tenantId, 'viewer');
    const analyst = await addUser(t.ctx, admin.tenantId, 'analyst');
    const vt = await login(t.app, viewer);
    const at = await login(t.app, analyst);
    assert.equal((await t.app.inject({ url: '/api/v1/users', headers: bearer(vt) })).statusCode, 200);
    const denied = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(vt), payload: { email: 'x@y.test', password: 'long-enough-pass', role: 'viewer' } });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().type, 'urn:vigil:problem:forbidden');
    assert.equal((await t.app.inject({ url: '/api/v1/api-keys', headers: bearer(at) })).statusCode, 403);
  });
});
