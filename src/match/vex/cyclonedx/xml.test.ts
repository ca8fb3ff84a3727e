import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readVex } from '../read.js';

const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <metadata>
    <timestamp>2024-01-01T00:00:00Z</timestamp>
    <component type="application" bom-ref="acme"><name>Acme &amp; Co App</name><version>2.4.0</version></component>
  </metadata>
  <components>
    <component type="library" bom-ref="jd"><name>jackson-databind</name><version>2.10.0</version><purl>pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0</purl></component>
  </components>
  <vulnerabilities>
    <vulnerability bom-ref="v1">
      <id>CVE-2020-25649</id>
      <source><name>NVD</name></source>
      <description>Jackson &amp; &#x2014; XXE</description>
      <references><reference><id>GHSA-288c-cq4h-88gq</id><source><name>GitHub</name></source></reference></references>
      <analysis>
        <state>not_affected</state>
        <justification>code_not_reachable</justification>
        <responses><response>will_not_fix</response><response>update</response></responses>
        <detail><![CDATA[not <reachable> — checked]]></detail>
      </analysis>
      <affects>
        <target><ref>jd</ref></target>
        <target><ref>acme</ref><versions><version><version>2.4.0</version><status>unaffected</status></version><version><range>vers:semver/&lt;2.0.0</range></version></versions></target>
      </affects>
    </vulnerability>
    <vulnerability><id>CVE-2021-1</id><analysis><state>exploitable</state></analysis><recommendation>upgrade &gt;= 2.0 &#x2014; now</recommendation><affects><target><ref>jd</ref></target></affects></vulnerability>
  </vulnerabilities>
</bom>`;

test('CycloneDX XML VEX: the same statements as the JSON form', () => {
  const r = readVex(XML, 'vex.xml');
  assert.equal(r.format, 'cyclonedx');
  assert.deepEqual(
    r.statements.map((s) => [s.vulnerability, s.status, s.products, s.justification ?? null, s.impact ?? null, s.action ?? null]),
    [
      ['CVE-2020-25649', 'not_affected', ['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0', 'jd'], 'code_not_reachable', 'not <reachable> — checked', 'response: will_not_fix, update'],
      ['CVE-2020-25649', 'not_affected', ['Acme & Co App@2.4.0'], 'code_not_reachable', 'not <reachable> — checked', 'response: will_not_fix, update'],
      ['CVE-2020-25649', 'not_affected', ['acme', 'Acme & Co App'], 'code_not_reachable', 'not <reachable> — checked', 'response: will_not_fix, update'],
      ['CVE-2021-1', 'affected', ['pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0', 'jd'], null, null, 'upgrade >= 2.0 — now'],
    ],
  );
  assert.deepEqual(r.statements[0]!.aliases, ['GHSA-288c-cq4h-88gq']);
  assert.equal(r.statements[0]!.timestamp, '2024-01-01T00:00:00Z');
  // The range (entity-encoded in the XML) is decoded and evaluated.
  assert.equal(r.statements[2]!.versionRange?.text, 'vers:semver/<2.0.0');
  assert.equal(r.statements[2]!.source, 'vex.xml#/vulnerabilities/0/affects/1/versions/1');
  assert.deepEqual(r.problems, []);
});

test('CycloneDX XML without vulnerabilities, and with a namespace prefix', () => {
  const plain = readVex('<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components/></bom>', 'p.xml');
  assert.deepEqual(plain.statements, []);
  assert.equal(plain.problems[0]!.severity, 'warning');
  const prefixed = readVex(
    '<c:bom xmlns:c="http://cyclonedx.org/schema/bom/1.6"><c:vulnerabilities><c:vulnerability><c:id>CVE-1</c:id><c:analysis><c:state>resolved</c:state></c:analysis><c:affects><c:target><c:ref>pkg:npm/a@1.0.0</c:ref></c:target></c:affects></c:vulnerability></c:vulnerabilities></c:bom>',
    'c.xml',
  );
  assert.deepEqual(prefixed.statements.map((s) => [s.vulnerability, s.status, s.products]), [['CVE-1', 'fixed', ['pkg:npm/a@1.0.0']]]);
});
