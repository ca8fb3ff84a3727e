/**
 * Credentials and trust: VGL-AWS-019 long-lived IAM access keys created in code, VGL-AWS-020
 * role trust policies any principal can assume, VGL-AWS-021 AWS keys written into the Terraform
 * provider block, VGL-AWS-022 console passwords written into a CloudFormation template.
 */
import { isObject, isUnresolved, str } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { allowsAnyone, policyStatements } from './lib/policy.js';
import { AWS_KINDS, doc, global } from './account/lib.js';
import { collected, needs } from '../shared/live.js';

type Check = (r: Resource, ctx: RuleContext) => Violation[];

// VGL-AWS-019 ----------------------------------------------------------------------------------

function activeKey(attr: string): Check {
  return (r) => {
    const status = r.attrs[attr];
    if (isUnresolved(status) || str(status) === 'Inactive') return [];
    return [violation([attr], 'the user gets a long-lived access key (active), and its secret is written to the Terraform state or stack outputs')];
  };
}

export const iamAccessKey = awsRule({
  id: 'VGL-AWS-019',
  title: 'Long-lived IAM access key created in code',
  description:
    'An active access key is created for an IAM user. Access keys never expire, are copied into CI settings and laptops, and the secret lands in the Terraform state (or wherever the template outputs it). Roles, IAM Identity Center or OIDC federation give short-lived credentials instead.',
  severity: 'medium',
  service: 'iam',
  kinds: ['tf:aws_iam_access_key', 'cfn:AWS::IAM::AccessKey'],
  frameworks: [cis('1.11'), nist('IA-5'), nist('AC-2'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1'), pci('8.3.2')],
  remediation: 'Replace the user key with a role the workload assumes (instance profile, IRSA, OIDC federation for CI); if a key is unavoidable, create it outside code and rotate it within 90 days.',
  fix: {
    terraform: 'resource "aws_iam_role" "ci" {\n  name               = "ci"\n  assume_role_policy = data.aws_iam_policy_document.github_oidc.json\n}',
    cloudformation: 'CiRole:\n  Type: AWS::IAM::Role\n  Properties:\n    AssumeRolePolicyDocument: # trust the CI OIDC provider',
  },
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles', `${TF_DOCS}/iam_access_key`, `${CFN_DOCS}/aws-resource-iam-accesskey.html`],
  terraform: activeKey('status'),
  cloudformation: activeKey('Status'),
  bad: [
    tf(`
resource "aws_iam_access_key" "ci" {
  user = "ci"
}`, [1]),
    cfn(`
Resources:
  CiKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: ci
      Status: Active
`, [6]),
  ],
  good: [
    tf(`
resource "aws_iam_access_key" "old" {
  user   = "ci"
  status = "Inactive"
}`),
    cfn(`
Resources:
  OldKey:
    Type: AWS::IAM::AccessKey
    Properties:
      UserName: ci
      Status: Inactive
`),
  ],
});

// VGL-AWS-020 ----------------------------------------------------------------------------------

function openTrust(path: string): Check {
  return (r, ctx) =>
    (policyStatements(r, [path], ctx) ?? [])
      .filter(allowsAnyone)
      .map((s) => violation(s.principalPath, 'the trust policy lets any principal, in any account, assume the role'));
}

export const iamOpenTrust = awsRule({
  id: 'VGL-AWS-020',
  title: 'IAM role can be assumed by any principal',
  description:
    'The role trust policy allows "*" (any AWS principal, in any account) to assume the role, with no condition on the caller\'s account, organisation or ARN. Anyone who learns the role ARN gets its permissions. An sts:ExternalId condition alone does not pass: it is a shared string, not an identity check.',
  severity: 'critical',
  service: 'iam',
  kinds: ['tf:aws_iam_role', 'cfn:AWS::IAM::Role'],
  frameworks: [nist('AC-3'), nist('AC-6'), csf('PR.AA-05'), iso('A.5.15'), iso('A.8.2'), soc2('CC6.1'), pci('7.2.1')],
  remediation: 'Name the trusted accounts, roles or services as principals, or add a condition on aws:PrincipalOrgID / aws:PrincipalArn.',
  fix: {
    terraform: 'principals {\n  type        = "AWS"\n  identifiers = ["arn:aws:iam::111122223333:role/deployer"]\n}',
    cloudformation: 'Principal:\n  AWS: arn:aws:iam::111122223333:role/deployer',
  },
  references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-trust-policy', `${TF_DOCS}/iam_role`, `${CFN_DOCS}/aws-resource-iam-role.html`],
  terraform: openTrust('assume_role_policy'),
  cloudformation: openTrust('AssumeRolePolicyDocument'),
  live: {
    kinds: [AWS_KINDS.role],
    check: (r, ctx) => {
      const missing = needs(r, 'AssumeRolePolicyDocument');
      return missing.length > 0 ? missing : openTrust('AssumeRolePolicyDocument')(r, ctx);
    },
    cli: 'aws iam update-assume-role-policy --role-name <role> --policy-document file://<trust-naming-principals.json>',
    console: 'IAM → Roles → the role → Trust relationships → Edit trust policy → name the trusted principals (or add an aws:PrincipalOrgID condition) → Update policy.',
    bad: [
      collected('aws', [liveRole('open', { AWS: '*' }), liveRole('lambda', { Service: 'lambda.amazonaws.com' })], ['arn:aws:iam::111122223333:role/open']),
    ],
    good: [
      collected('aws', [
        liveRole('org', '*', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } }),
        liveRole('partner', { AWS: 'arn:aws:iam::444455556666:root' }, { StringEquals: { 'sts:ExternalId': 'x1' } }),
      ]),
    ],
  },
  bad: [
    tf(`
resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
  })
}`, [3]),
    cfn(`
Resources:
  Deployer:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: sts:AssumeRole
`, [8]),
  ],
  good: [
    tf(`
resource "aws_iam_role" "deployer" {
  name = "deployer"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
    }]
  })
}`),
    cfn(`
Resources:
  Lambda:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
`),
  ],
});

