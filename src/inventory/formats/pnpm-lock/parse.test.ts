import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadResult } from '../../model.js';
import { pnpmLockReader } from './index.js';

const read = (text: string, files: Record<string, string> = {}): ReadResult => pnpmLockReader.read({ path: 'repo/pnpm-lock.yaml', text, readFile: (p) => files[p] });
const rows = (r: ReadResult) => r.packages.map((p) => [p.name, p.version, p.direct, p.scope, p.groups, p.location.line]);
const edges = (r: ReadResult) => r.edges.map((e) => `${e.from} -> ${e.to}`).sort();
const errors = (r: ReadResult) => r.problems.filter((p) => p.severity === 'error');

const V5 = `lockfileVersion: 5.4

specifiers:
  '@types/react': ^18.0.0
  react-dom: ^18.0.0
  mine: github:o/mine

dependencies:
  react-dom: 18.2.0_react@18.2.0
  mine: github.com/o/mine/6104ae42cd32c3d724036d3964678f197b2c9cdb

devDependencies:
  '@types/react': 18.0.0

packages:

  /react-dom/18.2.0_react@18.2.0:
    resolution: {integrity: sha512-AAEC}
    peerDependencies:
      react: ^18.2.0
    dependencies:
      react: 18.2.0
    dev: false

  /react-dom/18.2.0_react@18.3.0:
    resolution: {integrity: sha512-AAEC}
    dependencies:
      react: 18.2.0
    dev: true

  /react/18.2.0:
    resolution: {integrity: sha512-AAEC}
    optionalDependencies:
      fsevents: 2.3.3
    dev: false

  /fsevents/2.3.3:
    resolution: {integrity: sha512-AAEC}
    dev: false
    optional: true

  /@types/react/18.0.0:
    resolution: {integrity: sha512-AAEC}
    dev: true

  github.com/o/mine/6104ae42cd32c3d724036d3964678f197b2c9cdb:
    resolution: {commit: 6104ae42cd32c3d724036d3964678f197b2c9cdb, repo: https://TOKEN@github.com/o/mine.git, type: git}
    name: mine
    version: 1.0.0
    dev: false
`;

test('v5: slash paths, peer suffixes merged, dev/optional flags, git packages, top-level importer', () => {
  const r = read(V5);
  assert.deepEqual(errors(r), []);
  assert.deepEqual(rows(r), [
    ['react-dom', '18.2.0', true, 'prod', undefined, 17],
    ['react', '18.2.0', false, 'prod', undefined, 31],
    ['fsevents', '2.3.3', false, 'optional', ['optional'], 37],
    ['@types/react', '18.0.0', true, 'dev', ['dev'], 42],
    ['mine', '1.0.0', true, 'prod', undefined, 46],
  ]);
  const mine = r.packages.find((p) => p.name === 'mine')!;
  assert.equal(mine.commit, '6104ae42cd32c3d724036d3964678f197b2c9cdb');
  assert.equal(mine.properties?.['resolved'], 'https://github.com/o/mine.git');
  assert.deepEqual(r.packages[0]!.hashes, [{ alg: 'SHA-512', content: '000102' }]);
  assert.deepEqual(edges(r), [
    'pkg:npm/react-dom@18.2.0 -> pkg:npm/react@18.2.0',
    'pkg:npm/react@18.2.0 -> pkg:npm/fsevents@2.3.3',
    'root -> pkg:npm/%40types/react@18.0.0',
    'root -> pkg:npm/mine@1.0.0',
    'root -> pkg:npm/react-dom@18.2.0',
  ]);
});

const V6 = `lockfileVersion: '6.0'

importers:

  .:
    dependencies:
      string-width-cjs:
        specifier: npm:string-width@^4.2.0
        version: /string-width@4.2.3
      lib:
        specifier: workspace:*
        version: link:packages/lib

  packages/lib:
    dependencies:
      '@babel/core':
        specifier: ^7.0.0
        version: 7.0.0(react@18.2.0)

packages:

  /string-width@4.2.3:
    resolution: {integrity: sha512-AAEC}

  /@babel/core@7.0.0(react@18.2.0):
    resolution: {integrity: sha512-AAEC}
`;

test('v6: name@version paths, aliases, workspace importers named from package.json or their links', () => {
  const r = read(V6);
  assert.deepEqual(errors(r), []);
  assert.deepEqual(rows(r), [
    ['string-width', '4.2.3', true, 'prod', undefined, 22],
    ['@babel/core', '7.0.0', true, 'prod', undefined, 25],
    ['lib', '', true, 'prod', undefined, 14],
  ]);
  assert.equal(r.packages[2]!.properties?.['workspace'], 'packages/lib');
  assert.deepEqual(edges(r), ['pkg:npm/lib -> pkg:npm/%40babel/core@7.0.0', 'root -> pkg:npm/lib', 'root -> pkg:npm/string-width@4.2.3']);
  const named = read(V6, { 'repo/packages/lib/package.json': '{"name": "@acme/lib", "version": "2.0.0"}' });
  assert.deepEqual([named.packages[2]!.name, named.packages[2]!.version], ['@acme/lib', '2.0.0']);
});

