import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pylockTomlReader } from './index.js';
import { markerGroups } from './parse.js';

const read = (text: string) => pylockTomlReader.read({ path: 'pylock.toml', text });
const H = (c: string) => c.repeat(64);

const LOCK = `lock-version = "1.0"
created-by = "uv"
requires-python = ">=3.11"
dependency-groups = ["dev"]

[[packages]]
name = "click"
version = "8.2.1"
index = "https://pypi.org/simple"
marker = "'dev' in dependency_groups or \\"cli\\" in extras"
sdist = { url = "https://files/click-8.2.1.tar.gz", size = 1, hashes = { sha256 = "${H('a')}" } }
wheels = [{ url = "https://files/click-8.2.1-py3-none-any.whl", size = 1, hashes = { sha256 = "${H('b')}", sha512 = "${'c'.repeat(128)}" } }]
dependencies = [{ name = "colorama" }]

[[packages]]
name = "colorama"
version = "0.4.6"
marker = "sys_platform == 'win32'"

[[packages.wheels]]
name = "colorama-0.4.6-py2.py3-none-any.whl"
url = "https://files/colorama-0.4.6-py2.py3-none-any.whl"

[packages.wheels.hashes]
sha256 = "${H('d')}"

[[packages]]
name = "mleroc"
version = "0.1.0"
vcs = { type = "git", url = "https://github.com/Veggente/mleroc.git", commit-id = "735093f03c4d8be70bfaaae44074ac92d7419b6d" }

[[packages]]
name = "net-inf-eval"
directory = { path = ".", editable = true }

[[packages]]
name = "vendored"
version = "1.0"
directory = { path = "vendor/lib" }

[[packages]]
name = "tarball"
archive = { url = "https://example/tarball-2.0.tar.gz", hashes = { sha256 = "${H('e')}" } }

[tool.mousebender]
command = ["lock"]
`;

test('matches pylock.toml and pylock.<name>.toml only', () => {
  for (const [path, want] of [
    ['pylock.toml', true],
    ['a/pylock.dev.toml', true],
    ['pylock..toml', false],
    ['pylock.a.b.toml', false],
    ['mypylock.toml', false],
    ['PYLOCK.toml', false],
    ['pylock.toml/file', false],
  ] as const) {
    assert.equal(pylockTomlReader.matches(path), want, path);
  }
});

test('packages with their sources, commits, hashes, marker groups and edges; the project itself is left out', () => {
  const r = read(LOCK);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.groups, p.commit, p.location.line]),
    [
      ['click', '8.2.1', ['dev', 'cli'], undefined, 6],
      ['colorama', '0.4.6', undefined, undefined, 15],
      ['mleroc', '0.1.0', undefined, '735093f03c4d8be70bfaaae44074ac92d7419b6d', 27],
      ['vendored', '1.0', undefined, undefined, 36],
      ['tarball', '', undefined, undefined, 41],
    ],
  );
  assert.deepEqual(r.packages[0]!.hashes?.map((h) => h.alg), ['SHA-256', 'SHA-256', 'SHA-512']);
  assert.equal(r.packages[1]!.hashes?.[0]!.content, H('d'));
  assert.equal(r.packages[2]!.purl, `pkg:pypi/mleroc@0.1.0?vcs_url=${encodeURIComponent('git+https://github.com/Veggente/mleroc.git@735093f03c4d8be70bfaaae44074ac92d7419b6d')}`);
  assert.equal(r.packages[3]!.properties?.['sourceType'], 'directory');
  assert.equal(r.packages[4]!.properties?.['sourceUrl'], 'https://example/tarball-2.0.tar.gz');
  assert.deepEqual(r.edges, [{ from: r.packages[0]!.id, to: r.packages[1]!.id }]);
  assert.ok(r.packages.every((p) => p.direct === undefined && p.scope === undefined));
});

test('marker groups: quoted names before `in extras` / `in dependency_groups`, not `not in`', () => {
  assert.deepEqual(markerGroups(`"a" in extras and 'b' in  dependency_groups or "c" not in extras or python_version >= "3"`), ['a', 'b']);
  assert.deepEqual(markerGroups('"x" in extrasy'), []);
  assert.deepEqual(markerGroups('"unterminated in extras'), []);
  assert.deepEqual(markerGroups(''), []);
});

test('empty files give nothing', () => {
  for (const text of ['', 'lock-version = "1.0"\ncreated-by = "pip"\n']) assert.deepEqual(read(text), { packages: [], edges: [], problems: [] });
});

test('malformed TOML is one error problem; a bad entry is skipped with a problem', () => {
  const bad = read('lock-version = "1.0"\n[[packages]]\nname = "a\n');
  assert.equal(bad.packages.length, 0);
  assert.deepEqual(bad.problems.map((p) => [p.severity, p.location.line]), [['error', 3]]);
  const entry = read('[[packages]]\nname = "a"\nversion = "1"\n\n[[packages]]\nversion = "2"\n');
  assert.deepEqual(entry.packages.map((p) => p.name), ['a']);
  assert.deepEqual(entry.problems.map((p) => [p.severity, p.location.line]), [['error', 5]]);
  assert.equal(read('packages = 3').problems[0]!.severity, 'error');
});

test('hostile input: long markers and many packages stay linear', () => {
  const started = performance.now();
  assert.equal(markerGroups(`"a" in extras or `.repeat(50_000)).length, 1);
  assert.equal(markerGroups('"'.repeat(200_001)).length, 0);
  const many = Array.from({ length: 20_000 }, (_, i) => `[[packages]]\nname = "p${i}"\nversion = "1"\ndependencies = [{ name = "p${i + 1}" }]\n`).join('\n');
  const r = read(many);
  assert.equal(r.packages.length, 20_000);
  assert.equal(r.edges.length, 19_999);
  assert.ok(performance.now() - started < 5000);
});
