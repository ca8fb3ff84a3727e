import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composerLockReader } from './index.js';
import { parseComposerLock } from './parse.js';

const SHA1 = '0123456789abcdef0123456789abcdef01234567';
const LOCK = JSON.stringify(
  {
    packages: [
      { name: 'sentry/sdk', version: '2.0.4', source: { type: 'git', reference: 'srcref' }, dist: { type: 'zip', reference: '4c115873', shasum: SHA1 }, require: { 'sentry/sentry': '^2.1', php: '^7.1' }, license: ['MIT'] },
      { name: 'sentry/sentry', version: '2.1.3', source: { reference: 'abc' } },
      { name: 'wpackagist-plugin/block-bad-queries', version: 20190220, dist: { type: 'zip' } },
    ],
    'packages-dev': [{ name: 'theseer/tokenizer', version: '1.1.3', dist: { reference: '11336f6f' } }],
  },
  null,
  4,
);
const read = (text: string, composerJson?: string) => parseComposerLock({ path: 'app/composer.lock', text, readFile: (p) => (p === 'app/composer.json' ? composerJson : undefined) });

test('packages are prod, packages-dev are dev; commit, shasum, licence, line, purl', () => {
  const r = read(LOCK);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.scope, p.groups, p.commit, p.location.line]),
    [
      ['sentry/sdk', '2.0.4', 'prod', undefined, '4c115873', 4],
      ['sentry/sentry', '2.1.3', 'prod', undefined, 'abc', 24],
      ['wpackagist-plugin/block-bad-queries', '20190220', 'prod', undefined, undefined, 31],
      ['theseer/tokenizer', '1.1.3', 'dev', ['dev'], '11336f6f', 40],
    ],
  );
  const sdk = r.packages[0]!;
  assert.equal(sdk.ecosystem, 'Packagist');
  assert.equal(sdk.purl, 'pkg:composer/sentry/sdk@2.0.4');
  assert.deepEqual(sdk.hashes, [{ alg: 'SHA-1', content: SHA1 }]);
  assert.deepEqual(sdk.licenses, ['MIT']);
  assert.equal(sdk.direct, undefined, 'no composer.json: direct unknown');
  assert.deepEqual(r.edges, [{ from: sdk.id, to: r.packages[1]!.id }]);
});

test('composer.json beside the lock marks the direct dependencies', () => {
  const r = read(LOCK, JSON.stringify({ require: { 'Sentry/SDK': '^2' }, 'require-dev': { 'theseer/tokenizer': '*' } }));
  assert.deepEqual(r.packages.map((p) => p.direct), [true, false, false, true]);
  assert.deepEqual(r.edges.filter((e) => e.from === 'root').map((e) => e.to), [r.packages[0]!.id, r.packages[3]!.id]);
});

test('empty lock: nothing, no problems', () => {
  assert.deepEqual(read('{"packages": [], "packages-dev": null}'), { packages: [], edges: [], problems: [] });
});

test('a bad entry is a warning naming its pointer; the others are kept', () => {
  const r = read('{"packages": [{"name": "a/b", "version": "1"}, {"name": "c/d", "version": {"x": 1}}, 7]}');
  assert.deepEqual(r.packages.map((p) => p.name), ['a/b']);
  assert.equal(r.problems.length, 2);
  assert.match(r.problems[0]!.message, /^\/packages\/1 \(c\/d\): version/);
  assert.match(r.problems[1]!.message, /^\/packages\/2/);
  assert.ok(r.problems.every((p) => p.severity === 'warning'));
});

test('not JSON, or the wrong shape: one error', () => {
  for (const text of ['this is not json', '{"packages": {}}', '']) {
    const r = read(text);
    assert.equal(r.packages.length, 0);
    assert.deepEqual(r.problems.map((p) => p.severity), ['error']);
  }
});

test('hostile: deep nesting is refused before parsing; __proto__ keys stay data', () => {
  assert.equal(read(`{"packages": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`).problems[0]!.severity, 'error');
  const r = read('{"packages": [{"name": "a/b", "version": "1", "require": {"__proto__": "1"}}]}');
  assert.equal(r.packages.length, 1);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('matches composer.lock only', () => {
  assert.equal(composerLockReader.matches('x/composer.lock'), true);
  assert.equal(composerLockReader.matches('x/composer.json'), false);
});
