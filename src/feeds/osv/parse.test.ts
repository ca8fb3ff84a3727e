import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Advisory } from '../../core/advisory.js';
import type { FeedFile, FeedRecord } from '../types.js';
import { createOsvParser, osvParser } from './index.js';
import { cvssVersionOf, sniffOsv } from './parse.js';
import { inspectValue } from './read.js';
import { flowDepthExceeds } from '../../core/yaml-input.js';
import { rfc3339ToIso } from './schema.js';

const fixture = (name: string): Buffer => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
const file = (name: string, content: string | Uint8Array): FeedFile => ({
  origin: { file: `in/${name}` },
  name,
  bytes: typeof content === 'string' ? Buffer.from(content) : content,
});
const parseAll = (f: FeedFile): FeedRecord[] => [...osvParser.parse(f)];

function one(f: FeedFile): FeedRecord {
  const records = parseAll(f);
  assert.equal(records.length, 1, 'one file holds one record');
  return records[0]!;
}
function advisory(f: FeedFile): Advisory {
  const r = one(f);
  assert.equal(r.kind, 'advisory', r.kind === 'invalid' ? r.reason : '');
  return r.advisory;
}
function invalid(f: FeedFile): Extract<FeedRecord, { kind: 'invalid' }> {
  const r = one(f);
  assert.equal(r.kind, 'invalid', 'expected an invalid record');
  return r;
}

const minimal = { id: 'GHSA-aaaa-bbbb-cccc', modified: '2024-01-01T00:00:00Z' };
const json = (v: unknown): string => JSON.stringify(v);

