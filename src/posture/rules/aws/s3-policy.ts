/**
 * VGL-AWS-003: an S3 bucket policy allows any principal; VGL-AWS-008: no bucket policy denies
 * requests made without TLS (CIS AWS 2.1.1). Policies come from the bucket's inline `policy`, an
 * `aws_s3_bucket_policy` (possibly built by `data "aws_iam_policy_document"`), the S3 module's
 * `policy` / `attach_deny_insecure_transport_policy`, or CloudFormation `AWS::S3::BucketPolicy`;
 * live, from the collected bucket's `Policy` (and AWS's own `PolicyStatus` verdict).
 */
import { bool } from '../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, gdpr, hipaa, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { linked } from './lib/links.js';
import { allowsAnyone, globMatch, isAnyPrincipal, policyStatements, type Statement } from './lib/policy.js';
import { BUCKET_KINDS, blockSettingOn, bucketOf, companions, isS3Module, liveBlockOn } from './lib/s3.js';
import { AWS_KINDS, bucket, bucketArn, doc, FULL_BLOCK } from './account/lib.js';
import { collected, needs } from '../shared/live.js';

// ---------------------------------------------------------------------------------------------
// VGL-AWS-003

function anyoneViolations(statements: readonly Statement[] | undefined): Violation[] {
  return (statements ?? []).filter(allowsAnyone).map((s) => {
    const actions = s.notActions !== undefined ? `all actions but ${s.notActions.join(', ')}` : s.actions.join(', ');
    return violation(s.principalPath, `a statement allows any principal (anonymous callers included) to ${actions || 'act'} and no condition ties the caller to a known account or network`);
  });
}

function publicPolicyTf(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind === 'tf:module' && !isS3Module(r)) return [];
  const bucket = r.kind === 'tf:aws_s3_bucket_policy' ? bucketOf(r, ctx) : r;
  if (bucket !== undefined && blockSettingOn(bucket, ctx, 'restrict_public_buckets')) return [];
  return anyoneViolations(policyStatements(r, ['policy'], ctx));
}

function publicPolicyCfn(r: Resource, ctx: RuleContext): Violation[] {
  const bucket = bucketOf(r, ctx);
  if (bucket !== undefined && blockSettingOn(bucket, ctx, 'restrict_public_buckets')) return [];
  return anyoneViolations(policyStatements(r, ['PolicyDocument'], ctx));
}

function publicPolicyLive(r: Resource, ctx: RuleContext): Violation[] {
  const missing = needs(r, 'Policy');
  if (missing.length > 0) return missing;
  if (liveBlockOn(r, ctx, 'RestrictPublicBuckets')) return [];
  const found = anyoneViolations(policyStatements(r, ['Policy'], ctx));
  if (found.length > 0) return found;
  const status = r.attrs['PolicyStatus'];
  return status !== null && typeof status === 'object' && (status as Record<string, unknown>)['IsPublic'] === true
    ? [violation(['PolicyStatus', 'IsPublic'], 'AWS evaluates the bucket policy as public (GetBucketPolicyStatus IsPublic)')]
    : [];
}

