import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpeApplicabilitySchema, isCpe23Name, isCpe23Structure, isCpeName, toCpeConfiguration } from './cpe.js';

test('isCpe23Name: the CPE 2.3 formatted-string grammar', () => {
  for (const good of [
    'cpe:2.3:a:microsoft:sharepoint_server:*:*:*:*:enterprise:*:*:*',
    'cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*',
    'cpe:2.3:a:foo\\:bar:baz\\(x\\):1.0:*:*:en-us:*:*:*:*',
    'cpe:2.3:h:vendor:prod*:1.?:*:*:*:*:*:*:*',
  ]) assert.equal(isCpe23Name(good), true, good);
  for (const bad of [
    'cpe:2.3:a:vendor:product:*:*:*:*:*:*:*',
    'cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*:*',
    'cpe:2.3:x:vendor:product:*:*:*:*:*:*:*:*',
    'cpe:2.3:a:my vendor:product:*:*:*:*:*:*:*:*',
    'cpe:2.3:a:vendor::*:*:*:*:*:*:*:*',
    'cpe:/a:vendor:product',
    'see cpe:2.3:a:vendor:product:*:*:*:*:*:*:*:*',
  ]) assert.equal(isCpe23Name(bad), false, bad);
});

test('isCpeName also takes CPE 2.2 URIs; isCpe23Structure only counts fields', () => {
  assert.equal(isCpeName('cpe:/a:apache:http_server:2.4.1'), true);
  assert.equal(isCpeName('cpe:2.3:a:apache:http_server:2.4.1:*:*:*:*:*:*:*'), true);
  assert.equal(isCpeName('apache http_server'), false);
  assert.equal(isCpe23Structure('cpe:2.3:a:vendor:prod\u00e9:1:*:*:*:*:*:*:*'), true, 'unusual characters are left to the matcher');
  assert.equal(isCpe23Structure('cpe:2.3:a:ven\\:dor:prod:1:*:*:*:*:*:*:*'), true, 'an escaped colon does not split');
  assert.equal(isCpe23Structure('cpe:2.3:a:vendor:prod:1:*:*:*:*:*:*'), false);
  assert.equal(isCpe23Structure('cpe:2.3:a:vendor::1:*:*:*:*:*:*:*'), false);
  assert.equal(isCpe23Structure('cpe:2.3:a:vendor:my prod:1:*:*:*:*:*:*:*'), false);
  assert.equal(isCpe23Structure('cpe:2.3:ab:vendor:prod:1:*:*:*:*:*:*:*'), false);
});

test('toCpeConfiguration keeps a statement exactly, defaulting only negate', () => {
  const schema = cpeApplicabilitySchema(isCpe23Name);
  const input = {
    nodes: [{ operator: 'OR', cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:v:p:*:*:*:*:*:*:*:*', versionEndExcluding: '2.0', matchCriteriaId: 'ABC', extra: 1 }] }],
  };
  assert.deepEqual(toCpeConfiguration(schema.parse(input), 'nvd'), {
    negate: false,
    nodes: [{ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:v:p:*:*:*:*:*:*:*:*', matchCriteriaId: 'ABC', versionEndExcluding: '2.0' }] }],
    source: 'nvd',
  });
  assert.equal(schema.safeParse({ nodes: [{ cpeMatch: [] }] }).success, false, 'node operator is required');
  assert.equal(schema.safeParse({ nodes: [{ operator: 'XOR', cpeMatch: [] }] }).success, false);
  assert.equal(schema.safeParse({ nodes: [{ operator: 'OR', cpeMatch: [{ criteria: 'cpe:2.3:a:v:p:*:*:*:*:*:*:*:*' }] }] }).success, false, 'vulnerable is required');
});
