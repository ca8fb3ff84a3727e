/**
 * VGL-AWS-009 (below): static website hosting, the other S3 exposure seen from the outside.
 *
 * VGL-AWS-007: S3 server access logging not enabled (CIS AWS 3.4 asks it of the CloudTrail
 * bucket; the rule asks it of every bucket). Buckets that receive access logs pass: a log
 * bucket logging into itself or another log bucket only multiplies records. A bucket is a log
 * destination when its ACL is log-delivery-write or another bucket's logging targets it.
 */
import { at, blocks, isObject, str } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, hipaa, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { cfnPointsAt, tfPointsAt } from './lib/links.js';
import { BUCKET_KINDS, bucketOf, companions, isS3Module } from './lib/s3.js';
import { AWS_KINDS, bucket, bucketArn, OWNER_ONLY_ACL } from './account/lib.js';
import { collected, needs } from '../shared/live.js';

function isLogTargetTf(r: Resource, ctx: RuleContext): boolean {
  if (str(r.attrs['acl']) === 'log-delivery-write') return true;
  if (companions(ctx, r, 'tf:aws_s3_bucket_acl').some((a) => str(a.attrs['acl']) === 'log-delivery-write')) return true;
  if (ctx.byKind('tf:aws_s3_bucket_logging').some((l) => tfPointsAt(l.attrs['target_bucket'], r, l, ['bucket']))) return true;
  return ctx.byKind('tf:aws_s3_bucket').some((b) => blocks(b.attrs['logging']).some((l) => tfPointsAt(l['target_bucket'], r, b, ['bucket'])));
}

function loggingTf(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind === 'tf:module') {
    if (!isS3Module(r) || str(r.attrs['acl']) === 'log-delivery-write') return [];
    return blocks(r.attrs['logging']).length > 0 ? [] : [violation(['logging'], 'server access logging is not enabled')];
  }
  if (blocks(r.attrs['logging']).length > 0 || companions(ctx, r, 'tf:aws_s3_bucket_logging').length > 0) return [];
  if (isLogTargetTf(r, ctx)) return [];
  return [violation(['logging'], 'server access logging is not enabled')];
}

function loggingCfn(r: Resource, ctx: RuleContext): Violation[] {
  if (r.attrs['LoggingConfiguration'] !== undefined) return [];
  if (str(r.attrs['AccessControl']) === 'LogDeliveryWrite') return [];
  const target = ctx.byKind('cfn:AWS::S3::Bucket').some((b) => {
    const conf = b.attrs['LoggingConfiguration'];
    return b !== r && isObject(conf) && cfnPointsAt(conf['DestinationBucketName'], r, ['BucketName']);
  });
  return target ? [] : [violation(['LoggingConfiguration'], 'server access logging is not enabled')];
}

const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

function isLogTargetLive(r: Resource, ctx: RuleContext): boolean {
  const name = str(r.attrs['Name']) ?? r.name;
  if (ctx.byKind(AWS_KINDS.bucket).some((b) => b !== r && b.account === r.account && str(at(b.attrs, ['Logging', 'TargetBucket'])) === name)) return true;
  const grants = at(r.attrs, ['Acl', 'Grants']);
  return Array.isArray(grants) && grants.some((g) => str(at(g, ['Grantee', 'URI'])) === LOG_DELIVERY);
}

function loggingLive(r: Resource, ctx: RuleContext): Violation[] {
  const missing = needs(r, 'Logging');
  if (missing.length > 0) return missing;
  if (r.attrs['Logging'] !== null || isLogTargetLive(r, ctx)) return [];
  return [violation(['Logging'], 'server access logging is not enabled')];
}

