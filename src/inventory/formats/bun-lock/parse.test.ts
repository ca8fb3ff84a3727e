import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReadResult } from '../../model.js';
import { bunLockReader } from './index.js';
import { jsoncToJson } from './jsonc.js';

const read = (text: string): ReadResult => bunLockReader.read({ path: 'svc/bun.lock', text });
const rows = (r: ReadResult) => r.packages.map((p) => [p.name, p.version, p.direct, p.scope, p.commit, p.location.line]);
const edges = (r: ReadResult) => r.edges.map((e) => `${e.from} -> ${e.to}`).sort();
const errors = (r: ReadResult) => r.problems.filter((p) => p.severity === 'error');

test('jsoncToJson drops comments and trailing commas, never inside strings, keeping offsets', () => {
  const src = '{\n  // a comment, with "quotes"\n  "a": "x // not a comment, ]", /* block\n comment */ "b": [1, 2,],\n  "c": "\\"/*\\"",\n}\n';
  const out = jsoncToJson(src);
  assert.equal(out.length, src.length);
  assert.equal(out.split('\n').length, src.split('\n').length);
  assert.deepEqual(JSON.parse(out), { a: 'x // not a comment, ]', b: [1, 2], c: '"/*"' });
  assert.equal(jsoncToJson('{"a": 1}'), '{"a": 1}');
  assert.equal(jsoncToJson('{"a": "unterminated'), '{"a": "unterminated');
  const t0 = performance.now();
  jsoncToJson(`[${',/**/'.repeat(100_000)}]`);
  jsoncToJson(`"${'\\'.repeat(200_001)}`);
  assert.ok(performance.now() - t0 < 3_000);
});

const LOCK = `{
  "lockfileVersion": 1,
  // workspaces: the projects
  "workspaces": {
    "": {
      "name": "svc",
      "dependencies": {
        "chalk": "^4.0.0",
        "cjs": "npm:supports-color@^6.0.0",
        "uws": "uNetworking/uWebSockets.js#v20.51.0",
      },
      "devDependencies": {
        "local": "file:./local",
      },
      "optionalDependencies": {
        "fsevents": "^2.3.0",
      },
    },
    "packages/a": {
      "name": "pkg-a",
      "version": "1.0.0",
      "dependencies": { "chalk": "^5.0.0", },
    },
  },
  "packages": {
    "chalk": ["chalk@4.1.2", "", { "dependencies": { "supports-color": "^7.1.0" } }, "sha512-AAEC"],

    "chalk/supports-color": ["supports-color@7.2.0", "", {}, "sha512-AAEC"],

    "cjs": ["supports-color@6.1.0", "https://npm.example.com/", {}, "sha512-AAEC"],

    "fsevents": ["fsevents@2.3.3", "", { "os": "darwin" }, "sha512-AAEC"],

    "local": ["local@file:local", {}],

    "pkg-a": ["pkg-a@workspace:packages/a"],

    "pkg-a/chalk": ["chalk@5.3.0", "", {}, "sha512-AAEC"],

    "uws": ["uWebSockets.js@github:uNetworking/uWebSockets.js#6609a88", {}, "uNetworking-uWebSockets.js-6609a88"],
  }
}
`;

test('bun.lock: identifiers, aliases, nested keys, workspaces, git commits, scope and lines', () => {
  const r = read(LOCK);
  assert.deepEqual(errors(r), []);
  assert.deepEqual(rows(r), [
    ['chalk', '4.1.2', true, 'prod', undefined, 26],
    ['supports-color', '7.2.0', false, 'prod', undefined, 28],
    ['supports-color', '6.1.0', true, 'prod', undefined, 30],
    ['fsevents', '2.3.3', true, 'optional', undefined, 32],
    ['local', '', true, 'dev', undefined, 34],
    ['pkg-a', '', undefined, undefined, undefined, 36],
    ['chalk', '5.3.0', true, 'prod', undefined, 38],
    ['uWebSockets.js', '', true, 'prod', '6609a88', 40],
  ]);
  assert.deepEqual(r.packages[0]!.hashes, [{ alg: 'SHA-512', content: '000102' }]);
  assert.equal(r.packages[2]!.properties?.['resolved'], 'https://npm.example.com/');
  assert.equal(r.packages[5]!.properties?.['workspace'], 'packages/a');
  assert.equal(r.packages[7]!.properties?.['resolved'], 'github:uNetworking/uWebSockets.js#6609a88');
  assert.deepEqual(edges(r), [
    'pkg:npm/chalk@4.1.2 -> pkg:npm/supports-color@7.2.0',
    'pkg:npm/pkg-a -> pkg:npm/chalk@5.3.0',
    'root -> pkg:npm/chalk@4.1.2',
    'root -> pkg:npm/fsevents@2.3.3',
    'root -> pkg:npm/local',
    'root -> pkg:npm/supports-color@6.1.0',
    'root -> pkg:npm/uwebsockets.js',
  ]);
});

test('a tuple that cannot be read is an error naming its key; the others are kept', () => {
  const r = read('{"lockfileVersion": 0, "workspaces": {"": {"dependencies": {"wrappy": "^1"}}}, "packages": {"bad1": [123], "wrappy": ["wrappy@1.0.2", "", {}, "sha512-AAEC"], "bad2": {}, "bad3": []}}');
  assert.deepEqual(
    r.packages.map((p) => `${p.name}@${p.version}`),
    ['wrappy@1.0.2'],
  );
  assert.deepEqual(
    errors(r).map((p) => p.message),
    ["could not extract 'bad1': first element of package tuple is not a string", "could not extract 'bad2': package entry is not a tuple", "could not extract 'bad3': empty package tuple"],
  );
});

test('empty lockfiles give no packages and no problems', () => {
  for (const text of ['{}', '{"lockfileVersion": 0, "workspaces": {"": {}}}', '{\n  "lockfileVersion": 1, // c\n  "packages": {},\n}\n']) {
    const r = read(text);
    assert.deepEqual([r.packages, r.problems], [[], []], text);
  }
});

test('broken input is one error problem', () => {
  for (const text of ['', 'not json', '[]', '{"packages": {"a": ["a@1"]', '{"a": 1,, }']) {
    const r = read(text);
    assert.equal(r.packages.length, 0, text);
    assert.equal(errors(r).length, 1, text);
    assert.match(errors(r)[0]!.message, /could not extract from svc\/bun\.lock/);
  }
  assert.match(read('{"lockfileVersion": 2}').problems[0]!.message, /newer/);
});

test('hostile input: deep nesting refused, prototype keys inert', () => {
  assert.equal(errors(read(`${'['.repeat(5_000)}${']'.repeat(5_000)}`)).length, 1);
  const r = read('{"workspaces": {"": {"dependencies": {"__proto__": "1"}}}, "packages": {"__proto__": ["__proto__@1.0.0", "", {"dependencies": {"constructor": "1"}}, ""], "constructor": ["constructor@2.0.0", "", {}, ""]}}');
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.direct]),
    [
      ['__proto__', true],
      ['constructor', false],
    ],
  );
  assert.equal(r.edges.length, 2);
});

test('matches bun.lock (not the binary bun.lockb) outside node_modules', () => {
  assert.equal(bunLockReader.matches('bun.lock'), true);
  assert.equal(bunLockReader.matches('a/bun.lock'), true);
  assert.equal(bunLockReader.matches('bun.lockb'), false);
  assert.equal(bunLockReader.matches('node_modules/a/bun.lock'), false);
});
