import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('semver: SemVer 2.0.0 §11 precedence, the spec examples', () => {
  assertOrder(scheme, [
    '1.0.0-alpha < 1.0.0-alpha.1',
    '1.0.0-alpha.1 < 1.0.0-alpha.beta',
    '1.0.0-alpha.beta < 1.0.0-beta',
    '1.0.0-beta < 1.0.0-beta.2',
    '1.0.0-beta.2 < 1.0.0-beta.11',
    '1.0.0-beta.11 < 1.0.0-rc.1',
    '1.0.0-rc.1 < 1.0.0',
    '1.0.0 < 2.0.0',
    '2.0.0 < 2.1.0',
    '2.1.0 < 2.1.1',
    '1.0.0-2 < 1.0.0-10',
    '1.0.0-10 < 1.0.0-a',
    '1.0.0-A < 1.0.0-a',
  ]);
});

test('semver: build metadata never orders', () => {
  assertOrder(scheme, ['1.0.0+a = 1.0.0+b', '1.0.0-rc.1+build.5 = 1.0.0-rc.1', '1.0.0+999 < 1.0.1']);
});

test('semver: the tolerances OSV data needs (leading v, short and long cores, any size, leading zeros)', () => {
  assertOrder(scheme, [
    'v1.2.3 = 1.2.3',
    '1.2 = 1.2.0',
    '0 = 0.0.0',
    '0 < 0.0.1-alpha',
    '1.2.3.4 > 1.2.3',
    '1.2.3.0 = 1.2.3',
    '1.02.3 = 1.2.3',
    '18446744073709551616.0.0 > 18446744073709551615.0.0',
    '1.0.0-18446744073709551616 > 1.0.0-18446744073709551615',
  ]);
});

test('semver: malformed strings do not parse', () => {
  assertValidity(
    scheme,
    ['1.2.3', 'v1.2.3', '1.2.3-a-b.c--d+e.f-g', '1.0.0-0'],
    ['v', 'vv1.2.3', 'V1.2.3', '=1.2.3', '1.2.3a', '1..2', '.1', '1.', '1.2.3-', '1.2.3+', '1.2.3-a..b', '1.2.3-a_b', '1.2.3+a+b', '1.2.3-+', 'x.y.z', '1.2.3-é'],
  );
});

test('semver: parse keeps the parts as written', () => {
  assert.deepEqual(scheme.parse('v1.02.3-rc.1+b.7'), { core: ['1', '02', '3'], pre: ['rc', '1'], build: ['b', '7'] });
});

test('semver: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1.'.repeat(127) + '1', `1.0.0-${'a.'.repeat(124)}a`, `1.0.0-${'a.'.repeat(124)}b`, '9'.repeat(256)]);
});
