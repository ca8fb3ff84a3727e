import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { addUser, bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';

/**
 * Users in several tenants (migration 015, ADR 0003): a user of A added to B by B's admin
 * switches into B, sees B's data only, and back; removal, disabling and password changes end
 * the sessions; B's admin never reaches A's user row or A's data; API keys cannot switch;
 * adding an email answers the same whether or not the account exists.
 */
let t: TestApp;
let a: SeededUser; // admin of A
let b: SeededUser; // admin of B
let tokenA: string;
let tokenB: string;
const projects: Record<'a' | 'b', string> = { a: '', b: '' };

const json = <T>(r: LightMyRequestResponse): T => r.json<T>();

async function addMember(token: string, email: string, role: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: '/api/v1/tenant/members', headers: bearer(token), payload: { email, role } });
}

async function switchTo(token: string, tenantId: string): Promise<LightMyRequestResponse> {
  return t.app.inject({ method: 'POST', url: '/api/v1/auth/switch', headers: bearer(token), payload: { tenantId } });
}

async function projectNames(token: string): Promise<string[]> {
  const r = await t.app.inject({ url: '/api/v1/projects', headers: bearer(token) });
  assert.equal(r.statusCode, 200, r.body);
  return json<{ items: { name: string }[] }>(r).items.map((p) => p.name);
}

before(async () => {
  t = await testApp();
  a = await seedTenant(t.ctx, 'admin');
  b = await seedTenant(t.ctx, 'admin');
  tokenA = await login(t.app, a);
  tokenB = await login(t.app, b);
  for (const [k, token] of [['a', tokenA], ['b', tokenB]] as const) {
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer(token), payload: { name: `secret-of-${k}` } });
    assert.equal(r.statusCode, 201, r.body);
    projects[k] = json<{ id: string }>(r).id;
  }
});
after(() => t.close());

