import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_VEX_LIMITS } from './model.js';
import { readVex } from './read.js';

const onlyError = (r: ReturnType<typeof readVex>): string => {
  assert.deepEqual(r.statements, []);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.severity, 'error');
  return r.problems[0]!.message;
};

test('readVex detects the format from the document', () => {
  assert.equal(readVex('{"@context":"https://openvex.dev/ns/v0.2.0","statements":[]}', 'a').format, 'openvex');
  assert.equal(readVex('\uFEFF{"@context":"https://openvex.dev/ns","statements":[]}', 'a').format, 'openvex');
  assert.equal(readVex('{"bomFormat":"CycloneDX","specVersion":"1.4","vulnerabilities":[]}', 'a').format, 'cyclonedx');
  assert.equal(readVex('{"document":{"category":"csaf_vex","csaf_version":"2.0"},"vulnerabilities":[]}', 'a').format, 'csaf');
});

test('readVex: empty, not JSON, not VEX, XML', () => {
  assert.match(onlyError(readVex('', 'e.json')), /empty/);
  assert.match(onlyError(readVex('  \n ', 'e.json')), /empty/);
  assert.match(onlyError(readVex('{"statements": [', 'b.json')), /malformed JSON/);
  assert.match(onlyError(readVex('[1,2,3]', 'l.json')), /not a VEX document/);
  assert.match(onlyError(readVex('{"spdxVersion":"SPDX-2.3"}', 's.json')), /not a VEX document/);
  assert.match(onlyError(readVex('null', 'n.json')), /not a VEX document/);
  assert.match(onlyError(readVex('"@context"', 'n.json')), /not a VEX document/);
  const notCdx = readVex('<?xml version="1.0"?><html/>', 'v.xml');
  assert.equal(notCdx.format, 'cyclonedx');
  assert.match(onlyError(notCdx), /CycloneDX XML not read: not a CycloneDX XML document/);
  assert.match(onlyError(readVex('<bom xmlns="http://cyclonedx.org/schema/bom/1.6"><a></bom>', 'b.xml')), /malformed XML.*line 1/);
  const entity = '<?xml version="1.0"?><!DOCTYPE bom [<!ENTITY x "y">]><bom xmlns="http://cyclonedx.org/schema/bom/1.6"/>';
  assert.match(onlyError(readVex(entity, 'e.xml')), /DOCTYPE/);
  assert.equal(readVex('', 'e.json').problems[0]!.source, 'e.json');
});

test('readVex: hostile input is refused with a clear error, quickly', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  assert.match(onlyError(readVex(deep, 'deep.json')), /nested deeper than 128 levels/);
  const deepObject = `{"@context":"https://openvex.dev/ns","statements":[${'{"a":'.repeat(200)}1${'}'.repeat(200)}]}`;
  assert.match(onlyError(readVex(deepObject, 'deep.json')), /nested deeper/);
  assert.match(onlyError(readVex('x'.repeat(101), 'big.json', { ...DEFAULT_VEX_LIMITS, maxChars: 100 })), /over the 100 limit/);
  const deepXml = `<bom xmlns="http://cyclonedx.org/schema/bom/1.6">${'<a>'.repeat(50_000)}${'</a>'.repeat(50_000)}</bom>`;
  assert.match(onlyError(readVex(deepXml, 'deep.xml')), /CycloneDX XML not read: malformed XML/);
  // Many statements: capped, with an error, the first ones kept.
  const many = { '@context': 'https://openvex.dev/ns/v0.2.0', statements: Array.from({ length: 50 }, (_, i) => ({ vulnerability: `CVE-2024-${i}`, products: ['pkg:npm/a'], status: 'fixed' })) };
  const capped = readVex(JSON.stringify(many), 'many.json', { ...DEFAULT_VEX_LIMITS, maxStatements: 10 });
  assert.equal(capped.statements.length, 10);
  assert.match(capped.problems.at(-1)!.message, /more than 10 statements/);
  // A large but valid document: 20,000 statements in well under a second or two.
  const big = { '@context': 'https://openvex.dev/ns/v0.2.0', statements: Array.from({ length: 20_000 }, (_, i) => ({ vulnerability: { name: `CVE-2024-${i}` }, products: [{ '@id': `pkg:npm/p${i}@1.0.0` }], status: 'not_affected', justification: 'component_not_present' })) };
  const t0 = performance.now();
  const r = readVex(JSON.stringify(big), 'big.json');
  assert.equal(r.statements.length, 20_000);
  assert.ok(performance.now() - t0 < 5000);
  // Prototype keys are plain data.
  const proto = readVex('{"@context":"https://openvex.dev/ns","statements":[{"__proto__":{"x":1},"vulnerability":"CVE-1","products":["pkg:npm/a"],"status":"fixed"}]}', 'p.json');
  assert.equal(proto.statements.length, 1);
  assert.equal(({} as Record<string, unknown>)['x'], undefined);
});
