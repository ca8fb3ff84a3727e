import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { RESOURCE_TYPES, SUBSCRIPTION } from './catalog.js';
import { azureActions, azureCalls, renderAzureDoc } from './docs.js';

const DOC = new URL('../../../../docs/collectors/azure.md', import.meta.url);

test('docs/collectors/azure.md is generated from the catalog (VIGIL_UPDATE_DOCS=1 to rewrite)', () => {
  const want = renderAzureDoc();
  if (process.env['VIGIL_UPDATE_DOCS'] === '1') writeFileSync(DOC, want);
  assert.equal(readFileSync(DOC, 'utf8'), want, 'docs/collectors/azure.md is out of date: run this test with VIGIL_UPDATE_DOCS=1');
});

test('every call the catalog makes is documented with a read action', () => {
  const calls = azureCalls();
  const listed = new Set(calls.map((c) => c.call));
  for (const t of RESOURCE_TYPES) {
    assert.ok([...listed].some((c) => c.includes(t.listPath)), t.kind);
    for (const s of t.subCalls) assert.ok(calls.some((c) => c.kind === t.kind && c.action === s.action), `${t.kind} ${s.key}`);
  }
  assert.ok(calls.some((c) => c.kind === SUBSCRIPTION.kind));
  for (const a of azureActions()) assert.match(a, /\/read$/i, `${a} is not a read action`);
});
