/**
 * VGL-AWS-004: a bucket's Block Public Access is declared with a setting off (CIS AWS 2.1.4).
 * Since April 2023 new buckets get all four settings on, so a bucket with no Block Public Access
 * declaration passes; a declaration turns every setting it leaves out off (the Terraform
 * resource's and CloudFormation's default is false), and that is what is reported. The S3 module
 * is judged on explicit `false` only, as its defaults changed between major versions. Live, a
 * collected bucket needs all four on, its own or its account's (the account level alone is
 * VGL-AWS-240).
 */
import { bool, isObject, isUnresolved } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { accountBlockConfig, BLOCK_SETTINGS, BUCKET_KINDS, CFN_BLOCK_SETTING, companions, isS3Module, LIVE_BLOCK_SETTINGS } from './lib/s3.js';
import { accountBlock, AWS_KINDS, bucket, bucketArn, FULL_BLOCK } from './account/lib.js';
import { collected, needs } from '../shared/live.js';

/** Settings that are off: explicitly false, or (when `absentIsOff`) left out. */
function offSettings(conf: Readonly<Record<string, unknown>>, names: readonly string[], absentIsOff: boolean): string[] {
  return names.filter((n) => {
    const v = conf[n];
    if (v === undefined) return absentIsOff;
    return !isUnresolved(v) && bool(v) !== true;
  });
}

function message(setting: string, absent: boolean): string {
  return absent ? `${setting} is not set, so it is off` : `${setting} is off`;
}

function terraform(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind === 'tf:module') {
    if (!isS3Module(r)) return [];
    return offSettings(r.attrs, BLOCK_SETTINGS, false).map((s) => violation([s], message(s, false)));
  }
  if (r.kind === 'tf:aws_s3_account_public_access_block') {
    return offSettings(r.attrs, BLOCK_SETTINGS, true).map((s) => violation([s], message(s, r.attrs[s] === undefined)));
  }
  const account = ctx.byKind('tf:aws_s3_account_public_access_block');
  if (account.some((a) => offSettings(a.attrs, BLOCK_SETTINGS, true).length === 0)) return [];
  return companions(ctx, r, 'tf:aws_s3_bucket_public_access_block').flatMap((pab) =>
    offSettings(pab.attrs, BLOCK_SETTINGS, true).map((s) => ({ ...violation([s], message(s, pab.attrs[s] === undefined)), resource: pab })),
  );
}

function cloudformation(r: Resource): Violation[] {
  const conf = r.attrs['PublicAccessBlockConfiguration'];
  if (!isObject(conf)) return [];
  const names = BLOCK_SETTINGS.map((s) => CFN_BLOCK_SETTING[s]);
  return offSettings(conf, names, true).map((s) => violation(['PublicAccessBlockConfiguration', s], message(s, conf[s] === undefined)));
}

function live(r: Resource, ctx: RuleContext): Violation[] {
  const account = accountBlockConfig(r, ctx);
  if (account !== undefined && LIVE_BLOCK_SETTINGS.every((s) => account[s] === true)) return [];
  const missing = needs(r, 'PublicAccessBlock');
  if (missing.length > 0) return missing;
  const own = r.attrs['PublicAccessBlock'];
  if (own === undefined) return [];
  if (!isObject(own)) return [violation(['PublicAccessBlock'], 'the bucket has no Block Public Access configuration (and the account level does not block all four)')];
  return LIVE_BLOCK_SETTINGS.filter((s) => own[s] !== true && account?.[s] !== true).map((s) => violation(['PublicAccessBlock', s], `${s} is off for the bucket and its account`));
}

export const s3PublicAccessBlock = awsRule({
  id: 'VGL-AWS-004',
  title: 'S3 Block Public Access setting turned off',
  description:
    "The bucket's Block Public Access is declared with BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy or RestrictPublicBuckets off (or left out, which turns it off), so a public ACL or bucket policy takes effect (CIS AWS Foundations 2.1.4). Buckets with no declaration keep AWS's default (all on, since April 2023) and pass, as do buckets of an account whose account-level block has all four on.",
  severity: 'high',
  service: 's3',
  kinds: [...BUCKET_KINDS, 'tf:aws_s3_account_public_access_block'],
  frameworks: [cis('2.1.4'), nist('AC-3'), nist('SC-7'), csf('PR.AA-05'), csf('PR.PS-01'), iso('A.8.3'), soc2('CC6.1'), pci('1.4.1')],
  remediation: 'Turn all four Block Public Access settings on for the bucket (or the account); serve public content through CloudFront with origin access control instead.',
  fix: {
    terraform:
      'resource "aws_s3_bucket_public_access_block" "this" {\n  bucket                  = aws_s3_bucket.this.id\n  block_public_acls       = true\n  ignore_public_acls      = true\n  block_public_policy     = true\n  restrict_public_buckets = true\n}',
    cloudformation: 'PublicAccessBlockConfiguration:\n  BlockPublicAcls: true\n  IgnorePublicAcls: true\n  BlockPublicPolicy: true\n  RestrictPublicBuckets: true',
  },
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html', `${TF_DOCS}/s3_bucket_public_access_block`, `${CFN_DOCS}/aws-properties-s3-bucket-publicaccessblockconfiguration.html`],
  terraform,
  cloudformation,
  live: {
    kinds: [AWS_KINDS.bucket],
    check: live,
    cli: 'aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
    console: 'S3 → the bucket → Permissions → Block public access (bucket settings) → Edit → Block all public access → Save changes.',
    bad: [
      collected('aws', [bucket('partial', { PublicAccessBlock: { ...FULL_BLOCK, IgnorePublicAcls: false } }), bucket('none', { PublicAccessBlock: null }), bucket('full')], [bucketArn('partial'), bucketArn('none')]),
      collected('aws', [bucket('partial', { PublicAccessBlock: { ...FULL_BLOCK, BlockPublicPolicy: false } }), accountBlock({ ...FULL_BLOCK, BlockPublicPolicy: false })], [bucketArn('partial')]),
    ],
    good: [
      collected('aws', [bucket('none', { PublicAccessBlock: null }), accountBlock(FULL_BLOCK)]),
      collected('aws', [bucket('mixed', { PublicAccessBlock: { ...FULL_BLOCK, IgnorePublicAcls: false } }), accountBlock({ ...FULL_BLOCK, BlockPublicPolicy: false })]),
    ],
  },
  bad: [
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = false
}`, [5, 9]),
    cfn(`
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: false
        RestrictPublicBuckets: true
`, [8]),
  ],
  good: [
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}`),
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}`),
    cfn(`
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
`),
  ],
});
