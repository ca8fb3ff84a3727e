import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSbom } from '../read.js';
import type { Loose } from '../__fixtures__/inventory.js';
import { parseTagValue } from './tag-value.js';

const DOC = `SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: shop
DocumentNamespace: https://example.com/shop-1
ExternalDocumentRef:DocumentRef-lib https://example.com/lib SHA1: ${'c'.repeat(40)}
Creator: Tool: handmade
Creator: Person: Jane
Created: 2024-01-01T00:00:00Z
# a comment line

PackageName: shop
SPDXID: SPDXRef-shop
PackageDownloadLocation: NOASSERTION
FilesAnalyzed: false
PackageComment: <text>first line
Tag: not a tag, part of the text

last line</text>
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-shop

PackageName: left-pad
SPDXID: SPDXRef-left-pad
PackageVersion: 1.3.0
PackageDownloadLocation: https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz
PackageChecksum: SHA1: ${'d'.repeat(40)}
PackageLicenseDeclared: WTFPL
PackageVerificationCode: ${'e'.repeat(40)} (excludes: ./package.spdx)
ExternalRef: PACKAGE-MANAGER purl pkg:npm/left-pad@1.3.0
ExternalRefComment: from the lockfile
ExternalRef: SECURITY cpe23Type cpe:2.3:a:left-pad:left-pad:1.3.0:*:*:*:*:*:*:*
FilesAnalyzed: true

FileName: ./index.js
SPDXID: SPDXRef-index
FileType: SOURCE
FileChecksum: SHA1: ${'f'.repeat(40)}
LicenseConcluded: WTFPL
LicenseInfoInFile: WTFPL

SnippetSPDXID: SPDXRef-snip
SnippetFromFileSPDXID: SPDXRef-index
SnippetByteRange: 10:20
SnippetName: pad

LicenseID: LicenseRef-custom
ExtractedText: <text>Do what
you want</text>
LicenseName: Custom

Relationship: SPDXRef-shop DEPENDS_ON SPDXRef-left-pad
RelationshipComment: runtime
Relationship: SPDXRef-left-pad CONTAINS SPDXRef-index

Annotator: Person: Jane
AnnotationDate: 2024-01-02T00:00:00Z
AnnotationType: REVIEW
SPDXREF: SPDXRef-left-pad
AnnotationComment: looks fine
`;

