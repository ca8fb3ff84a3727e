import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendAudit } from '../../src/audit/log.js';
import { verifyAuditChain } from '../../src/audit/verify.js';
import { addUser, bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: SeededUser;
let token: string;

before(async () => {
  t = await testApp();
  admin = await seedTenant(t.ctx, 'admin');
  token = await login(t.app, admin);
});
after(() => t.close());

/** Runs SQL as the owner with the append-only triggers off: what an attacker with DB access would do. */
async function tamper(sql: string, params: unknown[] = []): Promise<void> {
  await t.ctx.db.system(async (q) => {
    await q.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await q.query(sql, params);
    await q.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
  });
}

test('logins and mutating calls are audited with actor, tenant, action, target and request id', async () => {
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: { ...bearer(token), 'x-request-id': 'req-audit-1' }, payload: { email: 'new@audit.test', password: 'long-enough-pass', role: 'viewer' } });
  assert.equal(created.statusCode, 201);
  await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: admin.email, password: 'wrong' }, remoteAddress: '10.5.5.5' });
  const res = await t.app.inject({ url: '/api/v1/audit?limit=50', headers: bearer(token) });
  assert.equal(res.statusCode, 200);
  const items = res.json().items as { action: string; actorId: string; tenantId: string; targetId: string; requestId: string; outcome: string; ip: string }[];
  const create = items.find((i) => i.requestId === 'req-audit-1');
  assert.ok(create, 'the create call is in the log');
  assert.equal(create.action, 'users.create');
  assert.equal(create.actorId, admin.userId);
  assert.equal(create.tenantId, admin.tenantId);
  assert.equal(create.targetId, created.json().id);
  assert.equal(create.outcome, 'success');
  assert.ok(items.some((i) => i.action === 'auth.login' && i.outcome === 'success' && i.actorId === admin.userId));
  assert.ok(items.some((i) => i.action === 'auth.login' && i.outcome === 'failure' && i.ip === '10.5.5.5'), 'failed logins are recorded in the tenant of the account');
  assert.ok(!res.body.includes('long-enough-pass'), 'no secrets in the audit log');
});

test('refused mutations are audited as failures', async () => {
  const viewer = await addUser(t.ctx, admin.tenantId, 'viewer');
  const vt = await login(t.app, viewer);
  const r = await t.app.inject({ method: 'DELETE', url: `/api/v1/users/${admin.userId}`, headers: bearer(vt) });
  assert.equal(r.statusCode, 403);
  const items = (await t.app.inject({ url: '/api/v1/audit?action=users.delete', headers: bearer(token) })).json().items;
  assert.equal(items[0].outcome, 'failure');
  assert.equal(items[0].actorId, viewer.userId);
  assert.equal(items[0].details.status, 403);
});

test('the audit log is admin-only', async () => {
  const analyst = await addUser(t.ctx, admin.tenantId, 'analyst');
  assert.equal((await t.app.inject({ url: '/api/v1/audit', headers: bearer(await login(t.app, analyst)) })).statusCode, 403);
});

test('the database refuses UPDATE and DELETE on the log', async () => {
  await assert.rejects(t.ctx.db.system((q) => q.query("UPDATE audit_log SET actor_label = 'x'")), /append-only/);
  await assert.rejects(t.ctx.db.system((q) => q.query('DELETE FROM audit_log')), /append-only/);
});

test('verify passes on an intact chain, then catches a changed, a deleted and a cut-off record', async () => {
  for (let i = 0; i < 5; i++) {
    await t.ctx.db.system((q) => appendAudit(q, { tenantId: admin.tenantId, actorType: 'system', actorId: null, actorLabel: 'test', action: `test.${i}`, outcome: 'success', details: { i } }));
  }
  const ok = await verifyAuditChain(t.ctx.db, { checkpoint: true });
  assert.equal(ok.ok, true, JSON.stringify(ok.problems));
  assert.ok(ok.checked >= 5);
  assert.match(ok.head!.hash, /^[0-9a-f]{64}$/);

  await tamper("UPDATE audit_log SET actor_label = 'mallory' WHERE seq = 2");
  const changed = await verifyAuditChain(t.ctx.db);
  assert.equal(changed.ok, false);
  assert.ok(changed.problems.some((p) => p.seq === 2 && /does not match its hash/.test(p.reason)));
});

test('verify catches a deleted record and a cut-off tail', async () => {
  const fresh = await testApp();
  try {
    for (let i = 0; i < 6; i++) {
      await fresh.ctx.db.system((q) => appendAudit(q, { tenantId: null, actorType: 'system', actorId: null, actorLabel: 'test', action: `a.${i}`, outcome: 'success' }));
    }
    assert.equal((await verifyAuditChain(fresh.ctx.db, { checkpoint: true })).ok, true);
    await fresh.ctx.db.system(async (q) => {
      await q.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await q.query('DELETE FROM audit_log WHERE seq = 3');
      await q.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const gap = await verifyAuditChain(fresh.ctx.db);
    assert.equal(gap.ok, false);
    assert.ok(gap.problems.some((p) => p.seq === 4 && /missing/.test(p.reason)));
    await fresh.ctx.db.system(async (q) => {
      await q.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
      await q.query('DELETE FROM audit_log WHERE seq >= 3');
      await q.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    });
    const cut = await verifyAuditChain(fresh.ctx.db);
    assert.equal(cut.ok, false, 'a cut-off tail is caught by the checkpoint');
    assert.ok(cut.problems.some((p) => p.seq === 6 && /cut back/.test(p.reason)));
  } finally {
    await fresh.close();
  }
});
