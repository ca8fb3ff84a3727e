import { test } from 'node:test';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('hex: Elixir Version.compare order', () => {
  assertOrder(scheme, ['1.0.0-rc.0 < 1.0.0', '1.0.0 < 1.0.1', '1.0.0-dev < 1.0.0-rc.0', '1.2.0+build = 1.2.0', '2.0.0-alpha.10 > 2.0.0-alpha.9']);
});

test('hex: all three parts required, no v', () => {
  assertValidity(scheme, ['0.1.0', '1.0.0-rc.1'], ['1.0', 'v1.0.0', '1.0.0.0', '01.0.0', '~> 1.0']);
});

test('hex: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1.0.0', '1.0.1']);
});
