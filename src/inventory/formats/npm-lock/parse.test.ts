import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadResult } from '../../model.js';
import { npmLockReader } from './index.js';
import { workspaceMatcher } from './workspaces.js';

const read = (text: string, files: Record<string, string> = {}, path = 'app/package-lock.json'): ReadResult => npmLockReader.read({ path, text, readFile: (p) => files[p] });
const pkg = (r: ReadResult, name: string, version?: string) => {
  const p = r.packages.find((x) => x.name === name && (version === undefined || x.version === version));
  assert.ok(p, `no package ${name}@${version ?? '*'}`);
  return p;
};
const edges = (r: ReadResult) => r.edges.map((e) => `${e.from} -> ${e.to}`).sort();
const errors = (r: ReadResult) => r.problems.filter((p) => p.severity === 'error');

const V3 = JSON.stringify(
  {
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', workspaces: ['packages/*'], dependencies: { a: '^1', 'a-alias': 'npm:a@^2', lib: '*' }, devDependencies: { d: '^1' } },
      'node_modules/a': { version: '1.0.0', resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz', integrity: 'sha512-AAEC', dependencies: { b: '^1' }, optionalDependencies: { o: '^1' }, peerDependencies: { p: '*' } },
      'node_modules/a-alias': { name: 'a', version: '2.0.0' },
      'node_modules/b': { version: '1.0.0', inBundle: true },
      'node_modules/a/node_modules/b': { version: '2.0.0' },
      'node_modules/o': { version: '1.0.0', optional: true },
      'node_modules/p': { version: '1.0.0', peer: true },
      'node_modules/d': { version: '1.0.0', dev: true, dependencies: { g: 'github:o/g' } },
      'node_modules/g': { version: '3.0.0', resolved: 'git+https://TOKEN@github.com/o/g.git#af885e2e890b9ef0875edd2b117305119ee5bdc5', devOptional: true },
      'node_modules/@s/x': { version: '1.0.0', dev: true, optional: true },
      'node_modules/lib': { resolved: 'packages/lib', link: true },
      'packages/lib': { name: 'lib', version: '0.1.0', dependencies: { b: '^1' }, devDependencies: { d: '^1' } },
    },
  },
  null,
  2,
);

test('v3: names, versions, groups, scope, direct, edges, lines and hashes', () => {
  const r = read(V3);
  assert.deepEqual(errors(r), []);
  assert.equal(r.packages.length, 10);
  const a1 = pkg(r, 'a', '1.0.0');
  assert.equal(a1.direct, true);
  assert.equal(a1.scope, 'prod');
  assert.equal(a1.ecosystem, 'npm');
  assert.equal(a1.purl, 'pkg:npm/a@1.0.0');
  assert.deepEqual(a1.location, { file: 'app/package-lock.json', line: 19 });
  assert.deepEqual(a1.hashes, [{ alg: 'SHA-512', content: '000102' }]);
  assert.equal(a1.properties, undefined);
  const a2 = pkg(r, 'a', '2.0.0');
  assert.equal(a2.properties?.['alias'], 'a-alias');
  assert.equal(a2.direct, true);
  assert.deepEqual(pkg(r, 'b', '1.0.0').groups, ['bundled']);
  assert.equal(pkg(r, 'b', '2.0.0').direct, false);
  assert.deepEqual([pkg(r, 'o').groups, pkg(r, 'o').scope], [['optional'], 'optional']);
  assert.deepEqual([pkg(r, 'p').groups, pkg(r, 'p').scope], [['peer'], 'peer']);
  assert.deepEqual([pkg(r, 'd').groups, pkg(r, 'd').scope, pkg(r, 'd').direct], [['dev'], 'dev', true]);
  assert.deepEqual([pkg(r, '@s/x').groups, pkg(r, '@s/x').scope, pkg(r, '@s/x').purl], [['dev', 'optional'], 'dev', 'pkg:npm/%40s/x@1.0.0']);
  const g = pkg(r, 'g');
  assert.deepEqual([g.commit, g.version, g.groups, g.scope], ['af885e2e890b9ef0875edd2b117305119ee5bdc5', '3.0.0', ['dev', 'optional'], 'optional']);
  assert.equal(g.properties?.['resolved'], 'git+https://github.com/o/g.git#af885e2e890b9ef0875edd2b117305119ee5bdc5');
  const lib = pkg(r, 'lib');
  assert.equal(lib.properties?.['workspace'], 'packages/lib');
  assert.equal(lib.direct, true);
  assert.deepEqual(edges(r), [
    'pkg:npm/a@1.0.0 -> pkg:npm/b@2.0.0',
    'pkg:npm/a@1.0.0 -> pkg:npm/o@1.0.0',
    'pkg:npm/a@1.0.0 -> pkg:npm/p@1.0.0',
    'pkg:npm/d@1.0.0 -> pkg:npm/g@3.0.0',
    'pkg:npm/lib@0.1.0 -> pkg:npm/b@1.0.0',
    'pkg:npm/lib@0.1.0 -> pkg:npm/d@1.0.0',
    'root -> pkg:npm/a@1.0.0',
    'root -> pkg:npm/a@2.0.0',
    'root -> pkg:npm/d@1.0.0',
    'root -> pkg:npm/lib@0.1.0',
  ]);
});

test('link entries stand for their target and are not packages', () => {
  const r = read(JSON.stringify({ lockfileVersion: 2, packages: { '': { dependencies: { x: 'file:../x' } }, '../x': {}, 'node_modules/x': { resolved: '../x', link: true } } }));
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.direct]),
    [['x', '', true]],
  );
});

test('v1: nested tree, requires resolved upwards, aliases, git and file versions, package.json for direct', () => {
  const v1 = JSON.stringify(
    {
      lockfileVersion: 1,
      dependencies: {
        a: { version: '1.0.0', requires: { b: '^2' }, dependencies: { b: { version: '2.0.0', requires: { c: '1' } } } },
        b: { version: '1.0.0', dev: true },
        c: { version: '1.0.0', optional: true, bundled: true },
        cjs: { version: 'npm:string-width@4.2.0' },
        g: { version: 'git+ssh://git@github.com/o/g.git#d5ac0584ee9ae7bd9288220a39780f155b9ad4c8', dev: true, optional: true },
        f: { version: 'file:../f' },
      },
    },
    null,
    2,
  );
  const r = read(v1, { 'app/package.json': JSON.stringify({ dependencies: { a: '^1', missing: '^1' }, devDependencies: { b: '^1' } }) });
  assert.deepEqual(errors(r), []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.direct, p.scope, p.groups, p.location.line]),
    [
      ['a', '1.0.0', true, 'prod', undefined, 4],
      ['b', '2.0.0', false, 'prod', undefined, 10],
      ['b', '1.0.0', true, 'dev', ['dev'], 18],
      ['c', '1.0.0', false, 'optional', ['bundled', 'optional'], 22],
      ['string-width', '4.2.0', false, 'prod', undefined, 27],
      ['g', '', false, 'dev', ['dev', 'optional'], 30],
      ['f', '', false, 'prod', undefined, 35],
    ],
  );
  assert.equal(pkg(r, 'string-width').properties?.['alias'], 'cjs');
  assert.equal(pkg(r, 'g').commit, 'd5ac0584ee9ae7bd9288220a39780f155b9ad4c8');
  assert.deepEqual(edges(r), ['pkg:npm/a@1.0.0 -> pkg:npm/b@2.0.0', 'pkg:npm/b@2.0.0 -> pkg:npm/c@1.0.0', 'root -> pkg:npm/a@1.0.0', 'root -> pkg:npm/b@1.0.0']);
  assert.ok(r.problems.some((p) => p.severity === 'warning' && p.message.includes('missing@^1')));
  // Without package.json, v1 does not say what is direct.
  assert.equal(read(v1).packages[0]!.direct, undefined);
});

test('v2 with both sections reads `packages`', () => {
  const r = read(JSON.stringify({ lockfileVersion: 2, packages: { '': {}, 'node_modules/x': { version: '2.0.0' } }, dependencies: { x: { version: '1.0.0' } } }));
  assert.deepEqual(
    r.packages.map((p) => `${p.name}@${p.version}`),
    ['x@2.0.0'],
  );
});

test('empty lockfiles give no packages and no problems', () => {
  for (const text of ['{}', '{"lockfileVersion": 3, "packages": {"": {}}}', '{"lockfileVersion": 1, "dependencies": {}}']) {
    const r = read(text);
    assert.deepEqual([r.packages, r.edges, r.problems], [[], [], []], text);
  }
});

test('broken input: one error problem, no packages; bad entries skipped with a warning', () => {
  for (const text of ['', 'not json', '[1, 2]', '{"packages": [1]}', '{"dependencies": "x"}', '{"a": 1']) {
    const r = read(text);
    assert.equal(r.packages.length, 0, text);
    assert.equal(errors(r).length, 1, text);
    assert.equal(errors(r)[0]!.location.file, 'app/package-lock.json');
    assert.match(errors(r)[0]!.message, /could not extract from app\/package-lock\.json/);
  }
  const r = read(JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/bad': 'x', 'node_modules/good': { version: '1.0.0' } } }, null, 2));
  assert.deepEqual(
    r.packages.map((p) => p.name),
    ['good'],
  );
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.location.line]),
    [['warning', 5]],
  );
  const newer = read('{"lockfileVersion": 4, "packages": {}}');
  assert.match(newer.problems[0]!.message, /newer/);
});

test('hostile input: deep nesting refused, prototype keys inert, no throw', () => {
  const deep = read(`${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`);
  assert.equal(errors(deep).length, 1);
  assert.match(errors(deep)[0]!.message, /nested deeper/);
  const proto = read('{"lockfileVersion": 3, "packages": {"": {"dependencies": {"__proto__": "1", "constructor": "1"}}, "node_modules/__proto__": {"version": "1.0.0"}, "node_modules/constructor": {"version": "2.0.0"}}}');
  assert.deepEqual(
    proto.packages.map((p) => [p.name, p.direct]),
    [
      ['__proto__', true],
      ['constructor', true],
    ],
  );
  assert.equal(({} as Record<string, unknown>)['version'], undefined);
});

test('matches package-lock.json and npm-shrinkwrap.json outside node_modules', () => {
  for (const p of ['package-lock.json', 'a/b/package-lock.json', 'npm-shrinkwrap.json']) assert.equal(npmLockReader.matches(p), true, p);
  for (const p of ['node_modules/x/package-lock.json', 'a/node_modules/.package-lock.json', 'package-lock.json.bak', 'package.json']) assert.equal(npmLockReader.matches(p), false, p);
});

test('workspace patterns', () => {
  const m = workspaceMatcher(['packages/*', 'apps/**', './tools/cli', '!packages/old', 'x*y*z']);
  for (const p of ['packages/a', 'apps/web', 'apps/a/b/c', 'tools/cli', 'xAAyBBz']) assert.equal(m(p), true, p);
  for (const p of ['packages/old', 'packages/a/b', 'tools', 'other/a', 'xyq']) assert.equal(m(p), false, p);
  assert.equal(workspaceMatcher([])('packages/a'), false);
  const t0 = performance.now();
  workspaceMatcher(['**/**/**/**/**/**/a*a*a*a*a*a*b'])(`${'a/'.repeat(40)}${'a'.repeat(5000)}`);
  assert.ok(performance.now() - t0 < 2_000);
});
