import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeFinding } from '../output/test-fixtures.js';
import { findingKeys, purlMatches, vulnKey } from './identity.js';

test('vulnKey: CVE and GHSA ids without regard to case, other ids exactly', () => {
  assert.equal(vulnKey(' cve-2024-1234 '), 'CVE-2024-1234');
  assert.equal(vulnKey('ghsa-35jh-r3h4-6jhm'), 'GHSA-35JH-R3H4-6JHM');
  assert.equal(vulnKey('GHSA-35jh-r3h4-6jhm'), vulnKey('ghsa-35JH-r3h4-6jhm'));
  assert.equal(vulnKey('PYSEC-2021-1'), 'PYSEC-2021-1');
  assert.notEqual(vulnKey('pysec-2021-1'), vulnKey('PYSEC-2021-1'));
  assert.deepEqual(findingKeys(makeFinding()), ['CVE-2021-23337', 'GHSA-35JH-R3H4-6JHM']);
});

test('purlMatches: version, qualifiers and subpath only when the pattern has them', () => {
  const cases: [string, string, boolean][] = [
    ['pkg:npm/lodash', 'pkg:npm/lodash@4.17.20', true],
    ['pkg:npm/lodash@4.17.20', 'pkg:npm/lodash@4.17.20', true],
    ['pkg:npm/lodash@4.17.21', 'pkg:npm/lodash@4.17.20', false],
    ['pkg:npm/lodash', 'pkg:npm/lodash-es@4.17.20', false],
    ['pkg:npm/%40types/node', 'pkg:npm/%40types/node@20.1.0', true],
    ['pkg:npm/node', 'pkg:npm/%40types/node@20.1.0', false],
    ['pkg:NPM/lodash', 'pkg:npm/lodash@1.0.0', true],
    ['pkg:pypi/Foo_Bar', 'pkg:pypi/foo-bar@1.0', true],
    ['pkg:deb/debian/openssl', 'pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12', true],
    ['pkg:deb/debian/openssl?arch=amd64', 'pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12', true],
    ['pkg:deb/debian/openssl?arch=arm64', 'pkg:deb/debian/openssl@3.0.11-1?arch=amd64', false],
    ['pkg:deb/debian/openssl?arch=amd64', 'pkg:deb/debian/openssl@3.0.11-1', false],
    ['pkg:golang/github.com/a/b#sub', 'pkg:golang/github.com/a/b@v1.0.0#sub', true],
    ['pkg:golang/github.com/a/b#other', 'pkg:golang/github.com/a/b@v1.0.0#sub', false],
    ['pkg:maven/org.x/y@1.0?type=jar', 'pkg:maven/org.x/y@1.0?type=jar', true],
    ['pkg:maven/org.x/y@1.0?type=jar', 'pkg:maven/org.x/y@1.0', false],
    ['not a purl', 'not a purl', true],
    ['pkg:', 'pkg:npm/a@1', false],
    ['pkg:npm/a', '', false],
  ];
  for (const [pattern, target, want] of cases) assert.equal(purlMatches(pattern, target), want, `${pattern} vs ${target}`);
});