test('tag-value → SPDX JSON shape', () => {
  const r = parseTagValue(DOC);
  assert.ok(r.ok);
  assert.deepEqual(r.warnings, []);
  const d = r.doc as Record<string, Loose>;
  assert.equal(d['spdxVersion'], 'SPDX-2.3');
  assert.equal(d['name'], 'shop');
  assert.deepEqual(d['creationInfo'], { creators: ['Tool: handmade', 'Person: Jane'], created: '2024-01-01T00:00:00Z' });
  assert.deepEqual(d['externalDocumentRefs'], [{ externalDocumentId: 'DocumentRef-lib', spdxDocument: 'https://example.com/lib', checksum: { algorithm: 'SHA1', checksumValue: 'c'.repeat(40) } }]);
  const [shop, pad] = d['packages'];
  assert.equal(shop.comment, 'first line\nTag: not a tag, part of the text\n\nlast line');
  assert.equal(shop.filesAnalyzed, false);
  assert.equal(pad.versionInfo, '1.3.0');
  assert.deepEqual(pad.checksums, [{ algorithm: 'SHA1', checksumValue: 'd'.repeat(40) }]);
  assert.deepEqual(pad.packageVerificationCode, { packageVerificationCodeValue: 'e'.repeat(40), packageVerificationCodeExcludedFiles: ['./package.spdx'] });
  assert.deepEqual(pad.externalRefs[0], { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/left-pad@1.3.0', comment: 'from the lockfile' });
  assert.deepEqual(pad.annotations, [{ annotator: 'Person: Jane', annotationDate: '2024-01-02T00:00:00Z', annotationType: 'REVIEW', comment: 'looks fine' }]);
  assert.deepEqual(d['files'][0].fileTypes, ['SOURCE']);
  assert.deepEqual(d['snippets'][0].ranges, [{ startPointer: { offset: 10, reference: 'SPDXRef-index' }, endPointer: { offset: 20, reference: 'SPDXRef-index' } }]);
  assert.equal(d['hasExtractedLicensingInfos'][0].extractedText, 'Do what\nyou want');
  assert.equal(d['relationships'][1].comment, 'runtime');
  assert.deepEqual(r.positionOf('/packages/1/versionInfo'), { line: 24, column: 17 });
  assert.deepEqual(r.positionOf('/packages/1/nothing/here'), { line: 22, column: 14 });
});

test('tag-value reads into an inventory with lines', () => {
  const inv = readSbom('shop.spdx', Buffer.from(DOC));
  assert.deepEqual(inv.problems, []);
  assert.deepEqual(inv.source, { kind: 'sbom', name: 'shop', version: undefined });
  assert.equal(inv.packages.length, 1);
  const pad = inv.packages[0]!;
  assert.equal(pad.purl, 'pkg:npm/left-pad@1.3.0');
  assert.equal(pad.location.line, 22);
  assert.deepEqual(pad.licenses, ['WTFPL']);
  assert.deepEqual(pad.hashes, [{ alg: 'SHA-1', content: 'd'.repeat(40) }]);
  assert.equal(pad.direct, true);
  assert.equal(pad.properties?.['vigil:cpe'], 'cpe:2.3:a:left-pad:left-pad:1.3.0:*:*:*:*:*:*:*');
  assert.deepEqual(inv.edges, [{ from: 'root', to: 'pkg:npm/left-pad@1.3.0' }]);
});

test('every tag-value error names the line and the column', () => {
  const cases: [string, string, number, number, RegExp][] = [
    ['no colon', 'SPDXVersion: SPDX-2.3\nthis is not a tag line\n', 2, 1, /expected "Tag: value"/],
    ['bad tag', 'SPDXVersion: SPDX-2.3\nBad Tag: x\n', 2, 1, /expected "Tag: value"/],
    ['unterminated', 'SPDXVersion: SPDX-2.3\nDocumentComment: <text>never\nclosed\n', 2, 18, /<text> is never closed/],
    ['boolean', 'SPDXVersion: SPDX-2.3\nPackageName: a\nFilesAnalyzed: maybe\n', 3, 16, /expected true or false/],
    ['outside', 'SPDXVersion: SPDX-2.3\nPackageVersion: 1\n', 2, 17, /outside a package section \(expected PackageName first\)/],
    ['checksum', 'SPDXVersion: SPDX-2.3\nPackageName: a\nPackageChecksum: abc\n', 3, 18, /expected "ALGORITHM: value"/],
    ['relationship', 'SPDXVersion: SPDX-2.3\nRelationship: A DEPENDS_ON\n', 2, 15, /expected "SPDXRef-A TYPE SPDXRef-B"/],
    ['range', 'SPDXVersion: SPDX-2.3\nSnippetSPDXID: SPDXRef-s\nSnippetByteRange: 1-2\n', 3, 19, /expected "start:end"/],
  ];
  for (const [what, text, line, column, message] of cases) {
    const r = parseTagValue(text);
    assert.ok(!r.ok, what);
    if (r.ok) continue;
    assert.deepEqual([r.line, r.column], [line, column], what);
    assert.match(r.message, message, what);
    const inv = readSbom('x.spdx', Buffer.from(text));
    assert.equal(inv.packages.length, 0, what);
    assert.match(inv.problems[0]!.message, new RegExp(`^line ${line}, column ${column}: `), what);
    assert.equal(inv.problems[0]!.location.line, line, what);
  }
});

test('schema errors in tag-value point at the line of the element', () => {
  const text = 'SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: d\nDocumentNamespace: https://x\nCreator: Tool: t\nCreated: 2024-01-01T00:00:00Z\n\nPackageName: a\nSPDXID: SPDXRef-a\nPrimaryPackagePurpose: TOY\n';
  const inv = readSbom('x.spdx', Buffer.from(text));
  assert.equal(inv.packages.length, 0);
  assert.match(inv.problems[0]!.message, /^line 9, column 14: SPDX 2\.3 tag-value document does not match its schema: \/packages\/0: must have required property 'downloadLocation'/);
  const noCreation = readSbom('x.spdx', Buffer.from('SPDXVersion: SPDX-2.2\n'));
  assert.match(noCreation.problems[0]!.message, /^line 1, column 1: .*must have required property 'SPDXID'/);
  const v3 = readSbom('x.spdx', Buffer.from('SPDXVersion: SPDX-3.0\n'));
  assert.match(v3.problems[0]!.message, /unsupported SPDX version "SPDX-3\.0"/);
});

test('warnings (unknown tags, repeated tags, text after </text>) keep their position', () => {
  const r = parseTagValue('SPDXVersion: SPDX-2.3\nFancyTag: x\nDocumentName: a\nDocumentName: b\nDocumentComment: <text>x</text>\n');
  assert.ok(r.ok);
  assert.deepEqual(r.warnings, [
    { line: 2, column: 11, message: 'unknown tag FancyTag ignored' },
    { line: 4, column: 15, message: 'DocumentName given again; the last value is kept' },
  ]);
  assert.equal(r.doc['name'], 'b');
});

test('empty, CRLF and hostile tag-value input', () => {
  const empty = parseTagValue('');
  assert.ok(empty.ok);
  assert.deepEqual(empty.doc, {});
  const crlf = parseTagValue('SPDXVersion: SPDX-2.3\r\nDocumentComment: <text>a\r\nb</text>\r\n');
  assert.ok(crlf.ok);
  assert.equal(crlf.doc['comment'], 'a\nb');
  const many = `SPDXVersion: SPDX-2.3\n${'PackageName: a\nPackageComment: <text>x\n'.repeat(20_000)}`;
  const t = performance.now();
  const r = parseTagValue(many);
  assert.ok(!r.ok);
  assert.ok(performance.now() - t < 2000);
  const noisy = parseTagValue(`SPDXVersion: SPDX-2.3\n${'Odd: x\n'.repeat(5000)}`);
  assert.ok(noisy.ok);
  if (noisy.ok) {
    assert.equal(noisy.warnings.length, 101);
    assert.deepEqual(noisy.warnings[100], { line: 102, column: 6, message: '4900 more warnings not shown' });
  }
  const longLine = parseTagValue(`SPDXVersion: SPDX-2.3\n${'x'.repeat(1_000_000)}\n`);
  assert.ok(!longLine.ok);
  if (!longLine.ok) assert.ok(longLine.message.length < 200);
});
