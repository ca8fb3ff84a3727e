/**
 * The AWS service rules beyond their own examples (registry.test.ts runs those): the shared
 * helpers, values the inputs cannot resolve, registry module calls and their versions, plan
 * JSON shapes, cross-resource lookups inside modules, and hostile attribute values.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyse } from '../../../analyse.js';
import type { SourceFile } from '../../../inputs/types.js';
import type { Resource } from '../../../model.js';
import type { Rule } from '../../../rule.js';
import { awsServiceRules } from '../index-services.js';
import { flag, isEmpty, requireAtLeast, requireTrue } from './lib/checks.js';
import { moduleMajor, registryModule } from './lib/modules.js';

const rule = (id: string): Rule => {
  const r = awsServiceRules.find((x) => x.id === id);
  assert.ok(r, `rule ${id}`);
  return r;
};

/** Lines of the failing findings of one rule over the files, sorted. */
async function failLines(id: string, files: SourceFile[]): Promise<number[]> {
  const a = await analyse(files, [rule(id)]);
  assert.deepEqual(a.problems, [], 'the sources parse');
  return a.findings.filter((f) => f.status === 'fail').map((f) => f.location.line).sort((x, y) => x - y);
}

const tfFile = (text: string, path = 'main.tf'): SourceFile => ({ path, text });
const cfnFile = (text: string, path = 'template.yaml'): SourceFile => ({ path, text });

const moduleCall = (source: string, version?: string): Resource =>
  ({ attrs: version === undefined ? { source } : { source, version } }) as unknown as Resource;

describe('registry modules', () => {
  test('names the registry and GitHub forms of terraform-aws-modules, nothing else', () => {
    assert.equal(registryModule(moduleCall('terraform-aws-modules/rds/aws')), 'rds');
    assert.equal(registryModule(moduleCall('registry.terraform.io/terraform-aws-modules/alb/aws')), 'alb');
    assert.equal(registryModule(moduleCall('git::https://github.com/terraform-aws-modules/terraform-aws-rds-aurora.git?ref=v9.0.0')), 'rds-aurora');
    assert.equal(registryModule(moduleCall('github.com/terraform-aws-modules/terraform-aws-alb')), 'alb');
    assert.equal(registryModule(moduleCall('terraform-aws-modules/rds/aws//modules/db_instance')), undefined);
    assert.equal(registryModule(moduleCall('./modules/rds')), undefined);
    assert.equal(registryModule(moduleCall('example/rds/aws')), undefined);
    assert.equal(registryModule({ attrs: {} } as unknown as Resource), undefined);
    assert.equal(registryModule(moduleCall('x'.repeat(10_000))), undefined);
  });

  test('reads the major version a call pins', () => {
    assert.equal(moduleMajor(moduleCall('terraform-aws-modules/alb/aws', '~> 6.0')), 6);
    assert.equal(moduleMajor(moduleCall('terraform-aws-modules/alb/aws', '>= 5.1, < 7')), 5);
    assert.equal(moduleMajor(moduleCall('terraform-aws-modules/alb/aws', '9.11.0')), 9);
    assert.equal(moduleMajor(moduleCall('terraform-aws-modules/alb/aws')), undefined);
  });

  test('the alb module protects by default from v9 on', async () => {
    const call = (version: string): string =>
      `module "alb" {\n  source = "terraform-aws-modules/alb/aws"\n${version}  name   = "web"\n}\n`;
    assert.deepEqual(await failLines('VGL-AWS-131', [tfFile(call('  version = "~> 6.0"\n'))]), [1]);
    assert.deepEqual(await failLines('VGL-AWS-131', [tfFile(call('  version = "~> 9.0"\n'))]), []);
    assert.deepEqual(await failLines('VGL-AWS-131', [tfFile(call(''))]), []);
    assert.deepEqual(await failLines('VGL-AWS-132', [tfFile(call('  version = "5.16.0"\n'))]), [1]);
  });

  test('the rds module encrypts by default but keeps one day of backups', async () => {
    const call = 'module "db" {\n  source  = "terraform-aws-modules/rds/aws"\n  version = "~> 6.0"\n  engine  = "postgres"\n}\n';
    assert.deepEqual(await failLines('VGL-AWS-101', [tfFile(call)]), []);
    assert.deepEqual(await failLines('VGL-AWS-102', [tfFile(call)]), [1]);
  });
});

