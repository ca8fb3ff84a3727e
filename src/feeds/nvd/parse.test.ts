import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Advisory } from '../../core/advisory.js';
import type { FeedRecord } from '../types.js';
import { createNvdParser, NVD_LIMITS, nvdParser, parseNvdFile, sniffNvd } from './index.js';

const pageText = readFileSync(new URL('./__fixtures__/page.json', import.meta.url), 'utf8');
const origin = { file: 'nvd/page-0.json' };
const run = (text: string | Uint8Array, limits = NVD_LIMITS): FeedRecord[] => [
  ...parseNvdFile({ origin, name: 'page-0.json', bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text }, limits),
];

type Json = Record<string, unknown>;
const DEL = Symbol('delete');

/** The fixture page with values set (or deleted) at JSON pointers. */
function page(edits: readonly (readonly [string, unknown])[] = []): string {
  const doc = JSON.parse(pageText) as Json;
  for (const [pointer, value] of edits) {
    const keys = pointer.split('/').slice(1);
    const last = keys.pop()!;
    let at = doc;
    for (const k of keys) at = at[k] as Json;
    if (value === DEL) delete at[last];
    else at[last] = value;
  }
  return JSON.stringify(doc);
}

const vulns = (): unknown[] => (JSON.parse(pageText) as { vulnerabilities: unknown[] }).vulnerabilities;
const pageOf = (vulnerabilities: unknown[]) => JSON.stringify({ ...(JSON.parse(pageText) as Json), vulnerabilities });

function advisories(records: FeedRecord[]): Advisory[] {
  return records.map((r) => {
    if (r.kind !== 'advisory') assert.fail(`expected an advisory, got ${JSON.stringify(r)}`);
    assert.deepEqual(r.origin, origin);
    return r.advisory;
  });
}

