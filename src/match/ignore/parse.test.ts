import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isYamlIgnore, parseIgnoreFile, parseLine } from './parse.js';

const SAMPLE = [
  '# id                  package (optional)   expiry (optional)    reason (required)',
  'CVE-2024-1234         pkg:npm/lodash       expires=2027-01-31   "only used in tests"',
  '',
  '   GHSA-xxxx-yyyy-zzzz                                          "not reachable: we never call foo()"  # checked by Ann',
  'CVE-2023-0001         lodash@4.17.20       reason=vendored copy, patched in place # not a comment',
  'PYSEC-2021-1  expires=2026-12-31 pkg:pypi/jinja2 "escaped \\"quote\\" and \\\\ backslash"',
  'ALSA-2023:1234\t"tab separated"\r',
].join('\n');

test('line format: ids, packages, expiry, quoted and reason= reasons, comments, CRLF', () => {
  const r = parseIgnoreFile(SAMPLE, '.vigilignore');
  assert.equal(r.format, 'lines');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.entries, [
    { id: 'CVE-2024-1234', package: 'pkg:npm/lodash', expires: '2027-01-31', reason: 'only used in tests', source: '.vigilignore:2' },
    { id: 'GHSA-xxxx-yyyy-zzzz', package: undefined, expires: undefined, reason: 'not reachable: we never call foo()', source: '.vigilignore:4' },
    { id: 'CVE-2023-0001', package: 'lodash@4.17.20', expires: undefined, reason: 'vendored copy, patched in place # not a comment', source: '.vigilignore:5' },
    { id: 'PYSEC-2021-1', package: 'pkg:pypi/jinja2', expires: '2026-12-31', reason: 'escaped "quote" and \\ backslash', source: '.vigilignore:6' },
    { id: 'ALSA-2023:1234', package: undefined, expires: undefined, reason: 'tab separated', source: '.vigilignore:7' },
  ]);
});

test('line format: every mistake is an error naming file:line; good lines are still read', () => {
  const text = [
    'CVE-2024-1',
    'CVE-2024-2 pkg:npm/a',
    'CVE-2024-3 ""',
    'CVE-2024-4 reason=   ',
    'CVE-2024-5 expires=2027-02-30 "bad day"',
    'CVE-2024-6 expires=31/01/2027 "bad format"',
    'CVE-2024-7 expires=2027-01-01 expires=2027-01-02 "twice"',
    'CVE-2024-8 "unterminated',
    'CVE-2024-9 "reason" trailing',
    'CVE-2024-10 a b "two packages"',
    'CVE-2024-11 owner=ann "unknown field"',
    '"CVE-2024-12" "quoted id"',
    'CVE-2024-13 "fine"',
    'CVE-2024-13 "duplicate"',
  ].join('\n');
  const r = parseIgnoreFile(text, 'ig');
  assert.deepEqual(r.entries.map((e) => e.id), ['CVE-2024-13', 'CVE-2024-13']);
  const errors = r.problems.filter((p) => p.severity === 'error').map((p) => [p.source, p.message]);
  assert.deepEqual(errors.map(([s]) => s), ['ig:1', 'ig:2', 'ig:3', 'ig:4', 'ig:5', 'ig:6', 'ig:7', 'ig:8', 'ig:9', 'ig:10', 'ig:11', 'ig:12']);
  for (const i of [0, 1, 2, 3]) assert.match(errors[i]![1]!, /a reason is required/);
  assert.match(errors[4]![1]!, /expiry "2027-02-30" is not a date/);
  assert.match(errors[5]![1]!, /expiry "31\/01\/2027" is not a date: write YYYY-MM-DD/);
  assert.match(errors[6]![1]!, /given twice/);
  assert.match(errors[7]![1]!, /no closing double quote/);
  assert.match(errors[8]![1]!, /unexpected text after the reason/);
  assert.match(errors[9]![1]!, /unexpected "b"/);
  assert.match(errors[10]![1]!, /unknown field "owner="/);
  assert.match(errors[11]![1]!, /is not an advisory id/);
  assert.deepEqual(r.problems.filter((p) => p.severity === 'warning').map((p) => [p.source, p.message]), [['ig:14', 'duplicate of the entry at ig:13 (the first one applies)']]);
});

test('empty files and comment-only files have no entries and no problems', () => {
  for (const text of ['', '\n\n', '# nothing yet\n   # still nothing', '\uFEFF']) {
    const r = parseIgnoreFile(text, 'e');
    assert.deepEqual([r.entries, r.problems], [[], []], JSON.stringify(text));
  }
  assert.equal(parseLine('   '), null);
  assert.equal(parseLine('# x'), null);
});

test('hostile input: size limit, long lines, many entries', () => {
  const big = parseIgnoreFile('x'.repeat(200), 'big', { maxChars: 100, maxEntries: 10 });
  assert.match(big.problems[0]!.message, /over the 100 limit/);
  const many = parseIgnoreFile(Array.from({ length: 20 }, (_, i) => `CVE-2024-${i} "r"`).join('\n'), 'many', { maxChars: 1e6, maxEntries: 10 });
  assert.equal(many.entries.length, 10);
  assert.match(many.problems.at(-1)!.message, /more than 10 entries/);
  const t0 = performance.now();
  const long = parseIgnoreFile(`CVE-2024-1 ${'a'.repeat(1_000_000)} "r"\nCVE-2024-2 "${'\\'.repeat(1_000_000)}`, 'long');
  assert.ok(performance.now() - t0 < 2000);
  assert.match(long.problems[0]!.message, /longer than 2000/);
  assert.match(long.problems[1]!.message, /no closing double quote/);
  const manyLines = `${'CVE-2024-1 "r"\n'.repeat(50_000)}`;
  const t1 = performance.now();
  assert.equal(parseIgnoreFile(manyLines, 'm').entries.length, 50_000);
  assert.ok(performance.now() - t1 < 3000);
});

test('the YAML form is recognised by its first entry line', () => {
  assert.equal(isYamlIgnore('# comment\n\nignore:\n  - id: x'), true);
  assert.equal(isYamlIgnore('---\nignore: []'), true);
  assert.equal(isYamlIgnore('CVE-2024-1 "ignore: this"'), false);
  assert.equal(isYamlIgnore(''), false);
});
