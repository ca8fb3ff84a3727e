import { test } from 'node:test';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('nuget: four parts, labels case-insensitive, metadata ignored', () => {
  assertOrder(scheme, [
    '1.0 = 1.0.0.0',
    '1.0.01 = 1.0.1',
    '1.0.0 < 1.0.0.1',
    '1.0.0-BETA = 1.0.0-beta',
    '1.0.0+abc = 1.0.0+def',
    '1.0.0-beta < 1.0.0',
    '1.0.0-alpha < 1.0.0-alpha.1',
    '1.0.0.1-alpha < 1.0.0.1',
    '1.0.0-pre < 1.0.0.1-alpha',
  ]);
});

test('nuget: numeric labels compare as numbers (where @snyk/nuget-semver fails)', () => {
  assertOrder(scheme, ['1.0.0-beta.9 < 1.0.0-beta.10', '1.0.0-2 < 1.0.0-10', '1.0.0-10 < 1.0.0-a', '1.0.0-rc.1 < 1.0.0-RC.2']);
});

test('nuget: validity', () => {
  assertValidity(scheme, ['1', '1.0', '1.0.0.0', '1.0.0-beta.1+sha.5', '3.7.10.6'], ['v1.0.0', '1.0.0.0.0', '1.0.0-', '1.0.0-beta..1', '1.0.0+', '1.0.0-beta_1', '[1.0,2.0)', '1.*']);
});

test('nuget: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, [`1.0.0-${'a.'.repeat(124)}a`, `1.0.0-${'a.'.repeat(124)}B`]);
});
