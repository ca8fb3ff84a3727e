/**
 * VGL-AWS-001 / 002: an S3 bucket ACL grants everyone (AllUsers, or AuthenticatedUsers: any AWS
 * account) read or write access, through a canned ACL or explicit grants, on the bucket
 * (`acl`, `grant`), an `aws_s3_bucket_acl`, the S3 module or CloudFormation `AccessControl`. A
 * bucket whose Block Public Access ignores public ACLs (bucket or account level) passes: S3 then
 * disregards them. Live: the collected bucket's ACL grants, with its own and its account's Block
 * Public Access.
 */
import { blocks, list, str } from '../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, gdpr, hipaa, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { BUCKET_KINDS, blockSettingOn, bucketOf, isS3Module, liveBlockOn, publicGrants } from './lib/s3.js';
import { accountBlock, AWS_KINDS, bucket, bucketArn, FULL_BLOCK, OWNER_ONLY_ACL } from './account/lib.js';
import { collected, needs, type LiveSpec } from '../shared/live.js';

type Access = 'read' | 'write';

const PUBLIC_GROUPS = new Set(['http://acs.amazonaws.com/groups/global/AllUsers', 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers']);

const CANNED: Readonly<Record<Access, ReadonlySet<string>>> = {
  read: new Set(['public-read', 'public-read-write', 'authenticated-read']),
  write: new Set(['public-read-write']),
};
const CFN_CANNED: Readonly<Record<Access, ReadonlySet<string>>> = {
  read: new Set(['PublicRead', 'PublicReadWrite', 'AuthenticatedRead']),
  write: new Set(['PublicReadWrite']),
};
const PERMISSIONS: Readonly<Record<Access, ReadonlySet<string>>> = {
  read: new Set(['READ', 'READ_ACP', 'FULL_CONTROL']),
  write: new Set(['WRITE', 'WRITE_ACP', 'FULL_CONTROL']),
};

function cannedAcl(r: Resource, access: Access): Violation[] {
  const acl = str(r.attrs['acl']);
  return acl !== undefined && CANNED[access].has(acl) ? [violation(['acl'], `canned ACL "${acl}" gives everyone ${access} access`)] : [];
}

/** Grants as the bucket (v3) and the S3 module write them: `{type, uri, permissions | permission}`. */
function inlineGrants(r: Resource, access: Access): Violation[] {
  return blocks(r.attrs['grant']).flatMap((g, i) => {
    const perms = [...list(g['permissions']), g['permission']].filter((p): p is string => typeof p === 'string');
    const uri = str(g['uri']);
    const hit = perms.find((p) => PERMISSIONS[access].has(p));
    return uri !== undefined && PUBLIC_GROUPS.has(uri) && hit !== undefined ? [violation(['grant', i], `grant of ${hit} to ${uri}`)] : [];
  });
}

/** `aws_s3_bucket_acl`: `acl`, or `access_control_policy { grant { grantee { uri } permission } }`. */
function aclResource(r: Resource, access: Access): Violation[] {
  const out = cannedAcl(r, access);
  for (const [p, policy] of blocks(r.attrs['access_control_policy']).entries()) {
    for (const [i, g] of blocks(policy['grant']).entries()) {
      const permission = str(g['permission']);
      const uri = blocks(g['grantee']).map((e) => str(e['uri'])).find((u) => u !== undefined && PUBLIC_GROUPS.has(u));
      if (uri !== undefined && permission !== undefined && PERMISSIONS[access].has(permission)) {
        const path: AttrPath = ['access_control_policy', p, 'grant', i, 'permission'];
        out.push(violation(path, `grant of ${permission} to ${uri}`));
      }
    }
  }
  return out;
}

function terraform(access: Access) {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    if (r.kind === 'tf:aws_s3_bucket_acl') {
      const bucket = bucketOf(r, ctx);
      if (bucket !== undefined && blockSettingOn(bucket, ctx, 'ignore_public_acls')) return [];
      return aclResource(r, access);
    }
    if (r.kind === 'tf:module' && !isS3Module(r)) return [];
    if (blockSettingOn(r, ctx, 'ignore_public_acls')) return [];
    return [...cannedAcl(r, access), ...inlineGrants(r, access)];
  };
}

function cloudformation(access: Access) {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    const acl = str(r.attrs['AccessControl']);
    if (acl === undefined || !CFN_CANNED[access].has(acl) || blockSettingOn(r, ctx, 'ignore_public_acls')) return [];
    return [violation(['AccessControl'], `AccessControl ${acl} gives everyone ${access} access`)];
  };
}

