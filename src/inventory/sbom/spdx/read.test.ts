import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSbom } from '../read.js';

const pkg = (id: string, name: string, version: string | undefined, purl?: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  SPDXID: id,
  name,
  ...(version === undefined ? {} : { versionInfo: version }),
  downloadLocation: 'NOASSERTION',
  ...(purl ? { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }] } : {}),
  ...extra,
});

const doc = (packages: unknown[], relationships: unknown[], more: Record<string, unknown> = {}): Buffer =>
  Buffer.from(
    JSON.stringify(
      {
        SPDXID: 'SPDXRef-DOCUMENT',
        spdxVersion: 'SPDX-2.3',
        creationInfo: { created: '2024-01-01T00:00:00Z', creators: ['Tool: test'] },
        name: 'the-doc',
        dataLicense: 'CC0-1.0',
        documentNamespace: 'https://example.com/doc',
        packages,
        relationships,
        ...more,
      },
      null,
      2,
    ),
  );

const rel = (a: string, type: string, b: string): Record<string, string> => ({ spdxElementId: a, relationshipType: type, relatedSpdxElement: b });

test('SPDX JSON: described package is the root; relationship directions and scopes', () => {
  const inv = readSbom(
    'sbom.spdx.json',
    doc(
      [
        pkg('SPDXRef-app', 'app', '1.0'),
        pkg('SPDXRef-a', 'a', '1', 'pkg:npm/a@1'),
        pkg('SPDXRef-b', 'b', '2', 'pkg:npm/b@2'),
        pkg('SPDXRef-t', 'jest', '29', 'pkg:npm/jest@29'),
        pkg('SPDXRef-c', 'c', '3', 'pkg:npm/c@3'),
        pkg('SPDXRef-d', 'd', '4', 'pkg:npm/d@4'),
      ],
      [
        rel('SPDXRef-DOCUMENT', 'DESCRIBES', 'SPDXRef-app'),
        rel('SPDXRef-app', 'DEPENDS_ON', 'SPDXRef-a'),
        rel('SPDXRef-b', 'DEPENDENCY_OF', 'SPDXRef-a'),
        rel('SPDXRef-t', 'DEV_DEPENDENCY_OF', 'SPDXRef-app'),
        rel('SPDXRef-t', 'TEST_DEPENDENCY_OF', 'SPDXRef-app'),
        rel('SPDXRef-c', 'OPTIONAL_DEPENDENCY_OF', 'SPDXRef-b'),
        rel('SPDXRef-b', 'STATIC_LINK', 'SPDXRef-d'),
        rel('SPDXRef-d', 'GENERATED_FROM', 'SPDXRef-a'),
        rel('SPDXRef-a', 'DEPENDS_ON', 'DocumentRef-other:SPDXRef-x'),
        rel('SPDXRef-a', 'CONTAINS', 'SPDXRef-file'),
      ],
      { files: [{ SPDXID: 'SPDXRef-file', fileName: './x', checksums: [{ algorithm: 'SHA1', checksumValue: '0'.repeat(40) }] }] },
    ),
  );
  assert.deepEqual(inv.problems, []);
  assert.deepEqual(inv.source, { kind: 'sbom', name: 'app', version: '1.0' });
  assert.deepEqual(inv.packages.map((p) => [p.name, p.scope, p.direct]), [
    ['a', undefined, true],
    ['b', undefined, false],
    ['jest', undefined, true],
    ['c', 'optional', false],
    ['d', undefined, false],
  ]);
  assert.deepEqual(
    inv.edges.map((e) => `${e.from} > ${e.to}`),
    ['root > pkg:npm/a@1', 'pkg:npm/a@1 > pkg:npm/b@2', 'root > pkg:npm/jest@29', 'pkg:npm/b@2 > pkg:npm/c@3', 'pkg:npm/b@2 > pkg:npm/d@4'],
  );
  assert.equal(inv.packages[0]!.location.line, 21);
});

test('purls from any category (PACKAGE-MANAGER first), CPEs, licences, checksums', () => {
  const inv = readSbom(
    'x.spdx.json',
    doc(
      [
        pkg('SPDXRef-1', 'v1_2_15', '1.2.15', undefined, {
          externalRefs: [
            { referenceCategory: 'SECURITY', referenceType: 'purl', referenceLocator: 'pkg:maven/log4j/log4j@1.2.14' },
            { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:maven/log4j/log4j@1.2.15' },
            { referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:apache:log4j:1.2.15:*:*:*:*:*:*:*' },
          ],
          licenseDeclared: 'NOASSERTION',
          licenseConcluded: 'Apache-2.0',
          checksums: [{ algorithm: 'SHA256', checksumValue: 'a'.repeat(64) }, { algorithm: 'SHA224', checksumValue: 'b'.repeat(56) }],
        }),
        pkg('SPDXRef-2', 'openssl', undefined, undefined, { externalRefs: [{ referenceCategory: 'SECURITY', referenceType: 'purl', referenceLocator: 'pkg:generic/openssl@1.1.1l' }], licenseDeclared: 'NONE' }),
        pkg('SPDXRef-3', 'Nginx', undefined, undefined, { externalRefs: [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: 'cpe:2.3:a:nginx:nginx:1.21.1' }] }),
      ],
      [],
      { documentDescribes: ['SPDXRef-3'] },
    ),
  );
  assert.deepEqual(inv.problems, []);
  const [log4j, openssl, nginx] = inv.packages;
  assert.equal(log4j!.name, 'log4j:log4j');
  assert.equal(log4j!.version, '1.2.15');
  assert.equal(log4j!.ecosystem, 'Maven');
  assert.deepEqual(log4j!.licenses, ['Apache-2.0']);
  assert.deepEqual(log4j!.hashes, [{ alg: 'SHA-256', content: 'a'.repeat(64) }, { alg: 'SHA224', content: 'b'.repeat(56) }]);
  assert.equal(log4j!.properties?.['vigil:cpe'], 'cpe:2.3:a:apache:log4j:1.2.15:*:*:*:*:*:*:*');
  assert.equal(openssl!.version, '1.1.1l');
  assert.equal(openssl!.licenses, undefined);
  // Described, with a CPE but no purl: the root, and kept as a package.
  assert.equal(nginx!.purl, 'pkg:generic/Nginx');
  assert.equal(nginx!.properties?.['vigil:main-component'], 'true');
  assert.deepEqual(inv.source, { kind: 'sbom', name: 'Nginx', version: undefined });
});

test('SPDX JSON: invalid and unsupported documents', () => {
  const bad = readSbom('x.spdx.json', doc([{ SPDXID: 'SPDXRef-a', name: 'a' }], []));
  assert.equal(bad.packages.length, 0);
  assert.match(bad.problems[0]!.message, /SPDX 2\.3 document does not match its schema: \/packages\/0: must have required property 'downloadLocation' \(schema #\/properties\/packages\/items\/required\)/);
  const v = readSbom('x.spdx.json', Buffer.from('{"spdxVersion": "SPDX-2.1", "SPDXID": "SPDXRef-DOCUMENT"}'));
  assert.match(v.problems[0]!.message, /unsupported SPDX version "SPDX-2\.1"/);
  const broken = readSbom('x.spdx.json', Buffer.from('{"spdxVersion": "SPDX-2.3", '));
  assert.match(broken.problems[0]!.message, /malformed JSON/);
  const empty = readSbom('x.spdx.json', doc([], []));
  assert.deepEqual(empty.problems, []);
  assert.equal(empty.packages.length, 0);
  assert.equal(empty.source.name, 'the-doc');
});
