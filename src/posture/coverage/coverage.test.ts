import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FRAMEWORK_IDS, type FrameworkControl, type FrameworkId } from '../frameworks.js';
import type { ResourceKind } from '../model.js';
import type { Rule, RulePlatform } from '../rule.js';
import { BUILTIN_RULES } from '../rules/registry.js';
import type { Catalogue } from './catalogue.js';
import { coverage, frameworkCoverage, onCollectedData, requirementFor } from './coverage.js';
import { CATALOGUES } from './index.js';

function rule(id: string, platform: RulePlatform, kinds: readonly string[], frameworks: readonly [FrameworkId, string][]): Rule {
  return {
    id,
    title: id,
    description: '',
    severity: 'medium',
    platform,
    service: 'test',
    kinds: kinds as readonly ResourceKind[],
    frameworks: frameworks.map(([framework, control]): FrameworkControl => ({ framework, control })),
    remediation: '',
    references: [],
    examples: { good: [], bad: [] },
  };
}

const CAT: Catalogue = {
  framework: 'cis-aws-3.0',
  edition: 'test edition',
  level: 'test level',
  requirements: ['1.1', '1.2', '1.2.1', '1.3', '2.1', 'AC-6', 'Pod security: Secrets'],
};
const listed = new Set(CAT.requirements);

test('requirementFor: equal ids, the nearest listed ancestor at a separator, nothing else', () => {
  assert.equal(requirementFor(listed, '1.2.1'), '1.2.1', 'listed itself: never its ancestor');
  assert.equal(requirementFor(listed, '1.2.2'), '1.2', 'unlisted sub-item: its listed parent');
  assert.equal(requirementFor(listed, '1.2.2.7'), '1.2', 'deeper sub-item: the nearest listed ancestor');
  assert.equal(requirementFor(listed, '1.2.1.3'), '1.2.1');
  assert.equal(requirementFor(listed, '1.3.4'), '1.3');
  assert.equal(requirementFor(listed, 'AC-6(1)'), 'AC-6', 'enhancement: its base control');
  assert.equal(requirementFor(listed, 'Pod security: Secrets: etcd'), 'Pod security: Secrets');
  assert.equal(requirementFor(listed, '1.20'), undefined, '1.20 is not a sub-item of 1.2');
  assert.equal(requirementFor(listed, '1.10'), undefined);
  assert.equal(requirementFor(listed, '1'), undefined, 'an ancestor of listed ids is not one of them');
  assert.equal(requirementFor(listed, 'AC-60'), undefined);
  assert.equal(requirementFor(listed, '1.2 '), undefined, 'no trimming: ids are exact');
  assert.equal(requirementFor(listed, ''), undefined);
  assert.equal(requirementFor(listed, `1.2.${'9.'.repeat(400)}`), undefined, 'overlong ids are not resolved');
  assert.equal(requirementFor(new Set(), '1.1'), undefined);
});

test('frameworkCoverage: totals, ids in catalogue order, rules per requirement, platforms, collected data', () => {
  const rules = [
    rule('VGL-AWS-001', 'aws', ['aws:s3-bucket'], [['cis-aws-3.0', '1.2.1'], ['cis-aws-3.0', '1.2.5'], ['soc2', 'CC6.1']]),
    rule('VGL-AWS-002', 'aws', ['tf:aws_s3_bucket', 'cfn:AWS::S3::Bucket'], [['cis-aws-3.0', '2.1'], ['cis-aws-3.0', '2.1.9']]),
    rule('VGL-K8S-001', 'kubernetes', ['k8s:Pod'], [['cis-aws-3.0', '1.2.1'], ['cis-aws-3.0', '9.9']]),
    rule('VGL-GCP-001', 'gcp', ['gcp:bucket'], [['soc2', 'CC6.1']]),
  ];
  const c = frameworkCoverage(rules, 'cis-aws-3.0', CAT);
  assert.equal(c.requirements, 7);
  assert.equal(c.assessed, 3);
  assert.equal(c.coverage, 42.9);
  assert.deepEqual(c.assessedIds, ['1.2', '1.2.1', '2.1']);
  assert.deepEqual(c.unassessedIds, ['1.1', '1.3', 'AC-6', 'Pod security: Secrets']);
  assert.deepEqual(c.rulesByRequirement, { '1.2': ['VGL-AWS-001'], '1.2.1': ['VGL-AWS-001', 'VGL-K8S-001'], '2.1': ['VGL-AWS-002'] });
  assert.deepEqual(c.unknown, [{ control: '9.9', rules: ['VGL-K8S-001'] }]);
  assert.equal(c.rules, 3);
  assert.equal(c.collectedRules, 1);
  assert.equal(c.collectedAssessed, 2);
  assert.deepEqual(c.platforms.aws, { rules: 2, assessed: 3 });
  assert.deepEqual(c.platforms.kubernetes, { rules: 1, assessed: 1 });
  assert.deepEqual(c.platforms.gcp, { rules: 0, assessed: 0 });
  assert.equal(c.edition, 'test edition');
});

