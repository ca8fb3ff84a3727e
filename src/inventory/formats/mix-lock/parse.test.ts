import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mixLockReader } from './index.js';
import { parseMixLock } from './parse.js';
import { TermError, TermReader } from './term.js';

const read = (text: string) => parseMixLock({ path: 'mix.lock', text });
const INNER = 'f2992bac66fdae679453c9e86134a4201f6f43a687d8ff1cd1b2862d53c80259';
const OUTER = '23524e4fefbb587c11f0833b3910bfb414bf2e2534d61928e920f54e3a1b881f';

const LOCK = `%{
  "plug": {:hex, :plug, "1.11.1", "${INNER}", [:mix], [{:mime, "~> 1.0", [hex: :mime, repo: "hexpm", optional: false]}, {:plug_crypto, "~> 1.1.1 or ~> 1.2", [hex: :plug_crypto, repo: "hexpm", optional: true]}], "hexpm", "${OUTER}"},
  "mime": {:hex, :mime, "1.5.0", "203ef35e", [:mix], [], "hexpm"},
  "old": {:hex, :old, "0.1.0"},
  "renamed_app": {:hex, :real_name, "2.0.0", "abc", [:rebar3], [], "myorg"},
  "foo": {:git, "https://github.com/my-org/foo.git", "fc94cce7830fa4dc455024bc2a83720afe244531", [branch: "feat/my-improvement"]},
  # a comment
  "plug_crypto": {:hex, :plug_crypto, "1.2.2", "05654514", [:mix], [], "hexpm", "87631c7ad914a5a445f0a3809f99b079113ae4ed4b867348dd9eec288cecb6db"},
}
`;

test('hex entries (all generations), git entries, checksums, renamed apps, edges, lines', () => {
  const r = read(LOCK);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.commit, p.location.line]),
    [
      ['plug', '1.11.1', undefined, 2],
      ['mime', '1.5.0', undefined, 3],
      ['old', '0.1.0', undefined, 4],
      ['real_name', '2.0.0', undefined, 5],
      ['foo', '', 'fc94cce7830fa4dc455024bc2a83720afe244531', 6],
      ['plug_crypto', '1.2.2', undefined, 8],
    ],
  );
  const [plug, mime, , renamed, foo, crypto] = r.packages;
  assert.equal(plug!.ecosystem, 'Hex');
  assert.equal(plug!.purl, 'pkg:hex/plug@1.11.1');
  assert.deepEqual(plug!.hashes, [{ alg: 'SHA-256', content: OUTER }]);
  assert.equal(plug!.properties?.['hex:innerChecksum'], INNER);
  assert.equal(mime!.hashes, undefined);
  assert.equal(renamed!.properties?.['mix:app'], 'renamed_app');
  assert.equal(renamed!.purl, 'pkg:hex/real_name@2.0.0?repository_url=myorg');
  assert.equal(foo!.properties?.['mix:git'], 'https://github.com/my-org/foo.git');
  assert.deepEqual(r.edges, [
    { from: plug!.id, to: mime!.id },
    { from: plug!.id, to: crypto!.id },
  ]);
  assert.ok(r.packages.every((p) => p.direct === undefined));
});

test('empty file or empty map: nothing, no problems', () => {
  assert.deepEqual(read(''), { packages: [], edges: [], problems: [] });
  assert.deepEqual(read('%{}\n'), { packages: [], edges: [], problems: [] });
});

test('a malformed entry is an error with its line; the entries around it are kept', () => {
  const r = read('%{\n  "a": {:hex, :a, "1.0.0"},\n  "b": {:hex, :b, "1.0.0" oops},\n  "c": {:unknown, 1},\n  "d": {:git, "u", "abc", []},\n}\n');
  assert.deepEqual(r.packages.map((p) => p.name), ['a', 'd']);
  assert.deepEqual(r.problems.map((p) => [p.severity, p.location.line]), [['error', 3], ['warning', 4]]);
});

test('not a mix.lock, or a map never closed: an error', () => {
  const notMix = read('this is not a mix.lock');
  assert.deepEqual(notMix.problems.map((p) => p.severity), ['error']);
  const open = read('%{\n  "a": {:hex, :a, "1.0.0"},\n');
  assert.deepEqual(open.packages.map((p) => p.name), ['a']);
  assert.deepEqual(open.problems.map((p) => p.severity), ['error']);
});

test('hostile: deep nesting and unterminated strings are errors, fast', () => {
  const started = performance.now();
  const deep = read(`%{"a": ${'{'.repeat(100_000)}}`);
  assert.deepEqual(deep.problems.map((p) => p.severity), ['error']);
  const strings = read(`%{${'"a": {:hex, :a, "1"},'.repeat(20_000)} "b": "unterminated}`);
  assert.equal(strings.packages.length, 20_000);
  assert.ok(performance.now() - started < 5000);
});

test('term reader: keyword lists, quoted atoms, escapes, numbers, =>', () => {
  const t = new TermReader('%{"k" => [a: :"b c", n: -1.5, s: "x\\"y", t: true]}');
  assert.deepEqual(t.value(), {
    map: [["k", [{ tuple: [{ atom: 'a' }, { atom: 'b c' }] }, { tuple: [{ atom: 'n' }, -1.5] }, { tuple: [{ atom: 's' }, 'x"y'] }, { tuple: [{ atom: 't' }, { atom: 'true' }] }], 2]],
  });
  assert.throws(() => new TermReader('{1 2}').value(), TermError);
});

test('matches mix.lock only', () => {
  assert.equal(mixLockReader.matches('apps/x/mix.lock'), true);
  assert.equal(mixLockReader.matches('mix.exs'), false);
});
