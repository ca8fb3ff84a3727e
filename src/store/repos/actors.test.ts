import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseActor, userLabel } from './actors.js';

const ID = '0b6f2c9e-4d8a-4f7e-9a51-3c2d1e0f9a8b';

test('parseActor: users, API keys and the system', () => {
  assert.deepEqual(parseActor(`user:${ID}`), { kind: 'user', id: ID });
  assert.deepEqual(parseActor(`user:${ID.toUpperCase()}`), { kind: 'user', id: ID });
  assert.deepEqual(parseActor(`api-key:${ID}`), { kind: 'apikey', id: ID });
  assert.deepEqual(parseActor('system:match'), { kind: 'system', id: 'match' });
  assert.deepEqual(parseActor('system:sla'), { kind: 'system', id: 'sla' });
});

test('parseActor: anything else is unknown and kept whole', () => {
  for (const a of ['', 'user:', 'user:not-a-uuid', `user:${ID}x`, `apikey:${ID}`, 'system:', 'alice', ':', `user:${ID}\nsystem:x`, 'x'.repeat(10_000)]) {
    assert.deepEqual(parseActor(a), { kind: 'unknown', id: a }, JSON.stringify(a.slice(0, 40)));
  }
});

test('userLabel: name and email, or the email alone', () => {
  assert.equal(userLabel('Ada Lovelace', 'ada@example.com'), 'Ada Lovelace <ada@example.com>');
  assert.equal(userLabel('  ', 'ada@example.com'), 'ada@example.com');
  assert.equal(userLabel('', 'ada@example.com'), 'ada@example.com');
});
