/**
 * Account- and region-level rules over failed reads: the collector puts the gap of a failed
 * listing on the region / account resource under the kind it left unknown, and the rules say
 * "not assessed" instead of "off"; odd attribute shapes never throw.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate } from '../../../engine.js';
import { collected, exampleResources, type ExampleResource } from '../../shared/live.js';
import { awsRules } from '../index.js';
import { accountArn, accountRes, AWS_KINDS, deniedGap, regionArn, regionRes, trail } from './lib.js';
import { user } from './users.js';

function run(resources: readonly ExampleResource[], ruleId: string): string[] {
  const rule = awsRules.find((r) => r.id === ruleId);
  assert.ok(rule, ruleId);
  const { resources: rs, problems } = exampleResources(collected('aws', resources));
  assert.deepEqual(problems, []);
  return evaluate(rs, [rule]).map((f) => `${f.status} ${f.resource.id}`);
}

test('a region whose ListDetectors was refused is not assessed for GuardDuty, not "off"', () => {
  assert.deepEqual(run([regionRes('eu-west-1', { [AWS_KINDS.guardDutyDetector]: deniedGap('ListDetectors') })], 'VGL-AWS-288'), [`not-assessed ${regionArn('eu-west-1')}`]);
  assert.deepEqual(run([regionRes('eu-west-1')], 'VGL-AWS-288'), [`fail ${regionArn('eu-west-1')}`]);
});

test('no multi-region trail found while a region could not list trails: not assessed', () => {
  const gap = { [AWS_KINDS.trail]: deniedGap('DescribeTrails') };
  assert.deepEqual(run([accountRes(), regionRes('eu-west-1', gap)], 'VGL-AWS-250'), [`not-assessed ${accountArn()}`]);
  // A passing trail elsewhere settles it, whatever the unread region holds.
  assert.deepEqual(run([accountRes(), regionRes('eu-west-1', gap), trail('main', {}, 'us-east-1')], 'VGL-AWS-250'), []);
});

test('CIS alarms: no metric filter could be listed → not assessed for every section 4 rule', () => {
  const gap = { [AWS_KINDS.metricFilter]: deniedGap('DescribeMetricFilters') };
  for (const id of ['VGL-AWS-270', 'VGL-AWS-284']) assert.deepEqual(run([accountRes(), regionRes('eu-west-1', gap), trail('main')], id), [`not-assessed ${accountArn()}`]);
});

test('a user whose credential report could not be read is not assessed; odd report cells do not throw', () => {
  const unread: ExampleResource = { ...user('eve'), attrs: { UserName: 'eve', Arn: 'arn:aws:iam::111122223333:user/eve' }, gaps: { CredentialReport: deniedGap('GetCredentialReport') } };
  assert.deepEqual(run([unread], 'VGL-AWS-211'), ['not-assessed arn:aws:iam::111122223333:user/eve']);
  const odd = user('odd', { password_enabled: 'true', mfa_active: 'maybe', password_last_used: 'yesterday', access_key_1_active: 'true', access_key_1_last_rotated: '9999-99-99' });
  for (const id of ['VGL-AWS-211', 'VGL-AWS-212', 'VGL-AWS-213', 'VGL-AWS-214', 'VGL-AWS-215', 'VGL-AWS-216']) assert.doesNotThrow(() => run([odd], id));
  const strings = { ...user('s'), attrs: { UserName: 's', CredentialReport: 'not a row', AttachedPolicies: 'x', InlinePolicies: 7, AccessKeys: {} } };
  for (const id of ['VGL-AWS-013', 'VGL-AWS-014', 'VGL-AWS-015', 'VGL-AWS-215']) assert.doesNotThrow(() => run([strings], id));
});
