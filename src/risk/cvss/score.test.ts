import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreCvss, severityOf } from './index.js';
import type { CvssVersion } from './index.js';

const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

// [vector, base, temporal, environmental, score, severity]. Expected values are the specs'
// worked examples or were checked with Red Hat's `cvss` Python library 3.6.
type Row = [string, number, number | null, number | null, number, string];
const CASES: Row[] = [
  // v2, with NVD's ranges (low 0-3.9, medium 4-6.9, high 7-10)
  ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5, null, null, 7.5, 'high'],
  ['(AV:N/AC:M/Au:N/C:P/I:P/A:P)', 6.8, null, null, 6.8, 'medium'],
  ['CVSS:2.0/AV:N/AC:L/Au:N/C:N/I:N/A:P', 5, null, null, 5, 'medium'],
  ['AV:L/AC:H/Au:M/C:N/I:N/A:N', 0, null, null, 0, 'low'],
  ['AV:N/AC:L/Au:N/C:P/I:P/A:P/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND', 7.5, null, null, 7.5, 'high'],
  // v2 guide §3.3 examples: CVE-2002-0392, CVE-2003-0818, CVE-2003-0062
  ['AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:H', 7.8, 6.4, 9.2, 7.8, 'high'],
  ['AV:N/AC:L/Au:N/C:C/I:C/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:L', 10, 8.3, 9, 10, 'high'],
  ['AV:L/AC:H/Au:N/C:C/I:C/A:C/E:POC/RL:OF/RC:C/CDP:H/TD:H/CR:M/IR:M/AR:M', 6.2, 4.9, 7.5, 6.2, 'medium'],
  ['AV:L/AC:L/Au:S/C:P/I:P/A:P/E:U/RC:C/CDP:LM/TD:L/IR:H/AR:M', 4.3, 3.7, 1.5, 4.3, 'medium'],
  // v2 where the library alone is wrong: float rounding (9.0 × 0.95 = 8.55 → 8.6), unrounded
  // AdjustedTemporal (7.2, not 7.3), negative environmental score (0, not -0.2)
  ['AV:N/AC:L/Au:S/C:C/I:C/A:C/E:H/RL:U/RC:UR', 9, 8.6, null, 9, 'high'],
  ['AV:N/AC:L/Au:N/C:N/I:C/A:C/E:POC/RL:TF/RC:UR/AR:M', 9.4, 7.2, 7.2, 9.4, 'high'],
  ['AV:L/AC:H/Au:M/C:N/I:P/A:N/E:H/RC:UC/IR:L/AR:ND', 0.8, 0.7, 0, 0.8, 'low'],
  // v3.1; temporal and environmental are always scored (Not Defined = neutral)
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 9.8, 9.8, 9.8, 'critical'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8, 8.8, 8.8, 8.8, 'high'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 6.1, 6.1, 6.1, 'medium'],
  ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:L/I:N/A:N', 3.3, 3.3, 3.3, 3.3, 'low'],
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0, 0, 0, 0, 'none'],
  ['CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N', 9.8, 9.8, 9.8, 9.8, 'critical'],
  // the v3.1 environmental equation differs from the base one even with no environmental metric
  ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6, 9.6, 9.7, 9.6, 'critical'],
  ['CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H', 9.6, 9.6, 9.6, 9.6, 'critical'],
  ['CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:L/A:H/E:F/RL:U/RC:R', 9.9, 9.3, 9.3, 9.9, 'critical'],
  ['CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/MS:C/MC:H', 3.4, 3.4, 6.7, 3.4, 'low'],
  [
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:U/CR:L/IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/MS:U/MC:L/MI:L/MA:L',
    9.8, 7.8, 1.7, 9.8, 'critical',
  ],
  // v3.0 Roundup on 5.0 × 0.92 = 4.6000000000000005: exactly 4.6 (the library alone says 4.7)
  ['CVSS:3.0/AV:L/AC:H/PR:L/UI:R/S:U/C:H/I:L/A:N/RL:X/RC:U/CR:H/IR:L/AR:X/MPR:L/MS:X/MC:H/MI:L', 5, 4.6, 5.8, 5, 'medium'],
  ['CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:U/C:H/I:L/A:N/RL:X/RC:U/CR:H/IR:L/AR:X/MPR:L/MS:X/MC:H/MI:L', 5, 4.6, 5.8, 5, 'medium'],
  // v4: base = CVSS-B, temporal = CVSS-BT, environmental = CVSS-BE, score = CVSS-BTE
  [V40, 9.3, null, null, 9.3, 'critical'],
  [`${V40}/E:U`, 9.3, 8.1, null, 8.1, 'high'],
  [`${V40}/CR:L`, 9.3, null, 9.3, 9.3, 'critical'],
  [`${V40}/E:U/CR:L`, 9.3, 8.1, 9.3, 8, 'high'],
  [`${V40}/S:P/AU:Y/U:Red`, 9.3, null, null, 9.3, 'critical'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/MSI:S', 6.9, null, 8.9, 8.9, 'high'],
  ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 8.5, null, null, 8.5, 'high'],
  ['CVSS:4.0/AV:N/AC:H/AT:P/PR:L/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N', 2, null, null, 2, 'low'],
  ['CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N/E:U', 1, 0.1, null, 0.1, 'low'],
  ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N', 0, null, null, 0, 'none'],
];