/** A collected role trusting `principal` (with an optional condition). */
export function liveRole(name: string, principal: unknown, condition?: Record<string, unknown>, extra: Record<string, unknown> = {}): ReturnType<typeof global> {
  const arn = `arn:aws:iam::111122223333:role/${name}`;
  const statement = { Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) };
  return global('AWS::IAM::Role', arn, { RoleName: name, Arn: arn, Path: '/', AssumeRolePolicyDocument: doc(statement), AttachedPolicies: [], InlinePolicyNames: [], ...extra });
}

// VGL-AWS-021 ----------------------------------------------------------------------------------

const providerKeys: Check = (r) =>
  (['access_key', 'secret_key', 'token'] as const).flatMap((k) => {
    const v = r.attrs[k];
    return typeof v === 'string' && v.trim() !== '' && !isUnresolved(v) ? [violation([k], `${k} is written in the provider block`)] : [];
  });

export const providerCredentials = awsRule({
  id: 'VGL-AWS-021',
  title: 'AWS credentials hardcoded in the Terraform provider',
  description:
    'The aws provider block sets access_key, secret_key or token to a literal. The key is then in the repository, its history and every clone; anyone reading the code can act as that identity.',
  severity: 'critical',
  service: 'iam',
  kinds: ['tf:provider.aws'],
  frameworks: [nist('IA-5(7)'), nist('SC-28'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1'), pci('8.3.2'), pci('8.6.2')],
  remediation: 'Remove the keys from the code (and rotate them: they are exposed); let the provider read credentials from the environment, a shared profile, SSO or an assumed role.',
  fix: { terraform: 'provider "aws" {\n  region  = "eu-west-1"\n  profile = "deploy" # or AWS_* environment variables / assume_role\n}' },
  references: ['https://registry.terraform.io/providers/hashicorp/aws/latest/docs#authentication-and-configuration'],
  terraform: providerKeys,
  bad: [
    tf(`
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}`, [3, 4]),
  ],
  good: [
    tf(`
variable "access_key" {
  type      = string
  sensitive = true
}

provider "aws" {
  region     = "eu-west-1"
  access_key = var.access_key
}`),
  ],
});

// VGL-AWS-022 ----------------------------------------------------------------------------------

const loginPassword: Check = (r) => {
  const profile = r.attrs['LoginProfile'];
  if (!isObject(profile)) return [];
  const pw = profile['Password'];
  if (typeof pw !== 'string' || pw === '' || pw.startsWith('{{resolve:')) return [];
  return [violation(['LoginProfile', 'Password'], 'the console password is written in the template (or a parameter default)')];
};

export const cfnUserPassword = awsRule({
  id: 'VGL-AWS-022',
  title: 'IAM user console password written in the template',
  description:
    "The user's LoginProfile sets Password to a literal (or to a parameter whose default is the password). Everyone who can read the template or the stack can sign in as the user.",
  severity: 'high',
  service: 'iam',
  kinds: ['cfn:AWS::IAM::User'],
  frameworks: [nist('IA-5(7)'), nist('IA-5(1)'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1'), pci('8.3.2')],
  remediation: 'Take the password from Secrets Manager with a dynamic reference ({{resolve:secretsmanager:…}}) and set PasswordResetRequired: true, or give people IAM Identity Center access instead of IAM users.',
  fix: { cloudformation: 'LoginProfile:\n  Password: "{{resolve:secretsmanager:console/alice:SecretString:password}}"\n  PasswordResetRequired: true' },
  references: [`${CFN_DOCS}/aws-properties-iam-user-loginprofile.html`, `${CFN_DOCS}/dynamic-references-secretsmanager.html`],
  cloudformation: loginPassword,
  bad: [
    cfn(`
Resources:
  Alice:
    Type: AWS::IAM::User
    Properties:
      LoginProfile:
        Password: Winter2024!
        PasswordResetRequired: true
`, [6]),
  ],
  good: [
    cfn(`
Resources:
  Alice:
    Type: AWS::IAM::User
    Properties:
      LoginProfile:
        Password: "{{resolve:secretsmanager:console/alice:SecretString:password}}"
        PasswordResetRequired: true
`),
  ],
});