describe('a user of A added to B', () => {
  let u: SeededUser;
  let memberId: string;

  before(async () => {
    u = await addUser(t.ctx, a.tenantId, 'analyst');
    const r = await addMember(tokenB, u.email, 'viewer');
    assert.equal(r.statusCode, 201, r.body);
    memberId = json<{ id: string }>(r).id;
  });

  test('lists both tenants, home first, the current one marked', async () => {
    const token = await login(t.app, u);
    const r = await t.app.inject({ url: '/api/v1/auth/tenants', headers: bearer(token) });
    assert.equal(r.statusCode, 200, r.body);
    const items = json<{ items: { id: string; role: string; home: boolean; current: boolean }[] }>(r).items;
    assert.deepEqual(
      items.map((x) => [x.id, x.role, x.home, x.current]),
      [
        [a.tenantId, 'analyst', true, true],
        [b.tenantId, 'viewer', false, false],
      ],
    );
  });

  test("switches to B and sees B's data only, with B's role; back to A sees A's", async () => {
    const home = await login(t.app, u);
    assert.deepEqual(await projectNames(home), ['secret-of-a']);
    const sw = await switchTo(home, b.tenantId);
    assert.equal(sw.statusCode, 200, sw.body);
    const body = json<{ accessToken: string; refreshToken: string; tenant: { id: string; name: string }; role: string }>(sw);
    assert.equal(body.tenant.id, b.tenantId);
    assert.equal(body.role, 'viewer');
    const cookies = sw.cookies as { name: string; httpOnly?: boolean; path?: string }[];
    assert.ok(cookies.find((c) => c.name === 'vigil_access')?.httpOnly, 'sets the access cookie like login');
    assert.equal(cookies.find((c) => c.name === 'vigil_refresh')?.path, '/api/v1/auth');
    const inB = body.accessToken;
    assert.deepEqual(await projectNames(inB), ['secret-of-b']);
    const getA = await t.app.inject({ url: `/api/v1/projects/${projects.a}`, headers: bearer(inB) });
    assert.equal(getA.statusCode, 404, "A's project is invisible from B");
    // The viewer role of the membership applies, not the analyst role at home.
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer(inB), payload: { name: 'by-member' } });
    assert.equal(write.statusCode, 403);
    // /auth/me: B's tenant, B's role, the user's own (home) row.
    const me = json<{ tenant: { id: string }; role: string; user: { id: string; email: string } | null }>(await t.app.inject({ url: '/api/v1/auth/me', headers: bearer(inB) }));
    assert.equal(me.tenant.id, b.tenantId);
    assert.equal(me.role, 'viewer');
    assert.equal(me.user?.email, u.email);
    // B's users and audit lists do not show A's users.
    const users = await t.app.inject({ url: '/api/v1/users', headers: bearer(tokenB) });
    assert.ok(!users.body.includes(a.email));
    // The home session still works: switching revokes nothing else.
    assert.deepEqual(await projectNames(home), ['secret-of-a']);
    // Refresh keeps the member in B with B's role.
    const ref = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: body.refreshToken } });
    assert.equal(ref.statusCode, 200, ref.body);
    assert.deepEqual(await projectNames(json<{ accessToken: string }>(ref).accessToken), ['secret-of-b']);
    // And back home.
    const back = await switchTo(inB, a.tenantId);
    assert.equal(back.statusCode, 200, back.body);
    assert.equal(json<{ role: string }>(back).role, 'analyst');
    assert.deepEqual(await projectNames(json<{ accessToken: string }>(back).accessToken), ['secret-of-a']);
  });

  test("B's admin sees the member but never A's user row, and cannot reset its password", async () => {
    const list = await t.app.inject({ url: '/api/v1/tenant/members', headers: bearer(tokenB) });
    assert.equal(list.statusCode, 200, list.body);
    const items = json<{ items: { id: string; email: string; role: string; createdBy: string }[] }>(list).items;
    assert.deepEqual(items.map((m) => [m.email, m.role, m.createdBy]), [[u.email, 'viewer', b.email]]);
    assert.ok(!list.body.includes(u.userId), 'no user id');
    assert.ok(!list.body.includes(a.tenantId), 'no home tenant');
    for (const req of [
      { method: 'GET' as const, url: `/api/v1/users/${u.userId}` },
      { method: 'PATCH' as const, url: `/api/v1/users/${u.userId}`, payload: { password: 'hijacked-password-123', disabled: true } },
      { method: 'DELETE' as const, url: `/api/v1/users/${u.userId}` },
    ]) {
      const r = await t.app.inject({ ...req, headers: bearer(tokenB) });
      assert.equal(r.statusCode, 404, `${req.method} ${req.url}: ${r.body}`);
    }
    assert.ok(await login(t.app, u), 'the password is unchanged');
    // A's admin, for its part, does not see B's membership rows.
    const fromA = await t.app.inject({ url: '/api/v1/tenant/members', headers: bearer(tokenA) });
    assert.deepEqual(json<{ items: unknown[] }>(fromA).items, []);
    for (const req of [
      { method: 'PATCH' as const, url: `/api/v1/tenant/members/${memberId}`, payload: { role: 'admin' } },
      { method: 'DELETE' as const, url: `/api/v1/tenant/members/${memberId}` },
    ]) {
      const r = await t.app.inject({ ...req, headers: bearer(tokenA) });
      assert.equal(r.statusCode, 404, `A's admin on B's membership: ${req.method}`);
      assert.equal(json<{ type: string }>(r).type, 'urn:vigil:problem:not-found');
    }
    // B's own admin lists B only among its tenants.
    const mine = json<{ items: { id: string }[] }>(await t.app.inject({ url: '/api/v1/auth/tenants', headers: bearer(tokenB) })).items;
    assert.deepEqual(mine.map((x) => x.id), [b.tenantId]);
  });

  test("a member who is B's admin still cannot reach A's user rows", async () => {
    const admin = await addUser(t.ctx, a.tenantId, 'viewer');
    assert.equal((await addMember(tokenB, admin.email, 'admin')).statusCode, 201);
    const inB = json<{ accessToken: string }>(await switchTo(await login(t.app, admin), b.tenantId)).accessToken;
    const users = await t.app.inject({ url: '/api/v1/users', headers: bearer(inB) });
    assert.equal(users.statusCode, 200);
    assert.ok(!users.body.includes(a.email) && !users.body.includes(u.email));
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${a.userId}`, headers: bearer(inB), payload: { role: 'viewer' } });
    assert.equal(patch.statusCode, 404);
    // An API key it creates belongs to B (created by the member) and cannot switch.
    const key = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(inB), payload: { name: 'member-key', role: 'viewer' } });
    assert.equal(key.statusCode, 201, key.body);
    const secret = json<{ key: string }>(key).key;
    assert.deepEqual(await projectNames(secret), ['secret-of-b']);
    const sw = await switchTo(secret, a.tenantId);
    assert.equal(sw.statusCode, 403);
    assert.match(json<{ detail: string }>(sw).detail, /API key belongs to one tenant/);
    const tenants = json<{ items: { id: string }[] }>(await t.app.inject({ url: '/api/v1/auth/tenants', headers: bearer(secret) })).items;
    assert.deepEqual(tenants.map((x) => x.id), [b.tenantId]);
    // The audit record in B names the member by email.
    const audit = await t.app.inject({ url: '/api/v1/audit?limit=100', headers: bearer(tokenB) });
    assert.ok(audit.body.includes(admin.email));
    assert.ok(!audit.body.includes(a.tenantId), "B's audit log does not name A");
  });

  test('a role change applies to the next request', async () => {
    const inB = json<{ accessToken: string }>(await switchTo(await login(t.app, u), b.tenantId)).accessToken;
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/tenant/members/${memberId}`, headers: bearer(tokenB), payload: { role: 'analyst' } });
    assert.equal(patch.statusCode, 200, patch.body);
    const write = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer(inB), payload: { name: 'by-member' } });
    assert.equal(write.statusCode, 201, write.body);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${json<{ id: string }>(write).id}`, headers: bearer(inB) });
    assert.equal(del.statusCode, 403);
    const cleanup = await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${json<{ id: string }>(write).id}`, headers: bearer(tokenB) });
    assert.equal(cleanup.statusCode, 204);
  });
});

