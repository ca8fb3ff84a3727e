import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { KevEntry } from '../../core/advisory.js';
import type { FeedFile, FeedRecord } from '../types.js';
import { createKevParser, kevParser } from './index.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
const file = (name: string, content: string | Uint8Array): FeedFile => ({
  origin: { file: `in/${name}` },
  name,
  bytes: typeof content === 'string' ? Buffer.from(content) : content,
});
const parse = (f: FeedFile): FeedRecord[] => [...kevParser.parse(f)];
type Invalid = Extract<FeedRecord, { kind: 'invalid' }>;
const invalids = (rs: FeedRecord[]): Invalid[] => rs.filter((r): r is Invalid => r.kind === 'invalid');
const entries = (rs: FeedRecord[]): KevEntry[] => rs.flatMap((r) => (r.kind === 'kev' ? [r.entry] : []));

const HEADER = 'cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes';
const row = (cve: string, extra = 'Unknown,,'): string => `${cve},V,P,N,2025-01-01,D,A,2025-01-22,${extra}`;

const FIRST: KevEntry = {
  cveId: 'CVE-2099-0001',
  vendorProject: 'Example',
  product: 'Demo Server',
  vulnerabilityName: 'Example Demo Server Path Traversal Vulnerability',
  dateAdded: '2099-01-30',
  shortDescription: 'Demo Server contains a path traversal vulnerability, "quoted", that allows file reads.',
  requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
  dueDate: '2099-02-20',
  knownRansomwareCampaignUse: 'Known',
  notes: 'https://example.org/advisory ; https://nvd.nist.gov/vuln/detail/CVE-2099-0001',
  cwes: ['CWE-22'],
};

test('JSON catalog: entries with the catalog version; a bad entry is invalid and the rest go on', () => {
  const rs = parse(file('known_exploited_vulnerabilities.json', fixture('catalog.json')));
  assert.deepEqual(rs.map((r) => r.kind), ['kev', 'kev', 'invalid']);
  assert.deepEqual(rs[0], { kind: 'kev', entry: FIRST, origin: { file: 'in/known_exploited_vulnerabilities.json' }, catalogVersion: '2099.01.31' });
  assert.deepEqual(entries(rs)[1], {
    cveId: 'CVE-2099-10002',
    vendorProject: 'Example',
    product: 'Legacy Agent',
    vulnerabilityName: 'Example Legacy Agent Remote Code Execution Vulnerability',
    dateAdded: '2099-01-29',
    shortDescription: 'Legacy Agent allows remote code execution.',
    requiredAction: 'Apply updates per vendor instructions.',
    dueDate: '2099-02-19',
    knownRansomwareCampaignUse: 'Unknown',
    notes: '',
    cwes: [],
  });
  assert.deepEqual(invalids(rs), [
    {
      kind: 'invalid',
      origin: { file: 'in/known_exploited_vulnerabilities.json' },
      feed: 'kev',
      recordId: 'CVE-2099-0003',
      reason: '/vulnerabilities/2/dueDate: not a YYYY-MM-DD date',
      pointer: '/vulnerabilities/2/dueDate',
    },
  ]);
});

test('CSV: BOM, CRLF, quoted commas, doubled quotes, a newline in a cell, blank lines; lines are where records start', () => {
  const rs = parse(file('known_exploited_vulnerabilities.csv', fixture('catalog.csv')));
  assert.deepEqual(rs.map((r) => [r.kind, r.origin.line]), [['kev', 2], ['kev', 4], ['invalid', 6], ['invalid', 7], ['kev', 8]]);
  assert.deepEqual(rs[0], { kind: 'kev', entry: FIRST, origin: { file: 'in/known_exploited_vulnerabilities.csv', line: 2 }, catalogVersion: null });
  const legacy = entries(rs)[1]!;
  assert.equal(legacy.requiredAction, 'Apply updates per vendor\r\ninstructions.', 'a quoted cell keeps its line break');
  assert.equal(legacy.knownRansomwareCampaignUse, 'Unknown', "'unknown' normalised");
  assert.deepEqual(entries(rs)[2]!.cwes, ['CWE-79']);
  assert.deepEqual(
    invalids(rs).map((r) => [r.recordId, r.reason]),
    [
      ['CVE-2099-0003', 'line 6: /knownRansomwareCampaignUse: expected Known or Unknown, got "Maybe"'],
      ['CVE-2099-0004', 'line 7: 12 cells, the header has 11'],
    ],
  );
});

test('the JSON and CSV forms of one catalog agree entry for entry', () => {
  const fromJson = entries(parse(file('c.json', fixture('catalog.json'))));
  const fromCsv = entries(parse(file('c.csv', fixture('catalog.csv'))));
  assert.deepEqual(fromCsv[0], fromJson[0]);
});

