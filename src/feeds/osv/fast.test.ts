import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import { fastOsvRecord } from './fast.js';
import { DEFAULT_OSV_LIMITS, readOsvValue } from './read.js';
import { osvRecordSchema } from './schema.js';
import { DELETE, mutate, random } from '../__fixtures__/mutate.js';

// fast.ts must never accept what schema.ts refuses, and must give what schema.ts gives when it
// accepts: checked on the fixtures, the shared corpus, and records broken at random places.

type Obj = Record<string, unknown>;
const FIXTURES = ['CVE-demo-git-only.json', 'GHSA-demo-cvss3.json', 'PYSEC-demo-aliases.yaml', 'RHSA-demo-affected-severity.json'];

function read(name: string, bytes: Uint8Array): Obj {
  const r = readOsvValue(name, bytes, DEFAULT_OSV_LIMITS);
  if (!r.ok) assert.fail(`${name}: ${r.problem.reason}`);
  return r.value as Obj;
}
const fixture = (name: string): Obj => read(name, readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)));

/** Asserts the contract; true when the fast path accepted the record. */
function agrees(raw: Obj, label: string): boolean {
  const fast = fastOsvRecord(raw);
  if (fast === undefined) return false;
  const schema = osvRecordSchema.safeParse(raw);
  assert.equal(schema.success, true, `${label}: fast.ts accepts what the schema refuses`);
  assert.deepStrictEqual(fast, schema.data, `${label}: fast.ts and the schema give different records`);
  return true;
}

const REPLACEMENTS: readonly unknown[] = [DELETE, null, 0, true, '', 'x', 'GIT', 'SEMVER', '2024-02-30T00:00:00Z', '2024-01-01T00:00:00', '2024-01-01t00:00:00z', [], [{}], {}, { introduced: '0' }, { fixed: '1' }, { last_affected: '1' }, { type: 'CVSS_V3', score: 'x' }];

test('fast.ts gives what the schema gives for the fixtures', () => {
  for (const name of FIXTURES) assert.equal(agrees(fixture(name), name), true, `${name} takes the fast path`);
});

test('fast.ts refuses what the schema refuses: hand-made breaks', () => {
  const base = fixture('RHSA-demo-affected-severity.json');
  const affected = (d: Obj) => d['affected'] as Obj[];
  const breaks: [string, (d: Obj) => void][] = [
    ['no modified', (d) => delete d['modified']],
    ['modified without a zone', (d) => (d['modified'] = '2024-01-01T00:00:00')],
    ['a bad id', (d) => (d['id'] = 'nodash')],
    ['null related', (d) => (d['related'] = null)],
    ['severity both for the record and a package', (d) => (d['severity'] = [])],
    ['a range without introduced', (d) => ((affected(d)[0]!['ranges'] as Obj[])[0]!['events'] = [{ fixed: '1' }])],
    ['fixed and last_affected in one range', (d) => ((affected(d)[0]!['ranges'] as Obj[])[0]!['events'] = [{ introduced: '0' }, { fixed: '1' }, { last_affected: '1' }])],
    ['an event with two keys', (d) => ((affected(d)[0]!['ranges'] as Obj[])[0]!['events'] = [{ introduced: '0', fixed: '1' }])],
    ['a GIT range without repo', (d) => ((affected(d)[0]!['ranges'] as Obj[])[0]!['type'] = 'GIT')],
    ['an empty package name', (d) => ((affected(d)[0]!['package'] as Obj)['name'] = '')],
    ['a relative reference URL', (d) => ((d['references'] as Obj[])[0]!['url'] = '/errata')],
    ['an array for database_specific', (d) => (d['database_specific'] = [])],
  ];
  for (const [label, edit] of breaks) {
    const doc = structuredClone(base);
    edit(doc);
    assert.equal(fastOsvRecord(doc), undefined, label);
    assert.equal(osvRecordSchema.safeParse(doc).success, false, `${label} (schema)`);
  }
});

test('fast.ts refuses what the schema refuses: fixtures broken at random places', () => {
  const rnd = random(20240615);
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    const name = FIXTURES[i % FIXTURES.length]!;
    if (agrees(mutate(fixture(name), rnd, REPLACEMENTS), `${name} mutation ${i}`)) accepted++;
  }
  assert.ok(accepted > 300 && accepted < 2700, `accepted ${accepted} of 3000`);
});

const root = sharedData('osv');

function* dataFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* dataFiles(p);
    else if (/\.(json|ya?ml)$/i.test(name) && !name.includes('schema')) yield p;
  }
}

test('fast.ts on the shared corpus: every record the schema accepts takes the fast path, with the same result', { skip: root ? false : skipMessage('osv') }, (t) => {
  let files = 0;
  let fast = 0;
  let schemaOnly = 0;
  let mutated = 0;
  const rnd = random(7);
  for (const file of dataFiles(root!)) {
    const r = readOsvValue(basename(file), readFileSync(file), DEFAULT_OSV_LIMITS);
    if (!r.ok || typeof r.value !== 'object' || r.value === null || Array.isArray(r.value)) continue;
    const raw = r.value as Obj;
    files++;
    if (agrees(raw, file)) fast++;
    else if (osvRecordSchema.safeParse(raw).success) schemaOnly++;
    if (files % 20 === 0) for (let i = 0; i < 5; i++, mutated++) agrees(mutate(raw, rnd, REPLACEMENTS), `${file} mutation ${i}`);
  }
  t.diagnostic(`${files} objects: ${fast} on the fast path, ${schemaOnly} accepted by the schema only; ${mutated} random breaks checked`);
  assert.ok(files > 0);
  assert.equal(schemaOnly, 0, 'records the schema accepts should not need it (speed)');
});
