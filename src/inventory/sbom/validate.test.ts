import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, itemsUnique, jsonEqual } from './validate.js';

const many = (n: number, f: (i: number) => unknown): unknown[] => Array.from({ length: n }, (_, i) => f(i));

test('itemsUnique: deep equality, object key order ignored, short and long arrays alike', () => {
  for (const n of [3, 40, 5000]) {
    const items = many(n, (i) => ({ type: 'library', name: `p${i}`, 'bom-ref': `r${i}`, hashes: [{ alg: 'SHA-256', content: `${i}` }] }));
    assert.equal(itemsUnique(items), true, `${n} distinct`);
    assert.equal(itemsUnique([...items, { hashes: [{ content: '1', alg: 'SHA-256' }], 'bom-ref': 'r1', name: 'p1', type: 'library' }]), false, `${n} + a reordered copy`);
    assert.equal(itemsUnique([...items, { ...(items[1] as object), hashes: [{ alg: 'SHA-256', content: 'other' }] }]), true, `${n} + a near copy`);
  }
  assert.equal(itemsUnique(many(100, (i) => (i % 2 ? String(i) : i))), true, 'strings and numbers with the same text differ');
  assert.equal(itemsUnique([...many(100, (i) => `s${i}`), 's7']), false);
  assert.equal(itemsUnique([...many(100, (i) => [i, 'x']), [7, 'x']]), false);
  assert.equal(itemsUnique([...many(100, (i) => i), null, true, null]), false);
});

test('itemsUnique: items alike in every discriminating member stay linear and exact', () => {
  const alike = many(50_000, (i) => ({ name: 'same', nested: { n: i } }));
  const started = performance.now();
  assert.equal(itemsUnique(alike), true);
  assert.equal(itemsUnique([...alike, { nested: { n: 49_999 }, name: 'same' }]), false);
  assert.equal(itemsUnique(many(50_000, () => ({}))), false);
  assert.ok(performance.now() - started < 10_000);
});

test('canonicalJson equals exactly where jsonEqual does', () => {
  const pairs: [unknown, unknown][] = [
    [{ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 }],
    [{ a: 1 }, { a: '1' }],
    [[1, 2], [2, 1]],
    [JSON.parse('{"__proto__": 1, "a": 2}'), JSON.parse('{"a": 2, "__proto__": 1}')],
    [JSON.parse('{"__proto__": 1}'), {}],
  ];
  for (const [a, b] of pairs) assert.equal(canonicalJson(a) === canonicalJson(b), jsonEqual(a, b), JSON.stringify([a, b]));
});