function liveAcl(access: Access) {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    const missing = needs(r, 'Acl');
    if (missing.length > 0) return missing;
    const hits = publicGrants(r).filter((g) => PERMISSIONS[access].has(g.permission));
    if (hits.length === 0 || liveBlockOn(r, ctx, 'IgnorePublicAcls')) return [];
    // The grant is a fact; when Block Public Access could not be read, say so rather than hide it.
    const unread = needs(r, 'PublicAccessBlock').length > 0 ? ' (the bucket\'s Block Public Access could not be read)' : '';
    return hits.map((g) => violation(['Acl', 'Grants', g.index], `the ACL grants ${g.permission} to ${g.uri.slice(g.uri.lastIndexOf('/') + 1)}${unread}`));
  };
}

const publicAcl = (permission: string, uri = 'AllUsers'): Record<string, unknown> => ({
  Owner: OWNER_ONLY_ACL.Owner,
  Grants: [...OWNER_ONLY_ACL.Grants, { Grantee: { Type: 'Group', URI: `http://acs.amazonaws.com/groups/global/${uri}` }, Permission: permission }],
});

const NO_BLOCK = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };

function aclLive(access: Access, permission: string, other: string): LiveSpec {
  return {
    kinds: [AWS_KINDS.bucket],
    check: liveAcl(access),
    cli: 'aws s3api put-bucket-ownership-controls --bucket <bucket> --ownership-controls "Rules=[{ObjectOwnership=BucketOwnerEnforced}]"  # disables ACLs; or: aws s3api put-bucket-acl --bucket <bucket> --acl private',
    console: 'S3 → the bucket → Permissions → Object Ownership → Edit → ACLs disabled (Bucket owner enforced) → Save; and turn Block Public Access on.',
    bad: [
      collected('aws', [bucket('public', { Acl: publicAcl(permission), PublicAccessBlock: null }), bucket('private')], [bucketArn('public')]),
      collected('aws', [bucket('any-account', { Acl: publicAcl('FULL_CONTROL', 'AuthenticatedUsers'), PublicAccessBlock: NO_BLOCK })], [bucketArn('any-account')]),
    ],
    good: [
      collected('aws', [
        bucket('ignored', { Acl: publicAcl(permission), PublicAccessBlock: FULL_BLOCK }),
        bucket('other-permission', { Acl: publicAcl(other), PublicAccessBlock: null }),
      ]),
      collected('aws', [bucket('account-blocked', { Acl: publicAcl(permission), PublicAccessBlock: null }), accountBlock(FULL_BLOCK)]),
    ],
  };
}

const KINDS = [...BUCKET_KINDS, 'tf:aws_s3_bucket_acl'] as const;
const REFERENCES = [
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html#canned-acl',
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html',
  `${TF_DOCS}/s3_bucket_acl`,
  `${CFN_DOCS}/aws-resource-s3-bucket.html#cfn-s3-bucket-accesscontrol`,
];
const FIX = {
  terraform: 'resource "aws_s3_bucket_ownership_controls" "this" {\n  bucket = aws_s3_bucket.this.id\n  rule {\n    object_ownership = "BucketOwnerEnforced" # disables ACLs\n  }\n}',
  cloudformation: 'OwnershipControls:\n  Rules:\n    - ObjectOwnership: BucketOwnerEnforced # disables ACLs; remove AccessControl',
};