test('frameworkCoverage: no rules, and rules of other frameworks only', () => {
  for (const rules of [[], [rule('VGL-GCP-001', 'gcp', ['gcp:bucket'], [['soc2', 'CC6.1']])]]) {
    const c = frameworkCoverage(rules, 'cis-aws-3.0', CAT);
    assert.equal(c.assessed, 0);
    assert.equal(c.coverage, 0);
    assert.equal(c.rules, 0);
    assert.deepEqual(c.unassessedIds, CAT.requirements);
    assert.deepEqual(c.unknown, []);
  }
  const empty = frameworkCoverage([], 'gdpr', { ...CAT, requirements: [] });
  assert.equal(empty.coverage, 0, 'an empty catalogue gives 0, not NaN');
});

test('frameworkCoverage: a rule naming one requirement twice counts once', () => {
  const c = frameworkCoverage([rule('VGL-AWS-003', 'aws', ['aws:iam-user'], [['cis-aws-3.0', '1.1'], ['cis-aws-3.0', '1.1']])], 'cis-aws-3.0', CAT);
  assert.equal(c.assessed, 1);
  assert.deepEqual(c.rulesByRequirement['1.1'], ['VGL-AWS-003']);
  assert.equal(c.platforms.aws.rules, 1);
});

test('frameworkCoverage: an including catalogue counts the included framework\'s rule controls', () => {
  const rules = [
    rule('VGL-K8S-001', 'kubernetes', ['k8s:Pod'], [['pss-baseline', 'HostProcess']]),
    rule('VGL-K8S-002', 'kubernetes', ['k8s:Pod'], [['pss-restricted', 'Volume Types']]),
  ];
  const restricted = frameworkCoverage(rules, 'pss-restricted');
  assert.deepEqual(restricted.rulesByRequirement, { HostProcess: ['VGL-K8S-001'], 'Volume Types': ['VGL-K8S-002'] });
  assert.equal(restricted.rules, 1, 'rules mapped to the framework itself');
  assert.equal(restricted.assessed, 2);
  const baseline = frameworkCoverage(rules, 'pss-baseline');
  assert.deepEqual(baseline.assessedIds, ['HostProcess'], 'not the other way round');
  assert.deepEqual(baseline.unknown, []);
});

test('onCollectedData: aws:, azure:, gcp: kinds only', () => {
  assert.equal(onCollectedData({ kinds: ['aws:s3-bucket'] as ResourceKind[] }), true);
  assert.equal(onCollectedData({ kinds: ['tf:azurerm_storage_account', 'azure:storage-account'] as ResourceKind[] }), true);
  assert.equal(onCollectedData({ kinds: ['tf:google_storage_bucket', 'k8s:Pod', 'docker:stage'] as ResourceKind[] }), false);
});

test('catalogues: one per framework, ids unique and non-empty, header fields filled', () => {
  assert.deepEqual(Object.keys(CATALOGUES).sort(), [...FRAMEWORK_IDS].sort());
  for (const id of FRAMEWORK_IDS) {
    const cat = CATALOGUES[id];
    assert.equal(cat.framework, id);
    assert.ok(cat.edition.length > 0 && cat.level.length > 0, id);
    assert.ok(cat.requirements.length > 0, id);
    assert.equal(new Set(cat.requirements).size, cat.requirements.length, `${id}: duplicate requirement ids`);
    for (const r of cat.requirements) assert.ok(r.length > 0 && r.trim() === r, `${id}: bad id "${r}"`);
    for (const t of Object.keys(cat.titles ?? {})) assert.ok(cat.requirements.includes(t), `${id}: title for unlisted ${t}`);
  }
});

test('catalogues: known sizes of the published standards', () => {
  const size = (id: FrameworkId): number => CATALOGUES[id].requirements.length;
  assert.equal(size('iso-27001-2022'), 93);
  assert.equal(size('nist-csf-2.0'), 106);
  assert.equal(size('cis-aws-3.0'), 62);
  assert.equal(size('cis-kubernetes-1.10'), 130);
  assert.equal(size('soc2'), 61);
  assert.equal(size('pss-baseline'), 12);
  assert.equal(size('pss-restricted'), 16);
});

test('every built-in rule control is in its catalogue (fix the catalogue, or report the rule)', () => {
  const missing = coverage(BUILTIN_RULES).flatMap((c) => c.unknown.map((u) => `${c.framework} ${u.control} (${u.rules.join(', ')})`));
  assert.deepEqual(missing, [], `rule controls no catalogue requirement accounts for:\n${missing.join('\n')}`);
});

test('built-in rules: every framework with rules has assessed requirements; coverage within 0–100', () => {
  for (const c of coverage(BUILTIN_RULES)) {
    assert.ok(c.coverage >= 0 && c.coverage <= 100, c.framework);
    assert.equal(c.assessed + c.unassessedIds.length, c.requirements, c.framework);
    if (c.rules > 0) assert.ok(c.assessed > 0, c.framework);
  }
});