describe('ending access', () => {
  test('a non-member cannot switch: 404 for a foreign tenant and for no tenant at all', async () => {
    const stranger = await addUser(t.ctx, a.tenantId, 'admin');
    const token = await login(t.app, stranger);
    for (const id of [b.tenantId, '00000000-0000-4000-8000-000000000000']) {
      const r = await switchTo(token, id);
      assert.equal(r.statusCode, 404, r.body);
      assert.equal(json<{ type: string }>(r).type, 'urn:vigil:problem:not-found');
    }
  });

  test('removing the membership ends its sessions in B (access and refresh), not at home', async () => {
    const u = await addUser(t.ctx, a.tenantId, 'viewer');
    const m = json<{ id: string }>(await addMember(tokenB, u.email, 'viewer'));
    const home = await login(t.app, u);
    const sw = json<{ accessToken: string; refreshToken: string }>(await switchTo(home, b.tenantId));
    assert.deepEqual(await projectNames(sw.accessToken), ['secret-of-b']);
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/tenant/members/${m.id}`, headers: bearer(tokenB) });
    assert.equal(del.statusCode, 204);
    const after = await t.app.inject({ url: '/api/v1/projects', headers: bearer(sw.accessToken) });
    assert.equal(after.statusCode, 401, 'the access token stops at once (the session row is checked per request)');
    const ref = await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: sw.refreshToken } });
    assert.equal(ref.statusCode, 401);
    assert.equal((await switchTo(home, b.tenantId)).statusCode, 404);
    assert.deepEqual(await projectNames(home), ['secret-of-a'], 'the home session stays');
  });

  test("disabling the user at home ends its member sessions; refresh fails", async () => {
    const u = await addUser(t.ctx, a.tenantId, 'viewer');
    assert.equal((await addMember(tokenB, u.email, 'viewer')).statusCode, 201);
    const sw = json<{ accessToken: string; refreshToken: string }>(await switchTo(await login(t.app, u), b.tenantId));
    const dis = await t.app.inject({ method: 'PATCH', url: `/api/v1/users/${u.userId}`, headers: bearer(tokenA), payload: { disabled: true } });
    assert.equal(dis.statusCode, 200, dis.body);
    assert.equal((await t.app.inject({ url: '/api/v1/projects', headers: bearer(sw.accessToken) })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken: sw.refreshToken } })).statusCode, 401);
    const revoked = await t.ctx.db.system(async (q) => (await q.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND revoked_at IS NULL', [u.userId])).rows[0]!.n);
    assert.equal(revoked, 0, 'every session, in A and in B, is revoked');
  });

  test('a password change made from B acts on the home row and signs out everywhere', async () => {
    const u = await addUser(t.ctx, a.tenantId, 'viewer');
    assert.equal((await addMember(tokenB, u.email, 'analyst')).statusCode, 201);
    const home = await login(t.app, u);
    const inB = json<{ accessToken: string }>(await switchTo(home, b.tenantId)).accessToken;
    const newPassword = 'a-brand-new-password-42';
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/auth/password', headers: bearer(inB), payload: { currentPassword: u.password, newPassword } });
    assert.equal(r.statusCode, 204, r.body);
    assert.equal((await t.app.inject({ url: '/api/v1/projects', headers: bearer(inB) })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/v1/projects', headers: bearer(home) })).statusCode, 401);
    await assert.rejects(login(t.app, u), /401/);
    assert.ok(await login(t.app, { email: u.email, password: newPassword }));
  });

  test('deleting the user at home removes its member sessions; the membership row stays unbound', async () => {
    const u = await addUser(t.ctx, a.tenantId, 'viewer');
    const m = json<{ id: string }>(await addMember(tokenB, u.email, 'viewer'));
    const inB = json<{ accessToken: string }>(await switchTo(await login(t.app, u), b.tenantId)).accessToken;
    assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${u.userId}`, headers: bearer(tokenA) })).statusCode, 204);
    assert.equal((await t.app.inject({ url: '/api/v1/projects', headers: bearer(inB) })).statusCode, 401);
    const row = await t.ctx.db.tenant(b.tenantId, async (q) => (await q.query<{ user_id: string | null }>('SELECT user_id FROM tenant_memberships WHERE id = $1', [m.id])).rows[0]);
    assert.equal(row?.user_id, null);
  });
});

