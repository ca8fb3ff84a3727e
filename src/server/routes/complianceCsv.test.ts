import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ComplianceReport } from '../../store/repos/postureTargetsCompliance.js';
import { complianceCsv, csvCell, wantsCsv } from './complianceCsv.js';

test('cells: formula starts get a leading quote mark; quotes, commas and line breaks are quoted', () => {
  const cases: [string | number | null, string][] = [
    ['plain', 'plain'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-1+2', "'-1+2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['a,b', '"a,b"'],
    ['line\nbreak', '"line\nbreak"'],
    ['say "hi"', '"say ""hi"""'],
    ['', ''],
    [null, ''],
    [42.5, '42.5'],
    [' =not-first', ' =not-first'],
  ];
  for (const [input, want] of cases) assert.equal(csvCell(input), want, JSON.stringify(input));
});

test('Accept negotiation: format wins; text/csv when ranked above JSON', () => {
  assert.equal(wantsCsv('csv', 'application/json'), true);
  assert.equal(wantsCsv('json', 'text/csv'), false);
  assert.equal(wantsCsv(undefined, undefined), false);
  assert.equal(wantsCsv(undefined, 'text/csv'), true);
  assert.equal(wantsCsv(undefined, 'text/csv;q=0.5, application/json'), false);
  assert.equal(wantsCsv(undefined, 'application/json;q=0.2, text/csv'), true);
  assert.equal(wantsCsv(undefined, '*/*'), false);
  assert.equal(wantsCsv(undefined, 'text/csv, */*'), true);
  assert.equal(wantsCsv(undefined, 'text/csv;q=0'), false);
  assert.equal(wantsCsv(undefined, 'text/csv;q=abc'), false);
  assert.equal(wantsCsv(undefined, ',,;;,'), false);
});

test('one line per target and control, after the header', () => {
  const report: ComplianceReport = {
    framework: { id: 'cis-kubernetes-1.10', name: 'CIS' },
    generatedAt: '2026-01-01T00:00:00.000Z',
    summary: { targets: 1, compliance: 50, controls: { pass: 1, fail: 1, notAssessed: 0 } },
    targets: [
      { id: 't1', provider: 'kubernetes', externalId: '=cmd|x', name: 'prod, eu', scanId: 's1', scannedAt: '2026-01-01T00:00:00.000Z', risk: 2.5, compliance: 50, controls: { pass: 1, fail: 1, notAssessed: 0, notApplicable: 3 } },
    ],
    controls: [],
    rows: [
      { target: 0, control: '5.2.2', status: 'fail', rules: ['VGL-K8S-003', 'VGL-K8S-001'] },
      { target: 0, control: '5.2.3', status: 'pass', rules: [] },
    ],
    truncated: false,
  };
  const lines = complianceCsv(report).split('\r\n');
  assert.equal(lines.length, 4, 'header, two rows, and the empty string after the last CRLF');
  assert.equal(lines[0], 'framework,provider,target_id,external_id,target_name,scan_id,scanned_at,target_compliance,target_risk,control,status,rules');
  assert.equal(lines[1], `cis-kubernetes-1.10,kubernetes,t1,'=cmd|x,"prod, eu",s1,2026-01-01T00:00:00.000Z,50,2.5,5.2.2,fail,VGL-K8S-003 VGL-K8S-001`);
  assert.equal(lines[3], '');
});
