import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AffectedPackage, CvssEntry } from '../core/advisory.js';
import type { Edge, Package } from '../inventory/model.js';
import { AdvisoryIndex, NO_ENRICHMENT, type CandidateAdvisory, type Enrichment } from './candidates.js';
import { compareLoose, cpeVerdict, parseCpe23 } from './cpe/cpe.js';
import { evalContext } from './engine.js';
import { buildFindings, displayId, headlineCvss, inventoryKeys, matchPackages, severityFromWord } from './match.js';
import { dependencyPaths } from './paths.js';
import { riskScore } from './risk.js';
import { DEFAULT_SLA, slaDue } from './sla.js';

const adv = (id: string, affected: AffectedPackage[], extra: Partial<CandidateAdvisory> = {}): CandidateAdvisory => ({
  source: 'osv',
  id,
  aliases: [],
  title: `${id} title`,
  cvss: [],
  sourceSeverity: null,
  published: '2024-01-01T00:00:00.000Z',
  modified: '2024-01-02T00:00:00.000Z',
  affected,
  ...extra,
});
const eco = (ecosystem: string, name: string, introduced: string, fixed: string, type: 'ECOSYSTEM' | 'SEMVER' = 'ECOSYSTEM'): AffectedPackage => ({
  ecosystem,
  name,
  ranges: [{ type, events: [{ introduced }, { fixed }] }],
  versions: [],
});
const pkg = (name: string, version: string, ecosystem: string, extra: Partial<Package> = {}): Package => ({
  id: `${ecosystem}/${name}@${version}`,
  name,
  version,
  ecosystem,
  purl: `pkg:generic/${name}@${version}`,
  location: { file: 'lock', line: 3 },
  ...extra,
});
const cvss = (score: number, severity: CvssEntry['severity'], version: CvssEntry['version'] = '3.1', source = 'nvd'): CvssEntry => ({ version, vector: `v${score}`, score, severity, source });

function run(packages: Package[], advisories: CandidateAdvisory[], edges: Edge[] = [], enrichment: Enrichment = NO_ENRICHMENT) {
  const index = new AdvisoryIndex();
  advisories.forEach((a) => index.add(a));
  const ctx = evalContext();
  const m = matchPackages(packages, edges, index, ctx);
  return { ...m, findings: buildFindings(m.matches, enrichment, ctx) };
}

