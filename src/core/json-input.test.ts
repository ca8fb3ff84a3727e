import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { firstIssue, jsonPointer, nestingDepthExceeds, readJson, readString } from './json-input.js';

const limits = { maxBytes: 1024, maxDepth: 5 };
const bytes = (s: string) => new TextEncoder().encode(s);

test('readJson: happy input, with and without a BOM', () => {
  assert.deepEqual(readJson(bytes('{"a":[1,2]}'), limits), { ok: true, value: { a: [1, 2] } });
  assert.deepEqual(readJson(bytes('\uFEFF {"a":1}'), limits), { ok: true, value: { a: 1 } });
});

test('readJson: empty and broken input are problems, not exceptions', () => {
  const cases: [string | Uint8Array, RegExp][] = [
    ['', /input is empty/],
    ['  \n', /input is empty/],
    ['{"a":', /^malformed JSON: /],
    ['{a:1}', /^malformed JSON: /],
    [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), /not valid UTF-8/],
  ];
  for (const [input, reason] of cases) {
    const r = readJson(typeof input === 'string' ? bytes(input) : input, limits);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.problem.reason, reason);
  }
});

test('readJson: size cap is checked on bytes before decoding', () => {
  const r = readJson(bytes(`"${'x'.repeat(1100)}"`), limits);
  assert.equal(r.ok, false);
  if (!r.ok) assert.equal(r.problem.reason, 'input is 1102 bytes, over the 1024-byte limit');
  assert.equal(readJson(bytes(`"${'x'.repeat(1000)}"`), limits).ok, true);
});

test('readJson: nesting depth is counted outside strings only', () => {
  assert.equal(readJson(bytes('[[[[[1]]]]]'), limits).ok, true, 'depth 5 is the limit');
  const deep = readJson(bytes('[[[[[[1]]]]]]'), limits);
  assert.equal(deep.ok, false);
  if (!deep.ok) assert.equal(deep.problem.reason, 'JSON nested deeper than 5 levels (at character 5)');
  assert.equal(readJson(bytes('{"s":"[[[[[[[[[[{{{{{{\\"[[[["}'), limits).ok, true, 'brackets in strings, escaped quotes');
});

test('nestingDepthExceeds: a hostile million-bracket input is rejected in one linear pass', () => {
  const hostile = '['.repeat(1_000_000);
  const t0 = performance.now();
  assert.equal(nestingDepthExceeds(hostile, 200), 200);
  assert.ok(performance.now() - t0 < 1000);
  assert.equal(readJson(bytes(hostile), { maxBytes: 2_000_000, maxDepth: 200 }).ok, false);
});

test('readJson: __proto__ keys stay own data properties and pollute nothing', () => {
  const r = readJson(bytes('{"__proto__":{"polluted":true},"a":{"__proto__":{"polluted":true}}}'), limits);
  assert.equal(r.ok, true);
  if (!r.ok) return;
  const v = r.value as Record<string, unknown>;
  assert.equal(Object.hasOwn(v, '__proto__'), true);
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.equal((({}) as Record<string, unknown>)['polluted'], undefined);
});

test('jsonPointer escapes ~ and / (RFC 6901)', () => {
  assert.equal(jsonPointer([]), '');
  assert.equal(jsonPointer(['a', 0, 'b/c', 'd~e']), '/a/0/b~1c/d~0e');
});

test('firstIssue: the first zod issue as reason and pointer, with a prefix', () => {
  const r = z.object({ a: z.array(z.string()) }).safeParse({ a: ['x', 1, 2] });
  assert.equal(r.success, false);
  if (r.success) return;
  assert.deepEqual(firstIssue(r.error), { reason: '/a/1: Invalid input: expected string, received number', pointer: '/a/1' });
  assert.equal(firstIssue(r.error, ['vulnerabilities', 3]).pointer, '/vulnerabilities/3/a/1');
});

test('readString reads a short own string field and nothing else', () => {
  assert.equal(readString({ m: { id: 'CVE-1' } }, 'm', 'id'), 'CVE-1');
  assert.equal(readString({ m: { id: 7 } }, 'm', 'id'), null);
  assert.equal(readString({ m: { id: 'x'.repeat(65) } }, 'm', 'id'), null);
  assert.equal(readString(null, 'm'), null);
  assert.equal(readString({}, 'toString'), null, 'inherited keys are not read');
});