describe('shared checks', () => {
  test('booleans as written, YAML 1.1 spellings included', () => {
    assert.equal(flag(true), true);
    assert.equal(flag('False'), false);
    assert.equal(flag('Yes'), true);
    assert.equal(flag('off'), false);
    assert.equal(flag('maybe'), undefined);
    assert.equal(flag(1), undefined);
  });

  test('requireTrue: absent uses the default, unresolved and junk pass', () => {
    assert.equal(requireTrue({}, ['x'], 'm').length, 1);
    assert.equal(requireTrue({}, ['x'], 'm', true).length, 0);
    assert.equal(requireTrue({ x: null }, ['x'], 'm').length, 1);
    assert.equal(requireTrue({ x: '${var.on}' }, ['x'], 'm').length, 0);
    assert.equal(requireTrue({ x: { Ref: 'On' } }, ['x'], 'm').length, 0);
    assert.equal(requireTrue({ x: 'false' }, ['x'], 'm').length, 1);
    assert.equal(requireTrue({ x: 42 }, ['x'], 'm').length, 0);
  });

  test('requireAtLeast and isEmpty', () => {
    assert.equal(requireAtLeast({ n: '3' }, ['n'], 7, 'm').length, 1);
    assert.equal(requireAtLeast({ n: 7 }, ['n'], 7, 'm').length, 0);
    assert.equal(requireAtLeast({}, ['n'], 7, 'm', 1).length, 1);
    assert.equal(requireAtLeast({}, ['n'], 7, 'm').length, 0);
    assert.equal(requireAtLeast({ n: '${var.days}' }, ['n'], 7, 'm').length, 0);
    for (const v of [undefined, null, '', '  ', [], {}]) assert.equal(isEmpty(v), true, JSON.stringify(v));
    for (const v of ['x', [1], { a: 1 }, 0, false]) assert.equal(isEmpty(v), false, JSON.stringify(v));
  });
});

describe('unknown values are not failures', () => {
  test('Terraform variables without defaults and CloudFormation parameters without defaults', async () => {
    const tf = 'variable "public" {}\n\nresource "aws_db_instance" "db" {\n  engine              = "mysql"\n  publicly_accessible = var.public\n}\n';
    assert.deepEqual(await failLines('VGL-AWS-100', [tfFile(tf)]), []);
    const cfn = 'Parameters:\n  Public:\n    Type: String\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      PubliclyAccessible: !Ref Public\n';
    assert.deepEqual(await failLines('VGL-AWS-100', [cfnFile(cfn)]), []);
  });

  test('a variable default is evaluated', async () => {
    const tf = 'variable "public" {\n  default = true\n}\n\nresource "aws_db_instance" "db" {\n  engine              = "mysql"\n  publicly_accessible = var.public\n}\n';
    assert.deepEqual(await failLines('VGL-AWS-100', [tfFile(tf)]), [7]);
  });
});

