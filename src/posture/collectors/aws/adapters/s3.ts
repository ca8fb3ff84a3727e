/**
 * S3 responses → `aws:AWS::S3::Bucket` attrs (pure). The ListBuckets entry (Name, CreationDate)
 * plus, per bucket, one key per sub-call (docs/collectors/aws.md): Location, Acl, Policy
 * (parsed), PolicyStatus, PublicAccessBlock, Encryption, Versioning, Logging,
 * OwnershipControls, Tags. "Not configured" answers (NoSuchBucketPolicy,
 * NoSuchPublicAccessBlockConfiguration, ServerSideEncryptionConfigurationNotFoundError,
 * OwnershipControlsNotFoundError, NoSuchTagSet) give null.
 */
import { isObject } from '../../../attrs.js';
import type { AwsData } from '../api/types.js';
import type { SubCall } from '../collect/context.js';
import { invalid } from '../collect/context.js';
import { parsePolicyDocument } from './policy-doc.js';

/** GetBucketLocation's LocationConstraint as a region: empty is the partition's first region, `EU` is eu-west-1. */
export function locationRegion(constraint: unknown, globalRegion: string): string {
  if (typeof constraint !== 'string' || constraint === '') return globalRegion;
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

export function bucketLocationCall(bucket: string, globalRegion: string): SubCall {
  return {
    keys: ['Location'],
    id: 's3.GetBucketLocation',
    input: { Bucket: bucket },
    region: globalRegion,
    pick: (d) => ({ Location: locationRegion(d['LocationConstraint'], globalRegion) }),
  };
}

const orNull = (v: unknown): unknown => (v === undefined ? null : v);

function pickPolicy(d: AwsData): ReturnType<SubCall['pick']> {
  if (d['Policy'] === undefined || d['Policy'] === '') return { Policy: null };
  const p = parsePolicyDocument(d['Policy']);
  return p.ok ? { Policy: p.value } : invalid(`bucket policy: ${p.message}`);
}

function pickVersioning(d: AwsData): ReturnType<SubCall['pick']> {
  const v: Record<string, unknown> = {};
  if (typeof d['Status'] === 'string') v['Status'] = d['Status'];
  if (typeof d['MFADelete'] === 'string') v['MFADelete'] = d['MFADelete'];
  return { Versioning: v };
}

/** The per-bucket calls after the location, in a fixed order (recordings replay by order). */
export function bucketSubCalls(bucket: string): SubCall[] {
  const input = { Bucket: bucket };
  return [
    { keys: ['Acl'], id: 's3.GetBucketAcl', input, pick: (d) => ({ Acl: { Owner: orNull(d['Owner']), Grants: Array.isArray(d['Grants']) ? d['Grants'] : [] } }) },
    { keys: ['Policy'], id: 's3.GetBucketPolicy', input, absent: ['NoSuchBucketPolicy'], pick: pickPolicy },
    { keys: ['PolicyStatus'], id: 's3.GetBucketPolicyStatus', input, absent: ['NoSuchBucketPolicy'], pick: (d) => ({ PolicyStatus: orNull(d['PolicyStatus']) }) },
    {
      keys: ['PublicAccessBlock'],
      id: 's3.GetPublicAccessBlock',
      input,
      absent: ['NoSuchPublicAccessBlockConfiguration'],
      pick: (d) => ({ PublicAccessBlock: orNull(d['PublicAccessBlockConfiguration']) }),
    },
    {
      keys: ['Encryption'],
      id: 's3.GetBucketEncryption',
      input,
      absent: ['ServerSideEncryptionConfigurationNotFoundError'],
      pick: (d) => ({ Encryption: orNull(d['ServerSideEncryptionConfiguration']) }),
    },
    { keys: ['Versioning'], id: 's3.GetBucketVersioning', input, pick: pickVersioning },
    { keys: ['Logging'], id: 's3.GetBucketLogging', input, pick: (d) => ({ Logging: isObject(d['LoggingEnabled']) ? d['LoggingEnabled'] : null }) },
    {
      keys: ['OwnershipControls'],
      id: 's3.GetBucketOwnershipControls',
      input,
      absent: ['OwnershipControlsNotFoundError'],
      pick: (d) => ({ OwnershipControls: orNull(d['OwnershipControls']) }),
    },
    { keys: ['Tags'], id: 's3.GetBucketTagging', input, absent: ['NoSuchTagSet', 'NoSuchTagSetError'], pick: (d) => ({ Tags: Array.isArray(d['TagSet']) ? d['TagSet'] : [] }) },
  ];
}

/** A ListBuckets entry's own fields (name checked by the caller). */
export function bucketBase(entry: Record<string, unknown>): Record<string, unknown> {
  const base: Record<string, unknown> = { Name: entry['Name'] };
  if (entry['CreationDate'] !== undefined) base['CreationDate'] = entry['CreationDate'];
  if (entry['BucketRegion'] !== undefined) base['BucketRegion'] = entry['BucketRegion'];
  return base;
}

/** s3control GetPublicAccessBlock → the account-level block (null when none is set). */
export function accountPublicAccessBlockAttrs(d: AwsData | null): Record<string, unknown> {
  return { PublicAccessBlockConfiguration: d === null ? null : orNull(d['PublicAccessBlockConfiguration']) };
}
