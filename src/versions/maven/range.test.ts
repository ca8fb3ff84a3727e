import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMavenRange } from './range.js';

function ok(spec: string) {
  const r = parseMavenRange(spec);
  assert.ok(r.ok, `${spec}: ${r.ok ? '' : r.error}`);
  return r.range;
}

test('maven range: the specification examples', () => {
  const cases: [spec: string, inside: string[], outside: string[]][] = [
    ['1.0', ['1.0', '1', '1.0.0'], ['1.0.1', '0.9', '2.0']],
    ['[1.0]', ['1.0', '1.0.0'], ['1.0.1', '0.9']],
    ['[1.0,2.0)', ['1.0', '1.5', '2.0-SNAPSHOT', '2.0-rc1'], ['0.9', '2.0', '2.0.1', '1.0-SNAPSHOT']],
    ['(1.0,2.0]', ['1.0.1', '2.0'], ['1.0', '2.0.1']],
    ['(,1.0]', ['0.1', '1.0', '1.0-SNAPSHOT'], ['1.0.1', '1.1']],
    ['(,1.0)', ['0.9'], ['1.0']],
    ['[1.2,)', ['1.2', '99'], ['1.1', '1.2-rc1']],
    ['(,1.0],[1.2,)', ['0.5', '1.0', '1.2', '3.0'], ['1.1', '1.0.1', '1.2-beta']],
    ['(,1.1),(1.1,)', ['1.0', '1.2'], ['1.1']],
    [' [ 1.0 , 2.0 ) ', ['1.0'], ['2.0']],
    ['[1.0,2.0) [3.0,4.0)', ['1.5', '3.5'], ['2.5']],
  ];
  for (const [spec, inside, outside] of cases) {
    const range = ok(spec);
    for (const v of inside) assert.equal(range.contains(v), true, `${v} in ${spec}`);
    for (const v of outside) assert.equal(range.contains(v), false, `${v} not in ${spec}`);
  }
});

test('maven range: structure', () => {
  const r = ok('(,1.0],[1.2,)');
  assert.equal(r.soft, false);
  assert.deepEqual(r.restrictions, [
    { lower: undefined, lowerInclusive: false, upper: '1.0', upperInclusive: true },
    { lower: '1.2', lowerInclusive: true, upper: undefined, upperInclusive: false },
  ]);
  const soft = ok('1.0');
  assert.equal(soft.soft, true);
  assert.deepEqual(soft.restrictions, [{ lower: '1.0', lowerInclusive: true, upper: '1.0', upperInclusive: true }]);
  assert.equal(soft.contains('not a version '), false);
});

test('maven range: malformed specs return an error naming the problem', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['[1.0', /unbounded/],
    ['(1.0)', /single version/],
    ['(1.0]', /single version/],
    ['[]', /empty set/],
    ['[2.0,1.0]', /defies version ordering/],
    ['(1.0,1.0)', /defies version ordering/],
    ['[1.0,2.0),[1.5,3.0)', /overlap/],
    ['[1.0,),[2.0,)', /overlap/],
    ['[1.0,2.0),(,3.0)', /overlap/],
    ['[1.0,2.0)x', /only bracketed sets/],
    ['[1.0,2.0,3.0]', /one comma/],
    ['1.0 2.0', /not a valid Maven version/],
    ['[1.0 beta,2.0)', /not a valid Maven version/],
    ['[1.0,\u00e9)', /not a valid Maven version/],
    ['[' + '1'.repeat(5000) + ']', /at most 4096/],
  ];
  for (const [spec, error] of cases) {
    const r = parseMavenRange(spec);
    assert.equal(r.ok, false, `"${spec.slice(0, 30)}" should fail`);
    if (!r.ok) assert.match(r.error, error, spec.slice(0, 30));
  }
  assert.equal(parseMavenRange(undefined as unknown as string).ok, false);
});

test('maven range: hostile specs stay linear', () => {
  const many = Array.from({ length: 300 }, (_, i) => `[${i}.0,${i}.5)`).join(',').slice(0, 4096);
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) {
    parseMavenRange(many);
    parseMavenRange('['.repeat(4096));
    parseMavenRange(`[${','.repeat(4000)}]`);
  }
  assert.ok(performance.now() - t0 < 3_000);
});
