import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayHoldAnchors, readYamlText } from './yaml-input.js';

const LIMITS = { maxBytes: 1024 * 1024, maxDepth: 32, maxAliases: 50 };

test('mayHoldAnchors: anchors and aliases in any position count; prose and plain values mostly do not', () => {
  for (const yes of ['&a x', 'k: &a 1', 'k: *a', '- *a', '[*a, *b]', '{a: *x}', 'k:\n  &anchor\n  v', 'text with *emphasis* here', 'quoted: "a &mut b" (conservative)']) assert.ok(mayHoldAnchors(yes), yes);
  for (const no of ['a: b', 'url: https://x.test/?a=1&b=2', 'a: 2*3', 'x: a&b', '']) assert.ok(!mayHoldAnchors(no), no);
});

test('both parsers give the same plain values: YAML 1.2 core scalars, strings kept', () => {
  const text = 'id: X-1\nversion: "1.10"\nn: 1.10\nflag: yes\nwhen: 2024-01-02T03:04:05Z\nnothing: ~\nlist: [a, "b", 3]\n';
  const fast = readYamlText(text, LIMITS);
  // The same document with an unused anchor goes through the `yaml` package.
  const slow = readYamlText(`${text}extra: &unused 1\n`, LIMITS);
  assert.ok(fast.ok && slow.ok);
  const { extra, ...rest } = slow.value as Record<string, unknown>;
  assert.equal(extra, 1);
  assert.deepEqual(fast.value, rest);
  assert.deepEqual(fast.value, { id: 'X-1', version: '1.10', n: 1.1, flag: 'yes', when: '2024-01-02T03:04:05Z', nothing: null, list: ['a', 'b', 3] });
});

test('refusals: empty, too large, duplicate keys, two documents, deep flow nesting, alias bombs', () => {
  const no = (text: string, re: RegExp, limits = LIMITS) => {
    const r = readYamlText(text, limits);
    assert.ok(!r.ok, text.slice(0, 40));
    assert.match(r.problem.reason, re);
  };
  no('   \n', /input is empty/);
  no('a: 1\n', /over the 2 limit/, { ...LIMITS, maxBytes: 2 });
  no('a: 1\na: 2\n', /duplicated mapping key|unique/);
  no('a: 1\n---\nb: 2\n', /single document|multiple documents/);
  no(`a: ${'['.repeat(1000)}`, /nested deeper than 32/);
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
  no(bomb, /YAML refused: Excessive alias count/);
});

test('hostile: huge strings and malformed input give a problem, never a throw', () => {
  const r = readYamlText(`a: "${'x'.repeat(500_000)}"\n`, LIMITS);
  assert.ok(r.ok);
  const bad = readYamlText('a: [1, 2\nb: }\n', LIMITS);
  assert.ok(!bad.ok);
  assert.match(bad.problem.reason, /malformed YAML/);
});
