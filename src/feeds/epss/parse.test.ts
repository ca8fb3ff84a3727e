import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { FeedFile, FeedRecord } from '../types.js';
import { createEpssParser, epssParser } from './index.js';
import { dateInName } from './parse.js';
import { probability } from './schema.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
const file = (name: string, content: string | Uint8Array): FeedFile => ({
  origin: { file: `in/${name}` },
  name,
  bytes: typeof content === 'string' ? Buffer.from(content) : content,
});
const parse = (f: FeedFile, parser = epssParser): FeedRecord[] => [...parser.parse(f)];
/** `kind line id-or-reason` per record: compact and exact. */
const summary = (rs: FeedRecord[]): string[] =>
  rs.map((r) => (r.kind === 'epss' ? `epss ${r.origin.line} ${r.score.cveId} ${r.score.epss} ${r.score.percentile}` : r.kind === 'invalid' ? `invalid ${r.origin.line ?? '-'} ${r.reason}` : r.kind));

const META = '#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000';

test("FIRST's daily file: metadata line, header, rows; bad rows are invalid with their line and the rest go on", () => {
  const rs = parse(file('epss_scores-2099-01-31.csv', fixture('epss_scores-2099-01-31.csv')));
  assert.deepEqual(rs[0], {
    kind: 'epss',
    score: { cveId: 'CVE-1999-0001', epss: 0.01151, percentile: 0.77926, date: '2099-01-30', modelVersion: 'v2025.03.14' },
    origin: { file: 'in/epss_scores-2099-01-31.csv', line: 3 },
  });
  assert.deepEqual(summary(rs), [
    'epss 3 CVE-1999-0001 0.01151 0.77926',
    'epss 4 CVE-2099-0002 0.94518 0.99994',
    'epss 5 CVE-2099-12345 0.00043 0.121',
    'epss 6 CVE-2099-0004 1 1',
    'invalid 7 line 7: percentile is not a number in [0, 1]: "1.2"',
    'invalid 8 line 8: not a CVE id: "not-a-cve"',
    'epss 9 CVE-2099-0007 0 0',
  ]);
  const bad = rs[4]!;
  assert.ok(bad.kind === 'invalid' && bad.feed === 'epss' && bad.recordId === 'CVE-2099-0005');
  assert.ok(rs.every((r) => r.kind !== 'epss' || r.score.date === '2099-01-30'), 'score_date wins over the date in the name');
});

test('a headerless `;` file (EMBA, crawled from the API) needs a date from outside', () => {
  const bytes = fixture('CVE_2099_EPSS.csv');
  assert.deepEqual(summary(parse(file('CVE_2099_EPSS.csv', bytes))), [
    'invalid - no score date: no #score_date line, no YYYY-MM-DD in the file name, and no default date was given',
  ]);
  const rs = parse(file('CVE_2099_EPSS.csv', bytes), createEpssParser({ defaultDate: '2026-08-16' }));
  assert.deepEqual(summary(rs), ['epss 1 CVE-2099-0001 0.0012 0.02168', 'epss 2 CVE-2099-0002 0.00165 0.06124', 'epss 3 CVE-2099-0003 0.00084 0.00002']);
  assert.deepEqual(rs[0]!.kind === 'epss' && rs[0]!.score, { cveId: 'CVE-2099-0001', epss: 0.0012, percentile: 0.02168, date: '2026-08-16', modelVersion: null });
});

test('an older file without the metadata line takes its date from the name, else the default', () => {
  const bytes = fixture('legacy-no-comment.csv');
  const named = parse(file('epss_scores-2022-02-04.csv', bytes));
  assert.deepEqual(named.map((r) => r.kind === 'epss' && [r.score.date, r.score.modelVersion]), [['2022-02-04', null]]);
  assert.equal(parse(file('legacy-no-comment.csv', bytes))[0]!.kind, 'invalid');
  const dated = parse(file('legacy-no-comment.csv', bytes), createEpssParser({ defaultDate: '2021-12-10' }));
  assert.deepEqual(summary(dated), ['epss 2 CVE-2021-44228 0.97565 0.99996']);
});

test('empty input: nothing, a header alone, comments alone', () => {
  const s = (text: string, name = 'epss_scores-2025-08-25.csv') => summary(parse(file(name, text)));
  assert.deepEqual(s(''), ['invalid - input is empty']);
  assert.deepEqual(s('\n\n  \n'), ['invalid - input is empty']);
  assert.deepEqual(s(`${META}\ncve,epss,percentile\n`), [], 'a header alone: no scores, nothing wrong');
  assert.deepEqual(s(`${META}\n`), ['invalid - no header row and no rows']);
});

