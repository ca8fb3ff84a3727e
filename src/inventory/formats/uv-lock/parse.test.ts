import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadResult } from '../../model.js';
import { uvLockReader } from './index.js';

const read = (text: string) => uvLockReader.read({ path: 'uv.lock', text });
const reg = 'source = { registry = "https://pypi.org/simple" }';
const byName = (r: ReadResult, name: string, version?: string) => {
  const p = r.packages.find((x) => x.name === name && (version === undefined || x.version === version));
  assert.ok(p, name);
  return p;
};

const LOCK = `version = 1
revision = 2
requires-python = ">=3.10"

[manifest]
members = ["app", "lib"]

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "lib" },
    { name = "requests", extra = ["socks"] },
]

[package.optional-dependencies]
cli = [{ name = "click" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]
test = [{ name = "pytest" }, { name = "numpy", version = "1.26.0", source = { registry = "https://pypi.org/simple" } }]

[[package]]
name = "lib"
version = "0.2.0"
source = { editable = "packages/lib" }
dependencies = [{ name = "numpy", version = "2.0.0", source = { registry = "https://pypi.org/simple" } }]

[[package]]
name = "requests"
version = "2.32.0"
${reg}
dependencies = [{ name = "urllib3" }]
sdist = { url = "https://files/requests-2.32.0.tar.gz", hash = "sha256:${'a'.repeat(64)}", size = 1 }
wheels = [{ url = "https://files/requests-2.32.0-py3-none-any.whl", hash = "sha256:${'b'.repeat(64)}", size = 1 }]

[package.optional-dependencies]
socks = [{ name = "pysocks" }]

[[package]]
name = "urllib3"
version = "2.2.0"
${reg}

[[package]]
name = "pysocks"
version = "1.7.1"
${reg}

[[package]]
name = "click"
version = "8.1.7"
${reg}
dependencies = [{ name = "colorama", marker = "platform_system == 'Windows'" }]

[[package]]
name = "colorama"
version = "0.4.6"
${reg}

[[package]]
name = "pytest"
version = "8.3.0"
${reg}
dependencies = [{ name = "colorama" }]

[[package]]
name = "numpy"
version = "1.26.0"
${reg}

[[package]]
name = "numpy"
version = "2.0.0"
${reg}

[[package]]
name = "ruff"
version = "0.8.1"
source = { git = "https://github.com/astral-sh/ruff?rev=0.8.1#84748be16341b76e073d117329f7f5f4ee2941ad" }
`;

test('matches uv.lock only', () => {
  assert.equal(uvLockReader.matches('uv.lock'), true);
  assert.equal(uvLockReader.matches('a/uv.lock'), true);
  assert.equal(uvLockReader.matches('a/uv.lock.file'), false);
  assert.equal(uvLockReader.matches('path.to.uv.lock'), false);
});

test('workspace members are the project; direct, scope and groups come from them', () => {
  const r = read(LOCK);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.direct, p.scope, p.groups]),
    [
      ['requests', '2.32.0', true, 'prod', undefined],
      ['urllib3', '2.2.0', false, 'prod', undefined],
      ['pysocks', '1.7.1', false, 'prod', undefined],
      ['click', '8.1.7', true, 'optional', ['cli']],
      ['colorama', '0.4.6', false, 'optional', undefined],
      ['pytest', '8.3.0', true, 'dev', ['dev', 'test']],
      ['numpy', '1.26.0', true, 'dev', ['test']],
      ['numpy', '2.0.0', true, 'prod', undefined],
      ['ruff', '0.8.1', false, undefined, undefined],
    ],
  );
  const requests = byName(r, 'requests');
  assert.equal(requests.location.line, 30);
  assert.equal(requests.hashes?.length, 2);
  assert.equal(requests.properties?.['sourceType'], 'registry');
  const ruff = byName(r, 'ruff');
  assert.equal(ruff.commit, '84748be16341b76e073d117329f7f5f4ee2941ad');
  assert.equal(ruff.purl, `pkg:pypi/ruff@0.8.1?vcs_url=${encodeURIComponent('git+https://github.com/astral-sh/ruff@84748be16341b76e073d117329f7f5f4ee2941ad')}`);
  const id = (name: string, version?: string) => byName(r, name, version).id;
  const edges = new Set(r.edges.map((e) => `${e.from} -> ${e.to}`));
  for (const [from, to] of [
    ['root', id('requests')],
    ['root', id('numpy', '2.0.0')],
    ['root', id('numpy', '1.26.0')],
    [id('requests'), id('urllib3')],
    [id('requests'), id('pysocks')],
    [id('click'), id('colorama')],
  ]) {
    assert.ok(edges.has(`${from} -> ${to}`), `${from} -> ${to}`);
  }
  assert.ok(!r.edges.some((e) => e.to.includes('/app') || e.to.includes('/lib')), 'the project is not a package');
});

test('a lock without project entries: everything kept, direct unknown', () => {
  const r = read(`version = 1\n\n[[package]]\nname = "emoji"\nversion = "2.14.0"\n${reg}\n`);
  assert.deepEqual(r.packages.map((p) => [p.name, p.direct, p.scope]), [['emoji', undefined, undefined]]);
  const virtual = read(`version = 1\n\n[[package]]\nname = "proj"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [{ name = "emoji" }]\n\n[[package]]\nname = "emoji"\nversion = "2.14.0"\n${reg}\n`);
  assert.deepEqual(virtual.packages.map((p) => [p.name, p.direct, p.scope, p.location.line]), [['emoji', true, 'prod', 9]]);
  assert.deepEqual(virtual.edges, [{ from: 'root', to: 'pkg:pypi/emoji@2.14.0' }]);
});

test('empty and package-less locks give nothing', () => {
  for (const text of ['', 'version = 1\nrequires-python = ">=3.10"\n']) assert.deepEqual(read(text), { packages: [], edges: [], problems: [] });
});

test('malformed TOML is one error problem with its line; a bad entry is skipped with a problem', () => {
  const bad = read('version = 1\n[[package]\nname = "x"\n');
  assert.equal(bad.packages.length, 0);
  assert.deepEqual(bad.problems.map((p) => [p.severity, p.location.line]), [['error', 2]]);
  const entry = read(`version = 1\n\n[[package]]\nname = "a"\nversion = "1"\n${reg}\n\n[[package]]\nname = "b"\nversion = "2"\ndependencies = "c"\n`);
  assert.deepEqual(entry.packages.map((p) => p.name), ['a']);
  assert.deepEqual(entry.problems.map((p) => [p.severity, p.location.line]), [['error', 8]]);
  assert.match(entry.problems[0]!.message, /\/package\/1\/dependencies/);
});

test('hostile input: a long dependency chain and an extra cycle stay linear', () => {
  const n = 20_000;
  const parts = ['version = 1', '', '[[package]]', 'name = "root"', 'version = "0"', 'source = { virtual = "." }', 'dependencies = [{ name = "p0" }]', ''];
  for (let i = 0; i < n; i++) {
    parts.push('[[package]]', `name = "p${i}"`, `version = "1"`, reg, `dependencies = [{ name = "p${(i + 1) % n}", extra = ["x"] }]`, '', '[package.optional-dependencies]', `x = [{ name = "p${i}" }]`, '');
  }
  const started = performance.now();
  const r = read(parts.join('\n'));
  assert.equal(r.packages.length, n);
  assert.ok(r.packages.every((p) => p.scope === 'prod'));
  assert.ok(performance.now() - started < 8000);
});