describe('matcher', () => {
  it('merges the records of one vulnerability (GHSA ↔ PYSEC ↔ CVE) into one finding named by its CVE', () => {
    const r = run(
      [pkg('Django', '3.2.0', 'PyPI')],
      [
        adv('GHSA-aaaa-bbbb-cccc', [eco('PyPI', 'django', '3.0', '3.2.5')], { aliases: ['CVE-2021-1111'], cvss: [cvss(7.5, 'high', '3.1', 'osv:GHSA')], sourceSeverity: 'HIGH' }),
        adv('PYSEC-2021-9', [eco('PyPI', 'Django', '0', '3.2.4')], { aliases: ['CVE-2021-1111', 'GHSA-aaaa-bbbb-cccc'] }),
        adv('PYSEC-2021-10', [eco('PyPI', 'django', '0', '3.1')]),
      ],
    );
    assert.equal(r.findings.length, 1);
    const f = r.findings[0]!;
    assert.equal(f.id, 'CVE-2021-1111');
    assert.deepEqual(f.aliases, ['GHSA-aaaa-bbbb-cccc', 'PYSEC-2021-9']);
    assert.deepEqual(f.advisories, ['osv:GHSA-aaaa-bbbb-cccc', 'osv:PYSEC-2021-9']);
    assert.deepEqual(f.fixedVersions, ['3.2.4', '3.2.5'], 'nearest fix first');
    assert.equal(f.severity, 'high');
    assert.equal(f.sourceSeverity, 'HIGH');
    assert.equal(f.matchedBy, 'ecosystem');
    assert.equal(f.confidence, 'high');
  });

  it('normalises names per ecosystem: PEP 503 for PyPI, exact for Go', () => {
    const py = run([pkg('Zope.Interface', '1.0', 'PyPI')], [adv('PYSEC-1', [eco('PyPI', 'zope-interface', '0', '2.0')])]);
    assert.equal(py.findings.length, 1);
    const go = run([pkg('github.com/Foo/bar', 'v1.0.0', 'Go')], [adv('GO-1', [eco('Go', 'github.com/foo/bar', '0', '1.5.0', 'SEMVER')])]);
    assert.equal(go.findings.length, 0, 'Go module paths are case-sensitive');
    const go2 = run([pkg('github.com/foo/bar', 'v1.0.0', 'Go')], [adv('GO-1', [eco('Go', 'github.com/foo/bar', '0', '1.5.0', 'SEMVER')])]);
    assert.equal(go2.findings.length, 1, 'a v-prefixed Go version meets a SEMVER range written without v');
    assert.equal(go2.findings[0]!.matchedBy, 'semver');
  });

  it('distributions: same release only; source package names and versions; unknown release is low confidence', () => {
    const a = adv('DSA-1', [eco('Debian:12', 'openssl', '0', '3.0.11-1~deb12u2')]);
    const bin = pkg('libssl3', '3.0.11-1~deb12u1', 'Debian:12', { sourceName: 'openssl', sourceVersion: '3.0.11-1~deb12u1' });
    const r = run([bin], [a]);
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0]!.matchedBy, 'distro');
    assert.equal(r.findings[0]!.package.name, 'libssl3');
    assert.equal(run([{ ...bin, ecosystem: 'Debian:11' }], [a]).findings.length, 0, 'another release');
    const unknown = run([{ ...bin, ecosystem: 'Debian' }], [a]);
    assert.equal(unknown.findings[0]?.confidence, 'low');
    assert.ok(inventoryKeys([bin]).includes('debian/openssl'));
    assert.equal(run([pkg('openssl', '3.0.11-1~deb12u2', 'Debian:12')], [a]).findings.length, 0, 'the fixed version');
  });

  it('reports what it cannot assess instead of guessing', () => {
    const r = run([pkg('x', 'not a version!', 'npm'), pkg('y', '1.0', 'Linux')], [adv('A-1', [eco('npm', 'x', '0', '2.0.0', 'SEMVER')]), adv('A-2', [eco('Linux', 'y', '0', '2.0')])]);
    assert.equal(r.findings.length, 0);
    assert.deepEqual(
      r.unassessed.map((u) => u.reason),
      ['"not a version!" is not a valid semver version', 'no version scheme is defined for ecosystem "Linux"'],
    );
  });

  it('enriches with the CVE record CVSS, KEV and EPSS; headline prefers CVSS v3/v4', () => {
    const enrichment: Enrichment = {
      cvss: new Map([['CVE-2024-1', [cvss(9.8, 'critical', '3.1', 'nvd'), cvss(10, 'critical', '2.0', 'nvd')]]]),
      aliases: new Map(),
      kev: new Map([['CVE-2024-1', { dateAdded: '2024-02-01', dueDate: '2024-02-22', knownRansomwareCampaignUse: 'Known' as const }]]),
      epss: new Map([['CVE-2024-1', { score: 0.2, percentile: 0.97, date: '2024-03-01' }]]),
    };
    const r = run([pkg('lodash', '4.0.0', 'npm', { direct: true })], [adv('GHSA-x', [eco('npm', 'lodash', '0', '4.17.21', 'SEMVER')], { aliases: ['CVE-2024-1'] })], [], enrichment);
    const f = r.findings[0]!;
    assert.equal(f.severity, 'critical');
    assert.equal(f.kev?.knownRansomwareCampaignUse, 'Known');
    assert.equal(f.epss?.score, 0.2);
    // 0.6 × 9.8 + 2 + 2 + 0.5 = 10.38 → clamped to 10.
    assert.equal(f.risk.score, 10);
    assert.equal(headlineCvss([cvss(10, 'critical', '2.0'), cvss(5, 'medium', '4.0')])?.score, 5);
  });

  it('dependency paths: from the direct dependency down, by the shortest route', () => {
    const pk = [pkg('app-dep', '1', 'npm', { direct: true }), pkg('mid', '1', 'npm'), pkg('leaf', '1', 'npm'), pkg('orphan', '1', 'npm')];
    const [a, b, c] = pk.map((p) => p.id);
    const edges: Edge[] = [
      { from: 'root', to: a! },
      { from: a!, to: b! },
      { from: b!, to: c! },
      { from: c!, to: b! },
    ];
    const pathTo = dependencyPaths(pk, edges);
    assert.deepEqual(pathTo(c!), [a, b, c]);
    assert.deepEqual(pathTo(a!), [a]);
    assert.deepEqual(pathTo(pk[3]!.id), []);
    const r = run(pk, [adv('GHSA-leaf', [eco('npm', 'leaf', '0', '2.0.0', 'SEMVER')])], edges);
    assert.deepEqual(r.findings[0]!.path, [a, b, c]);
    assert.equal(r.findings[0]!.risk.contributions.find((x) => x.factor === 'reachability')?.input, 'transitive');
  });

  it('display ids, severity words', () => {
    assert.equal(displayId(['GHSA-b', 'PYSEC-1', 'CVE-2020-2']), 'CVE-2020-2');
    assert.equal(displayId(['PYSEC-1', 'GHSA-b']), 'GHSA-b');
    assert.equal(severityFromWord('MODERATE'), 'medium');
    assert.equal(severityFromWord('bogus'), undefined);
  });
});

