import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('rubygems: Gem::Version order', () => {
  assertOrder(scheme, [
    '1.0.a < 1.0',
    '1.0.a.1 < 1.0.b',
    '1.0.b1 < 1.0',
    '1.0.rc1 < 1.0',
    '1.0 < 1.0.0.1',
    '3.2 < 3.10',
    '1.0.a10 > 1.0.a9',
    '1.0.a2 = 1.0.a.2',
    '1.0 = 1',
    '1.0.0 = 1',
    '1.0.a.0 = 1.0.a',
    '1.0.B < 1.0.a',
    '1.0-rc1 = 1.0.pre.rc1',
    '1.0-rc1 < 1.0',
    '1.0.pre < 1.0.rc',
    '999999999999999999999999999991 < 999999999999999999999999999999',
  ]);
});

test('rubygems: letters straight after the first number read as a new segment', () => {
  assertOrder(scheme, ['1beta = 1.beta', '1beta < 1']);
});

test('rubygems: parse gives the canonical segments', () => {
  assert.deepEqual(scheme.parse('1.0.0-rc.1.0'), { segments: ['1', 'pre', 'rc', '1'] });
  assert.deepEqual(scheme.parse('007.0'), { segments: ['7'] });
});

test('rubygems: validity (Gem::Version.correct?)', () => {
  assertValidity(scheme, ['0', '1.2.3', '1.0.a10', '2.0.0-rc-1', '1.0-beta.2'], ['', 'a1', '.1', '1.', '1..0', '1.0-', '1.0-a..b', '1.0_1', '1.0 beta', '= 1.0', '~> 1.0', '1.0-a+b']);
});

test('rubygems: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1.'.repeat(127) + '1', `1-${'a.'.repeat(126)}a`, '1a'.repeat(128)]);
});