test('CSV columns in another order, extra columns ignored, optional columns absent', () => {
  const csv = 'dueDate,cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,extra\n2025-02-01,CVE-2025-0001,V,P,N,2025-01-01,D,A,ignored\n';
  const rs = parse(file('k.csv', csv));
  assert.deepEqual(entries(rs), [
    { cveId: 'CVE-2025-0001', vendorProject: 'V', product: 'P', vulnerabilityName: 'N', dateAdded: '2025-01-01', shortDescription: 'D', requiredAction: 'A', dueDate: '2025-02-01', knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: [] },
  ]);
});

test('empty input', () => {
  const one = (name: string, text: string): string[] => parse(file(name, text)).map((r) => (r.kind === 'invalid' ? r.reason : r.kind));
  assert.deepEqual(one('k.json', ''), ['input is empty']);
  assert.deepEqual(one('k.csv', ''), ['input is empty']);
  assert.deepEqual(one('k.csv', '\ufeff\r\n'), ['input is empty']);
  assert.deepEqual(one('k.json', '{}'), ['/vulnerabilities: expected the catalog\'s "vulnerabilities" array']);
  assert.deepEqual(one('k.json', '{"catalogVersion":"1","count":0,"vulnerabilities":[]}'), []);
  assert.deepEqual(one('k.csv', `${HEADER}\r\n`), [], 'a header alone is an empty catalog');
});

test('broken input: truncated JSON, wrong types, a header without the needed columns, a count that does not match', () => {
  const reasons = (name: string, text: string) => invalids(parse(file(name, text))).map((r) => [r.reason, r.pointer ?? null]);
  assert.match(reasons('k.json', '{"vulnerabilities": [{"cveID": "CVE-2025-0001"')[0]![0]!, /^malformed JSON/);
  assert.deepEqual(reasons('k.json', '{"vulnerabilities": {}}'), [['/vulnerabilities: expected the catalog\'s "vulnerabilities" array', '/vulnerabilities']]);
  assert.deepEqual(reasons('k.json', '[]'), [['/: Invalid input: expected object, received array', '']]);
  const entry = { cveID: 'CVE-2025-0001', vendorProject: 'V', product: 'P', vulnerabilityName: 'N', dateAdded: '2025-01-01', shortDescription: 'D', requiredAction: 'A', dueDate: '2025-01-22' };
  assert.deepEqual(reasons('k.json', JSON.stringify({ vulnerabilities: [{ ...entry, cveID: 20250001 }, { ...entry, product: null }, 'x', { ...entry, cveID: 'CVE-25-1' }] })), [
    ['/vulnerabilities/0/cveID: Invalid input: expected string, received number', '/vulnerabilities/0/cveID'],
    ['/vulnerabilities/1/product: Invalid input: expected string, received null', '/vulnerabilities/1/product'],
    ['/vulnerabilities/2: Invalid input: expected object, received string', '/vulnerabilities/2'],
    ['/vulnerabilities/3/cveID: not a CVE id (CVE-YYYY-NNNN)', '/vulnerabilities/3/cveID'],
  ]);
  const meta = parse(file('k.json', JSON.stringify({ catalogVersion: 2025, count: '1', vulnerabilities: [entry] })));
  assert.deepEqual(
    meta.map((r) => (r.kind === 'invalid' ? [r.reason, r.pointer] : [r.kind, r.kind === 'kev' && r.catalogVersion])),
    [
      ['/catalogVersion: Invalid input: expected string, received number', '/catalogVersion'],
      ['/count: Invalid input: expected number, received string', '/count'],
      ['kev', null],
    ],
    'bad catalog metadata is reported on its own; the entries are still read',
  );
  const counted = parse(file('k.json', JSON.stringify({ catalogVersion: 'v', count: 5, vulnerabilities: [entry] })));
  assert.deepEqual(counted.map((r) => r.kind), ['kev', 'invalid']);
  assert.deepEqual(invalids(counted).map((r) => [r.reason, r.pointer]), [['/count: the catalog says 5 entries but holds 1', '/count']]);
  assert.deepEqual(reasons('k.csv', 'cveID,vendorProject,product\nCVE-2025-0001,V,P\n'), [
    ['line 1: the header lacks vulnerabilityName, dateAdded, shortDescription, requiredAction, dueDate', null],
  ]);
  const dup = parse(file('k.json', JSON.stringify({ vulnerabilities: [entry, { ...entry, cveID: 'cve-2025-0001' }] })));
  assert.deepEqual(invalids(dup).map((r) => [r.recordId, r.reason]), [['CVE-2025-0001', '/vulnerabilities/1: CVE-2025-0001 is listed again (first at /vulnerabilities/0)']]);
  const csvDup = parse(file('k.csv', `${HEADER}\n${row('CVE-2025-0001')}\n${row('CVE-2025-0001')}\n`));
  assert.deepEqual(invalids(csvDup).map((r) => r.reason), ['line 3: CVE-2025-0001 is listed again (first at line 2)']);
});

