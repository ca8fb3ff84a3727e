import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyVex } from '../apply.js';
import { makeFinding } from '../../output/test-fixtures.js';
import { readVex } from '../read.js';

/** A CSAF 2.0 VEX document in the shape Red Hat and others publish: a platform, components on it, relationships. */
const CSAF = {
  document: {
    category: 'csaf_vex',
    csaf_version: '2.0',
    title: 'openssl: example',
    publisher: { category: 'vendor', name: 'Example', namespace: 'https://example.com' },
    tracking: { id: 'EX-2024-1', current_release_date: '2024-04-01T00:00:00Z', initial_release_date: '2024-03-01T00:00:00Z', version: '1', status: 'final', revision_history: [] },
  },
  product_tree: {
    branches: [
      {
        category: 'vendor',
        name: 'Example',
        branches: [
          { category: 'product_name', name: 'Example Linux 9', product: { product_id: 'EL9', name: 'Example Linux 9', product_identification_helper: { cpe: 'cpe:/o:example:linux:9' } } },
          {
            category: 'product_version',
            name: 'openssl-3.0.7',
            product: { product_id: 'openssl-3.0.7', name: 'openssl-3.0.7', product_identification_helper: { purl: 'pkg:rpm/example/openssl@3.0.7?arch=src' } },
          },
          { category: 'product_version', name: 'libfoo-1.0', product: { product_id: 'libfoo-1.0', name: 'libfoo 1.0', product_identification_helper: { purl: 'pkg:npm/libfoo@1.0.0' } } },
          { category: 'product_version', name: 'bad', product: { name: 'no id' } },
        ],
      },
    ],
    full_product_names: [{ product_id: 'app-2', name: 'App 2', product_identification_helper: { purl: 'pkg:npm/app@2.0.0' } }],
    relationships: [
      { category: 'default_component_of', product_reference: 'openssl-3.0.7', relates_to_product_reference: 'EL9', full_product_name: { product_id: 'EL9:openssl-3.0.7', name: 'openssl on EL9' } },
    ],
    product_groups: [{ group_id: 'G1', product_ids: ['libfoo-1.0', 'app-2'] }],
  },
  vulnerabilities: [
    {
      cve: 'CVE-2024-0001',
      ids: [{ system_name: 'Example', text: 'EX-BUG-1' }],
      product_status: { known_not_affected: ['EL9:openssl-3.0.7', 'libfoo-1.0'], fixed: ['app-2'], known_affected: ['unknown-id'], recommended: ['app-2'] },
      flags: [
        { label: 'vulnerable_code_not_in_execute_path', product_ids: ['EL9:openssl-3.0.7'] },
        { label: 'component_not_present', group_ids: ['G1'] },
      ],
      threats: [{ category: 'impact', details: 'the vulnerable function is not built', product_ids: ['EL9:openssl-3.0.7'] }],
      remediations: [{ category: 'vendor_fix', details: 'update to 2.0.0', product_ids: ['app-2'] }, { category: 'none_available', details: 'no fix', product_ids: ['unknown-id'] }],
    },
    { ids: [{ system_name: 'Example', text: 'EX-ONLY-ID' }], product_status: { under_investigation: ['libfoo-1.0'] } },
    { product_status: { fixed: ['app-2'] } },
  ],
};

test('CSAF VEX: product tree to purls, relationships to product + subcomponent, flags, threats, remediations, groups', () => {
  const r = readVex(JSON.stringify(CSAF), 'csaf.json');
  assert.equal(r.format, 'csaf');
  assert.deepEqual(
    r.statements.map((s) => [s.vulnerability, s.status, s.products, s.subcomponents, s.justification ?? null, s.impact ?? null, s.action ?? null]),
    [
      ['CVE-2024-0001', 'not_affected', ['cpe:/o:example:linux:9', 'Example Linux 9', 'EL9'], ['pkg:rpm/example/openssl@3.0.7?arch=src', 'openssl-3.0.7'], 'vulnerable_code_not_in_execute_path', 'the vulnerable function is not built', null],
      ['CVE-2024-0001', 'not_affected', ['pkg:npm/libfoo@1.0.0', 'libfoo 1.0', 'libfoo-1.0'], [], 'component_not_present', null, null],
      ['CVE-2024-0001', 'fixed', ['pkg:npm/app@2.0.0', 'App 2', 'app-2'], [], null, null, 'vendor_fix: update to 2.0.0'],
      ['CVE-2024-0001', 'affected', ['unknown-id'], [], null, null, 'none_available: no fix'],
      ['EX-ONLY-ID', 'under_investigation', ['pkg:npm/libfoo@1.0.0', 'libfoo 1.0', 'libfoo-1.0'], [], null, null, null],
    ],
  );
  assert.deepEqual(r.statements[0]!.aliases, ['EX-BUG-1']);
  assert.equal(r.statements[0]!.timestamp, '2024-04-01T00:00:00Z');
  assert.equal(r.statements[0]!.source, 'csaf.json#/vulnerabilities/0/product_status/known_not_affected/0');
  assert.deepEqual(
    r.problems.map((p) => `${p.severity} ${p.source}`),
    [
      'error csaf.json#/product_tree/branches/0/branches/3/product/product_id',
      'warning csaf.json#/vulnerabilities/0/product_status/known_affected/0',
      'error csaf.json#/vulnerabilities/2',
    ],
  );

  // The relationship statement (platform + component) covers the component's package.
  const openssl = makeFinding({ id: 'CVE-2024-0001', aliases: [], package: { name: 'openssl', version: '3.0.7', purl: 'pkg:rpm/example/openssl@3.0.7?arch=src', ecosystem: 'Red Hat' } });
  const applied = applyVex([openssl], r.statements);
  assert.equal(applied.findings[0]!.suppression?.justification, 'vulnerable_code_not_in_execute_path');
  // With a known scanned product that is not the platform, the component statement does not apply.
  assert.equal(applyVex([openssl], r.statements, { product: ['pkg:oci/other@sha256:1'] }).suppressed, 0);
  assert.equal(applyVex([openssl], r.statements, { product: ['cpe:/o:example:linux:9'] }).suppressed, 1);
});

test('CSAF: another category is read with a warning; a broken document is an error', () => {
  const advisory = readVex(JSON.stringify({ ...CSAF, document: { ...CSAF.document, category: 'csaf_security_advisory' } }), 'adv.json');
  assert.equal(advisory.format, 'csaf');
  assert.equal(advisory.problems[0]!.severity, 'warning');
  assert.match(advisory.problems[0]!.message, /is not csaf_vex/);
  assert.ok(advisory.statements.length > 0);
  const broken = readVex(JSON.stringify({ document: { csaf_version: '2.0' } }), 'b.json');
  assert.equal(broken.format, 'csaf');
  assert.match(broken.problems[0]!.message, /not a valid CSAF document: \/document\/category/);
  const empty = readVex(JSON.stringify({ document: { category: 'csaf_vex', csaf_version: '2.0' } }), 'e.json');
  assert.deepEqual(empty.statements, []);
  assert.equal(empty.problems[0]!.severity, 'warning');
});
