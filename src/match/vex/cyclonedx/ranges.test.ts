import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeFinding } from '../../output/test-fixtures.js';
import { applyVex } from '../apply.js';
import { readVex } from '../read.js';

/** A CycloneDX VEX document about one product (`acme`) and one component (`jd`, jackson-databind). */
function vexDoc(vulnerabilities: unknown[]): string {
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    version: 1,
    metadata: { timestamp: '2024-01-01T00:00:00Z', component: { type: 'application', name: 'Acme App', version: '2.4.0', 'bom-ref': 'acme' } },
    components: [{ type: 'library', name: 'jackson-databind', version: '2.10.0', 'bom-ref': 'jd', purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar' }],
    vulnerabilities,
  });
}

const jackson = (version: string) =>
  makeFinding({
    id: 'CVE-2020-25649',
    aliases: ['GHSA-288c-cq4h-88gq'],
    package: { name: 'com.fasterxml.jackson.core:jackson-databind', version, purl: `pkg:maven/com.fasterxml.jackson.core/jackson-databind@${version}?type=jar`, ecosystem: 'Maven' },
  });

const lodash = (version: string) => makeFinding({ package: { name: 'lodash', version } });

test('CycloneDX VEX ranges, end to end: a component range suppresses exactly the versions inside it', () => {
  const text = vexDoc([
    {
      id: 'CVE-2020-25649',
      analysis: { state: 'not_affected', justification: 'code_not_reachable', detail: 'never deserialises untrusted input' },
      affects: [{ ref: 'jd', versions: [{ range: 'vers:maven/>=2.10.0|<2.10.5.1', status: 'unaffected' }] }],
    },
    { id: 'CVE-2021-23337', analysis: { state: 'resolved' }, affects: [{ ref: 'pkg:npm/lodash', versions: [{ range: 'vers:npm/>=4.17.0|!=4.17.15|<4.17.21' }] }] },
  ]);
  const r = readVex(text, 'vex.json');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.statements.map((s) => [s.vulnerability, s.status, s.products, s.versionRange?.text, s.source]),
    [
      ['CVE-2020-25649', 'not_affected', ['pkg:maven/com.fasterxml.jackson.core/jackson-databind?type=jar', 'jd'], 'vers:maven/>=2.10.0|<2.10.5.1', 'vex.json#/vulnerabilities/0/affects/0/versions/0'],
      ['CVE-2021-23337', 'fixed', ['pkg:npm/lodash'], 'vers:npm/>=4.17.0|!=4.17.15|<4.17.21', 'vex.json#/vulnerabilities/1/affects/0/versions/0'],
    ],
  );
  const cases: [ReturnType<typeof makeFinding>, boolean][] = [
    [jackson('2.9.10'), false],
    [jackson('2.10.0'), true],
    [jackson('2.10.5'), true],
    [jackson('2.10.5.1'), false],
    [jackson('2.11.0'), false],
    [lodash('4.16.6'), false],
    [lodash('4.17.0'), true],
    [lodash('4.17.15'), false],
    [lodash('4.17.20'), true],
    [lodash('4.17.21'), false],
  ];
  const applied = applyVex(
    cases.map(([f]) => f),
    r.statements,
  );
  assert.deepEqual(
    applied.findings.map((f) => `${f.package.version}:${f.suppression?.status ?? 'open'}`),
    cases.map(([f, want]) => `${f.package.version}:${want ? (f.id === 'CVE-2020-25649' ? 'not_affected' : 'fixed') : 'open'}`),
  );
  assert.deepEqual(applied.findings[1]!.suppression, {
    kind: 'vex',
    status: 'not_affected',
    justification: 'code_not_reachable',
    reason: 'never deserialises untrusted input',
    source: 'vex.json#/vulnerabilities/0/affects/0/versions/0',
  });
  assert.deepEqual(applied.problems, []);
});