const ANYONE_READS = { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site/*' };

export const s3PublicPolicy = awsRule({
  id: 'VGL-AWS-003',
  title: 'S3 bucket policy allows any principal',
  description:
    'A bucket policy statement allows "*" (every principal, anonymous callers included) and no condition ties the request to a known account, organisation, source ARN or VPC endpoint. A source-IP or Referer condition narrows where a caller comes from, not who it is, so it does not pass the check. Block Public Access with RestrictPublicBuckets on the bucket (or account) neutralises the policy and passes.',
  severity: 'critical',
  service: 's3',
  kinds: ['tf:aws_s3_bucket', 'tf:aws_s3_bucket_policy', 'tf:module', 'cfn:AWS::S3::BucketPolicy'],
  frameworks: [cis('2.1.4'), nist('AC-3'), nist('AC-6'), nist('SC-7'), csf('PR.AA-05'), iso('A.8.3'), soc2('CC6.1'), pci('1.4.1'), pci('7.2.1'), hipaa('164.312(a)(1)'), gdpr()],
  remediation: 'Name the principals (account, role or service) the statement is for, or add a condition on aws:PrincipalOrgID, aws:SourceArn, aws:SourceAccount or aws:SourceVpce; serve public content through CloudFront with origin access control instead of a public bucket policy.',
  fix: {
    terraform: 'principals {\n  type        = "AWS"\n  identifiers = ["arn:aws:iam::111122223333:role/reader"]\n}',
    cloudformation: 'Principal:\n  AWS: !Sub arn:aws:iam::${AWS::AccountId}:role/reader',
  },
  references: [
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status',
    `${TF_DOCS}/s3_bucket_policy`,
    `${CFN_DOCS}/aws-resource-s3-bucketpolicy.html`,
  ],
  terraform: publicPolicyTf,
  cloudformation: publicPolicyCfn,
  live: {
    kinds: [AWS_KINDS.bucket],
    check: publicPolicyLive,
    cli: 'aws s3api put-bucket-policy --bucket <bucket> --policy file://<policy-naming-principals.json>  # and: aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
    console: 'S3 → the bucket → Permissions → Bucket policy → Edit → name the principals or add an aws:PrincipalOrgID condition; turn Block Public Access on.',
    bad: [
      collected('aws', [bucket('site', { Policy: doc(ANYONE_READS), PolicyStatus: { IsPublic: true }, PublicAccessBlock: null }), bucket('private')], [bucketArn('site')]),
      collected('aws', [bucket('by-ip', { Policy: doc({ ...ANYONE_READS, Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/1' } } }), PolicyStatus: { IsPublic: true }, PublicAccessBlock: null })], [bucketArn('by-ip')]),
    ],
    good: [
      collected('aws', [
        bucket('org', { Policy: doc({ ...ANYONE_READS, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123' } } }), PolicyStatus: { IsPublic: false } }),
        bucket('restricted', { Policy: doc(ANYONE_READS), PolicyStatus: { IsPublic: true }, PublicAccessBlock: FULL_BLOCK }),
      ]),
    ],
  },
  bad: [
    tf(`
resource "aws_s3_bucket_policy" "public" {
  bucket = "example-bucket"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-bucket/*"
    }]
  })
}`, [3]),
    tf(`
data "aws_iam_policy_document" "public" {
  statement {
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
    actions   = ["s3:DeleteObject"]
    resources = ["arn:aws:s3:::example-bucket/*"]
  }
}

resource "aws_s3_bucket_policy" "public" {
  bucket = "example-bucket"
  policy = data.aws_iam_policy_document.public.json
}`, [14]),
    cfn(`
Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: example-bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              AWS: "*"
            Action: s3:GetObject
            Resource: arn:aws:s3:::example-bucket/*
`, [9]),
  ],
  good: [
    tf(`
resource "aws_s3_bucket_policy" "org" {
  bucket = "example-bucket"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::example-bucket/*"
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
    }]
  })
}`),
    cfn(`
Resources:
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: example-bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Service: cloudtrail.amazonaws.com
            Action: s3:PutObject
            Resource: arn:aws:s3:::example-bucket/*
`),
  ],
});

// ---------------------------------------------------------------------------------------------
// VGL-AWS-008

/** A statement denying every request made without TLS: Deny, any principal, S3 actions, aws:SecureTransport false. */
function deniesInsecureTransport(s: Statement): boolean {
  return (
    s.effect.toLowerCase() === 'deny' &&
    (s.principals ?? []).some(isAnyPrincipal) &&
    s.actions.some((a) => globMatch(a, 's3:GetObject')) &&
    s.conditions.some((c) => /^bool(ifexists)?$/i.test(c.operator) && c.key.toLowerCase() === 'aws:securetransport' && c.values.some((v) => v.toLowerCase() === 'false'))
  );
}

type Verdict = 'denies' | 'unknown' | 'missing';

function verdict(statements: readonly Statement[] | undefined): Verdict {
  if (statements === undefined) return 'unknown';
  return statements.some(deniesInsecureTransport) ? 'denies' : 'missing';
}

const NO_DENY = 'no statement denies requests made without TLS (Deny on aws:SecureTransport = false)';

/** The bucket passes when one of its policies denies plain HTTP; otherwise report each policy that lacks it, or the bucket. */
function secureTransport(bucket: Resource, own: AttrPath | undefined, policies: readonly { resource: Resource; path: AttrPath }[], ctx: RuleContext): Violation[] {
  const all = [...(own === undefined ? [] : [{ resource: bucket, path: own }]), ...policies];
  const verdicts = all.map((p) => verdict(policyStatements(p.resource, p.path, ctx)));
  if (verdicts.some((v) => v !== 'missing')) return [];
  if (all.length === 0) return [violation([], 'the bucket has no bucket policy, so nothing denies requests made without TLS')];
  return all.map((p) => ({ ...violation(p.path, NO_DENY), ...(p.resource === bucket ? {} : { resource: p.resource }) }));
}

function secureTransportTf(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind === 'tf:module') {
    const attach = r.attrs['attach_deny_insecure_transport_policy'];
    if (!isS3Module(r) || (attach !== undefined && bool(attach) !== false)) return [];
    return secureTransport(r, r.attrs['policy'] === undefined ? undefined : ['policy'], [], ctx);
  }
  const policies = companions(ctx, r, 'tf:aws_s3_bucket_policy').map((p) => ({ resource: p, path: ['policy'] as AttrPath }));
  return secureTransport(r, r.attrs['policy'] === undefined ? undefined : ['policy'], policies, ctx);
}