test('a GHSA record maps field by field (aliases normalised, CWEs filtered, CVSS unscored)', () => {
  const bytes = fixture('GHSA-demo-cvss3.json');
  const a = advisory(file('GHSA-demo-cvss3.json', bytes));
  const { raw, ...rest } = a;
  assert.deepEqual(raw, JSON.parse(bytes.toString()));
  assert.deepEqual(rest, {
    source: 'osv',
    id: 'GHSA-AbCd-2345-wxyz',
    aliases: ['CVE-2024-0001', 'CVE-2024-0002'],
    related: [],
    title: 'Prototype pollution in demo-lib',
    description: 'demo-lib before 2.0.1 lets a crafted object set properties on Object.prototype.',
    published: '2024-02-28T09:30:00.000Z',
    modified: '2024-03-01T12:00:00.123Z',
    withdrawn: null,
    rejected: false,
    cwes: ['CWE-1321', 'CWE-20'],
    references: [
      { url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-0001', tags: ['ADVISORY'] },
      { url: 'https://github.com/example/demo-lib', tags: ['PACKAGE'] },
    ],
    cvss: [
      { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: null, severity: 'unknown', source: 'osv:GHSA' },
      { version: '4.0', vector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', score: null, severity: 'unknown', source: 'osv:GHSA' },
    ],
    ssvc: [],
    affectedPackages: [
      {
        ecosystem: 'npm',
        name: 'demo-lib',
        purl: 'pkg:npm/demo-lib',
        ranges: [
          {
            type: 'SEMVER',
            // Unsorted, as given: ordering is the matcher's business.
            events: [{ introduced: '1.5.0' }, { fixed: '1.5.3' }, { introduced: '0' }, { fixed: '1.4.9' }, { introduced: '2.0.0' }, { fixed: '2.0.1' }],
          },
        ],
        versions: ['2.0.0'],
        databaseSpecific: { source: 'https://github.com/advisories/GHSA-abcd-2345-wxyz' },
      },
    ],
    affectedProducts: [],
    cpeConfigurations: [],
  });
});

test('a PyPA YAML record: quoted versions stay strings, unquoted timestamps are strings, offsets become UTC', () => {
  const a = advisory(file('PYSEC-demo-aliases.yaml', fixture('PYSEC-demo-aliases.yaml')));
  assert.equal(a.id, 'PYSEC-2099-1');
  assert.deepEqual(a.aliases, ['CVE-2099-0001', 'GHSA-2345-6789-cdef']);
  assert.equal(a.title, null);
  assert.equal(a.description, 'demoweb before 1.4 lets a request path escape the static root.\nFixed in 1.4.');
  assert.equal(a.modified, '2099-01-02T03:04:05.678Z');
  assert.equal(a.published, '2099-01-01T00:00:00.000Z');
  assert.equal(a.withdrawn, '2099-01-31T22:00:00.000Z');
  assert.deepEqual(a.cvss, []);
  assert.deepEqual(a.affectedPackages, [
    {
      ecosystem: 'PyPI',
      name: 'demoweb',
      purl: 'pkg:pypi/demoweb',
      ranges: [
        { type: 'GIT', repo: 'https://github.com/example/demoweb', events: [{ introduced: '0' }, { fixed: '0123456789abcdef0123456789abcdef01234567' }] },
        { type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.4' }] },
      ],
      versions: ['1.0', '1.1.0', '1.10'],
      ecosystemSpecific: { note: 'kept as given' },
    },
  ]);
  assert.deepEqual(a.references, [{ url: 'https://github.com/example/demoweb/commit/0123456789abcdef0123456789abcdef01234567', tags: ['FIX'] }]);
});

test('per-package severity: CVSS vectors collected once each, other types only in raw; related + upstream', () => {
  const a = advisory(file('RHSA-demo-affected-severity.json', fixture('RHSA-demo-affected-severity.json')));
  assert.equal(a.modified, '2099-05-06T05:08:09.000Z');
  assert.deepEqual(a.related, ['CVE-2099-1000', 'CVE-2099-1001', 'CVE-2099-1002']);
  assert.deepEqual(a.cvss, [
    { version: '3.0', vector: 'CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', score: null, severity: 'unknown', source: 'osv:RHSA' },
    { version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:N/A:N', score: null, severity: 'unknown', source: 'osv:RHSA' },
  ]);
  assert.deepEqual(
    a.affectedPackages.map((p) => [p.name, p.purl, p.ranges[0]!.events]),
    [
      ['demo', 'pkg:rpm/redhat/demo', [{ introduced: '0' }, { fixed: '0:1.2-3.el9' }]],
      ['demo-libs', undefined, [{ introduced: '0' }, { last_affected: '0:1.2-2.el9' }]],
    ],
  );
});

test('an affected entry without a package keeps its GIT ranges, named GIT + repository', () => {
  const a = advisory(file('CVE-demo-git-only.json', fixture('CVE-demo-git-only.json')));
  assert.deepEqual(a.affectedPackages, [
    {
      ecosystem: 'GIT',
      name: 'https://github.com/example/demo-c',
      ranges: [
        {
          type: 'GIT',
          repo: 'https://github.com/example/demo-c',
          events: [{ introduced: '0000000000000000000000000000000000000000' }, { limit: '1111111111111111111111111111111111111111' }],
          databaseSpecific: { versions: [{ introduced: '1.0' }] },
        },
      ],
      versions: [],
    },
  ]);
  assert.equal(a.title, null);
});

test('sniff: OSV JSON and YAML by name and head; not CVE 5, schemas, licences or other JSON', () => {
  const yes: [string, string][] = [
    ['GO-2024-0001.json', '{"schema_version":"1.3.1","id":"GO-2024-0001"'],
    ['ALSA-2023:5224.json', '{\n  "id": "ALSA-2023:5224",\n  "summary": "x",\n  "affected": ['],
    ['RUSTSEC-2024-0001.json', '{"id": "RUSTSEC-2024-0001", "modified": "2024-01-01T00:00:00Z"'],
    ['PYSEC-2021-1.yaml', 'id: PYSEC-2021-1\ndetails: x\naffected:\n'],
    ['PYSEC-2021-1.yml', 'id: "PYSEC-2021-1"\nmodified: 2021-01-01T00:00:00Z\n'],
    ['x.yaml', 'affected:\n- package: {}\n'],
    ['bom.json', '\ufeff{"schema_version":"1.6.0"'],
  ];
  const no: [string, string][] = [
    ['LICENSE', 'Creative Commons'],
    ['NOTICES', '{"schema_version"'],
    ['CVE-2024-0001.json', '{"dataType":"CVE_RECORD","cveMetadata":{},"containers":{"cna":{"affected":[]}}}'],
    ['osv-schema.json', '{"$schema":"https://json-schema.org/draft/2020-12/schema","properties":{"affected":{}}}'],
    ['querybatch.json', '{"description":"results","sources":{},"results":[{"query":{},"vuln_ids":["GO-1"]}]}'],
    ['ghsa.json', '{"ghsaId":"GHSA-aaaa-bbbb-cccc","identifiers":[],"updatedAt":"x"}'],
    ['config.yaml', 'id: my-service\nport: 8080\n'],
    ['array.json', '[{"schema_version":"1"}]'],
    ['kev.csv', 'cveID,vendorProject'],
  ];
  for (const [n, h] of yes) assert.equal(sniffOsv(n, h), true, n);
  for (const [n, h] of no) assert.equal(sniffOsv(n, h), false, n);
  assert.equal(osvParser.sniff('GO-1.json', '{"schema_version":"1"}'), true);
  assert.equal(osvParser.id, 'osv');
});

test('invalid records: each names the id, the reason and a JSON pointer', () => {
  const event = (events: unknown[], type = 'SEMVER', extra: object = {}) => json({ ...minimal, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type, events, ...extra }] }] });
  const cases: [string, string, string | null, RegExp, string][] = [
    ['missing modified', json({ id: 'GHSA-aaaa-bbbb-cccc' }), 'GHSA-aaaa-bbbb-cccc', /expected string, received undefined/, '/modified'],
    ['missing id', json({ modified: '2024-01-01T00:00:00Z' }), null, /expected string/, '/id'],
    ['id not OSV-like', json({ ...minimal, id: 'no spaces allowed' }), 'no spaces allowed', /not an OSV id/, '/id'],
    ['date-only timestamp', json({ ...minimal, modified: '2024-01-01' }), 'GHSA-aaaa-bbbb-cccc', /not an RFC 3339 date-time/, '/modified'],
    ['timestamp without zone', json({ ...minimal, published: '2024-01-01T00:00:00' }), 'GHSA-aaaa-bbbb-cccc', /RFC 3339/, '/published'],
    ['impossible day', json({ ...minimal, modified: '2023-02-29T00:00:00Z' }), 'GHSA-aaaa-bbbb-cccc', /RFC 3339/, '/modified'],
    ['aliases not strings', json({ ...minimal, aliases: [1] }), 'GHSA-aaaa-bbbb-cccc', /expected string, received number/, '/aliases/0'],
    ['affected not an array', json({ ...minimal, affected: {} }), 'GHSA-aaaa-bbbb-cccc', /expected array/, '/affected'],
    ['event with no key', event([{ introduced: '0' }, {}]), 'GHSA-aaaa-bbbb-cccc', /exactly one of introduced, fixed, last_affected, limit/, '/affected/0/ranges/0/events/1'],
    ['event with two keys', event([{ introduced: '0', fixed: '1' }]), 'GHSA-aaaa-bbbb-cccc', /exactly one/, '/affected/0/ranges/0/events/0'],
    ['event value not a string', event([{ introduced: 0 }]), 'GHSA-aaaa-bbbb-cccc', /expected string, received number/, '/affected/0/ranges/0/events/0/introduced'],
    ['unknown range type', event([{ introduced: '0' }], 'SEMVAR'), 'GHSA-aaaa-bbbb-cccc', /unknown range type "SEMVAR"/, '/affected/0/ranges/0/type'],
    ['no events', event([]), 'GHSA-aaaa-bbbb-cccc', /at least one event/, '/affected/0/ranges/0/events'],
    ['no introduced', event([{ fixed: '1.0.0' }]), 'GHSA-aaaa-bbbb-cccc', /needs an 'introduced' event/, '/affected/0/ranges/0/events'],
    ['fixed and last_affected', event([{ introduced: '0' }, { fixed: '1' }, { last_affected: '2' }]), 'GHSA-aaaa-bbbb-cccc', /cannot share a range/, '/affected/0/ranges/0/events'],
    ['GIT without repo', event([{ introduced: '0' }], 'GIT'), 'GHSA-aaaa-bbbb-cccc', /GIT range needs a repo/, '/affected/0/ranges/0/repo'],
    ['empty ecosystem', json({ ...minimal, affected: [{ package: { ecosystem: '', name: 'x' } }] }), 'GHSA-aaaa-bbbb-cccc', /empty ecosystem/, '/affected/0/package/ecosystem'],
    ['reference URL', json({ ...minimal, references: [{ type: 'WEB', url: 'not a url' }] }), 'GHSA-aaaa-bbbb-cccc', /not an absolute URI/, '/references/0/url'],
    ['severity twice', json({ ...minimal, severity: [], affected: [{ severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N' }] }] }), 'GHSA-aaaa-bbbb-cccc', /both for the record and/, '/affected/0/severity'],
    ['vector type mismatch', json({ ...minimal, severity: [{ type: 'CVSS_V3', score: 'CVSS:4.0/AV:N/AC:L' }] }), 'GHSA-aaaa-bbbb-cccc', /CVSS_V3 score holds a CVSS 4.0 vector/, '/severity/0/score'],
    ['not a vector', json({ ...minimal, severity: [{ type: 'CVSS_V2', score: '7.5' }] }), 'GHSA-aaaa-bbbb-cccc', /not a CVSS vector: "7.5"/, '/severity/0/score'],
    ['database_specific not an object', json({ ...minimal, database_specific: 'x' }), 'GHSA-aaaa-bbbb-cccc', /expected an object/, '/database_specific'],
    ['top level array', json([minimal]), null, /expected one OSV record \(an object\), got an array/, ''],
  ];
  for (const [what, text, recordId, reason, pointer] of cases) {
    const r = invalid(file('x.json', text));
    assert.equal(r.feed, 'osv', what);
    assert.equal(r.recordId, recordId, what);
    assert.match(r.reason, reason, what);
    assert.equal(r.pointer, pointer, what);
    assert.deepEqual(r.origin, { file: 'in/x.json' }, what);
  }
});

test('lenient where OSV keeps growing: unknown id prefixes, ecosystems, reference and severity types', () => {
  const a = advisory(
    file('x.json', json({
      ...minimal,
      id: 'NEWDB-2025-1',
      affected: [{ package: { ecosystem: 'SomeNewEcosystem:1', name: 'p' }, versions: ['1'] }],
      references: [{ type: 'SOMETHING_NEW', url: 'https://example.org/' }],
      severity: [{ type: 'Ubuntu', score: 'high' }, { type: 'CVSS_V5', score: 'CVSS:5.0/X:Y' }],
      extra_top_level: { kept: 'in raw' },
    })),
  );
  assert.equal(a.id, 'NEWDB-2025-1');
  assert.deepEqual(a.cvss, []);
  assert.deepEqual(a.references, [{ url: 'https://example.org/', tags: ['SOMETHING_NEW'] }]);
  assert.deepEqual((a.raw as Record<string, unknown>)['extra_top_level'], { kept: 'in raw' });
});

test('empty and broken input: one invalid record each, never a throw', () => {
  const cases: [string, string | Uint8Array, RegExp][] = [
    ['e.json', '', /input is empty/],
    ['e.yaml', '', /input is empty/],
    ['e.yaml', '# only a comment\n', /expected one OSV record \(an object\), got null/],
    ['o.json', '{}', /\/id: .*expected string/],
    ['t.json', '{"id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-0', /malformed JSON/],
    ['t.yaml', 'id: PYSEC-1\naffected:\n  - package: [\n', /malformed YAML/],
    ['dup.yaml', 'id: PYSEC-1\nid: PYSEC-2\nmodified: 2024-01-01T00:00:00Z\n', /malformed YAML: (Map keys must be unique|duplicated mapping key)/],
    ['two.yaml', 'id: PYSEC-1\n---\nid: PYSEC-2\n', /malformed YAML: (Source contains multiple documents|expected a single document)/],
    ['s.json', '"just a string"', /got string/],
    ['latin1.json', Buffer.from([0x7b, 0x22, 0xe9, 0x22, 0x7d]), /not valid UTF-8/],
  ];
  for (const [name, content, reason] of cases) {
    const r = invalid(file(name, content));
    assert.match(r.reason, reason, name);
  }
});

test('hostile YAML: the billion laughs is refused quickly by the alias budget', () => {
  const laughs = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
    'id: PYSEC-1',
    'modified: 2024-01-01T00:00:00Z',
  ].join('\n');
  const started = performance.now();
  const r = invalid(file('laughs.yaml', laughs));
  assert.match(r.reason, /YAML refused: Excessive alias count/);
  assert.ok(performance.now() - started < 2000, 'refused without expanding');
});

test('hostile YAML: deep flow nesting is refused before the parser recurses; circular aliases are refused', () => {
  const started = performance.now();
  const deep = invalid(file('deep.yaml', `id: PYSEC-1\nx: ${'['.repeat(200_000)}`));
  assert.match(deep.reason, /YAML flow collections nested deeper than 64 levels/);
  assert.ok(performance.now() - started < 2000);
  assert.match(invalid(file('cycle.yaml', 'id: PYSEC-1\nx: &x\n  y: *x\n')).reason, /nested deeper than 64 levels \(or a circular alias\)/);
  assert.match(invalid(file('bin.yaml', 'id: PYSEC-1\nx: !!binary aGVsbG8=\n')).reason, /\/x: not a JSON value \(Uint8Array|Buffer\)|malformed YAML: unknown tag .*binary/);
  assert.match(invalid(file('nan.yaml', 'id: PYSEC-1\nx: .nan\n')).reason, /\/x: NaN is not a JSON number/);
  assert.match(invalid(file('big.yaml', `id: PYSEC-1\ndetails: ${'x'.repeat(1024 * 1024)}\n`)).reason, /over the 1048576-byte limit/);
});

test('hostile JSON: deep nesting, NUL characters, __proto__ keys, huge values', () => {
  const deep = invalid(file('deep.json', `{"id":"GHSA-1","x":${'['.repeat(1_000_000)}`));
  assert.match(deep.reason, /nested deeper than 64 levels/);
  const nul = invalid(file('nul.json', json({ ...minimal, details: 'a\u0000b' })));
  assert.deepEqual([nul.reason, nul.pointer], ['/details: a string holds a NUL character', '/details']);
  assert.match(invalid(file('nulkey.json', json({ ...minimal, database_specific: { 'k\u0000': 1 } }))).reason, /a key holds a NUL character/);
  assert.match(invalid(file('raw-nul.json', Buffer.from('{"id":"GHSA-1","modified":"2024-01-01T00:00:00Z","x":"\u0000"}'))).reason, /malformed JSON/);

  const hostile = `{"__proto__": {"polluted": "yes", "modified": "1999-01-01T00:00:00Z"}, "id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-01T00:00:00Z",
    "affected": [{"package": {"ecosystem": "npm", "name": "x", "__proto__": {"purl": "pkg:evil"}}, "ecosystem_specific": {"__proto__": {"polluted": 1}}}],
    "database_specific": {"__proto__": {"cwe_ids": ["CWE-1"]}}}`;
  const a = advisory(file('proto.json', hostile));
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined, 'Object.prototype untouched');
  assert.equal(Object.getPrototypeOf(a.raw), Object.prototype);
  assert.equal(a.modified, '2024-01-01T00:00:00.000Z');
  assert.deepEqual(a.cwes, []);
  assert.equal(a.affectedPackages[0]!.purl, undefined);
  const es = a.affectedPackages[0]!.ecosystemSpecific as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(es), Object.prototype);
  assert.ok(Object.hasOwn(es, '__proto__'), 'the key is kept as plain data in raw');

  const yamlProto = advisory(file('proto.yaml', 'id: PYSEC-1\nmodified: 2024-01-01T00:00:00Z\n__proto__:\n  polluted: yes\n'));
  assert.equal(Object.getPrototypeOf(yamlProto.raw), Object.prototype);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);

  const long = advisory(file('long.json', json({ ...minimal, details: 'x'.repeat(5_000_000) })));
  assert.equal(long.description?.length, 5_000_000);
  const small = createOsvParser({ maxBytes: 1000, maxDepth: 8, maxYamlBytes: 1000, maxYamlAliases: 0 });
  const r = [...small.parse(file('long.json', json({ ...minimal, details: 'x'.repeat(2000) })))][0]!;
  assert.ok(r.kind === 'invalid' && /over the 1000-byte limit/.test(r.reason));
  const alias = [...small.parse(file('a.yaml', 'id: PYSEC-1\nmodified: 2024-01-01T00:00:00Z\na: &x 1\nb: *x\n'))][0]!;
  assert.ok(alias.kind === 'invalid' && /alias/i.test(alias.reason), 'maxYamlAliases 0 refuses every alias');
});

test('BOM and CRLF line ends are read like any other input', () => {
  const bom = advisory(file('bom.json', `\ufeff${json(minimal)}`));
  assert.equal(bom.id, 'GHSA-aaaa-bbbb-cccc');
  const crlf = advisory(file('crlf.yaml', '\ufeffid: PYSEC-1\r\nmodified: 2024-01-01T00:00:00Z\r\ndetails: |\r\n  two\r\n  lines\r\n'));
  assert.equal(crlf.description, 'two\nlines\n', 'CR LF read as LF; a literal block keeps its final newline');
});

test('rfc3339ToIso: zone required, any year, normalised to UTC milliseconds', () => {
  const cases: [string, string | null][] = [
    ['2024-01-01T00:00:00Z', '2024-01-01T00:00:00.000Z'],
    ['2024-01-01t00:00:00z', '2024-01-01T00:00:00.000Z'],
    ['2023-06-05T01:13:00.534973Z', '2023-06-05T01:13:00.534Z'],
    ['2026-09-10T03:50:13.740879755Z', '2026-09-10T03:50:13.740Z'],
    ['2024-01-01T00:00:00.5Z', '2024-01-01T00:00:00.500Z'],
    ['2024-01-01T01:30:00+01:30', '2024-01-01T00:00:00.000Z'],
    ['2023-12-31T23:00:00-02:00', '2024-01-01T01:00:00.000Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['0004-02-29T00:00:00Z', '0004-02-29T00:00:00.000Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2023-02-29T12:00:00Z', null],
    ['2024-01-01T24:00:00Z', null],
    ['2024-01-01T00:00:60Z', null],
    ['2024-01-01T00:00:00', null],
    ['2024-01-01 00:00:00Z', null],
    ['2024-01-01', null],
    ['2024-01-01T00:00:00+2400', null],
    ['0000-01-01T00:00:00+01:00', null],
    [`2024-01-01T00:00:00.${'1'.repeat(100)}Z`, null],
  ];
  for (const [s, want] of cases) assert.equal(rfc3339ToIso(s), want, s);
});

test('cvssVersionOf reads the prefix; bare vectors are v2', () => {
  const cases: [string, string | null][] = [
    ['CVSS:3.0/AV:N', '3.0'],
    ['CVSS:3.1/AV:N', '3.1'],
    ['CVSS:4.0/AV:N', '4.0'],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', '2.0'],
    ['CVSS:2.0/AV:N', null],
    ['CVSS:3.2/AV:N', null],
    ['high', null],
    ['', null],
  ];
  for (const [v, want] of cases) assert.equal(cvssVersionOf(v), want, v);
});

test('inspectValue and flowDepthExceeds in isolation', () => {
  assert.equal(inspectValue({ a: [1, 'x', null, true, { b: 2.5 }] }, 4), null);
  assert.deepEqual(inspectValue({ a: [{ b: [[1]] }] }, 4), { reason: 'nested deeper than 4 levels (or a circular alias)', pointer: '/a/0/b/0' });
  assert.deepEqual(inspectValue({ 'a/b~c': ['\u0000'] }, 4), { reason: '/a~1b~0c/0: a string holds a NUL character', pointer: '/a~1b~0c/0' });
  assert.equal(flowDepthExceeds('a: "[[[[[["\nb: [1, [2]]\nc: see [1 # [[[[\n', 2), null);
  assert.equal(typeof flowDepthExceeds('a: [[[', 2), 'number');
  assert.equal(flowDepthExceeds("a: '[[[['\n", 2), null);
});

test('a package-less entry with GIT ranges is named GIT + repository; range database_specific is kept', () => {
  const a = advisory(
    file(
      'OSV-GIT-1.json',
      JSON.stringify({
        schema_version: '1.6.0',
        id: 'OSV-2024-1',
        modified: '2024-01-01T00:00:00Z',
        affected: [
          { ranges: [{ type: 'GIT', repo: 'https://github.com/example/lib', events: [{ introduced: '0' }, { fixed: 'abc123' }], database_specific: { source: 'bisect' } }] },
        ],
      }),
    ),
  );
  const p = a.affectedPackages[0]!;
  assert.equal(p.ecosystem, 'GIT');
  assert.equal(p.name, 'https://github.com/example/lib');
  assert.deepEqual(p.ranges[0]!.databaseSpecific, { source: 'bisect' });
});