export const s3AccessLogging = awsRule({
  id: 'VGL-AWS-007',
  title: 'S3 bucket server access logging not enabled',
  description:
    'The bucket does not log requests (server access logging), so reads, writes and deletes by any principal leave no per-request trail (CIS AWS Foundations 3.4 requires it for the CloudTrail bucket). Buckets that are themselves log destinations pass.',
  severity: 'medium',
  service: 's3',
  kinds: [...BUCKET_KINDS],
  frameworks: [cis('3.4'), nist('AU-2'), nist('AU-12'), csf('PR.PS-04'), iso('A.8.15'), soc2('CC7.2'), pci('10.2.1'), hipaa('164.312(b)')],
  remediation: 'Enable server access logging to a dedicated log bucket (or CloudTrail S3 data events for object-level auditing).',
  fix: {
    terraform: 'resource "aws_s3_bucket_logging" "this" {\n  bucket        = aws_s3_bucket.this.id\n  target_bucket = aws_s3_bucket.logs.id\n  target_prefix = "s3/this/"\n}',
    cloudformation: 'LoggingConfiguration:\n  DestinationBucketName: !Ref LogBucket\n  LogFilePrefix: s3/this/',
  },
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html', `${TF_DOCS}/s3_bucket_logging`, `${CFN_DOCS}/aws-properties-s3-bucket-loggingconfig.html`],
  terraform: loggingTf,
  cloudformation: loggingCfn,
  live: {
    kinds: [AWS_KINDS.bucket],
    check: loggingLive,
    cli: 'aws s3api put-bucket-logging --bucket <bucket> --bucket-logging-status \'{"LoggingEnabled":{"TargetBucket":"<log-bucket>","TargetPrefix":"<bucket>/"}}\'',
    console: 'S3 → the bucket → Properties → Server access logging → Edit → Enable → choose the log bucket → Save changes.',
    bad: [collected('aws', [bucket('data', { Logging: null }), bucket('logged')], [bucketArn('data')])],
    good: [
      collected('aws', [bucket('app', { Logging: { TargetBucket: 'access-logs', TargetPrefix: 'app/' } }), bucket('access-logs', { Logging: null })]),
      collected('aws', [bucket('legacy-logs', { Logging: null, Acl: { ...OWNER_ONLY_ACL, Grants: [...OWNER_ONLY_ACL.Grants, { Grantee: { Type: 'Group', URI: LOG_DELIVERY }, Permission: 'WRITE' }] } })]),
    ],
  },
  bad: [
    tf(`
resource "aws_s3_bucket" "trail" {
  bucket = "example-trail"
}`, [1]),
    cfn(`
Resources:
  Trail:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: example-trail
`, [4]),
  ],
  good: [
    tf(`
resource "aws_s3_bucket" "logs" {
  bucket = "example-logs"
}

resource "aws_s3_bucket" "trail" {
  bucket = "example-trail"
}

resource "aws_s3_bucket_logging" "trail" {
  bucket        = aws_s3_bucket.trail.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "trail/"
}`),
    cfn(`
Resources:
  Logs:
    Type: AWS::S3::Bucket
    Properties:
      OwnershipControls:
        Rules:
          - ObjectOwnership: BucketOwnerPreferred
  Trail:
    Type: AWS::S3::Bucket
    Properties:
      LoggingConfiguration:
        DestinationBucketName: !Ref Logs
`),
  ],
});

// VGL-AWS-009 ----------------------------------------------------------------------------------

/** The bucket is reported (the website is its property); a website configuration of a bucket outside the scan is reported itself. */
function websiteTf(r: Resource, ctx: RuleContext): Violation[] {
  const message = 'the bucket is configured as a static website';
  if (r.kind === 'tf:aws_s3_bucket_website_configuration') return bucketOf(r, ctx) === undefined ? [violation([], message)] : [];
  if (r.kind === 'tf:module' && !isS3Module(r)) return [];
  if (blocks(r.attrs['website']).length > 0) return [violation(['website'], message)];
  if (r.kind === 'tf:aws_s3_bucket' && companions(ctx, r, 'tf:aws_s3_bucket_website_configuration').length > 0) {
    return [violation([], `${message} (aws_s3_bucket_website_configuration)`)];
  }
  return [];
}

function websiteCfn(r: Resource): Violation[] {
  return at(r.attrs, ['WebsiteConfiguration']) === undefined ? [] : [violation(['WebsiteConfiguration'], 'the bucket is configured as a static website')];
}

export const s3Website = awsRule({
  id: 'VGL-AWS-009',
  title: 'S3 bucket hosts a static website',
  description:
    'The bucket has static website hosting enabled. Website endpoints serve HTTP only (no TLS), need the content to be publicly readable, and bypass Block Public Access protections meant for private data. CloudFront in front of a private bucket gives HTTPS, caching and access logs instead.',
  severity: 'medium',
  service: 's3',
  kinds: [...BUCKET_KINDS, 'tf:aws_s3_bucket_website_configuration'],
  frameworks: [nist('SC-8'), nist('AC-3'), csf('PR.DS-02'), iso('A.8.20'), soc2('CC6.7'), pci('4.2.1')],
  remediation: 'Serve the site through CloudFront (origin access control, HTTPS) from a private bucket and remove the website configuration.',
  fix: {
    terraform: '# remove the website block / aws_s3_bucket_website_configuration and put CloudFront in front:\nresource "aws_cloudfront_origin_access_control" "site" {\n  name                              = "site"\n  origin_access_control_origin_type = "s3"\n  signing_behavior                  = "always"\n  signing_protocol                  = "sigv4"\n}',
    cloudformation: '# remove WebsiteConfiguration; add an AWS::CloudFront::OriginAccessControl and a distribution with the bucket as S3 origin',
  },
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html', `${TF_DOCS}/s3_bucket_website_configuration`, `${CFN_DOCS}/aws-properties-s3-websiteconfiguration.html`],
  terraform: websiteTf,
  cloudformation: websiteCfn,
  bad: [
    tf(`
resource "aws_s3_bucket" "site" {
  bucket = "example-site"
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
}`, [1]),
    cfn(`
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      WebsiteConfiguration:
        IndexDocument: index.html
`, [5]),
  ],
  good: [
    tf(`
resource "aws_s3_bucket" "site" {
  bucket = "example-site"
}`),
    cfn(`
Resources:
  Site:
    Type: AWS::S3::Bucket
`),
  ],
});
