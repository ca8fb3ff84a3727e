import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nestingDepthExceeds, readJson } from '../core/json-input.js';
import { jsonDeeperThan, readJsonBytes, readJsonText } from './json.js';

const LIMITS = { maxBytes: 1000, maxDepth: 5 };

test('readJsonText: values, byte-order mark, empty, malformed, size in UTF-8 bytes', () => {
  assert.deepEqual(readJsonText('\ufeff{"a": [1, {"b": null}]}', LIMITS), { ok: true, value: { a: [1, { b: null }] } });
  assert.deepEqual(readJsonText(' \n ', LIMITS), { ok: false, problem: { reason: 'input is empty' } });
  const bad = readJsonText('{"a": ', LIMITS);
  assert.ok(!bad.ok && bad.problem.reason.startsWith('malformed JSON'));
  assert.ok(readJsonText(`"${'x'.repeat(990)}"`, LIMITS).ok);
  assert.ok(!readJsonText(`"${'é'.repeat(990)}"`, LIMITS).ok, '990 characters but 1980 bytes');
  const proto = readJsonText('{"__proto__": {"polluted": true}}', LIMITS);
  assert.ok(proto.ok && Object.hasOwn(proto.value as object, '__proto__'));
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('nesting: refused beyond the limit exactly where the core character scan refuses, and without recursion', () => {
  for (let depth = 1; depth <= 8; depth++) {
    for (const [open, close] of [['[', ']'], ['{"k":', '}'], ['[{"k":', '}]']] as const) {
      const text = open.repeat(depth) + '1' + close.repeat(depth);
      const core = nestingDepthExceeds(text, LIMITS.maxDepth) !== null;
      const mine = readJsonText(text, LIMITS);
      assert.equal(!mine.ok, core, text);
      if (!mine.ok) assert.match(mine.problem.reason, /nested deeper than 5 levels/);
    }
  }
  assert.equal(jsonDeeperThan(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)), 1000), true);
  assert.equal(jsonDeeperThan('text', 0), false);
  assert.equal(jsonDeeperThan({ a: [{ b: {} }] }, 4), false, 'four levels');
  assert.equal(jsonDeeperThan({ a: [{ b: {} }] }, 3), true);
});

test('readJsonBytes: the same verdicts as the core readJson, plus the decoded text', () => {
  const cases = ['{"a": 1}', '[[[[[[1]]]]]]', '{"a": ', '', '\ufeff[1]'];
  for (const text of cases) {
    const bytes = new TextEncoder().encode(text);
    const mine = readJsonBytes(bytes, LIMITS);
    const core = readJson(bytes, LIMITS);
    assert.equal(mine.ok, core.ok, text);
    if (mine.ok && core.ok) {
      assert.deepEqual(mine.value, core.value);
      assert.equal(mine.text, text.replace(/^\ufeff/, ''));
    }
  }
  const latin1 = readJsonBytes(new Uint8Array([0x22, 0xff, 0x22]), LIMITS);
  assert.deepEqual(latin1, { ok: false, problem: { reason: 'input is not valid UTF-8' } });
  assert.ok(!readJsonBytes(new Uint8Array(2000).fill(0x20), LIMITS).ok);
});
