import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareApkStrings, scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('alpine: apk order (apk-tools tests/version.data)', () => {
  assertOrder(scheme, [
    '2.34 > 0.1.0_alpha',
    '0.1.0_alpha < 0.1.3_alpha',
    '0.1.0_alpha2 > 0.1.0_alpha',
    '1.1 > 1.1_alpha1',
    '1.2 < 1.3_alpha',
    '1.0.4-r3 < 1.0.4-r4',
    '1.2.2-r1 > 1.2.2',
    '2.3.0b-r1 < 2.3.0b-r2',
    '3.1_p16 < 3.1_p17',
    '1.06-r6 < 006',
    '0.99.3.20040818 < 1.0',
    '1.2.07.8 < 1.2.12.04',
    '4.5_p1 < 4.5_p1-r1',
    '2.9.11_pre20051101-r2 < 2.9.11_pre20051101-r3',
    '1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0',
  ]);
});

test('alpine: suffix order alpha < beta < pre < rc < (none) < cvs < svn < git < hg < p', () => {
  const chain = ['1.2_alpha', '1.2_beta', '1.2_pre', '1.2_rc', '1.2', '1.2_cvs', '1.2_svn', '1.2_git', '1.2_hg', '1.2_p'];
  assertOrder(scheme, chain.slice(1).map((v, i) => `${chain[i]} < ${v}`));
  assertOrder(scheme, ['0.1.0_alpha_pre2 < 0.1.0_alpha', '1.2_rc1_p1 > 1.2_rc1']);
});

test('alpine: letters, hashes, revisions, leading zeros, big numbers', () => {
  assertOrder(scheme, [
    '1.2.3b > 1.2.3a',
    '1.2.3a > 1.2.3',
    '1.2.3a < 1.2.4',
    '1.0~abc < 1.0~abd',
    '1.0~abc-r1 > 1.0~abc',
    '1-r1 = 1-r01',
    '1.02 < 1.1',
    '1.18446744073709551616 > 1.18446744073709551615',
    '6.6.2p1 < 6.6.2p2',
    '6.6.2p1 > 6.6.2_p1',
    '10.2.22.r0 < 10.2.24.r0',
  ]);
});

test('alpine: validity as apk and osv.dev define it', () => {
  assertValidity(
    scheme,
    ['0', '1', '1.0', '1.1.1d-r1', '6.3_p20220416-r0', '2.19.10.4_p8', '6.6.2p1-r0', '0.8_alpha-r1', '1.0_alpha_pre2', '10.2.22.r0', '1.0~0a1b-r2'],
    ['1.18.-r2', '2.15.r-r1', '57-1-r2', '1.7.5.-r1', '1.11-20-r0', '110.73-e0', '110.73/e0', '2.19.10.4_y8', '1.2.0A', '1-r', '1-r-0', '.1', 'a', '1.0bc', '1.2_blah', '1.0~', '1.0~xyz', '1.0-r1-r2', 'v1.0'],
  );
});

test('alpine: strings apk calls invalid are still ordered as apk version -t orders them', () => {
  const rows: [string, number, string][] = [
    ['1-r', 0, '1-r0'],
    ['1-r-0', -1, '1-r0'],
    ['1', 1, '1-ruff'],
    ['1.2', 1, '1.2_blah'],
    ['1.0', -1, '1.0bc'],
    ['.1', -1, '1'],
    ['a', -1, 'b'],
    ['1.2.0A', -1, '1.2.0d'],
  ];
  for (const [a, want, b] of rows) {
    assert.equal(Math.sign(compareApkStrings(a, b)), want, `${a} vs ${b}`);
    assert.equal(Math.sign(compareApkStrings(b, a)), want === 0 ? 0 : -want, `${b} vs ${a}`);
  }
  assert.doesNotThrow(() => compareApkStrings('', '\u0000'.repeat(10_000)));
});

test('alpine: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1.'.repeat(127) + '1', `1${'_p1'.repeat(85)}`, `1${'_p1'.repeat(84)}_p2`]);
});
