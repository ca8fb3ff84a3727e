import { test } from 'node:test';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { scheme } from './index.js';
import { assertLinearTime, assertOrder, assertRefusesHostile, assertValidity } from '../__fixtures__/checks.js';

test('maven: qualifier order alpha < beta < milestone < rc < snapshot < release < sp < others', () => {
  const chain = ['1-alpha-1', '1-beta-1', '1-milestone-1', '1-rc-1', '1-SNAPSHOT', '1', '1-sp-1', '1-abc', '1-def', '1-1', '1.1'];
  assertOrder(scheme, chain.slice(1).map((v, i) => `${chain[i]} < ${v}`));
});

test('maven: aliases, shorthands, case, trailing nulls', () => {
  assertOrder(scheme, [
    '1 = 1.0.0',
    '1.0-ga = 1',
    '1.0.0.Final = 1',
    '1-RELEASE = 1',
    '1cr = 1rc',
    '1a1 = 1-alpha-1',
    '1b2 = 1.0-beta-2',
    '1m3 = 1-milestone-3',
    '1X = 1-x',
    '1.0-0 = 1',
    '1-ga-1 = 1-1',
    '1.01 = 1.1',
  ]);
});

test('maven: separators order .qualifier < -qualifier < -number < .number', () => {
  assertOrder(scheme, ['1.0-1 < 1.0.1', '1.0-SNAPSHOT < 1.0-1', '2.0.1 < 2.0.1-xyz', '2.0.1-xyz < 2.0.1-123', '1.foo < 1-foo']);
});

test('maven: real-world spellings', () => {
  assertOrder(scheme, [
    '2.13.4 < 2.13.4.2',
    '4.1.86.Final < 4.1.87.Final',
    '9.4.50.v20221201 < 9.4.51.v20230217',
    '31.1-jre < 32.0.0-jre',
    '5.3.27 < 6.0.0-M3',
    '6.0.0-M3 < 6.0.0-RC1',
    '6.0.0-RC1 < 6.0.0',
    '2.17.0-rc1 < 2.17.0',
    '1.0-20230101.123456-1 > 1.0',
  ]);
});

test('maven: numbers of any size (mvncmp reads them with parseInt)', () => {
  assertOrder(scheme, ['1.12345678901234567891 > 1.12345678901234567890', '20190126.230843 < 1234567890.12345']);
});

test('maven: agrees with mvncmp (Maven 3 ComparableVersion) on ordinary versions', () => {
  const mvncmp = createRequire(import.meta.url)('mvncmp') as { compare(a: string, b: string): number };
  const versions = ['1.0', '1.0.1', '1.1', '1.1-SNAPSHOT', '1.1-alpha-2', '1.1-beta', '1.1-rc1', '1.1-sp1', '2.0', '2.0-1', '2.0.0.1', '10.0', '1.0-jre', '1.0-android'];
  for (const a of versions) {
    for (const b of versions) {
      assert.equal(Math.sign(scheme.compare(scheme.parse(a)!, scheme.parse(b)!)), Math.sign(mvncmp.compare(a, b)), `${a} vs ${b}`);
    }
  }
});

test('maven: any visible ASCII string is a version; spaces and Unicode are not', () => {
  assertValidity(scheme, ['1', 'a', '1.0-SNAPSHOT', '0.0.0-2021-05-17T01-01-51-5ec03a8b', '.', '-'], ['1.0 ', '1.0\u00e9']);
});

test('maven: hostile input', () => {
  assertRefusesHostile(scheme);
  assertLinearTime(scheme, ['1-'.repeat(127) + '1', 'a-'.repeat(127) + 'b', '1a'.repeat(128), '0.'.repeat(127) + '0']);
});
