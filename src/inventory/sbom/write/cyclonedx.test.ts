import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Inventory, Package } from '../../model.js';
import { componentKey, edgeKey, FIXED, SAMPLE, type Loose } from '../__fixtures__/inventory.js';
import { officialValidators } from '../__fixtures__/official-schemas.js';
import { cycloneDxXmlToJson } from '../cyclonedx/xml.js';
import { renderSbom } from '../index.js';
import { readSbom } from '../read.js';
import { validateCycloneDx } from '../validate.js';
import { skipMessage } from '../../../../test/helpers/shared.js';
import { cycloneDxJsonChunks } from './cyclonedx.js';

const json = (inv: Inventory): Record<string, Loose> => JSON.parse(renderSbom(inv, 'cyclonedx', FIXED)) as Record<string, Loose>;

test('CycloneDX JSON: metadata, tool, serial number, timestamp, root', () => {
  const bom = json(SAMPLE);
  assert.equal(bom['bomFormat'], 'CycloneDX');
  assert.equal(bom['specVersion'], '1.6');
  assert.equal(bom['serialNumber'], 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79');
  assert.equal(bom['version'], 1);
  assert.equal(bom['metadata'].timestamp, '2024-05-06T07:08:09.123Z');
  assert.deepEqual(bom['metadata'].tools, { components: [{ type: 'application', name: 'Vigil', version: '9.9.9' }] });
  assert.deepEqual(bom['metadata'].component, { type: 'application', name: 'shop', version: '2.1.0', 'bom-ref': 'root' });
  const props = bom['metadata'].properties as { name: string; value: string }[];
  assert.deepEqual(props.filter((p) => p.name === 'vigil:file').map((p) => p.value), ['package-lock.json (npm-lock, 3 packages)', 'poetry.lock (poetry-lock, 0 packages)']);
  assert.deepEqual(props.filter((p) => p.name === 'vigil:problem').map((p) => p.value), [
    'error: poetry.lock:12: [poetry-lock] expected a [[package]] table',
    'warning: pkg:npm/%40types/node@20.1.0: SHA-1 hash is not a valid SHA-1 value; left out',
    'warning: 1 dependency edge(s) name a package that is not in the inventory; left out',
  ]);
});

test('CycloneDX JSON: one component per package, bom-ref = id, purl as written, licences, hashes, properties', () => {
  const [express, types, libssl, gomod, noVersion] = json(SAMPLE)['components'] as Record<string, Loose>[];
  assert.equal(express!['bom-ref'], 'pkg:npm/express@4.18.2');
  assert.equal(express!.scope, 'required');
  assert.deepEqual(express!.licenses, [{ license: { id: 'MIT' } }]);
  assert.deepEqual(express!.hashes, [{ alg: 'SHA-512', content: '07'.repeat(64) }]);
  assert.deepEqual(express!.properties, [
    { name: 'vigil:ecosystem', value: 'npm' },
    { name: 'vigil:scope', value: 'prod' },
    { name: 'vigil:groups', value: '["dependencies"]' },
    { name: 'vigil:location', value: 'package-lock.json:3' },
  ]);
  assert.equal(types!.scope, 'excluded');
  assert.deepEqual(types!.licenses, [{ expression: 'MIT AND (Apache-2.0 OR BSD-3-Clause)' }]);
  assert.equal(types!.hashes, undefined);
  assert.equal(libssl!.purl, 'pkg:deb/debian/libssl3@3.0.11-1?arch=amd64&distro=debian-12');
  assert.equal(libssl!.cpe, 'cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*');
  assert.deepEqual(libssl!.licenses, [{ license: { name: 'Custom <weird> "licence" & co' } }]);
  assert.ok((libssl!.properties as { name: string }[]).some((p) => p.name === 'vigil:layer'));
  assert.deepEqual(gomod!.licenses, [{ expression: 'LicenseRef-Proprietary' }]);
  assert.equal(noVersion!.version, undefined);
});

test('CycloneDX JSON: dependencies from edges, grouped, deduplicated, unknown ends left out', () => {
  assert.deepEqual(json(SAMPLE)['dependencies'], [
    { ref: 'root', dependsOn: ['pkg:npm/express@4.18.2', 'pkg:npm/%40types/node@20.1.0'] },
    { ref: 'pkg:npm/express@4.18.2', dependsOn: ['pkg:golang/github.com/a/b@v1.0.0'] },
  ]);
});

test('CycloneDX output validates against the official 1.6 schema (JSON, and XML mapped to JSON)', (t) => {
  const official = officialValidators();
  for (const inv of [SAMPLE, { ...SAMPLE, packages: [], edges: [], problems: [], files: [] }]) {
    const doc = json(inv);
    assert.deepEqual(validateCycloneDx('1.6', doc), []);
    const xml = cycloneDxXmlToJson(renderSbom(inv, 'cyclonedx-xml', FIXED));
    assert.ok(xml.ok);
    assert.deepEqual(validateCycloneDx('1.6', xml.doc), []);
    if (!official) continue;
    assert.equal(official.cyclonedx16(doc), undefined);
    assert.equal(official.cyclonedx16(xml.doc), undefined);
  }
  if (!official) t.diagnostic(skipMessage('sbom/cyclonedx/schema (checked against the npm package schema only)'));
});

test('CycloneDX XML: well-formed, escaped, and the same content as the JSON', () => {
  const text = renderSbom(SAMPLE, 'cyclonedx-xml', FIXED);
  assert.match(text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<bom xmlns="http:\/\/cyclonedx\.org\/schema\/bom\/1\.6" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">/);
  assert.match(text, /<name>Custom &lt;weird&gt; "licence" &amp; co<\/name>/);
  assert.match(text, /<property name="note\uFFFD">x ]]&gt; y<\/property>/);
  const xml = cycloneDxXmlToJson(text);
  assert.ok(xml.ok);
  const fromJson = json(SAMPLE);
  // XML cannot carry U+0001 at all: it became U+FFFD there.
  assert.deepEqual(xml.doc.components, JSON.parse(JSON.stringify(fromJson['components']).replaceAll('\\u0001', '\uFFFD')));
  assert.deepEqual(xml.doc.dependencies, fromJson['dependencies']);
});