describe('account enumeration by a B admin', () => {
  test('adding an existing and an unknown email answer the same shape; neither names the account', async () => {
    const u = await addUser(t.ctx, a.tenantId, 'viewer');
    const known = await addMember(tokenB, u.email, 'viewer');
    const unknown = await addMember(tokenB, 'nobody-here@unknown.test', 'viewer');
    assert.equal(known.statusCode, 201);
    assert.equal(unknown.statusCode, 201);
    const k = json<Record<string, unknown>>(known);
    const n = json<Record<string, unknown>>(unknown);
    assert.deepEqual(Object.keys(k).sort(), Object.keys(n).sort());
    assert.equal(k['lastSwitchedAt'], null);
    assert.equal(n['lastSwitchedAt'], null);
    assert.ok(!known.body.includes(u.userId) && !known.body.includes(a.tenantId));
    // The list shows both alike too.
    const list = await t.app.inject({ url: '/api/v1/tenant/members?sort=email&limit=500', headers: bearer(tokenB) });
    const rows = json<{ items: Record<string, unknown>[] }>(list).items.filter((x) => x['email'] === u.email || x['email'] === 'nobody-here@unknown.test');
    assert.equal(rows.length, 2);
    assert.deepEqual(rows.map((x) => x['lastSwitchedAt']), [null, null]);
  });

  test('an account created later with a pending email is not bound to the membership', async () => {
    const email = 'later@unknown.test';
    assert.equal((await addMember(tokenB, email, 'admin')).statusCode, 201);
    // Another tenant's admin creates that email with a password of its choosing.
    const c = await seedTenant(t.ctx, 'admin');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(await login(t.app, c)), payload: { email, password: 'chosen-by-c-admin-1', role: 'viewer' } });
    assert.equal(created.statusCode, 201, created.body);
    const token = await login(t.app, { email, password: 'chosen-by-c-admin-1' });
    assert.equal((await switchTo(token, b.tenantId)).statusCode, 404, 'no access to B through a pending membership');
  });

  test('conflicts: a user of this tenant, or an email already a member, is 409; validation 400', async () => {
    assert.equal((await addMember(tokenB, b.email, 'viewer')).statusCode, 409);
    const u = await addUser(t.ctx, a.tenantId, 'viewer');
    assert.equal((await addMember(tokenB, u.email, 'viewer')).statusCode, 201);
    assert.equal((await addMember(tokenB, u.email.toUpperCase(), 'admin')).statusCode, 409);
    assert.equal((await addMember(tokenB, 'not-an-email', 'viewer')).statusCode, 400);
    assert.equal((await addMember(tokenB, u.email, 'root')).statusCode, 400);
  });

  test('only admins manage members; every change is audited', async () => {
    const viewer = await addUser(t.ctx, b.tenantId, 'viewer');
    const vt = await login(t.app, viewer);
    assert.equal((await addMember(vt, 'x@y.test', 'viewer')).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/tenant/members', headers: bearer(vt) })).statusCode, 403);
    const audit = await t.app.inject({ url: '/api/v1/audit?limit=500', headers: bearer(tokenB) });
    const items = json<{ items: { action: string; details: Record<string, unknown> }[] }>(audit).items;
    // The audit hook names actions after the route: POST /tenant/members → tenant.members, the
    // id routes tenant.members.update / .delete (src/server/plugins/audit.ts).
    const seen = new Set(items.map((x) => `${x.action} ${typeof x.details['route'] === 'string' ? x.details['route'] : ''}`));
    for (const action of ['tenant.members /api/v1/tenant/members', 'tenant.members.update /api/v1/tenant/members/:id', 'tenant.members.delete /api/v1/tenant/members/:id', 'auth.switch ']) {
      assert.ok(seen.has(action), `audit has ${action}: ${[...seen].join(', ')}`);
    }
  });
});