function secureTransportCfn(r: Resource, ctx: RuleContext): Violation[] {
  const policies = linked(ctx, r, 'cfn:AWS::S3::BucketPolicy', 'Bucket', ['BucketName']).map((p) => ({ resource: p, path: ['PolicyDocument'] as AttrPath }));
  return secureTransport(r, undefined, policies, ctx);
}

function secureTransportLive(r: Resource, ctx: RuleContext): Violation[] {
  const missing = needs(r, 'Policy');
  if (missing.length > 0) return missing;
  if (r.attrs['Policy'] === undefined) return [];
  if (r.attrs['Policy'] === null) return [violation(['Policy'], 'the bucket has no bucket policy, so nothing denies requests made without TLS')];
  return verdict(policyStatements(r, ['Policy'], ctx)) === 'missing' ? [violation(['Policy'], NO_DENY)] : [];
}

const DENY_HTTP = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::data', 'arn:aws:s3:::data/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };

export const s3SecureTransport = awsRule({
  id: 'VGL-AWS-008',
  title: 'S3 bucket policy does not deny plain HTTP requests',
  description:
    'No bucket policy denies requests whose aws:SecureTransport is false, so clients can read and write the bucket over unencrypted HTTP (CIS AWS Foundations 2.1.1). The bucket passes when the policy cannot be read statically (an unresolved document).',
  severity: 'medium',
  service: 's3',
  kinds: [...BUCKET_KINDS],
  frameworks: [cis('2.1.1'), nist('SC-8'), nist('SC-8(1)'), csf('PR.DS-02'), iso('A.8.24'), soc2('CC6.7'), pci('4.2.1'), hipaa('164.312(e)(1)'), gdpr()],
  remediation: 'Add a bucket policy statement that denies s3:* to every principal when aws:SecureTransport is false (the S3 module: attach_deny_insecure_transport_policy = true).',
  fix: {
    terraform:
      'data "aws_iam_policy_document" "tls_only" {\n  statement {\n    sid     = "DenyInsecureTransport"\n    effect  = "Deny"\n    actions = ["s3:*"]\n    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]\n    principals {\n      type        = "*"\n      identifiers = ["*"]\n    }\n    condition {\n      test     = "Bool"\n      variable = "aws:SecureTransport"\n      values   = ["false"]\n    }\n  }\n}',
    cloudformation:
      '- Sid: DenyInsecureTransport\n  Effect: Deny\n  Principal: "*"\n  Action: s3:*\n  Resource: [!GetAtt Bucket.Arn, !Sub "${Bucket.Arn}/*"]\n  Condition:\n    Bool:\n      aws:SecureTransport: false',
  },
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit', `${TF_DOCS}/s3_bucket_policy`, `${CFN_DOCS}/aws-resource-s3-bucketpolicy.html`],
  terraform: secureTransportTf,
  cloudformation: secureTransportCfn,
  live: {
    kinds: [AWS_KINDS.bucket],
    check: secureTransportLive,
    cli: 'aws s3api put-bucket-policy --bucket <bucket> --policy file://<policy-with-DenyInsecureTransport.json>',
    console: 'S3 → the bucket → Permissions → Bucket policy → Edit → add a Deny of s3:* for Principal "*" when aws:SecureTransport is false → Save changes.',
    bad: [
      collected('aws', [bucket('plain', { Policy: null }), bucket('data', { Policy: doc(DENY_HTTP) })], [bucketArn('plain')]),
      collected('aws', [bucket('logs', { Policy: doc({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::logs/*' }) })], [bucketArn('logs')]),
    ],
    good: [collected('aws', [bucket('data', { Policy: doc(DENY_HTTP, { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }) })])],
  },
  bad: [
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}`, [1]),
    cfn(`
Resources:
  Data:
    Type: AWS::S3::Bucket
  DataPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal:
              Service: logging.s3.amazonaws.com
            Action: s3:PutObject
            Resource: !Sub "\${Data.Arn}/*"
`, [8]),
  ],
  good: [
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Principal = "*"
      Action    = "s3:*"
      Resource  = ["arn:aws:s3:::example-data", "arn:aws:s3:::example-data/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}`),
    cfn(`
Resources:
  Data:
    Type: AWS::S3::Bucket
  DataPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument:
        Statement:
          - Effect: Deny
            Principal: "*"
            Action: s3:*
            Resource: !Sub "\${Data.Arn}/*"
            Condition:
              Bool:
                aws:SecureTransport: false
`),
  ],
});
