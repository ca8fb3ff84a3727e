import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ensureFirstAdmin } from '../../src/app/bootstrap.js';
import { createContext } from '../../src/app/context.js';
import { createLogger } from '../../src/observability/logger.js';
import { buildApp } from '../../src/server/app.js';
import { bearer, login, testApp, testConfig, type TestApp } from '../helpers/app.js';
import { testDatabase } from '../helpers/db.js';

let t: TestApp;
before(async () => {
  t = await testApp();
});
after(() => t.close());

test('first start creates the admin with a one-time password that must be changed first', async () => {
  const boot = await ensureFirstAdmin(t.ctx.db, { adminEmail: undefined, adminPassword: undefined });
  assert.equal(boot.created, true);
  assert.equal(boot.email, 'admin@localhost');
  assert.ok(boot.oneTimePassword && boot.oneTimePassword.length >= 20);
  assert.equal((await ensureFirstAdmin(t.ctx.db, { adminEmail: undefined, adminPassword: undefined })).created, false, 'only once');

  const token = await login(t.app, { email: 'admin@localhost', password: boot.oneTimePassword });
  const blocked = await t.app.inject({ url: '/api/v1/users', headers: bearer(token) });
  assert.equal(blocked.statusCode, 403);
  assert.match(blocked.json().detail, /Password change required/);
  const me = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(token) });
  assert.equal(me.json().user.mustChangePassword, true);
  const changed = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(token), payload: { currentPassword: boot.oneTimePassword, newPassword: 'a-new-long-password' } });
  assert.equal(changed.statusCode, 204);
  assert.equal((await t.app.inject({ url: '/api/v1/users', headers: bearer(token) })).statusCode, 401, 'changing the password ends the sessions');
  const fresh = await login(t.app, { email: 'admin@localhost', password: 'a-new-long-password' });
  assert.equal((await t.app.inject({ url: '/api/v1/users', headers: bearer(fresh) })).statusCode, 200);
});

test('VIGIL_ADMIN_EMAIL / VIGIL_ADMIN_PASSWORD choose the first admin', async () => {
  const other = await testApp();
  try {
    const boot = await ensureFirstAdmin(other.ctx.db, { adminEmail: 'Root@Example.test', adminPassword: 'configured-password-123' });
    assert.deepEqual(boot, { created: true, email: 'root@example.test' });
    const token = await login(other.app, { email: 'root@example.test', password: 'configured-password-123' });
    assert.equal((await other.app.inject({ url: '/api/v1/users', headers: bearer(token) })).statusCode, 200);
  } finally {
    await other.close();
  }
});

test('logs carry request ids and never passwords, tokens or API keys', async () => {
  const lines: string[] = [];
  const sink = new Writable({ write(chunk: Buffer, _e, cb) { lines.push(chunk.toString('utf8')); cb(); } });
  const d = await testDatabase();
  const config = testConfig({ logLevel: 'trace' });
  const ctx = await createContext(config, { db: d.db, logger: createLogger('trace', sink), defaultMetrics: false });
  const app = await buildApp(ctx);
  try {
    await ensureFirstAdmin(ctx.db, { adminEmail: 'log@test.test', adminPassword: 'log-test-password-1' });
    const l = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'log@test.test', password: 'log-test-password-1' }, headers: { 'x-request-id': 'log-req-1' } });
    const { accessToken, refreshToken } = l.json();
    const k = await app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(accessToken), payload: { name: 'k', role: 'viewer' } });
    const key = k.json().key as string;
    await app.inject({ url: '/api/v1/auth/me', headers: bearer(key) });
    await app.inject({ url: '/api/v1/auth/me', cookies: { vigil_access: accessToken } });
    await app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
    const all = lines.join('');
    assert.ok(all.includes('log-req-1'), 'request ids are logged');
    for (const secret of ['log-test-password-1', accessToken, refreshToken, key]) {
      assert.ok(!all.includes(secret), `a secret reached the log: ${secret.slice(0, 12)}…`);
    }
  } finally {
    await app.close();
    await d.cleanup();
  }
});
