import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readVex } from '../read.js';

const V020 = {
  '@context': 'https://openvex.dev/ns/v0.2.0',
  '@id': 'https://example.com/vex/1',
  author: 'Example Security <security@example.com>',
  timestamp: '2024-01-01T00:00:00Z',
  version: 1,
  statements: [
    {
      vulnerability: { '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2023-1234', name: 'CVE-2023-1234', aliases: ['GHSA-aaaa-bbbb-cccc'] },
      products: [{ '@id': 'pkg:npm/foo@1.0.0' }, { '@id': 'https://example.com/product', identifiers: { purl: 'pkg:oci/app@sha256%3Aabc' } }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      impact_statement: 'foo() is never called',
    },
    {
      vulnerability: { name: 'CVE-2023-9999' },
      timestamp: '2024-02-01T00:00:00Z',
      products: [{ '@id': 'pkg:oci/app@sha256%3Aabc', subcomponents: [{ '@id': 'pkg:npm/bar@2.0.0' }, { identifiers: { purl: 'pkg:npm/baz@1.0.0' } }] }, { '@id': 'pkg:npm/qux@1.0.0' }],
      status: 'affected',
      action_statement: 'upgrade bar to 2.0.1',
    },
  ],
};

test('OpenVEX 0.2.0: vulnerability, aliases, products, justification, inherited and own timestamps', () => {
  const r = readVex(JSON.stringify(V020), 'vex.json');
  assert.equal(r.format, 'openvex');
  assert.deepEqual(r.problems, []);
  assert.equal(r.statements.length, 3);
  const [a, b, c] = r.statements;
  assert.deepEqual(a, {
    vulnerability: 'CVE-2023-1234',
    aliases: ['GHSA-aaaa-bbbb-cccc'],
    products: ['pkg:npm/foo@1.0.0', 'pkg:oci/app@sha256%3Aabc', 'https://example.com/product'],
    subcomponents: [],
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
    impact: 'foo() is never called',
    action: undefined,
    timestamp: '2024-01-01T00:00:00Z',
    source: 'vex.json#/statements/0',
  });
  // A product with subcomponents becomes its own statement; the rest are grouped.
  assert.deepEqual(b!.products, ['pkg:oci/app@sha256%3Aabc']);
  assert.deepEqual(b!.subcomponents, ['pkg:npm/bar@2.0.0', 'pkg:npm/baz@1.0.0']);
  assert.equal(b!.timestamp, '2024-02-01T00:00:00Z');
  assert.equal(b!.action, 'upgrade bar to 2.0.1');
  assert.deepEqual(c!.products, ['pkg:npm/qux@1.0.0']);
  assert.deepEqual(c!.subcomponents, []);
});

test('earlier OpenVEX (https://openvex.dev/ns): strings for vulnerability, products and subcomponents', () => {
  const doc = {
    '@context': 'https://openvex.dev/ns',
    '@id': 'https://openvex.dev/docs/public/vex-1',
    author: 'x',
    timestamp: '2023-01-16T20:41:55-06:00',
    statements: [{ vulnerability: 'CVE-2022-39046', products: ['pkg:oci/miniprow@sha256:746'], subcomponents: ['pkg:apk/alpine/glibc@2.36'], status: 'fixed' }],
  };
  const r = readVex(JSON.stringify(doc), 'old.json');
  assert.equal(r.format, 'openvex');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.statements.map((s) => [s.vulnerability, s.products, s.subcomponents, s.status, s.timestamp]), [
    ['CVE-2022-39046', ['pkg:oci/miniprow@sha256:746'], ['pkg:apk/alpine/glibc@2.36'], 'fixed', '2023-01-16T20:41:55-06:00'],
  ]);
});

test('OpenVEX broken statements: reported with their pointer and skipped, the rest kept', () => {
  const doc = {
    ...V020,
    statements: [
      { vulnerability: { name: 'CVE-1' }, products: ['pkg:npm/a'], status: 'maybe' },
      { products: ['pkg:npm/a'], status: 'fixed' },
      { vulnerability: { '@id': 'https://x/1' }, products: ['pkg:npm/a'], status: 'fixed' },
      { vulnerability: 'CVE-2', products: [], status: 'fixed' },
      { vulnerability: 'CVE-3', products: ['pkg:npm/a'], status: 'not_affected', justification: 'trust_me' },
      { vulnerability: 'CVE-4', products: ['pkg:npm/a'], status: 'not_affected' },
      'not an object',
    ],
  };
  const r = readVex(JSON.stringify(doc), 'v.json');
  assert.deepEqual(r.statements.map((s) => s.vulnerability), ['https://x/1', 'CVE-3', 'CVE-4']);
  const bySource = r.problems.map((p) => `${p.severity} ${p.source}`);
  assert.deepEqual(bySource, [
    'error v.json#/statements/0/status',
    'error v.json#/statements/1/vulnerability',
    'warning v.json#/statements/3',
    'warning v.json#/statements/4/justification',
    'warning v.json#/statements/5',
    'error v.json#/statements/6',
  ]);
  assert.match(r.problems[0]!.message, /statement skipped/);
  assert.match(r.problems[3]!.message, /unknown OpenVEX justification "trust_me"/);
});

test('OpenVEX envelope errors and empty documents', () => {
  const noStatements = readVex(JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [] }), 'e.json');
  assert.equal(noStatements.format, 'openvex');
  assert.deepEqual(noStatements.statements, []);
  assert.equal(noStatements.problems[0]!.severity, 'warning');
  const bad = readVex(JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: 'x' }), 'b.json');
  assert.equal(bad.problems[0]!.severity, 'error');
  assert.match(bad.problems[0]!.message, /not a valid OpenVEX document: \/statements/);
});
