/**
 * Shared checks for the version scheme tests: ordering tables written as `a < b` / `a = b` /
 * `a > b` (checked both ways), and the hostile inputs every `parse` must refuse without
 * throwing and in bounded time.
 */
import assert from 'node:assert/strict';
import type { VersionScheme } from '../scheme.js';

/** Strings no scheme accepts: empty, spaces, controls, over-long, non-ASCII digits. */
export const HOSTILE: readonly (readonly [string, string])[] = [
  ['empty', ''],
  ['a space', ' '],
  ['inner space', '1.0 1'],
  ['leading space', ' 1.0.0'],
  ['trailing newline', '1.0.0\n'],
  ['tab', '1.0\t'],
  ['NUL', '1.0\u0000'],
  ['DEL', '1.0\u007f'],
  ['10,000 digits', '1'.repeat(10_000)],
  ['10,000 characters of parts', '1.'.repeat(4_999) + '1'],
  ['10,000 letters', 'a'.repeat(10_000)],
  ['lone surrogate', '1.0\ud800'],
  ['no-break space', '1.0\u00a0'],
  ['zero-width no-break space', '\ufeff1.0'],
];

/** Non-ASCII strings: refused by every scheme except rpm, which allows any visible character. */
export const UNICODE: readonly (readonly [string, string])[] = [
  ['Arabic-Indic digits', '\u0661.\u0662.\u0663'],
  ['full-width digits', '\uff11.\uff10'],
  ['emoji', '1.0.0-\u{1f600}'],
  ['Greek letter', '1.1.\u03b1'],
];

export function assertRefusesHostile(scheme: VersionScheme, options: { unicode?: boolean } = {}): void {
  const cases = options.unicode === false ? HOSTILE : [...HOSTILE, ...UNICODE];
  for (const [name, v] of cases) {
    let parsed: unknown;
    assert.doesNotThrow(() => {
      parsed = scheme.parse(v);
    }, `${scheme.id}: ${name} threw`);
    assert.equal(parsed, undefined, `${scheme.id}: ${name} should not parse`);
  }
  // Non-strings from untyped callers are refused too.
  assert.equal(scheme.parse(undefined as unknown as string), undefined, `${scheme.id}: undefined`);
  assert.equal(scheme.parse(42 as unknown as string), undefined, `${scheme.id}: a number`);
}

/**
 * Bounded time: 2,000 parses of 10,000-character strings and 20,000 parses and comparisons of
 * the longest accepted adversarial strings stay far below a second (a quadratic scan of 10,000
 * characters alone would take longer).
 */
export function assertLinearTime(scheme: VersionScheme, longest: readonly string[]): void {
  const huge = ['9'.repeat(10_000), '1.'.repeat(5_000), `1-${'a-'.repeat(4_999)}`, `1${'~'.repeat(9_999)}`];
  const t0 = performance.now();
  for (let i = 0; i < 500; i++) for (const v of huge) scheme.parse(v);
  const parsed = longest.map((v) => scheme.parse(v));
  for (let i = 0; i < 10_000; i++) {
    for (let k = 0; k + 1 < parsed.length; k++) {
      const a = parsed[k];
      const b = parsed[k + 1];
      if (a !== undefined && b !== undefined) scheme.compare(a, b);
    }
  }
  const ms = performance.now() - t0;
  assert.ok(ms < 2_000, `${scheme.id}: hostile parsing took ${ms.toFixed(0)} ms`);
}

/** -1, 0 or 1 (and never -0, which strict assertions tell from 0). */
const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);

/** Rows `a < b`, `a = b`, `a > b`; each is checked as compare(a, b) and compare(b, a). */
export function assertOrder(scheme: VersionScheme, rows: readonly string[]): void {
  for (const row of rows) {
    const [a = '', op = '', b = ''] = row.split(' ');
    const want = op === '<' ? -1 : op === '>' ? 1 : op === '=' ? 0 : NaN;
    assert.ok(!Number.isNaN(want), `bad row "${row}"`);
    const pa = scheme.parse(a);
    const pb = scheme.parse(b);
    assert.notEqual(pa, undefined, `${scheme.id}: "${a}" should parse (row "${row}")`);
    assert.notEqual(pb, undefined, `${scheme.id}: "${b}" should parse (row "${row}")`);
    assert.equal(sign(scheme.compare(pa, pb)), want, `${scheme.id}: ${row}`);
    assert.equal(sign(scheme.compare(pb, pa)), want === 0 ? 0 : -want, `${scheme.id}: ${row} (reversed)`);
  }
}

/** Each string must parse (valid) or must not (invalid). */
export function assertValidity(scheme: VersionScheme, valid: readonly string[], invalid: readonly string[]): void {
  for (const v of valid) assert.notEqual(scheme.parse(v), undefined, `${scheme.id}: "${v}" should parse`);
  for (const v of invalid) assert.equal(scheme.parse(v), undefined, `${scheme.id}: "${v}" should not parse`);
}