test('broken rows and headers', () => {
  const rows = [
    'CVE-2025-0001,abc,0.5',
    'CVE-2025-0002,,0.5',
    'CVE-2025-0003,-0.1,0.5',
    'CVE-2025-0004,0x1,0.5',
    'CVE-2025-0005,Infinity,0.5',
    'CVE-2025-0006,NaN,0.5',
    'CVE-2025-0007,0.1',
    'CVE-2025-0008,0.1,0.2,0.3',
    'CVE-25-0009,0.1,0.2',
    'cve-2025-0010,1e-3,.5',
    '',
    '# a comment between rows',
    'CVE-2025-0011, 0.25 ,0.5',
  ];
  const rs = parse(file('epss_scores-2025-08-25.csv', `${META}\ncve,epss,percentile\n${rows.join('\n')}\n`));
  assert.deepEqual(summary(rs), [
    'invalid 3 line 3: epss is not a number in [0, 1]: "abc"',
    'invalid 4 line 4: epss is not a number in [0, 1]: ""',
    'invalid 5 line 5: epss is not a number in [0, 1]: "-0.1"',
    'invalid 6 line 6: epss is not a number in [0, 1]: "0x1"',
    'invalid 7 line 7: epss is not a number in [0, 1]: "Infinity"',
    'invalid 8 line 8: epss is not a number in [0, 1]: "NaN"',
    'invalid 9 line 9: 2 cells, expected 3',
    'invalid 10 line 10: 4 cells, expected 3',
    'invalid 11 line 11: not a CVE id: "CVE-25-0009"',
    'epss 12 CVE-2025-0010 0.001 0.5',
    'epss 15 CVE-2025-0011 0.25 0.5',
  ]);
  const header = (h: string) => summary(parse(file('epss_scores-2025-08-25.csv', `${h}\nCVE-2025-0001,0.1,0.2\n`)));
  assert.deepEqual(header('cve,epss'), ['invalid 1 line 1: the header has no percentile column']);
  assert.deepEqual(header('id,score,rank'), ['invalid 1 line 1: not an EPSS header (expected cve,epss,percentile): "id,score,rank"']);
  assert.deepEqual(summary(parse(file('epss_scores-2025-08-25.csv', '#model_version:v1,score_date:2025-02-30T00:00:00+0000\ncve,epss,percentile\n'))), [
    'invalid 1 metadata: score_date does not start with a YYYY-MM-DD date',
  ]);
  const reordered = parse(file('x.csv', `#score_date:2025-08-25T00:00:00+0000\npercentile,cve,epss\n0.9,CVE-2025-0001,0.1\n`));
  assert.deepEqual(summary(reordered), ['epss 3 CVE-2025-0001 0.1 0.9']);
});