describe('risk and SLA', () => {
  it('risk: every factor explained, clamped to 0-10', () => {
    const r = riskScore({ cvssScore: null, severity: 'unknown', epss: null, kev: null, fixAvailable: false, direct: false, criticality: 'low' });
    // 0.6 × 5 × 0.85 × 0.8 = 2.04
    assert.equal(r.score, 2);
    assert.equal(r.contributions.length, 6);
    assert.ok(r.contributions.every((c) => c.explanation.length > 0));
  });

  it('SLA: days per severity from first sight or publication; KEV shortens', () => {
    const first = new Date('2024-01-10T00:00:00Z');
    assert.equal(slaDue(DEFAULT_SLA, { severity: 'high', kev: false, firstSeen: first, published: null })?.toISOString(), '2024-02-09T00:00:00.000Z');
    assert.equal(slaDue(DEFAULT_SLA, { severity: 'high', kev: true, firstSeen: first, published: null })?.toISOString(), '2024-01-24T00:00:00.000Z');
    assert.equal(slaDue(DEFAULT_SLA, { severity: 'unknown', kev: false, firstSeen: first, published: null }), null);
    const byPub = { ...DEFAULT_SLA, start: 'published' as const };
    assert.equal(slaDue(byPub, { severity: 'critical', kev: false, firstSeen: first, published: new Date('2024-01-01T00:00:00Z') })?.toISOString(), '2024-01-16T00:00:00.000Z');
  });
});

describe('CPE matching (--cpe)', () => {
  it('parses CPE 2.3 names with escapes', () => {
    assert.deepEqual(parseCpe23('cpe:2.3:a:open\\:ssl:openssl:3.0.1:*:*:*:*:*:*:*'), { part: 'a', vendor: 'open:ssl', product: 'openssl', version: '3.0.1' });
    assert.equal(parseCpe23('cpe:2.3:a:x'), undefined);
    assert.equal(parseCpe23('nonsense'), undefined);
  });

  it('compares vendor versions generically', () => {
    assert.ok(compareLoose('1.10', '1.9') > 0);
    assert.ok(compareLoose('1.0a', '1.0') > 0);
    assert.equal(compareLoose('1.01', '1.1'), 0);
    assert.ok(compareLoose('1.0', '1.0.1') < 0);
    assert.ok(compareLoose('1.0-beta', '1.0') < 0);
    assert.ok(compareLoose('1.1.1w', '1.1.1') > 0);
  });

  it('matches vulnerable criteria with version ranges; needs a range or an exact version', () => {
    const configs = [
      {
        negate: false,
        source: 'nvd',
        nodes: [
          {
            operator: 'OR' as const,
            negate: false,
            cpeMatch: [
              { vulnerable: true, criteria: 'cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*', versionStartIncluding: '3.0.0', versionEndExcluding: '3.0.12' },
              { vulnerable: true, criteria: 'cpe:2.3:a:openssl:openssl:1.1.1w:*:*:*:*:*:*:*' },
              { vulnerable: true, criteria: 'cpe:2.3:a:other:thing:*:*:*:*:*:*:*:*' },
            ],
          },
        ],
      },
    ];
    assert.deepEqual(cpeVerdict(configs, { vendor: 'openssl', product: 'openssl', version: '3.0.11' }), { affected: true, fixed: ['3.0.12'] });
    assert.equal(cpeVerdict(configs, { product: 'openssl', version: '3.0.12' }).affected, false);
    assert.equal(cpeVerdict(configs, { product: 'openssl', version: '1.1.1w' }).affected, true);
    assert.equal(cpeVerdict(configs, { vendor: 'evil', product: 'openssl', version: '3.0.1' }).affected, false);
    assert.equal(cpeVerdict(configs, { product: 'thing', version: '1' }).affected, false, 'every version without a range is not a match');
  });
});
