import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderRulesDoc } from './docs.js';
import { BUILTIN_RULES } from './rules/registry.js';

test('docs/rules.md is generated from the current rule metadata (run: npm run docs:rules)', () => {
  const onDisk = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderRulesDoc(BUILTIN_RULES), 'docs/rules.md is out of date: run npm run docs:rules');
});
