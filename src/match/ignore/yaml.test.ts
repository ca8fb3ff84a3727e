import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIgnoreFile } from './parse.js';

test('YAML form: entries with line numbers, dates kept as written', () => {
  const text = [
    '# accepted risks',
    'ignore:',
    '  - id: CVE-2024-1234',
    '    package: pkg:npm/lodash',
    '    expires: 2027-01-31',
    '    reason: only used in tests',
    '  - id: GHSA-xxxx-yyyy-zzzz',
    '    reason: "not reachable: we never call foo()"',
  ].join('\n');
  const r = parseIgnoreFile(text, '.vigilignore');
  assert.equal(r.format, 'yaml');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.entries, [
    { id: 'CVE-2024-1234', package: 'pkg:npm/lodash', expires: '2027-01-31', reason: 'only used in tests', source: '.vigilignore:3' },
    { id: 'GHSA-xxxx-yyyy-zzzz', package: undefined, expires: undefined, reason: 'not reachable: we never call foo()', source: '.vigilignore:7' },
  ]);
});

test('YAML form: a missing reason, a bad date, unknown keys are errors naming file:line', () => {
  const text = ['ignore:', '  - id: CVE-1', '  - id: CVE-2', '    reason: r', '    expires: 2027-13-01', '  - id: CVE-3', '    reason: r', '    owner: ann', '  - just a string', '  - reason: no id', '  - id: CVE-4', '    reason: fine'].join('\n');
  const r = parseIgnoreFile(text, 'y');
  assert.deepEqual(r.entries.map((e) => e.id), ['CVE-4']);
  assert.deepEqual(
    r.problems.map((p) => [p.source, p.severity]),
    [
      ['y:2', 'error'],
      ['y:3', 'error'],
      ['y:6', 'error'],
      ['y:9', 'error'],
      ['y:10', 'error'],
    ],
  );
  assert.match(r.problems[0]!.message, /a reason is required/);
  assert.match(r.problems[1]!.message, /expiry "2027-13-01" is not a date/);
  assert.match(r.problems[2]!.message, /unknown key "owner"/);
});

test('YAML form: empty list, wrong shapes, malformed and hostile YAML', () => {
  assert.deepEqual(parseIgnoreFile('ignore:\n', 'y').entries, []);
  assert.deepEqual(parseIgnoreFile('ignore: []\n', 'y').problems, []);
  assert.match(parseIgnoreFile('ignore: {a: 1}', 'y').problems[0]!.message, /must be a list/);
  assert.match(parseIgnoreFile('ignore: []\nother: 1', 'y').problems[0]!.message, /unknown top-level key "other"/);
  assert.match(parseIgnoreFile('ignore:\n  - id: [unclosed', 'y').problems[0]!.message, /malformed YAML/);
  assert.match(parseIgnoreFile(`ignore:\n  - id: ${'['.repeat(500)}`, 'y').problems[0]!.message, /nested deeper|malformed/);
  const bomb = ['ignore:', '  - &a {id: x, reason: y}', ...Array.from({ length: 10 }, (_, i) => `  - &b${i} [${Array(10).fill(i === 0 ? '*a' : `*b${i - 1}`).join(',')}]`)].join('\n');
  const r = parseIgnoreFile(bomb, 'bomb');
  assert.equal(r.problems[0]!.severity, 'error');
  assert.deepEqual(r.entries, []);
});