/** A page that is not an NVD page at all: exactly one invalid record for the file. */
function fileInvalid(text: string | Uint8Array, limits = NVD_LIMITS) {
  const records = run(text, limits);
  assert.equal(records.length, 1);
  const r = records[0]!;
  if (r.kind !== 'invalid') assert.fail(`expected an invalid record, got ${r.kind}`);
  assert.equal(r.feed, 'nvd');
  assert.equal(r.recordId, null);
  return r;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const unscored = { score: null, severity: 'unknown' } as const;

test('happy page: one advisory per vulnerability, every model field exact', () => {
  const [log4shell, rejected, awaiting] = advisories(run(pageText));
  assert.ok(log4shell && rejected && awaiting);
  assert.equal(log4shell.source, 'nvd');
  assert.equal(log4shell.id, 'CVE-2021-44228');
  assert.deepEqual([log4shell.aliases, log4shell.related, log4shell.ssvc, log4shell.affectedPackages, log4shell.affectedProducts], [[], [], [], [], []]);
  assert.equal(log4shell.title, null);
  assert.equal(log4shell.description, 'Apache Log4j2 JNDI features do not protect against attacker controlled LDAP and other JNDI related endpoints.');
  assert.equal(log4shell.published, '2021-12-10T10:15:09.143Z', 'zone-less NVD time read as UTC');
  assert.equal(log4shell.modified, '2024-04-03T17:15:13.600Z');
  assert.equal(log4shell.withdrawn, null);
  assert.equal(log4shell.rejected, false);
  assert.deepEqual(log4shell.cwes, ['CWE-502', 'CWE-400', 'CWE-20', 'CWE-917'], 'NVD-CWE-Other skipped, repeats dropped');
  assert.deepEqual(log4shell.references, [
    { url: 'https://logging.apache.org/log4j/2.x/security.html', tags: ['Release Notes', 'Vendor Advisory', 'Patch'] },
    { url: 'http://www.openwall.com/lists/oss-security/2021/12/10/1', tags: ['Mailing List', 'Third Party Advisory'] },
    { url: 'https://www.kb.cert.org/vuls/id/930724', tags: [] },
  ]);
  assert.deepEqual(log4shell.cvss, [
    { version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H', ...unscored, source: 'nvd:secondary:security@apache.org' },
    { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', ...unscored, source: 'nvd' },
    { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', ...unscored, source: 'nvd:secondary:security@apache.org' },
    { version: '2.0', vector: 'AV:N/AC:M/Au:N/C:C/I:C/A:C', ...unscored, source: 'nvd' },
  ]);
  assert.deepEqual(log4shell.cpeConfigurations, [
    {
      negate: false,
      nodes: [
        {
          operator: 'OR',
          negate: false,
          cpeMatch: [
            { vulnerable: true, criteria: 'cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*', matchCriteriaId: '03FA5E81-F9C0-403E-8A55-2C8B4A9BA6B7', versionStartIncluding: '2.0.1', versionEndExcluding: '2.3.1' },
            { vulnerable: true, criteria: 'cpe:2.3:a:apache:log4j:2.0:beta9:*:*:*:*:*:*', matchCriteriaId: '17854E42-7063-4A55-BF2A-4C7074CC2D60' },
          ],
        },
      ],
      source: 'nvd',
    },
    {
      operator: 'AND',
      negate: false,
      nodes: [
        { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: true, criteria: 'cpe:2.3:o:siemens:sppa-t3000_ses3000_firmware:*:*:*:*:*:*:*:*', matchCriteriaId: 'D53BA68B-D1A2-4F34-B6D8-4C54B2B4DAD4' }] },
        { operator: 'OR', negate: false, cpeMatch: [{ vulnerable: false, criteria: 'cpe:2.3:h:siemens:sppa-t3000_ses3000:-:*:*:*:*:*:*:*', matchCriteriaId: '7E13C6C5-0F1D-4B3E-8E32-4A5C0C6D1A2B' }] },
      ],
      source: 'nvd',
    },
  ]);
  assert.deepEqual(log4shell.raw, vulns()[0], 'raw is the vulnerability item as read');

  assert.equal(rejected.id, 'CVE-2019-25161');
  assert.equal(rejected.rejected, true);
  assert.equal(rejected.withdrawn, '2024-02-27T10:15:08.007Z', 'NVD gives no rejection date: lastModified');
  assert.match(rejected.description ?? '', /^Rejected reason: /);
  assert.deepEqual([rejected.references, rejected.cvss, rejected.cwes, rejected.cpeConfigurations], [[], [], [], []]);

  assert.equal(awaiting.id, 'CVE-2023-0001');
  assert.deepEqual(awaiting.cwes, [], 'NVD-CWE-noinfo is not a weakness');
  assert.deepEqual([awaiting.cvss, awaiting.cpeConfigurations], [[], []]);
  for (const a of [log4shell, rejected, awaiting]) for (const t of [a.published, a.modified, a.withdrawn]) if (t !== null) assert.match(t, ISO_UTC);
});

test('only nvd@nist.gov Primary metrics are "nvd"', () => {
  const [a] = advisories(
    run(
      page([
        ['/vulnerabilities/0/cve/metrics/cvssMetricV31/0/type', 'Secondary'],
        ['/vulnerabilities/0/cve/metrics/cvssMetricV31/1/type', 'Primary'],
      ]),
    ).slice(0, 1),
  );
  assert.deepEqual(
    a?.cvss.filter((c) => c.version === '3.1').map((c) => c.source),
    ['nvd:secondary:nvd@nist.gov', 'nvd:secondary:security@apache.org'],
  );
});

test('empty input and empty pages', () => {
  assert.deepEqual(fileInvalid(''), { kind: 'invalid', feed: 'nvd', origin, recordId: null, reason: 'input is empty', pointer: undefined });
  const obj = fileInvalid('{}');
  assert.match(obj.reason, /^not an NVD CVE API 2\.0 page: \/format: /);
  assert.equal(obj.pointer, '/format');
  assert.equal(fileInvalid('[]').reason, 'not an NVD CVE API 2.0 page: expected a JSON object');
  assert.deepEqual(run(pageOf([])), [], 'a page with no results has no records');
});

test('broken page: one invalid record for the file', () => {
  assert.match(fileInvalid(pageText.slice(0, 300)).reason, /^malformed JSON: /);
  assert.equal(fileInvalid(page([['/format', 'NVD_CPE']])).pointer, '/format');
  assert.equal(fileInvalid(page([['/version', '1.1']])).pointer, '/version');
  assert.equal(fileInvalid(page([['/vulnerabilities', { cve: {} }]])).pointer, '/vulnerabilities');
  assert.equal(fileInvalid(page([['/resultsPerPage', 'many']])).pointer, '/resultsPerPage');
  const cve5 = fileInvalid('{"dataType":"CVE_RECORD","dataVersion":"5.1","cveMetadata":{},"containers":{}}');
  assert.match(cve5.reason, /not an NVD CVE API 2\.0 page/);
  assert.equal(fileInvalid(new Uint8Array([0x7b, 0xff, 0x7d])).reason, 'input is not valid UTF-8');
});

test('broken vulnerability: an invalid record in its place, the rest of the page still parses', () => {
  const cases: { name: string; edit: readonly [string, unknown]; pointer: string; reason: RegExp }[] = [
    { name: 'descriptions not an array', edit: ['/vulnerabilities/1/cve/descriptions', 'text'], pointer: '/vulnerabilities/1/cve/descriptions', reason: /expected array/ },
    { name: 'lastModified not a date', edit: ['/vulnerabilities/1/cve/lastModified', '27/02/2024'], pointer: '/vulnerabilities/1/cve/lastModified', reason: /date-time/ },
    { name: 'published missing', edit: ['/vulnerabilities/1/cve/published', DEL], pointer: '/vulnerabilities/1/cve/published', reason: /expected string/ },
    { name: 'vulnStatus missing', edit: ['/vulnerabilities/1/cve/vulnStatus', DEL], pointer: '/vulnerabilities/1/cve/vulnStatus', reason: /expected string/ },
    { name: 'id malformed', edit: ['/vulnerabilities/1/cve/id', 'CVE-2019'], pointer: '/vulnerabilities/1/cve/id', reason: /CVE id/ },
    { name: 'reference not a URL', edit: ['/vulnerabilities/1/cve/references', [{ url: 'see vendor site' }]], pointer: '/vulnerabilities/1/cve/references/0/url', reason: /URL/ },
    { name: 'metric type unknown', edit: ['/vulnerabilities/1/cve/metrics', { cvssMetricV31: [{ source: 'x', type: 'Tertiary', cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:N' } }] }], pointer: '/vulnerabilities/1/cve/metrics/cvssMetricV31/0/type', reason: /Primary/ },
    { name: 'vector of another version', edit: ['/vulnerabilities/1/cve/metrics', { cvssMetricV2: [{ source: 'x', type: 'Primary', cvssData: { version: '2.0', vectorString: 'CVSS:3.1/AV:N' } }] }], pointer: '/vulnerabilities/1/cve/metrics/cvssMetricV2/0/cvssData/vectorString', reason: /CVSS 2\.0/ },
    { name: 'configuration node without operator', edit: ['/vulnerabilities/1/cve/configurations', [{ nodes: [{ cpeMatch: [] }] }]], pointer: '/vulnerabilities/1/cve/configurations/0/nodes/0/operator', reason: /AND/ },
    { name: 'criteria not a CPE', edit: ['/vulnerabilities/1/cve/configurations', [{ nodes: [{ operator: 'OR', cpeMatch: [{ vulnerable: true, criteria: 'log4j' }] }] }]], pointer: '/vulnerabilities/1/cve/configurations/0/nodes/0/cpeMatch/0/criteria', reason: /CPE/ },
    { name: 'vulnerability without cve', edit: ['/vulnerabilities/1/cve', DEL], pointer: '/vulnerabilities/1/cve', reason: /expected object/ },
  ];
  for (const c of cases) {
    const records = run(page([c.edit]));
    assert.deepEqual(records.map((r) => r.kind), ['advisory', 'invalid', 'advisory'], c.name);
    const bad = records[1]!;
    if (bad.kind !== 'invalid') assert.fail(c.name);
    assert.equal(bad.pointer, c.pointer, c.name);
    assert.match(bad.reason, c.reason, c.name);
    const id = c.name === 'id malformed' ? 'CVE-2019' : c.name === 'vulnerability without cve' ? null : 'CVE-2019-25161';
    assert.equal(bad.recordId, id, `${c.name}: the id as read, even when malformed`);
  }
  const odd = run(pageOf([null, 42, 'CVE-2024-1', [], ...vulns()]));
  assert.deepEqual(odd.map((r) => r.kind), ['invalid', 'invalid', 'invalid', 'invalid', 'advisory', 'advisory', 'advisory']);
  assert.deepEqual(odd.slice(0, 4).map((r) => (r.kind === 'invalid' ? r.pointer : '')), ['/vulnerabilities/0', '/vulnerabilities/1', '/vulnerabilities/2', '/vulnerabilities/3']);
});

test('hostile: duplicate ids in one page keep the first and report the others', () => {
  const [first, second, third] = vulns();
  const records = run(pageOf([first, second, first, third, first]));
  assert.deepEqual(records.map((r) => r.kind), ['advisory', 'advisory', 'invalid', 'advisory', 'invalid']);
  const dup = records[2]!;
  if (dup.kind !== 'invalid') assert.fail();
  assert.equal(dup.recordId, 'CVE-2021-44228');
  assert.equal(dup.pointer, '/vulnerabilities/2');
  assert.equal(dup.reason, 'CVE-2021-44228 appears again in the page (first at /vulnerabilities/0); this copy was not read');
});

test('hostile: a truncated page at any length never throws', () => {
  for (let n = 0; n < pageText.length; n += 41) {
    const records = run(pageText.slice(0, n));
    assert.equal(records.length, 1);
    assert.equal(records[0]?.kind, 'invalid');
  }
});

test('hostile: a 10 MB string inside the cap is read; a file over the cap is refused', () => {
  const big = 'A'.repeat(10 * 1024 * 1024);
  const [a] = advisories(run(page([['/vulnerabilities/2/cve/descriptions/0/value', big]])).slice(2));
  assert.equal(a?.description?.length, big.length);
  const over = fileInvalid(pageText, { ...NVD_LIMITS, maxBytes: 1024 });
  assert.match(over.reason, /over the 1024-byte limit/);
  const parser = createNvdParser({ ...NVD_LIMITS, maxBytes: 4 * 1024 * 1024 });
  const records = [...parser.parse({ origin, name: 'p.json', bytes: new TextEncoder().encode(page([['/vulnerabilities/2/cve/descriptions/0/value', big]])) })];
  assert.equal(records.length, 1);
  assert.match(records[0]?.kind === 'invalid' ? records[0].reason : '', /over the 4194304-byte limit/);
});

test('hostile: deep nesting is refused before parsing', () => {
  assert.match(fileInvalid('['.repeat(100_000)).reason, /nested deeper than 200/);
  const deep = (d: number) => page([['/vulnerabilities/0/cve/x_deep', JSON.parse(`${'['.repeat(d)}0${']'.repeat(d)}`)]]);
  assert.match(fileInvalid(deep(250)).reason, /nested deeper than 200/);
  assert.equal(run(deep(150)).length, 3);
});

test('hostile: __proto__ keys pollute nothing and change no field', () => {
  const text = pageText
    .replace('"resultsPerPage": 3,', '"__proto__": {"polluted": "page", "format": "NVD_CVE"}, "resultsPerPage": 3,')
    .replace('"id": "CVE-2021-44228",', '"__proto__": {"id": "CVE-0000-0000", "vulnStatus": "Rejected"}, "id": "CVE-2021-44228",')
    .replace('"metrics": {', '"metrics": {"__proto__": {"cvssMetricV31": []},');
  assert.equal(text.split('__proto__').length, 4);
  const [a] = advisories(run(text).slice(0, 1));
  assert.equal((({}) as Record<string, unknown>)['polluted'], undefined);
  assert.equal(a?.id, 'CVE-2021-44228');
  assert.equal(a?.rejected, false);
  assert.equal(a?.cvss.length, 4);
  const rawCve = (a?.raw as { cve: object }).cve;
  assert.equal(Object.hasOwn(rawCve, '__proto__'), true, 'raw keeps the key as data');
  assert.equal(Object.getPrototypeOf(rawCve), Object.prototype);
  // A page that is only a __proto__ key is not a page.
  assert.equal(fileInvalid('{"__proto__":{"format":"NVD_CVE","version":"2.0","vulnerabilities":[]}}').pointer, '/format');
});

test('nvdParser: id, sniffing and the FeedParser contract', () => {
  assert.equal(nvdParser.id, 'nvd');
  assert.equal(sniffNvd('page-0.json', pageText.slice(0, 4096)), true);
  assert.equal(sniffNvd('CVE-2021-44228.json', '{"resultsPerPage":1,"startIndex":0,"totalResults":1,"format":"NVD_CVE"'), true);
  assert.equal(sniffNvd('nvdcve-2.0-2024.json', '{"x": 1'), true, 'NVD 2.0 feed file name');
  assert.equal(sniffNvd('CVE-2024-3094.json', '{"dataType":"CVE_RECORD","dataVersion":"5.1"'), false);
  assert.equal(sniffNvd('nvdcve-1.1-2019.json', '{"CVE_data_type":"CVE","CVE_data_format":"MITRE"'), false, 'the retired 1.1 feeds are another format');
  assert.equal(sniffNvd('page.json', 'vulnerabilities'), false);
  const records = [...nvdParser.parse({ origin, name: 'page-0.json', bytes: Buffer.from(pageText) })];
  assert.equal(records.length, 3);
});
