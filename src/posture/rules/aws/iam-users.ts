/**
 * Permissions given to IAM users directly instead of through groups or roles (CIS AWS 1.15):
 * VGL-AWS-013 managed policies attached to users, VGL-AWS-014 inline user policies, and
 * VGL-AWS-015 administrator access held by a user (the AWS AdministratorAccess policy or any
 * "*"-on-"*" document), the riskiest case of both. Live blocks read collected users' attached
 * and inline policies.
 */
import { isObject, isUnresolved, list } from '../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { ADMIN_POLICY_ARNS, adminAttachments, documentPaths, isFullAdmin } from './lib/iam.js';
import { AWS_KINDS, doc, managedPolicy, policyArn } from './account/lib.js';
import { user } from './account/users.js';
import { collected, needs } from '../shared/live.js';
import { tfPointsAt } from './lib/links.js';
import { policyStatements } from './lib/policy.js';

type Check = (r: Resource, ctx: RuleContext) => Violation[];

/** A non-empty list attribute (an unresolved list counts: something is attached). */
function nonEmpty(v: unknown): boolean {
  return isUnresolved(v) || list(v).length > 0;
}

const ALICE = 'arn:aws:iam::111122223333:user/alice';
const READ_ONLY = { PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' };
const ADMIN = { PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' };
const GROUP_CONSOLE = 'IAM → User groups → the group → Permissions → Add permissions; then Users → the user → Permissions → remove the policy and add the user to the group.';

/** A non-empty list under `key` of a collected user ("not assessed" when it could not be read). */
function liveList(key: string, message: string) {
  return (r: Resource): Violation[] => {
    const missing = needs(r, key);
    if (missing.length > 0) return missing;
    return list(r.attrs[key]).length > 0 ? [violation([key], message)] : [];
  };
}

const FRAMEWORKS = [cis('1.15'), nist('AC-2'), nist('AC-6'), csf('PR.AA-05'), iso('A.5.15'), iso('A.5.18'), soc2('CC6.2'), pci('7.2.1')];
const REFERENCES = [
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#use-groups-for-permissions',
  `${TF_DOCS}/iam_user_policy_attachment`,
  `${CFN_DOCS}/aws-resource-iam-user.html`,
];

// VGL-AWS-013 ----------------------------------------------------------------------------------

const managedOnUserTf: Check = (r) => {
  if (r.kind === 'tf:aws_iam_user_policy_attachment') return [violation(['user'], 'a managed policy is attached directly to the user')];
  return nonEmpty(r.attrs['users']) ? [violation(['users'], 'a managed policy is attached directly to users')] : [];
};

const managedOnUserCfn: Check = (r) => {
  if (r.kind === 'cfn:AWS::IAM::User') return nonEmpty(r.attrs['ManagedPolicyArns']) ? [violation(['ManagedPolicyArns'], 'managed policies are attached directly to the user')] : [];
  return nonEmpty(r.attrs['Users']) ? [violation(['Users'], 'the managed policy is attached directly to users')] : [];
};

export const iamManagedPolicyOnUser = awsRule({
  id: 'VGL-AWS-013',
  title: 'IAM managed policy attached directly to a user',
  description:
    'A managed policy is attached to an IAM user instead of a group the user belongs to (or a role). Per-user grants drift apart, are missed in access reviews and survive role changes (CIS AWS Foundations 1.15).',
  severity: 'medium',
  service: 'iam',
  kinds: ['tf:aws_iam_user_policy_attachment', 'tf:aws_iam_policy_attachment', 'cfn:AWS::IAM::ManagedPolicy', 'cfn:AWS::IAM::User'],
  frameworks: FRAMEWORKS,
  remediation: 'Attach the policy to a group (aws_iam_group_policy_attachment, Groups) and add the user to it, or move the workload to a role.',
  fix: {
    terraform: 'resource "aws_iam_group_policy_attachment" "readers" {\n  group      = aws_iam_group.readers.name\n  policy_arn = aws_iam_policy.read.arn\n}',
    cloudformation: 'Groups:\n  - !Ref Readers',
  },
  references: REFERENCES,
  terraform: managedOnUserTf,
  cloudformation: managedOnUserCfn,
  live: {
    kinds: [AWS_KINDS.user],
    check: liveList('AttachedPolicies', 'managed policies are attached directly to the user'),
    cli: 'aws iam attach-group-policy --group-name <group> --policy-arn <policy-arn> && aws iam add-user-to-group --group-name <group> --user-name <user> && aws iam detach-user-policy --user-name <user> --policy-arn <policy-arn>',
    console: GROUP_CONSOLE,
    bad: [collected('aws', [user('alice', {}, { AttachedPolicies: [READ_ONLY] }), user('bob', {}, { AttachedPolicies: [] })], [ALICE])],
    good: [collected('aws', [user('bob', {}, { AttachedPolicies: [], Groups: [{ GroupName: 'readers' }] })])],
  },
  bad: [
    tf(`
resource "aws_iam_user_policy_attachment" "alice" {
  user       = "alice"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}`, [2]),
    cfn(`
Resources:
  Reports:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::reports/*
      Users:
        - alice
`, [10]),
  ],
  good: [
    tf(`
resource "aws_iam_group_policy_attachment" "readers" {
  group      = "readers"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}`),
    cfn(`
Resources:
  Reports:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: s3:GetObject
            Resource: arn:aws:s3:::reports/*
      Groups:
        - readers
`),
  ],
});

// VGL-AWS-014 ----------------------------------------------------------------------------------

const inlineOnUserTf: Check = () => [violation(['user'], 'an inline policy is embedded in the user')];

const inlineOnUserCfn: Check = (r) => {
  switch (r.kind) {
    case 'cfn:AWS::IAM::User':
      return nonEmpty(r.attrs['Policies']) ? [violation(['Policies'], 'inline policies are embedded in the user')] : [];
    case 'cfn:AWS::IAM::UserPolicy':
      return [violation(['UserName'], 'an inline policy is embedded in the user')];
    default:
      return nonEmpty(r.attrs['Users']) ? [violation(['Users'], 'the inline policy is embedded in users')] : [];
  }
};

export const iamInlineUserPolicy = awsRule({
  id: 'VGL-AWS-014',
  title: 'IAM inline policy embedded in a user',
  description:
    'An inline policy is embedded in an IAM user. Inline user policies are invisible in the policy list, cannot be reused or versioned, and give that one user its own permissions outside any group (CIS AWS Foundations 1.15).',
  severity: 'medium',
  service: 'iam',
  kinds: ['tf:aws_iam_user_policy', 'cfn:AWS::IAM::User', 'cfn:AWS::IAM::UserPolicy', 'cfn:AWS::IAM::Policy'],
  frameworks: FRAMEWORKS,
  remediation: 'Move the statements to a managed policy attached to a group the user belongs to (or to a role the workload assumes).',
  fix: {
    terraform: 'resource "aws_iam_group_policy" "deployers" {\n  group  = aws_iam_group.deployers.name\n  policy = data.aws_iam_policy_document.deploy.json\n}',
    cloudformation: 'Groups:\n  - !Ref Deployers',
  },
  references: [...REFERENCES, 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html'],
  terraform: inlineOnUserTf,
  cloudformation: inlineOnUserCfn,
  live: {
    kinds: [AWS_KINDS.user],
    check: liveList('InlinePolicyNames', 'inline policies are embedded in the user'),
    cli: 'aws iam put-group-policy --group-name <group> --policy-name <name> --policy-document file://<policy.json> && aws iam delete-user-policy --user-name <user> --policy-name <name>',
    console: GROUP_CONSOLE,
    bad: [collected('aws', [user('alice', {}, { InlinePolicyNames: ['deploy'] })], [ALICE])],
    good: [collected('aws', [user('bob', {}, { InlinePolicyNames: [] })])],
  },
  bad: [
    tf(`
resource "aws_iam_user_policy" "deploy" {
  name = "deploy"
  user = "ci"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ecr:PutImage", Resource = "*" }]
  })
}`, [3]),
    cfn(`
Resources:
  Ci:
    Type: AWS::IAM::User
    Properties:
      Policies:
        - PolicyName: deploy
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: ecr:PutImage
                Resource: "*"
`, [5]),
  ],
  good: [
    tf(`
resource "aws_iam_group_policy" "deploy" {
  name  = "deploy"
  group = "ci"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ecr:PutImage", Resource = "*" }]
  })
}`),
    cfn(`
Resources:
  Ci:
    Type: AWS::IAM::User
    Properties:
      Groups:
        - deployers
`),
  ],
});

// VGL-AWS-015 ----------------------------------------------------------------------------------

/** An ARN as written, with `!Sub`'s partition placeholder filled in. */
function arnText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (isObject(v) && typeof v['Fn::Sub'] === 'string') return v['Fn::Sub'].replace('${AWS::Partition}', 'aws');
  return undefined;
}

function adminStatements(r: Resource, path: AttrPath, ctx: RuleContext): Violation[] {
  return (policyStatements(r, path, ctx) ?? []).filter(isFullAdmin).map((s) => violation(s.path, 'the user holds a "*"-on-"*" policy: full administrator access'));
}

/** Is the attached `policy_arn` AdministratorAccess, or an `aws_iam_policy` of the scan granting "*" on "*"? */
function adminArnTf(r: Resource, ctx: RuleContext): boolean {
  const arn = r.attrs['policy_arn'];
  if (typeof arn === 'string' && ADMIN_POLICY_ARNS.has(arn)) return true;
  return ctx
    .byKind('tf:aws_iam_policy')
    .some((p) => tfPointsAt(arn, p, r, ['arn']) && (policyStatements(p, ['policy'], ctx) ?? []).some(isFullAdmin));
}

const adminOnUserTf: Check = (r, ctx) => {
  if (r.kind === 'tf:aws_iam_user_policy') return adminStatements(r, ['policy'], ctx);
  if (r.kind === 'tf:aws_iam_policy_attachment' && !nonEmpty(r.attrs['users'])) return [];
  return adminArnTf(r, ctx) ? [violation(['policy_arn'], 'administrator access is attached directly to the user')] : [];
};

const adminOnUserCfn: Check = (r, ctx) => {
  if (r.kind === 'cfn:AWS::IAM::User') {
    const arns = list(r.attrs['ManagedPolicyArns']);
    const managed = arns.flatMap((a, i) => (ADMIN_POLICY_ARNS.has(arnText(a) ?? '') ? [violation(['ManagedPolicyArns', i], 'AdministratorAccess is attached directly to the user')] : []));
    return [...managed, ...documentPaths(r).flatMap((p) => adminStatements(r, p, ctx))];
  }
  if (r.kind === 'cfn:AWS::IAM::UserPolicy') return adminStatements(r, ['PolicyDocument'], ctx);
  if (!nonEmpty(r.attrs['Users'])) return [];
  const admin = (policyStatements(r, ['PolicyDocument'], ctx) ?? []).some(isFullAdmin);
  return admin ? [violation(['Users'], 'a "*"-on-"*" policy is attached directly to users: full administrator access')] : [];
};

function adminOnUserLive(r: Resource, ctx: RuleContext): Violation[] {
  const missing = needs(r, 'AttachedPolicies', 'InlinePolicies');
  if (missing.length > 0) return missing;
  const attached = adminAttachments(r, ctx).map((a) => violation(['AttachedPolicies', a.index], `${a.arn} (administrator access) is attached directly to the user`));
  return [...attached, ...documentPaths(r).flatMap((p) => adminStatements(r, p, ctx))];
}

export const iamAdminOnUser = awsRule({
  id: 'VGL-AWS-015',
  title: 'IAM user holds administrator access',
  description:
    'An IAM user has administrator access attached directly: the AWS AdministratorAccess policy, or a policy allowing "*" on "*". A user has long-lived credentials (password, access keys), so its compromise is the account\'s (CIS AWS Foundations 1.15 and 1.16).',
  severity: 'high',
  service: 'iam',
  kinds: [
    'tf:aws_iam_user_policy_attachment',
    'tf:aws_iam_policy_attachment',
    'tf:aws_iam_user_policy',
    'cfn:AWS::IAM::User',
    'cfn:AWS::IAM::UserPolicy',
    'cfn:AWS::IAM::ManagedPolicy',
    'cfn:AWS::IAM::Policy',
  ],
  frameworks: [cis('1.15'), cis('1.16'), nist('AC-6'), nist('AC-6(5)'), csf('PR.AA-05'), iso('A.8.2'), soc2('CC6.3'), pci('7.2.2')],
  remediation: 'Give administrators a role they assume with MFA (or IAM Identity Center permission sets) and remove administrator policies from users.',
  fix: {
    terraform: 'resource "aws_iam_role" "admin" {\n  name               = "admin"\n  assume_role_policy = data.aws_iam_policy_document.admin_trust_mfa.json\n}',
    cloudformation: 'AdminRole:\n  Type: AWS::IAM::Role\n  Properties:\n    ManagedPolicyArns: [arn:aws:iam::aws:policy/AdministratorAccess]\n    AssumeRolePolicyDocument: # trusted principals, with aws:MultiFactorAuthPresent',
  },
  references: REFERENCES,
  terraform: adminOnUserTf,
  cloudformation: adminOnUserCfn,
  live: {
    kinds: [AWS_KINDS.user],
    check: adminOnUserLive,
    cli: 'aws iam detach-user-policy --user-name <user> --policy-arn <admin-policy-arn>  # and give the person an admin role assumed with MFA',
    console: 'IAM → Users → the user → Permissions → remove the administrator policy; grant admin through a role or IAM Identity Center.',
    bad: [
      collected('aws', [user('alice', {}, { AttachedPolicies: [ADMIN] }), user('bob', {}, { AttachedPolicies: [READ_ONLY] })], [ALICE]),
      collected('aws', [user('alice', {}, { AttachedPolicies: [{ PolicyName: 'all', PolicyArn: policyArn('all') }] }), managedPolicy('all', doc({ Effect: 'Allow', Action: '*:*', Resource: '*' }))], [ALICE]),
      collected('aws', [user('alice', {}, { InlinePolicies: [{ PolicyName: 'god', PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }) }] })], [ALICE]),
    ],
    good: [collected('aws', [user('bob', {}, { AttachedPolicies: [READ_ONLY], InlinePolicies: [{ PolicyName: 'r', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }) }] })])],
  },
  bad: [
    tf(`
resource "aws_iam_user_policy_attachment" "bob" {
  user       = "bob"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}`, [3]),
    cfn(`
Resources:
  Bob:
    Type: AWS::IAM::User
    Properties:
      ManagedPolicyArns:
        - !Sub arn:\${AWS::Partition}:iam::aws:policy/AdministratorAccess
`, [6]),
  ],
  good: [
    tf(`
resource "aws_iam_user_policy_attachment" "bob" {
  user       = "bob"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}`),
    cfn(`
Resources:
  Bob:
    Type: AWS::IAM::User
    Properties:
      Groups: [readers]
`),
  ],
});
