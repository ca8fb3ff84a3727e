import { test } from 'node:test';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('hackage: Data.Version list order, a prefix first', () => {
  assertOrder(scheme, ['1.0 < 1.0.0', '1.0.0 < 1.0.1', '0.9 < 0.10', '1.0.0.0 > 0.11.3.0', '0 < 0.0', '2 > 1.99.99', '1.12345678901234567890 > 1.12345678901234567889']);
});

test('hackage: numbers only, no leading zeros, no tags', () => {
  assertValidity(scheme, ['0', '0.1.0.0', '10.20.30'], ['01', '1.01', '1.0-tag', '1.', '.1', '1..2', 'v1.0', '1.0a']);
});

test('hackage: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1.'.repeat(127) + '1', '1.'.repeat(127) + '2']);
});
