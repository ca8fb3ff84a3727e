import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSbom } from '../read.js';
import { cycloneDxXmlToJson } from './xml.js';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<!-- written by hand -->
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" xmlns:ext="urn:example" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="3">
  <metadata>
    <timestamp>2024-01-02T03:04:05Z</timestamp>
    <tools>
      <components>
        <component type="application"><name>cdxgen</name><version>10</version></component>
      </components>
    </tools>
    <component type="application" bom-ref="app">
      <name>shop &amp; co</name>
      <version>1.0</version>
    </component>
  </metadata>
  <components>
    <component type="library" bom-ref="pkg:npm/a@1.0.0">
      <name>a</name>
      <version>1.0.0</version>
      <scope>optional</scope>
      <hashes><hash alg="SHA-1">${'b'.repeat(40)}</hash></hashes>
      <licenses><license><id>MIT</id></license></licenses>
      <purl><![CDATA[pkg:npm/a@1.0.0]]></purl>
      <externalReferences><reference type="vcs"><url>https://example.com/a.git</url></reference></externalReferences>
      <properties><property name="p&#x3a;1">v &lt;1&gt;</property></properties>
      <ext:note>ignored extension</ext:note>
      <components>
        <component type="library" bom-ref="nested">
          <name>nested</name>
          <version>0.1</version>
          <purl>pkg:pypi/nested@0.1</purl>
        </component>
      </components>
    </component>
    <component type="library" bom-ref="b">
      <group>org.acme</group>
      <name>b</name>
      <version>2</version>
      <licenses><expression>Apache-2.0 OR MIT</expression></licenses>
      <purl>pkg:maven/org.acme/b@2?type=jar</purl>
    </component>
  </components>
  <dependencies>
    <dependency ref="app"><dependency ref="pkg:npm/a@1.0.0"/></dependency>
    <dependency ref="pkg:npm/a@1.0.0"><dependency ref="b"/><dependency ref="nested"/></dependency>
  </dependencies>
</bom>
`;

test('CycloneDX XML maps to the JSON shape and reads like JSON', () => {
  const inv = readSbom('bom.xml', Buffer.from(XML));
  assert.deepEqual(inv.problems, []);
  assert.deepEqual(inv.source, { kind: 'sbom', name: 'shop & co', version: '1.0' });
  assert.deepEqual(inv.files, [{ path: 'bom.xml', reader: 'cyclonedx-xml', packages: 3 }]);
  const [a, nested, b] = inv.packages;
  assert.equal(a!.purl, 'pkg:npm/a@1.0.0');
  assert.equal(a!.location.line, 17);
  assert.equal(a!.scope, 'optional');
  assert.deepEqual(a!.hashes, [{ alg: 'SHA-1', content: 'b'.repeat(40) }]);
  assert.deepEqual(a!.licenses, ['MIT']);
  assert.deepEqual(a!.properties, { 'p:1': 'v <1>' });
  assert.equal(a!.direct, true);
  assert.equal(nested!.name, 'nested');
  assert.equal(nested!.ecosystem, 'PyPI');
  assert.equal(nested!.location.line, 28);
  assert.equal(nested!.properties?.['vigil:parent'], a!.id);
  assert.equal(b!.name, 'org.acme:b');
  assert.deepEqual(b!.licenses, ['Apache-2.0 OR MIT']);
  assert.deepEqual(
    inv.edges.map((e) => `${e.from} > ${e.to}`),
    ['root > pkg:npm/a@1.0.0', 'pkg:npm/a@1.0.0 > pkg:maven/org.acme/b@2?type=jar', 'pkg:npm/a@1.0.0 > pkg:pypi/nested@0.1'],
  );
});

test('the XML mapping gives the JSON shape (checked field by field)', () => {
  const r = cycloneDxXmlToJson(XML);
  assert.ok(r.ok);
  assert.equal(r.version, '1.5');
  const doc = r.doc as Record<string, unknown>;
  assert.equal(doc['serialNumber'], 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79');
  assert.equal(doc['version'], 3);
  assert.deepEqual((doc['metadata'] as Record<string, unknown>)['tools'], { components: [{ type: 'application', name: 'cdxgen', version: '10' }] });
  assert.deepEqual(doc['dependencies'], [
    { ref: 'app', dependsOn: ['pkg:npm/a@1.0.0'] },
    { ref: 'pkg:npm/a@1.0.0', dependsOn: ['b', 'nested'] },
  ]);
  const a = (doc['components'] as Record<string, unknown>[])[0]!;
  assert.deepEqual(a['externalReferences'], [{ type: 'vcs', url: 'https://example.com/a.git' }]);
  assert.equal(r.lineOfPointer('/components/0/hashes/0/alg'), 17);
  assert.equal(r.lineOfPointer('/dependencies/1'), 45);
});

test('legacy tools, namespace prefixes and 1.2 documents', () => {
  const xml = `<c:bom xmlns:c="http://cyclonedx.org/schema/bom/1.2" version="1"><c:metadata><c:tools><c:tool><c:vendor>v</c:vendor><c:name>t</c:name></c:tool></c:tools></c:metadata>
