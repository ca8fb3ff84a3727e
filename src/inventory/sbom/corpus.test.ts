import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import type { Inventory } from '../model.js';
import { componentKey, edgeKey, FIXED, type Loose } from './__fixtures__/inventory.js';
import { officialValidators } from './__fixtures__/official-schemas.js';
import { isSbom, renderSbom } from './index.js';
import { readSbom } from './read.js';
import { cycloneDxSchemaDir } from './validate.js';

/**
 * Conformance against the public test data in ../shared/data/sbom (never copied here):
 * the CycloneDX test resources (every valid-* reads, every invalid-* is rejected), the SPDX
 * examples, the osv-scalibr SBOM extractor test data, and round trips of all of them.
 */

const errors = (inv: Inventory): string[] => inv.problems.filter((p) => p.severity === 'error').map((p) => p.message);

function files(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p, keep));
    else if (keep(name)) out.push(p);
  }
  return out;
}

const read = (path: string): Inventory => readSbom(path, readFileSync(path));

test('CycloneDX test resources: valid-* read, invalid-* rejected, per version', (t) => {
  const root = sharedData('sbom', 'cyclonedx', 'test-resources');
  if (!root) return t.skip(skipMessage('sbom/cyclonedx/test-resources'));
  // 1.4–1.6 are the brief; 1.2, 1.3 and 1.7 are read as well (the npm package ships their schemas).
  for (const version of ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7']) {
    const dir = join(root, version);
    let agree = 0;
    let total = 0;
    const wrong: string[] = [];
    for (const name of readdirSync(dir).sort()) {
      if (!name.endsWith('.json') || !(name.startsWith('valid-') || name.startsWith('invalid-'))) continue;
      total++;
      const rejected = errors(read(join(dir, name))).length > 0;
      if (rejected === name.startsWith('invalid-')) agree++;
      else wrong.push(name);
    }
    t.diagnostic(`CycloneDX ${version}: ${agree}/${total} agree${wrong.length ? ` (disagree: ${wrong.join(', ')})` : ''}`);
    assert.deepEqual(wrong, [], version);
  }
});

/** The npm package's schemas are the official ones but for the documented edits. */
test('the CycloneDX schemas loaded from npm match the official files', (t) => {
  const official = sharedData('sbom', 'cyclonedx', 'schema');
  if (!official) return t.skip(skipMessage('sbom/cyclonedx/schema'));
  const normalise = (text: string): unknown => {
    const doc = JSON.parse(text.replaceAll('.SNAPSHOT.', '.')) as Record<string, Loose>;
    delete doc['properties']?.['$schema']?.['enum'];
    if (Array.isArray(doc['required'])) doc['required'] = (doc['required'] as string[]).filter((r) => r !== 'version');
    return JSON.parse(JSON.stringify(doc, (k, v: unknown) => (k === 'format' && v === 'string' ? undefined : v)));
  };
  for (const version of ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7']) {
    const ours = normalise(readFileSync(join(cycloneDxSchemaDir(), `bom-${version}.SNAPSHOT.schema.json`), 'utf8'));
    const theirs = normalise(readFileSync(join(official, `bom-${version}.schema.json`), 'utf8'));
    assert.deepEqual(ours, theirs, version);
  }
});

test('SPDX examples: 2.2 / 2.3 JSON and tag-value read; YAML, RDF and 3.0 are refused as unsupported', (t) => {
  const root = sharedData('sbom', 'spdx');
  if (!root) return t.skip(skipMessage('sbom/spdx'));
  const counts = { read: 0, refused: 0 };
  for (const path of files(root, (n) => /\.(json|spdx|ya?ml)$/.test(n))) {
    if (path.includes('/schema/')) continue;
    const rel = relative(root, path);
    const head = readFileSync(path, 'utf8').slice(0, 4096);
    const inv = read(path);
    if (/spdx3|spdx3\.0|\.ya?ml$/.test(rel) || head.includes('"@context"')) {
      assert.equal(inv.packages.length, 0, rel);
      assert.match(errors(inv)[0] ?? '', /not supported/, rel);
      counts.refused++;
    } else {
      assert.deepEqual(errors(inv), [], rel);
      assert.equal(inv.files[0]!.reader, rel.endsWith('.spdx') ? 'spdx-tag-value' : 'spdx-json', rel);
      counts.read++;
    }
  }
  t.diagnostic(`SPDX examples: ${counts.read} 2.x documents read, ${counts.refused} YAML / 3.0 documents refused as unsupported`);
  assert.ok(counts.read >= 25);
});

