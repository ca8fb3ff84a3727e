import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { ajvFor } from '../validate.js';
import { spdxVersionOf, validateSpdx, type SpdxVersion } from './schema.js';

const MINIMAL = {
  SPDXID: 'SPDXRef-DOCUMENT',
  spdxVersion: 'SPDX-2.3',
  creationInfo: { created: '2024-01-01T00:00:00Z', creators: ['Tool: test'] },
  name: 'doc',
  dataLicense: 'CC0-1.0',
  documentNamespace: 'https://example.com/doc',
  packages: [{ SPDXID: 'SPDXRef-a', name: 'a', downloadLocation: 'NOASSERTION', externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: 'pkg:npm/a@1' }] }],
  relationships: [{ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-a' }],
};

const clone = <T>(v: T): T => structuredClone(v);

test('a minimal document is valid in both versions (2.2 does not require documentNamespace)', () => {
  assert.ok(validateSpdx('2.3', MINIMAL).ok);
  const { documentNamespace: _ns, ...noNamespace } = clone(MINIMAL);
  assert.ok(validateSpdx('2.2', noNamespace).ok);
  assert.ok(!validateSpdx('2.3', noNamespace).ok);
  assert.equal(spdxVersionOf('SPDX-2.2'), '2.2');
  assert.equal(spdxVersionOf('SPDX-3.0'), undefined);
});

test('errors carry the JSON pointer and an ajv-style schema path', () => {
  const cases: [string, (d: typeof MINIMAL) => void, string, string, RegExp][] = [
    ['required', (d) => delete (d.packages[0] as Partial<(typeof d.packages)[0]>).downloadLocation, '/packages/0', '#/properties/packages/items/required', /must have required property 'downloadLocation'/],
    ['enum', (d) => ((d.relationships[0] as { relationshipType: string }).relationshipType = 'LIKES'), '/relationships/0/relationshipType', '#/properties/relationships/items/properties/relationshipType/enum', /allowed values/],
    ['additional', (d) => ((d.packages[0] as Record<string, unknown>)['colour'] = 'red'), '/packages/0', '#/properties/packages/items/additionalProperties', /unexpected property "colour"/],
    ['type', (d) => ((d as Record<string, unknown>)['name'] = 42), '/name', '#/properties/name/type', /must be string/],
    ['minItems', (d) => (d.creationInfo.creators = []), '/creationInfo/creators', '#/properties/creationInfo/properties/creators/minItems', /fewer than 1/],
  ];
  for (const [what, mutate, pointer, schemaPath, message] of cases) {
    const d = clone(MINIMAL);
    mutate(d);
    const r = validateSpdx('2.3', d);
    assert.ok(!r.ok, what);
    if (r.ok) continue;
    assert.equal(r.errors[0]!.pointer, pointer, what);
    assert.equal(r.errors[0]!.schemaPath, schemaPath, what);
    assert.match(r.errors[0]!.message, message, what);
  }
});

/** Documents and mutations of them: the zod validator must agree with ajv on the official schema. */
function mutations(doc: Record<string, unknown>): [string, Record<string, unknown>][] {
  const out: [string, Record<string, unknown>][] = [['as is', doc]];
  const m = (what: string, f: (d: Record<string, unknown>) => void): void => {
    const d = clone(doc);
    try {
      f(d);
      out.push([what, d]);
    } catch {
      // the document lacks the part this mutation changes
    }
  };
  for (const key of ['SPDXID', 'creationInfo', 'dataLicense', 'name', 'spdxVersion', 'documentNamespace']) m(`no ${key}`, (d) => delete d[key]);
  m('extra key', (d) => (d['extra'] = 1));
  m('$schema', (d) => (d['$schema'] = 'https://example.com/schema.json'));
  const pkg = (d: Record<string, unknown>): Record<string, unknown> => (d['packages'] as Record<string, unknown>[])[0]!;
  for (const key of ['SPDXID', 'name', 'downloadLocation', 'versionInfo']) m(`package without ${key}`, (d) => delete pkg(d)[key]);
  m('package extra key', (d) => (pkg(d)['extra'] = true));
  m('filesAnalyzed string', (d) => (pkg(d)['filesAnalyzed'] = 'yes'));
  m('bad purpose', (d) => (pkg(d)['primaryPackagePurpose'] = 'TOY'));
  m('good purpose', (d) => (pkg(d)['primaryPackagePurpose'] = 'LIBRARY'));
  m('underscore category', (d) => ((pkg(d)['externalRefs'] as Record<string, unknown>[])[0]!['referenceCategory'] = 'PACKAGE_MANAGER'));
  m('bad category', (d) => ((pkg(d)['externalRefs'] as Record<string, unknown>[])[0]!['referenceCategory'] = 'MANAGER'));
  m('bad checksum', (d) => (pkg(d)['checksums'] = [{ algorithm: 'CRC32', checksumValue: '0' }]));
  m('checksum extra', (d) => (pkg(d)['checksums'] = [{ algorithm: 'SHA1', checksumValue: '0', x: 1 }]));
  m('bad relationship', (d) => ((d['relationships'] as Record<string, unknown>[])[0]!['relationshipType'] = 'LIKES'));
  m('relationship without target', (d) => delete (d['relationships'] as Record<string, unknown>[])[0]!['relatedSpdxElement']);
  m('file without checksums', (d) => ((d['files'] as Record<string, unknown>[])[0]!['checksums'] = []));
  m('file bad type', (d) => ((d['files'] as Record<string, unknown>[])[0]!['fileTypes'] = ['MOVIE']));
  m('no creators', (d) => ((d['creationInfo'] as Record<string, unknown>)['creators'] = []));
  m('creation extra', (d) => ((d['creationInfo'] as Record<string, unknown>)['tool'] = 'x'));
  m('annotation bad type', (d) => (d['annotations'] = [{ annotationDate: 'x', annotationType: 'NOTE', annotator: 'a', comment: 'c' }]));
  m('licence info without text', (d) => (d['hasExtractedLicensingInfos'] = [{ licenseId: 'LicenseRef-x' }]));
  m('crossRef order float', (d) => (d['hasExtractedLicensingInfos'] = [{ licenseId: 'LicenseRef-x', extractedText: 't', crossRefs: [{ url: 'u', order: 1.5 }] }]));
  m('snippet without ranges', (d) => (d['snippets'] = [{ SPDXID: 'SPDXRef-s', name: 's', snippetFromFile: 'SPDXRef-f', ranges: [] }]));
  m('snippet pointer extra', (d) => (d['snippets'] = [{ SPDXID: 'SPDXRef-s', name: 's', snippetFromFile: 'f', ranges: [{ startPointer: { reference: 'f', offset: 1, x: 1 }, endPointer: { reference: 'f' } }] }]));
  m('null name', (d) => (d['name'] = null));
  m('packages object', (d) => (d['packages'] = {}));
  return out;
}

function jsonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

test('differential: zod validator vs ajv on the official SPDX 2.2 / 2.3 schemas', (t) => {
  const schemaDir = sharedData('sbom', 'spdx', 'schema');
  const sbomDir = sharedData('sbom');
  if (!schemaDir || !sbomDir) return t.skip(skipMessage('sbom/spdx/schema'));
  const official = new Map<SpdxVersion, (d: unknown) => boolean>();
  for (const v of ['2.2', '2.3'] as const) {
    const schema = JSON.parse(readFileSync(join(schemaDir, `spdx-schema-v${v}.json`), 'utf8')) as object;
    const validate = ajvFor(schema).compile(schema);
    official.set(v, (d) => validate(d));
  }
  const docs = jsonFiles(sbomDir)
    .map((f) => ({ f, doc: JSON.parse(readFileSync(f, 'utf8')) as Record<string, unknown> }))
    .filter(({ doc }) => typeof doc['spdxVersion'] === 'string');
  let agree = 0;
  let total = 0;
  const deviations: string[] = [];
  for (const { f, doc } of docs) {
    for (const [what, d] of mutations(doc)) {
      for (const v of ['2.2', '2.3'] as const) {
        total++;
        const ours = validateSpdx(v, d).ok;
        const theirs = official.get(v)!(d);
        if (ours === theirs) agree++;
        else if (v === '2.2' && ours && JSON.stringify(d).match(/"(PACKAGE|PERSISTENT)_[A-Z]+"/)) deviations.push(`${f.slice(sbomDir.length)} (${what})`);
        else assert.fail(`${f} (${what}) as ${v}: zod says ${ours ? 'valid' : 'invalid'}, the official schema ${theirs ? 'valid' : 'invalid'}`);
      }
    }
  }
  t.diagnostic(`zod vs official schema: ${agree}/${total} agree over ${docs.length} documents and their mutations; ${deviations.length} deliberate 2.2 deviations (underscore reference categories)`);
  assert.ok(docs.length >= 20);
  assert.equal(agree + deviations.length, total);
});
