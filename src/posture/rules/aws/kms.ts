/**
 * KMS keys: VGL-AWS-041 automatic rotation off for symmetric keys (CIS AWS 3.6), VGL-AWS-042
 * key policy open to any principal, VGL-AWS-043 no explicit key policy (the default one hands
 * the key to every IAM policy in the account). Live blocks read the collected key's metadata, rotation
 * status and `default` key policy.
 */
import { bool, isUnresolved, str } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { linked } from './lib/links.js';
import { allowsAnyone, policyStatements } from './lib/policy.js';
import { AWS_KINDS as AWS_KIND } from '../../collectors/aws/kinds.js';
import { collected, needs, type ExampleResource } from '../shared/live.js';

// VGL-AWS-041 ----------------------------------------------------------------------------------

/** Rotation applies to symmetric encryption keys only (not asymmetric, HMAC or imported keys). */
function symmetric(spec: unknown, usage: unknown, origin: unknown): boolean {
  const s = str(spec);
  const u = str(usage);
  return (s === undefined || s === 'SYMMETRIC_DEFAULT') && (u === undefined || u === 'ENCRYPT_DECRYPT') && str(origin) !== 'EXTERNAL';
}

function rotation(attr: string, spec: string, usage: string, origin: string) {
  return (r: Resource): Violation[] => {
    if (!symmetric(r.attrs[spec], r.attrs[usage], r.attrs[origin])) return [];
    const v = r.attrs[attr];
    if (isUnresolved(v) || bool(v) === true) return [];
    return [violation([attr], v === undefined ? 'automatic key rotation is not enabled' : 'automatic key rotation is disabled')];
  };
}

export const kmsRotation = awsRule({
  id: 'VGL-AWS-041',
  title: 'KMS key rotation not enabled',
  description:
    'A symmetric customer managed key does not rotate its key material. The longer one key material protects data, the more a leak of it (or of ciphertext under it) exposes; yearly automatic rotation limits that without re-encrypting anything (CIS AWS Foundations 3.6).',
  severity: 'medium',
  service: 'kms',
  kinds: ['tf:aws_kms_key', 'cfn:AWS::KMS::Key'],
  frameworks: [cis('3.6'), nist('SC-12'), csf('PR.DS-01'), iso('A.8.24'), soc2('CC6.1'), pci('3.7.4')],
  remediation: 'Set enable_key_rotation = true (EnableKeyRotation: true); rotation_period_in_days can shorten the default 365 days.',
  fix: { terraform: 'enable_key_rotation = true', cloudformation: 'EnableKeyRotation: true' },
  references: ['https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html', `${TF_DOCS}/kms_key#enable_key_rotation`, `${CFN_DOCS}/aws-resource-kms-key.html#cfn-kms-key-enablekeyrotation`],
  terraform: rotation('enable_key_rotation', 'customer_master_key_spec', 'key_usage', 'origin'),
  cloudformation: rotation('EnableKeyRotation', 'KeySpec', 'KeyUsage', 'Origin'),
  live: {
    kinds: [AWS_KIND.kmsKey],
    check: liveRotation,
    cli: 'aws kms enable-key-rotation --key-id <key-id> --region <region>',
    console: 'KMS → Customer managed keys → the key → Key rotation → Automatically rotate this KMS key every year → Save.',
    bad: [
      collected('aws', [
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/1', { KeyRotationEnabled: false }),
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/2', { KeyRotationEnabled: true }),
      ], ['arn:aws:kms:eu-west-1:111122223333:key/1']),
    ],
    good: [
      collected('aws', [
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/3', { KeyRotationEnabled: true, RotationPeriodInDays: 365 }),
        // AWS managed keys rotate on AWS's schedule; asymmetric keys cannot rotate.
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/4', {}, { KeyManager: 'AWS' }),
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/5', {}, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/6', { KeyRotationEnabled: false }, { KeyState: 'PendingDeletion' }),
      ]),
    ],
  },
  bad: [
    tf(`
resource "aws_kms_key" "data" {
  description = "data"
}`, [1]),
    cfn(`
Resources:
  Data:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: false
`, [5]),
  ],
  good: [
    tf(`
resource "aws_kms_key" "data" {
  description         = "data"
  enable_key_rotation = true
}`),
    cfn(`
Resources:
  Signing:
    Type: AWS::KMS::Key
    Properties:
      KeySpec: ECC_NIST_P256
      KeyUsage: SIGN_VERIFY
`),
  ],
});

