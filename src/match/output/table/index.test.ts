import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeFinding, makeReport, sampleReport } from '../test-fixtures.js';
import { clean, renderTable } from './index.js';

test('table: grouped by package, worst first, markers, fix advice, suppressed apart, summary, errors', () => {
  const text = renderTable(sampleReport());
  const lines = text.split('\n');
  assert.equal(lines[0], 'vigil 9.9.9 scan of app: 42 packages');
  const at = (s: string) => lines.findIndex((l) => l.startsWith(s));
  assert.ok(at('lodash@4.17.20 (npm)  package-lock.json:12') < at('minimist@1.2.0 (npm)  web/package-lock.json:300'));
  assert.ok(at('minimist@1.2.0') < at('left-pad@1.0.0 (npm)  package-lock.json'));
  const lodash = lines.slice(at('lodash@'), at('lodash@') + 4);
  assert.match(lodash[1]!, /^ {2}CRITICAL {2}CVE-2020-8203 {3}KEV EPSS 1\.2% {2}fixed in 4\.17\.19 {2}Prototype Pollution in lodash$/);
  assert.match(lodash[2]!, /^ {2}HIGH {6}CVE-2021-23337 {2}EPSS 1\.2% {6}fixed in 4\.17\.21 {2}Command Injection in lodash$/);
  assert.equal(lodash[3], '  fix: upgrade lodash to 4.17.21 (fixes 2)');
  assert.ok(lines.includes('  fix: minimist is pulled in by mkdirp → optimist; upgrade mkdirp to a version that brings minimist 1.2.6 or later (fixes 1)'));
  assert.ok(lines.includes('  fix: no fixed version of left-pad yet (1 finding)'));
  assert.ok(lines.includes('Suppressed (1):'));
  assert.ok(lines.includes('  GHSA-29mw-wpgm-hmr9  lodash@4.17.20  accepted_risk until 2027-01-31 [ignore-file: .vigilignore:3] only used in tests'));
  assert.ok(!lines.slice(0, at('Suppressed')).some((l) => l.includes('GHSA-29mw-wpgm-hmr9')), 'suppressed findings only in their section');
  assert.ok(lines.includes('Summary: 2 critical, 1 high, 0 medium, 1 low (4 findings in 3 packages; 1 suppressed)'));
  assert.ok(lines.includes('Errors (1):'));
  assert.ok(lines.includes('  poetry.lock: line 12: expected a [[package]] table'));
  assert.ok(lines.includes('  pkg:hex/foo@1.0: no version scheme for ecosystem Hex'));
  assert.ok(!text.includes('\u001b'), 'no colours unless asked');
});

test('table: colours only when asked', () => {
  const coloured = renderTable(sampleReport(), { color: true });
  assert.ok(coloured.includes('\u001b[1;31mCRITICAL\u001b[0m'));
  assert.equal(coloured.replaceAll(/\u001b\[[0-9;]*m/g, ''), renderTable(sampleReport())); // eslint-disable-line no-control-regex
});

test('table: empty and all-suppressed reports', () => {
  const empty = renderTable(makeReport());
  assert.ok(empty.includes('No known vulnerabilities found.'));
  assert.ok(empty.includes('Summary: 0 critical, 0 high, 0 medium, 0 low (0 findings in 0 packages)'));
  const allSuppressed = renderTable(makeReport([makeFinding({ suppression: { kind: 'vex', status: 'not_affected', justification: 'code_not_reachable', source: 'vex.json#/statements/0' } })]));
  assert.ok(allSuppressed.includes('No open vulnerabilities (all findings are suppressed).'));
  assert.ok(allSuppressed.includes('  CVE-2021-23337  lodash@4.17.20  not_affected [vex: vex.json#/statements/0] code_not_reachable'));
});

test('table: hostile text cannot move the cursor or break lines; low-confidence and unknown severities show', () => {
  const evil = makeFinding({ id: 'CVE-2024-1', title: 'bad\u001b[2J\r\ntitle\u202e', severity: 'unknown', confidence: 'low', matchedBy: 'cpe', package: { name: 'x\u0007y', location: { file: 'a\nb' } } });
  const text = renderTable(makeReport([evil]));
  assert.ok(!/[\u0000-\u0009\u000b-\u001f\u202e]/.test(text)); // eslint-disable-line no-control-regex
  assert.ok(text.includes('low confidence (cpe)'));
  assert.ok(text.includes('UNKNOWN'));
  assert.ok(text.includes('1 unknown'));
  assert.equal(clean('a\u0000b\u009bc'), 'a b c');
});
