import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheme, verrevcmp } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('debian: dpkg order (checked with dpkg --compare-versions)', () => {
  assertOrder(scheme, [
    '1.0~rc1 < 1.0',
    '1.0~~ < 1.0~',
    '1.0~ < 1.0',
    '1.0 < 1.0+b1',
    '1.0 < 1.0a',
    '1.0a < 1.0+',
    '1.0 = 1.0-0',
    '4 < 4-1',
    '1.0-1 < 1.0-1ubuntu1',
    '1.2.3-1~deb7u1 < 1.2.3-1',
    '2.7.4+reloaded2-13ubuntu1 < 2.7.4+reloaded2-13+deb9u1',
    '1:0.9 > 2.0',
    '0:1.0 = 1.0',
    '2.30-1 > 2.3-1',
    '1.0.0010 = 1.0.10',
    '1.18446744073709551616 > 1.18446744073709551615',
    '2:0.0.44-1 < 2:0.0.44-nobin',
  ]);
});

test('debian: epoch before the first colon, revision after the last hyphen', () => {
  assert.deepEqual(scheme.parse('1:2.3-4-5'), { epoch: '1', upstream: '2.3-4', revision: '5' });
  assert.deepEqual(scheme.parse('2.3'), { epoch: '0', upstream: '2.3', revision: '' });
  assert.deepEqual(scheme.parse('1:2:3'), { epoch: '1', upstream: '2:3', revision: '' });
});

test('debian: verrevcmp', () => {
  assert.equal(verrevcmp('', ''), 0);
  assert.equal(verrevcmp('~', ''), -1);
  assert.equal(verrevcmp('a', ''), 1);
  assert.equal(verrevcmp('0', ''), 0);
});

test('debian: dpkg parse errors do not parse; policy warnings do', () => {
  assertValidity(
    scheme,
    ['0', '1.0', '1:1.0-1', 'a1.0', '1.0_beta', '2147483647:1'],
    [':1.0', '1:', 'a:1.0', '-1:1.0', '2147483648:1.0', '1.0-', '-1', '1.0 1'],
  );
});

test('debian: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1~'.repeat(128), '1~'.repeat(127) + '2', 'a.'.repeat(127) + 'b']);
});