/** A collected key (DescribeKey metadata + GetKeyRotationStatus) for the examples. */
function liveKey(arn: string, rotation: Record<string, unknown>, metadata: Record<string, unknown> = {}): ExampleResource {
  return {
    type: 'AWS::KMS::Key',
    id: arn,
    region: 'eu-west-1',
    account: '111122223333',
    attrs: {
      KeyId: arn.slice(arn.lastIndexOf('/') + 1),
      KeyArn: arn,
      KeyMetadata: { KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT', Origin: 'AWS_KMS', Enabled: true, ...metadata },
      ...rotation,
    },
  };
}

/** Collected keys: customer managed, enabled, symmetric, not imported, and rotation off. */
function liveRotation(r: Resource): Violation[] {
  const meta = (r.attrs['KeyMetadata'] ?? {}) as Record<string, unknown>;
  if (str(meta['KeyManager']) !== 'CUSTOMER' || str(meta['KeyState']) !== 'Enabled') return [];
  if (!symmetric(meta['KeySpec'], meta['KeyUsage'], meta['Origin'])) return [];
  const missing = needs(r, 'KeyRotationEnabled');
  if (missing.length > 0) return missing;
  if (r.attrs['KeyRotationEnabled'] === true) return [];
  return [violation(['KeyRotationEnabled'], 'automatic key rotation is not enabled')];
}

// VGL-AWS-042 ----------------------------------------------------------------------------------

function openKeyPolicy(path: string) {
  return (r: Resource, ctx: RuleContext): Violation[] =>
    (policyStatements(r, [path], ctx) ?? [])
      .filter(allowsAnyone)
      .map((s) => violation(s.principalPath, 'the key policy allows any principal, in any account, and no condition (kms:CallerAccount, aws:PrincipalOrgID…) narrows it'));
}

export const kmsOpenPolicy = awsRule({
  id: 'VGL-AWS-042',
  title: 'KMS key policy allows any principal',
  description:
    'A key policy statement allows "*" as principal with no condition tying callers to an account or organisation. Key policies are resource policies: "*" there means every AWS account, so anyone can use (or administer) the key.',
  severity: 'critical',
  service: 'kms',
  kinds: ['tf:aws_kms_key', 'tf:aws_kms_key_policy', 'cfn:AWS::KMS::Key'],
  frameworks: [nist('AC-3'), nist('AC-6'), nist('SC-12'), csf('PR.AA-05'), iso('A.8.24'), iso('A.5.15'), soc2('CC6.1'), pci('3.6.1')],
  remediation: 'Name the account root or the roles that use the key as principals, or add a kms:CallerAccount / aws:PrincipalOrgID condition.',
  fix: {
    terraform: 'principals {\n  type        = "AWS"\n  identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]\n}',
    cloudformation: 'Principal:\n  AWS: !Sub arn:aws:iam::${AWS::AccountId}:root',
  },
  references: ['https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html', `${TF_DOCS}/kms_key#policy`, `${CFN_DOCS}/aws-resource-kms-key.html#cfn-kms-key-keypolicy`],
  terraform: openKeyPolicy('policy'),
  cloudformation: openKeyPolicy('KeyPolicy'),
  live: {
    kinds: [AWS_KIND.kmsKey],
    check: liveOpenPolicy,
    cli: 'aws kms put-key-policy --key-id <key-id> --policy-name default --policy file://<key-policy-naming-principals.json> --region <region>',
    console: 'KMS → Customer managed keys → the key → Key policy → Edit → name the principals or add a kms:CallerAccount / aws:PrincipalOrgID condition → Save changes.',
    bad: [
      collected('aws', [
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/open', { Policy: keyPolicy({ AWS: '*' }) }),
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/own', { Policy: keyPolicy({ AWS: 'arn:aws:iam::111122223333:root' }) }),
      ], ['arn:aws:kms:eu-west-1:111122223333:key/open']),
    ],
    good: [
      collected('aws', [
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/scoped', { Policy: keyPolicy('*', { StringEquals: { 'kms:CallerAccount': '111122223333' } }) }),
        // AWS managed keys have no collected policy and are AWS's to manage.
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/aws', {}, { KeyManager: 'AWS' }),
      ]),
    ],
  },
  bad: [
    tf(`
resource "aws_kms_key" "data" {
  enable_key_rotation = true
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:*", Resource = "*" }]
  })
}`, [3]),
    cfn(`
Resources:
  Data:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal: "*"
            Action: kms:*
            Resource: "*"
`, [9]),
  ],
  good: [
    tf(`
resource "aws_kms_key" "data" {
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = ["kms:Encrypt", "kms:Decrypt"]
      Resource  = "*"
      Condition = { StringEquals = { "kms:CallerAccount" = "111122223333" } }
    }]
  })
}`),
    cfn(`
Resources:
  Data:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal:
              AWS: !Sub arn:aws:iam::\${AWS::AccountId}:root
            Action: kms:*
            Resource: "*"
`),
  ],
});

/** A key policy of the examples: one Allow kms:* statement for `principal`. */
function keyPolicy(principal: unknown, condition?: Record<string, unknown>): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'kms:*', Resource: '*', ...(condition ? { Condition: condition } : {}) }] };
}

/** Collected customer managed keys: the `default` key policy. */
function liveOpenPolicy(r: Resource, ctx: RuleContext): Violation[] {
  const meta = (r.attrs['KeyMetadata'] ?? {}) as Record<string, unknown>;
  if (str(meta['KeyManager']) !== 'CUSTOMER') return [];
  const missing = needs(r, 'Policy');
  if (missing.length > 0) return missing;
  return openKeyPolicy('Policy')(r, ctx);
}

