/**
 * S3 buckets across the three ways code declares them: `aws_s3_bucket` with inline blocks or
 * AWS provider v4+ companion resources (`aws_s3_bucket_versioning`, `…_acl`, `…_policy`, …
 * whose `bucket` points at it), a call of the `terraform-aws-modules/s3-bucket/aws` module, and
 * CloudFormation `AWS::S3::Bucket`. Plus the Block Public Access settings that neutralise public
 * ACLs and policies, at bucket or account level.
 */
import { bool, isObject, list, str } from '../../../attrs.js';
import type { Resource, ResourceKind } from '../../../model.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import type { RuleContext } from '../../../rule.js';
import { cfnPointsAt, isModule, linked, tfPointsAt } from './links.js';

export const S3_MODULE = 'terraform-aws-modules/s3-bucket/aws';

/** The kinds a bucket-level rule reads (`tf:module` only for calls of the S3 module). */
export const BUCKET_KINDS: readonly ResourceKind[] = ['tf:aws_s3_bucket', 'tf:module', 'cfn:AWS::S3::Bucket'];

export const isS3Module = (r: Resource): boolean => isModule(r, S3_MODULE);

/** Companion resources of a Terraform bucket (`aws_s3_bucket_versioning` …), linked by `bucket`. */
export function companions(ctx: RuleContext, bucket: Resource, kind: ResourceKind): Resource[] {
  return linked(ctx, bucket, kind, 'bucket', ['bucket']);
}

/** The bucket (in the scan) a Terraform companion or CloudFormation BucketPolicy is about. */
export function bucketOf(resource: Resource, ctx: RuleContext): Resource | undefined {
  if (resource.kind.startsWith('cfn:')) {
    return ctx.byKind('cfn:AWS::S3::Bucket').find((b) => cfnPointsAt(resource.attrs['Bucket'], b, ['BucketName']));
  }
  return ctx.byKind('tf:aws_s3_bucket').find((b) => tfPointsAt(resource.attrs['bucket'], b, resource, ['bucket']));
}

export type BlockSetting = 'block_public_acls' | 'block_public_policy' | 'ignore_public_acls' | 'restrict_public_buckets';

export const BLOCK_SETTINGS: readonly BlockSetting[] = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];

/** The CloudFormation name of a Block Public Access setting. */
export const CFN_BLOCK_SETTING: Readonly<Record<BlockSetting, string>> = {
  block_public_acls: 'BlockPublicAcls',
  block_public_policy: 'BlockPublicPolicy',
  ignore_public_acls: 'IgnorePublicAcls',
  restrict_public_buckets: 'RestrictPublicBuckets',
};

/** Is a Block Public Access setting on for this bucket (its own settings or the account's)? */
export function blockSettingOn(bucket: Resource, ctx: RuleContext, setting: BlockSetting): boolean {
  if (bucket.kind.startsWith('cfn:')) {
    const conf = bucket.attrs['PublicAccessBlockConfiguration'];
    return isObject(conf) && bool(conf[CFN_BLOCK_SETTING[setting]]) === true;
  }
  if (ctx.byKind('tf:aws_s3_account_public_access_block').some((a) => bool(a.attrs[setting]) === true)) return true;
  if (isS3Module(bucket)) return bool(bucket.attrs[setting]) === true;
  return companions(ctx, bucket, 'tf:aws_s3_bucket_public_access_block').some((p) => bool(p.attrs[setting]) === true);
}

// ---------------------------------------------------------------------------------------------
// Collected buckets (docs/collectors/aws.md, aws:AWS::S3::Bucket)

export type LiveBlockSetting = 'BlockPublicAcls' | 'IgnorePublicAcls' | 'BlockPublicPolicy' | 'RestrictPublicBuckets';
export const LIVE_BLOCK_SETTINGS: readonly LiveBlockSetting[] = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'];

/** The account-level Block Public Access configuration of the bucket's account (undefined: not collected or none). */
export function accountBlockConfig(bucket: Resource, ctx: RuleContext): Record<string, unknown> | undefined {
  const a = ctx.byKind(AWS_KINDS.accountPublicAccessBlock).find((r) => r.account === bucket.account);
  const conf = a?.attrs['PublicAccessBlockConfiguration'];
  return isObject(conf) ? conf : undefined;
}

/** Is a Block Public Access setting on for a collected bucket (its own or its account's)? */
export function liveBlockOn(bucket: Resource, ctx: RuleContext, setting: LiveBlockSetting): boolean {
  const own = bucket.attrs['PublicAccessBlock'];
  if (isObject(own) && own[setting] === true) return true;
  return accountBlockConfig(bucket, ctx)?.[setting] === true;
}

export const PUBLIC_GROUP_URIS: ReadonlySet<string> = new Set([
  'http://acs.amazonaws.com/groups/global/AllUsers',
  'http://acs.amazonaws.com/groups/global/AuthenticatedUsers',
]);

/** Grants of a collected bucket ACL to everyone (AllUsers / AuthenticatedUsers), with their index. */
export function publicGrants(bucket: Resource): { index: number; permission: string; uri: string }[] {
  const acl = bucket.attrs['Acl'];
  if (!isObject(acl)) return [];
  return list(acl['Grants']).flatMap((g, index) => {
    if (!isObject(g) || !isObject(g['Grantee'])) return [];
    const uri = str(g['Grantee']['URI']);
    const permission = str(g['Permission']);
    return uri !== undefined && permission !== undefined && PUBLIC_GROUP_URIS.has(uri) ? [{ index, permission, uri }] : [];
  });
}
