/**
 * Cross-check of our hand-written catalogues against Prowler's compliance mappings in
 * ../shared/data/cloud/prowler/compliance (read by path, never copied; skipped, saying so, when
 * absent). Only editions that match ours are compared; Prowler's ids are translated to the
 * spelling our rules use. Differences are printed with their reason and the expected overlap
 * is asserted.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import type { FrameworkId } from '../frameworks.js';
import { BUILTIN_RULES } from '../rules/registry.js';
import { frameworkCoverage, requirementFor } from './coverage.js';
import { CATALOGUES } from './index.js';

const ROOT = sharedData('cloud', 'prowler', 'compliance');

interface ProwlerRequirement {
  readonly Id: string;
  readonly Name?: string;
  readonly Checks?: readonly string[];
  readonly Attributes?: readonly { readonly SubSection?: string; readonly AssessmentStatus?: string }[];
}

function load(file: string): ProwlerRequirement[] {
  const doc = JSON.parse(readFileSync(join(ROOT!, file), 'utf8')) as { Requirements?: unknown };
  assert.ok(Array.isArray(doc.Requirements), `${file}: Requirements is not an array`);
  return doc.Requirements as ProwlerRequirement[];
}

const ours = (fw: FrameworkId): Set<string> => new Set(CATALOGUES[fw].requirements);
const minus = (a: Iterable<string>, b: ReadonlySet<string>): string[] => [...new Set(a)].filter((x) => !b.has(x)).sort((x, y) => x.localeCompare(y, 'en', { numeric: true }));

function report(t: TestContext, what: string, theirs: Iterable<string>, fw: FrameworkId, reasons: { extra: string; missing: string }): { extra: string[]; missing: string[] } {
  const th = new Set(theirs);
  const o = ours(fw);
  const extra = minus(th, o);
  const missing = minus(o, th);
  t.diagnostic(`${what}: Prowler ${th.size}, ours ${o.size}, shared ${[...th].filter((x) => o.has(x)).length}`);
  if (extra.length > 0) t.diagnostic(`  only in Prowler (${extra.length}): ${extra.join(' ')}\n    reason: ${reasons.extra}`);
  if (missing.length > 0) t.diagnostic(`  only in ours (${missing.length}): ${missing.slice(0, 60).join(' ')}${missing.length > 60 ? ' …' : ''}\n    reason: ${reasons.missing}`);
  return { extra, missing };
}

const skip = ROOT === undefined ? skipMessage('cloud/prowler/compliance') : false;

test('CIS AWS 3.0: same recommendation ids; Prowler automated vs. Vigil assessed', { skip }, (t) => {
  const reqs = load('aws/cis_3.0_aws.json');
  const { extra, missing } = report(t, 'CIS AWS 3.0', reqs.map((r) => r.Id), 'cis-aws-3.0', { extra: 'none expected', missing: 'none expected' });
  assert.deepEqual([extra, missing], [[], []]);
  const withChecks = reqs.filter((r) => (r.Checks?.length ?? 0) > 0).length;
  const automated = reqs.filter((r) => r.Attributes?.some((a) => a.AssessmentStatus === 'Automated')).length;
  const cov = frameworkCoverage(BUILTIN_RULES, 'cis-aws-3.0');
  t.diagnostic(`  Prowler: ${withChecks} of ${reqs.length} recommendations have checks (${automated} marked Automated by CIS); Vigil assesses ${cov.assessed} (${cov.coverage}%), ${cov.collectedAssessed} of them on collected account data`);
  assert.ok(cov.assessed > 0);
});

test('CIS Kubernetes 1.10: same recommendation ids', { skip }, (t) => {
  const { extra, missing } = report(t, 'CIS Kubernetes 1.10', load('kubernetes/cis_1.10_kubernetes.json').map((r) => r.Id), 'cis-kubernetes-1.10', {
    extra: 'none expected',
    missing: 'none expected',
  });
  assert.deepEqual([extra, missing], [[], []]);
});

test('ISO 27001:2022 Annex A: Prowler ⊆ ours, all four providers', { skip }, (t) => {
  for (const p of ['aws', 'azure', 'gcp', 'kubernetes']) {
    const { extra, missing } = report(t, `ISO 27001:2022 (${p})`, load(`${p}/iso27001_2022_${p}.json`).map((r) => r.Id), 'iso-27001-2022', {
      extra: 'none expected',
      missing: 'A.8.28 Secure coding is an Annex A control of the 2022 edition (93 controls); Prowler lists 92',
    });
    assert.deepEqual(extra, []);
    assert.deepEqual(missing, ['A.8.28']);
  }
});

/** "Organizational Context (GV.OC)" + "oc_1" → "GV.OC-01". */
function csfId(r: ProwlerRequirement): string {
  const cat = /\(([A-Z]{2}\.[A-Z]{2})\)/.exec(r.Attributes?.[0]?.SubSection ?? '')?.[1] ?? '?';
  const n = /(\d+)$/.exec(r.Id)?.[1] ?? '?';
  return `${cat}-${n.padStart(2, '0')}`;
}

