import { test } from 'node:test';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('cargo: SemVer 2.0.0 precedence, build ignored', () => {
  assertOrder(scheme, ['0.1.0 < 0.1.1', '0.9.0 < 0.10.0', '1.0.0-alpha.1 < 1.0.0-alpha.beta', '1.0.0-rc.1 < 1.0.0', '1.0.0+a = 1.0.0+b']);
});

test('cargo: exactly MAJOR.MINOR.PATCH, no v, no leading zeros', () => {
  assertValidity(scheme, ['0.0.0', '1.2.3-rc.1+build.5'], ['v1.2.3', '1.2', '1.2.3.4', '01.2.3', '1.2.3-01', '=1.2.3', '^1.2', '1.2.*', '1.2.3-', '99999999999999999999.0.0']);
});

test('cargo: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1.2.3', '1.2.4']);
});