/** What the osv-scalibr SBOM extractors' test data should give: purls (sorted), or the error. */
const SCALIBR: Readonly<Record<string, string[] | RegExp>> = {
  'cdx/testdata/sbom.cdx.json': ['pkg:generic/Nginx@1.21.1', 'pkg:generic/openssl@1.1.1'],
  'cdx/testdata/sbom.bom.json': ['pkg:generic/Nginx@1.21.1', 'pkg:generic/openssl@1.1.1'],
  'cdx/testdata/sbom.cdx.xml': ['pkg:generic/Nginx@1.21.1', 'pkg:generic/openssl@1.1.1'],
  'cdx/testdata/sbom.bom.xml': ['pkg:generic/Nginx@1.21.1', 'pkg:generic/openssl@1.1.1'],
  'cdx/testdata/sbom-with-nested-comps.cdx.json': ['pkg:cargo/rustls@0.23.13', 'pkg:generic/Nginx@1.21.1', 'pkg:generic/openssl@1.1.1'],
  'cdx/testdata/invalid_sbom.cdxjson': /not an SBOM/,
  'cdx/testdata/sbom.cdx.json.foo.ext': /not an SBOM/,
  'spdx/testdata/sbom.spdx.json': ['pkg:generic/Nginx', 'pkg:generic/openssl@1.1.1l'],
  'spdx/testdata/sbom.spdx': ['pkg:generic/Nginx', 'pkg:generic/openssl@1.1.1l'],
  'spdx/testdata/purl_and_cpe.spdx.json': ['pkg:generic/nginx@1.21.1', 'pkg:generic/openssl@1.1.1l'],
  'spdx/testdata/minimal.spdx.json': [],
  'spdx/testdata/descendant_of.spdx.json': ['pkg:generic/v1_2_15', 'pkg:maven/log4j/log4j@1.2.15'],
  'spdx/testdata/overlapping_refs.spdx.json': ['pkg:generic/v1_2_15', 'pkg:maven/log4j/log4j@1.2.15'],
  'spdx/testdata/multi_descendant.spdx.json': ['pkg:generic/google/pkg@5.0', 'pkg:generic/v5_arm', 'pkg:generic/x86'],
  'spdx/testdata/independent_packages_descendant.spdx.json': ['pkg:generic/child@1.0.0', 'pkg:generic/parent@2.0.0'],
  'spdx/testdata/dhi/.spdx.python.json': ['pkg:dhi/python@3.14.3'],
  'spdx/testdata/dhi/.spdx.dhi-python.json': ['pkg:docker/dhi/python@3.14.3-debian13-dev?platform=linux%2Famd64&os_name=debian&os_version=13'],
  'spdx/testdata/dhi/.spdx.dhi-pkg-python.json': ['pkg:docker/dhi/pkg-python@3.14.3-debian13?platform=linux%2Famd64&os_name=debian&os_version=13'],
  // A package without the required downloadLocation: invalid, so rejected (osv-scalibr reads it leniently).
  'spdx/testdata/external_refs.spdx.json': /\/packages\/1: must have required property 'downloadLocation'/,
  'spdx/testdata/sbom.spdx.yml': /SPDX YAML documents are not supported/,
  'spdx/testdata/sbom.spdx.rdf': /SPDX RDF\/XML documents are not supported/,
  'spdx/testdata/invalid_sbom.spdx': /named like an SBOM, but the content is not/,
  'spdx/testdata/sbom.spdx.foo.ext': /not an SBOM/,
};

test('osv-scalibr SBOM extractor test data behaves sensibly', (t) => {
  const root = sharedData('sbom', 'osv-scalibr-sbom-extractor-testdata');
  if (!root) return t.skip(skipMessage('sbom/osv-scalibr-sbom-extractor-testdata'));
  let agree = 0;
  for (const [rel, want] of Object.entries(SCALIBR)) {
    const path = join(root, rel);
    const inv = read(path);
    if (want instanceof RegExp) {
      assert.equal(inv.packages.length, 0, rel);
      assert.match(errors(inv).join('\n'), want, rel);
    } else {
      assert.deepEqual(errors(inv), [], rel);
      assert.deepEqual(inv.packages.map((p) => p.purl).sort(), want, rel);
    }
    agree++;
  }
  const all = files(root, () => true).map((p) => relative(root, p));
  assert.deepEqual(all.filter((f) => !(f in SCALIBR)), [], 'every test file has an expectation');
  assert.equal(isSbom('sbom.cdx.json.foo.ext', readFileSync(join(root, 'cdx/testdata/sbom.cdx.json.foo.ext'))), false);
  t.diagnostic(`osv-scalibr SBOM test data: ${agree}/${all.length} files as expected (external_refs.spdx.json rejected as schema-invalid, where osv-scalibr is lenient)`);
});

test('round trips: read → CycloneDX JSON / XML / SPDX → read keep components and edges; output validates', (t) => {
  const root = sharedData('sbom');
  if (!root) return t.skip(skipMessage('sbom'));
  const official = officialValidators();
  const sources = files(root, (n) => /\.(json|xml|spdx)$/.test(n)).filter((p) => !p.includes('/schema/') && !/\/(1\.2|1\.3|1\.7)\/|\/invalid-|skip_/.test(p));
  let trips = 0;
  for (const path of sources) {
    const inv = read(path);
    if (errors(inv).length > 0) continue;
    for (const format of ['cyclonedx', 'cyclonedx-xml', 'spdx'] as const) {
      const text = renderSbom(inv, format, FIXED);
      if (official && format === 'cyclonedx') assert.equal(official.cyclonedx16(JSON.parse(text)), undefined, `${path} as ${format}`);
      if (official && format === 'spdx') assert.equal(official.spdx23(JSON.parse(text)), undefined, `${path} as ${format}`);
      const back = readSbom(`roundtrip.${format}`, Buffer.from(text));
      assert.deepEqual(errors(back), [], `${path} as ${format}`);
      assert.deepEqual(componentKey(back), componentKey(inv), `${path} as ${format}`);
      assert.deepEqual(edgeKey(back), edgeKey(inv), `${path} as ${format}`);
      trips++;
    }
  }
  t.diagnostic(`round trips: ${trips} (documents × 3 formats) kept every component (name, version, purl) and edge`);
  assert.ok(trips > 150);
});
