import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { GCP_TYPES, PROJECT } from './catalog.js';
import { gcpCalls, gcpPermissions, renderGcpDoc } from './docs.js';

const DOC = new URL('../../../../docs/collectors/gcp.md', import.meta.url);

test('docs/collectors/gcp.md is generated from the catalog (VIGIL_UPDATE_DOCS=1 to rewrite)', () => {
  const want = renderGcpDoc();
  if (process.env['VIGIL_UPDATE_DOCS'] === '1') writeFileSync(DOC, want);
  assert.equal(readFileSync(DOC, 'utf8'), want, 'docs/collectors/gcp.md is out of date: run this test with VIGIL_UPDATE_DOCS=1');
});

test('every call the catalog makes is documented with a read permission', () => {
  const calls = gcpCalls();
  for (const t of GCP_TYPES) {
    assert.ok(calls.some((c) => c.kind === t.kind && c.call === t.call && c.permission === t.permission), t.kind);
    for (const s of t.subCalls) assert.ok(calls.some((c) => c.kind === t.kind && c.call === s.call), `${t.kind} ${s.key}`);
  }
  for (const s of PROJECT.subCalls) assert.ok(calls.some((c) => c.call === s.call));
  // Read-only verbs: list, get, getIamPolicy.
  for (const p of gcpPermissions()) assert.match(p, /\.(list|get|getIamPolicy)$/, p);
  for (const c of calls) assert.match(c.call, /^GET |^POST .*:getIamPolicy$/, c.call);
});
