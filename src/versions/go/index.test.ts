import { test } from 'node:test';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('go: x/mod/semver order, with and without the v', () => {
  assertOrder(scheme, [
    'v1.2.3 = 1.2.3',
    'v1 = v1.0.0',
    'v1.2 = 1.2.0',
    '0 = v0.0.0',
    'v1.9.0 < v1.10.0',
    'v2.0.0+incompatible = v2.0.0',
    'v2.0.0+incompatible < v2.0.1',
    'v1.2.3-rc.1 < v1.2.3',
  ]);
});

test('go: pseudo-versions order as pre-releases', () => {
  assertOrder(scheme, [
    'v0.0.0-20191109021931-daa7c04131f5 < v0.0.0-20200101000000-aaaaaaaaaaaa',
    'v0.0.0-20200101000000-aaaaaaaaaaaa < v0.1.0',
    'v1.2.3 < v1.2.4-0.20191109021931-daa7c04131f5',
    'v1.2.4-0.20191109021931-daa7c04131f5 < v1.2.4',
    'v1.2.4-pre < v1.2.4-pre.0.20191109021931-daa7c04131f5',
    'v1.2.4-pre.0.20191109021931-daa7c04131f5 < v1.2.4',
  ]);
});

test('go: validity as golang.org/x/mod/semver.IsValid', () => {
  assertValidity(
    scheme,
    ['v0.0.0', 'v1', 'v1.2', '1.2.3', 'v2.3.4+incompatible', 'v0.0.0-20191109021931-daa7c04131f5'],
    ['(devel)', 'v1.2-pre', 'v1-pre', 'v1.2+meta', 'v01.2.3', 'v1.02.3', 'v1.2.3-01', '1.2.3.4', 'vv1.2.3', 'V1.2.3', 'v1.2.3-', 'latest', 'master'],
  );
});

test('go: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['v0.0.0-20191109021931-daa7c04131f5', 'v0.0.0-20191109021931-daa7c04131f6']);
});
