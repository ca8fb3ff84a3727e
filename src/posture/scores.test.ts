import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectedResource } from './collectors/resource.js';
import type { PostureFinding, PostureSeverity, Resource, ResourceKind } from './model.js';
import type { Rule } from './rule.js';
import { scorePosture } from './scores.js';

const rule = (id: string, severity: PostureSeverity, kinds: ResourceKind[], controls: [string, string][]): Rule =>
  ({ id, severity, kinds, frameworks: controls.map(([framework, control]) => ({ framework, control })) }) as unknown as Rule;
const res = (kind: ResourceKind, id: string): Resource => collectedResource({ kind, input: 'aws', provider: 'aws', id, name: id, attrs: {} });
const finding = (ruleId: string, r: Resource, status: PostureFinding['status'] = 'fail'): PostureFinding =>
  ({ ruleId, status, resource: { kind: r.kind, id: r.id } }) as unknown as PostureFinding;

const bucketA = res('aws:AWS::S3::Bucket', 'arn:aws:s3:::a');
const bucketB = res('aws:AWS::S3::Bucket', 'arn:aws:s3:::b');
const key = res('aws:AWS::KMS::Key', 'arn:aws:kms:eu-west-1:1:key/k');
const rules = [
  rule('R-PUBLIC', 'critical', ['aws:AWS::S3::Bucket'], [['cis-aws-3.0', '2.1.4'], ['soc2', 'CC6.1']]),
  rule('R-ENC', 'medium', ['aws:AWS::S3::Bucket'], [['cis-aws-3.0', '2.1.1'], ['soc2', 'CC6.1']]),
  rule('R-ROT', 'medium', ['aws:AWS::KMS::Key'], [['cis-aws-3.0', '3.6']]),
  rule('R-TRAIL', 'high', ['aws:AWS::CloudTrail::Trail'], [['cis-aws-3.0', '3.1']]),
  rule('R-USER', 'high', ['aws:AWS::IAM::User'], [['cis-aws-3.0', '1.10']]),
];

test('rule and control statuses: fail beats not-assessed beats pass; nothing to check is not applicable', () => {
  const s = scorePosture({
    resources: [bucketA, bucketB, key],
    rules,
    findings: [finding('R-PUBLIC', bucketA), finding('R-ENC', bucketB, 'suppressed')],
    unknownKinds: ['aws:AWS::IAM::User'],
  });
  const status = Object.fromEntries(s.rules.map((r) => [r.ruleId, r.status]));
  assert.deepEqual(status, { 'R-PUBLIC': 'fail', 'R-ENC': 'pass', 'R-ROT': 'pass', 'R-TRAIL': 'not-applicable', 'R-USER': 'not-assessed' });
  assert.deepEqual(s.rules.find((r) => r.ruleId === 'R-PUBLIC'), { ruleId: 'R-PUBLIC', status: 'fail', resources: 2, failed: 1 });
  const control = (f: string, c: string) => s.controls.find((x) => x.framework === f && x.control === c)?.status;
  assert.equal(control('soc2', 'CC6.1'), 'fail', 'worst of R-PUBLIC (fail) and R-ENC (pass)');
  assert.equal(control('cis-aws-3.0', '3.1'), 'not-applicable');
  assert.equal(control('cis-aws-3.0', '1.10'), 'not-assessed');
  const cis = s.frameworks.find((f) => f.framework === 'cis-aws-3.0')!;
  assert.deepEqual(cis.controls, { pass: 2, fail: 1, notAssessed: 1, notApplicable: 1 });
  assert.equal(cis.compliance, 50, '2 passed of 4 assessed (not-assessed counts against)');
  // Risk: critical 10 × 1 failed of 2 buckets; medium 3 × 2 buckets + 3 × 1 key; high × 0 resources.
  assert.equal(s.risk, Math.round((10 * 10) / (10 * 2 + 3 * 2 + 3 * 1) * 10) / 10);
});

test('a not-assessed finding makes the rule not assessed; an empty scan scores 0 with no compliance figure', () => {
  const s = scorePosture({ resources: [key], rules, findings: [finding('R-ROT', key, 'not-assessed')] });
  assert.equal(s.rules.find((r) => r.ruleId === 'R-ROT')!.status, 'not-assessed');
  assert.equal(s.risk, 0);
  const empty = scorePosture({ resources: [], rules, findings: [] });
  assert.equal(empty.risk, 0);
  assert.ok(empty.frameworks.every((f) => f.compliance === null));
});

test('every failure at the highest weight gives risk 10', () => {
  const s = scorePosture({ resources: [bucketA], rules: [rules[0]!], findings: [finding('R-PUBLIC', bucketA)] });
  assert.equal(s.risk, 10);
  assert.equal(s.frameworks.find((f) => f.framework === 'cis-aws-3.0')!.compliance, 0);
});
