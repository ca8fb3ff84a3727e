import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nugetLockReader } from './index.js';
import { parseNugetLock } from './parse.js';

const HASH = Buffer.alloc(64, 7).toString('base64');
const LOCK = JSON.stringify(
  {
    version: 1,
    dependencies: {
      'net6.0': {
        'Test.Core': { type: 'Direct', requested: '[6.0.5, )', resolved: '6.0.5', contentHash: HASH },
        'Test.System': { type: 'Transitive', resolved: '0.13.0-beta4', dependencies: { 'test.core': '6.0.0' } },
        'My.Other.Project': { type: 'Project', dependencies: { 'Test.Core': '[6.0.5, )' } },
      },
      'net7.0': {
        'Test.Core': { type: 'Direct', requested: '[6.0.5, )', resolved: '6.0.5' },
        'Test.System': { type: 'CentralTransitive', requested: '[2.15.0, )', resolved: '2.15.0' },
      },
    },
  },
  null,
  2,
);
const read = (text: string) => parseNugetLock({ path: 'src/packages.lock.json', text });

test('frameworks merged by name and version; Direct/Transitive/Project; hash; edges within a framework', () => {
  const r = read(LOCK);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.direct, p.properties?.['nuget:frameworks'], p.properties?.['nuget:type'], p.location.line]),
    [
      ['Test.Core', '6.0.5', true, 'net6.0,net7.0', 'Direct', 5],
      ['Test.System', '0.13.0-beta4', false, 'net6.0', 'Transitive', 11],
      ['My.Other.Project', '', true, 'net6.0', 'Project', 18],
      ['Test.System', '2.15.0', false, 'net7.0', 'CentralTransitive', 31],
    ],
  );
  const [core, sys, project] = r.packages;
  assert.equal(core!.ecosystem, 'NuGet');
  assert.equal(core!.purl, 'pkg:nuget/Test.Core@6.0.5');
  assert.deepEqual(core!.hashes, [{ alg: 'SHA-512', content: Buffer.alloc(64, 7).toString('hex') }]);
  assert.deepEqual(r.edges, [
    { from: 'root', to: core!.id },
    { from: 'root', to: project!.id },
    { from: sys!.id, to: core!.id },
    { from: project!.id, to: core!.id },
  ]);
});

test('no frameworks or empty ones: nothing, no problems', () => {
  assert.deepEqual(read('{"version": 1, "dependencies": {}}'), { packages: [], edges: [], problems: [] });
  assert.deepEqual(read('{"version": 2, "dependencies": {"net8.0": {}}}'), { packages: [], edges: [], problems: [] });
});

test('unsupported lock version or not JSON: one error', () => {
  for (const text of ['{"version": 0, "dependencies": {}}', 'not json', '[]']) {
    const r = read(text);
    assert.equal(r.packages.length, 0);
    assert.deepEqual(r.problems.map((p) => p.severity), ['error']);
  }
});

test('a bad entry or framework is a warning; the rest is kept', () => {
  const r = read('{"version": 1, "dependencies": {"net6.0": {"A": {"type": "Direct", "resolved": "1.0.0"}, "B": 3, "C": {"type": "Transitive"}}, "net7.0": []}}');
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['A@1.0.0', 'C@']);
  assert.equal(r.problems.length, 3);
  assert.ok(r.problems.every((p) => p.severity === 'warning'));
});

test('hostile: __proto__ as a package id is data, not a prototype', () => {
  const r = read('{"version": 1, "dependencies": {"net6.0": {"__proto__": {"type": "Direct", "resolved": "1.0.0"}}}}');
  assert.deepEqual(r.packages.map((p) => p.name), ['__proto__']);
  assert.equal(({} as Record<string, unknown>)['type'], undefined);
});

test('matches packages.lock.json only', () => {
  assert.equal(nugetLockReader.matches('a/packages.lock.json'), true);
  assert.equal(nugetLockReader.matches('a/packages.lock.json.bak'), false);
});
