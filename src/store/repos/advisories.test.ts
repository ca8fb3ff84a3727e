import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Advisory } from '../../core/advisory.js';
import { copyJson, copyText } from '../copy.js';
import { ADVISORY_COLUMNS, prepareAdvisory } from './advisories.js';

// Preparing a row is pure (it runs in the import worker): one serialisation, hashes, a COPY
// line or a JSON object, and whether PostgreSQL could store the record at all.

const advisory = (extra: Partial<Advisory> = {}): Advisory => ({
  source: 'osv',
  id: 'GHSA-aaaa-bbbb-cccc',
  aliases: ['CVE-2024-0001'],
  related: [],
  title: 'A title',
  description: 'A description',
  published: '2024-01-01T00:00:00.000Z',
  modified: '2024-02-01T00:00:00.000Z',
  withdrawn: null,
  rejected: false,
  cwes: [],
  references: [],
  cvss: [],
  ssvc: [],
  affectedPackages: [],
  affectedProducts: [],
  cpeConfigurations: [],
  raw: { id: 'GHSA-aaaa-bbbb-cccc' },
  ...extra,
});

const HOSTILE = ['plain', 'tab\there', 'new\nline', 'cr\r', 'back\\slash', '\\N', '\\.', '"quoted"', '\u2028\u2029', '🐛', '\u001f', 'a\\u0000b', '\\\\'];

test('copyJson escapes JSON.stringify output exactly as copyText does', () => {
  for (const s of HOSTILE) {
    for (const json of [JSON.stringify(s), JSON.stringify({ [s]: [s, { s }] })]) assert.equal(copyJson(json), copyText(json), json);
  }
  assert.equal(copyJson('{"a":1}'), '{"a":1}');
});

test('a COPY line has one field per column, and the same hashes as the JSON row', () => {
  const a = advisory({ title: HOSTILE.join(' '), raw: { note: HOSTILE } });
  const copy = prepareAdvisory(a, 'copy');
  const json = prepareAdvisory(a, 'json');
  assert.equal(copy.contentHash, json.contentHash);
  assert.equal(copy.rawHash, json.rawHash);
  assert.ok(copy.row.endsWith('\n'));
  assert.equal(copy.row.slice(0, -1).split('\t').length, ADVISORY_COLUMNS.split(',').length);
  assert.equal(copy.unstorable, null);
  assert.deepEqual(copy.ids, ['GHSA-AAAA-BBBB-CCCC', 'CVE-2024-0001']);
  const parsed = JSON.parse(json.row) as Record<string, unknown>;
  assert.equal(parsed['title'], a.title);
  assert.deepEqual(parsed['raw'], a.raw);
});

test('records PostgreSQL cannot store are named, with the reason', () => {
  const cases: [string, Partial<Advisory>, RegExp | null][] = [
    ['NUL in the title', { title: 'a\u0000b' }, /NUL character/],
    ['NUL in the source record', { raw: { x: ['\u0000'] } }, /NUL character/],
    ['NUL in a key of the source record', { raw: { 'k\u0000': 1 } }, /NUL character/],
    ['lone high surrogate in the source record', { raw: { x: 'a\ud800b' } }, /unpaired UTF-16 surrogate/],
    ['lone low surrogate at the end', { raw: { x: 'a\udfff' } }, /unpaired UTF-16 surrogate/],
    ['reversed pair', { raw: { x: '\udc00\ud800' } }, /unpaired UTF-16 surrogate/],
    // Storable: a surrogate pair (an emoji), the text `\u0000` and `\ud800` written out, a lone
    // surrogate only in the model (json, unlike jsonb, keeps it; text columns get U+FFFD).
    ['surrogate pair', { raw: { x: '🐛' } }, null],
    ['escaped text', { raw: { x: '\\u0000 \\ud800 \\\\u0000' }, title: '\\u0000' }, null],
    ['lone surrogate in the title only', { title: 'x\ud800' }, null],
  ];
  for (const [name, extra, want] of cases) {
    for (const format of ['copy', 'json'] as const) {
      const got = prepareAdvisory(advisory(extra), format).unstorable;
      if (want === null) assert.equal(got, null, name);
      else assert.match(got ?? '', want, name);
    }
  }
});

test('a long run of backslashes is checked in linear time', () => {
  const a = advisory({ raw: { x: `${'\\'.repeat(2_000_000)}u0000` }, title: '\\'.repeat(1_000_000) });
  const t0 = performance.now();
  assert.equal(prepareAdvisory(a, 'copy').unstorable, null);
  // Linear: ~0.1 s here. A quadratic scan of 2 million characters would take hours, so a
  // generous bound keeps the test meaningful on a loaded CI machine.
  assert.ok(performance.now() - t0 < 15_000);
});
