import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiKeyPrefix, looksLikeApiKey, newApiKey, newRefreshToken, secretMatches, sha256 } from './secrets.js';
import { generatePassword, hashPassword, verifyPassword } from '../auth/passwords.js';

test('API keys are random, prefixed and verifiable by hash only', () => {
  const a = newApiKey();
  const b = newApiKey();
  assert.notEqual(a.key, b.key);
  assert.match(a.key, /^vgl_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
  assert.equal(apiKeyPrefix(a.key), a.prefix);
  assert.ok(a.key.startsWith(a.prefix + '_'));
  assert.equal(secretMatches(a.key, a.hash), true);
  assert.equal(secretMatches(b.key, a.hash), false);
  assert.equal(secretMatches(a.key.slice(0, -1) + 'x', a.hash), false);
  assert.ok(!a.hash.toString('hex').includes(a.key), 'the hash is not the key');
});

test('malformed API keys have no prefix', () => {
  for (const bad of ['', 'vgl_', 'vgl_short_x', 'ghp_abcdefabcdef_' + 'a'.repeat(43), 'vgl_abcdefabcdef_' + 'a'.repeat(42), 'vgl_abcdefabcdef_' + 'a'.repeat(43) + '\n']) {
    assert.equal(apiKeyPrefix(bad), undefined, JSON.stringify(bad));
  }
  assert.equal(looksLikeApiKey('vgl_x'), true);
  assert.equal(looksLikeApiKey('eyJhbGciOi'), false);
});

test('refresh tokens are 256-bit and hashed with SHA-256', () => {
  const t = newRefreshToken();
  assert.equal(Buffer.from(t.token, 'base64url').length, 32);
  assert.deepEqual(t.hash, sha256(t.token));
});

test('argon2id passwords verify; unknown users never verify', async () => {
  const h = await hashPassword('correct horse battery staple');
  assert.match(h, /^\$argon2id\$/);
  assert.equal(await verifyPassword(h, 'correct horse battery staple'), true);
  assert.equal(await verifyPassword(h, 'wrong'), false);
  assert.equal(await verifyPassword(undefined, 'anything'), false);
  assert.equal(await verifyPassword('not-a-hash', 'x'), false);
});

test('generated passwords are long and distinct', () => {
  const seen = new Set(Array.from({ length: 50 }, generatePassword));
  assert.equal(seen.size, 50);
  for (const p of seen) assert.equal(p.length, 20);
});
