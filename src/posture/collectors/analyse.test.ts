import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineRule, violation, type Rule } from '../rule.js';
import { analyseCollected } from './analyse.js';
import { collectedResource } from './resource.js';
import type { CollectResult } from './types.js';

const rule = (id: string, kind: `aws:${string}`, bad: (attrs: Record<string, unknown>) => boolean): Rule =>
  defineRule({
    id,
    title: id,
    description: id,
    severity: 'high',
    platform: 'aws',
    service: 's3',
    kinds: [kind],
    frameworks: [{ framework: 'cis-aws-3.0', control: id }],
    remediation: 'fix it',
    references: [],
    check: (r) => (bad(r.attrs) ? [violation(['PublicAccessBlock'], 'bad')] : []),
    examples: { good: [], bad: [] },
  });

const rules = [
  rule('VGL-AWS-901', 'aws:AWS::S3::Bucket', (a) => a['PublicAccessBlock'] === null),
  rule('VGL-AWS-902', 'aws:AWS::IAM::User', () => true),
  rule('VGL-AWS-903', 'aws:AWS::IAM::AccountPasswordPolicy', () => true),
];

const bucket = (name: string, pab: unknown) =>
  collectedResource({ kind: 'aws:AWS::S3::Bucket', input: 'aws', provider: 'aws', id: `arn:aws:s3:::${name}`, name, account: '111122223333', region: 'eu-west-1', attrs: { Name: name, PublicAccessBlock: pab } });

const result: CollectResult = {
  target: { provider: 'aws', id: '111122223333', name: 'prod', regions: ['eu-west-1'] },
  resources: [bucket('open', null), bucket('closed', { BlockPublicAcls: true })],
  gaps: [
    { provider: 'aws', target: '111122223333', service: 'iam', operation: 'ListUsers', reason: 'access-denied', message: 'AccessDenied: not authorized', kinds: ['aws:AWS::IAM::User'] },
    { provider: 'aws', target: '111122223333', service: 'iam', operation: 'ListUserPolicies', reason: 'access-denied', message: 'AccessDenied', kinds: ['aws:AWS::IAM::User'] },
  ],
  stats: { ms: 5, calls: 3, retries: 0 },
};

test('collected resources run through the rules; gaps become not-assessed findings and report errors', () => {
  const scan = analyseCollected(result, rules, { now: new Date('2026-01-01') });
  const fails = scan.report.findings.filter((f) => f.status === 'fail');
  assert.deepEqual(fails.map((f) => [f.ruleId, f.resource.id, f.location]), [['VGL-AWS-901', 'arn:aws:s3:::open', { file: 'arn:aws:s3:::open', line: 0 }]]);
  const na = scan.report.findings.filter((f) => f.status === 'not-assessed');
  assert.equal(na.length, 1, 'two failed IAM calls starve one rule once per target and region');
  assert.equal(na[0]!.ruleId, 'VGL-AWS-902');
  assert.match(na[0]!.message, /iam ListUsers failed \(access-denied\): AccessDenied: not authorized/);
  assert.equal(na[0]!.location.file, 'aws://111122223333/global/iam:ListUsers');
  assert.equal(scan.report.errors.length, 2);
  assert.equal(scan.report.target, 'aws:111122223333');
  const status = Object.fromEntries(scan.scores.rules.map((r) => [r.ruleId, r.status]));
  assert.deepEqual(status, { 'VGL-AWS-901': 'fail', 'VGL-AWS-902': 'not-assessed', 'VGL-AWS-903': 'not-applicable' });
});

test('a framework filter limits the gap findings to the selected rules', () => {
  const scan = analyseCollected(result, rules, { framework: 'soc2' });
  assert.equal(scan.report.findings.length, 0);
  assert.equal(scan.scores.frameworks.length, 0);
});