test('round trips keep components and edges (JSON and XML)', () => {
  for (const format of ['cyclonedx', 'cyclonedx-xml'] as const) {
    const back = readSbom(`out.${format}`, Buffer.from(renderSbom(SAMPLE, format, FIXED)));
    assert.deepEqual(back.problems, [], format);
    assert.deepEqual(componentKey(back), componentKey(SAMPLE), format);
    assert.deepEqual(edgeKey(back), edgeKey({ ...SAMPLE, edges: SAMPLE.edges.filter((e) => e.to !== 'pkg:npm/missing@1') }).filter((v, i, a) => a.indexOf(v) === i), format);
    assert.deepEqual(back.source, { kind: 'sbom', name: 'shop', version: '2.1.0' }, format);
    const libssl = back.packages.find((p) => p.name === 'libssl3')!;
    assert.equal(libssl.ecosystem, 'Debian:12');
    assert.equal(libssl.sourceName, 'openssl');
    assert.deepEqual(libssl.layer, SAMPLE.packages[2]!.layer);
    assert.equal(libssl.properties?.['vigil:location'], 'var/lib/dpkg/status:120');
    const express = back.packages.find((p) => p.name === 'express')!;
    assert.equal(express.scope, 'prod');
    assert.equal(express.direct, true);
    assert.deepEqual(express.groups, ['dependencies']);
    assert.equal(back.packages.find((p) => p.name === 'github.com/a/b')!.commit, 'abc123');
  }
});

test('100,000 packages stream in bounded chunks, in a few seconds', (t) => {
  const N = 100_000;
  const packages: Package[] = [];
  for (let i = 0; i < N; i++) {
    const purl = `pkg:npm/pkg-${i}@1.0.${i}`;
    packages.push({ id: purl, name: `pkg-${i}`, version: `1.0.${i}`, ecosystem: 'npm', purl, location: { file: 'package-lock.json', line: i + 2 }, licenses: ['MIT'], hashes: [{ alg: 'SHA-512', content: Buffer.alloc(64, i).toString('base64') }] });
  }
  const edges = packages.slice(1).map((p, i) => ({ from: packages[i]!.id, to: p.id }));
  const inv: Inventory = { source: { kind: 'directory', name: 'big' }, packages, edges: [{ from: 'root', to: packages[0]!.id }, ...edges], problems: [], files: [] };
  const start = performance.now();
  let chars = 0;
  let chunks = 0;
  let largest = 0;
  for (const chunk of cycloneDxJsonChunks(inv, FIXED)) {
    chars += chunk.length;
    chunks++;
    largest = Math.max(largest, chunk.length);
  }
  const ms = performance.now() - start;
  t.diagnostic(`CycloneDX JSON, ${N} packages: ${(chars / 1e6).toFixed(1)} M characters in ${chunks} chunks (largest ${largest}) in ${ms.toFixed(0)} ms`);
  assert.ok(largest < 256 * 1024, 'chunks stay small: no whole-document copy');
  assert.ok(ms < 30_000, `took ${ms} ms`);
});

test('chunking never changes the text (any chunk size, every format)', () => {
  for (const format of ['cyclonedx', 'cyclonedx-xml', 'spdx'] as const) {
    const whole = renderSbom(SAMPLE, format, FIXED);
    for (const chunkChars of [1, 7, 100, 1000]) assert.equal(renderSbom(SAMPLE, format, { ...FIXED, chunkChars }), whole, `${format} / ${chunkChars}`);
  }
});
