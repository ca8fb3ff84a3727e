import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeFinding } from '../output/test-fixtures.js';
import { applyIgnores, isExpired } from './apply.js';
import type { IgnoreEntry } from './model.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const entry = (o: Partial<IgnoreEntry>): IgnoreEntry => ({ id: 'CVE-2021-23337', reason: 'only in tests', source: '.vigilignore:1', ...o });
const lodash = makeFinding();
const scoped = makeFinding({ id: 'CVE-2024-9', aliases: [], package: { name: '@types/node', version: '20.1.0', purl: 'pkg:npm/%40types/node@20.1.0' } });

test('applyIgnores: id or alias, package by purl (with or without version) or name', () => {
  const cases: [Partial<IgnoreEntry>, boolean][] = [
    [{}, true],
    [{ id: 'cve-2021-23337' }, true],
    [{ id: 'GHSA-35JH-R3H4-6JHM' }, true],
    [{ id: 'CVE-2000-1' }, false],
    [{ package: 'pkg:npm/lodash' }, true],
    [{ package: 'pkg:npm/lodash@4.17.20' }, true],
    [{ package: 'pkg:npm/lodash@4.17.21' }, false],
    [{ package: 'pkg:pypi/lodash' }, false],
    [{ package: 'lodash' }, true],
    [{ package: 'LoDash' }, true],
    [{ package: 'lodash@4.17.20' }, true],
    [{ package: 'lodash@4.17.21' }, false],
    [{ package: 'underscore' }, false],
  ];
  for (const [o, want] of cases) {
    const r = applyIgnores([lodash], [entry(o)], NOW);
    assert.equal(r.findings[0]!.suppression !== undefined, want, JSON.stringify(o));
  }
  assert.equal(applyIgnores([scoped], [entry({ id: 'CVE-2024-9', package: '@types/node' })], NOW).suppressed, 1);
  assert.equal(applyIgnores([scoped], [entry({ id: 'CVE-2024-9', package: '@types/node@20.1.0' })], NOW).suppressed, 1);
  assert.equal(applyIgnores([scoped], [entry({ id: 'CVE-2024-9', package: 'node' })], NOW).suppressed, 0);
  const r = applyIgnores([lodash], [entry({ expires: '2027-01-31' })], NOW);
  assert.deepEqual(r.findings[0]!.suppression, { kind: 'ignore-file', status: 'accepted_risk', reason: 'only in tests', expires: '2027-01-31', source: '.vigilignore:1' });
  assert.equal(lodash.suppression, undefined);
});

test('applyIgnores: expired entries no longer suppress and are named in a warning', () => {
  assert.equal(isExpired(entry({ expires: '2026-06-01' }), NOW), false, 'holds through its day');
  assert.equal(isExpired(entry({ expires: '2026-05-31' }), NOW), true);
  assert.equal(isExpired(entry({}), NOW), false);
  const r = applyIgnores([lodash], [entry({ expires: '2026-05-31', source: 'ig:4' }), entry({ id: 'CVE-1', source: 'ig:5' })], NOW);
  assert.equal(r.suppressed, 0);
  assert.deepEqual(r.expired, [{ source: 'ig:4', message: 'the entry for CVE-2021-23337 expired on 2026-05-31; it no longer suppresses anything', severity: 'warning' }]);
  assert.deepEqual(r.unused.map((e) => e.source), ['ig:5']);
});

test('applyIgnores: first entry in file order wins; existing suppressions kept; empty inputs', () => {
  const r = applyIgnores([lodash], [entry({ reason: 'first', source: 'a:1', package: 'lodash' }), entry({ reason: 'second', source: 'a:2' })], NOW);
  assert.equal(r.findings[0]!.suppression?.reason, 'first');
  assert.deepEqual(r.unused.map((e) => e.source), ['a:2']);
  const vexed = makeFinding({ suppression: { kind: 'vex', status: 'not_affected', source: 'v.json' } });
  assert.equal(applyIgnores([vexed], [entry({})], NOW).findings[0]!.suppression?.kind, 'vex');
  assert.deepEqual(applyIgnores([], [], NOW), { findings: [], suppressed: 0, expired: [], unused: [] });
});
