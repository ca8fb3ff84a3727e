import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Advisory } from '../../core/advisory.js';
import type { FeedRecord } from '../types.js';
import { CVE5_LIMITS, createCve5Parser, cve5Parser, parseCve5File, sniffCve5 } from './index.js';

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
const origin = { file: 'test.json' };
const run = (text: string | Uint8Array, limits = CVE5_LIMITS): FeedRecord[] =>
  parseCve5File({ origin, name: 'test.json', bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text }, limits);

function advisoryOf(text: string): Advisory {
  const records = run(text);
  assert.equal(records.length, 1);
  const r = records[0]!;
  if (r.kind !== 'advisory') assert.fail(`expected an advisory, got ${JSON.stringify(r)}`);
  return r.advisory;
}

function invalidOf(text: string | Uint8Array, limits = CVE5_LIMITS) {
  const records = run(text, limits);
  assert.equal(records.length, 1);
  const r = records[0]!;
  if (r.kind !== 'invalid') assert.fail(`expected an invalid record, got ${r.kind}`);
  assert.equal(r.feed, 'cve5');
  assert.deepEqual(r.origin, origin);
  return r;
}

/** Marks an edit that deletes the key. */
const DEL = Symbol('delete');
type Edit = readonly [pointer: string, value: unknown];

/** Sets (or deletes) the value at a JSON pointer, creating nothing on the way. */
function applyEdit(doc: unknown, [pointer, value]: Edit): void {
  const keys = pointer.split('/').slice(1);
  const last = keys.pop()!;
  let at = doc as Record<string, unknown>;
  for (const k of keys) at = at[k] as Record<string, unknown>;
  if (value === DEL) delete at[last];
  else at[last] = value;
}

