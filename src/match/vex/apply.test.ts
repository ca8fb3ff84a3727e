import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeFinding } from '../output/test-fixtures.js';
import { applyVex } from './apply.js';
import type { VexStatement } from './model.js';
import { compileVers } from './vers/contains.js';

const stmt = (o: Partial<VexStatement>): VexStatement => ({ vulnerability: 'CVE-2021-23337', aliases: [], products: [], subcomponents: [], status: 'not_affected', source: 'vex.json#/statements/0', ...o });

const lodash = makeFinding();
const minimist = makeFinding({
  id: 'CVE-2021-44906',
  aliases: ['GHSA-xvch-5gv4-984h'],
  package: { name: 'minimist', version: '1.2.0', purl: 'pkg:npm/minimist@1.2.0', id: 'pkg:npm/minimist@1.2.0#2', direct: false },
  path: ['pkg:npm/mkdirp@0.5.1', 'pkg:npm/minimist@1.2.0#2'],
});

test('applyVex: id or alias (CVE/GHSA without regard to case) and package purl', () => {
  const cases: [Partial<VexStatement>, boolean][] = [
    [{ products: ['pkg:npm/lodash@4.17.20'] }, true],
    [{ products: ['pkg:npm/lodash'] }, true],
    [{ products: ['pkg:npm/lodash@4.17.21'] }, false],
    [{ products: ['pkg:npm/underscore'] }, false],
    [{ vulnerability: 'cve-2021-23337', products: ['pkg:npm/lodash'] }, true],
    [{ vulnerability: 'ghsa-35jh-r3h4-6jhm', products: ['pkg:npm/lodash'] }, true],
    [{ vulnerability: 'OTHER-1', aliases: ['GHSA-35JH-R3H4-6JHM'], products: ['pkg:npm/lodash'] }, true],
    [{ vulnerability: 'CVE-2000-1', products: ['pkg:npm/lodash'] }, false],
    [{ products: ['pkg:npm/lodash@4.17.20'], status: 'fixed' }, true],
    [{ products: ['pkg:npm/lodash@4.17.20'], status: 'affected' }, false],
    [{ products: ['pkg:npm/lodash@4.17.20'], status: 'under_investigation' }, false],
    [{ products: ['pkg:npm/lodash@4.17.20'], subcomponents: [] }, true],
    [{ products: [] }, false],
  ];
  for (const [s, want] of cases) {
    const r = applyVex([lodash], [stmt(s)]);
    assert.equal(r.findings[0]!.suppression !== undefined, want, JSON.stringify(s));
    assert.equal(r.suppressed, want ? 1 : 0);
  }
  const r = applyVex([lodash], [stmt({ products: ['pkg:npm/lodash'], justification: 'code_not_reachable', impact: 'never called' })]);
  assert.deepEqual(r.findings[0]!.suppression, { kind: 'vex', status: 'not_affected', justification: 'code_not_reachable', reason: 'never called', source: 'vex.json#/statements/0' });
  assert.deepEqual(r.used, ['vex.json#/statements/0']);
  assert.equal(lodash.suppression, undefined, 'the input is not modified');
});

test('applyVex: product-level statements cover every package of the scanned product only', () => {
  const s = stmt({ vulnerability: 'CVE-2021-44906', products: ['Acme App'] });
  assert.equal(applyVex([minimist], [s]).suppressed, 0, 'scanned product unknown');
  assert.equal(applyVex([minimist], [s], { product: ['acme app@1.0'] }).suppressed, 1);
  assert.equal(applyVex([minimist], [s], { product: ['Other'] }).suppressed, 0);
  const versioned = stmt({ vulnerability: 'CVE-2021-44906', products: ['Acme App@1.0'] });
  assert.equal(applyVex([minimist], [versioned], { product: ['Acme App@1.0'] }).suppressed, 1);
  assert.equal(applyVex([minimist], [versioned], { product: ['Acme App@2.0'] }).suppressed, 0);
  const purl = stmt({ vulnerability: 'CVE-2021-44906', products: ['pkg:oci/app'] });
  assert.equal(applyVex([minimist], [purl], { product: ['pkg:oci/app@sha256%3Aabc?tag=1'] }).suppressed, 1);
  const byId = stmt({ vulnerability: 'CVE-2021-44906', products: ['pkg:npm/minimist@1.2.0#2'] });
  assert.equal(applyVex([minimist], [byId]).suppressed, 1, 'a package id (bom-ref) names the package');
});

test('applyVex: subcomponents, with the product checked when the scanned product is known', () => {
  const s = stmt({ vulnerability: 'CVE-2021-44906', products: ['pkg:oci/app'], subcomponents: ['pkg:npm/minimist'] });
  assert.equal(applyVex([minimist], [s]).suppressed, 1, 'product unknown: the subcomponent decides');
  assert.equal(applyVex([minimist], [s], { product: ['pkg:oci/app@sha256%3Aabc'] }).suppressed, 1);
  assert.equal(applyVex([minimist], [s], { product: ['pkg:oci/other'] }).suppressed, 0);
  const parent = stmt({ vulnerability: 'CVE-2021-44906', products: ['pkg:npm/mkdirp'], subcomponents: ['pkg:npm/minimist@1.2.0'] });
  assert.equal(applyVex([minimist], [parent], { product: ['pkg:oci/other'] }).suppressed, 1, 'the product is a package on the dependency path');
  const wrongSub = stmt({ vulnerability: 'CVE-2021-44906', products: ['pkg:oci/app'], subcomponents: ['pkg:npm/lodash'] });
  assert.equal(applyVex([minimist], [wrongSub]).suppressed, 0);
});

