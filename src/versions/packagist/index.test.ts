import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('packagist: PHP version_compare order', () => {
  const chain = ['1.0.0-dev', '1.0.0-alpha1', '1.0.0-alpha2', '1.0.0-beta1', '1.0.0-RC1', '1.0.0-rc2', '1.0.0', '1.0.0.1', '1.0.0-pl1', '1.0.1'];
  assertOrder(scheme, chain.slice(1).map((v, i) => `${chain[i]} < ${v}`));
});

test('packagist: spellings', () => {
  assertOrder(scheme, [
    'v1.2.3 = 1.2.3',
    'V1.2.3 = v1.2.3',
    '1.0.0rc2 = 1.0.0.rc2',
    '1.25.0-beta2.1 = 1.25.0-b.2.1',
    '1.0.0_RC1 = 1.0.0+RC1',
    '1.0 < 1.0.0',
    '1.0-dev < 1.0',
    'dev-master < 0.0.1',
    '1.0.0-patch1 > 1.0.0',
    '10 > 9',
    '999999999999999999999999999991 < 999999999999999999999999999999',
    '1.2.3.# = 1.2.3',
    '1.2.3.# = 1.2.3.4',
  ]);
});

test('packagist: words compare case-sensitively, as in PHP (an unknown word sorts below dev)', () => {
  assertOrder(scheme, ['1.0.0-BETA1 < 1.0.0-dev', '1.0.0-beta1 > 1.0.0-dev', '1.0.0-stable < 1.0.0-dev']);
});

test('packagist: validity', () => {
  assertValidity(scheme, ['1.0.0', 'v2.3', 'dev-main', '2.x-dev', '1.0.0+build.1'], ['v', 'vV', '1.0.', '-1.0', '.1', '1.0/2', '1.0@dev', '^1.0', '1.0 ']);
  assert.deepEqual(scheme.parse('v1.0rc1'), {
    parts: [
      { numeric: true, value: '1', order: 4 },
      { numeric: true, value: '0', order: 4 },
      { numeric: false, value: 'rc', order: 3 },
      { numeric: true, value: '1', order: 4 },
    ],
  });
});

test('packagist: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1a'.repeat(128), '1.'.repeat(127) + '1', 'a-'.repeat(127) + 'b']);
});