test('NIST CSF 2.0: Prowler ids in 2.0 categories ⊆ ours; the rest are CSF 1.1 ids', { skip }, (t) => {
  const theirs = load('aws/nist_csf_2.0_aws.json').map(csfId);
  const categories = new Set(CATALOGUES['nist-csf-2.0'].requirements.map((r) => r.slice(0, r.indexOf('-'))));
  const { extra } = report(t, 'NIST CSF 2.0 (aws)', theirs, 'nist-csf-2.0', {
    extra: 'CSF 1.1 subcategories (categories PR.AC, PR.IP, PR.PT, DE.DP, ID.BE, … and numbers withdrawn or renumbered in 2.0) left in Prowler\'s "2.0" mapping',
    missing: 'subcategories Prowler does not map',
  });
  const in20 = extra.filter((id) => categories.has(id.slice(0, id.indexOf('-'))));
  t.diagnostic(`  of which in a CSF 2.0 category but a number 2.0 does not have: ${in20.join(' ') || 'none'}`);
  // CSF 1.1 numbers that 2.0 withdrew (DE.AE-01/05, DE.CM-04/05/07, ID.AM-06, PR.DS-03…08,
  // RS.AN-02, RS.MI-03) and numbers past the end of a 2.0 category (GV.OV-04, GV.PO-03…05).
  const expected = ['DE.AE-01', 'DE.AE-05', 'DE.CM-04', 'DE.CM-05', 'DE.CM-07', 'GV.OV-04', 'GV.PO-03', 'GV.PO-04', 'GV.PO-05', 'ID.AM-06'];
  expected.push(...['03', '04', '05', '06', '07', '08'].map((n) => `PR.DS-${n}`), 'RS.AN-02', 'RS.MI-03');
  assert.deepEqual(
    in20.filter((id) => !expected.includes(id)),
    [],
    'a Prowler CSF 2.0 id in a 2.0 category is missing from our catalogue',
  );
  assert.ok(theirs.filter((id) => ours('nist-csf-2.0').has(id)).length >= 30, 'overlap with Prowler shrank');
});

/** "AC-2(3) Disable Accounts" → "AC-2(3)"; parts "(a)" are dropped. */
function nistId(r: ProwlerRequirement): string {
  const m = /^([A-Z]{2}-\d+(?:\(\d+\))?)/.exec(r.Name ?? '');
  if (m) return m[1]!;
  const [fam, num, enh] = r.Id.split('_');
  return `${(fam ?? '').toUpperCase()}-${num ?? ''}${enh !== undefined && /^\d+$/.test(enh) ? `(${enh})` : ''}`;
}

