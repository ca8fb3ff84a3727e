import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AffectedPackage, AffectedRange, RangeEvent } from '../../core/advisory.js';
import type { VersionScheme } from '../../versions/scheme.js';
import { evaluate, inRange, ParseCache, sortFixes, type EvalContext } from './affected.js';

/** A small dotted-numeric scheme for these tests (the real schemes have their own tests). */
const dotted: VersionScheme<number[]> = {
  id: 'dotted',
  title: 'dotted numbers',
  parse: (v) => (/^\d+(\.\d+)*$/.test(v) ? v.split('.').map(Number) : undefined),
  compare: (a, b) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = (a[i] ?? 0) - (b[i] ?? 0);
      if (d !== 0) return d;
    }
    return 0;
  },
};
/** SemVer-ish for SEMVER ranges: dotted with an optional leading-v refusal. */
const semverLike: VersionScheme<number[]> = { ...dotted, id: 'semver' };

const ctx = (known = true): EvalContext => ({ schemeFor: (e) => (known && e === 'Test' ? dotted : undefined), semver: semverLike, cache: new ParseCache() });
const range = (type: AffectedRange['type'], ...events: RangeEvent[]): AffectedRange => ({ type, events });
const entry = (ranges: AffectedRange[], versions: string[] = []): AffectedPackage => ({ ecosystem: 'Test', name: 'pkg', ranges, versions });

const affected = (e: AffectedPackage, v: string, c = ctx()) => evaluate(e, v, c).affected;

