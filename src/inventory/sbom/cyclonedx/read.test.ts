import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readSbom } from '../read.js';

const bytes = (doc: unknown): Buffer => Buffer.from(JSON.stringify(doc, null, 2));

const BOM = {
  $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
  bomFormat: 'CycloneDX',
  specVersion: '1.6',
  serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
  version: 1,
  metadata: { component: { type: 'application', 'bom-ref': 'app', name: 'shop', version: '2.0.0' } },
  components: [
    {
      type: 'library',
      'bom-ref': 'express',
      group: '',
      name: 'express',
      version: '4.18.2',
      purl: 'pkg:npm/express@4.18.2',
      scope: 'required',
      licenses: [{ license: { id: 'MIT' } }],
      hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }],
      properties: [{ name: 'vigil:ecosystem', value: 'npm' }, { name: 'tool:x', value: '1' }, { name: 'tool:x', value: '2' }],
    },
    {
      type: 'library',
      'bom-ref': 'body-parser',
      name: 'body-parser',
      version: '1.20.1',
      purl: 'pkg:npm/body-parser@1.20.1',
      licenses: [{ expression: 'MIT OR Apache-2.0' }],
      components: [{ type: 'library', 'bom-ref': 'inner', name: 'inner', version: '0.1', purl: 'pkg:maven/org.acme/inner@0.1' }],
    },
    { type: 'library', 'bom-ref': 'jest', name: 'jest', version: '29.0.0', purl: 'pkg:npm/jest@29.0.0', scope: 'excluded', licenses: [{ license: { name: 'Custom licence' } }] },
    { type: 'operating-system', name: 'debian', version: '12', cpe: 'cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*' },
  ],
  dependencies: [
    { ref: 'app', dependsOn: ['express', 'jest'] },
    { ref: 'express', dependsOn: ['body-parser'] },
    { ref: 'body-parser', dependsOn: ['inner', 'express'] },
  ],
};

test('CycloneDX JSON: components, nested components, main component as root, edges', () => {
  const inv = readSbom('sbom/bom.json', bytes(BOM));
  assert.deepEqual(inv.problems, []);
  assert.deepEqual(inv.source, { kind: 'sbom', name: 'shop', version: '2.0.0' });
  assert.deepEqual(inv.files, [{ path: 'sbom/bom.json', reader: 'cyclonedx-json', packages: 5 }]);
  const byName = new Map(inv.packages.map((p) => [p.name, p]));
  assert.deepEqual([...byName.keys()], ['express', 'body-parser', 'org.acme:inner', 'jest', 'debian']);
  const express = byName.get('express')!;
  assert.equal(express.id, 'pkg:npm/express@4.18.2');
  assert.equal(express.version, '4.18.2');
  assert.equal(express.ecosystem, 'npm');
  assert.equal(express.scope, 'prod');
  assert.deepEqual(express.groups, ['required']);
  assert.equal(express.direct, true);
  assert.deepEqual(express.licenses, ['MIT']);
  assert.deepEqual(express.hashes, [{ alg: 'SHA-256', content: 'a'.repeat(64) }]);
  assert.deepEqual(express.properties, { 'tool:x': '1\n2' });
  assert.equal(express.location.file, 'sbom/bom.json');
  // The first line inside the component that holds its name (here the bom-ref, line 18; the object opens on 16).
  assert.equal(express.location.line, 18);
  const inner = byName.get('org.acme:inner')!;
  assert.equal(inner.ecosystem, 'Maven');
  assert.equal(inner.properties?.['vigil:parent'], 'pkg:npm/body-parser@1.20.1');
  assert.equal(inner.direct, false);
  assert.deepEqual(byName.get('body-parser')!.licenses, ['MIT OR Apache-2.0']);
  const jest = byName.get('jest')!;
  assert.equal(jest.scope, 'dev');
  assert.deepEqual(jest.licenses, ['Custom licence']);
  const debian = byName.get('debian')!;
  assert.equal(debian.purl, 'pkg:generic/debian@12');
  assert.equal(debian.ecosystem, '');
  assert.equal(debian.properties?.['vigil:cpe'], 'cpe:2.3:o:debian:debian_linux:12:*:*:*:*:*:*:*');
  assert.equal(debian.properties?.['vigil:component-type'], 'operating-system');
  assert.deepEqual(
    inv.edges.map((e) => `${e.from} > ${e.to}`),
    [
      'root > pkg:npm/express@4.18.2',
      'root > pkg:npm/jest@29.0.0',
      'pkg:npm/express@4.18.2 > pkg:npm/body-parser@1.20.1',
      'pkg:npm/body-parser@1.20.1 > pkg:maven/org.acme/inner@0.1',
      'pkg:npm/body-parser@1.20.1 > pkg:npm/express@4.18.2',
    ],
  );
});

