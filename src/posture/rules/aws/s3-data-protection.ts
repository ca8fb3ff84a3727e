/**
 * VGL-AWS-005: default encryption without a KMS key; VGL-AWS-006: versioning not enabled. Both
 * read the bucket's inline blocks, its AWS provider v4+ companion resource (which wins when
 * present: plans show computed inline values for v4 buckets), the S3 module's map argument, or
 * the CloudFormation property; live, the collected bucket's `Encryption` and `Versioning`.
 */
import { at, blocks, isUnresolved, str } from '../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, csf, gdpr, hipaa, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { BUCKET_KINDS, companions, isS3Module } from './lib/s3.js';
import { AWS_KINDS, bucket, bucketArn } from './account/lib.js';
import { collected, needs } from '../shared/live.js';

// ---------------------------------------------------------------------------------------------
// VGL-AWS-005

const KMS_ALGORITHMS = new Set(['aws:kms', 'aws:kms:dsse']);

/** Algorithms of `rule { apply_server_side_encryption_by_default { sse_algorithm } }` under `base`. */
function tfAlgorithms(r: Resource, base: AttrPath): { path: AttrPath; value: unknown }[] {
  const out: { path: AttrPath; value: unknown }[] = [];
  const rules = blocks(at(r.attrs, [...base, 'rule']));
  const arrayRules = Array.isArray(at(r.attrs, [...base, 'rule']));
  for (const [i, rule] of rules.entries()) {
    const def = rule['apply_server_side_encryption_by_default'];
    for (const [j, d] of blocks(def).entries()) {
      const path: AttrPath = [...base, 'rule', ...(arrayRules ? [i] : []), 'apply_server_side_encryption_by_default', ...(Array.isArray(def) ? [j] : []), 'sse_algorithm'];
      out.push({ path, value: d['sse_algorithm'] });
    }
  }
  return out;
}

function kmsVerdict(r: Resource, algorithms: readonly { path: AttrPath; value: unknown }[], missing: AttrPath): Violation[] {
  if (algorithms.some((a) => isUnresolved(a.value) || KMS_ALGORITHMS.has(str(a.value) ?? ''))) return [];
  const set = algorithms.find((a) => a.value !== undefined);
  if (set !== undefined) return [violation(set.path, `default encryption uses ${str(set.value) ?? 'a non-KMS algorithm'}, not a KMS key`)];
  return [violation(missing, 'no default encryption with a KMS key is declared (S3 falls back to SSE-S3)')];
}

function encryptionTf(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind === 'tf:module') {
    if (!isS3Module(r)) return [];
    return kmsVerdict(r, tfAlgorithms(r, ['server_side_encryption_configuration']), ['server_side_encryption_configuration']);
  }
  const configs = companions(ctx, r, 'tf:aws_s3_bucket_server_side_encryption_configuration');
  if (configs.length > 0) return configs.flatMap((c) => kmsVerdict(c, tfAlgorithms(c, []), ['rule']).map((v) => ({ ...v, resource: c })));
  const inline = blocks(r.attrs['server_side_encryption_configuration']).flatMap((_, i) => tfAlgorithms(r, ['server_side_encryption_configuration', i]));
  return kmsVerdict(r, inline, ['server_side_encryption_configuration']);
}

function encryptionCfn(r: Resource): Violation[] {
  const rules = at(r.attrs, ['BucketEncryption', 'ServerSideEncryptionConfiguration']);
  const algorithms = (Array.isArray(rules) ? rules : []).map((rule, i) => ({
    path: ['BucketEncryption', 'ServerSideEncryptionConfiguration', i, 'ServerSideEncryptionByDefault', 'SSEAlgorithm'] as AttrPath,
    value: at(rule, ['ServerSideEncryptionByDefault', 'SSEAlgorithm']),
  }));
  if (isUnresolved(rules)) return [];
  return kmsVerdict(r, algorithms, ['BucketEncryption']);
}