test('CycloneDX VEX ranges: per-version status against the analysis, for the product', () => {
  const text = vexDoc([
    {
      id: 'CVE-2024-1',
      analysis: { state: 'exploitable', detail: 'upgrade to 3.0' },
      affects: [
        {
          ref: 'acme',
          versions: [
            { range: 'vers:semver/>=2.0.0|<3.0.0', status: 'affected' },
            { range: 'vers:semver/<2.0.0', status: 'unaffected' },
            { version: '3.0.0', status: 'unaffected' },
            { version: '3.1.0', status: 'unaffected' },
            { range: 'vers:semver/>=4.0.0', status: 'unknown' },
            { version: '2.4.0' },
          ],
        },
      ],
    },
  ]);
  const r = readVex(text, 'p.json');
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.statements.map((s) => [s.status, s.originalStatus ?? null, s.versionRange?.text ?? null, s.products, s.source]),
    [
      ['affected', 'exploitable', 'vers:semver/>=2.0.0|<3.0.0', ['acme', 'Acme App'], 'p.json#/vulnerabilities/0/affects/0/versions/0'],
      ['not_affected', 'unaffected', 'vers:semver/<2.0.0', ['acme', 'Acme App'], 'p.json#/vulnerabilities/0/affects/0/versions/1'],
      ['not_affected', 'unaffected', null, ['Acme App@3.0.0', 'Acme App@3.1.0'], 'p.json#/vulnerabilities/0/affects/0/versions/2'],
      ['under_investigation', 'unknown', 'vers:semver/>=4.0.0', ['acme', 'Acme App'], 'p.json#/vulnerabilities/0/affects/0/versions/4'],
      ['affected', 'exploitable', null, ['Acme App@2.4.0'], 'p.json#/vulnerabilities/0/affects/0'],
    ],
  );
  assert.equal(r.statements[1]!.justification, undefined);
  assert.match(r.statements[1]!.impact ?? '', /version range "vers:semver\/<2.0.0" listed as unaffected/);
  const any = makeFinding({ id: 'CVE-2024-1', aliases: [] });
  const at = (version: string): string => {
    const a = applyVex([any], r.statements, { product: ['Acme App', `Acme App@${version}`] });
    return a.findings[0]!.suppression?.status ?? 'open';
  };
  assert.deepEqual(['1.9.9', '2.0.0', '2.4.0', '3.0.0', '3.0.1', '3.1.0', '4.2.0'].map(at), ['not_affected', 'open', 'open', 'not_affected', 'open', 'not_affected', 'open']);
  // A product version the range's scheme cannot read decides nothing, and says so.
  const odd = applyVex([any], r.statements, { product: ['Acme App@v2-beta_1'] });
  assert.equal(odd.suppressed, 0);
  assert.ok(odd.problems.length > 0);
  assert.match(odd.problems[0]!.message, /"v2-beta_1" is not a valid semver version, so the range vers:semver\/.* cannot be checked; not applied/);
});

test('CycloneDX VEX ranges: unsupported schemes, invalid ranges and contradictions are reported, never guessed', () => {
  const text = vexDoc([
    {
      id: 'CVE-2024-2',
      analysis: { state: 'not_affected', justification: 'code_not_present' },
      affects: [
        {
          ref: 'jd',
          versions: [
            { range: 'vers:generic/>=2.9|<=4.1', status: 'unaffected' },
            { range: 'vers:maven/>=2.0|>=3.0' },
            { range: 'vers:maven/>=2.0|<banana!' },
            { range: 'vers:npm/>=1.0|<2.0.0' },
            { range: 'vers:maven/ >=2.0 | <3.0 ' },
            { range: 'vers:maven/<2.0', status: 'affected' },
            { version: '2.0', range: 'vers:maven/<3.0' },
            {},
            { version: '2.1', status: 'sideways' },
            { range: `vers:maven/<${'9'.repeat(20_000)}` },
          ],
        },
      ],
    },
  ]);
  const r = readVex(text, 'bad.json');
  const base = 'bad.json#/vulnerabilities/0/affects/0/versions';
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.source.slice(base.length)]),
    [
      ['warning', '/0/range'],
      ['error', '/1/range'],
      ['error', '/2/range'],
      ['error', '/3/range'],
      ['warning', '/4/range'],
      ['warning', '/5'],
      ['warning', '/6'],
      ['warning', '/7'],
      ['warning', '/8'],
      ['error', '/9/range'],
    ],
  );
  const messages = r.problems.map((p) => p.message);
  assert.match(messages[0]!, /is not evaluated: Vigil has no version ordering for the vers scheme "generic"/);
  assert.match(messages[1]!, /is invalid: .*two lower limits/);
  assert.match(messages[2]!, /is invalid: .*"!" in a version must be percent-encoded/);
  assert.match(messages[3]!, /is invalid: "1.0" \(in ">=1.0"\) is not a valid npm version/);
  assert.match(messages[4]!, /not in canonical form \(spaces removed\); read as normalised/);
  assert.match(messages[5]!, /disagrees with the analysis \(not_affected\)/);
  assert.match(messages[6]!, /both a version and a range/);
  assert.match(messages[7]!, /neither a version nor a range/);
  assert.match(messages[8]!, /unknown version status "sideways"/);
  assert.match(messages[9]!, /over the 16384-character limit/);
  // Only the normalised range survives; nothing was suppressed on a guess.
  assert.deepEqual(r.statements.map((s) => s.versionRange?.text), ['vers:maven/ >=2.0 | <3.0 ']);
  const at = (version: string): number => applyVex([{ ...jackson(version), id: 'CVE-2024-2', aliases: [] }], r.statements).suppressed;
  assert.deepEqual(['1.0', '2.0', '2.5', '3.0', '3.5'].map(at), [0, 1, 1, 0, 0]);
});

