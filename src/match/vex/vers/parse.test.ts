import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseVers, type VersComparator } from './parse.js';

type Row = [input: string, type: string, constraints: [VersComparator, string][] | '*', notes?: RegExp[]];

test('parseVers: well-formed specifiers', () => {
  const rows: Row[] = [
    ['vers:npm/>=1.0.0|<2.0.0', 'npm', [['>=', '1.0.0'], ['<', '2.0.0']]],
    ['vers:npm/1.2.3|>=2.0.0|<5.0.0', 'npm', [['=', '1.2.3'], ['>=', '2.0.0'], ['<', '5.0.0']]],
    ['vers:pypi/1.2.3|>=2.0|<3', 'pypi', [['=', '1.2.3'], ['>=', '2.0'], ['<', '3']]],
    ['vers:maven/!=1.0', 'maven', [['!=', '1.0']]],
    ['vers:deb/>=1:2.4-1|<1:2.5', 'deb', [['>=', '1:2.4-1'], ['<', '1:2.5']]],
    ['vers:deb/*', 'deb', '*'],
    ['vers:pypi/0.0.0|0.0.1|0.0.2|0.0.3|1.0|2.0pre1', 'pypi', [['=', '0.0.0'], ['=', '0.0.1'], ['=', '0.0.2'], ['=', '0.0.3'], ['=', '1.0'], ['=', '2.0pre1']]],
    ['vers:maven/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7', 'maven', [['>=', '1.0.0-beta1'], ['<=', '1.7.5'], ['>=', '7.0.0-M1'], ['<=', '7.0.7']]],
    ['vers:npm/1.0%252F0', 'npm', [['=', '1.0%2F0']]],
    ['vers:lexicographic/1%202', 'lexicographic', [['=', '1 2']]],
    ['vers:lexicographic/1%092', 'lexicographic', [['=', '1\t2']]],
    ['vers:lexicographic/%3C%3E%3D%21%2A%7C', 'lexicographic', [['=', '<>=!*|']]],
    ['vers:lexicographic/caf%C3%A9', 'lexicographic', [['=', 'café']]],
    ['vers:golang/v1.2.3', 'golang', [['=', 'v1.2.3']]],
    ['vers:deb/1:2.4-1ubuntu0.1', 'deb', [['=', '1:2.4-1ubuntu0.1']]],
    ['vers:generic/>=2.9|<=4.1', 'generic', [['>=', '2.9'], ['<=', '4.1']]],
    ['vers:a.b-c9/1', 'a.b-c9', [['=', '1']]],
    ['vers:npm/1.0.0/with/slashes', 'npm', [['=', '1.0.0/with/slashes']]],
    // Non-canonical but unambiguous: accepted, normalised, noted.
    ['vers:gem/>=2.2.0|!= 2.2.1|<2.3.0', 'gem', [['>=', '2.2.0'], ['!=', '2.2.1'], ['<', '2.3.0']], [/spaces removed/]],
    ['vers:pypi/ < 1.2. 3 | > = 2 . 0', 'pypi', [['<', '1.2.3'], ['>=', '2.0']], [/spaces removed/]],
    ['VERS:NPM/1.0.0', 'npm', [['=', '1.0.0']], [/URI scheme lower-cased/, /versioning scheme lower-cased/]],
    ['vers:npm/|>=1.0.0||<2.0.0|', 'npm', [['>=', '1.0.0'], ['<', '2.0.0']], [/empty constraints/]],
    ['vers:npm/=1.0.0', 'npm', [['=', '1.0.0']], [/"=" comparator dropped/]],
    ['vers:npm/\t*\t', 'npm', '*', [/spaces removed/]],
  ];
  for (const [input, type, constraints, notes = []] of rows) {
    const r = parseVers(input);
    assert.ok(r.ok, `${input}: ${r.ok ? '' : r.error}`);
    assert.equal(r.vers.type, type, input);
    if (constraints === '*') {
      assert.equal(r.vers.star, true, input);
      assert.deepEqual(r.vers.constraints, [], input);
    } else {
      assert.equal(r.vers.star, false, input);
      assert.deepEqual(r.vers.constraints.map((c) => [c.comparator, c.version]), constraints, input);
    }
    assert.equal(r.vers.notes.length, notes.length, `${input}: ${r.vers.notes.join('; ')}`);
    notes.forEach((n, i) => assert.match(r.vers.notes[i]!, n, input));
  }
});