test('hostile input: __proto__ keys and headers, deep nesting, NUL bytes, huge lines, unbalanced quotes', () => {
  const entry = { cveID: 'CVE-2025-0001', vendorProject: 'V', product: 'P', vulnerabilityName: 'N', dateAdded: '2025-01-01', shortDescription: 'D', requiredAction: 'A', dueDate: '2025-01-22' };
  const proto = `{"__proto__": {"catalogVersion": "evil"}, "vulnerabilities": [{"__proto__": {"knownRansomwareCampaignUse": "Known"}, ${JSON.stringify(entry).slice(1)}]}`;
  const rs = parse(file('k.json', proto));
  assert.equal(rs.length, 1);
  assert.ok(rs[0]!.kind === 'kev' && rs[0]!.catalogVersion === null && rs[0]!.entry.knownRansomwareCampaignUse === 'Unknown');
  assert.equal(({} as Record<string, unknown>)['knownRansomwareCampaignUse'], undefined);

  const protoCsv = parse(file('k.csv', `__proto__,${HEADER}\nx,${row('CVE-2025-0002')}\n`));
  assert.deepEqual(protoCsv.map((r) => r.kind), ['kev']);
  assert.equal(Object.getPrototypeOf(protoCsv[0]!.kind === 'kev' && protoCsv[0]!.entry), Object.prototype);

  assert.match(invalids(parse(file('k.json', `{"vulnerabilities":${'['.repeat(100_000)}`)))[0]!.reason, /nested deeper than 16 levels/);

  const nul = parse(file('k.csv', `${HEADER}\n${row('CVE-2025-0003').replace(',P,', ',P\u0000,')}\n${row('CVE-2025-0004')}\n`));
  assert.deepEqual(nul.map((r) => (r.kind === 'invalid' ? r.reason : r.kind)), ['line 2: /product: holds a NUL character', 'kev']);

  const huge = parse(file('k.csv', `${HEADER}\n${row('CVE-2025-0005').replace(',D,', `,"${'d'.repeat(2_000_000)}",`)}\n${row('CVE-2025-0006')}\n`));
  assert.deepEqual(huge.map((r) => [r.kind, r.origin.line]), [['kev', 2], ['kev', 3]]);
  assert.equal(huge[0]!.kind === 'kev' && huge[0]!.entry.shortDescription.length, 2_000_000);

  // An unbalanced quote swallows the rest of the file: that is reported, not dropped silently.
  const open = parse(file('k.csv', `${HEADER}\n${row('CVE-2025-0007')}\n${row('CVE-2025-0008').replace(',D,', ',"D,')}\n${row('CVE-2025-0009')}\n`));
  assert.deepEqual(open.map((r) => r.kind), ['kev', 'invalid']);
  assert.match(invalids(open)[0]!.reason, /^line \d+: unreadable CSV: Quote Not Closed/);

  const limited = createKevParser({ maxBytes: 100, maxDepth: 4 });
  const over = [...limited.parse(file('k.csv', `${HEADER}\n${row('CVE-2025-0010')}\n`))];
  assert.ok(over.length === 1 && over[0]!.kind === 'invalid' && /over the 100-byte limit/.test(over[0]!.reason));
  assert.match(invalids(parse(file('k.csv', Buffer.from([0x63, 0x76, 0x65, 0xff]))))[0]!.reason, /not valid UTF-8/);
});

test('sniff: the JSON catalog and its CSV form, not the schema or EPSS files', () => {
  assert.equal(kevParser.sniff('known_exploited_vulnerabilities.json', '{\n    "title": "CISA Catalog of Known Exploited Vulnerabilities",\n    "catalogVersion": "2025.08.25",'), true);
  assert.equal(kevParser.sniff('kev.json', '\ufeff{"vulnerabilities": [{"cveID": "CVE-2025-1"'), true);
  assert.equal(kevParser.sniff('known_exploited_vulnerabilities.csv', `${HEADER}\r\nCVE-1`), true);
  assert.equal(kevParser.sniff('kev.csv', `\ufeff"cveID","vendorProject","product"\n`), true);
  assert.equal(kevParser.sniff('known_exploited_vulnerabilities_schema.json', '{\n  "$schema": "http://json-schema.org/draft-07/schema#", "properties": {"catalogVersion": {}}'), false);
  assert.equal(kevParser.sniff('epss.csv', 'cve,epss,percentile\n'), false);
  assert.equal(kevParser.sniff('GO-1.json', '{"schema_version":"1.3.1","id":"GO-1"'), false);
  assert.equal(kevParser.sniff('kev.txt', HEADER), false);
  assert.equal(kevParser.id, 'kev');
});
