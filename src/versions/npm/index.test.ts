import { test } from 'node:test';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('npm: node-semver order', () => {
  assertOrder(scheme, [
    '1.0.0-alpha < 1.0.0-alpha.1',
    '1.0.0-beta.2 < 1.0.0-beta.11',
    '1.0.0-rc.1 < 1.0.0',
    '1.9.0 < 1.10.0',
    'v1.2.3 = 1.2.3',
    '1.2.3+build.1 = 1.2.3+build.2',
    '0.0.0-0 < 0.0.0',
  ]);
});

test('npm: strict SemVer only (no loose forms, no spaces, safe integers)', () => {
  assertValidity(
    scheme,
    ['1.2.3', 'v1.2.3', '1.2.3-rc.1+b', '9007199254740991.0.0'],
    ['1.2', '1', '01.2.3', '1.2.3.4', '=1.2.3', ' 1.2.3', '1.2.3 ', '1.2.3-01', '9007199254740992.0.0', '1.2.3-', 'latest', '^1.2.3', '1.x'],
  );
});

test('npm: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, [`1.0.0-${'1.'.repeat(120)}1`, `1.0.0-${'1.'.repeat(120)}2`]);
});
