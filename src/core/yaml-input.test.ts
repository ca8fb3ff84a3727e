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

test('failsafe: both parsers keep every scalar as the string written; empty nodes are null', () => {
  const text = [
    'version: 1.10',
    'octal: 010',
    'hex: 0x1F',
    'inf: .inf',
    'exp: 1e3',
    'neg: -0',
    'flag: true',
    'yes11: yes',
    'off: Off',
    'nothing: null',
    'tilde: ~',
    'empty:',
    'quotedEmpty: ""',
    'date: 2024-01-02',
    'when: 2024-01-02T03:04:05Z',
    'quoted: "1.10"',
    "single: 'it''s'",
    'flow: {integrity: sha512-AA==, n: 1, b: false, e: }',
    'list: [1, yes, ~, "", 1.0]',
    'block:',
    '  - 2.0',
    '  - null',
    '  -',
    '',
  ].join('\n');
  const fast = readYamlText(text, LIMITS, { schema: 'failsafe' });
  // The same document with an unused anchor goes through the `yaml` package.
  const slow = readYamlText(`${text}extra: &unused 1\n`, LIMITS, { schema: 'failsafe' });
  assert.ok(fast.ok && slow.ok);
  const { extra, ...rest } = slow.value as Record<string, unknown>;
  assert.equal(extra, '1');
  assert.deepEqual(fast.value, rest);
  assert.deepEqual(fast.value, {
    version: '1.10',
    octal: '010',
    hex: '0x1F',
    inf: '.inf',
    exp: '1e3',
    neg: '-0',
    flag: 'true',
    yes11: 'yes',
    off: 'Off',
    nothing: 'null',
    tilde: '~',
    empty: null,
    quotedEmpty: '',
    date: '2024-01-02',
    when: '2024-01-02T03:04:05Z',
    quoted: '1.10',
    single: "it's",
    flow: { integrity: 'sha512-AA==', n: '1', b: 'false', e: null },
    list: ['1', 'yes', '~', '', '1.0'],
    block: ['2.0', 'null', null],
  });
  // The default stays the core schema.
  const core = readYamlText('v: 1.10\nb: true\nn: ~\n', LIMITS);
  assert.ok(core.ok);
  assert.deepEqual(core.value, { v: 1.1, b: true, n: null });
});

test('failsafe keeps the guards: duplicate keys, two documents, nesting, alias budget', () => {
  const opts = { schema: 'failsafe' } as const;
  for (const [text, re] of [
    ['a: 1\na: 2\n', /duplicated mapping key|unique/],
    ['a: 1\n---\nb: 2\n', /single document|multiple documents/],
    [`a: ${'['.repeat(100_000)}`, /nested deeper than 32/],
    [`a: &x 1\nb: ${'['.repeat(1000)}`, /nested deeper than 32/],
    ['x: &a 1\na: 1\nb:\n  a: 2\na: 2\n', /Map keys must be unique \(line 5\)/],
    ['x: &a 1\nm: {a: 1, a: 2}\n', /Map keys must be unique \(line 2\)/],
  ] as const) {
    const r = readYamlText(text, LIMITS, opts);
    assert.ok(!r.ok, text.slice(0, 40));
    assert.match(r.problem.reason, re);
  }
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
  const r = readYamlText(bomb, LIMITS, opts);
  assert.ok(!r.ok);
  assert.match(r.problem.reason, /YAML refused: Excessive alias count/);
});

