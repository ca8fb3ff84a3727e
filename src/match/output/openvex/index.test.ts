import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyVex } from '../../vex/apply.js';
import { OPENVEX_JUSTIFICATIONS } from '../../vex/mapping.js';
import { VEX_STATUSES } from '../../vex/model.js';
import { readVex } from '../../vex/read.js';
import type { Loose } from '../../../inventory/sbom/__fixtures__/inventory.js';
import { makeFinding, makeReport, sampleReport } from '../test-fixtures.js';
import { renderOpenVex } from './index.js';


const report = makeReport([
  makeFinding(),
  makeFinding({ id: 'CVE-2', aliases: [], suppression: { kind: 'triage', status: 'not_affected', justification: 'code_not_reachable', reason: 'never called', source: 'audit:1' } }),
  makeFinding({ id: 'CVE-3', aliases: [], suppression: { kind: 'triage', status: 'false_positive', reason: 'wrong package', source: 'audit:2' } }),
  makeFinding({ id: 'CVE-4', aliases: [], suppression: { kind: 'vex', status: 'fixed', source: 'v.json#/statements/0' } }),
  makeFinding({ id: 'CVE-5', aliases: [], suppression: { kind: 'ignore-file', status: 'accepted_risk', reason: 'tests only', expires: '2027-01-31', source: '.vigilignore:2' } }),
  makeFinding({ id: 'CVE-6', aliases: [], confidence: 'low', matchedBy: 'cpe' }),
  makeFinding({ id: 'CVE-7', aliases: [], suppression: { kind: 'triage', status: 'in_triage', source: 'audit:3' } }),
  makeFinding({ id: 'CVE-8', aliases: [], package: { purl: '', id: 'odd id' } }),
]);

const URI = /^[a-z][a-z0-9+.-]*:\S+$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** The OpenVEX 0.2.0 JSON schema's constraints (openvex/spec openvex_json_schema.json), checked by hand. */
function checkOpenVex(doc: Loose): void {
  assert.deepEqual(Object.keys(doc).filter((k) => !['@context', '@id', 'author', 'role', 'timestamp', 'last_updated', 'version', 'tooling', 'statements'].includes(k)), []);
  for (const k of ['@context', '@id', 'author', 'timestamp', 'version', 'statements']) assert.ok(k in doc, k);
  assert.match(doc['@context'], URI);
  assert.match(doc['@id'], URI);
  assert.match(doc['timestamp'], DATE_TIME);
  assert.ok(Number.isInteger(doc['version']) && doc['version'] >= 1);
  for (const s of doc['statements'] as Loose[]) {
    assert.deepEqual(Object.keys(s).filter((k) => !['@id', 'version', 'vulnerability', 'timestamp', 'last_updated', 'products', 'status', 'supplier', 'status_notes', 'justification', 'impact_statement', 'action_statement', 'action_statement_timestamp'].includes(k)), []);
    assert.equal(typeof s['vulnerability'].name, 'string');
    assert.deepEqual(Object.keys(s['vulnerability']).filter((k) => !['@id', 'name', 'description', 'aliases'].includes(k)), []);
    if (s['vulnerability']['@id'] !== undefined) assert.match(s['vulnerability']['@id'], URI);
    assert.ok((VEX_STATUSES as readonly string[]).includes(s['status']));
    for (const p of s['products'] as Loose[]) {
      assert.deepEqual(Object.keys(p).filter((k) => !['@id', 'identifiers', 'hashes', 'subcomponents'].includes(k)), []);
      if (p['@id'] !== undefined) assert.match(p['@id'], URI);
    }
    if (s['justification'] !== undefined) assert.ok((OPENVEX_JUSTIFICATIONS as readonly string[]).includes(s['justification']));
    if (s['status'] === 'not_affected') assert.equal(('justification' in s ? 1 : 0) + ('impact_statement' in s ? 1 : 0), 1, 'exactly one of justification and impact_statement');
    if (s['status'] === 'affected') assert.equal(typeof s['action_statement'], 'string');
  }
}

test('OpenVEX output keeps to the OpenVEX 0.2.0 schema for every decision, and for the sample and an empty report', () => {
  for (const r of [report, sampleReport(), makeReport()]) checkOpenVex(JSON.parse(renderOpenVex(r)));
  const empty = JSON.parse(renderOpenVex(makeReport()));
  assert.deepEqual(empty['statements'], []);
});

test('OpenVEX output: statuses, justification or impact statement, action statements', () => {
  const doc = JSON.parse(renderOpenVex(report, { author: 'Example Security' }));
  assert.equal(doc['@context'], 'https://openvex.dev/ns/v0.2.0');
  assert.match(doc['@id'], /^urn:uuid:[0-9a-f-]{36}$/);
  assert.equal(doc['author'], 'Example Security');
  assert.equal(doc['tooling'], 'vigil 9.9.9');
  const byId = new Map((doc['statements'] as Loose[]).map((s) => [s['vulnerability'].name, s]));
  assert.deepEqual(byId.get('CVE-2021-23337'), {
    vulnerability: { '@id': 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337', name: 'CVE-2021-23337', aliases: ['GHSA-35jh-r3h4-6jhm'] },
    products: [{ '@id': 'pkg:npm/lodash@4.17.20', identifiers: { purl: 'pkg:npm/lodash@4.17.20' } }],
    status: 'affected',
    action_statement: 'upgrade lodash to 4.17.21 (fixes 1)',
  });
  assert.deepEqual([byId.get('CVE-2').status, byId.get('CVE-2').justification, byId.get('CVE-2').status_notes], ['not_affected', 'vulnerable_code_not_in_execute_path', 'never called; triage: audit:1']);
  assert.deepEqual([byId.get('CVE-3').status, byId.get('CVE-3').impact_statement], ['not_affected', 'False positive: wrong package']);
  assert.equal(byId.get('CVE-4').status, 'fixed');
  assert.equal(byId.get('CVE-5').status, 'affected');
  assert.match(byId.get('CVE-5').action_statement, /^Risk accepted, no action planned \(tests only; until 2027-01-31; ignore-file: \.vigilignore:2\); to fix: upgrade lodash/);
  assert.equal(byId.get('CVE-6').status, 'under_investigation');
  assert.match(byId.get('CVE-6').status_notes, /low-confidence match \(cpe\)/);
  assert.equal(byId.get('CVE-7').status, 'under_investigation');
  assert.deepEqual(byId.get('CVE-8').products, [{ '@id': 'urn:vigil:package:odd%20id' }]);
});

test('OpenVEX round trip: exported decisions read back and suppress the same findings', () => {
  const r = readVex(renderOpenVex(report), 'out.vex.json');
  assert.equal(r.format, 'openvex');
  assert.deepEqual(r.problems, []);
  const fresh = report.findings.map((f) => ({ ...f, suppression: undefined }));
  const applied = applyVex(fresh, r.statements);
  const suppressed = applied.findings.filter((f) => f.suppression).map((f) => [f.id, f.suppression!.status]);
  assert.deepEqual(suppressed, [
    ['CVE-2', 'not_affected'],
    ['CVE-3', 'not_affected'],
    ['CVE-4', 'fixed'],
  ]);
});