function encryptionLive(r: Resource): Violation[] {
  const missing = needs(r, 'Encryption');
  if (missing.length > 0) return missing;
  const enc = r.attrs['Encryption'];
  if (enc === undefined) return [];
  const rules = blocks(at(enc, ['Rules']));
  const algorithms = rules.map((rule, i) => ({
    path: ['Encryption', 'Rules', i, 'ApplyServerSideEncryptionByDefault', 'SSEAlgorithm'] as AttrPath,
    value: at(rule, ['ApplyServerSideEncryptionByDefault', 'SSEAlgorithm']),
  }));
  return kmsVerdict(r, algorithms, ['Encryption']);
}

const SSE = (SSEAlgorithm: string): Record<string, unknown> => ({ Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm }, BucketKeyEnabled: false }] });

export const s3KmsEncryption = awsRule({
  id: 'VGL-AWS-005',
  title: 'S3 bucket default encryption does not use a KMS key',
  description:
    'The bucket declares no default encryption with a KMS key (aws:kms or aws:kms:dsse). S3 encrypts new objects with SSE-S3 (keys S3 manages) at least, but only a KMS key puts decryption behind a key policy you control and records every use in CloudTrail.',
  severity: 'low',
  service: 's3',
  kinds: [...BUCKET_KINDS],
  frameworks: [nist('SC-28'), nist('SC-12'), csf('PR.DS-01'), iso('A.8.24'), soc2('CC6.1'), pci('3.5.1'), hipaa('164.312(a)(2)(iv)'), gdpr()],
  remediation: 'Set the bucket default encryption to SSE-KMS with a customer managed key (and bucket keys to keep KMS costs down).',
  fix: {
    terraform:
      'resource "aws_s3_bucket_server_side_encryption_configuration" "this" {\n  bucket = aws_s3_bucket.this.id\n  rule {\n    apply_server_side_encryption_by_default {\n      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_key.s3.arn\n    }\n    bucket_key_enabled = true\n  }\n}',
    cloudformation:
      'BucketEncryption:\n  ServerSideEncryptionConfiguration:\n    - ServerSideEncryptionByDefault:\n        SSEAlgorithm: aws:kms\n        KMSMasterKeyID: !Ref S3Key\n      BucketKeyEnabled: true',
  },
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html', `${TF_DOCS}/s3_bucket_server_side_encryption_configuration`, `${CFN_DOCS}/aws-properties-s3-bucket-bucketencryption.html`],
  terraform: encryptionTf,
  cloudformation: encryptionCfn,
  live: {
    kinds: [AWS_KINDS.bucket],
    check: encryptionLive,
    cli: 'aws s3api put-bucket-encryption --bucket <bucket> --server-side-encryption-configuration \'{"Rules":[{"ApplyServerSideEncryptionByDefault":{"SSEAlgorithm":"aws:kms","KMSMasterKeyID":"<key-arn>"},"BucketKeyEnabled":true}]}\'',
    console: 'S3 → the bucket → Properties → Default encryption → Edit → SSE-KMS → choose the key → Bucket Key enabled → Save changes.',
    bad: [collected('aws', [bucket('sse-s3', { Encryption: SSE('AES256') }), bucket('none', { Encryption: null }), bucket('kms')], [bucketArn('sse-s3'), bucketArn('none')])],
    good: [collected('aws', [bucket('kms'), bucket('dsse', { Encryption: SSE('aws:kms:dsse') })])],
  },
  bad: [
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}`, [9]),
    cfn(`
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: example-data
`, [4]),
  ],
  good: [
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = aws_kms_key.s3.arn
      }
    }
  }
}`),
    cfn(`
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: aws:kms
`),
  ],
});

// ---------------------------------------------------------------------------------------------
// VGL-AWS-006