/** A fixture with edits applied, as JSON text. */
function mutated(edits: readonly Edit[], name = 'published-full.json'): string {
  const rec: unknown = JSON.parse(fixture(name));
  for (const e of edits) applyEdit(rec, e);
  return JSON.stringify(rec);
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

test('published record: every model field, exactly', () => {
  const text = fixture('published-full.json');
  const a = advisoryOf(text);
  assert.equal(a.source, 'cve5');
  assert.equal(a.id, 'CVE-2024-12345');
  assert.deepEqual(a.aliases, []);
  assert.deepEqual(a.related, []);
  assert.equal(a.title, 'Heap overflow in Example Widget image decoder');
  assert.equal(a.description, 'A heap overflow in the image decoder of Example Widget before 2.4.1 allows remote code execution via a crafted PNG file.');
  assert.equal(a.published, '2024-02-03T10:00:00.123Z');
  assert.equal(a.modified, '2024-03-04T10:30:00.000Z', '+02:00 offset normalised to UTC');
  assert.equal(a.withdrawn, null);
  assert.equal(a.rejected, false);
  assert.deepEqual(a.cwes, ['CWE-122', 'CWE-787', 'CWE-20']);
  assert.deepEqual(a.references, [
    { url: 'https://example.com/advisories/2024-001', tags: ['vendor-advisory', 'x_transferred'] },
    { url: 'https://git.example.com/widget/commit/abc123', tags: ['patch'] },
    { url: 'https://mail.example.org/oss-security/2024/1', tags: ['mailing-list', 'x_transferred'] },
  ]);
  assert.deepEqual(a.cvss, [
    { version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', score: null, severity: 'unknown', source: 'cna:ExampleCNA' },
    { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: null, severity: 'unknown', source: 'cna:ExampleCNA' },
    { version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', score: null, severity: 'unknown', source: 'cna:ExampleCNA' },
    { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', score: null, severity: 'unknown', source: 'adp:CISA-ADP' },
  ]);
  assert.deepEqual(a.ssvc, [
    { source: 'adp:CISA-ADP', exploitation: 'poc', automatable: 'yes', technicalImpact: 'total', version: '2.0.3', timestamp: '2024-03-05T07:59:58.123Z', role: 'CISA Coordinator' },
  ]);
  assert.deepEqual(a.affectedPackages, []);
  assert.deepEqual(a.affectedProducts, [
    {
      vendor: 'Example Corp',
      product: 'Example Widget',
      repo: 'https://git.example.com/widget',
      cpes: ['cpe:2.3:a:example:widget:*:*:*:*:*:*:*:*'],
      platforms: ['Linux', 'Windows'],
      defaultStatus: 'unaffected',
      versions: [
        { version: '2.0', status: 'affected', versionType: 'semver', lessThan: '2.4.1' },
        { version: '3.0', status: 'affected', versionType: 'semver', lessThanOrEqual: '3.2', changes: [{ at: '3.1.5', status: 'unaffected' }] },
        { version: '1.9.9', status: 'unknown' },
      ],
      source: 'cna',
    },
    { collectionURL: 'https://registry.npmjs.org', packageName: 'example-widget', cpes: [], platforms: [], defaultStatus: 'affected', versions: [], source: 'cna' },
    {
      vendor: 'example',
      product: 'widget',
      cpes: ['cpe:2.3:a:example:widget:*:*:*:*:*:*:*:*'],
      platforms: [],
      defaultStatus: 'unknown',
      versions: [{ version: '2.0', status: 'affected', versionType: 'custom', lessThan: '2.4.1' }],
      source: 'adp:CISA-ADP',
    },
  ]);
  assert.deepEqual(a.cpeConfigurations, [
    {
      operator: 'AND',
      negate: false,
      nodes: [
        { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:a:example:widget:*:*:*:*:*:*:*:*', versionStartIncluding: '2.0', versionEndExcluding: '2.4.1' }] },
        { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: false, criteria: 'cpe:2.3:o:linux:linux_kernel:-:*:*:*:*:*:*:*' }] },
      ],
      source: 'cna',
    },
  ]);
  assert.deepEqual(a.raw, JSON.parse(text), 'raw is the record as read, unknown fields included');
});

test('rejected record: rejected, withdrawn at dateRejected, reason as description', () => {
  const a = advisoryOf(fixture('rejected.json'));
  assert.equal(a.id, 'CVE-2023-99999');
  assert.equal(a.rejected, true);
  assert.equal(a.withdrawn, '2023-07-01T12:00:00.000Z');
  assert.equal(a.modified, '2023-07-02T00:00:00.000Z');
  assert.equal(a.published, '2023-06-01T00:00:00.000Z');
  assert.equal(a.title, null);
  assert.equal(a.description, 'DO NOT USE THIS CANDIDATE NUMBER. Reason: duplicate of CVE-2023-11111.');
  assert.deepEqual([a.cwes, a.references, a.cvss, a.ssvc, a.affectedProducts, a.cpeConfigurations], [[], [], [], [], [], []]);

  const noDate = advisoryOf(mutated([['/cveMetadata/dateRejected', DEL]], 'rejected.json'));
  assert.equal(noDate.withdrawn, '2023-07-02T00:00:00.000Z', 'falls back to dateUpdated');
});

test('minimal 5.2 record: dates fall back, en_GB description, package-style product', () => {
  const a = advisoryOf(fixture('minimal-5.2.json'));
  assert.equal(a.id, 'CVE-2025-0042');
  assert.equal(a.modified, '2025-01-01T00:00:00.000Z', 'dateReserved when nothing newer');
  assert.equal(a.published, null);
  assert.equal(a.title, null);
  assert.equal(a.description, 'Path traversal in example-pkg.');
  assert.deepEqual(a.affectedProducts, [{ collectionURL: 'https://pypi.python.org', packageName: 'example-pkg', cpes: [], platforms: [], defaultStatus: 'affected', versions: [], source: 'cna' }]);
  assert.deepEqual(a.references, [{ url: 'https://example.org/issue/42', tags: [] }]);

  const pub = advisoryOf(mutated([['/cveMetadata/datePublished', '2025-01-02T00:00:00Z']], 'minimal-5.2.json'));
  assert.equal(pub.modified, '2025-01-02T00:00:00.000Z', 'datePublished before dateReserved');
});

test('CVSS source falls back to the assigner short name, then the org id', () => {
  const noShort = advisoryOf(mutated([['/containers/cna/providerMetadata/shortName', DEL]]));
  assert.equal(noShort.cvss[0]?.source, 'cna:ExampleCNA');
  const neither = advisoryOf(
    mutated([
      ['/containers/cna/providerMetadata/shortName', DEL],
      ['/cveMetadata/assignerShortName', DEL],
    ]),
  );
  assert.equal(neither.cvss[0]?.source, 'cna:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9');
});

test('every timestamp in the model is ISO 8601 UTC', () => {
  for (const f of ['published-full.json', 'rejected.json', 'minimal-5.2.json']) {
    const a = advisoryOf(fixture(f));
    for (const t of [a.published, a.modified, a.withdrawn, ...a.ssvc.map((s) => s.timestamp)]) if (t != null) assert.match(t, ISO_UTC, f);
  }
});

test('empty input', () => {
  assert.deepEqual(invalidOf(''), { kind: 'invalid', feed: 'cve5', origin, recordId: null, reason: 'input is empty', pointer: undefined });
  const obj = invalidOf('{}');
  assert.equal(obj.recordId, null);
  assert.equal(obj.pointer, '/dataType');
  assert.equal(invalidOf('[]').reason, 'not a CVE record: expected a JSON object');
  assert.equal(invalidOf('null').pointer, '');
});

test('broken input: each yields one invalid record with the id, reason and pointer', () => {
  const cases: { name: string; text: string; pointer: string; reason: RegExp }[] = [
    { name: 'descriptions not an array', text: mutated([['/containers/cna/descriptions', 'text']]), pointer: '/containers/cna/descriptions', reason: /expected array/ },
    { name: 'dateUpdated not a date', text: mutated([['/cveMetadata/dateUpdated', 'last tuesday']]), pointer: '/cveMetadata/dateUpdated', reason: /not an RFC 3339 date-time/ },
    { name: 'impossible date', text: mutated([['/cveMetadata/datePublished', '2023-02-30T00:00:00Z']]), pointer: '/cveMetadata/datePublished', reason: /date-time/ },
    { name: 'wrong dataType', text: mutated([['/dataType', 'CVE_REC']]), pointer: '/dataType', reason: /CVE_RECORD/ },
    { name: 'dataVersion 4', text: mutated([['/dataVersion', '4.0']]), pointer: '/dataVersion', reason: /dataVersion/ },
    { name: 'unknown state', text: mutated([['/cveMetadata/state', 'RESERVED']]), pointer: '/cveMetadata/state', reason: /PUBLISHED/ },
    { name: 'no cna', text: mutated([['/containers/cna', DEL]]), pointer: '/containers/cna', reason: /expected object/ },
    { name: 'no English description', text: mutated([['/containers/cna/descriptions', [{ lang: 'de', value: 'nur Deutsch' }]]]), pointer: '/containers/cna/descriptions', reason: /English/ },
    { name: 'published without affected', text: mutated([['/containers/cna/affected', DEL]]), pointer: '/containers/cna/affected', reason: /expected array/ },
    { name: 'reference url not a URI', text: mutated([['/containers/cna/references/1/url', 'not a url']]), pointer: '/containers/cna/references/1/url', reason: /URI/ },
    { name: 'bad CVSS vector', text: mutated([['/containers/cna/metrics/0/cvssV3_1/vectorString', 'CVSS:3.1/AV:X']]), pointer: '/containers/cna/metrics/0/cvssV3_1/vectorString', reason: /CVSS 3.1/ },
    { name: 'vector of another version', text: mutated([['/containers/cna/metrics/1/cvssV2_0/vectorString', 'CVSS:3.1/AV:N']]), pointer: '/containers/cna/metrics/1/cvssV2_0/vectorString', reason: /CVSS 2.0/ },
    { name: 'CVSS version mismatch', text: mutated([['/containers/cna/metrics/0/cvssV3_1/version', '3.0']]), pointer: '/containers/cna/metrics/0/cvssV3_1/version', reason: /3\.1/ },
    { name: 'empty metric', text: mutated([['/containers/cna/metrics/2', { format: 'x' }]]), pointer: '/containers/cna/metrics/2', reason: /a metric needs one of/ },
    { name: 'unknown version status', text: mutated([['/containers/cna/affected/0/versions/0/status', 'vulnerable']]), pointer: '/containers/cna/affected/0/versions/0/status', reason: /affected/ },
    { name: 'range without versionType', text: mutated([['/containers/cna/affected/0/versions/0/versionType', DEL]]), pointer: '/containers/cna/affected/0/versions/0/versionType', reason: /versionType/ },
    { name: 'both range ends', text: mutated([['/containers/cna/affected/0/versions/0/lessThanOrEqual', '2.5']]), pointer: '/containers/cna/affected/0/versions/0/lessThanOrEqual', reason: /both/ },
    { name: 'changes outside a range', text: mutated([['/containers/cna/affected/0/versions/2/changes', [{ at: '2', status: 'affected' }]]]), pointer: '/containers/cna/affected/0/versions/2/changes', reason: /outside a range/ },
    { name: 'product without a name', text: mutated([['/containers/cna/affected/0/vendor', DEL]]), pointer: '/containers/cna/affected/0', reason: /vendor and product/ },
    { name: 'product without versions or defaultStatus', text: mutated([['/containers/cna/affected/1/defaultStatus', DEL]]), pointer: '/containers/cna/affected/1', reason: /versions or defaultStatus/ },
    { name: 'bad cweId', text: mutated([['/containers/adp/0/problemTypes/0/descriptions/1/cweId', 'CWE-ABC']]), pointer: '/containers/adp/0/problemTypes/0/descriptions/1/cweId', reason: /CWE/ },
    { name: 'bad CPE in cpes', text: mutated([['/containers/cna/affected/0/cpes', ['widget']]]), pointer: '/containers/cna/affected/0/cpes/0', reason: /CPE/ },
    { name: 'cpeApplicability node without cpeMatch', text: mutated([['/containers/cna/cpeApplicability/0/nodes/1/cpeMatch', DEL]]), pointer: '/containers/cna/cpeApplicability/0/nodes/1/cpeMatch', reason: /expected array/ },
    { name: 'ADP without providerMetadata', text: mutated([['/containers/adp/1/providerMetadata', DEL]]), pointer: '/containers/adp/1/providerMetadata', reason: /expected object/ },
    { name: 'SSVC options not an array', text: mutated([['/containers/adp/0/metrics/1/other/content/options', 'poc']]), pointer: '/containers/adp/0/metrics/1/other/content/options', reason: /expected array/ },
    { name: 'SSVC timestamp not a date', text: mutated([['/containers/adp/0/metrics/1/other/content/timestamp', 'soon']]), pointer: '/containers/adp/0/metrics/1/other/content/timestamp', reason: /date-time/ },
    { name: 'no dates at all', text: mutated([['/cveMetadata/dateUpdated', DEL], ['/cveMetadata/datePublished', DEL], ['/cveMetadata/dateReserved', DEL]]), pointer: '/cveMetadata', reason: /no modification time/ },
    { name: 'rejected without reasons', text: mutated([['/containers/cna/rejectedReasons', DEL]], 'rejected.json'), pointer: '/containers/cna/rejectedReasons', reason: /expected array/ },
  ];
  for (const c of cases) {
    const r = invalidOf(c.text);
    assert.equal(r.pointer, c.pointer, c.name);
    assert.match(r.reason, c.reason, c.name);
    assert.ok(r.recordId === 'CVE-2024-12345' || r.recordId === 'CVE-2023-99999', c.name);
  }
  assert.equal(invalidOf(mutated([['/cveMetadata/cveId', 'CVE-24-1']])).pointer, '/cveMetadata/cveId');
});

test('broken input: truncated and non-UTF-8 files', () => {
  const text = fixture('published-full.json');
  const cut = invalidOf(text.slice(0, 500));
  assert.match(cut.reason, /^malformed JSON: /);
  assert.equal(cut.recordId, null);
  assert.equal(invalidOf(new Uint8Array([0x7b, 0xc3, 0x28, 0x7d])).reason, 'input is not valid UTF-8');
});

test('hostile: a truncated record at any length gives exactly one record and never throws', () => {
  const text = fixture('published-full.json');
  for (let n = 0; n < text.length; n += 37) {
    const records = run(text.slice(0, n));
    assert.equal(records.length, 1);
    assert.equal(records[0]?.kind, 'invalid');
  }
});

test('hostile: a 10 MB string inside the cap is read; a file over the cap is refused', () => {
  const big = 'A'.repeat(10 * 1024 * 1024);
  const a = advisoryOf(mutated([['/containers/cna/descriptions/2/value', big]]));
  assert.equal(a.description?.length, big.length);

  const over = invalidOf(mutated([['/x_padding', 'B'.repeat(17 * 1024 * 1024)]]));
  assert.match(over.reason, /over the 16777216-byte limit/);
  const small = invalidOf(fixture('rejected.json'), { ...CVE5_LIMITS, maxBytes: 100 });
  assert.match(small.reason, /over the 100-byte limit/);
});

test('hostile: deep nesting is refused before parsing, wherever it is', () => {
  assert.match(invalidOf('['.repeat(100_000)).reason, /nested deeper than 200/);
  assert.match(invalidOf(`${'['.repeat(300)}${']'.repeat(300)}`).reason, /nested deeper than 200/);
  const nested = (d: number) => mutated([['/containers/cna/x_deep', JSON.parse(`${'['.repeat(d)}1${']'.repeat(d)}`)]]);
  assert.match(invalidOf(nested(250)).reason, /nested deeper than 200/);
  assert.equal(advisoryOf(nested(150)).id, 'CVE-2024-12345', 'deep but within the limit is fine');
});

test('hostile: __proto__ keys pollute nothing and change no field', () => {
  const text = mutated([
    ['/x_proto', 1],
    ['/containers/cna/affected/0/versions/0/x', 1],
  ])
    .replace('"x_proto":1', '"__proto__":{"polluted":"root"}')
    .replace('"dataType":"CVE_RECORD"', '"__proto__":{"dataType":"CVE_RECORD","polluted":"yes"},"dataType":"CVE_RECORD"')
    .replace('{"Exploitation":"poc"}', '{"__proto__":{"Exploitation":"active"}},{"Exploitation":"poc"}')
    .replace('"status":"affected","lessThan":"2.4.1","versionType":"semver","x":1', '"status":"affected","lessThan":"2.4.1","versionType":"semver","__proto__":{"status":"unaffected"}');
  assert.ok(text.includes('"__proto__":{"Exploitation"') && text.includes('"__proto__":{"status"') && text.includes('"__proto__":{"polluted":"root"}'));
  const a = advisoryOf(text);
  assert.equal((({}) as Record<string, unknown>)['polluted'], undefined);
  assert.equal(Object.getPrototypeOf(a.raw), Object.prototype);
  assert.equal(Object.hasOwn(a.raw as object, '__proto__'), true, 'raw keeps the key as data');
  assert.equal(a.ssvc[0]?.exploitation, 'poc');
  assert.equal(a.affectedProducts[0]?.versions[0]?.status, 'affected');
  assert.equal(Object.getPrototypeOf(a.affectedProducts[0]?.versions[0]), Object.prototype);
  // A record that is only a __proto__ key is not a record.
  assert.equal(invalidOf('{"__proto__":{"dataType":"CVE_RECORD"}}').pointer, '/dataType');
});

test('cve5Parser: id, sniffing and the FeedParser contract', () => {
  assert.equal(cve5Parser.id, 'cve5');
  const head = fixture('published-full.json').slice(0, 4096);
  assert.equal(sniffCve5('whatever.json', head), true);
  assert.equal(sniffCve5('CVE-2024-3094.json', '{"containers": {}}'), true, 'by cvelistV5 file name');
  assert.equal(sniffCve5('\uFEFFx.json', '\uFEFF  {"dataType": "CVE_RECORD"'), true);
  assert.equal(sniffCve5('CVE-2024-3094.json', '{"resultsPerPage":1,"format":"NVD_CVE"'), false, 'an NVD page saved under a CVE name');
  assert.equal(sniffCve5('CVE-2024-3094.json', '<html>'), false);
  assert.equal(sniffCve5('GHSA-xxxx.json', '{"id": "GHSA-xxxx", "modified": "2024-01-01T00:00:00Z"}'), false);
  assert.equal(sniffCve5('CVE-2024-1234.json', '{"id": "CVE-2024-1234", "modified": "2024-01-01T00:00:00Z", "affected": []}'), false, 'an OSV record named by its CVE id');
  assert.equal(sniffCve5('CVE-2024-1234.json', '{"schema_version": "1.6.0", "id": "CVE-2024-1234"'), false);
  const records = [...createCve5Parser().parse({ origin: { file: 'a.zip', entry: 'x/CVE-2023-99999.json' }, name: 'CVE-2023-99999.json', bytes: Buffer.from(fixture('rejected.json')) })];
  assert.equal(records.length, 1);
  assert.deepEqual(records[0]?.origin, { file: 'a.zip', entry: 'x/CVE-2023-99999.json' });
});