test('a main component with a purl stays a package too (it can have advisories)', () => {
  const doc = { ...BOM, metadata: { component: { type: 'library', 'bom-ref': 'app', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' } } };
  const inv = readSbom('bom.json', bytes(doc));
  const lodash = inv.packages.find((p) => p.name === 'lodash')!;
  assert.equal(lodash.properties?.['vigil:main-component'], 'true');
  assert.equal(lodash.direct, undefined);
  assert.ok(inv.edges.some((e) => e.from === 'root' && e.to === 'pkg:npm/express@4.18.2'));
  assert.ok(!inv.edges.some((e) => e.to === lodash.id || e.from === lodash.id));
});

test('empty documents read as empty inventories; direct is unknown without a graph', () => {
  const inv = readSbom('bom.json', bytes({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: [] }));
  assert.deepEqual(inv.problems, []);
  assert.equal(inv.packages.length, 0);
  assert.equal(inv.source.name, 'bom.json');
  const one = readSbom('bom.json', bytes({ bomFormat: 'CycloneDX', specVersion: '1.4', version: 1, components: [{ type: 'library', name: 'a', version: '1', purl: 'pkg:pypi/a@1' }] }));
  assert.equal(one.packages[0]!.direct, undefined);
  assert.equal(one.packages[0]!.ecosystem, 'PyPI');
});

test('invalid documents are rejected with the JSON pointer, the schema path and the message', () => {
  const doc = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components: [{ type: 'library', name: 'ok' }, { type: 'gadget', name: 'x' }] };
  const inv = readSbom('bom.json', bytes(doc));
  assert.equal(inv.packages.length, 0);
  assert.equal(inv.problems.length, 1);
  const p = inv.problems[0]!;
  assert.equal(p.severity, 'error');
  assert.equal(p.reader, 'cyclonedx-json');
  assert.match(p.message, /CycloneDX 1\.6 document does not match its schema/);
  assert.match(p.message, /\/components\/1\/type: must be equal to one of the allowed values/);
  assert.match(p.message, /\(schema #\/[^)]*\/enum\)/);
});

test('broken, unsupported and hostile input gives one error and no packages', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['broken', Buffer.from('{"bomFormat": "CycloneDX", "specVersion": "1.6", '), /malformed JSON/],
    ['version', bytes({ bomFormat: 'CycloneDX', specVersion: '1.1', version: 1 }), /unsupported CycloneDX spec version "1\.1"/],
    ['latin1', Buffer.concat([Buffer.from('{"bomFormat": "CycloneDX", "x": "'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), /not valid UTF-8/],
    ['deep', Buffer.from(`{"bomFormat": "CycloneDX", "specVersion": "1.6", "x": ${'['.repeat(5000)}${']'.repeat(5000)}}`), /nested deeper/],
    ['array', Buffer.from('{"bomFormat": "CycloneDX"'), /malformed JSON/],
  ];
  for (const [what, input, message] of cases) {
    const inv = readSbom('bom.json', input);
    assert.equal(inv.packages.length, 0, what);
    assert.equal(inv.problems.length, 1, what);
    assert.equal(inv.problems[0]!.severity, 'error', what);
    assert.match(inv.problems[0]!.message, message, what);
  }
  const big = readSbom('bom.json', bytes(BOM), { maxBytes: 100 });
  assert.match(big.problems[0]!.message, /over the 100-byte limit/);
});

test('bad entries are reported as warnings and the rest is kept', () => {
  const doc = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: [
      { type: 'library', 'bom-ref': 'a', name: 'a', version: '1', purl: 'not a purl' },
      { type: 'library', 'bom-ref': 'a', name: 'b', version: '2', purl: 'pkg:npm/b@2' },
      { type: 'library', name: '', version: '3' },
    ],
    dependencies: [{ ref: 'a', dependsOn: ['ghost'] }],
  };
  const inv = readSbom('bom.json', bytes(doc));
  assert.deepEqual(inv.packages.map((p) => p.purl), ['pkg:generic/a@1', 'pkg:npm/b@2']);
  assert.equal(inv.packages[0]!.properties?.['vigil:invalid-purl'], 'not a purl');
  const messages = inv.problems.map((p) => `${p.severity}: ${p.message}`);
  assert.equal(messages.length, 4);
  assert.match(messages[0]!, /^warning: \/components\/0: invalid purl "not a purl"/);
  assert.match(messages[1]!, /^warning: \/components\/1: duplicate reference "a"/);
  assert.match(messages[2]!, /^warning: \/components\/2: component has neither a name nor a purl/);
  assert.match(messages[3]!, /^warning: 1 dependency reference\(s\) name no component in the document \(first: "ghost" at \/dependencies\/0\)/);
});

test('vigil properties written by our own SBOMs restore the model fields', () => {
  const doc = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    components: [
      {
        type: 'library',
        name: 'libssl3',
        version: '3.0.11-1',
        purl: 'pkg:deb/debian/libssl3@3.0.11-1',
        properties: [
          { name: 'vigil:ecosystem', value: 'Debian:12' },
          { name: 'vigil:scope', value: 'optional' },
          { name: 'vigil:groups', value: '["main","extra"]' },
          { name: 'vigil:source-name', value: 'openssl' },
          { name: 'vigil:source-version', value: '3.0.11-1' },
          { name: 'vigil:layer', value: '{"digest":"sha256:abc","index":2,"createdBy":"RUN apt-get"}' },
          { name: 'vigil:commit', value: 'deadbeef' },
          { name: 'vigil:scope-x', value: 'kept' },
          { name: 'vigil:scope', value: 'nonsense' },
        ],
      },
    ],
  };
  const [p] = readSbom('bom.json', bytes(doc)).packages;
  assert.equal(p!.ecosystem, 'Debian:12');
  assert.deepEqual(p!.groups, ['main', 'extra']);
  assert.equal(p!.sourceName, 'openssl');
  assert.equal(p!.sourceVersion, '3.0.11-1');
  assert.deepEqual(p!.layer, { digest: 'sha256:abc', index: 2, createdBy: 'RUN apt-get' });
  assert.equal(p!.commit, 'deadbeef');
  // Two vigil:scope values are joined, which is not a scope: kept as a property instead.
  assert.equal(p!.scope, undefined);
  assert.deepEqual(p!.properties, { 'vigil:scope-x': 'kept', 'vigil:scope': 'optional\nnonsense' });
});
