import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adviseFix, compareDotted, findingAdvice, groupByPackage } from './advice.js';
import { makeFinding, makePackage, sampleReport } from './test-fixtures.js';

const pkg = makePackage();
const f = (id: string, fixed: string[], o: Parameters<typeof makeFinding>[0] = {}) => makeFinding({ id, fixedVersions: fixed, ...o });

test('direct package: one target fixing every finding, counted', () => {
  assert.equal(adviseFix(pkg, [f('CVE-1', ['4.17.21']), f('CVE-2', ['4.17.21'])]).text, 'upgrade lodash to 4.17.21 (fixes 2)');
  // Dotted numbers are compared without a scheme: the highest nearest fix covers both.
  assert.equal(adviseFix(pkg, [f('CVE-1', ['4.17.19']), f('CVE-2', ['4.17.21', '5.0.1'])]).text, 'upgrade lodash to 4.17.21 (fixes 2)');
  assert.equal(adviseFix(pkg, [f('CVE-1', ['4.17.9']), f('CVE-2', ['4.17.10'])]).target, '4.17.10');
  assert.equal(adviseFix(pkg, [f('CVE-1', ['4.17.21']), f('CVE-2', [])]).text, 'upgrade lodash to 4.17.21 (fixes 1); no fix yet for CVE-2');
  assert.equal(adviseFix(pkg, [f('CVE-1', []), f('CVE-2', [])]).text, 'no fixed version of lodash yet (2 findings)');
});

test('versions a plain comparison cannot order: each fix listed, or the scheme comparator decides', () => {
  const findings = [f('CVE-1', ['1.0.0-rc.2']), f('CVE-2', ['1.0.0'])];
  assert.equal(adviseFix(pkg, findings).text, 'upgrade lodash: 1.0.0-rc.2 fixes CVE-1; 1.0.0 fixes CVE-2');
  const compareVersions = (_eco: string, a: string, b: string) => (a === b ? 0 : a === '1.0.0' ? 1 : -1);
  assert.equal(adviseFix(pkg, findings, { compareVersions }).text, 'upgrade lodash to 1.0.0 (fixes 2)');
  const unsure = () => undefined;
  assert.equal(adviseFix(pkg, findings, { compareVersions: unsure }).target, null);
});

test('transitive package: names the chain and the direct dependency to upgrade', () => {
  const min = makePackage({ name: 'minimist', version: '1.2.0', purl: 'pkg:npm/minimist@1.2.0', id: 'pkg:npm/minimist@1.2.0' });
  const path = ['pkg:npm/mkdirp@0.5.1', 'pkg:npm/%40scope/optimist@0.6.1#2', 'pkg:npm/minimist@1.2.0'];
  const a = adviseFix(min, [makeFinding({ package: min, fixedVersions: ['1.2.6'], path })]);
  assert.deepEqual(a.via, ['mkdirp', '@scope/optimist']);
  assert.equal(a.text, 'minimist is pulled in by mkdirp → @scope/optimist; upgrade mkdirp to a version that brings minimist 1.2.6 or later (fixes 1)');
  const none = adviseFix(min, [makeFinding({ package: min, fixedVersions: [], path })]);
  assert.equal(none.text, 'minimist is pulled in by mkdirp → @scope/optimist; no fixed version of minimist yet (1 finding)');
  // A path of only the package itself is a direct dependency; a path not ending in it is taken whole.
  assert.equal(adviseFix(min, [makeFinding({ package: min, fixedVersions: ['1.2.6'], path: ['pkg:npm/minimist@1.2.0'] })]).via.length, 0);
  assert.deepEqual(adviseFix(min, [makeFinding({ package: min, fixedVersions: ['1.2.6'], path: ['not-a-purl'] })]).via, ['not-a-purl']);
});

test('suppressed findings are left out of package advice but findingAdvice still says what would fix one', () => {
  const sup = f('CVE-1', ['4.17.21'], { suppression: { kind: 'vex', status: 'not_affected', source: 'v' } });
  assert.equal(adviseFix(pkg, [sup]).text, 'nothing to fix: every finding is suppressed');
  assert.equal(findingAdvice(sup), 'upgrade lodash to 4.17.21 (fixes 1)');
});

test('compareDotted and groupByPackage order', () => {
  assert.equal(compareDotted('1.10', '1.9')! > 0, true);
  assert.equal(compareDotted('1.2', '1.2.0'), 0);
  assert.equal(compareDotted('v1.2.3', 'v1.2.4')! < 0, true);
  assert.equal(compareDotted('v1.2.3', '1.2.4'), undefined);
  assert.equal(compareDotted('1.0.0-rc1', '1.0.0'), undefined);
  assert.equal(compareDotted('1:1.0', '1.0'), undefined);
  const groups = groupByPackage(sampleReport().findings);
  assert.deepEqual(groups.map((g) => g.pkg.name), ['lodash', 'minimist', 'left-pad']);
  assert.deepEqual(groups[0]!.findings.map((x) => x.id), ['CVE-2020-8203', 'CVE-2021-23337', 'GHSA-29mw-wpgm-hmr9']);
});
