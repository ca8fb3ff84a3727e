import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('pep440: the PEP 440 summary ordering', () => {
  const chain = [
    '1.0.dev456',
    '1.0a1',
    '1.0a2.dev456',
    '1.0a12.dev456',
    '1.0a12',
    '1.0b1.dev456',
    '1.0b2',
    '1.0b2.post345.dev456',
    '1.0b2.post345',
    '1.0rc1.dev456',
    '1.0rc1',
    '1.0',
    '1.0+abc.5',
    '1.0+abc.7',
    '1.0+5',
    '1.0.post456.dev34',
    '1.0.post456',
    '1.0.15',
    '1.1.dev1',
  ];
  assertOrder(scheme, chain.slice(1).map((v, i) => `${chain[i]} < ${v}`));
});

test('pep440: normalisation', () => {
  assertOrder(scheme, [
    '1.0RC1 = 1.0rc1',
    '1.0c1 = 1.0rc1',
    '1.0.preview2 = 1.0rc2',
    '1.0alpha1 = 1.0a1',
    '1.0-1 = 1.0.post1',
    '1.0-r2 = 1.0.post2',
    '1.0.rev = 1.0.post0',
    'v1.0 = 1.0',
    'V1.0 = 1.0',
    '1.0.0 = 1',
    '01.02 = 1.2',
    '1.0+Ubuntu-1 = 1.0+ubuntu.1',
    '1.0.DEV3 = 1.0.dev3',
  ]);
});

test('pep440: epochs, local versions, numbers of any size', () => {
  assertOrder(scheme, [
    '1!0.1 > 2.0',
    '0!2.0 = 2.0',
    '1.0+local.a < 1.0+local.1',
    '1.0+local.0 < 1.0+local.0.1',
    '1.18446744073709551616 > 1.18446744073709551615',
    '1.0.post18446744073709551616 > 1.0.post18446744073709551615',
  ]);
});

test('pep440: legacy versions sort below every PEP 440 version (packaging < 22)', () => {
  assertOrder(scheme, [
    '0.9-doduo < 0.0.1',
    '1.0-SNAPSHOT < 0.1',
    '0.1-bulbasaur < 0.1-charmander',
    '0.3m1 < 0.3m2',
    '2.0-final-x < 2.0-x',
    'foo-2.0 < 0.dev0',
    '1.0-dev-x < 1.0-x',
    '1.0-rc-x > 1.0-beta-x',
    '1.0_x < 1.0-x',
  ]);
  const p = scheme.parse('0.9-doduo');
  assert.equal((p as { kind: string } | undefined)?.kind, 'legacy');
});

test('pep440: strings with no letter or digit, spaces or Unicode do not parse', () => {
  assertValidity(scheme, ['1.0', '1.0.0a1', 'garbage-but-ascii'], ['...', '-', '+', '1.0 rc1', '1.0\u00e9']);
});

test('pep440: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1.'.repeat(127) + '1', `1.0+${'a.'.repeat(124)}a`, `${'a-'.repeat(127)}b`, `${'1-'.repeat(127)}x`]);
});
