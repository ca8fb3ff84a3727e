import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locate, type Resource } from '../../model.js';
import { cloudFormationInput, looksLikeTemplate, parseCloudFormation } from './index.js';
import type { CfnResourceMeta } from './template.js';

const parse = (text: string, path = 'template.yaml') => parseCloudFormation({ path, text });
const byId = (rs: readonly Resource[], id: string): Resource => {
  const r = rs.find((x) => x.id === id);
  assert.ok(r, `resource ${id}`);
  return r;
};

const YAML_TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Parameters:
  Env:
    Type: String
    Default: prod
  Subnets:
    Type: CommaDelimitedList
    Default: "subnet-a, subnet-b"
  KeyArn:
    Type: String
  Ami:
    Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
    Default: /aws/service/ami
Mappings:
  Sizes:
    prod:
      Instance: m5.large
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  Both: !And [!Condition IsProd, !Equals [!Ref "AWS::Region", us-east-1]]
  HasKey: !Not [!Equals [!Ref KeyArn, ""]]
Resources:
  # vigil:ignore=VGL-AWS-001 public website bucket
  Bucket:
    Type: AWS::S3::Bucket
    DeletionPolicy: Retain
    Condition: IsProd
    Properties:
      BucketName: !Sub "\${Env}-logs-\${AWS::AccountId}"
      Plain: !Sub "\${Env}-x"
      VersioningConfiguration:
        Status: !If [IsProd, Enabled, Suspended]
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
              KMSMasterKeyID: !If [HasKey, !Ref KeyArn, !Ref "AWS::NoValue"]
      Dev: !If [IsDev, !Ref AWS::NoValue, kept]
      Size: !FindInMap [Sizes, !Ref Env, Instance]
      Joined: !Join ["-", [a, !Ref Env]]
      Second: !Select [1, !Ref Subnets]
      Split: !Select [0, !Split [",", "x,y"]]
      Region: !Ref AWS::Region
      Unknown: !If [Both, a, b]
      Account: 012345678901
      Version: 10.10
  Policy:
    Type: AWS::S3::BucketPolicy
    DependsOn: [Bucket]
    Metadata:
      vigil:
        ignore:
          - id: VGL-AWS-002
            reason: reviewed
    Properties:
      Bucket: !Ref Bucket
      Arn: !GetAtt Bucket.Arn
      Other: !Sub "arn:\${Bucket}/\${!Literal}"
      Image: !Ref Ami
  Custom:
    Type: Custom::Thing
