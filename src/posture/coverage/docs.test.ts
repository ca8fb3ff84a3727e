import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BUILTIN_RULES } from '../rules/registry.js';
import { renderCoverageDoc } from './docs.js';

test('docs/coverage.md is generated from the catalogues and rule metadata (run: npm run docs:rules)', () => {
  const onDisk = readFileSync(new URL('../../../docs/coverage.md', import.meta.url), 'utf8');
  assert.equal(onDisk, renderCoverageDoc(BUILTIN_RULES), 'docs/coverage.md is out of date: run npm run docs:rules');
});

test('renderCoverageDoc: every framework has a row and a section, also with no rules', () => {
  const doc = renderCoverageDoc([]);
  assert.match(doc, /^# Compliance coverage/);
  assert.match(doc, /\| CIS Amazon Web Services Foundations Benchmark v3\.0 \(`cis-aws-3\.0`\) \| 62 \| 0 \| 0\.0% \| 0 \|/);
  assert.match(doc, /## GDPR \(`gdpr`\)/);
  assert.doesNotMatch(doc, /Assessed:/);
});