test('CycloneDX VEX ranges: the package version must be readable in the range scheme', () => {
  const text = vexDoc([{ id: 'CVE-2021-23337', analysis: { state: 'not_affected', justification: 'code_not_present' }, affects: [{ ref: 'pkg:npm/lodash', versions: [{ range: 'vers:npm/<5.0.0' }] }] }]);
  const r = readVex(text, 'n.json');
  const weird = makeFinding({ package: { name: 'lodash', version: '4.17', purl: 'pkg:npm/lodash@4.17' } });
  const a = applyVex([weird, weird, lodash('4.17.20')], r.statements);
  assert.deepEqual(
    a.findings.map((f) => f.suppression?.status ?? 'open'),
    ['open', 'open', 'not_affected'],
  );
  assert.equal(a.problems.length, 1, 'reported once per statement and version');
  assert.match(a.problems[0]!.message, /pkg:npm\/lodash@4\.17: "4\.17" is not a valid npm version/);
  assert.equal(a.problems[0]!.source, 'n.json#/vulnerabilities/0/affects/0/versions/0');
  // A package without a version cannot be placed in a range either.
  const noVersion = makeFinding({ package: { name: 'lodash', version: '', purl: 'pkg:npm/lodash' } });
  const b = applyVex([noVersion], r.statements);
  assert.equal(b.suppressed, 0);
  assert.match(b.problems[0]!.message, /no version, so the range vers:npm\/<5\.0\.0 cannot be checked/);
});

test('CycloneDX VEX ranges: empty, star and hostile ranges', () => {
  const text = vexDoc([
    {
      id: 'CVE-2021-23337',
      analysis: { state: 'not_affected', justification: 'code_not_present' },
      affects: [
        { ref: 'pkg:npm/lodash', versions: [{ range: 'vers:npm/*' }] },
        { ref: 'pkg:npm/left-pad', versions: [{ range: 'vers:none/*' }] },
        { ref: 'pkg:npm/right-pad', versions: [{ range: '' }, { range: 'vers:npm/' }, { range: `vers:npm/1.0.0${'|'.repeat(50_000)}` }] },
        { ref: 'pkg:npm/up-pad', versions: [{ range: `vers:npm/${Array.from({ length: 1000 }, (_, i) => `>=${i}.0.0|<${i}.0.1`).join('|')}` }] },
      ],
    },
  ]);
  const t0 = performance.now();
  const r = readVex(text, 'h.json');
  assert.deepEqual(
    r.problems.map((p) => [p.severity, p.source.replace('h.json#/vulnerabilities/0/affects/', '')]),
    [
      ['error', '2/versions/0/range'],
      ['error', '2/versions/1/range'],
      ['error', '2/versions/2/range'],
      ['error', '3/versions/0/range'],
    ],
  );
  assert.match(r.problems[0]!.message, /the range is empty/);
  assert.match(r.problems[1]!.message, /no constraints/);
  assert.match(r.problems[2]!.message, /over the 16384-character limit/);
  assert.match(r.problems[3]!.message, /over the 16384-character limit/);
  assert.deepEqual(r.statements.map((s) => s.products), [['pkg:npm/lodash'], ['pkg:npm/left-pad']]);
  const pad = makeFinding({ package: { name: 'left-pad', version: '1.0.0' } });
  const a = applyVex([lodash('0.0.1-anything'), pad], r.statements);
  assert.deepEqual(a.findings.map((f) => f.suppression?.status ?? 'open'), ['not_affected', 'open']);
  assert.ok(performance.now() - t0 < 2000);
  // 50,000 pipes (a 50 kB range) are over the length limit; a range just under it is read in linear time.
  const pipes = readVex(vexDoc([{ id: 'CVE-1', affects: [{ ref: 'pkg:npm/a', versions: [{ range: `vers:npm/1.0.0${'|'.repeat(16_000)}` }] }] }]), 'p.json');
  assert.deepEqual(pipes.problems.map((p) => p.severity), ['warning']);
  assert.equal(pipes.statements.length, 1);
});