describe('hostile and malformed attribute values', () => {
  test('container definitions that are not JSON, too large or of the wrong type', async () => {
    for (const defs of ['"not json"', '"[{"', `"${'a'.repeat(600_000)}"`, '42', '{ privileged = true }']) {
      const tf = `resource "aws_ecs_task_definition" "t" {\n  family                = "t"\n  container_definitions = ${defs}\n}\n`;
      assert.deepEqual(await failLines('VGL-AWS-164', [tfFile(tf)]), [], defs.slice(0, 20));
    }
  });

  test('policies that do not parse are unknown', async () => {
    const tf = 'resource "aws_sqs_queue_policy" "p" {\n  queue_url = "q"\n  policy    = "{ not json"\n}\n';
    assert.deepEqual(await failLines('VGL-AWS-170', [tfFile(tf)]), []);
  });

  test('blocks written with unexpected shapes do not throw', async () => {
    const tf = 'resource "aws_eks_cluster" "k" {\n  name                      = "k"\n  enabled_cluster_log_types = "api"\n  vpc_config = "x"\n}\n';
    const a = await analyse([tfFile(tf)], awsServiceRules);
    assert.deepEqual(a.findings.filter((f) => f.status === 'not-assessed'), []);
  });

  test('every rule survives a template of nulls and wrong types', async () => {
    const types = ['AWS::RDS::DBInstance', 'AWS::CloudFront::Distribution', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::MSK::Cluster', 'AWS::Glue::SecurityConfiguration', 'AWS::EKS::Cluster', 'AWS::ApiGateway::Stage', 'AWS::Lambda::Function'];
    const body = types.map((t, i) => `  R${i}:\n    Type: ${t}\n    Properties:\n      DistributionConfig: 5\n      LoadBalancerAttributes: {}\n      EncryptionInfo: []\n      EncryptionConfiguration: "x"\n      MethodSettings: 7\n      Environment: null\n`).join('');
    const a = await analyse([cfnFile(`Resources:\n${body}`)], awsServiceRules);
    assert.deepEqual(a.problems, []);
    assert.deepEqual(a.findings.filter((f) => f.status === 'not-assessed').map((f) => `${f.ruleId}: ${f.message}`), []);
  });
});

describe('terraform plan JSON', () => {
  test('gives the same finding as the HCL for a nested block', async () => {
    const plan = JSON.stringify({
      format_version: '1.2',
      terraform_version: '1.9.0',
      planned_values: {
        root_module: {
          resources: [
            { address: 'aws_dynamodb_table.t', mode: 'managed', type: 'aws_dynamodb_table', name: 't', values: { name: 't', server_side_encryption: [{ enabled: false, kms_key_arn: null }] } },
            { address: 'aws_db_instance.db', mode: 'managed', type: 'aws_db_instance', name: 'db', values: { engine: 'mysql', publicly_accessible: true } },
          ],
        },
      },
    }, null, 2);
    const a = await analyse([{ path: 'plan.json', text: plan }], [rule('VGL-AWS-111'), rule('VGL-AWS-100')]);
    assert.deepEqual(a.problems, []);
    assert.deepEqual(a.findings.map((f) => `${f.ruleId} ${f.resource.id}`).sort(), ['VGL-AWS-100 aws_db_instance.db', 'VGL-AWS-111 aws_dynamodb_table.t']);
  });
});

describe('cross-resource lookups', () => {
  test('an RDS parameter group is found inside a local module', async () => {
    const root = tfFile('module "db" {\n  source = "./db"\n}\n');
    const child = tfFile(
      'resource "aws_db_instance" "db" {\n  engine               = "postgres"\n  parameter_group_name = aws_db_parameter_group.pg.name\n}\n\nresource "aws_db_parameter_group" "pg" {\n  family = "postgres16"\n}\n',
      'db/main.tf',
    );
    const a = await analyse([root, child], [rule('VGL-AWS-109')]);
    assert.deepEqual(a.findings.map((f) => `${f.resource.id}:${f.location.line}`), ['module.db.aws_db_instance.db:3']);
  });

  test('a CloudFormation parameter default is reported where it is written', async () => {
    const cfn = 'Parameters:\n  Token:\n    Type: String\n    Default: ghp_0123456789abcdef\nResources:\n  App:\n    Type: AWS::Amplify::App\n    Properties:\n      Name: site\n      AccessToken: !Ref Token\n';
    const a = await analyse([cfnFile(cfn)], [rule('VGL-AWS-194')]);
    assert.deepEqual(a.findings.map((f) => `${f.resource.id}:${f.location.line}`), ['Parameters.Token:4']);
  });
});

describe('customer managed keys', () => {
  test('AWS managed aliases and empty keys are not customer keys; expressions are unknown', async () => {
    const stream = (key: string): SourceFile => tfFile(`resource "aws_kinesis_stream" "s" {\n  name            = "s"\n  encryption_type = "KMS"\n  kms_key_id      = ${key}\n}\n`);
    assert.deepEqual(await failLines('VGL-AWS-190', [stream('"arn:aws:kms:eu-west-1:123456789012:alias/aws/kinesis"')]), [4]);
    assert.deepEqual(await failLines('VGL-AWS-190', [stream('""')]), [4]);
    assert.deepEqual(await failLines('VGL-AWS-190', [stream('var.key')]), []);
    assert.deepEqual(await failLines('VGL-AWS-190', [stream('"alias/my-key"')]), []);
  });
});

test('every service rule id is in the VGL-AWS-100…199 series', () => {
  for (const r of awsServiceRules) {
    const n = Number(r.id.slice('VGL-AWS-'.length));
    assert.ok(n >= 100 && n <= 199, r.id);
  }
});
