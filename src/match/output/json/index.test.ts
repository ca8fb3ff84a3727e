import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeReport, sampleReport } from '../test-fixtures.js';
import { renderJson } from './index.js';

test('json: the documented contract, worst first, plus the rest of each finding', () => {
  const doc = JSON.parse(renderJson(sampleReport()));
  assert.deepEqual(Object.keys(doc).slice(0, 4), ['target', 'packages', 'findings', 'errors']);
  assert.equal(doc.target, 'app');
  assert.equal(doc.packages, 42);
  assert.deepEqual(doc.errors, [{ path: 'poetry.lock', reason: 'line 12: expected a [[package]] table' }]);
  assert.deepEqual(doc.findings.map((f: { id: string }) => f.id), ['CVE-2020-8203', 'CVE-2021-44906', 'CVE-2021-23337', 'GHSA-29mw-wpgm-hmr9', 'GHSA-aaaa-bbbb-cccc']);
  const first = doc.findings[0];
  assert.deepEqual(Object.keys(first).slice(0, 11), ['id', 'aliases', 'package', 'severity', 'cvss', 'fixedVersions', 'kev', 'epss', 'path', 'risk', 'title']);
  assert.deepEqual(first.aliases, ['GHSA-p6mc-m468-83gw']);
  assert.deepEqual({ name: first.package.name, version: first.package.version, purl: first.package.purl, ecosystem: first.package.ecosystem }, { name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20', ecosystem: 'npm' });
  assert.deepEqual(first.cvss, [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, source: 'nvd', severity: 'critical' }]);
  assert.deepEqual(first.fixedVersions, ['4.17.19']);
  assert.equal(first.kev.dateAdded, '2022-01-10');
  assert.equal(first.epss.score, 0.0123);
  assert.deepEqual(first.path, ['pkg:npm/lodash@4.17.20']);
  assert.equal(first.risk.score, 6.4);
  assert.equal(first.suppression, null);
  assert.equal(doc.findings[3].suppression.kind, 'ignore-file');
  assert.deepEqual(doc.summary, { critical: 2, high: 1, medium: 0, low: 1, none: 0, unknown: 0, suppressed: 1 });
  assert.deepEqual(doc.tool, { name: 'vigil', version: '9.9.9' });
  assert.equal(doc.generatedAt, '2024-05-06T07:08:09.123Z');
  assert.equal(doc.unassessed.length, 1);
});

test('json: empty report', () => {
  const doc = JSON.parse(renderJson(makeReport([], { databaseUpdatedAt: undefined })));
  assert.deepEqual(doc.findings, []);
  assert.deepEqual(doc.errors, []);
  assert.equal(doc.databaseUpdatedAt, null);
});
