import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PROBLEMS, problemType, VigilError, type ProblemCode } from './errors.js';

test('every problem code is documented in docs/api-errors.md with its status', () => {
  const doc = readFileSync(new URL('../../docs/api-errors.md', import.meta.url), 'utf8');
  for (const [code, p] of Object.entries(PROBLEMS) as [ProblemCode, (typeof PROBLEMS)[ProblemCode]][]) {
    const row = doc.split('\n').find((l) => l.startsWith(`| \`${problemType(code)}\` |`));
    assert.ok(row, `${code} is not documented`);
    assert.ok(row.includes(`| ${p.status} |`), `${code}: documented status differs from ${p.status}`);
  }
});

test('VigilError carries code, status and field errors', () => {
  const e = new VigilError('validation', 'bad', { errors: [{ pointer: '/body/x', detail: 'nope' }] });
  assert.equal(e.status, 400);
  assert.equal(e.code, 'validation');
  assert.equal(e.errors?.[0]?.pointer, '/body/x');
  assert.equal(new VigilError('not-found').message, 'Not found');
});

test('problem type URIs are stable', () => {
  assert.equal(problemType('not-found'), 'urn:vigil:problem:not-found');
});
