import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT, UnsecuredJWT } from 'jose';
import { TokenSigner } from './tokens.js';

const SECRET = 'x'.repeat(48);
const claims = { userId: '00000000-0000-4000-8000-000000000001', tenantId: '00000000-0000-4000-8000-000000000002', role: 'analyst' as const, sessionId: '00000000-0000-4000-8000-000000000003' };

test('sign then verify gives the claims back', async () => {
  const s = new TokenSigner(SECRET, 900);
  assert.deepEqual(await s.verify(await s.sign(claims)), claims);
});

test('expired, foreign-key, tampered and unsigned tokens are rejected', async () => {
  const s = new TokenSigner(SECRET, 60);
  const t = await s.sign(claims, new Date('2026-01-01T00:00:00Z'));
  assert.equal(await s.verify(t, new Date('2026-01-01T00:02:00Z')), undefined, 'expired');
  assert.equal(await new TokenSigner('y'.repeat(48), 60).verify(await s.sign(claims)), undefined, 'other key');
  const good = await s.sign(claims);
  const [h, p, sig] = good.split('.');
  const evil = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), role: 'admin' })).toString('base64url');
  assert.equal(await s.verify(`${h}.${evil}.${sig}`), undefined, 'tampered payload');
  const none = new UnsecuredJWT({ tid: claims.tenantId, role: 'admin', sid: claims.sessionId }).setSubject(claims.userId).setIssuer('vigil').setAudience('vigil-api').setExpirationTime('1h').encode();
  assert.equal(await s.verify(none), undefined, 'alg=none');
  const hs512 = await new SignJWT({ tid: claims.tenantId, role: 'admin', sid: claims.sessionId }).setProtectedHeader({ alg: 'HS512' }).setSubject(claims.userId).setIssuer('vigil').setAudience('vigil-api').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
  assert.equal(await s.verify(hs512), undefined, 'other algorithm');
  assert.equal(await s.verify('garbage'), undefined);
  assert.equal(await s.verify(''), undefined);
});

test('unknown roles in a validly signed token are rejected', async () => {
  const forged = await new SignJWT({ tid: claims.tenantId, role: 'root', sid: claims.sessionId }).setProtectedHeader({ alg: 'HS256' }).setSubject(claims.userId).setIssuer('vigil').setAudience('vigil-api').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
  assert.equal(await new TokenSigner(SECRET, 60).verify(forged), undefined);
});
