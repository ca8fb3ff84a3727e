import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { keyLines, lastDocument, readLockYaml } from './yaml-doc.js';

/** The `yaml` library with every scalar a string (failsafe), empty values as null: the contract. */
function reference(text: string): unknown {
  const value = parse(text, { schema: 'failsafe', uniqueKeys: true }) as unknown;
  const nullEmpty = (v: unknown): unknown => {
    if (v === '') return null;
    if (Array.isArray(v)) return v.map(nullEmpty);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, nullEmpty(x)]));
    return v;
  };
  return nullEmpty(value ?? null);
}

const SAMPLES = [
  'a: b',
  "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      '@s/a':\n        specifier: ^1.0.0\n        version: 1.0.0(react@18.0.0)\n",
  'packages:\n  /a/1.0.0:\n    resolution: {integrity: sha512-x==, tarball: https://x.org/a.tgz}\n    engines: {node: ^12 || >=14}\n    cpu: [x64, arm64]\n    dev: false\n',
  "k:\n  - one\n  - \"two\"\n  - 'th''ree'\nnext: 1\n",
  '# comment\n\n---\nkey: value # trailing comment\nurl: https://example.com/a#frag\nempty:\nq: "a\\tb\\u00e9"\n',
  '"__metadata":\n  version: 8\n"a@npm:^1.0.0, a@npm:^1.1.0":\n  version: 1.1.0\n  resolution: "a@npm:1.1.0"\n  dependencies:\n    b: "npm:*"\n',
  'flow: {a: {b: [c, {d: e}]}, f: []}\nempty-map: {}\n',
  'k: 1.10\nv: 010\nt: true\nn: null\n',
  // Outside what lockfiles write, still YAML: block scalars, multi-line plain scalars, explicit keys.
  'a: |\n  multi\n  line\nb: plain\n  continued\n? long key\n: value\n',
];

test('values are what the yaml library gives under the failsafe schema (scalars as strings, empty as null)', () => {
  for (const text of SAMPLES) {
    const r = readLockYaml(text);
    assert.ok(r.ok, text);
    assert.deepEqual(r.value, reference(text), text);
  }
  const r = readLockYaml('version: 1.10\ndev: true\nn: 010\nlockfileVersion: 5.4\n');
  assert.ok(r.ok);
  assert.deepEqual(r.value, { version: '1.10', dev: 'true', n: '010', lockfileVersion: '5.4' });
});

test('key lines for the top two levels: plain, quoted and escaped keys, keys holding colons', () => {
  const text = [
    '\uFEFF# head', // 1
    '---', // 2
    'lockfileVersion: 5.4', // 3
    'packages:', // 4
    '', // 5
    '  /a/1.0.0:', // 6
    '    dev: true', // 7
    "  '@s/b@2.0.0(c@1.0.0)':", // 8
    '    resolution: {integrity: x}', // 9
    '  file:../nameless:', // 10
    '    version: 1.0.0', // 11
    '  "q\\"uoted@1.0.0":', // 12
    '    note: |', // 13
    '      looks: like a key', // 14
    '  it\'\'s: x', // 15
    '"a@npm:^1, a@npm:^1.1":', // 16
    '  version: 1.1.0', // 17
  ].join('\r\n');
  const r = readLockYaml(text);
  assert.ok(r.ok);
  const root = r.value as Record<string, Record<string, unknown>>;
  const packages = root['packages']!;
  assert.equal(r.lineOf(root, 'lockfileVersion'), 3);
  assert.equal(r.lineOf(root, 'packages'), 4);
  assert.deepEqual(
    Object.keys(packages).map((k) => [k, r.lineOf(packages, k)]),
    [
      ['/a/1.0.0', 6],
      ['@s/b@2.0.0(c@1.0.0)', 8],
      ['file:../nameless', 10],
      ['q"uoted@1.0.0', 12],
      ["it''s", 15],
    ],
  );
  assert.equal(r.lineOf(root, 'a@npm:^1, a@npm:^1.1'), 16);
  assert.equal(r.lineOf(root['a@npm:^1, a@npm:^1.1']!, 'version'), 17);
  // The third level has no lines.
  assert.equal(r.lineOf(packages['/a/1.0.0'] as object, 'dev'), undefined);
});

test('keyLines skips items, comments and non-key lines; lastDocument finds the last document', () => {
  const { top, nested } = keyLines('a:\n  - x: 1\n  # c\n  - y\nb: {k: v}\n[c]: 1\n');
  assert.deepEqual([...top], [['a', 1], ['b', 5]]);
  assert.deepEqual([...nested.get('a')!], []);
  assert.deepEqual(lastDocument('a: 1\n'), { text: 'a: 1\n', lineOffset: 0 });
  assert.deepEqual(lastDocument('---\na: 1\n'), { text: '---\na: 1\n', lineOffset: 0 });
  assert.deepEqual(lastDocument('---\na: 1\n---\nb: 2\n'), { text: '---\nb: 2\n', lineOffset: 2 });
});

test('anchors go through the yaml library and keep strings and lines', () => {
  const r = readLockYaml('a: &x 1.10\nb: *x\n');
  assert.ok(r.ok);
  assert.deepEqual(r.value, { a: '1.10', b: '1.10' });
  assert.equal(r.lineOf(r.value as object, 'b'), 2);
});

test('broken, empty and hostile YAML', () => {
  for (const empty of ['', '  \n', '# only a comment\n']) {
    const r = readLockYaml(empty);
    assert.ok(r.ok, JSON.stringify(empty));
    assert.equal(r.value, null);
  }
  for (const bad of ['a: 1\na: 2\n', 'a: [unclosed\nb: "open\n', 'a: 1\n---\nb: 2\n', `a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`]) {
    const r = readLockYaml(bad);
    assert.equal(r.ok, false, bad.slice(0, 30));
  }
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  const t0 = performance.now();
  const r = readLockYaml(`${bomb.join('\n')}\n`);
  assert.equal(r.ok, false);
  assert.ok(performance.now() - t0 < 5_000);
  const proto = readLockYaml('__proto__:\n  polluted: yes\n');
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  if (proto.ok) assert.equal(Object.getPrototypeOf(proto.value), Object.prototype);
  // A scalar or a list at the top level is read (the readers report it), without lines.
  const list = readLockYaml('- a\n- b\n');
  assert.ok(list.ok);
  assert.deepEqual(list.value, ['a', 'b']);
});

const LOCKFILES = sharedData('lockfiles');
test('every YAML lockfile in the shared data: the reference value, and a line for every entry', { skip: LOCKFILES ? false : skipMessage('lockfiles') }, () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.yaml') || (name.endsWith('.lock') && readFileSync(p, 'utf8').includes('__metadata'))) files.push(p);
    }
  };
  walk(LOCKFILES!);
  assert.ok(files.length > 50);
  for (const f of files) {
    const text = lastDocument(readFileSync(f, 'utf8')).text;
    const r = readLockYaml(text);
    assert.ok(r.ok, f);
    assert.deepEqual(r.value, reference(text), f);
    if (r.value === null || typeof r.value !== 'object') continue;
    for (const [key, section] of Object.entries(r.value)) {
      assert.notEqual(r.lineOf(r.value, key), undefined, `${f}: ${key}`);
      if (section === null || typeof section !== 'object' || Array.isArray(section)) continue;
      for (const entry of Object.keys(section as object)) assert.notEqual(r.lineOf(section as object, entry), undefined, `${f}: ${key} / ${entry}`);
    }
  }
});
