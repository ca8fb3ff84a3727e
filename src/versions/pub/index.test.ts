import { test } from 'node:test';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('pub: SemVer precedence, then the build (pub_semver)', () => {
  assertOrder(scheme, [
    '1.0.0-beta < 1.0.0-beta+1',
    '1.0.0-beta+1 < 1.0.0',
    '1.0.0 < 1.0.0+1',
    '1.0.0+9 < 1.0.0+10',
    '1.0.0+10 < 1.0.0+a',
    '1.0.0+a < 1.0.0+a.1',
    '1.0.0+1 < 1.0.1',
    '1.2.3-beta+build < 1.2.3-beta+otherbuild',
  ]);
});

test('pub: tolerated spellings', () => {
  assertOrder(scheme, ['v1.2.3 = 1.2.3', '1.2 = 1.2.0', '1.2.3.4 > 1.2.3']);
  assertValidity(scheme, ['0.0.1', '2.0.0-nullsafety.0'], ['1.2.3-', '1.2.3+', '^1.2.3', '>=1.0.0 <2.0.0', 'any']);
});

test('pub: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, [`1.0.0+${'1.'.repeat(124)}1`, `1.0.0+${'1.'.repeat(124)}2`]);
});