export const s3PublicReadAcl = awsRule({
  id: 'VGL-AWS-001',
  title: 'S3 bucket ACL allows public read access',
  description:
    'The bucket ACL grants READ (or FULL_CONTROL) to AllUsers or AuthenticatedUsers, through a canned ACL (public-read, public-read-write, authenticated-read) or an explicit grant. Anyone on the internet (or any AWS account) can then list or read the bucket. Block Public Access ignoring public ACLs neutralises it and passes the check.',
  severity: 'high',
  service: 's3',
  kinds: [...KINDS],
  frameworks: [cis('2.1.4'), nist('AC-3'), nist('AC-6'), nist('SC-7'), csf('PR.AA-05'), iso('A.8.3'), soc2('CC6.1'), pci('1.4.1'), hipaa('164.312(a)(1)'), gdpr()],
  remediation: 'Remove the public ACL or grant; disable ACLs altogether with Object Ownership "BucketOwnerEnforced" and serve public content through CloudFront with origin access control.',
  fix: FIX,
  references: REFERENCES,
  terraform: terraform('read'),
  cloudformation: cloudformation('read'),
  live: aclLive('read', 'READ', 'WRITE'),
  bad: [
    tf(`
resource "aws_s3_bucket" "site" {
  bucket = "example-site"
  acl    = "public-read"
}`, [3]),
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}

resource "aws_s3_bucket_acl" "data" {
  bucket = aws_s3_bucket.data.id
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "READ"
    }
    owner {
      id = "abc"
    }
  }
}`, [13]),
    cfn(`
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
`, [5]),
  ],
  good: [
    tf(`
resource "aws_s3_bucket" "data" {
  bucket = "example-data"
}

resource "aws_s3_bucket_acl" "data" {
  bucket = aws_s3_bucket.data.id
  acl    = "private"
}`),
    tf(`
resource "aws_s3_bucket" "legacy" {
  bucket = "example-legacy"
  acl    = "public-read"
}

resource "aws_s3_bucket_public_access_block" "legacy" {
  bucket                  = aws_s3_bucket.legacy.id
  block_public_acls       = true
  ignore_public_acls      = true
  block_public_policy     = true
  restrict_public_buckets = true
}`),
    cfn(`
Resources:
  Data:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: Private
`),
  ],
});

export const s3PublicWriteAcl = awsRule({
  id: 'VGL-AWS-002',
  title: 'S3 bucket ACL allows public write access',
  description:
    'The bucket ACL grants WRITE, WRITE_ACP or FULL_CONTROL to AllUsers or AuthenticatedUsers (canned ACL public-read-write, or an explicit grant). Anyone can then upload, overwrite or delete objects, or rewrite the ACL itself. Block Public Access ignoring public ACLs neutralises it and passes the check.',
  severity: 'critical',
  service: 's3',
  kinds: [...KINDS],
  frameworks: [cis('2.1.4'), nist('AC-3'), nist('AC-6'), nist('SC-7'), csf('PR.AA-05'), iso('A.8.3'), soc2('CC6.1'), pci('1.4.1'), hipaa('164.312(c)(1)'), gdpr()],
  remediation: 'Remove the public-read-write ACL or the public write grant; disable ACLs with Object Ownership "BucketOwnerEnforced" and give writers IAM permissions instead.',
  fix: FIX,
  references: REFERENCES,
  terraform: terraform('write'),
  cloudformation: cloudformation('write'),
  live: aclLive('write', 'WRITE', 'READ'),
  bad: [
    tf(`
resource "aws_s3_bucket" "uploads" {
  bucket = "example-uploads"
}

resource "aws_s3_bucket_acl" "uploads" {
  bucket = aws_s3_bucket.uploads.id
  acl    = "public-read-write"
}`, [7]),
    cfn(`
Resources:
  Uploads:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicReadWrite
`, [5]),
  ],
  good: [
    tf(`
resource "aws_s3_bucket" "site" {
  bucket = "example-site"
  acl    = "public-read"
}`),
    cfn(`
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
`),
  ],
});
