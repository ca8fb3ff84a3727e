import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rpmvercmp, scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('rpm: rpmvercmp (rpm tests/rpmvercmp.at)', () => {
  const rows: [string, number, string][] = [
    ['1.0', 0, '1.0'],
    ['1.0', -1, '2.0'],
    ['2.0.1', 1, '2.0'],
    ['2.0.1a', 1, '2.0.1'],
    ['5.5p1', -1, '5.5p10'],
    ['10xyz', -1, '10.1xyz'],
    ['xyz.4', -1, '8'],
    ['xyz.4', -1, '2'],
    ['5.5p2', -1, '5.6p1'],
    ['6.0.rc1', 1, '6.0'],
    ['10b2', 1, '10a1'],
    ['1.0aa', 1, '1.0a'],
    ['10.0001', 0, '10.1'],
    ['2_0', 0, '2.0'],
    ['a+', 0, 'a_'],
    ['+', 0, '_'],
    ['1.0~rc1', -1, '1.0'],
    ['1.0~rc1~git123', -1, '1.0~rc1'],
    ['1.0^', 1, '1.0'],
    ['1.0^git1', -1, '1.01'],
    ['1.0^20160101', -1, '1.0.1'],
    ['1.0~rc1^git1', 1, '1.0~rc1'],
    ['1.0^git1~pre', -1, '1.0^git1'],
    ['1.18446744073709551616', 1, '1.18446744073709551615'],
  ];
  for (const [a, want, b] of rows) {
    assert.equal(Math.sign(rpmvercmp(a, b)), want, `${a} vs ${b}`);
    assert.equal(Math.sign(rpmvercmp(b, a)), want === 0 ? 0 : -want, `${b} vs ${a}`);
  }
});

test('rpm: epoch, version and release', () => {
  assertOrder(scheme, [
    '1:1.0 > 2.0',
    '0:1.0 = 1.0',
    '01:2 = 1:2',
    '1.0-1 < 1.0-2',
    '1.0-1.el9 < 1.0-1.el9_2',
    '0:3.10.0-229.el7 < 0:3.10.0-229.1.2.ael7b',
    '1 < 1-0',
    '1-1. = 1-1',
    'a:1 < a:2',
    '1.1.\u03b1 = 1.1.\u03b2',
  ]);
  assert.deepEqual(scheme.parse('2:1.0-2-3.el9'), { epoch: '2', version: '1.0-2', release: '3.el9' });
  assert.deepEqual(scheme.parse('a:1'), { epoch: '0', version: 'a:1', release: undefined });
  assert.deepEqual(scheme.parse(':1'), { epoch: '0', version: '1', release: undefined });
});

test('rpm: validity', () => {
  assertValidity(scheme, ['1', '1.0-1', '1.1.\u03b1', '+', '1-'], ['1:', '-1', '1:-1', '1.0 1', '1.0\t']);
});

test('rpm: hostile input (any visible Unicode is allowed, as rpm allows it)', () => {
  assertRefusesHostile(scheme, { unicode: false });
  assert.notEqual(scheme.parse('1.0.0-\u{1f600}'), undefined);
  assertLinearTime(scheme, ['1~'.repeat(128), '1^'.repeat(128), 'a.'.repeat(127) + 'b', '\u03b1.'.repeat(127) + '1']);
});
