import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Inventory } from '../../model.js';
import { componentKey, edgeKey, FIXED, SAMPLE, type Loose } from '../__fixtures__/inventory.js';
import { officialValidators } from '../__fixtures__/official-schemas.js';
import { renderSbom } from '../index.js';
import { readSbom } from '../read.js';
import { validateSpdx } from '../spdx/schema.js';
import { skipMessage } from '../../../../test/helpers/shared.js';

const spdx = (inv: Inventory): Record<string, Loose> => JSON.parse(renderSbom(inv, 'spdx', FIXED)) as Record<string, Loose>;

test('SPDX 2.3 JSON: document header, tool, namespace, created', () => {
  const d = spdx(SAMPLE);
  assert.equal(d['spdxVersion'], 'SPDX-2.3');
  assert.equal(d['dataLicense'], 'CC0-1.0');
  assert.equal(d['SPDXID'], 'SPDXRef-DOCUMENT');
  assert.equal(d['name'], 'shop');
  assert.equal(d['documentNamespace'], 'https://spdx.org/spdxdocs/vigil-shop-3e671687-395b-41f5-a30f-a58921a69b79');
  assert.deepEqual(d['creationInfo'], { created: '2024-05-06T07:08:09Z', creators: ['Tool: Vigil-9.9.9'] });
  const comments = (d['annotations'] as { comment: string; annotator: string }[]).map((a) => a.comment);
  assert.ok(comments.includes('vigil:problem=error: poetry.lock:12: [poetry-lock] expected a [[package]] table'));
  assert.ok(comments.includes('vigil:file=package-lock.json (npm-lock, 3 packages)'));
});

test('SPDX 2.3 JSON: packages with purl, CPE, checksums, licence expressions and LicenseRefs', () => {
  const d = spdx(SAMPLE);
  const [root, express, types, libssl, gomod, noVersion] = d['packages'] as Record<string, Loose>[];
  assert.deepEqual(root, { SPDXID: 'SPDXRef-RootPackage', name: 'shop', versionInfo: '2.1.0', downloadLocation: 'NOASSERTION', filesAnalyzed: false });
  assert.equal(express!['SPDXID'], 'SPDXRef-Package-1-express');
  assert.deepEqual(express!['externalRefs'], [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/express@4.18.2' }]);
  assert.deepEqual(express!['checksums'], [{ algorithm: 'SHA512', checksumValue: '07'.repeat(64) }]);
  assert.equal(express!['licenseDeclared'], 'MIT');
  assert.equal(express!['primaryPackagePurpose'], 'LIBRARY');
  assert.equal(types!['licenseDeclared'], 'MIT AND (Apache-2.0 OR BSD-3-Clause)');
  assert.equal(types!['checksums'], undefined);
  assert.equal(libssl!['licenseDeclared'], 'LicenseRef-Custom-weird-licence-co');
  assert.deepEqual(libssl!['externalRefs'][1], { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*' });
  assert.equal(gomod!['licenseDeclared'], 'LicenseRef-Proprietary');
  assert.equal(noVersion!['versionInfo'], undefined);
  assert.equal(noVersion!['licenseDeclared'], 'NOASSERTION');
  assert.deepEqual(d['hasExtractedLicensingInfos'], [
    { licenseId: 'LicenseRef-Custom-weird-licence-co', name: 'Custom <weird> "licence" & co', extractedText: 'Custom <weird> "licence" & co' },
    { licenseId: 'LicenseRef-Proprietary', name: 'LicenseRef-Proprietary', extractedText: 'LicenseRef-Proprietary' },
  ]);
});

test('SPDX 2.3 JSON: DESCRIBES the root, DEPENDS_ON from edges', () => {
  assert.deepEqual(spdx(SAMPLE)['relationships'], [
    { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-RootPackage' },
    { spdxElementId: 'SPDXRef-RootPackage', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-Package-1-express' },
    { spdxElementId: 'SPDXRef-RootPackage', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-Package-2--types-node' },
    { spdxElementId: 'SPDXRef-Package-1-express', relationshipType: 'DEPENDS_ON', relatedSpdxElement: 'SPDXRef-Package-4-github.com-a-b' },
  ]);
});

test('SPDX output validates against the official 2.3 schema and our validator', (t) => {
  const official = officialValidators();
  for (const inv of [SAMPLE, { ...SAMPLE, source: { kind: 'image' as const, name: '' }, packages: [], edges: [], problems: [], files: [] }]) {
    const d = spdx(inv);
    assert.ok(validateSpdx('2.3', d).ok);
    if (official) assert.equal(official.spdx23(d), undefined);
  }
  if (!official) t.diagnostic(skipMessage('sbom/spdx/schema (checked with the zod validator only)'));
});

test('SPDX round trip keeps components, edges and model fields', () => {
  const back = readSbom('out.spdx.json', Buffer.from(renderSbom(SAMPLE, 'spdx', FIXED)));
  assert.deepEqual(back.problems, []);
  assert.deepEqual(componentKey(back), componentKey(SAMPLE));
  assert.deepEqual(edgeKey(back), [...new Set(edgeKey({ ...SAMPLE, edges: SAMPLE.edges.filter((e) => e.to !== 'pkg:npm/missing@1') }))]);
  assert.deepEqual(back.source, { kind: 'sbom', name: 'shop', version: '2.1.0' });
  const libssl = back.packages.find((p) => p.name === 'libssl3')!;
  assert.equal(libssl.ecosystem, 'Debian:12');
  assert.deepEqual(libssl.layer, SAMPLE.packages[2]!.layer);
  assert.deepEqual(libssl.licenses, ['LicenseRef-Custom-weird-licence-co']);
  const types = back.packages.find((p) => p.name === '@types/node')!;
  assert.equal(types.scope, 'dev');
  assert.equal(types.direct, true);
});
