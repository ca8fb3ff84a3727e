import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeContext } from '../../../engine.js';
import type { Resource, ResourceKind } from '../../../model.js';
import { allowsAnyone, globMatch, grantsAction, onAllResources, policyStatements, restrictsCaller } from './policy.js';

function res(kind: ResourceKind, id: string, attrs: Record<string, unknown>): Resource {
  const type = kind.slice(kind.indexOf(':') + 1).replace(/^data\./, '');
  return {
    kind,
    input: kind.startsWith('cfn:') ? 'cloudformation' : 'terraform',
    provider: 'aws',
    type,
    id,
    name: id.split('.').pop() ?? id,
    file: 'main.tf',
    line: 1,
    endLine: 1,
    attrs,
    lineOf: () => undefined,
    refs: [],
    suppressions: [],
  };
}

const doc = (statement: unknown): string => JSON.stringify({ Version: '2012-10-17', Statement: statement });

describe('policyStatements', () => {
  test('JSON string (heredoc / jsonencode): statements normalised, reported at the attribute', () => {
    const r = res('tf:aws_iam_policy', 'aws_iam_policy.p', {
      policy: doc([{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::1:root', '*'] }, Action: 's3:GetObject', Resource: ['*'], Condition: { StringEquals: { 'aws:SourceAccount': '1' } } }]),
    });
    const [s, ...rest] = policyStatements(r, ['policy'], makeContext([r]))!;
    assert.equal(rest.length, 0);
    assert.deepEqual(s!.principals, [{ type: 'AWS', id: 'arn:aws:iam::1:root' }, { type: 'AWS', id: '*' }]);
    assert.deepEqual(s!.actions, ['s3:GetObject']);
    assert.deepEqual(s!.resources, ['*']);
    assert.deepEqual(s!.conditions, [{ operator: 'StringEquals', key: 'aws:SourceAccount', values: ['1'] }]);
    assert.deepEqual(s!.path, ['policy']);
    assert.equal(restrictsCaller(s!), true);
    assert.equal(allowsAnyone(s!), false);
  });

  test('CloudFormation object: a single statement object, paths into the document', () => {
    const r = res('cfn:AWS::S3::BucketPolicy', 'P', { PolicyDocument: { Statement: { Effect: 'Allow', Principal: '*', Action: ['s3:*'] } } });
    const [s] = policyStatements(r, ['PolicyDocument'], makeContext([r]))!;
    assert.deepEqual(s!.path, ['PolicyDocument', 'Statement']);
    assert.deepEqual(s!.principalPath, ['PolicyDocument', 'Statement', 'Principal']);
    assert.equal(allowsAnyone(s!), true);
  });

  test('data "aws_iam_policy_document" referenced through .json, in the same module', () => {
    const data = res('tf:data.aws_iam_policy_document', 'module.m.data.aws_iam_policy_document.d', {
      statement: [{ principals: [{ type: '*', identifiers: ['*'] }], actions: ['s3:Delete*'], condition: [{ test: 'IpAddress', variable: 'aws:SourceIp', values: ['10.0.0.0/8'] }] }],
    });
    const other = res('tf:data.aws_iam_policy_document', 'data.aws_iam_policy_document.d', { statement: [{ actions: ['s3:GetObject'] }] });
    const r = res('tf:aws_s3_bucket_policy', 'module.m.aws_s3_bucket_policy.p', { policy: '${data.aws_iam_policy_document.d.json}' });
    const [s] = policyStatements(r, ['policy'], makeContext([other, data, r]))!;
    assert.equal(s!.effect, 'Allow');
    assert.deepEqual(s!.path, ['policy']);
    assert.equal(allowsAnyone(s!), true, 'a source IP does not say who the caller is');
    assert.equal(grantsAction(s!, 's3:DeleteObject'), true);
  });

  test('absent or empty documents have no statements; unreadable ones are unknown', () => {
    const ctx = makeContext([]);
    assert.deepEqual(policyStatements(res('tf:aws_iam_policy', 'a', {}), ['policy'], ctx), []);
    assert.deepEqual(policyStatements(res('tf:aws_iam_policy', 'a', { policy: '' }), ['policy'], ctx), []);
    assert.equal(policyStatements(res('tf:aws_iam_policy', 'a', { policy: '${var.policy}' }), ['policy'], ctx), undefined);
    assert.equal(policyStatements(res('tf:aws_iam_policy', 'a', { policy: '${data.aws_iam_policy_document.missing.json}' }), ['policy'], ctx), undefined);
    assert.equal(policyStatements(res('tf:aws_iam_policy', 'a', { policy: '{"Statement": [' }), ['policy'], ctx), undefined);
    assert.equal(policyStatements(res('cfn:AWS::IAM::Policy', 'a', { PolicyDocument: { 'Fn::If': ['c', {}, {}] } }), ['PolicyDocument'], ctx), undefined);
  });

  test('hostile input: wrong shapes are skipped, huge documents are not parsed', () => {
    const ctx = makeContext([]);
    const weird = res('tf:aws_iam_policy', 'a', { policy: JSON.stringify({ Statement: [null, 3, 'x', { Effect: 7, Action: { a: 1 }, Principal: [1, '*'] }] }) });
    const [s, ...rest] = policyStatements(weird, ['policy'], ctx)!;
    assert.equal(rest.length, 0);
    assert.equal(s!.effect, '');
    assert.deepEqual(s!.actions, []);
    assert.deepEqual(s!.principals, [{ type: '*', id: '*' }]);
    const huge = res('tf:aws_iam_policy', 'a', { policy: `{"Statement": [${'{"Effect":"Allow"},'.repeat(20000)}{}]}` });
    assert.equal(policyStatements(huge, ['policy'], ctx), undefined);
    const trailing = res('tf:aws_iam_policy', 'a', { policy: '{"Statement": [{"Effect": "Allow", "Action": "*",},]}' });
    assert.equal(policyStatements(trailing, ['policy'], ctx)?.length, 1, 'trailing commas are read as meant');
  });
});

describe('matching', () => {
  test('globMatch: IAM wildcards, case-insensitive, no regex', () => {
    assert.equal(globMatch('s3:Get*', 's3:GetObject'), true);
    assert.equal(globMatch('S3:GETOBJECT', 's3:GetObject'), true);
    assert.equal(globMatch('s3:?etObject', 's3:GetObject'), true);
    assert.equal(globMatch('s3:Put*', 's3:GetObject'), false);
    assert.equal(globMatch('*', 'anything'), true);
    assert.equal(globMatch('', 'x'), false);
    assert.equal(globMatch('a*b*c*d', 'a'.repeat(5000) + 'bcd'), true);
    assert.equal(globMatch(`${'*a'.repeat(50)}z`, 'a'.repeat(5000)), false);
  });

  test('grantsAction honours NotAction; onAllResources honours NotResource', () => {
    const base = { effect: 'Allow', principals: undefined, actions: [], resources: [], notResources: undefined, conditions: [], path: [], principalPath: [] };
    assert.equal(grantsAction({ ...base, notActions: ['iam:*'] }, 's3:GetObject'), true);
    assert.equal(grantsAction({ ...base, notActions: ['s3:*'] }, 's3:GetObject'), false);
    assert.equal(onAllResources({ ...base, notActions: undefined, notResources: ['arn:x'] }), true);
  });

  test('restrictsCaller: fixed values of identity keys only', () => {
    const s = (operator: string, key: string, values: string[]) => ({
      effect: 'Allow', principals: [{ type: '*', id: '*' }], actions: ['s3:GetObject'], notActions: undefined, resources: ['*'], notResources: undefined,
      conditions: [{ operator, key, values }], path: [], principalPath: [],
    });
    assert.equal(restrictsCaller(s('StringEquals', 'aws:PrincipalOrgID', ['o-1'])), true);
    assert.equal(restrictsCaller(s('ForAnyValue:StringLike', 'aws:PrincipalOrgPaths', ['o-1/*'])), true);
    assert.equal(restrictsCaller(s('StringEquals', 'aws:PrincipalOrgID', ['*'])), false);
    assert.equal(restrictsCaller(s('StringEqualsIfExists', 'aws:SourceAccount', ['1'])), false);
    assert.equal(restrictsCaller(s('StringNotEquals', 'aws:SourceAccount', ['1'])), false);
    assert.equal(restrictsCaller(s('IpAddress', 'aws:SourceIp', ['8.8.8.8/32'])), false);
    assert.equal(restrictsCaller(s('StringLike', 'aws:Referer', ['https://example.com/*'])), false);
  });
});
