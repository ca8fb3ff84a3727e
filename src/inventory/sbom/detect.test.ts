import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectSbom, isSbom, looksLikeSbomName } from './detect.js';

const CASES: readonly [string, string, string | undefined][] = [
  ['bom.json', '{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.6"\n}', 'cyclonedx-json'],
  ['x.json', '\uFEFF  {"$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json", "components": []}', 'cyclonedx-json'],
  ['sbom.xml', '<?xml version="1.0"?>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"/>', 'cyclonedx-xml'],
  ['a.xml', '<c:bom xmlns:c="http://cyclonedx.org/schema/bom/1.6"></c:bom>', 'cyclonedx-xml'],
  ['doc.json', '{ "SPDXID" : "SPDXRef-DOCUMENT", "spdxVersion" : "SPDX-2.3" }', 'spdx-json'],
  ['doc.spdx', '# comment\nSPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0\n', 'spdx-tag-value'],
  ['doc.spdx.yml', 'SPDXID: "SPDXRef-DOCUMENT"\nspdxVersion: "SPDX-2.3"\n', 'unsupported:spdx-yaml'],
  ['doc.spdx.rdf', '<rdf:RDF xmlns:spdx="http://spdx.org/rdf/terms#"></rdf:RDF>', 'unsupported:spdx-rdf'],
  ['doc.json', '{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}', 'unsupported:spdx-3-jsonld'],
  ['invalid_sbom.spdx', 'Not an sbom at all!', 'unsupported:unrecognised-sbom-name'],
  ['package.json', '{"name": "x", "version": "1.0.0"}', undefined],
  ['pom.xml', '<project xmlns="http://maven.apache.org/POM/4.0.0"/>', undefined],
  ['sbom.cdx.json.foo.ext', 'Not an sbom at all!', undefined],
  ['empty', '', undefined],
];

test('detectSbom decides on content, and names only make a file a (refused) candidate', () => {
  for (const [name, head, want] of CASES) {
    const d = detectSbom(name, head);
    const got = d === undefined ? undefined : 'format' in d ? d.format : `unsupported:${d.unsupported}`;
    assert.equal(got, want, `${name}: ${JSON.stringify(head.slice(0, 40))}`);
    assert.equal(isSbom(name, Buffer.from(head)), want !== undefined, name);
  }
});

test('looksLikeSbomName knows the recommended file names', () => {
  for (const n of ['bom.json', 'app.cdx.json', 'dir/x.bom.xml', 'a.spdx', 'a.spdx.json', 'a.SPDX.YAML', 'a.spdx.rdf.xml']) assert.ok(looksLikeSbomName(n), n);
  for (const n of ['bomb.json', 'spdx.txt', 'package-lock.json', 'a.spdx.foo']) assert.ok(!looksLikeSbomName(n), n);
});

test('detection on hostile heads stays fast', () => {
  const junk = `{${'"bomFormat" :'.repeat(20_000)}`;
  const t = performance.now();
  detectSbom('x', junk);
  detectSbom('x', `<${'xmlns:a="b" '.repeat(20_000)}`);
  detectSbom('x', 'SPDXVersion'.repeat(50_000));
  assert.ok(performance.now() - t < 500);
});
