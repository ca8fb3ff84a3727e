import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { readLockYaml, readSubset } from './lock-yaml.js';

/** The `yaml` library with every scalar a string (failsafe), empty values as null: the subset reader's contract. */
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
  'k:\n  - one\n  - "two"\n  - \'th\'\'ree\'\nnext: 1\n',
  'k:\n- at-key-indent\nother: x\n',
  '# comment\n\n---\nkey: value # trailing comment\nurl: https://example.com/a#frag\nempty:\nq: "a\\tb\\u00e9"\n',
  '"__metadata":\n  version: 8\n"a@npm:^1.0.0, a@npm:^1.1.0":\n  version: 1.1.0\n  resolution: "a@npm:1.1.0"\n  dependencies:\n    b: "npm:^2"\n',
  'flow: {a: {b: [c, {d: e}]}, f: []}\nempty-map: {}\n',
  'k: 1.10\nv: 010\nt: true\nn: null\n',
];

test('the subset reader gives what the yaml library gives (scalars as strings)', () => {
  for (const text of SAMPLES) {
    const fast = readSubset(text);
    assert.ok(fast, `fell back on ${JSON.stringify(text)}`);
    assert.deepEqual(fast.value, reference(text), text);
  }
});

test('scalars stay as written: no number or boolean coercion', () => {
  const r = readLockYaml('version: 1.10\ndev: true\nn: 010\n');
  assert.ok(r.ok);
  assert.deepEqual(r.value, { version: '1.10', dev: 'true', n: '010' });
});

test('key lines are known for the top two levels', () => {
  const r = readLockYaml('# head\npackages:\n\n  /a/1.0.0:\n    dev: true\n  /b/2.0.0:\n    dev: false\n');
  assert.ok(r.ok);
  const root = r.value as Record<string, Record<string, unknown>>;
  assert.equal(r.lineOf(root, 'packages'), 2);
  assert.equal(r.lineOf(root['packages']!, '/a/1.0.0'), 4);
  assert.equal(r.lineOf(root['packages']!, '/b/2.0.0'), 6);
  assert.equal(r.lineOf(root['packages']!['/a/1.0.0'] as object, 'dev'), undefined);
});

test('anything outside the subset goes to the yaml library', () => {
  const outside = [
    'a: &x 1\nb: *x\n',
    'a: |\n  multi\n  line\n',
    'a: plain\n  continued\n',
    '? long key\n: value\n',
    'a: 1\n---\nb: 2\n',
    'a:\n\t- tab\n',
    'a: [1,\n  2]\n',
    'a: "\\x41"\n',
    'list:\n  - k: v\n',
    '@at: 1\n',
  ];
  for (const text of outside) assert.equal(readSubset(text), undefined, text);
  // …and the library's answer is used: same value, or the library's error.
  const anchored = readLockYaml('a: &x 1\nb: *x\n');
  assert.ok(anchored.ok);
  assert.deepEqual(anchored.value, { a: 1, b: 1 });
  const block = readLockYaml('a: |\n  multi\n  line\n');
  assert.ok(block.ok);
  assert.deepEqual(block.value, { a: 'multi\nline\n' });
});

test('broken, empty and hostile YAML', () => {
  const dup = readLockYaml('a: 1\na: 2\n');
  assert.equal(dup.ok, false);
  const broken = readLockYaml('a: [unclosed\nb: "open\n');
  assert.equal(broken.ok, false);
  const comments = readLockYaml('# only a comment\n');
  assert.ok(comments.ok);
  assert.equal(comments.value, null);
  const deep = readLockYaml(`a: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
  assert.equal(deep.ok, false);
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  const t0 = performance.now();
  const r = readLockYaml(`${bomb.join('\n')}\n`);
  assert.equal(r.ok, false);
  assert.ok(performance.now() - t0 < 5_000);
  const proto = readLockYaml('__proto__:\n  polluted: yes\n');
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  if (proto.ok) assert.equal(Object.getPrototypeOf(proto.value), Object.prototype);
});

const LOCKFILES = sharedData('lockfiles');
test('every YAML lockfile in the shared data reads the same through the subset reader', { skip: LOCKFILES ? false : skipMessage('lockfiles') }, () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.yaml') || ((name.endsWith('.lock') || name === 'yarn.lock') && readFileSync(p, 'utf8').includes('__metadata'))) files.push(p);
    }
  };
  walk(LOCKFILES!);
  assert.ok(files.length > 50);
  let fast = 0;
  for (const f of files) {
    if (!existsSync(f)) continue;
    const text = readFileSync(f, 'utf8');
    const got = readSubset(text);
    if (got === undefined) continue;
    fast++;
    assert.deepEqual(got.value, reference(text), f);
  }
  assert.ok(fast >= files.length - 2, `${files.length - fast} files fell back to the yaml library`);
});
