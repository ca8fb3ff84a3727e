import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyArray, copyBool, copyInt, copyNullable, copyText } from './copy.js';

test('COPY text format: specials escaped, plain text untouched, NULLs and arrays', () => {
  assert.equal(copyText('plain'), 'plain');
  assert.equal(copyText('a\\b\tc\nd\re'), 'a\\\\b\\tc\\nd\\re');
  assert.equal(copyNullable(null), '\\N');
  assert.equal(copyNullable(undefined), '\\N');
  assert.equal(copyNullable('x'), 'x');
  assert.equal(copyArray([]), '{}');
  assert.equal(copyArray(['a', 'b c', 'q"u', 'back\\slash']), '{"a","b c","q\\\\"u","back\\\\\\\\slash"}');
  assert.equal(copyBool(true), 't');
  assert.equal(copyBool(false), 'f');
  assert.equal(copyBool(undefined), '\\N');
  assert.equal(copyInt(42.9), '42');
  assert.equal(copyInt(null), '\\N');
});