// VGL-AWS-043 ----------------------------------------------------------------------------------

function noPolicyTf(r: Resource, ctx: RuleContext): Violation[] {
  if (r.attrs['policy'] !== undefined || linked(ctx, r, 'tf:aws_kms_key_policy', 'key_id', ['key_id', 'arn']).length > 0) return [];
  return [violation(['policy'], 'the key has no key policy of its own: the default policy lets any IAM policy in the account use it')];
}

function noPolicyCfn(r: Resource): Violation[] {
  return r.attrs['KeyPolicy'] === undefined ? [violation(['KeyPolicy'], 'the key has no key policy of its own: the default policy lets any IAM policy in the account use it')] : [];
}

/** The policy AWS writes when none is given: one statement, the account root allowed kms:* on "*". */
function isDefaultPolicy(r: Resource, ctx: RuleContext): boolean {
  const statements = policyStatements(r, ['Policy'], ctx) ?? [];
  if (statements.length !== 1) return false;
  const s = statements[0]!;
  const root = (s.principals ?? []).every((p) => p.type === 'AWS' && /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(p.id));
  return s.effect === 'Allow' && root && (s.principals ?? []).length > 0 && s.actions.includes('kms:*') && s.conditions.length === 0;
}

function liveDefaultPolicy(r: Resource, ctx: RuleContext): Violation[] {
  const meta = (r.attrs['KeyMetadata'] ?? {}) as Record<string, unknown>;
  if (str(meta['KeyManager']) !== 'CUSTOMER' || str(meta['KeyState']) === 'PendingDeletion') return [];
  const missing = needs(r, 'Policy');
  if (missing.length > 0) return missing;
  return isDefaultPolicy(r, ctx) ? [violation(['Policy'], 'the key has the default key policy only: every IAM policy in the account granting kms:* can use and administer it')] : [];
}

function explicitPolicy(): Record<string, unknown> {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Admins', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/key-admin' }, Action: ['kms:Create*', 'kms:Describe*', 'kms:Enable*', 'kms:Put*', 'kms:Disable*', 'kms:ScheduleKeyDeletion'], Resource: '*' },
      { Sid: 'Users', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/app' }, Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
    ],
  };
}

export const kmsDefaultPolicy = awsRule({
  id: 'VGL-AWS-043',
  title: 'KMS key without an explicit key policy',
  description:
    'The key is created without a key policy (and no aws_kms_key_policy attaches one), so it gets the default policy: the account root may do everything, which delegates the key to every IAM policy in the account that grants kms:* on "*". An explicit policy names who administers and who uses the key.',
  severity: 'low',
  service: 'kms',
  kinds: ['tf:aws_kms_key', 'cfn:AWS::KMS::Key'],
  frameworks: [nist('AC-6'), nist('SC-12'), csf('PR.AA-05'), iso('A.8.24'), soc2('CC6.1'), pci('3.6.1')],
  remediation: 'Write a key policy separating key administrators from key users (and the services allowed to use it).',
  fix: {
    terraform: 'policy = data.aws_iam_policy_document.key.json',
    cloudformation: 'KeyPolicy:\n  Version: "2012-10-17"\n  Statement: # administrators, users, services',
  },
  references: ['https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html', `${TF_DOCS}/kms_key_policy`],
  terraform: noPolicyTf,
  cloudformation: noPolicyCfn,
  live: {
    kinds: [AWS_KIND.kmsKey],
    check: liveDefaultPolicy,
    cli: 'aws kms put-key-policy --key-id <key-id> --policy-name default --policy file://<policy-separating-admins-and-users.json> --region <region>',
    console: 'KMS → Customer managed keys → the key → Key policy → Switch to policy view → Edit → add key administrators and key users → Save changes.',
    bad: [
      collected('aws', [
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/default', { Policy: keyPolicy({ AWS: 'arn:aws:iam::111122223333:root' }) }),
        liveKey('arn:aws:kms:eu-west-1:111122223333:key/explicit', { Policy: explicitPolicy() }),
      ], ['arn:aws:kms:eu-west-1:111122223333:key/default']),
    ],
    good: [collected('aws', [liveKey('arn:aws:kms:eu-west-1:111122223333:key/explicit', { Policy: explicitPolicy() }), liveKey('arn:aws:kms:eu-west-1:111122223333:key/aws', {}, { KeyManager: 'AWS' })])],
  },
  bad: [
    tf(`
resource "aws_kms_key" "data" {
  enable_key_rotation = true
}`, [1]),
    cfn(`
Resources:
  Data:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
`, [4]),
  ],
  good: [
    tf(`
resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

resource "aws_kms_key_policy" "data" {
  key_id = aws_kms_key.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::111122223333:root" }
      Action    = "kms:*"
      Resource  = "*"
    }]
  })
}`),
    cfn(`
Resources:
  Data:
    Type: AWS::KMS::Key
    Properties:
      EnableKeyRotation: true
      KeyPolicy:
        Statement:
          - Effect: Allow
            Principal:
              AWS: arn:aws:iam::111122223333:root
            Action: kms:*
            Resource: "*"
`),
  ],
});
