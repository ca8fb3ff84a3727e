/**
 * Identity-based IAM policy documents: VGL-AWS-010 full administrator access ("*" on "*", CIS
 * AWS 1.16), VGL-AWS-011 service-wide wildcard actions (`s3:*`, or `*` on named resources),
 * VGL-AWS-012 secret and object reads on every resource (the data-exfiltration set of
 * Cloudsplaining / Checkov CKV_AWS_288), VGL-AWS-051 permissions-management actions on every
 * resource (privilege escalation). Documents are read wherever they are written
 * (lib/policy.ts): heredoc, jsonencode, policy-document data sources, CloudFormation; live, the
 * default version of attached customer managed policies and users' inline policies.
 */
import type { Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { IDENTITY_POLICY_KINDS, identityStatements, isFullAdmin, LIVE_POLICY_KINDS, liveDocuments } from './lib/iam.js';
import { AWS_KINDS, doc, managedPolicy, policyArn } from './account/lib.js';
import { user } from './account/users.js';
import { collected, type LiveSpec } from '../shared/live.js';
import { grantsAction, isAllow, onAllResources } from './lib/policy.js';

const REFERENCES = ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege', `${TF_DOCS}/iam_policy`, `${CFN_DOCS}/aws-resource-iam-policy.html`];

type Check = (r: Resource, ctx: RuleContext) => Violation[];

const POLICY_CLI = 'aws iam create-policy-version --policy-arn <policy-arn> --policy-document file://<least-privilege.json> --set-as-default  # inline: aws iam put-user-policy --user-name <user> --policy-name <name> --policy-document file://<least-privilege.json>';
const POLICY_CONSOLE = 'IAM → Policies (or Users → the user → Permissions) → the policy → Edit → narrow the statement → Save changes.';

/** Live block over attached customer managed policies and users' inline policies: `bad` must fail, `good` must pass. */
function policyLive(check: Check, bad: Record<string, unknown>, good: Record<string, unknown>): LiveSpec {
  return {
    kinds: [...LIVE_POLICY_KINDS],
    check: liveDocuments(check),
    cli: POLICY_CLI,
    console: POLICY_CONSOLE,
    bad: [
      collected('aws', [managedPolicy('bad', doc(bad)), managedPolicy('good', doc(good))], [policyArn('bad')]),
      collected('aws', [user('carol', {}, { InlinePolicies: [{ PolicyName: 'inline', PolicyDocument: doc(bad) }] })], ['arn:aws:iam::111122223333:user/carol']),
    ],
    good: [collected('aws', [managedPolicy('unattached', doc(bad), 0), managedPolicy('good', doc(good)), user('dave', {}, { InlinePolicies: [{ PolicyName: 'inline', PolicyDocument: doc(good) }] })])],
  };
}

// VGL-AWS-010 ----------------------------------------------------------------------------------

const fullAdmin: Check = (r, ctx) =>
  identityStatements(r, ctx)
    .filter(isFullAdmin)
    .map((s) => violation(s.path, 'the policy allows every action ("*") on every resource ("*"): full administrator access'));

export const iamFullAdmin = awsRule({
  id: 'VGL-AWS-010',
  title: 'IAM policy grants full administrator access',
  description:
    'A policy statement allows "Action": "*" on "Resource": "*". Whoever holds it can do anything in the account, including granting themselves more and erasing the trail (CIS AWS Foundations 1.16).',
  severity: 'high',
  service: 'iam',
  kinds: [...IDENTITY_POLICY_KINDS],
  frameworks: [cis('1.16'), nist('AC-6'), nist('AC-6(1)'), csf('PR.AA-05'), iso('A.8.2'), soc2('CC6.3'), pci('7.2.1'), pci('7.2.2')],
  remediation: 'Grant only the actions and resources the principal needs; keep administrator access for break-glass roles assumed with MFA.',
  fix: {
    terraform: 'statement {\n  actions   = ["s3:GetObject"]\n  resources = ["${aws_s3_bucket.reports.arn}/*"]\n}',
    cloudformation: '- Effect: Allow\n  Action: s3:GetObject\n  Resource: !Sub "${Reports.Arn}/*"',
  },
  references: [...REFERENCES, 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html'],
  terraform: fullAdmin,
  cloudformation: fullAdmin,
  live: {
    // Users holding "*" on "*" inline are VGL-AWS-015; this is about attached customer policies (CIS 1.16).
    kinds: [AWS_KINDS.managedPolicy],
    check: liveDocuments(fullAdmin),
    cli: POLICY_CLI,
    console: POLICY_CONSOLE,
    bad: [collected('aws', [managedPolicy('admin', doc({ Effect: 'Allow', Action: '*', Resource: '*' })), managedPolicy('ops', doc({ Effect: 'Allow', Action: 'ec2:*', Resource: '*' }))], [policyArn('admin')])],
    good: [
      collected('aws', [
        managedPolicy('unattached-admin', doc({ Effect: 'Allow', Action: '*', Resource: '*' }), 0),
        managedPolicy('deny-all', doc({ Effect: 'Deny', Action: '*', Resource: '*' })),
      ]),
    ],
  },
  bad: [
    tf(`
resource "aws_iam_policy" "admin" {
  name = "admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}`, [3]),
    cfn(`
Resources:
  Admin:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: "*"
            Resource: "*"
`, [8]),
  ],
  good: [
    tf(`
resource "aws_iam_policy" "reader" {
  name = "reader"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "arn:aws:s3:::reports/*" }]
  })
}`),
    cfn(`
Resources:
  Deny:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Deny
            Action: "*"
            Resource: "*"
`),
  ],
});

// VGL-AWS-011 ----------------------------------------------------------------------------------

/** `*`, `*:*` or `service:*`. */
function serviceWide(action: string): boolean {
  return action === '*' || action.endsWith(':*');
}

const wildcardActions: Check = (r, ctx) =>
  identityStatements(r, ctx)
    .filter((s) => isAllow(s) && !isFullAdmin(s))
    .flatMap((s) => {
      if (s.notActions !== undefined) return [violation(s.path, `the statement allows every action except ${s.notActions.join(', ') || 'none'} (NotAction with Allow)`)];
      const wild = s.actions.filter(serviceWide);
      return wild.length === 0 ? [] : [violation(s.path, `the statement allows every action of ${wild.map((a) => (a === '*' || a === '*:*' ? 'every service' : a.slice(0, -2))).join(', ')}`)];
    });

export const iamWildcardActions = awsRule({
  id: 'VGL-AWS-011',
  title: 'IAM policy allows all actions of a service',
  description:
    'A policy statement allows a service-wide wildcard action ("s3:*", "iam:*", "*" on named resources) or uses NotAction with Allow. Such grants include every destructive and permission-changing action of the service, present and future, far beyond what a workload needs.',
  severity: 'medium',
  service: 'iam',
  kinds: [...IDENTITY_POLICY_KINDS],
  frameworks: [nist('AC-6'), csf('PR.AA-05'), iso('A.8.2'), iso('A.5.15'), soc2('CC6.3'), pci('7.2.1')],
  remediation: 'List the actions the principal uses (IAM Access Analyzer can generate them from CloudTrail activity) instead of a service-wide wildcard.',
  fix: {
    terraform: 'actions = ["s3:GetObject", "s3:PutObject"]',
    cloudformation: 'Action:\n  - s3:GetObject\n  - s3:PutObject',
  },
  references: [...REFERENCES, 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html'],
  terraform: wildcardActions,
  cloudformation: wildcardActions,
  live: policyLive(wildcardActions, { Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders' }, { Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: '*' }),
  bad: [
    tf(`
data "aws_iam_policy_document" "app" {
  statement {
    actions   = ["s3:*"]
    resources = ["arn:aws:s3:::app-data/*"]
  }
}

resource "aws_iam_role_policy" "app" {
  role   = "app"
  policy = data.aws_iam_policy_document.app.json
}`, [10]),
    cfn(`
Resources:
  App:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: data
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: dynamodb:*
                Resource: !GetAtt Table.Arn
`, [15]),
  ],
  good: [
    tf(`
resource "aws_iam_role_policy" "app" {
  role = "app"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject", "s3:PutObject"], Resource = "arn:aws:s3:::app-data/*" }]
  })
}`),
    cfn(`
Resources:
  Reader:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: reader
      Roles: [app]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: dynamodb:GetItem
            Resource: "*"
`),
  ],
});

// VGL-AWS-012 ----------------------------------------------------------------------------------

/** Actions that return stored data or secrets (Cloudsplaining's data-exfiltration set). */
export const EXFILTRATION_ACTIONS = [
  's3:GetObject',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:GetParametersByPath',
  'secretsmanager:GetSecretValue',
] as const;

const exfiltration: Check = (r, ctx) =>
  identityStatements(r, ctx)
    .filter((s) => isAllow(s) && onAllResources(s) && !isFullAdmin(s))
    .flatMap((s) => {
      const hits = EXFILTRATION_ACTIONS.filter((a) => grantsAction(s, a));
      return hits.length === 0 ? [] : [violation(s.path, `the statement allows ${hits.join(', ')} on every resource ("*")`)];
    });

export const iamDataExfiltration = awsRule({
  id: 'VGL-AWS-012',
  title: 'IAM policy allows reading secrets or objects on every resource',
  description:
    'A policy statement allows s3:GetObject, ssm:GetParameter(s/ByPath) or secretsmanager:GetSecretValue (directly or through a wildcard) on "Resource": "*". The holder can read every object, parameter and secret in the account, not just its own: one compromised workload leaks them all.',
  severity: 'high',
  service: 'iam',
  kinds: [...IDENTITY_POLICY_KINDS],
  frameworks: [nist('AC-6'), nist('AC-3'), csf('PR.AA-05'), csf('PR.DS-01'), iso('A.8.3'), iso('A.8.12'), soc2('CC6.1'), pci('7.2.1')],
  remediation: 'Scope these read actions to the ARNs of the buckets, parameters (a path prefix) and secrets the principal owns.',
  fix: {
    terraform: 'statement {\n  actions   = ["secretsmanager:GetSecretValue"]\n  resources = [aws_secretsmanager_secret.app.arn]\n}',
    cloudformation: '- Effect: Allow\n  Action: ssm:GetParametersByPath\n  Resource: !Sub arn:aws:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/*',
  },
  references: [...REFERENCES, 'https://github.com/salesforce/cloudsplaining'],
  terraform: exfiltration,
  cloudformation: exfiltration,
  live: policyLive(exfiltration, { Effect: 'Allow', Action: 'secretsmanager:Get*', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }),
  bad: [
    tf(`
resource "aws_iam_policy" "app" {
  name = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["secretsmanager:GetSecretValue", "sqs:SendMessage"]
      Resource = "*"
    }]
  })
}`, [3]),
    cfn(`
Resources:
  App:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: app
      Roles: [app]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: ssm:GetParameter*
            Resource: "*"
`, [9]),
  ],
  good: [
    tf(`
resource "aws_iam_policy" "app" {
  name = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-*"
    }]
  })
}`),
    cfn(`
Resources:
  App:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: app
      Roles: [app]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: ec2:Describe*
            Resource: "*"
`),
  ],
});


// VGL-AWS-051 ----------------------------------------------------------------------------------

/**
 * IAM actions that let their holder give itself (or a principal it controls) more permissions:
 * the permissions-management core of the published escalation paths (Rhino Security Labs,
 * Cloudsplaining's privilege-escalation set).
 */
export const ESCALATION_ACTIONS = [
  'iam:PassRole',
  'iam:CreatePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:AttachUserPolicy',
  'iam:AttachGroupPolicy',
  'iam:AttachRolePolicy',
  'iam:PutUserPolicy',
  'iam:PutGroupPolicy',
  'iam:PutRolePolicy',
  'iam:AddUserToGroup',
  'iam:CreateAccessKey',
  'iam:CreateLoginProfile',
  'iam:UpdateLoginProfile',
  'iam:UpdateAssumeRolePolicy',
] as const;

const escalation: Check = (r, ctx) =>
  identityStatements(r, ctx)
    .filter((s) => isAllow(s) && onAllResources(s) && !isFullAdmin(s))
    .flatMap((s) => {
      const hits = ESCALATION_ACTIONS.filter((a) => grantsAction(s, a));
      return hits.length === 0 ? [] : [violation(s.path, `the statement allows ${hits.join(', ')} on every resource ("*"): a path to administrator access`)];
    });

export const iamPrivilegeEscalation = awsRule({
  id: 'VGL-AWS-051',
  title: 'IAM policy allows privilege escalation',
  description:
    'A policy statement allows an IAM permissions-management action (iam:PassRole, iam:CreatePolicyVersion, iam:Attach*/Put*Policy, iam:CreateAccessKey, iam:UpdateAssumeRolePolicy…) on "Resource": "*", directly or through a wildcard. The holder can attach an administrator policy to itself, pass an administrator role to a service it controls, or mint credentials for another user.',
  severity: 'high',
  service: 'iam',
  kinds: [...IDENTITY_POLICY_KINDS],
  frameworks: [nist('AC-6'), nist('AC-6(10)'), csf('PR.AA-05'), iso('A.8.2'), soc2('CC6.3'), pci('7.2.2')],
  remediation: 'Scope these actions to the specific roles, users and policies the principal manages (for iam:PassRole, the roles it launches services with, plus an iam:PassedToService condition); use permissions boundaries for delegated IAM administration.',
  fix: {
    terraform: 'statement {\n  actions   = ["iam:PassRole"]\n  resources = [aws_iam_role.app_task.arn]\n  condition {\n    test     = "StringEquals"\n    variable = "iam:PassedToService"\n    values   = ["ecs-tasks.amazonaws.com"]\n  }\n}',
    cloudformation: '- Effect: Allow\n  Action: iam:PassRole\n  Resource: !GetAtt AppTaskRole.Arn\n  Condition:\n    StringEquals:\n      iam:PassedToService: ecs-tasks.amazonaws.com',
  },
  references: [...REFERENCES, 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/'],
  terraform: escalation,
  cloudformation: escalation,
  live: policyLive(escalation, { Effect: 'Allow', Action: ['iam:PassRole', 'lambda:CreateFunction'], Resource: '*' }, { Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }),
  bad: [
    tf(`
resource "aws_iam_role_policy" "deployer" {
  role = "deployer"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["iam:PassRole", "ecs:RunTask"], Resource = "*" }]
  })
}`, [3]),
    cfn(`
Resources:
  Ops:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: iam:Put*
            Resource: "*"
`, [7]),
  ],
  good: [
    tf(`
resource "aws_iam_role_policy" "deployer" {
  role = "deployer"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:PassRole", Resource = "arn:aws:iam::111122223333:role/app-task" }]
  })
}`),
    cfn(`
Resources:
  Ops:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: iam:Get*
            Resource: "*"
`),
  ],
});