test('NIST 800-53 r5: every Prowler control of our families resolves to a catalogue requirement', { skip }, (t) => {
  const listed = ours('nist-800-53-r5');
  const families = new Set([...listed].map((r) => r.slice(0, 2)));
  const theirs = [...new Set(load('aws/nist_800_53_revision_5_aws.json').map(nistId))];
  const outOfScope = theirs.filter((id) => !families.has(id.slice(0, 2)));
  const unresolved = theirs.filter((id) => families.has(id.slice(0, 2)) && requirementFor(listed, id) === undefined);
  const viaBase = theirs.filter((id) => families.has(id.slice(0, 2)) && !listed.has(id) && requirementFor(listed, id) !== undefined);
  t.diagnostic(`NIST 800-53 r5 (aws): Prowler ${theirs.length} controls/enhancements; ours ${listed.size}`);
  t.diagnostic(`  families outside our scope (${outOfScope.length}): ${outOfScope.join(' ') || 'none'}\n    reason: organisational families (AT, MA, MP, PE, PL, PM, PS, PT, SA) left out`);
  t.diagnostic(`  enhancements we count at their base control (${viaBase.length}): ${viaBase.join(' ')}\n    reason: only technical enhancements are listed; the rest count for their base`);
  t.diagnostic(`  unresolved (${unresolved.length}): ${unresolved.join(' ') || 'none'}`);
  assert.deepEqual(unresolved, []);
});

/** cc_6_1 → CC6.1; cc_a_1_1 → A1.1; pi_1_2 → PI1.2. */
function soc2Id(id: string): string {
  const parts = id.split('_');
  if (parts[0] === 'cc' && /^[a-z]+$/.test(parts[1] ?? '')) parts.shift();
  const [p, a, b] = parts;
  return `${(p ?? '').toUpperCase()}${a}.${b}`;
}

test('SOC 2: Prowler criteria ⊆ ours', { skip }, (t) => {
  for (const p of ['aws', 'azure', 'gcp']) {
    const { extra } = report(t, `SOC 2 (${p})`, load(`${p}/soc2_${p}.json`).map((r) => soc2Id(r.Id)), 'soc2', {
      extra: 'none expected',
      missing: 'criteria Prowler does not map (it maps only those it has checks for)',
    });
    assert.deepEqual(extra, []);
  }
});

/** 164_308_a_1_ii_a → 164.308(a)(1)(ii)(A). */
function hipaaId(id: string): string {
  const [part, section, ...rest] = id.split('_');
  const paras = rest.map((x, i) => (i >= 3 ? x.toUpperCase() : x));
  return `${part}.${section}${paras.map((x) => `(${x})`).join('')}`;
}

test('HIPAA: Prowler standards and specifications ⊆ ours', { skip }, (t) => {
  for (const p of ['aws', 'azure', 'gcp']) {
    const { extra } = report(t, `HIPAA (${p})`, load(`${p}/hipaa_${p}.json`).map((r) => hipaaId(r.Id)), 'hipaa', {
      extra: 'none expected',
      missing: 'standards and specifications Prowler does not map (physical, organisational, documentation)',
    });
    assert.deepEqual(extra, []);
  }
});

test('PCI DSS 4.0 at the x.y.z level: Prowler ⊆ ours, Appendix A out of scope', { skip }, (t) => {
  for (const p of ['aws', 'azure']) {
    const all = [...new Set(load(`${p}/pci_4.0_${p}.json`).map((r) => r.Id.split('.').slice(0, 3).join('.')))];
    const appendix = all.filter((id) => id.startsWith('A'));
    const { extra } = report(t, `PCI DSS 4.0 (${p})`, all.filter((id) => !id.startsWith('A')), 'pci-dss-4.0', {
      extra: 'none expected',
      missing: 'requirements Prowler does not map',
    });
    t.diagnostic(`  Appendix A ids left out by our scope (${appendix.length}): ${appendix.join(' ')}`);
    assert.deepEqual(extra, []);
  }
});

test('GDPR: Prowler articles ⊆ ours', { skip }, (t) => {
  const { extra } = report(t, 'GDPR (aws)', load('aws/gdpr_aws.json').map((r) => r.Id.replace(/^article_/, 'Art.')), 'gdpr', {
    extra: 'none expected',
    missing: 'articles Prowler does not map',
  });
  assert.deepEqual(extra, []);
});