function versioningTf(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind === 'tf:module') {
    if (!isS3Module(r)) return [];
    const v = blocks(r.attrs['versioning'])[0];
    const enabled = v?.['enabled'] ?? v?.['status'];
    if (isUnresolved(enabled) || str(enabled) === 'true' || str(enabled) === 'Enabled') return [];
    return [violation(['versioning', 'enabled'], 'versioning is not enabled')];
  }
  const configs = companions(ctx, r, 'tf:aws_s3_bucket_versioning');
  if (configs.length > 0) {
    return configs.flatMap((c) => {
      const status = at(c.attrs, ['versioning_configuration', 0, 'status']);
      if (isUnresolved(status) || status === 'Enabled') return [];
      return [{ ...violation(['versioning_configuration', 0, 'status'], `versioning status is ${str(status) ?? 'not set'}`), resource: c }];
    });
  }
  const enabled = at(r.attrs, ['versioning', 0, 'enabled']);
  if (isUnresolved(enabled) || str(enabled) === 'true') return [];
  return [violation(['versioning', 0, 'enabled'], enabled === undefined ? 'versioning is not enabled' : 'versioning is disabled')];
}

function versioningCfn(r: Resource): Violation[] {
  const status = at(r.attrs, ['VersioningConfiguration', 'Status']);
  if (isUnresolved(status) || isUnresolved(r.attrs['VersioningConfiguration']) || status === 'Enabled') return [];
  return [violation(['VersioningConfiguration', 'Status'], status === undefined ? 'versioning is not enabled' : `versioning status is ${str(status) ?? '?'}`)];
}

function versioningLive(r: Resource): Violation[] {
  const missing = needs(r, 'Versioning');
  if (missing.length > 0) return missing;
  const v = r.attrs['Versioning'];
  if (v === undefined) return [];
  const status = str(at(v, ['Status']));
  return status === 'Enabled' ? [] : [violation(['Versioning', 'Status'], status === undefined ? 'versioning was never enabled' : `versioning is ${status}`)];
}

export const s3Versioning = awsRule({
  id: 'VGL-AWS-006',
  title: 'S3 bucket versioning not enabled',
  description:
    'Versioning is off or suspended, so an overwrite or delete (a mistake, a compromised writer, ransomware) destroys the only copy of an object. Versioning is also a prerequisite for replication and Object Lock.',
  severity: 'medium',
  service: 's3',
  kinds: [...BUCKET_KINDS],
  frameworks: [nist('CP-9'), nist('SI-12'), csf('PR.DS-11'), iso('A.8.13'), soc2('A1.2'), hipaa('164.308(a)(7)(ii)(A)'), gdpr()],
  remediation: 'Enable versioning (and a lifecycle rule expiring noncurrent versions to bound the cost).',
  fix: {
    terraform: 'resource "aws_s3_bucket_versioning" "this" {\n  bucket = aws_s3_bucket.this.id\n  versioning_configuration {\n    status = "Enabled"\n  }\n}',
    cloudformation: 'VersioningConfiguration:\n  Status: Enabled',
  },
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html', `${TF_DOCS}/s3_bucket_versioning`, `${CFN_DOCS}/aws-properties-s3-bucket-versioningconfig.html`],
  terraform: versioningTf,
  cloudformation: versioningCfn,
  live: {
    kinds: [AWS_KINDS.bucket],
    check: versioningLive,
    cli: 'aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled',
    console: 'S3 → the bucket → Properties → Bucket Versioning → Edit → Enable → Save changes.',
    bad: [collected('aws', [bucket('never', { Versioning: {} }), bucket('suspended', { Versioning: { Status: 'Suspended' } }), bucket('on')], [bucketArn('never'), bucketArn('suspended')])],
    good: [collected('aws', [bucket('on', { Versioning: { Status: 'Enabled' } })])],
  },
  bad: [
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Suspended"
  }
}`, [8]),
    tf(`
resource "aws_s3_bucket" "legacy" {
  bucket = "example-legacy"
  versioning {
    enabled = false
  }
}`, [4]),
    cfn(`
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Suspended
`, [6]),
  ],
  good: [
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}`),
    cfn(`
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
`),
  ],
});
