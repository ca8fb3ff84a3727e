import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cargoLockReader } from './index.js';
import { parseCargoLock } from './parse.js';

const read = (text: string) => parseCargoLock({ path: 'Cargo.lock', text });
const SUM = 'e7a2e47a1fbe209ee101dd6d61285226744c6c8d3c21c8dc878ba6cb9f467f3a';

const V3 = `# generated
version = 3

[[package]]
name = "app"
version = "0.1.0"
dependencies = [
 "serde 1.0.100",
 "log",
 "mygit",
]

[[package]]
name = "serde"
version = "1.0.100"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "${SUM}"

[[package]]
name = "serde"
version = "0.9.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "log"
version = "0.4.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["serde 0.9.0"]

[[package]]
name = "mygit"
version = "0.2.0"
source = "git+https://github.com/x/mygit?branch=main#0123456789abcdef0123456789abcdef01234567"
`;

test('v3: packages, local root, direct from the workspace, edges with version disambiguation, checksum, git commit', () => {
  const r = read(V3);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.direct, p.location.line]),
    [
      ['app', '0.1.0', undefined, 4],
      ['serde', '1.0.100', true, 13],
      ['serde', '0.9.0', false, 19],
      ['log', '0.4.0', true, 24],
      ['mygit', '0.2.0', true, 30],
    ],
  );
  const [app, serde1, serde09, log, git] = r.packages;
  assert.equal(app!.properties?.['cargo:source'], 'local');
  assert.equal(serde1!.ecosystem, 'crates.io');
  assert.equal(serde1!.purl, 'pkg:cargo/serde@1.0.100');
  assert.deepEqual(serde1!.hashes, [{ alg: 'SHA-256', content: SUM }]);
  assert.equal(git!.commit, '0123456789abcdef0123456789abcdef01234567');
  assert.deepEqual(r.edges, [
    { from: app!.id, to: serde1!.id },
    { from: app!.id, to: log!.id },
    { from: app!.id, to: git!.id },
    { from: log!.id, to: serde09!.id },
    { from: 'root', to: app!.id },
  ]);
});

test('v1: dependencies with source and checksums in [metadata]', () => {
  const r = read(`[[package]]
name = "a"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["b 2.0.0 (registry+https://github.com/rust-lang/crates.io-index)"]

[[package]]
name = "b"
version = "2.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[metadata]
"checksum b 2.0.0 (registry+https://github.com/rust-lang/crates.io-index)" = "${SUM}"
`);
  assert.deepEqual(r.problems, []);
  assert.equal(r.packages[1]!.hashes?.[0]?.content, SUM);
  assert.deepEqual(r.edges, [{ from: r.packages[0]!.id, to: r.packages[1]!.id }]);
  assert.equal(r.packages[0]!.direct, undefined, 'without a local crate, direct is unknown');
});

test('empty lock: no packages, no problems', () => {
  assert.deepEqual(read('version = 3\n'), { packages: [], edges: [], problems: [] });
  assert.deepEqual(read(''), { packages: [], edges: [], problems: [] });
});

test('broken entries are warnings; the rest is kept', () => {
  const r = read('[[package]]\nname = "ok"\nversion = "1.0.0"\ndependencies = ["missing"]\n\n[[package]]\nversion = "2"\n');
  assert.deepEqual(r.packages.map((p) => p.name), ['ok']);
  assert.deepEqual(r.problems.map((p) => p.severity), ['warning', 'warning']);
  assert.match(r.problems[1]!.message, /no \[\[package\]\] entry matches/);
});

test('not TOML, or package not an array: one error, no packages', () => {
  for (const text of ['this is not a toml file!', 'package = "x"']) {
    const r = read(text);
    assert.equal(r.packages.length, 0);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0]!.severity, 'error');
  }
  assert.equal(read('a = [\n').problems[0]!.location.line !== undefined, true);
});

test('hostile nesting is refused by the TOML parser, not a stack overflow', () => {
  const r = read(`a = ${'['.repeat(100_000)}${']'.repeat(100_000)}`);
  assert.equal(r.problems[0]!.severity, 'error');
});

test('matches Cargo.lock only', () => {
  assert.equal(cargoLockReader.matches('x/Cargo.lock'), true);
  assert.equal(cargoLockReader.matches('x/Cargo.toml'), false);
  assert.equal(cargoLockReader.matches('Cargo.lock.file'), false);
});