<c:components><c:component type="library"><c:name>x</c:name><c:version>1</c:version><c:purl>pkg:gem/x@1</c:purl></c:component></c:components></c:bom>`;
  const r = cycloneDxXmlToJson(xml);
  assert.ok(r.ok);
  assert.deepEqual((r.doc.metadata as Record<string, unknown>)['tools'], [{ vendor: 'v', name: 't' }]);
  const inv = readSbom('bom.xml', Buffer.from(xml));
  assert.deepEqual(inv.problems, []);
  assert.deepEqual(inv.packages.map((p) => [p.name, p.ecosystem]), [['x', 'RubyGems']]);
});

test('malformed, foreign, old and hostile XML is refused with a line', () => {
  const cases: [string, string, RegExp, number | undefined][] = [
    ['malformed', '<bom xmlns="http://cyclonedx.org/schema/bom/1.6">\n<components>\n</bom>', /malformed XML: .*\(column \d+\)/, 3],
    ['doctype', '<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY a "aaaa">]>\n<bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>', /DOCTYPE declarations are not accepted/, 2],
    ['old', '<bom xmlns="http://cyclonedx.org/schema/bom/1.1" version="1"/>', /unsupported CycloneDX spec version 1\.1/, undefined],
    ['not-bom', '<project xmlns="http://cyclonedx.org/schema/bom/1.6"/>', /root element is <project>/, undefined],
    ['deep', `<bom xmlns="http://cyclonedx.org/schema/bom/1.6">${'<a>'.repeat(300)}${'</a>'.repeat(300)}</bom>`, /malformed XML|nest/i, undefined],
  ];
  for (const [what, xml, message, line] of cases) {
    const inv = readSbom('bom.xml', Buffer.from(xml));
    assert.equal(inv.packages.length, 0, what);
    assert.equal(inv.problems.length, 1, what);
    assert.match(inv.problems[0]!.message, message, what);
    if (line !== undefined) assert.equal(inv.problems[0]!.location.line, line, what);
  }
});

test('schema violations in XML name the mapped JSON pointer and the element line', () => {
  const xml = `<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <components>
    <component type="library"><name>ok</name></component>
    <component><name>no type</name></component>
  </components>
</bom>`;
  const inv = readSbom('bom.xml', Buffer.from(xml));
  assert.equal(inv.packages.length, 0);
  assert.match(inv.problems[0]!.message, /\/components\/1: must have required property 'type'/);
  assert.equal(inv.problems[0]!.location.line, 4);
});

test('an empty bom reads as an empty inventory', () => {
  const inv = readSbom('bom.xml', Buffer.from('<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1"/>'));
  assert.deepEqual(inv.problems, []);
  assert.equal(inv.packages.length, 0);
});