test('parseVers: empty and broken specifiers are refused with the reason', () => {
  const rows: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['npm/1.0', /not a vers range/],
    ['pkg:npm/foo@1.0', /URI scheme "pkg" is not "vers"/],
    ['vers:npm', /no "\/"/],
    ['vers:/1.0', /versioning scheme \(before "\/"\) is empty/],
    ['vers:1npm/1.0', /must start with a letter/],
    ['vers:n_pm/1.0', /only letters, digits/],
    ['vers:n%70m/1.0', /only letters, digits/],
    ['vers:invalid/1.0', /reserved/],
    ['vers:npm/', /no constraints/],
    ['vers:npm/|||', /no constraints/],
    ['vers:npm/*|1.0', /"\*" must be the only constraint/],
    ['vers:npm/**', /"\*" in a version must be percent-encoded/],
    ['vers:npm/1.*', /"\*" in a version must be percent-encoded/],
    ['vers:npm/>=', /has no version/],
    ['vers:npm/1.0|<', /constraint 2 \("<"\) has no version/],
    ['vers:npm/!=', /has no version/],
    ['vers:npm/==1.0', /"=" in a version must be percent-encoded/],
    ['vers:npm/>>1.0', /">" in a version must be percent-encoded/],
    ['vers:npm/<<1.0', /"<" in a version must be percent-encoded/],
    ['vers:npm/=>1.0', /">" in a version/],
    ['vers:npm/!1.0', /"!" in a version/],
    ['vers:npm/1.0|1.1|>', /constraint 3 \(">"\) has no version/],
    ['vers:npm/1.0%2G0', /invalid percent-encoding.*two hex digits/],
    ['vers:npm/1.0%', /invalid percent-encoding/],
    ['vers:npm/1.0%2', /invalid percent-encoding/],
    ['vers:npm/%FF', /not UTF-8/],
    ['vers:npm/1.0\n|2.0', /U\+000A at position 13/],
    ['vers:npm/1.0\r', /U\+000D/],
    ['vers:npm/1.0\u00a0', /U\+00A0/],
    ['vers:npm/café', /U\+00E9/],
    ['vers:npm/1.0😀', /U\+1F600/],
    ['vers:npm/1.0\u0000', /U\+0000/],
  ];
  for (const [input, want] of rows) {
    const r = parseVers(input);
    assert.equal(r.ok, false, `${JSON.stringify(input)} should be refused`);
    if (!r.ok) assert.match(r.error, want, JSON.stringify(input));
  }
});

test('parseVers: hostile input stays bounded and linear', () => {
  const long = `vers:npm/${'1'.repeat(20_000)}`;
  const tooLong = parseVers(long);
  assert.equal(tooLong.ok, false);
  if (!tooLong.ok) assert.match(tooLong.error, /over the 16384-character limit/);

  const manyPipes = `vers:npm/1.0.0${'|'.repeat(16_000)}`;
  const t0 = performance.now();
  const pipes = parseVers(manyPipes);
  assert.ok(pipes.ok);
  assert.deepEqual(pipes.vers.constraints, [{ comparator: '=', version: '1.0.0' }]);
  const many = parseVers(`vers:npm/${Array.from({ length: 1001 }, (_, i) => `1.0.${i}`).join('|')}`);
  assert.equal(many.ok, false);
  if (!many.ok) assert.match(many.error, /more than 1000 constraints/);
  const thousand = parseVers(`vers:npm/${Array.from({ length: 1000 }, (_, i) => `1.0.${i}`).join('|')}`);
  assert.ok(thousand.ok);
  const percent = parseVers(`vers:lexicographic/${'%41'.repeat(5000)}`);
  assert.ok(percent.ok);
  assert.equal(percent.vers.constraints[0]!.version, 'A'.repeat(5000));
  const spaces = parseVers(`vers:npm/${' '.repeat(16_000)}1.0`);
  assert.ok(spaces.ok);
  const custom = parseVers('vers:npm/1|2|3', { maxChars: 100, maxConstraints: 2 });
  assert.equal(custom.ok, false);
  assert.ok(performance.now() - t0 < 1000);
});
