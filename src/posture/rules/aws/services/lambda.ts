/**
 * Lambda (SAM functions included): function URLs without authentication, secrets in
 * environment variables, permissions granted to anyone or beyond invocation, and the
 * reliability/isolation settings (dead-letter queue, VPC, code signing).
 */
import { at, isObject, str } from '../../../attrs.js';
import type { AttrPath, Resource, ResourceKind, Violation } from '../../../model.js';
import { violation, type RuleContext } from '../../../rule.js';
import { firstBlock, isEmpty, lower, requireSet, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, TF_DOCS, tf } from './lib/define.js';
import { secretReason } from './lib/secrets.js';

const TF_FN = `${TF_DOCS}lambda_function`;
const CFN_FN = `${CFN_DOCS}aws-resource-lambda-function.html`;

const NO_URL_AUTH = 'the function URL has auth type NONE: anyone on the internet can invoke it';

export const lambdaUrlAuth = awsRule({
  id: 'VGL-AWS-150',
  title: 'Lambda function URL requires no authentication',
  description: 'A function URL with auth type NONE is a public HTTPS endpoint: anyone who finds it can invoke the function, run up cost and reach whatever the function can.',
  severity: 'high',
  service: 'lambda',
  frameworks: CONTROLS.authentication(),
  remediation: 'Use authorization_type / AuthType AWS_IAM, or put the function behind API Gateway with an authorizer.',
  references: [`${TF_DOCS}lambda_function_url#authorization_type`, 'https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html'],
  tf: { aws_lambda_function_url: (r) => (lower(r.attrs, ['authorization_type']) === 'none' ? [violation(['authorization_type'], NO_URL_AUTH)] : []) },
  cfn: {
    'AWS::Lambda::Url': (r) => (lower(r.attrs, ['AuthType']) === 'none' ? [violation(['AuthType'], NO_URL_AUTH)] : []),
    'AWS::Serverless::Function': (r) => (lower(r.attrs, ['FunctionUrlConfig', 'AuthType']) === 'none' ? [violation(['FunctionUrlConfig', 'AuthType'], NO_URL_AUTH)] : []),
  },
  fix: { terraform: 'authorization_type = "AWS_IAM"', cloudformation: 'AuthType: AWS_IAM' },
  bad: [
    tf('resource "aws_lambda_function_url" "u" {\n  function_name      = aws_lambda_function.f.function_name\n  authorization_type = "NONE"\n}\n', 3),
    cfn('Resources:\n  Url:\n    Type: AWS::Lambda::Url\n    Properties:\n      AuthType: NONE\n      TargetFunctionArn: !GetAtt Fn.Arn\n', 5),
  ],
  good: [tf('resource "aws_lambda_function_url" "u" {\n  function_name      = aws_lambda_function.f.function_name\n  authorization_type = "AWS_IAM"\n}\n')],
});

function secretVariables(vars: unknown, base: AttrPath): Violation[] {
  if (!isObject(vars)) return [];
  return Object.entries(vars).flatMap(([name, value]) => {
    const reason = secretReason(name, value);
    return reason === undefined ? [] : [violation([...base, name], `environment variable ${reason}`)];
  });
}

