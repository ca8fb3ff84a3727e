import assert from 'node:assert/strict';
import { test } from 'node:test';
import { officialValidators } from '../../../inventory/sbom/__fixtures__/official-schemas.js';
import { validateCycloneDx } from '../../../inventory/sbom/validate.js';
import { skipMessage } from '../../../../test/helpers/shared.js';
import { readVex } from '../../vex/read.js';
import type { Loose } from '../../../inventory/sbom/__fixtures__/inventory.js';
import { makeFinding, makeReport, sampleReport } from '../test-fixtures.js';
import { renderCycloneDx } from './index.js';

const render = (r = sampleReport()): Loose => JSON.parse(renderCycloneDx(r));

const triaged = makeReport([
  makeFinding({ suppression: { kind: 'triage', status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', reason: 'never called', source: 'audit:7' } }),
  makeFinding({ id: 'CVE-2', aliases: [], suppression: { kind: 'vex', status: 'fixed', source: 'v.json#/statements/1' } }),
  makeFinding({ id: 'CVE-3', aliases: [], suppression: { kind: 'triage', status: 'false_positive', reason: 'wrong package', source: 'audit:8' } }),
  makeFinding({ id: 'CVE-4', aliases: [], suppression: { kind: 'triage', status: 'in_triage', source: 'audit:9' } }),
  makeFinding({ id: 'CVE-5', aliases: [], cvss: [{ version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', score: null, severity: 'critical', source: 'cna:x' }, { version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', score: 7.5, severity: 'high', source: 'nvd' }] }),
  makeFinding({ id: 'CVE-6', aliases: [], package: { name: 'odd', version: '', purl: 'not a purl', id: 'odd-1', location: { file: '' } } }),
]);

test('CycloneDX output validates against the 1.6 schema (npm package copy, and the official one when present)', (t) => {
  const official = officialValidators();
  for (const r of [sampleReport(), makeReport(), triaged, makeReport([], { generatedAt: 'not a date' })]) {
    const doc = render(r);
    assert.deepEqual(validateCycloneDx('1.6', doc), []);
    if (official) assert.equal(official.cyclonedx16(doc), undefined);
  }
  if (!official) t.diagnostic(skipMessage('sbom/cyclonedx/schema (checked against the npm package schema only)'));
});

test('CycloneDX: components from the findings, vulnerabilities with source, references, ratings, affects, recommendation', () => {
  const bom = render();
  assert.equal(bom['specVersion'], '1.6');
  assert.match(bom['serialNumber'], /^urn:uuid:[0-9a-f-]{36}$/);
  assert.equal(bom['serialNumber'], render()['serialNumber'], 'deterministic');
  assert.equal(bom['metadata'].component.name, 'app');
  assert.deepEqual(bom['metadata'].tools, { components: [{ type: 'application', name: 'vigil', version: '9.9.9' }] });
  assert.deepEqual(bom['components'].map((c: Loose) => c['bom-ref']), ['pkg:npm/lodash@4.17.20', 'pkg:npm/minimist@1.2.0', 'pkg:npm/left-pad@1.0.0']);
  assert.deepEqual(bom['components'][1].properties, [
    { name: 'vigil:ecosystem', value: 'npm' },
    { name: 'vigil:location', value: 'web/package-lock.json:300' },
  ]);
  const v = bom['vulnerabilities'][0];
  assert.equal(v.id, 'CVE-2020-8203');
  assert.deepEqual(v.source, { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2020-8203' });
  assert.deepEqual(v.references, [{ id: 'GHSA-p6mc-m468-83gw', source: { name: 'GitHub', url: 'https://github.com/advisories/GHSA-p6mc-m468-83gw' } }]);
  assert.deepEqual(v.ratings, [{ source: { name: 'nvd' }, score: 9.8, severity: 'critical', method: 'CVSSv31', vector: 'CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H'.replace('/AT:N', '') }]);
  assert.equal(v.description, 'Prototype Pollution in lodash');
  assert.equal(v.recommendation, 'upgrade lodash to 4.17.19 (fixes 1)');
  assert.deepEqual(v.affects, [{ ref: 'pkg:npm/lodash@4.17.20', versions: [{ version: '4.17.20', status: 'affected' }] }]);
  assert.equal(v.analysis, undefined, 'an open finding carries no analysis');
  assert.ok(v.properties.some((p: Loose) => p.name === 'vigil:kev'));
  const ignored = bom['vulnerabilities'].find((x: Loose) => x.id === 'GHSA-29mw-wpgm-hmr9');
  assert.deepEqual(ignored.analysis, { state: 'exploitable', response: ['will_not_fix'], detail: 'only used in tests (until 2027-01-31; ignore-file: .vigilignore:3)' });
  const noCvss = bom['vulnerabilities'].find((x: Loose) => x.id === 'GHSA-aaaa-bbbb-cccc');
  assert.deepEqual(noCvss.ratings, [{ source: { name: 'source severity HIGH' }, severity: 'low', method: 'other' }]);
  assert.equal(bom['metadata'].properties.find((p: Loose) => p.name === 'vigil:problem').value, 'error: poetry.lock: line 12: expected a [[package]] table');
});

test('CycloneDX: analysis states and justifications from triage and VEX decisions; CVSS methods', () => {
  const vulns = render(triaged)['vulnerabilities'] as Loose[];
  const byId = new Map(vulns.map((v) => [v.id, v]));
  assert.deepEqual(byId.get('CVE-2021-23337').analysis, { state: 'not_affected', justification: 'code_not_reachable', detail: 'never called (triage: audit:7)' });
  assert.deepEqual(byId.get('CVE-2').analysis, { state: 'resolved', response: ['update'], detail: '(vex: v.json#/statements/1)' });
  assert.equal(byId.get('CVE-3').analysis.state, 'false_positive');
  assert.equal(byId.get('CVE-4').analysis.state, 'in_triage');
  assert.deepEqual(byId.get('CVE-5').ratings.map((r: Loose) => [r.method, r.score]).sort(), [['CVSSv2', 7.5], ['CVSSv4', undefined]]);
  assert.deepEqual(byId.get('CVE-2021-23337').affects[0].versions, [{ version: '4.17.20', status: 'unaffected' }]);
  assert.deepEqual(byId.get('CVE-4').affects[0].versions, [{ version: '4.17.20', status: 'unknown' }]);
  const odd = render(triaged)['components'].find((c: Loose) => c['bom-ref'] === 'odd-1');
  assert.equal(odd.purl, undefined, 'an invalid purl is left out');
  assert.equal(odd.version, undefined);
});

test('CycloneDX output reads back as VEX: suppressed findings become statements about the same purls', () => {
  const r = readVex(renderCycloneDx(triaged), 'out.json');
  assert.equal(r.format, 'cyclonedx');
  const na = r.statements.find((s) => s.vulnerability === 'CVE-2021-23337')!;
  assert.equal(na.status, 'not_affected');
  assert.deepEqual(na.products, ['pkg:npm/lodash@4.17.20']);
  assert.equal(na.justification, 'code_not_reachable');
  assert.equal(r.statements.find((s) => s.vulnerability === 'CVE-2')!.status, 'fixed');
  assert.deepEqual(r.problems, []);
});
