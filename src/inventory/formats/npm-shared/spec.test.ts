import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PackageURL } from 'packageurl-js';
import { jsPurl } from './graph.js';
import { dirOf, hexHash, integrityHashes, isLocalReference, joinPath, looksLikePackageName, parseNpmAlias, redactUrl, splitNameAt, tryExtractCommit } from './spec.js';

test('splitNameAt splits name and version, scoped names included', () => {
  assert.deepEqual(splitNameAt('lodash@4.17.21'), ['lodash', '4.17.21']);
  assert.deepEqual(splitNameAt('@babel/core@7.0.0'), ['@babel/core', '7.0.0']);
  assert.deepEqual(splitNameAt('@babel/core'), ['@babel/core', '']);
  assert.deepEqual(splitNameAt('a@npm:b@1'), ['a', 'npm:b@1']);
  assert.deepEqual(splitNameAt(''), ['', '']);
});

test('parseNpmAlias reads npm: aliases and refuses the rest', () => {
  assert.deepEqual(parseNpmAlias('npm:string-width@^4.2.0'), ['string-width', '^4.2.0']);
  assert.deepEqual(parseNpmAlias('npm:@babel/code-frame@7.0.0'), ['@babel/code-frame', '7.0.0']);
  assert.deepEqual(parseNpmAlias('npm:string-width'), ['string-width', '']);
  assert.equal(parseNpmAlias('npm:'), undefined);
  assert.equal(parseNpmAlias('^1.0.0'), undefined);
});

test('looksLikePackageName', () => {
  for (const ok of ['a', '@s/a', 'lodash.merge']) assert.equal(looksLikePackageName(ok), true, ok);
  for (const bad of ['', '@s', '@s/', 'a/b', '@s/a/b', 'a b', 'x'.repeat(215)]) assert.equal(looksLikePackageName(bad), false, bad);
});

test('tryExtractCommit finds commits in every git reference form osv-scanner knows', () => {
  const sha = 'af885e2e890b9ef0875edd2b117305119ee5bdc5';
  const table: [string, string][] = [
    [`git+ssh://git@github.com/jonschlinkert/is-number.git#${sha}`, sha],
    [`git+https://github.com/jonschlinkert/is-number.git#${sha}`, sha],
    [`git://github.com/brianfryer/slick.git#${sha}`, sha],
    [`ssh://github.com/substack/minimist.git#${sha}`, sha],
    [`is-number@git+ssh://git@github.com:o/r#${sha}`, sha],
    [`https://github.com/vuejs/vue.git#${sha}`, sha],
    [`https://codeload.github.com/o/r/tar.gz/${sha}`, sha],
    [`domino@https://github.com/angular/domino.git#commit=${sha}`, sha],
    [`github:jonschlinkert/is-number#${sha}`, sha],
    [`gitlab:kornelski/babel-preset-php#${sha}`, sha],
    [`https://gitlab.com/kornelski/babel-preset-php/repository/archive.tar.gz?ref=${sha}`, sha],
    [`https://github.com/bats-core/bats-core#${sha}`, sha],
    ['https://registry.npmjs.org/wrappy/-/wrappy-1.0.2.tgz', ''],
    ['https://registry.yarnpkg.com/ms/-/ms-2.0.0.tgz#5608aeadfc00be6c2901df5f9861788de0d597c8', ''],
    ['file:../local', ''],
    ['', ''],
    ['not a url at all ###', ''],
  ];
  for (const [input, want] of table) assert.equal(tryExtractCommit(input), want, input);
});

test('tryExtractCommit stays linear on hostile input', () => {
  const evil = `git+ssh://${'@git+ssh://'.repeat(20_000)}#${'a'.repeat(50_000)}!`;
  const t0 = performance.now();
  tryExtractCommit(evil);
  tryExtractCommit(`https://codeload.github.com/${'/'.repeat(100_000)}`);
  assert.ok(performance.now() - t0 < 2_000);
});

test('integrityHashes turns SRI strings into hex hashes', () => {
  const hashes = integrityHashes('sha512-AAEC sha1-/w==');
  assert.deepEqual(hashes, [
    { alg: 'SHA-512', content: '000102' },
    { alg: 'SHA-1', content: 'ff' },
  ]);
  assert.equal(integrityHashes('md4-AAAA'), undefined);
  assert.equal(integrityHashes(''), undefined);
  assert.equal(integrityHashes(42), undefined);
  assert.deepEqual(hexHash('SHA-512', 'AB'.repeat(32)), [{ alg: 'SHA-512', content: 'ab'.repeat(32) }]);
  assert.equal(hexHash('SHA-512', '10c0/abc'), undefined);
});

test('redactUrl removes credentials but keeps ssh user names', () => {
  assert.equal(redactUrl('git+https://dummy-token@github.com/o/r.git#abc'), 'git+https://github.com/o/r.git#abc');
  assert.equal(redactUrl('https://user:secret@registry.example.com/a.tgz'), 'https://registry.example.com/a.tgz');
  assert.equal(redactUrl('git+ssh://git@github.com/o/r.git'), 'git+ssh://git@github.com/o/r.git');
  assert.equal(redactUrl('https://registry.npmjs.org/@s/a/-/a-1.0.0.tgz'), 'https://registry.npmjs.org/@s/a/-/a-1.0.0.tgz');
  assert.equal(redactUrl('github:o/r#abc'), 'github:o/r#abc');
});

test('paths: isLocalReference, dirOf, joinPath', () => {
  for (const local of ['file:../x', 'link:x', 'portal:x', './x.tgz', '../x', '/abs/x.tgz']) assert.equal(isLocalReference(local), true, local);
  for (const remote of ['1.0.0', 'github:o/r', 'https://x/y.tgz']) assert.equal(isLocalReference(remote), false, remote);
  assert.equal(dirOf('a/b/yarn.lock'), 'a/b');
  assert.equal(dirOf('yarn.lock'), '');
  assert.equal(joinPath('shared/backend', '../react'), 'shared/react');
  assert.equal(joinPath('', './packages/a/'), 'packages/a');
  assert.equal(joinPath('a', '../..'), '..');
});

test('jsPurl matches packageurl-js for plain and unusual names', () => {
  const cases: [string, string][] = [
    ['lodash', '4.17.21'],
    ['@babel/core', '7.0.0-beta.1+build.5'],
    ['Foo_Bar.js', '1.0.0'],
    ['a~b', '1.0.0_x'],
    ['@Scope/Name', '1.0.0'],
    ['pkg', ''],
    ['weird name', '1 0'],
    ['@types/node', '20.0.0'],
  ];
  for (const [name, version] of cases) {
    const slash = name.startsWith('@') ? name.indexOf('/') : -1;
    const want = new PackageURL('npm', slash > 0 ? name.slice(0, slash) : undefined, slash > 0 ? name.slice(slash + 1) : name, version || undefined, undefined, undefined).toString();
    assert.equal(jsPurl(name, version), want, `${name}@${version}`);
  }
  assert.match(jsPurl('', '1.0.0'), /^pkg:npm\//);
});