test('nesting: js-yaml counts block and flow collections; a document exactly at the limit is read', () => {
  const limits = { ...LIMITS, maxDepth: 4 };
  const flow = (n: number): string => `a: ${'['.repeat(n - 1)}x${']'.repeat(n - 1)}\n`;
  assert.ok(readYamlText(flow(4), limits).ok);
  const over = readYamlText(flow(5), limits);
  assert.ok(!over.ok);
  // The top mapping and four flow sequences: five collections (flow nesting alone is four).
  assert.match(over.problem.reason, /^YAML collections nested deeper than 4 levels \(line 1\)/);
  const flowOver = readYamlText(`a: ${'['.repeat(10)}x${']'.repeat(10)}\n`, limits);
  assert.ok(!flowOver.ok);
  assert.match(flowOver.problem.reason, /^YAML flow collections nested deeper than 4 levels \(token \d+\)/);
  const block = (n: number): string => `${Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}k:`).join('\n')} x\n`;
  assert.ok(readYamlText(block(4), limits).ok);
  const blockOver = readYamlText(block(5), limits);
  assert.ok(!blockOver.ok);
  assert.match(blockOver.problem.reason, /^YAML collections nested deeper than 4 levels \(line 5\)/);
  // Three block mappings and two flow sequences: five collections, flow nesting only two.
  const mixed = readYamlText('k:\n  k:\n    k: [[x]]\n', limits);
  assert.ok(!mixed.ok);
  assert.match(mixed.problem.reason, /^YAML collections nested deeper than 4 levels \(line 3\)/);
});

test('mayHoldAnchors: a `:` counts only where a value may follow it directly', () => {
  // js-yaml reads these as aliases: they must go to the `yaml` package.
  for (const yes of ['{"a":*x}', "{'a':*x}", '{[a]:*x}', '{a :*x}', '{:*x}', '[a,:*x]', ':*x']) assert.ok(mayHoldAnchors(yes), yes);
  // Yarn Berry descriptors: the `*` is inside a plain or quoted scalar.
  for (const no of ['"@types/node@npm:*": x', 'a@npm:*: x', 'dependencies:\n  a: "npm:*"\n', 'k: a:*b']) assert.ok(!mayHoldAnchors(no), no);
  const berry = readYamlText('"@types/node@npm:*, @types/node@npm:^20":\n  version: 20.1.0\n  dependencies:\n    undici-types: "npm:*"\n', LIMITS, { schema: 'failsafe' });
  assert.ok(berry.ok);
  assert.deepEqual(berry.value, { '@types/node@npm:*, @types/node@npm:^20': { version: '20.1.0', dependencies: { 'undici-types': 'npm:*' } } });
});

test('the `yaml` path finds duplicate keys in linear time (a big map with one anchor is not quadratic)', () => {
  const text = `${Array.from({ length: 20_000 }, (_, i) => `k${i}: v`).join('\n')}\nz: &a 1\n`;
  const t0 = performance.now();
  const r = readYamlText(text, { ...LIMITS, maxBytes: 4 * 1024 * 1024 }, { schema: 'failsafe' });
  assert.ok(r.ok);
  assert.equal(Object.keys(r.value as object).length, 20_001);
  // Pairwise comparison took about 4 s here; the set takes well under one.
  assert.ok(performance.now() - t0 < 2_500, `${Math.round(performance.now() - t0)} ms`);
});

test('text the scan flags but with no anchor is read as plain; any anchor still takes the `yaml` path', () => {
  // A `*` in prose (PyPA advisories quote `**kwargs`, `*args`, `** UNSUPPORTED **`): no anchor, no alias.
  const prose = 'id: PYSEC-1\ndetails: "Calls f(*args, **kwargs) and *modifies* files"\nsummary: a *b* c\nlist: [x, y]\n';
  assert.ok(mayHoldAnchors(prose));
  const r = readYamlText(prose, LIMITS);
  assert.ok(r.ok);
  assert.deepEqual(r.value, { id: 'PYSEC-1', details: 'Calls f(*args, **kwargs) and *modifies* files', summary: 'a *b* c', list: ['x', 'y'] });
  // Anchors: the `yaml` package, with its alias budget (js-yaml has none and would take this bomb).
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`)].join('\n');
  const refused = readYamlText(`note: "**kwargs"\n${bomb}`, LIMITS);
  assert.ok(!refused.ok);
  assert.match(refused.problem.reason, /YAML refused: Excessive alias count/);
  const aliased = readYamlText('a: &x {k: [1, 2]}\nb: *x\n', LIMITS);
  assert.ok(aliased.ok);
  assert.deepEqual(aliased.value, { a: { k: [1, 2] }, b: { k: [1, 2] } });
  // An alias to no anchor: refused with the `yaml` package's message, as before.
  const dangling = readYamlText('a: 1\nb: *nowhere\n', LIMITS);
  assert.ok(!dangling.ok);
  assert.match(dangling.problem.reason, /^(malformed YAML|YAML refused): .*nowhere/i);
});
