import { test } from 'node:test';
import assert from 'node:assert/strict';
import { draft, NameIndex, PypiResultBuilder, widerScope } from './build.js';
import { hashOf, HashSet, parseHashString } from './hashes.js';
import { isPypiName, normalizePypiName, requirementName } from './names.js';
import { arrayTableLines, entryLines, readToml } from '../../../core/toml-input.js';

test('PEP 503 normalisation', () => {
  for (const [name, want] of [
    ['Zope.Interface', 'zope-interface'],
    ['Pillow', 'pillow'],
    ['foo__bar--baz..qux', 'foo-bar-baz-qux'],
    ['A-_.b', 'a-b'],
    ['', ''],
  ] as const) {
    assert.equal(normalizePypiName(name), want, name);
  }
});

test('PEP 508 names', () => {
  assert.equal(isPypiName('requests'), true);
  assert.equal(isPypiName('zope.interface'), true);
  assert.equal(isPypiName('-bad'), false);
  assert.equal(isPypiName('bad.'), false);
  assert.equal(isPypiName('no spaces'), false);
  assert.equal(isPypiName('x'.repeat(201)), false);
  assert.equal(requirementName('  PySocks!=1.5.7,>=1.5.6'), 'PySocks');
  assert.equal(requirementName('win-inet-pton; platform_system == "Windows"'), 'win-inet-pton');
  assert.equal(requirementName('requests[socks]>=2'), 'requests');
  assert.equal(requirementName('!!!'), undefined);
});

test('hashes: hashlib names to CycloneDX names, hex only, deduplicated', () => {
  assert.deepEqual(parseHashString(`sha256:${'A'.repeat(64)}`), { alg: 'SHA-256', content: 'a'.repeat(64) });
  assert.deepEqual(hashOf('md5', 'ab12'), { alg: 'MD5', content: 'ab12' });
  assert.equal(parseHashString('sha256:not-hex'), undefined);
  assert.equal(parseHashString('crc32:abcd'), undefined);
  assert.equal(parseHashString('nocolon'), undefined);
  const set = new HashSet();
  set.add(parseHashString(`sha256:${'a'.repeat(64)}`));
  set.add(parseHashString(`sha256:${'A'.repeat(64)}`));
  set.addTable({ sha512: 'b'.repeat(128), bogus: 'x', other: 3 });
  set.addTable('not a table');
  assert.deepEqual(set.list.map((h) => h.alg), ['SHA-256', 'SHA-512']);
  assert.equal(new HashSet().result, undefined);
});

test('builder: unique ids for repeated purls, edges by index, problems with file and line', () => {
  const out = new PypiResultBuilder('test-reader', 'dir/file.lock');
  const a = out.add(draft({ name: 'Foo_Bar', version: '1.0', file: 'dir/file.lock', line: 3, groups: ['main'], properties: { x: '1', empty: '', none: undefined } }));
  const b = out.add(draft({ name: 'foo-bar', version: '1.0', file: 'dir/file.lock', line: 9 }));
  out.edge('root', a);
  out.edge(a, b);
  out.edge(a, b);
  out.edge(a, a);
  out.problem('bad thing', 4);
  const r = out.finish();
  assert.deepEqual(r.packages.map((p) => [p.id, p.name, p.purl, p.groups, p.properties]), [
    ['pkg:pypi/foo-bar@1.0', 'Foo_Bar', 'pkg:pypi/foo-bar@1.0', ['main'], { x: '1' }],
    ['pkg:pypi/foo-bar@1.0#2', 'foo-bar', 'pkg:pypi/foo-bar@1.0', undefined, undefined],
  ]);
  assert.deepEqual(r.edges, [
    { from: 'root', to: 'pkg:pypi/foo-bar@1.0' },
    { from: 'pkg:pypi/foo-bar@1.0', to: 'pkg:pypi/foo-bar@1.0#2' },
  ]);
  assert.deepEqual(r.problems, [{ location: { file: 'dir/file.lock', line: 4 }, reader: 'test-reader', message: 'bad thing', severity: 'error' }]);
  assert.deepEqual(PypiResultBuilder.failure('r', 'f', 'm', 2).problems[0]!.location, { file: 'f', line: 2 });
});

test('name index: normalised names, version preference, bounded fan-out', () => {
  const drafts = ['numpy@1', 'NumPy@2', 'other@1'].map((s) => draft({ name: s.split('@')[0]!, version: s.split('@')[1]!, file: 'f' }));
  const index = new NameIndex(drafts);
  assert.deepEqual(index.resolve('numpy'), [0, 1]);
  assert.deepEqual(index.resolve('NUMPY', '2'), [1]);
  assert.deepEqual(index.resolve('numpy', '9'), [0, 1]);
  assert.deepEqual(index.resolve('missing'), []);
  const many = new NameIndex(Array.from({ length: 1000 }, (_, i) => draft({ name: 'p', version: String(i), file: 'f' })));
  assert.equal(many.resolve('p').length, NameIndex.MAX_CANDIDATES);
  assert.deepEqual(many.resolve('p', '999'), [999]);
  assert.equal(widerScope('dev', 'prod'), 'prod');
  assert.equal(widerScope(undefined, 'dev'), 'dev');
  assert.equal(widerScope('optional', 'dev'), 'optional');
});

test('TOML: values, syntax errors with lines, size limit, array-table lines', () => {
  const ok = readToml('\ufeffa = 1\n');
  assert.ok(ok.ok);
  assert.deepEqual({ ...ok.value }, { a: 1 });
  const bad = readToml('a = 1\nb = [\n');
  assert.equal(bad.ok, false);
  assert.ok(!bad.ok && bad.line !== undefined && bad.line >= 2 && bad.message.startsWith('malformed TOML'));
  assert.equal(readToml('a = 1', 3).ok, false);
  const text = '[[package]]\nname = "a"\n  [[package]]  # c\nname = "b"\n[[package.x]]\n[[packages]]\n';
  assert.deepEqual(arrayTableLines(text, '[[package]]'), [1, 3]);
  assert.deepEqual(entryLines(text, '[[package]]', 3), []);
});
