import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import { fastCve5Record, fastSsvcContent } from './fast.js';
import { publishedRecord, rejectedRecord, ssvcContent } from './schema.js';
import { DELETE, mutate, random } from '../__fixtures__/mutate.js';

// fast.ts must never accept what schema.ts refuses, and must give what schema.ts gives when it
// accepts: checked on the fixtures, the shared corpus, and records broken at random places.

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as unknown;
const FIXTURES = ['minimal-5.2.json', 'published-full.json', 'rejected.json'];

/** What the schema makes of a record: its output, or undefined when it refuses it. */
function bySchema(raw: unknown): unknown {
  const state = (raw as { cveMetadata?: { state?: unknown } } | null)?.cveMetadata?.state;
  const r = (state === 'REJECTED' ? rejectedRecord : publishedRecord).safeParse(raw);
  return r.success ? r.data : undefined;
}

/** Asserts the contract; true when the fast path accepted the record. */
function agrees(raw: unknown, label: string): boolean {
  const fast = fastCve5Record(raw);
  const schema = bySchema(raw);
  if (fast === undefined) return false;
  assert.notEqual(schema, undefined, `${label}: fast.ts accepts what the schema refuses`);
  assert.deepStrictEqual(fast.record, schema, `${label}: fast.ts and the schema give different records`);
  return true;
}

const REPLACEMENTS: readonly unknown[] = [DELETE, null, 0, 1.5, true, '', 'x', 'CVE-2024-1', '2024-02-30T00:00:00Z', '2024-01-01T00:00:00+01:00', [], [''], {}, { lang: 'fr', value: 'x' }, 'en', 'AND', 'ssvc', 'affected', 'CVSS:3.1/AV:N'];

test('fast.ts gives what the schema gives for the fixtures', () => {
  for (const name of FIXTURES) assert.equal(agrees(fixture(name), name), true, `${name} takes the fast path`);
});

test('fast.ts refuses what the schema refuses: hand-made breaks', () => {
  const base = fixture('published-full.json') as Record<string, unknown>;
  const breaks: [string, (d: Record<string, unknown>) => void][] = [
    ['a number for dataVersion', (d) => (d['dataVersion'] = 5)],
    ['dataVersion 4.0', (d) => (d['dataVersion'] = '4.0')],
    ['a bad cveId', (d) => ((d['cveMetadata'] as Record<string, unknown>)['cveId'] = 'CVE-24-1')],
    ['an impossible date', (d) => ((d['cveMetadata'] as Record<string, unknown>)['dateUpdated'] = '2023-02-29T00:00:00Z')],
    ['no affected', (d) => delete ((d['containers'] as Record<string, Record<string, unknown>>)['cna']!)['affected']],
    ['no English description', (d) => ((d['containers'] as Record<string, Record<string, unknown>>)['cna']!['descriptions'] = [{ lang: 'fr', value: 'x' }])],
    ['empty references', (d) => ((d['containers'] as Record<string, Record<string, unknown>>)['cna']!['references'] = [])],
    ['an array for cna', (d) => ((d['containers'] as Record<string, unknown>)['cna'] = [])],
    ['an empty adp list', (d) => ((d['containers'] as Record<string, unknown>)['adp'] = [])],
  ];
  for (const [label, edit] of breaks) {
    const doc = structuredClone(base);
    edit(doc);
    assert.equal(fastCve5Record(doc), undefined, label);
    assert.equal(bySchema(doc), undefined, `${label} (schema)`);
  }
  for (const hostile of [null, [], 'x', 1, { dataType: 'CVE_RECORD' }, { __proto__: { dataType: 'CVE_RECORD' } }]) assert.equal(fastCve5Record(hostile), undefined);
});

test('fastSsvcContent agrees with the schema', () => {
  const cases: unknown[] = [
    { options: [{ Exploitation: 'none' }], version: '2.0.3', timestamp: '2024-02-15T16:46:40.534768Z', role: 'CISA Coordinator' },
    { options: [{ Exploitation: 'none' }], timestamp: '2024-02-15T16:46:40+02:00' },
    { options: [] },
    { options: [{ Exploitation: 1 }] },
    { options: [{ a: 'b' }], timestamp: 'yesterday' },
    { options: [[]] },
    { options: 'x' },
    null,
  ];
  for (const c of cases) {
    const fast = fastSsvcContent(c);
    const schema = ssvcContent.safeParse(c);
    if (fast !== undefined) assert.deepStrictEqual(fast, schema.data, JSON.stringify(c));
    else assert.equal(schema.success, false, `schema accepts what fast.ts refuses: ${JSON.stringify(c)}`);
  }
});

test('fast.ts refuses what the schema refuses: fixtures broken at random places', () => {
  const rnd = random(20240615);
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    const name = FIXTURES[i % FIXTURES.length]!;
    if (agrees(mutate(fixture(name), rnd, REPLACEMENTS), `${name} mutation ${i}`)) accepted++;
  }
  // The mutations must reach both outcomes, or the test proves little.
  assert.ok(accepted > 300 && accepted < 2700, `accepted ${accepted} of 3000`);
});

const root = sharedData('cve5');

function* jsonFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* jsonFiles(p);
    else if (name.endsWith('.json') && name.startsWith('CVE-')) yield p;
  }
}

test('fast.ts on the shared corpus: every record the schema accepts takes the fast path, with the same result', { skip: root ? false : skipMessage('cve5') }, (t) => {
  let fast = 0;
  let schemaOnly = 0;
  let files = 0;
  const rnd = random(7);
  let mutated = 0;
  for (const file of jsonFiles(root!)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    } catch {
      continue;
    }
    files++;
    if (agrees(raw, file)) fast++;
    else if (bySchema(raw) !== undefined) schemaOnly++;
    // Every twentieth record also broken at random places.
    if (files % 20 === 0) for (let i = 0; i < 5; i++, mutated++) agrees(mutate(raw, rnd, REPLACEMENTS), `${file} mutation ${i}`);
  }
  t.diagnostic(`${files} records: ${fast} on the fast path, ${schemaOnly} accepted by the schema only; ${mutated} random breaks checked`);
  assert.ok(files > 0);
  assert.equal(schemaOnly, 0, 'records the schema accepts should not need it (speed)');
});
