import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conanLockReader } from './index.js';
import { parseConanLock, parseConanReference } from './parse.js';

const read = (text: string) => parseConanLock({ path: 'conan.lock', text });

test('references: name/version@user/channel#rrev:pkgid#prev%timestamp', () => {
  assert.deepEqual(parseConanReference('zlib/1.2.11@bincrafters/testing#5f49:1972#5884%1667396813.1'), {
    name: 'zlib',
    version: '1.2.11',
    user: 'bincrafters',
    channel: 'testing',
    recipeRevision: '5f49',
    packageId: '1972',
  });
  assert.deepEqual(parseConanReference('1.2.3#ffa7'), { name: '', version: '1.2.3', user: undefined, channel: undefined, recipeRevision: 'ffa7', packageId: undefined });
});

test('v1 graph lock (0.4): consumer skipped, direct from the consumer, build requires, edges', () => {
  const r = read(JSON.stringify({
    graph_lock: {
      nodes: {
        '0': { ref: 'app/1.0', requires: ['1'], build_requires: ['3'], path: 'conanfile.py' },
        '1': { ref: 'freetype/2.12.1#abc', requires: ['2'], context: 'host' },
        '2': { ref: 'zlib/1.2.13', context: 'host' },
        '3': { ref: 'ninja/1.11.1', context: 'host' },
        '4': { ref: '1.2.3' },
      },
    },
    version: '0.4',
  }, null, 1));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.packages.map((p) => [p.name, p.version, p.direct, p.scope, p.groups, p.location.line]), [
    ['freetype', '2.12.1', true, undefined, undefined, 14],
    ['zlib', '1.2.13', false, undefined, undefined, 21],
    ['ninja', '1.11.1', true, 'dev', ['build-requires'], 25],
  ]);
  assert.equal(r.packages[0]!.ecosystem, 'ConanCenter');
  assert.equal(r.packages[0]!.purl, 'pkg:conan/freetype@2.12.1?rrev=abc');
  const [ft, zlib, ninja] = r.packages;
  assert.deepEqual(r.edges, [
    { from: 'root', to: ft!.id },
    { from: 'root', to: ninja!.id },
    { from: ft!.id, to: zlib!.id },
  ]);
});

test('v1 old formats: pref, requires as an object, consumer without reference', () => {
  const r = read(JSON.stringify({
    graph_lock: {
      nodes: {
        a: { pref: null, requires: { 'zlib/1.2.11@bincrafters/testing#5f49': 'b' } },
        b: { pref: 'zlib/1.2.11@bincrafters/testing#5f49:1972#5884' },
      },
    },
  }));
  assert.deepEqual(r.packages.map((p) => [p.name, p.version, p.direct, p.purl]), [['zlib', '1.2.11', true, 'pkg:conan/bincrafters/zlib@1.2.11?channel=testing&rrev=5f49']]);
});

test('v2 (0.5): requires, build_requires, python_requires as groups', () => {
  const r = read(JSON.stringify({ version: '0.5', requires: ['zlib/1.2.13#13c9%1667396813.733', '1.2.3#ff'], build_requires: ['ninja/1.11.1#a2f0%1667050636.338'], python_requires: ['pyreq/1.0@user'] }, null, 2));
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.packages.map((p) => [p.name, p.version, p.groups, p.scope, p.location.line]), [
    ['zlib', '1.2.13', ['requires'], 'prod', 4],
    ['ninja', '1.11.1', ['build-requires'], 'dev', 8],
    ['pyreq', '1.0', ['python-requires'], 'dev', 11],
  ]);
  assert.equal(r.packages[2]!.purl, 'pkg:conan/pyreq@1.0', 'a user without channel or revision cannot be a purl namespace');
  assert.equal(r.packages[2]!.properties?.['conan:user'], 'user');
});

test('empty locks: nothing, no problems', () => {
  for (const text of ['{"version": "0.5", "requires": [], "build_requires": [], "python_requires": []}', '{"graph_lock": {"nodes": {"0": {"ref": "test/1.0", "path": "conanfile.py"}}}, "version": "0.4"}']) {
    assert.deepEqual(read(text), { packages: [], edges: [], problems: [] });
  }
});

test('not JSON or the wrong shape: one error; a bad list or node is a warning', () => {
  for (const text of ['not json', '[1]', '{"graph_lock": {"nodes": []}}']) assert.deepEqual(read(text).problems.map((p) => p.severity), ['error']);
  const r = read('{"requires": "zlib/1.0", "build_requires": ["ninja/1.0"], "graph_lock": {}}');
  assert.deepEqual(r.packages.map((p) => p.name), ['ninja']);
  assert.deepEqual(r.problems.map((p) => p.severity), ['warning']);
});

test('hostile: deep nesting refused; __proto__ node ids are data', () => {
  assert.deepEqual(read(`{"requires": ${'['.repeat(5000)}${']'.repeat(5000)}}`).problems.map((p) => p.severity), ['error']);
  const r = read('{"graph_lock": {"nodes": {"__proto__": {"ref": "zlib/1.0"}}}}');
  assert.deepEqual(r.packages.map((p) => p.name), ['zlib']);
});

test('matches conan.lock only', () => {
  assert.equal(conanLockReader.matches('x/conan.lock'), true);
  assert.equal(conanLockReader.matches('conanfile.txt'), false);
});