`;

test('YAML: resources, resolved attrs, long-form intrinsics and meta', () => {
  const { resources, problems } = parse(YAML_TEMPLATE);
  assert.deepEqual(problems, []);
  const bucket = byId(resources, 'Bucket');
  assert.equal(bucket.kind, 'cfn:AWS::S3::Bucket');
  assert.equal(bucket.type, 'AWS::S3::Bucket');
  assert.equal(bucket.provider, 'aws');
  assert.equal(bucket.input, 'cloudformation');
  assert.equal(bucket.name, 'Bucket');
  assert.equal(bucket.file, 'template.yaml');
  assert.equal(bucket.line, 26);
  assert.equal(bucket.endLine, 48);
  const a = bucket.attrs;
  assert.deepEqual(a['BucketName'], { 'Fn::Sub': 'prod-logs-${AWS::AccountId}' });
  assert.equal(a['Plain'], 'prod-x');
  assert.deepEqual(a['VersioningConfiguration'], { Status: 'Enabled' });
  assert.deepEqual(a['BucketEncryption'], {
    ServerSideEncryptionConfiguration: [
      { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::If': ['HasKey', { Ref: 'KeyArn' }, { Ref: 'AWS::NoValue' }] } } },
    ],
  });
  assert.equal(Object.hasOwn(a, 'Dev'), true, 'IsDev is false: the second branch');
  assert.equal(a['Dev'], 'kept');
  assert.equal(a['Size'], 'm5.large');
  assert.equal(a['Joined'], 'a-prod');
  assert.equal(a['Second'], 'subnet-b');
  assert.equal(a['Split'], 'x');
  assert.deepEqual(a['Region'], { Ref: 'AWS::Region' });
  assert.deepEqual(a['Unknown'], { 'Fn::If': ['Both', 'a', 'b'] });
  assert.equal(a['Account'], '012345678901', 'leading zero kept');
  assert.equal(a['Version'], '10.10', 'trailing zero kept');
  const meta = bucket.meta as CfnResourceMeta;
  assert.equal(meta.condition, 'IsProd');
  assert.equal(meta.conditionValue, true);
  assert.equal(meta.deletionPolicy, 'Retain');
  assert.equal(meta.propertiesLine, 30);
  assert.deepEqual(meta.dependsOn, []);
  assert.deepEqual(
    meta.parameterRefs.map((p) => [p.path.join('.'), p.parameters.join(',')]),
    [
      ['BucketName', 'Env'],
      ['Plain', 'Env'],
      ['Joined', 'Env'],
      ['Second', 'Subnets'],
    ],
  );
  assert.deepEqual(bucket.suppressions, [{ ruleId: 'VGL-AWS-001', reason: 'public website bucket', line: 25 }]);

  const policy = byId(resources, 'Policy');
  assert.deepEqual(policy.attrs['Bucket'], { Ref: 'Bucket' });
  assert.deepEqual(policy.attrs['Arn'], { 'Fn::GetAtt': ['Bucket', 'Arn'] });
  assert.deepEqual(policy.attrs['Other'], { 'Fn::Sub': 'arn:${Bucket}/${!Literal}' });
  assert.deepEqual(policy.attrs['Image'], { Ref: 'Ami' }, 'SSM parameter types are not resolved');
  assert.deepEqual(policy.refs, ['Bucket']);
  assert.deepEqual((policy.meta as CfnResourceMeta).dependsOn, ['Bucket']);
  assert.deepEqual(policy.suppressions, [{ ruleId: 'VGL-AWS-002', reason: 'reviewed', line: 55 }]);

  const custom = byId(resources, 'Custom');
  assert.equal(custom.provider, 'other');
  assert.deepEqual(custom.attrs, {});
  assert.equal(custom.lineOf(['Anything']), undefined);
  assert.equal(locate(custom, ['Anything']), custom.line);
});

test('YAML: lineOf is exact for nested keys and list items, after resolution', () => {
  const bucket = byId(parse(YAML_TEMPLATE).resources, 'Bucket');
  assert.equal(bucket.lineOf([]), 30);
  assert.equal(bucket.lineOf(['BucketName']), 31);
  assert.equal(bucket.lineOf(['VersioningConfiguration', 'Status']), 34);
  assert.equal(bucket.lineOf(['BucketEncryption', 'ServerSideEncryptionConfiguration', 0]), 37);
  assert.equal(bucket.lineOf(['BucketEncryption', 'ServerSideEncryptionConfiguration', 0, 'ServerSideEncryptionByDefault', 'SSEAlgorithm']), 38);
  assert.equal(bucket.lineOf(['BucketEncryption', 'ServerSideEncryptionConfiguration', 1]), undefined);
  assert.equal(bucket.lineOf(['Second']), 43);
  assert.equal(bucket.lineOf(['Missing']), undefined);
  assert.equal(locate(bucket, ['BucketEncryption', 'ServerSideEncryptionConfiguration', 0, 'BucketKeyEnabled']), 37);
});

test('parameters become cfn:Parameter pseudo-resources located at their keys', () => {
  const { resources } = parse(YAML_TEMPLATE);
  const env = byId(resources, 'Parameters.Env');
  assert.equal(env.kind, 'cfn:Parameter');
  assert.equal(env.name, 'Env');
  assert.deepEqual(env.attrs, { Type: 'String', Default: 'prod' });
  assert.equal(env.lineOf(['Default']), 6);
  assert.equal(resources.filter((r) => r.kind === 'cfn:Parameter').length, 4);
  assert.equal(resources.filter((r) => r.kind !== 'cfn:Parameter').length, 3);
});

test('JSON: same model, lines from offsets', () => {
  const text = `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": { "Public": { "Type": "String", "Default": "true" } },
  "Resources": {
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "PubliclyAccessible": { "Ref": "Public" },
        "StorageEncrypted": false,
        "Tags": [
          { "Key": "a", "Value": { "Fn::Join": ["", ["x", { "Ref": "AWS::StackName" }]] } }
        ]
      }
    }
  }
}`;
  const { resources, problems } = parse(text, 'db.json');
  assert.deepEqual(problems, []);
  const db = byId(resources, 'Db');
  assert.equal(db.attrs['PubliclyAccessible'], 'true');
  assert.equal(db.attrs['StorageEncrypted'], false);
  assert.deepEqual(db.attrs['Tags'], [{ Key: 'a', Value: { 'Fn::Join': ['', ['x', { Ref: 'AWS::StackName' }]] } }]);
  assert.equal(db.line, 5);
  assert.equal(db.endLine, 14);
  assert.equal(db.lineOf(['PubliclyAccessible']), 8);
  assert.equal(db.lineOf(['Tags', 0]), 11);
  assert.equal(db.lineOf(['Tags', 0, 'Value']), 11);
  assert.equal(db.suppressions.length, 0);
});

test('.template files are read as JSON or YAML by their first character', () => {
  const json = parse('{"Resources":{"Q":{"Type":"AWS::SQS::Queue"}}}', 'stack.template');
  const yaml = parse('Resources:\n  Q:\n    Type: AWS::SQS::Queue\n', 'stack.template');
  assert.deepEqual([json.problems, yaml.problems], [[], []]);
  assert.deepEqual([json.resources[0]?.kind, yaml.resources[0]?.kind], ['cfn:AWS::SQS::Queue', 'cfn:AWS::SQS::Queue']);
});

test('accepts templates and SAM, never Kubernetes manifests or other files', () => {
  assert.equal(looksLikeTemplate('a.yaml', 'AWSTemplateFormatVersion: 2010-09-09\n'), true);
  assert.equal(looksLikeTemplate('a.yml', 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n'), true);
  assert.equal(looksLikeTemplate('a.json', '{\n "Resources": {\n  "B": {\n   "Type":"AWS::S3::Bucket"}}}'), true);
  assert.equal(looksLikeTemplate('a.template', "Resources:\n  B:\n    'Type': 'AWS::S3::Bucket'\n"), true);
  assert.equal(looksLikeTemplate('sam.yaml', 'Transform: AWS::Serverless-2016-10-31\nResources: {}\n'), true);
  assert.equal(looksLikeTemplate('sam.yaml', 'Transform:\n  - AWS::Serverless-2016-10-31\n'), true);
  assert.equal(looksLikeTemplate('a.txt', 'AWSTemplateFormatVersion: 2010-09-09\n'), false);
  assert.equal(looksLikeTemplate('pod.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: []\n'), false);
  assert.equal(
    looksLikeTemplate('crd.yaml', 'apiVersion: x/v1\nkind: Stack\nspec:\n  Resources:\n    B:\n      Type: AWS::S3::Bucket\n'),
    false,
    'a Kubernetes object embedding a template is a manifest',
  );
  assert.equal(looksLikeTemplate('values.yaml', 'resources:\n  limits:\n    cpu: 1\n'), false);
  assert.equal(cloudFormationInput.id, 'cloudformation');
});

test('every short-form tag maps to its long form', () => {
  const text = `Resources:
  R:
    Type: AWS::X::Y
    Properties:
      A: !Base64 hello
      B: !Cidr [10.0.0.0/16, 4, 8]
      C: !GetAZs ""
      D: !ImportValue Shared
      E: !Transform { Name: AWS::Include, Parameters: { Location: s3://x } }
      F: !Or [!Condition X, !Equals [a, b]]
      G: !GetAtt [Other, Arn]
      H: !GetAtt Other.Endpoint.Address
      I: !Select [0, !GetAZs ""]
  Other:
    Type: AWS::RDS::DBInstance
`;
  const { resources, problems } = parse(text);
  assert.deepEqual(problems, []);
  const r = byId(resources, 'R');
  assert.deepEqual(r.attrs, {
    A: { 'Fn::Base64': 'hello' },
    B: { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] },
    C: { 'Fn::GetAZs': '' },
    D: { 'Fn::ImportValue': 'Shared' },
    E: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://x' } } },
    F: { 'Fn::Or': [{ Condition: 'X' }, { 'Fn::Equals': ['a', 'b'] }] },
    G: { 'Fn::GetAtt': ['Other', 'Arn'] },
    H: { 'Fn::GetAtt': ['Other', 'Endpoint.Address'] },
    I: { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
  });
  assert.deepEqual(r.refs, ['Other']);
});

test('suppression comments: real comments only, inside or right above the resource', () => {
  const text = `Resources:
  A:
    Type: AWS::S3::Bucket
    Properties:
      Note: "# vigil:ignore=VGL-AWS-009 not a comment"
      Script: |
        # vigil:ignore=VGL-AWS-008 inside a block scalar
  # vigil:ignore=VGL-AWS-003 applies to B
  # second comment line
  B:
    Type: AWS::S3::Bucket # vigil:ignore=VGL-AWS-004 trailing
`;
  const { resources } = parse(text);
  assert.deepEqual(byId(resources, 'A').suppressions, []);
  assert.deepEqual(
    byId(resources, 'B').suppressions.map((s) => s.ruleId),
    ['VGL-AWS-003', 'VGL-AWS-004'],
  );
});

test('empty input: empty file, comments only, empty Resources', () => {
  assert.deepEqual(parse('').problems, [{ path: 'template.yaml', line: 1, reason: 'template is empty' }]);
  assert.deepEqual(parse('# nothing\n').problems.map((p) => p.reason), ['template is empty']);
  assert.deepEqual(parse('{}', 'a.json').problems.map((p) => p.reason), ['template has no Resources section']);
  const r = parse('AWSTemplateFormatVersion: 2010-09-09\nResources: {}\n');
  assert.deepEqual([r.resources, r.problems], [[], []]);
});

test('broken input: problems with lines, the good resources still returned', () => {
  const text = `Resources:
  Good:
    Type: AWS::S3::Bucket
  NoType:
    Properties: {}
  Scalar: 3
  Dup:
    Type: AWS::SQS::Queue
    Properties:
      A: 1
      A: 2
  Bad:
    Type: AWS::SNS::Topic
    Properties: [1]
`;
  const { resources, problems } = parse(text);
  assert.deepEqual(
    resources.map((r) => r.id),
    ['Good', 'Dup', 'Bad'],
  );
  assert.deepEqual(byId(resources, 'Dup').attrs, { A: 2 });
  assert.deepEqual(
    problems.map((p) => [p.line, p.reason]),
    [
      [11, 'duplicate key "A" (first at line 10); the last value is used'],
      [4, 'resource NoType has no Type'],
      [6, 'resource Scalar must be a mapping'],
      [14, 'resource Bad: Properties must be a mapping'],
    ],
  );
  assert.deepEqual(parse('- a\n- b\n').problems.map((p) => p.reason), ['a CloudFormation template must be a mapping (with a Resources section)']);
  assert.deepEqual(parse('Resources: [1]\n').problems.map((p) => [p.line, p.reason]), [[1, 'Resources must be a mapping']]);
  const yamlError = parse('Resources:\n  A:\n    Type: AWS::S3::Bucket\n  B: [unclosed\n');
  assert.ok(yamlError.problems.some((p) => p.line !== undefined && p.reason.startsWith('YAML error')), JSON.stringify(yamlError.problems));
  const json = parse('{\n  "Resources": {\n    "A": { "Type": "AWS::S3::Bucket" },\n    "B": { "Type": }\n  }\n}', 'a.json');
  assert.deepEqual(json.problems.map((p) => [p.line, p.reason]), [[4, 'invalid JSON: ValueExpected'], [4, 'resource B has no Type']]);
  assert.deepEqual(json.resources.map((r) => r.id), ['A']);
  const twoDocs = parse('Resources: {}\n---\nResources: {}\n');
  assert.deepEqual(twoDocs.problems.map((p) => p.line), [2]);
  const forEach = parse('Resources:\n  Fn::ForEach::Topics:\n    - T\n    - [a, b]\n    - "Topic${T}": { Type: AWS::SNS::Topic }\n');
  assert.match(forEach.problems[0]!.reason, /Fn::ForEach is not expanded/);
});

test('hostile input: alias bomb, deep nesting, huge file, cyclic conditions, __proto__ keys', () => {
  const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const t0 = Date.now();
  const bombed = parse(`Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n${bomb.map((l) => `      ${l}`).join('\n')}\n`);
  assert.ok(bombed.problems.some((p) => /more than \d+ nodes/.test(p.reason)), JSON.stringify(bombed.problems));
  assert.ok(Date.now() - t0 < 10_000);

  const deepFlow = parse(`Resources: ${'['.repeat(10_000)}`);
  assert.match(deepFlow.problems[0]!.reason, /nested deeper than 200/);
  const deepJson = parse(`{"Resources": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'a.json');
  assert.ok(deepJson.problems.some((p) => /nested deeper than 200/.test(p.reason)), JSON.stringify(deepJson.problems));
  const deepBlock = parse(`Resources:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(2 * i + 2)}k${i}:`).join('\n')} x\n`);
  assert.ok(deepBlock.problems.some((p) => /nested deeper than 200/.test(p.reason)));

  assert.match(parse(' '.repeat(5 * 1024 * 1024)).problems[0]!.reason, /over the \d+ limit/);

  const cyclic = parse(`Conditions:
  A: !Condition B
  B: !Not [!Condition A]
Resources:
  R:
    Type: AWS::X::Y
    Properties:
      V: !If [A, yes, no]
      __proto__: { polluted: true }
`);
  assert.deepEqual(cyclic.problems, []);
  const r = byId(cyclic.resources, 'R');
  assert.deepEqual(r.attrs['V'], { 'Fn::If': ['A', 'yes', 'no'] });
  assert.equal(Object.hasOwn(r.attrs, '__proto__'), true);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal(Object.getPrototypeOf(r.attrs), Object.prototype);

  const bigSplit = parse(`Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      V: !Split [",", "${','.repeat(20_000)}"]\n`);
  assert.deepEqual(Object.keys(byId(bigSplit.resources, 'R').attrs['V'] as object), ['Fn::Split']);
  const noAnchor = parse('Resources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      V: *nothing\n');
  assert.ok(noAnchor.problems.length > 0);
});
