import { test } from 'node:test';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('cran: compareVersion order, `.` and `-` weigh the same', () => {
  assertOrder(scheme, ['1.0-1 = 1.0.1', '1.0 < 1.0.0', '0.9 < 0.10', '1.0-0 < 1.0-1', '0.01 = 0.1', '1.5 < 1.5.4', '0.3.2.0 > 0.3.2', '2.0 > 1.99-99']);
});

test('cran: at least two numbers (package_version)', () => {
  assertValidity(scheme, ['0.1', '1.0-0', '3.6.3', '0.1-2'], ['1', '1.0a', '1..0', '-1.0', '1.0-', 'v1.0', '1.0.0-beta']);
});

test('cran: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1-'.repeat(127) + '1', '1-'.repeat(127) + '2']);
});