export const lambdaEnvSecrets = awsRule({
  id: 'VGL-AWS-151',
  title: 'Lambda environment variable holds a secret in plain text',
  description: 'Environment variables are stored with the function configuration and shown to anyone who can read it (console, GetFunctionConfiguration, templates and state files); AWS access keys and passwords there leak easily and are hard to rotate.',
  severity: 'high',
  service: 'lambda',
  frameworks: CONTROLS.secrets(),
  remediation: 'Give the function an execution role instead of access keys, and keep secrets in Secrets Manager or SSM Parameter Store, read at run time.',
  references: [`${TF_FN}#environment`, 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption'],
  tf: {
    aws_lambda_function: (r) => {
      const env = firstBlock(r.attrs, 'environment');
      return env === undefined ? [] : secretVariables(env.block['variables'], [...env.path, 'variables']);
    },
  },
  cfn: {
    'AWS::Lambda::Function': (r) => secretVariables(at(r.attrs, ['Environment', 'Variables']), ['Environment', 'Variables']),
    'AWS::Serverless::Function': (r) => secretVariables(at(r.attrs, ['Environment', 'Variables']), ['Environment', 'Variables']),
  },
  fix: {
    terraform: 'environment {\n  variables = {\n    DB_PASSWORD_SECRET_ARN = aws_secretsmanager_secret.db.arn\n  }\n}',
    cloudformation: 'Environment:\n  Variables:\n    DB_PASSWORD_SECRET_ARN: !Ref DbSecret',
  },
  bad: [
    tf('resource "aws_lambda_function" "f" {\n  function_name = "f"\n  environment {\n    variables = {\n      AWS_KEY     = "AKIAIOSFODNN7EXAMPLE"\n      DB_PASSWORD = "hunter2hunter2"\n    }\n  }\n}\n', 5, 6),
    cfn('Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Environment:\n        Variables:\n          API_TOKEN: abcdef0123456789\n', 8),
  ],
  good: [
    tf('resource "aws_lambda_function" "f" {\n  function_name = "f"\n  environment {\n    variables = {\n      STAGE           = "prod"\n      DB_PASSWORD_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"\n    }\n  }\n}\n'),
    cfn('Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      Environment:\n        Variables:\n          API_TOKEN: "{{resolve:secretsmanager:api:SecretString:token}}"\n'),
  ],
});

const INVOKE = new Set(['lambda:invokefunction', 'lambda:invokefunctionurl']);

function permissionAction(a: Attrs, key: string): Violation[] {
  const action = lower(a, [key]);
  return action === undefined || INVOKE.has(action) ? [] : [violation([key], `the permission grants ${str(a[key])}, not just invocation`)];
}

export const lambdaPermissionAction = awsRule({
  id: 'VGL-AWS-152',
  title: 'Lambda permission grants more than invocation',
  description: 'Resource-based permissions on a function are meant to let a service or account invoke it; granting other actions (lambda:*, DeleteFunction, UpdateFunctionCode) to another principal lets it change or remove the function.',
  severity: 'high',
  service: 'lambda',
  frameworks: CONTROLS.leastPrivilege(),
  remediation: 'Grant only lambda:InvokeFunction (or lambda:InvokeFunctionUrl) in aws_lambda_permission / AWS::Lambda::Permission; manage other access through IAM.',
  references: [`${TF_DOCS}lambda_permission#action`, 'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html'],
  tf: { aws_lambda_permission: (r) => permissionAction(r.attrs, 'action') },
  cfn: { 'AWS::Lambda::Permission': (r) => permissionAction(r.attrs, 'Action') },
  fix: { terraform: 'action = "lambda:InvokeFunction"', cloudformation: 'Action: lambda:InvokeFunction' },
  bad: [tf('resource "aws_lambda_permission" "p" {\n  action        = "lambda:*"\n  function_name = aws_lambda_function.f.function_name\n  principal     = "events.amazonaws.com"\n}\n', 2)],
  good: [cfn('Resources:\n  Perm:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !Ref Fn\n      Principal: s3.amazonaws.com\n      SourceAccount: !Ref AWS::AccountId\n')],
});

function publicPermission(a: Attrs, tfInput: boolean): Violation[] {
  const k = tfInput
    ? { principal: 'principal', conditions: ['source_arn', 'source_account', 'principal_org_id'], urlAuth: 'function_url_auth_type' }
    : { principal: 'Principal', conditions: ['SourceArn', 'SourceAccount', 'PrincipalOrgID'], urlAuth: 'FunctionUrlAuthType' };
  if (str(a[k.principal])?.trim() !== '*') return [];
  if (k.conditions.some((c) => !isEmpty(a[c])) || lower(a, [k.urlAuth]) === 'aws_iam') return [];
  return [violation([k.principal], 'the permission lets any AWS account or anonymous caller invoke the function')];
}

export const lambdaPublicPermission = awsRule({
  id: 'VGL-AWS-153',
  title: 'Lambda function can be invoked by anyone',
  description: 'A permission with principal "*" and no source ARN, source account or organisation condition lets any AWS account (or anyone, for a function URL) invoke the function.',
  severity: 'high',
  service: 'lambda',
  frameworks: CONTROLS.publicAccess(),
  remediation: 'Name the calling service or account as principal and restrict it with source_arn / source_account (SourceArn / SourceAccount) or principal_org_id.',
  references: [`${TF_DOCS}lambda_permission`, 'https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-1'],
  tf: { aws_lambda_permission: (r) => publicPermission(r.attrs, true) },
  cfn: { 'AWS::Lambda::Permission': (r) => publicPermission(r.attrs, false) },
  fix: { terraform: 'principal  = "s3.amazonaws.com"\nsource_arn = aws_s3_bucket.uploads.arn', cloudformation: 'Principal: s3.amazonaws.com\nSourceArn: !GetAtt Uploads.Arn' },
  bad: [cfn('Resources:\n  Perm:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n      FunctionName: !Ref Fn\n      Principal: "*"\n', 7)],
  good: [tf('resource "aws_lambda_permission" "p" {\n  action        = "lambda:InvokeFunction"\n  function_name = aws_lambda_function.f.function_name\n  principal     = "*"\n  source_arn    = aws_api_gateway_rest_api.api.execution_arn\n}\n')],
});

const fnKinds = (check: (a: Attrs, tfInput: boolean) => Violation[]): { tf: Record<string, (r: { attrs: Attrs }) => Violation[]>; cfn: Record<string, (r: { attrs: Attrs }) => Violation[]> } => ({
  tf: { aws_lambda_function: (r) => check(r.attrs, true) },
  cfn: { 'AWS::Lambda::Function': (r) => check(r.attrs, false), 'AWS::Serverless::Function': (r) => check(r.attrs, false) },
});

const NO_DLQ = 'no dead-letter queue: failed asynchronous invocations are dropped';

function deadLetter(a: Attrs, tfInput: boolean): Violation[] {
  if (tfInput) return requireSet(a, ['dead_letter_config'], NO_DLQ);
  return isEmpty(a['DeadLetterConfig']) && isEmpty(a['DeadLetterQueue']) ? [violation(['DeadLetterConfig'], NO_DLQ)] : [];
}

export const lambdaDlq = awsRule({
  id: 'VGL-AWS-154',
  title: 'Lambda function has no dead-letter queue',
  description: 'Events from asynchronous invocations that keep failing are discarded after the retries unless a dead-letter queue (or an on-failure destination) keeps them for analysis and replay.',
  severity: 'low',
  service: 'lambda',
  frameworks: CONTROLS.availability(),
  remediation: 'Configure dead_letter_config / DeadLetterConfig (SAM: DeadLetterQueue) with an SQS queue or SNS topic.',
  references: [`${TF_FN}#dead_letter_config`, `${CFN_FN}#cfn-lambda-function-deadletterconfig`, 'https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html'],
  ...fnKinds(deadLetter),
  fix: { terraform: 'dead_letter_config {\n  target_arn = aws_sqs_queue.dlq.arn\n}', cloudformation: 'DeadLetterConfig:\n  TargetArn: !GetAtt Dlq.Arn' },
  bad: [tf('resource "aws_lambda_function" "f" {\n  function_name = "f"\n  runtime       = "python3.12"\n}\n', 1)],
  good: [cfn('Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      DeadLetterConfig:\n        TargetArn: !GetAtt Dlq.Arn\n')],
});

export const lambdaVpc = awsRule({
  id: 'VGL-AWS-155',
  title: 'Lambda function is not connected to a VPC',
  description: 'A function outside a VPC reaches the internet and AWS APIs directly, beyond your security groups, network ACLs, flow logs and VPC endpoints policies.',
  severity: 'low',
  service: 'lambda',
  frameworks: CONTROLS.network(),
  remediation: 'Attach the function to private subnets with vpc_config / VpcConfig and give it VPC endpoints or a NAT gateway for what it must reach.',
  references: [`${TF_FN}#vpc_config`, 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html'],
  ...fnKinds((a, tfInput) => requireSet(a, [tfInput ? 'vpc_config' : 'VpcConfig'], 'the function is not attached to a VPC')),
  fix: { terraform: 'vpc_config {\n  subnet_ids         = var.private_subnet_ids\n  security_group_ids = [aws_security_group.fn.id]\n}', cloudformation: 'VpcConfig:\n  SubnetIds: !Ref PrivateSubnets\n  SecurityGroupIds: [!Ref FnSecurityGroup]' },
  bad: [cfn('Resources:\n  Fn:\n    Type: AWS::Lambda::Function\n    Properties:\n      Runtime: python3.12\n      VpcConfig: {}\n', 6)],
  good: [tf('resource "aws_lambda_function" "f" {\n  function_name = "f"\n  vpc_config {\n    subnet_ids         = ["subnet-1"]\n    security_group_ids = ["sg-1"]\n  }\n}\n')],
});

export const lambdaCodeSigning = awsRule({
  id: 'VGL-AWS-156',
  title: 'Lambda function does not enforce code signing',
  description: 'Without a code signing configuration Lambda accepts any deployment package, so a leaked deploy credential or a tampered build artefact runs unnoticed.',
  severity: 'low',
  service: 'lambda',
  frameworks: [...CONTROLS.hardening(), { framework: 'nist-800-53-r5', control: 'SI-7' }],
  remediation: 'Create an aws_lambda_code_signing_config / AWS::Lambda::CodeSigningConfig with trusted signing profiles and set code_signing_config_arn / CodeSigningConfigArn.',
  references: [`${TF_FN}#code_signing_config_arn`, 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-codesigning.html'],
  ...fnKinds((a, tfInput) => requireSet(a, [tfInput ? 'code_signing_config_arn' : 'CodeSigningConfigArn'], 'no code signing configuration')),
  fix: { terraform: 'code_signing_config_arn = aws_lambda_code_signing_config.signed.arn', cloudformation: 'CodeSigningConfigArn: !Ref SignedCode' },
  bad: [tf('resource "aws_lambda_function" "f" {\n  function_name = "f"\n  runtime       = "python3.12"\n}\n', 1)],
  good: [tf('resource "aws_lambda_function" "f" {\n  function_name           = "f"\n  code_signing_config_arn = aws_lambda_code_signing_config.c.arn\n}\n')],
});

/**
 * A role reference comparable across functions: a literal ARN as written (shared anywhere in
 * the scan); an expression or a Ref/GetAtt only within its own module or template.
 */
function roleKey(r: Resource, v: unknown): string | undefined {
  const scope = `${r.file}#${/^(?:module\.[^.]+\.)*/.exec(r.id)?.[0] ?? ''}`;
  if (typeof v === 'string') {
    const s = v.trim();
    return s === '' ? undefined : s.includes('${') ? `${scope}:${s}` : s;
  }
  if (!isObject(v)) return undefined;
  const getAtt = v['Fn::GetAtt'];
  const ref = v['Ref'] ?? (Array.isArray(getAtt) ? (getAtt as unknown[])[0] : getAtt);
  return typeof ref === 'string' ? `${scope}:${ref.split('.')[0]!}` : undefined;
}

const TF_FUNCTIONS: readonly ResourceKind[] = ['tf:aws_lambda_function'];
const CFN_FUNCTIONS: readonly ResourceKind[] = ['cfn:AWS::Lambda::Function', 'cfn:AWS::Serverless::Function'];

/** Functions by role key, computed once per scan (the context identifies the scan). */
const ROLE_INDEX = new WeakMap<RuleContext, Map<string, Resource[]>>();

function roleIndex(ctx: RuleContext): Map<string, Resource[]> {
  let index = ROLE_INDEX.get(ctx);
  if (index !== undefined) return index;
  index = new Map();
  for (const [kinds, key] of [[TF_FUNCTIONS, 'role'], [CFN_FUNCTIONS, 'Role']] as const) {
    for (const f of kinds.flatMap((k) => ctx.byKind(k))) {
      const k = roleKey(f, f.attrs[key]);
      if (k === undefined) continue;
      const list = index.get(k);
      if (list === undefined) index.set(k, [f]);
      else list.push(f);
    }
  }
  ROLE_INDEX.set(ctx, index);
  return index;
}

function sharedRole(r: Resource, ctx: RuleContext, key: string): Violation[] {
  const mine = roleKey(r, r.attrs[key]);
  const sharing = mine === undefined ? [] : (roleIndex(ctx).get(mine) ?? []);
  if (sharing.length < 2) return [];
  const names: string[] = [];
  for (const o of sharing) if (o !== r && names.push(o.id) >= 3) break;
  const more = sharing.length - 1 - names.length;
  return [violation([key], `the execution role is shared with ${names.join(', ')}${more > 0 ? ` and ${more} more` : ''}`)];
}

export const lambdaSharedRole = awsRule({
  id: 'VGL-AWS-149',
  title: 'Lambda functions share an execution role',
  description: 'Functions sharing one execution role all get the union of the permissions any of them needs, so compromising the least critical function gives the access of the most privileged one.',
  severity: 'low',
  service: 'lambda',
  frameworks: CONTROLS.leastPrivilege(),
  remediation: 'Give each function its own execution role with only the permissions that function uses.',
  references: [`${TF_FN}#role`, 'https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html'],
  tf: { aws_lambda_function: (r, ctx) => sharedRole(r, ctx, 'role') },
  cfn: {
    'AWS::Lambda::Function': (r, ctx) => sharedRole(r, ctx, 'Role'),
    'AWS::Serverless::Function': (r, ctx) => sharedRole(r, ctx, 'Role'),
  },
  fix: { terraform: 'role = aws_iam_role.orders_fn.arn', cloudformation: 'Role: !GetAtt OrdersFunctionRole.Arn' },
  bad: [tf('resource "aws_lambda_function" "a" {\n  function_name = "a"\n  role          = aws_iam_role.shared.arn\n}\n\nresource "aws_lambda_function" "b" {\n  function_name = "b"\n  role          = aws_iam_role.shared.arn\n}\n', 3, 8)],
  good: [cfn('Resources:\n  A:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt RoleA.Arn\n  B:\n    Type: AWS::Lambda::Function\n    Properties:\n      Role: !GetAtt RoleB.Arn\n')],
});
