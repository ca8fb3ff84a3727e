import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemfileLockReader } from './index.js';
import { parseGemfileLock, splitSpec } from './parse.js';

const read = (text: string) => parseGemfileLock({ path: 'Gemfile.lock', text });
const SHA = 'a'.repeat(64);

const LOCK = `GIT
  remote: https://github.com/hanami/utils.git
  revision: 5904fc9a70683b8749aa2861257d0c8c01eae4aa
  branch: unstable
  specs:
    hanami-utils (2.0.0.alpha1)
      concurrent-ruby (~> 1.0)

PATH
  remote: .
  specs:
    myapp (0.1.0)
      rack (>= 2)

GEM
  remote: https://rubygems.org/
  specs:
    concurrent-ruby (1.1.7)
    nokogiri (1.13.3-x86_64-linux)
      racc (~> 1.4)
    nokogiri (1.13.3-arm64-darwin)
      racc (~> 1.4)
    racc (1.6.0)
    rack (2.2.3)

PLATFORMS
  arm64-darwin
  x86_64-linux

DEPENDENCIES
  hanami-utils!
  myapp!
  nokogiri (~> 1.13)

CHECKSUMS
  rack (2.2.3) sha256=${SHA}

RUBY VERSION
   ruby 3.0.2p107

BUNDLED WITH
   2.5.3
`;

test('GIT, PATH and GEM specs; DEPENDENCIES → direct; platforms merged; checksums; edges', () => {
  const r = read(LOCK);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.version, p.direct, p.location.line]),
    [
      ['hanami-utils', '2.0.0.alpha1', true, 6],
      ['myapp', '0.1.0', true, 12],
      ['concurrent-ruby', '1.1.7', false, 18],
      ['nokogiri', '1.13.3', true, 19],
      ['racc', '1.6.0', false, 23],
      ['rack', '2.2.3', false, 24],
    ],
  );
  const [utils, app, cr, noko, racc, rack] = r.packages;
  assert.equal(utils!.commit, '5904fc9a70683b8749aa2861257d0c8c01eae4aa');
  assert.equal(app!.properties?.['bundler:source'], 'PATH');
  assert.equal(cr!.commit, undefined);
  assert.equal(noko!.ecosystem, 'RubyGems');
  assert.equal(noko!.purl, 'pkg:gem/nokogiri@1.13.3');
  assert.equal(noko!.properties?.['bundler:platforms'], 'x86_64-linux,arm64-darwin');
  assert.deepEqual(rack!.hashes, [{ alg: 'SHA-256', content: SHA }]);
  assert.deepEqual(r.edges, [
    { from: 'root', to: utils!.id },
    { from: 'root', to: app!.id },
    { from: 'root', to: noko!.id },
    { from: utils!.id, to: cr!.id },
    { from: app!.id, to: rack!.id },
    { from: noko!.id, to: racc!.id },
  ]);
});

test('a single platform variant keeps it as the purl platform qualifier', () => {
  const r = read('GEM\n  remote: https://rubygems.org/\n  specs:\n    ffi (1.15.0-java)\n');
  assert.equal(r.packages[0]!.purl, 'pkg:gem/ffi@1.15.0?platform=java');
  assert.equal(r.packages[0]!.direct, undefined, 'no DEPENDENCIES section: direct unknown');
});

test('spec lines: name, version and platform', () => {
  assert.deepEqual(splitSpec('nokogiri (1.13.3-x86_64-linux)'), { name: 'nokogiri', version: '1.13.3', platform: 'x86_64-linux' });
  assert.deepEqual(splitSpec('rake'), { name: 'rake', version: '', platform: undefined });
});

test('empty file, or no GEM section: nothing, no problems', () => {
  assert.deepEqual(read(''), { packages: [], edges: [], problems: [] });
  assert.deepEqual(read('PLATFORMS\n  ruby\n\nDEPENDENCIES\n\nBUNDLED WITH\n   2.2.28\n'), { packages: [], edges: [], problems: [] });
});

test('a file without any Bundler section is one error', () => {
  const r = read('this is not a Gemfile.lock\nat all\n');
  assert.equal(r.packages.length, 0);
  assert.deepEqual(r.problems.map((p) => p.severity), ['error']);
});

test('odd indentation and unknown sections are warnings; the gems around them are kept', () => {
  const r = read('GEM\n  specs:\n    a (1.0)\n       weird (1)\n    b (2.0)\nWHATEVER\n  x\n');
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['a@1.0', 'b@2.0']);
  assert.deepEqual(r.problems.map((p) => [p.severity, p.location.line]), [['warning', 4], ['warning', 6]]);
});

test('hostile: 100,000 specs with CRLF line ends read linearly', () => {
  const text = `GEM\r\n  specs:\r\n${Array.from({ length: 100_000 }, (_, i) => `    g${i} (1.${i})\r\n      g${i + 1}\r\n`).join('')}`;
  const started = performance.now();
  const r = read(text);
  assert.equal(r.packages.length, 100_000);
  assert.equal(r.packages[5]!.version, '1.5');
  assert.ok(performance.now() - started < 5000);
});

test('matches Gemfile.lock and gems.locked', () => {
  assert.equal(gemfileLockReader.matches('app/Gemfile.lock'), true);
  assert.equal(gemfileLockReader.matches('gems.locked'), true);
  assert.equal(gemfileLockReader.matches('Gemfile'), false);
});