test('applyVex: the latest statement wins, then document order; existing suppressions are kept', () => {
  const older = stmt({ products: ['pkg:npm/lodash'], status: 'not_affected', timestamp: '2024-01-01T00:00:00Z', source: 'a' });
  const newer = stmt({ products: ['pkg:npm/lodash'], status: 'affected', timestamp: '2024-02-01T00:00:00Z', source: 'b' });
  assert.equal(applyVex([lodash], [newer, older]).suppressed, 0);
  assert.deepEqual(applyVex([lodash], [newer, older]).used, ['b']);
  assert.equal(applyVex([lodash], [{ ...older, timestamp: '2024-03-01T00:00:00Z' }, newer]).suppressed, 1);
  const undated = [stmt({ products: ['pkg:npm/lodash'], status: 'affected', source: 'x' }), stmt({ products: ['pkg:npm/lodash'], status: 'fixed', source: 'y' })];
  assert.equal(applyVex([lodash], undated).findings[0]!.suppression?.status, 'fixed');
  const triaged = makeFinding({ suppression: { kind: 'triage', status: 'accepted_risk', source: 'audit:1' } });
  assert.equal(applyVex([triaged], [stmt({ products: ['pkg:npm/lodash'] })]).findings[0]!.suppression?.kind, 'triage');
  const fp = applyVex([lodash], [stmt({ products: ['pkg:npm/lodash'], originalStatus: 'false_positive' })]);
  assert.equal(fp.findings[0]!.suppression?.status, 'false_positive');
});

test('applyVex: empty inputs, and many statements and findings stay fast', () => {
  assert.deepEqual(applyVex([], []).findings, []);
  assert.equal(applyVex([lodash], []).findings[0], lodash);
  const findings = Array.from({ length: 5000 }, (_, i) => makeFinding({ id: `CVE-2024-${i}`, aliases: [], package: { name: `p${i}`, version: '1.0.0' } }));
  const statements = Array.from({ length: 20_000 }, (_, i) => stmt({ vulnerability: `CVE-2024-${i % 10_000}`, products: [`pkg:npm/p${i % 7000}`] }));
  const t0 = performance.now();
  const r = applyVex(findings, statements);
  assert.ok(performance.now() - t0 < 3000);
  assert.ok(r.suppressed > 0);
});

test('applyVex: a statement limited to a vers range covers packages and the product only inside it', () => {
  const range = (text: string): VexStatement['versionRange'] => {
    const c = compileVers(text);
    assert.ok(c.ok, text);
    return { text, range: c.range };
  };
  const pkg = stmt({ products: ['pkg:npm/lodash'], versionRange: range('vers:npm/<4.17.21') });
  assert.equal(applyVex([lodash], [pkg]).suppressed, 1);
  assert.equal(applyVex([makeFinding({ package: { version: '4.17.21' } })], [pkg]).suppressed, 0);

  const product = stmt({ vulnerability: 'CVE-2021-44906', products: ['pkg:oci/app', 'Acme App'], versionRange: range('vers:semver/>=1.0.0|<2.0.0') });
  assert.equal(applyVex([minimist], [product], { product: ['pkg:oci/app@1.5.0?tag=x'] }).suppressed, 1);
  assert.equal(applyVex([minimist], [product], { product: ['pkg:oci/app@2.0.0'] }).suppressed, 0);
  assert.equal(applyVex([minimist], [product], { product: ['acme app@1.0.0'] }).suppressed, 1);
  assert.equal(applyVex([minimist], [product], { product: ['Acme App', 'Acme App@0.9.0'] }).suppressed, 0);
  assert.deepEqual(applyVex([minimist], [product], { product: ['Acme App', 'Acme App@0.9.0'] }).problems, [], 'a product version was checked');
  const unknown = applyVex([minimist], [product], { product: ['Acme App'] });
  assert.equal(unknown.suppressed, 0);
  assert.match(unknown.problems[0]!.message, /the scanned product Acme App: no version, so the range vers:semver\/>=1\.0\.0\|<2\.0\.0 cannot be checked/);
  assert.equal(applyVex([minimist], [product]).suppressed, 0, 'scanned product unknown');

  const sub = stmt({ vulnerability: 'CVE-2021-44906', products: ['pkg:oci/app'], subcomponents: ['pkg:npm/minimist'], versionRange: range('vers:npm/<1.2.6') });
  assert.equal(applyVex([minimist], [sub]).suppressed, 1);
  assert.equal(applyVex([minimist], [{ ...sub, versionRange: range('vers:npm/>=1.2.6') }]).suppressed, 0);
  assert.equal(applyVex([minimist], [{ ...sub, versionRange: range('vers:npm/*') }]).suppressed, 1);
  assert.equal(applyVex([minimist], [{ ...sub, versionRange: range('vers:none/*') }]).suppressed, 0);
});
