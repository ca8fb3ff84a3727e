import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { applyVex } from '../apply.js';
import { makeFinding } from '../../output/test-fixtures.js';
import { readVex } from '../read.js';

const DOC = {
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
  version: 1,
  metadata: { timestamp: '2024-01-01T00:00:00Z', component: { type: 'application', name: 'Acme App', version: '2.4.0', 'bom-ref': 'acme', purl: 'pkg:generic/acme/app@2.4.0' } },
  components: [
    { type: 'library', name: 'jackson-databind', version: '2.10.0', 'bom-ref': 'jd', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0', components: [{ type: 'library', name: 'inner', 'bom-ref': 'inner', purl: 'pkg:maven/x/inner@1.0' }] },
  ],
  vulnerabilities: [
    {
      id: 'CVE-2020-25649',
      references: [{ id: 'GHSA-288c-cq4h-88gq', source: { name: 'GitHub' } }],
      analysis: { state: 'not_affected', justification: 'code_not_reachable', response: ['will_not_fix'], detail: 'not reachable', lastUpdated: '2024-03-01T00:00:00Z' },
      affects: [{ ref: 'jd' }, { ref: 'inner' }, { ref: 'acme' }],
    },
    { id: 'CVE-2021-1', recommendation: 'upgrade to 2.4.1', analysis: { state: 'exploitable' }, affects: [{ ref: 'urn:cdx:00000000-0000-0000-0000-000000000000/1#pkg%3Anpm/left-pad@1.0.0' }] },
    { id: 'CVE-2021-2', analysis: { state: 'false_positive' }, affects: [{ ref: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#jd' }] },
    { id: 'CVE-2021-3', analysis: { state: 'resolved' }, affects: [{ ref: 'acme', versions: [{ version: '2.3.0', status: 'unaffected' }, { range: 'vers:semver/<2.0.0', status: 'unaffected' }, { version: '2.2.0', status: 'affected' }] }] },
    { id: 'CVE-2021-4', analysis: { state: 'in_triage' }, affects: [{ ref: 'no-such-ref' }] },
  ],
};

test('CycloneDX VEX: bom-refs to components and to the product, BOM-Links, states, versions', () => {
  const r = readVex(JSON.stringify(DOC), 'bom.json');
  assert.equal(r.format, 'cyclonedx');
  const s = r.statements;
  assert.deepEqual(
    s.map((x) => [x.vulnerability, x.status, x.originalStatus, x.products]),
    [
      ['CVE-2020-25649', 'not_affected', undefined, ['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0', 'jd']],
      ['CVE-2020-25649', 'not_affected', undefined, ['pkg:maven/x/inner@1.0', 'inner']],
      ['CVE-2020-25649', 'not_affected', undefined, ['pkg:generic/acme/app@2.4.0', 'acme', 'Acme App@2.4.0']],
      ['CVE-2021-1', 'affected', 'exploitable', ['pkg:npm/left-pad@1.0.0']],
      ['CVE-2021-2', 'not_affected', 'false_positive', ['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0', 'jd']],
      ['CVE-2021-3', 'fixed', 'resolved', ['pkg:generic/acme/app@2.3.0', 'Acme App@2.3.0']],
      ['CVE-2021-3', 'fixed', 'resolved', ['pkg:generic/acme/app', 'acme', 'Acme App']],
      ['CVE-2021-4', 'under_investigation', 'in_triage', ['no-such-ref']],
    ],
  );
  assert.deepEqual(s[0]!.aliases, ['GHSA-288c-cq4h-88gq']);
  assert.equal(s[0]!.justification, 'code_not_reachable');
  assert.equal(s[0]!.impact, 'not reachable');
  assert.equal(s[0]!.timestamp, '2024-03-01T00:00:00Z');
  assert.equal(s[0]!.source, 'bom.json#/vulnerabilities/0/affects/0');
  assert.equal(s[3]!.action, 'upgrade to 2.4.1');
  assert.equal(s[3]!.timestamp, '2024-01-01T00:00:00Z');
  assert.equal(s[6]!.versionRange?.text, 'vers:semver/<2.0.0');
  assert.equal(s[6]!.source, 'bom.json#/vulnerabilities/3/affects/0/versions/1');
  assert.equal(s[5]!.versionRange, undefined);
  assert.deepEqual(
    r.problems.map((p) => `${p.severity} ${p.source}`),
    ['warning bom.json#/vulnerabilities/3/affects/0/versions/2', 'warning bom.json#/vulnerabilities/4/affects/0/ref'],
  );
  assert.match(r.problems[0]!.message, /disagrees with the analysis/);
});

test('CycloneDX VEX: bad vulnerabilities are reported and skipped; a BOM without vulnerabilities warns', () => {
  const doc = { ...DOC, vulnerabilities: [{ id: 'CVE-1', analysis: { state: 'nope' }, affects: [{ ref: 'jd' }] }, { analysis: { state: 'not_affected' } }, { id: 5 }, { id: 'CVE-2', analysis: { state: 'not_affected', justification: 'vibes' }, affects: [{ ref: 'jd' }] }] };
  const r = readVex(JSON.stringify(doc), 'b.json');
  assert.deepEqual(r.statements.map((s) => s.vulnerability), ['CVE-2']);
  assert.deepEqual(
    r.problems.map((p) => `${p.severity} ${p.source}`),
    ['error b.json#/vulnerabilities/0/analysis/state', 'error b.json#/vulnerabilities/1', 'error b.json#/vulnerabilities/2/id', 'warning b.json#/vulnerabilities/3/analysis/justification'],
  );
  const none = readVex(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', components: [] }), 'sbom.json');
  assert.deepEqual(none.statements, []);
  assert.deepEqual(none.problems.map((p) => p.severity), ['warning']);
  const broken = readVex(JSON.stringify({ bomFormat: 'CycloneDX', specVersion: 1.5 }), 'x.json');
  assert.match(broken.problems[0]!.message, /not a valid CycloneDX document: \/specVersion/);
});

/** Every vex.json under the official examples' VEX folder. */
function examples(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...examples(p));
    else if (name === 'vex.json') out.push(p);
  }
  return out;
}

test('CycloneDX VEX examples (bom-examples/VEX): every vulnerability becomes statements; product-level ones apply to the product', (t) => {
  const dir = sharedData('sbom', 'cyclonedx', 'bom-examples', 'VEX');
  if (!dir) {
    t.skip(skipMessage('sbom/cyclonedx/bom-examples/VEX'));
    return;
  }
  const files = examples(dir);
  assert.ok(files.length >= 10, `found ${files.length} examples`);
  let vulns = 0;
  let statements = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const name = relative(dir, file);
    const doc = JSON.parse(text) as { vulnerabilities?: unknown[] };
    const r = readVex(text, name);
    assert.equal(r.format, 'cyclonedx', name);
    assert.deepEqual(r.problems.filter((p) => p.severity === 'error'), [], name);
    vulns += doc.vulnerabilities?.length ?? 0;
    statements += r.statements.length;
    for (const s of r.statements) assert.match(s.vulnerability, /^CVE-\d{4}-\d+$/, name);
    t.diagnostic(`${name}: ${doc.vulnerabilities?.length ?? 0} vulnerabilities → ${r.statements.length} statements, ${r.problems.length} warnings`);
  }
  t.diagnostic(`${files.length} examples, ${vulns} vulnerabilities, ${statements} statements`);

  // The top-level example: a BOM-Link into another BOM, whose bom-ref is a purl.
  const top = readVex(readFileSync(join(dir, 'vex.json'), 'utf8'), 'vex.json');
  assert.deepEqual(top.statements.map((s) => [s.vulnerability, s.status, s.products]), [
    ['CVE-2020-25649', 'not_affected', ['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar']],
  ]);
  assert.deepEqual(top.statements[0]!.aliases, ['SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302']);
  const jackson = makeFinding({
    id: 'CVE-2020-25649',
    aliases: ['GHSA-288c-cq4h-88gq'],
    package: { name: 'com.fasterxml.jackson.core:jackson-databind', version: '2.10.0', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar', ecosystem: 'Maven' },
  });
  assert.equal(applyVex([jackson], top.statements).findings[0]!.suppression?.justification, 'code_not_reachable');

  // Use case 1: the whole product is not affected; applies when the scanned product is Acme Product 2.4.0.
  const case1 = readVex(readFileSync(join(dir, 'Use-Cases', 'Case-1', 'vex.json'), 'utf8'), 'case1');
  assert.deepEqual(case1.statements[0]!.products, ['acme-product', 'Acme Product@2.4.0']);
  const anyPkg = makeFinding({ id: 'CVE-2020-25649', aliases: [] });
  assert.equal(applyVex([anyPkg], case1.statements, { product: ['Acme Product@2.4.0'] }).suppressed, 1);
  assert.equal(applyVex([anyPkg], case1.statements, { product: ['Other Product@1.0'] }).suppressed, 0);
  assert.equal(applyVex([anyPkg], case1.statements).suppressed, 0);

  // Use case 10: listed product versions only.
  const case10 = readVex(readFileSync(join(dir, 'Use-Cases', 'Case-10', 'vex.json'), 'utf8'), 'case10');
  assert.ok(case10.statements[0]!.products.includes('Acme Product@2.3.7'));
  assert.equal(applyVex([anyPkg], case10.statements, { product: ['Acme Product@2.3.7'] }).suppressed, 1);
  assert.equal(applyVex([anyPkg], case10.statements, { product: ['Acme Product@2.5.0'] }).suppressed, 0);

  // Use case 5: semver ranges, written out of order (sorted, with a warning), evaluated against the product's version.
  const case5 = readVex(readFileSync(join(dir, 'Use-Cases', 'Case-5', 'vex.json'), 'utf8'), 'case5');
  assert.deepEqual(case5.statements.map((s) => [s.status, s.versionRange?.text, s.products]), [
    ['affected', 'vers:semver/<7.0.0|>=1.5.0', ['acme-product', 'Acme Product']],
    ['not_affected', 'vers:semver/<1.5.0|>=7.0.0', ['acme-product', 'Acme Product']],
  ]);
  assert.deepEqual(case5.problems.map((p) => [p.severity, p.source]), [['warning', 'case5#/vulnerabilities/0/affects/0/versions/0/range']]);
  assert.match(case5.problems[0]!.message, /not in version order; sorted/);
  const jackson5 = makeFinding({ id: 'CVE-2020-25649', aliases: [] });
  const suppressedAt = (v: string): number => applyVex([jackson5], case5.statements, { product: ['Acme Product', `Acme Product@${v}`] }).suppressed;
  assert.deepEqual(['1.0.0', '1.4.9', '1.5.0', '6.9.9', '7.0.0-rc.1', '7.0.0', '12.0.0'].map(suppressedAt), [1, 1, 0, 0, 0, 1, 1]);
  assert.equal(applyVex([jackson5], case5.statements, { product: ['Acme Product'] }).suppressed, 0, 'product version unknown');

  // CISA case 6: `generic` ranges cannot be evaluated (Vigil has no ordering for them: warned), single versions are.
  const cisa6 = readVex(readFileSync(join(dir, 'CISA-Use-Cases', 'Case-6', 'vex.json'), 'utf8'), 'cisa6');
  assert.ok(cisa6.problems.some((p) => p.severity === 'warning' && /vers:generic\/>=1\.0\|<=2\.3.*no version ordering for the vers scheme "generic"/.test(p.message)));
  const log4j = makeFinding({ id: 'CVE-2021-44228', aliases: [] });
  assert.equal(applyVex([log4j], cisa6.statements, { product: ['ABC@2.5'] }).suppressed, 1);
  assert.equal(applyVex([log4j], cisa6.statements, { product: ['ABC@2.4'] }).suppressed, 0);
  assert.equal(applyVex([log4j], cisa6.statements, { product: ['ABC@2.0'] }).suppressed, 0, 'inside an unevaluated range: not suppressed');
});