test('scores match the spec examples and Red Hat cvss', () => {
  for (const [vector, baseScore, temporalScore, environmentalScore, score, severity] of CASES) {
    const r = scoreCvss(vector);
    assert.ok(r.ok, `${vector}: ${r.ok ? '' : r.error}`);
    const { version, vector: normalised, ...scores } = r.value;
    assert.deepEqual(scores, { baseScore, temporalScore, environmentalScore, score, severity }, vector);
    assert.ok(normalised.length > 0 && version.length > 0);
  }
});

test('scores carry the normalised vector and version', () => {
  const r = scoreCvss(' (AV:N/AC:L/Au:N/C:P/I:P/A:P) ');
  assert.ok(r.ok);
  assert.equal(r.value.version, '2.0');
  assert.equal(r.value.vector, 'AV:N/AC:L/Au:N/C:P/I:P/A:P');
  // v2's zero base score comes out as 0, never -0
  const zero = scoreCvss('AV:L/AC:H/Au:M/C:N/I:N/A:N');
  assert.ok(zero.ok);
  assert.ok(Object.is(zero.value.baseScore, 0));
});

test('invalid and hostile vectors do not score and do not throw', () => {
  const inputs: unknown[] = [
    '', 'CVSS:3.1/', 'CVSS:9.9/AV:N', 'CVSS:3.1/AV:N/AV:N', 'CVSS:3.1/AV:N/AC:L', 'x'.repeat(10_000), null, undefined,
    'cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:Q',
  ];
  for (const input of inputs) {
    let ok: boolean | undefined;
    assert.doesNotThrow(() => {
      ok = scoreCvss(input as string).ok;
    });
    assert.equal(ok, false, String(input).slice(0, 40));
  }
  assert.deepEqual(scoreCvss('CVSS:3.1/AV:N'), {
    ok: false,
    error: 'CVSS 3.1: missing mandatory base metrics AC, PR, UI, S, C, I, A; all of AV, AC, PR, UI, S, C, I, A are required',
  });
});

test('severityOf: the v3/v4 scale and NVD v2 ranges, null for non-scores', () => {
  const cases: [number, CvssVersion, string | null][] = [
    [0, '3.1', 'none'], [0.1, '3.1', 'low'], [3.9, '3.0', 'low'], [4, '3.1', 'medium'], [6.9, '3.1', 'medium'],
    [7, '3.1', 'high'], [8.9, '3.1', 'high'], [9, '3.1', 'critical'], [10, '3.0', 'critical'],
    [0, '4.0', 'none'], [0.1, '4.0', 'low'], [4, '4.0', 'medium'], [7, '4.0', 'high'], [9.3, '4.0', 'critical'],
    [0, '2.0', 'low'], [3.9, '2.0', 'low'], [4, '2.0', 'medium'], [6.9, '2.0', 'medium'], [7, '2.0', 'high'], [10, '2.0', 'high'],
    [3.95, '3.1', 'low'], [-0, '3.1', 'none'],
    [-0.1, '3.1', null], [10.1, '3.1', null], [Number.NaN, '2.0', null], [Number.POSITIVE_INFINITY, '4.0', null],
  ];
  for (const [score, version, expected] of cases) {
    assert.equal(severityOf(score, version), expected, `${score} v${version}`);
  }
});
