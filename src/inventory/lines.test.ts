import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ForwardLines, LineIndex } from './lines.js';

test('LineIndex: offsets to 1-based lines; find from an offset', () => {
  const text = 'a\nbb\n\nccc';
  const idx = new LineIndex(text);
  assert.deepEqual([0, 1, 2, 4, 5, 6, 9].map((o) => idx.lineOf(o)), [1, 1, 2, 2, 3, 4, 4]);
  assert.deepEqual(idx.find('c'), { line: 4, offset: 6 });
  assert.equal(idx.find('zz'), undefined);
  assert.equal(new LineIndex('').lineOf(0), 1);
});

test('ForwardLines: keys in document order resolve to successive lines; misses are bounded', () => {
  const text = '{\n "a": 1,\n "b": {"a": 2},\n "c": 3\n}';
  const f = new ForwardLines(new LineIndex(text));
  assert.equal(f.next('"a":'), 2);
  assert.equal(f.next('"a":'), 3, 'the second "a" is found after the first');
  assert.equal(f.next('"zz":'), undefined);
  assert.equal(f.next('"c":'), 4);
  const stingy = new ForwardLines(new LineIndex(text), 1);
  assert.equal(stingy.next('x1'), undefined);
  assert.equal(stingy.next('x2'), undefined);
  assert.equal(stingy.next('"a":'), undefined, 'gives up after maxMisses');
});
