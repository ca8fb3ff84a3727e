import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pipfileLockReader } from './index.js';

const read = (text: string) => pipfileLockReader.read({ path: 'svc/Pipfile.lock', text });
const H1 = `sha256:${'a'.repeat(64)}`;
const H2 = `sha256:${'b'.repeat(64)}`;

const LOCK = JSON.stringify(
  {
    _meta: { hash: { sha256: 'x' }, 'pipfile-spec': 6, requires: { python_version: '3.8' }, sources: [{ name: 'pypi', url: 'https://pypi.org/simple', verify_ssl: true }] },
    default: {
      itsdangerous: { hashes: [H1, H2], index: 'pypi', version: '==2.1.2' },
      pluggy: { markers: "python_version >= '3.6'", version: '==1.0.1' },
      markupsafe: { editable: true, git: 'https://github.com/pallets/markupsafe', ref: 'b36054111bc1e8bbadb5d0d60158feb72926f467' },
      myproject: { editable: true, path: '.' },
    },
    develop: {
      itsdangerous: { hashes: [H2], version: '==2.1.2' },
      pluggy: { version: '==1.0.0' },
      tool: { git: 'https://github.com/o/tool.git', ref: 'main' },
    },
    docs: { sphinx: { version: '===7.0.0' } },
  },
  null,
  4,
);

test('matches Pipfile.lock only', () => {
  assert.equal(pipfileLockReader.matches('Pipfile.lock'), true);
  assert.equal(pipfileLockReader.matches('a/b/Pipfile.lock'), true);
  assert.equal(pipfileLockReader.matches('Pipfile'), false);
  assert.equal(pipfileLockReader.matches('a/Pipfile.lock.bak'), false);
});

test('default → prod, develop → dev, custom categories kept as groups; one package per name and version', () => {
  const r = read(LOCK);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.scope, p.groups]),
    [
      ['itsdangerous', '2.1.2', 'prod', ['default', 'develop']],
      ['pluggy', '1.0.1', 'prod', ['default']],
      ['markupsafe', '', 'prod', ['default']],
      ['pluggy', '1.0.0', 'dev', ['develop']],
      ['tool', '', 'dev', ['develop']],
      ['sphinx', '7.0.0', undefined, ['docs']],
    ],
  );
  const its = r.packages[0]!;
  assert.equal(its.purl, 'pkg:pypi/itsdangerous@2.1.2');
  assert.deepEqual(its.hashes?.map((h) => h.content[0]), ['a', 'b']);
  assert.equal(its.location.line, 19);
  assert.equal(r.packages[1]!.properties?.['marker'], "python_version >= '3.6'");
  assert.equal(r.packages[2]!.commit, 'b36054111bc1e8bbadb5d0d60158feb72926f467');
  assert.equal(r.packages[4]!.commit, undefined);
  assert.equal(r.packages[4]!.properties?.['ref'], 'main');
  assert.equal(new Set(r.packages.map((p) => p.id)).size, r.packages.length);
  assert.ok(r.packages.every((p) => p.location.line !== undefined && p.location.file === 'svc/Pipfile.lock'));
});

test('empty sections and an empty object give no packages and no problems', () => {
  assert.deepEqual(read('{"_meta": {}, "default": {}, "develop": {}}'), { packages: [], edges: [], problems: [] });
  assert.deepEqual(read('{}').packages, []);
});

test('a file that is not JSON, or not an object, is one error problem and no packages', () => {
  for (const text of ['', 'not json', '[1, 2]', '{"default": ']) {
    const r = read(text);
    assert.equal(r.packages.length, 0, text);
    assert.equal(r.problems.length, 1, text);
    assert.equal(r.problems[0]!.severity, 'error');
    assert.equal(r.problems[0]!.location.file, 'svc/Pipfile.lock');
  }
});

test('a bad entry or section is reported with its pointer; the good entries are kept', () => {
  const r = read(JSON.stringify({ default: { good: { version: '==1.0' }, bad: { version: 3 }, worse: 'x' }, develop: [] }, null, 2));
  assert.deepEqual(r.packages.map((p) => p.name), ['good']);
  assert.deepEqual(r.problems.map((p) => [p.severity, p.location.line]), [['error', 6], ['error', 9], ['error', 11]]);
  assert.match(r.problems[0]!.message, /\/default\/bad\/version/);
  assert.match(r.problems[2]!.message, /\/develop/);
});

test('hostile input: deep nesting is refused, huge sections stay fast', () => {
  const deep = read('{"default":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}');
  assert.equal(deep.problems[0]!.severity, 'error');
  assert.match(deep.problems[0]!.message, /nested deeper/);
  const entries: Record<string, unknown> = {};
  for (let i = 0; i < 30_000; i++) entries[`pkg-${i}`] = { version: `==1.${i}`, hashes: [H1] };
  const started = performance.now();
  const r = read(JSON.stringify({ default: entries }, null, 1));
  assert.equal(r.packages.length, 30_000);
  assert.equal(r.packages[29_999]!.location.line, 30_000 * 6 + 2 - 5);
  assert.ok(performance.now() - started < 5000);
  assert.deepEqual(read('{"default": {"__proto__": {"version": "==1"}}}').packages.map((p) => p.name), ['__proto__']);
  // Integer-like names iterate out of document order: line lookups give up instead of rescanning.
  const numeric = Array.from({ length: 30_000 }, (_, i) => `"${30_000 - i}": {"version": "==1"}`).join(',\n');
  const again = performance.now();
  assert.equal(read(`{"default": {\n${numeric}\n}}`).packages.length, 30_000);
  assert.ok(performance.now() - again < 5000);
});
