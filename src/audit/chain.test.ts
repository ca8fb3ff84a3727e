import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, GENESIS_HASH, recordHash, type ChainedFields } from './chain.js';

const base: ChainedFields = {
  seq: 1, occurredAt: '2026-01-01T00:00:00.000Z', tenantId: null, actorType: 'system', actorId: null,
  actorLabel: 'system', action: 'x', targetType: null, targetId: null, requestId: null, ip: null,
  outcome: 'success', details: '{}', prevHash: GENESIS_HASH,
};

test('canonical JSON sorts keys at every level', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[{"y":2,"z":1}]},"b":1}');
});

test('the hash changes with every covered field', () => {
  const h = recordHash(base);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(recordHash({ ...base }), h, 'deterministic');
  for (const [k, v] of Object.entries({ seq: 2, occurredAt: '2026-01-01T00:00:00.001Z', tenantId: 'x', actorType: 'user', actorId: 'u', actorLabel: 'a', action: 'y', targetType: 't', targetId: 'i', requestId: 'r', ip: '1.2.3.4', outcome: 'failure', details: '{"a":1}', prevHash: 'f'.repeat(64) })) {
    assert.notEqual(recordHash({ ...base, [k]: v }), h, `field ${k}`);
  }
});

test('field boundaries cannot be shifted to forge the same hash', () => {
  assert.notEqual(recordHash({ ...base, actorLabel: 'ab', action: 'c' }), recordHash({ ...base, actorLabel: 'a', action: 'bc' }));
});