const V9 = `lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      acorn-jsx:
        specifier: ^5.3.2
        version: 5.3.2(acorn@8.11.3)
      is-number:
        specifier: github:jonschlinkert/is-number
        version: https://codeload.github.com/jonschlinkert/is-number/tar.gz/98e8ff1da1a89f93d1397a24d7413ed15421c139
    devDependencies:
      acorn:
        specifier: ^8.11.3
        version: 8.11.3

packages:

  acorn-jsx@5.3.2:
    resolution: {integrity: sha512-AAEC}
    peerDependencies:
      acorn: ^6.0.0 || ^7.0.0 || ^8.0.0

  acorn@8.11.3:
    resolution: {integrity: sha512-AAEC}
    engines: {node: '>=0.4.0'}
    hasBin: true

  is-number@https://codeload.github.com/jonschlinkert/is-number/tar.gz/98e8ff1da1a89f93d1397a24d7413ed15421c139:
    resolution: {tarball: https://codeload.github.com/jonschlinkert/is-number/tar.gz/98e8ff1da1a89f93d1397a24d7413ed15421c139}
    version: 7.0.0

snapshots:

  acorn-jsx@5.3.2(acorn@8.11.3):
    dependencies:
      acorn: 8.11.3

  acorn@8.11.3: {}

  is-number@https://codeload.github.com/jonschlinkert/is-number/tar.gz/98e8ff1da1a89f93d1397a24d7413ed15421c139: {}
`;

test('v9: packages + snapshots, peer suffixes stripped, tarball commits, scope propagated from importers', () => {
  const r = read(V9);
  assert.deepEqual(errors(r), []);
  assert.deepEqual(rows(r), [
    ['acorn-jsx', '5.3.2', true, 'prod', undefined, 20],
    ['acorn', '8.11.3', true, 'prod', undefined, 25],
    ['is-number', '7.0.0', true, 'prod', undefined, 30],
  ]);
  assert.equal(r.packages[2]!.commit, '98e8ff1da1a89f93d1397a24d7413ed15421c139');
  assert.deepEqual(edges(r), ['pkg:npm/acorn-jsx@5.3.2 -> pkg:npm/acorn@8.11.3', 'root -> pkg:npm/acorn-jsx@5.3.2', 'root -> pkg:npm/acorn@8.11.3', 'root -> pkg:npm/is-number@7.0.0']);
});

test('pnpm 10 env lockfile first: the project document (the last one) is read, lines counted from the file start', () => {
  const env = "---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    packageManagerDependencies:\n      pnpm:\n        specifier: 10.0.0\n        version: 10.0.0\n\npackages:\n\n  pnpm@10.0.0:\n    resolution: {integrity: sha512-AAEC}\n\nsnapshots:\n\n  pnpm@10.0.0: {}\n";
  const project = "---\nlockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0\n\npackages:\n\n  a@1.0.0:\n    resolution: {integrity: sha512-AAEC}\n\nsnapshots:\n\n  a@1.0.0: {}\n";
  const r = read(env + project);
  assert.deepEqual(errors(r), []);
  assert.deepEqual(rows(r), [['a', '1.0.0', true, 'prod', undefined, 33]]);
  // A single document opened with --- is read as it is.
  assert.deepEqual(rows(read(project)), [['a', '1.0.0', true, 'prod', undefined, 14]]);
});

test('entries without a name are skipped with a warning; unknown references are reported once', () => {
  const r = read(`lockfileVersion: 5.4
dependencies:
  ghost: 1.0.0
packages:
  file:../nameless:
    resolution: {directory: ../nameless, type: directory}
    version: 1.0.0
  /a/1.0.0:
    dependencies:
      b: 2.0.0
      c: 3.0.0
`);
  assert.deepEqual(
    r.packages.map((p) => p.name),
    ['a'],
  );
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.location.line, p.message.slice(0, 30)]),
    [
      ['warning', 5, 'packages entry "file:../namele'],
      ['warning', undefined, '3 dependencies are not in the '],
    ],
  );
});

test('empty lockfiles give no packages and no errors', () => {
  for (const text of ['', '# this is an empty file!\n', 'lockfileVersion: 5.3\n\nspecifiers:\n\ndependencies:\n\npackages:\n', "lockfileVersion: '9.0'\n\nimporters:\n\n  .: {}\n"]) {
    const r = read(text);
    assert.deepEqual(r.packages, [], JSON.stringify(text));
    assert.deepEqual(errors(r), [], JSON.stringify(text));
  }
});

test('broken input is one error problem', () => {
  for (const text of ['{"not": "yaml": "at all"}', 'a: [unclosed\n', '- just\n- a list\n', 'a: 1\na: 2\n']) {
    const r = read(text);
    assert.equal(r.packages.length, 0, text);
    assert.equal(errors(r).length, 1, text);
    assert.match(errors(r)[0]!.message, /could not extract from repo\/pnpm-lock\.yaml/);
  }
  assert.match(read("lockfileVersion: '10.0'\n").problems[0]!.message, /newer/);
});

test('hostile input: alias bombs and deep flow nesting refused, prototype keys inert', () => {
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  assert.equal(errors(read(`${bomb.join('\n')}\n`)).length, 1);
  assert.equal(errors(read(`packages: ${'['.repeat(5_000)}${']'.repeat(5_000)}\n`)).length, 1);
  const r = read(`lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      constructor:\n        specifier: '1'\n        version: 1.0.0\npackages:\n  constructor@1.0.0: {}\n  __proto__@1.0.0: {}\n`);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.direct]),
    [
      ['constructor', true],
      ['__proto__', false],
    ],
  );
});

test('matches pnpm-lock.yaml outside node_modules', () => {
  assert.equal(pnpmLockReader.matches('pnpm-lock.yaml'), true);
  assert.equal(pnpmLockReader.matches('a/b/pnpm-lock.yaml'), true);
  assert.equal(pnpmLockReader.matches('node_modules/.pnpm/lock.yaml'), false);
  assert.equal(pnpmLockReader.matches('a/node_modules/x/pnpm-lock.yaml'), false);
});