test('hostile input: BOM, CRLF, NUL bytes, a huge line, floods of bad rows, bad UTF-8', () => {
  const crlf = parse(file('epss_scores-2025-08-25.csv', `\ufeff${META}\r\ncve,epss,percentile\r\nCVE-2025-0001,0.1,0.2\r\nCVE-2025-0002\u0000,0.1,0.2\r\nCVE-2025-0003,0.1,0.2\u0000\r\n`));
  assert.deepEqual(summary(crlf), [
    'epss 3 CVE-2025-0001 0.1 0.2',
    'invalid 4 line 4: not a CVE id: "CVE-2025-0002\\u0000"',
    'invalid 5 line 5: percentile is not a number in [0, 1]: "0.2\\u0000"',
  ]);
  const crlfScore = crlf[0]!;
  assert.ok(crlfScore.kind === 'epss' && crlfScore.score.date === '2025-08-25' && crlfScore.score.modelVersion === 'v2025.03.14');

  const huge = parse(file('epss_scores-2025-08-25.csv', `cve,epss,percentile\n${'x'.repeat(5_000_000)}\nCVE-2025-0001,0.1,0.2\n`));
  assert.deepEqual(summary(huge), ['invalid 2 line 2: 5000000 characters, over the 1024-character limit', 'epss 3 CVE-2025-0001 0.1 0.2']);

  const flood = `cve,epss,percentile\n${'bad\n'.repeat(5000)}CVE-2025-0001,0.1,0.2\n`;
  const capped = parse(file('epss_scores-2025-08-25.csv', flood), createEpssParser({ maxInvalidRows: 3 }));
  assert.deepEqual(summary(capped), [
    'invalid 2 line 2: 1 cells, expected 3',
    'invalid 3 line 3: 1 cells, expected 3',
    'invalid 4 line 4: 1 cells, expected 3',
    'epss 5002 CVE-2025-0001 0.1 0.2',
    'invalid - 4997 more invalid rows, not listed one by one (limit 3)',
  ]);

  const proto = parse(file('x.csv', '#__proto__:polluted,constructor:x,score_date:2025-08-25T00:00:00+0000,model_version:v1\ncve,epss,percentile\nCVE-2025-0001,0.1,0.2\n'));
  assert.deepEqual(proto.map((r) => r.kind === 'epss' && [r.score.date, r.score.modelVersion]), [['2025-08-25', 'v1']]);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined, 'metadata keys never reach a prototype');

  const zipped = parse({ origin: { file: 'epss.zip', entry: 'a/epss_scores-2025-08-25.csv' }, name: 'epss_scores-2025-08-25.csv', bytes: Buffer.from('cve,epss,percentile\nCVE-2025-0001,0.1,0.2\n') });
  assert.deepEqual(zipped[0]!.origin, { file: 'epss.zip', entry: 'a/epss_scores-2025-08-25.csv', line: 2 });

  assert.deepEqual(summary(parse(file('epss_scores-2025-08-25.csv', Buffer.from([0x63, 0x76, 0x65, 0xc3, 0x28])))), ['invalid - input is not valid UTF-8']);
  const small = createEpssParser({ maxBytes: 10 });
  assert.deepEqual(summary(parse(file('epss_scores-2025-08-25.csv', 'cve,epss,percentile\n'), small)), ['invalid - input is 20 bytes, over the 10-byte limit']);
  assert.throws(() => createEpssParser({ defaultDate: '2025-13-01' }), /defaultDate must be YYYY-MM-DD/);
});

test('300,000 rows parse in well under the time a quadratic slip would take (a guard, not a benchmark)', () => {
  const rows: string[] = [META, 'cve,epss,percentile'];
  for (let i = 0; i < 300_000; i++) rows.push(`CVE-2024-${10000 + i},0.00${i % 1000},0.${String(i).padStart(6, '0')}`);
  const bytes = Buffer.from(`${rows.join('\n')}\n`);
  const started = performance.now();
  let n = 0;
  for (const r of epssParser.parse(file('epss_scores-2025-08-25.csv', bytes))) if (r.kind === 'epss') n++;
  const ms = performance.now() - started;
  assert.equal(n, 300_000);
  // About 0.3 s on an idle core; the bound leaves room for a loaded CI machine.
  assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
});

test('sniff, dateInName, probability', () => {
  assert.equal(epssParser.sniff('epss_scores-2025-08-25.csv', `${META}\ncve,epss`), true);
  assert.equal(epssParser.sniff('epss_scores-2022-02-04.csv', '\ufeffcve,epss,percentile\n'), true);
  assert.equal(epssParser.sniff('CVE_2021_EPSS.csv', 'CVE-2021-47987;0.001200000;0.021680000\n'), true);
  assert.equal(epssParser.sniff('known_exploited_vulnerabilities.csv', 'cveID,vendorProject,product\n'), false);
  assert.equal(epssParser.sniff('epss.json', 'cve,epss,percentile\n'), false);
  assert.equal(epssParser.sniff('notes.csv', 'CVE-2021-1 is bad\n'), false);
  assert.equal(epssParser.id, 'epss');

  assert.equal(dateInName('epss_scores-2025-08-25.csv'), '2025-08-25');
  assert.equal(dateInName('2025-08-25.csv'), '2025-08-25');
  assert.equal(dateInName('epss_scores-2025-02-30.csv'), null);
  assert.equal(dateInName('epss_scores-12025-08-25.csv'), null);
  assert.equal(dateInName('CVE_2021_EPSS.csv'), null);

  const p: [string, number | null][] = [['0', 0], ['1', 1], ['1.000', 1], ['0.5', 0.5], ['.5', 0.5], ['5e-1', 0.5], [' 0.5 ', 0.5], ['', null], [' ', null], ['1.0001', null], ['-0', null], ['+0.5', null], ['0x1', null], ['0b1', null], ['1_0', null]];
  for (const [s, want] of p) assert.equal(probability(s), want, JSON.stringify(s));
});