describe('OSV range evaluation', () => {
  it('introduced 0 / fixed: below the fix is affected, the fix and above are not', () => {
    const e = entry([range('ECOSYSTEM', { introduced: '0' }, { fixed: '1.2.0' })]);
    assert.equal(affected(e, '0.1'), true);
    assert.equal(affected(e, '1.1.9'), true);
    assert.equal(affected(e, '1.2.0'), false);
    assert.equal(affected(e, '1.2'), false, 'equal in the scheme, spelled differently');
    assert.equal(affected(e, '2.0'), false);
  });

  it('introduced / last_affected: inclusive upper bound', () => {
    const e = entry([range('ECOSYSTEM', { introduced: '1.0' }, { last_affected: '1.4' })]);
    assert.equal(affected(e, '0.9'), false);
    assert.equal(affected(e, '1.0'), true);
    assert.equal(affected(e, '1.4'), true);
    assert.equal(affected(e, '1.4.1'), false);
  });

  it('several introduced/fixed pairs in one range, events unsorted', () => {
    const e = entry([range('ECOSYSTEM', { fixed: '2.5' }, { introduced: '3.0' }, { fixed: '1.5' }, { introduced: '2.0' }, { introduced: '1.0' })]);
    const expect: [string, boolean][] = [
      ['0.5', false],
      ['1.0', true],
      ['1.4', true],
      ['1.5', false],
      ['1.9', false],
      ['2.0', true],
      ['2.5', false],
      ['3.0', true],
      ['99', true],
    ];
    for (const [v, want] of expect) assert.equal(affected(e, v), want, v);
  });

  it('several ranges: affected by any', () => {
    const e = entry([range('ECOSYSTEM', { introduced: '1.0' }, { fixed: '1.1' }), range('ECOSYSTEM', { introduced: '2.0' }, { fixed: '2.1' })]);
    assert.equal(affected(e, '1.0.5'), true);
    assert.equal(affected(e, '1.5'), false);
    assert.equal(affected(e, '2.0.1'), true);
  });

  it('limit: versions at or above the limit are outside the range', () => {
    const e = entry([range('ECOSYSTEM', { introduced: '0' }, { limit: '3.0' })]);
    assert.equal(affected(e, '2.9'), true);
    assert.equal(affected(e, '3.0'), false);
    assert.equal(affected(e, '4.0'), false);
    const star = entry([range('ECOSYSTEM', { introduced: '1.0' }, { limit: '*' })]);
    assert.equal(affected(star, '50'), true, 'limit * is no limit');
  });

  it('introduced only: everything from there on', () => {
    const e = entry([range('ECOSYSTEM', { introduced: '2.0' })]);
    assert.equal(affected(e, '1.9'), false);
    assert.equal(affected(e, '2.0'), true);
    assert.equal(affected(e, '1000'), true);
  });

  it('explicit versions list: exact string, or equal in the scheme', () => {
    const e = entry([], ['1.0', '1.1']);
    assert.equal(affected(e, '1.0'), true);
    assert.equal(affected(e, '1.0.0'), true);
    assert.equal(affected(e, '1.2'), false);
    const v = evaluate(e, '1.1', ctx());
    assert.equal(v.affected && v.by, 'versions');
  });

  it('versions and ranges together: either one', () => {
    const e = entry([range('ECOSYSTEM', { introduced: '2.0' }, { fixed: '2.1' })], ['1.5']);
    assert.equal(affected(e, '1.5'), true);
    assert.equal(affected(e, '2.0'), true);
    assert.equal(affected(e, '1.6'), false);
  });

  it('SEMVER ranges use SemVer and strip a leading v from the installed version', () => {
    const e: AffectedPackage = { ecosystem: 'Unknown', name: 'x', versions: [], ranges: [range('SEMVER', { introduced: '0' }, { fixed: '1.5.0' })] };
    const v = evaluate(e, 'v1.4.0', ctx());
    assert.equal(v.affected, true);
    assert.equal(v.affected && v.by, 'semver');
  });

  it('GIT ranges are not evaluated against package versions', () => {
    const e = entry([range('GIT', { introduced: '0' }, { fixed: 'abc123' })]);
    assert.equal(affected(e, '1.0'), false);
  });

  it('an ecosystem without a scheme is reported, never guessed', () => {
    const e = entry([range('ECOSYSTEM', { introduced: '0' }, { fixed: '1.0' })]);
    const v = evaluate(e, '0.5', ctx(false));
    assert.equal(v.affected, false);
    assert.match(!v.affected ? (v.unassessable ?? '') : '', /no version scheme is defined for ecosystem "Test"/);
  });

  it('an installed version the scheme cannot read is reported', () => {
    const e = entry([range('ECOSYSTEM', { introduced: '0' }, { fixed: '1.0' })]);
    const v = evaluate(e, 'not-a-version', ctx());
    assert.equal(v.affected, false);
    assert.match(!v.affected ? (v.unassessable ?? '') : '', /"not-a-version" is not a valid dotted version/);
  });

  it('unreadable events in the advisory are skipped, not fatal', () => {
    const e = entry([range('ECOSYSTEM', { introduced: '0' }, { fixed: 'garbage' }, { fixed: '2.0' })]);
    assert.equal(affected(e, '1.0'), true);
    assert.equal(affected(e, '2.0'), false);
  });

  it('fixed versions above the installed one, nearest first', () => {
    const e = entry([range('ECOSYSTEM', { introduced: '0' }, { fixed: '1.10' }, { introduced: '2.0' }, { fixed: '2.3' }), range('ECOSYSTEM', { introduced: '0' }, { fixed: '1.9' })]);
    const v = evaluate(e, '1.2', ctx());
    assert.ok(v.affected);
    // Every fix above the installed version is a way out (another branch's too), nearest first.
    assert.deepEqual(v.affected && v.fixed, ['1.9', '1.10', '2.3']);
  });

  it('sortFixes orders by the scheme, not by string', () => {
    assert.deepEqual(sortFixes(['1.10', '1.9', '1.2'], dotted, new ParseCache()), ['1.2', '1.9', '1.10']);
  });

  it('hostile input: huge version strings and many events stay cheap', () => {
    const events: RangeEvent[] = [{ introduced: '0' }];
    for (let i = 1; i < 5000; i++) events.push(i % 2 ? { fixed: `${i}` } : { introduced: `${i}` });
    const e = entry([range('ECOSYSTEM', ...events)]);
    const t0 = performance.now();
    assert.equal(affected(e, '2500.5'), true);
    assert.equal(affected(e, '2501.5'), false);
    assert.equal(affected(e, '9'.repeat(100_000)), false);
    assert.ok(performance.now() - t0 < 2000);
    assert.equal(inRange([1], range('ECOSYSTEM'), dotted, new ParseCache()).affected, false, 'no events: not affected');
  });
});
