/** Small findings and reports for the output, VEX and ignore-file tests. */
import type { Finding, FindingPackage, ScanReport } from '../model.js';

export type FindingOverrides = Omit<Partial<Finding>, 'package'> & { readonly package?: Partial<FindingPackage> };

export function makePackage(overrides: Partial<FindingPackage> = {}): FindingPackage {
  const name = overrides.name ?? 'lodash';
  const version = overrides.version ?? '4.17.20';
  const purl = overrides.purl ?? `pkg:npm/${name}@${version}`;
  return { id: purl, name, version, purl, ecosystem: 'npm', location: { file: 'package-lock.json', line: 12 }, direct: true, scope: 'prod', ...overrides };
}

export function makeFinding(overrides: FindingOverrides = {}): Finding {
  const { package: pkg, ...rest } = overrides;
  const p = makePackage(pkg);
  return {
    id: 'CVE-2021-23337',
    aliases: ['GHSA-35jh-r3h4-6jhm'],
    advisories: ['osv:GHSA-35jh-r3h4-6jhm'],
    title: 'Command Injection in lodash',
    package: p,
    severity: 'high',
    sourceSeverity: 'HIGH',
    cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H', score: 7.2, severity: 'high', source: 'nvd' }],
    fixedVersions: ['4.17.21'],
    kev: null,
    epss: { score: 0.0123, percentile: 0.81, date: '2024-05-01' },
    path: [p.id],
    matchedBy: 'semver',
    confidence: 'high',
    risk: { score: 6.4, contributions: [{ factor: 'cvss', input: 7.2, effect: 5.0, explanation: 'CVSS 7.2' }] },
    ...rest,
  };
}

export function makeReport(findings: readonly Finding[] = [], overrides: Partial<ScanReport> = {}): ScanReport {
  return {
    target: 'app',
    packages: 42,
    findings,
    unassessed: [],
    errors: [],
    tool: { name: 'vigil', version: '9.9.9' },
    generatedAt: '2024-05-06T07:08:09.123Z',
    databaseUpdatedAt: '2024-05-05T00:00:00Z',
    ...overrides,
  };
}

/** A report with a bit of everything: a direct package with two findings, a transitive one, a suppressed one, KEV, errors. */
export function sampleReport(): ScanReport {
  const lodash = makeFinding();
  const lodash2 = makeFinding({
    id: 'CVE-2020-8203',
    aliases: ['GHSA-p6mc-m468-83gw'],
    title: 'Prototype Pollution in lodash',
    severity: 'critical',
    cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, severity: 'critical', source: 'nvd' }],
    fixedVersions: ['4.17.19'],
    kev: { dateAdded: '2022-01-10', dueDate: '2022-07-10', knownRansomwareCampaignUse: 'Unknown' },
  });
  const minimistPkg = { name: 'minimist', version: '1.2.0', purl: 'pkg:npm/minimist@1.2.0', id: 'pkg:npm/minimist@1.2.0', direct: false, location: { file: 'web/package-lock.json', line: 300 } };
  const minimist = makeFinding({
    id: 'CVE-2021-44906',
    aliases: ['GHSA-xvch-5gv4-984h'],
    title: 'Prototype Pollution in minimist',
    severity: 'critical',
    cvss: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, severity: 'critical', source: 'nvd' }],
    fixedVersions: ['1.2.6'],
    epss: null,
    package: minimistPkg,
    path: ['pkg:npm/mkdirp@0.5.1', 'pkg:npm/optimist@0.6.1', 'pkg:npm/minimist@1.2.0'],
  });
  const suppressed = makeFinding({
    id: 'GHSA-29mw-wpgm-hmr9',
    aliases: [],
    title: 'ReDoS in lodash',
    severity: 'medium',
    cvss: [],
    fixedVersions: ['4.17.21'],
    epss: null,
    suppression: { kind: 'ignore-file', status: 'accepted_risk', reason: 'only used in tests', expires: '2027-01-31', source: '.vigilignore:3' },
  });
  const noFix = makeFinding({
    id: 'GHSA-aaaa-bbbb-cccc',
    aliases: [],
    title: 'Something in left-pad',
    severity: 'low',
    cvss: [],
    fixedVersions: [],
    epss: null,
    package: { name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0', id: 'pkg:npm/left-pad@1.0.0', location: { file: 'package-lock.json' } },
  });
  return makeReport([lodash, minimist, suppressed, lodash2, noFix], {
    errors: [{ path: 'poetry.lock', reason: 'line 12: expected a [[package]] table' }],
    unassessed: [{ packageId: 'pkg:hex/foo@1.0', purl: 'pkg:hex/foo@1.0', reason: 'no version scheme for ecosystem Hex' }],
  });
}
