/**
 * What the account-level AWS rules share: the resources of a kind in the same account (and
 * region) as the resource a check hangs on, the "not assessed" answer when the call that lists
 * them failed (the collector copies such gaps onto the account and region resources, keyed by
 * kind: docs/collectors/aws.md), ages measured from the credential report, and tiny builders of
 * collected resources for the examples.
 */
import { str } from '../../../attrs.js';
import type { PostureSeverity, Resource, ResourceKind, Violation } from '../../../model.js';
import type { RuleContext } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import type { ExampleResource } from '../../shared/live.js';
import { needs } from '../../shared/live.js';

/** What every table-built account rule states about itself. */
export interface RuleText {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: PostureSeverity;
  readonly remediation: string;
  /** The CLI fix and the console steps. */
  readonly cli: string;
  readonly console: string;
  readonly reference: string;
}

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const REGION = 'eu-west-1';
/** The credential report time the examples use: ages in them are measured from it. */
export const REPORT_TIME = '2026-06-01T00:00:00.000Z';

/** Resources of `kind` in the anchor's account and, for a regional anchor, its region. */
export function sameScope(ctx: RuleContext, anchor: Resource, kind: ResourceKind, regional = false): Resource[] {
  return ctx.byKind(kind).filter((r) => r.account === anchor.account && (!regional || r.region === anchor.region));
}

/** "Not assessed" for each kind whose listing failed (the gap the collector put on the anchor). */
export function unknownKinds(anchor: Resource, ...kinds: readonly ResourceKind[]): Violation[] {
  return needs(anchor, ...kinds);
}

const DAY_MS = 86_400_000;

/** Milliseconds of an ISO date; undefined for `N/A`, `no_information`, `not_supported`, junk. */
export function time(v: unknown): number | undefined {
  const s = str(v);
  if (s === undefined || s.length < 10 || s.length > 40 || !/^\d{4}-\d\d-\d\d/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** The instant a user's or root's credential report describes (the scan time when AWS gave none). */
export function reportTime(r: Resource): number {
  return time(r.attrs['CredentialReportTime']) ?? Date.now();
}

/** Whole days from `then` to `now`. */
export const daysSince = (now: number, then: number): number => Math.floor((now - then) / DAY_MS);

/** A credential-report cell. */
export function cell(r: Resource, column: string): string | undefined {
  const row = r.attrs['CredentialReport'];
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return undefined;
  return str((row as Record<string, unknown>)[column]);
}

// ---------------------------------------------------------------------------------------------
// Example builders

export const accountArn = (account = ACCOUNT): string => `arn:aws:account::${account}:account`;
export const regionArn = (region = REGION): string => `arn:aws:ec2:${region}:${ACCOUNT}:region/${region}`;

export function accountRes(attrs: Record<string, unknown> = {}, gaps?: ExampleResource['gaps']): ExampleResource {
  return { type: 'AWS::Account', id: accountArn(), account: ACCOUNT, attrs: { AccountId: ACCOUNT, Partition: 'aws', AccountAliases: [], ...attrs }, ...(gaps ? { gaps } : {}) };
}

export function regionRes(region = REGION, gaps?: ExampleResource['gaps']): ExampleResource {
  return { type: 'AWS::EC2::Region', id: regionArn(region), account: ACCOUNT, region, attrs: { RegionName: region, OptInStatus: 'opt-in-not-required' }, ...(gaps ? { gaps } : {}) };
}

/** A gap as the collector records it on an anchor for `kind`. */
export function deniedGap(operation: string): NonNullable<ExampleResource['gaps']>[string] {
  return { operation, reason: 'access-denied', message: `AccessDenied: not authorized to perform ${operation}` };
}

/** A regional resource of the examples. */
export function regional(type: string, id: string, attrs: Record<string, unknown>, region = REGION): ExampleResource {
  return { type, id, account: ACCOUNT, region, attrs };
}

/** An account-wide resource of the examples. */
export function global(type: string, id: string, attrs: Record<string, unknown>): ExampleResource {
  return { type, id, account: ACCOUNT, attrs };
}

export { AWS_KINDS };

/** A policy document of the examples. */
export function doc(...statements: Record<string, unknown>[]): Record<string, unknown> {
  return { Version: '2012-10-17', Statement: statements };
}

export const policyArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:policy/${name}`;

/** A collected customer managed policy with its default version's document. */
export function managedPolicy(name: string, document: Record<string, unknown>, attachments = 1): ExampleResource {
  return global('AWS::IAM::ManagedPolicy', policyArn(name), {
    PolicyName: name,
    Arn: policyArn(name),
    DefaultVersionId: 'v1',
    AttachmentCount: attachments,
    PolicyVersion: { VersionId: 'v1', IsDefaultVersion: true, Document: document },
  });
}

export const bucketArn = (name: string): string => `arn:aws:s3:::${name}`;

export const FULL_BLOCK = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };
export const OWNER_ONLY_ACL = { Owner: { ID: 'owner' }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'owner' }, Permission: 'FULL_CONTROL' }] };

/** A collected bucket; defaults: private, fully blocked, KMS-encrypted, versioned with MFA delete, logged, ACLs disabled. */
export function bucket(name: string, attrs: Record<string, unknown> = {}, region = REGION): ExampleResource {
  return {
    type: 'AWS::S3::Bucket',
    id: bucketArn(name),
    account: ACCOUNT,
    region,
    attrs: {
      Name: name,
      Location: region,
      Acl: OWNER_ONLY_ACL,
      Policy: null,
      PolicyStatus: null,
      PublicAccessBlock: FULL_BLOCK,
      Encryption: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: `arn:aws:kms:${region}:${ACCOUNT}:key/1` }, BucketKeyEnabled: true }] },
      Versioning: { Status: 'Enabled', MFADelete: 'Enabled' },
      Logging: { TargetBucket: 'access-logs', TargetPrefix: `${name}/` },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      Tags: null,
      ...attrs,
    },
  };
}

/** The account-level S3 Block Public Access resource. */
export function accountBlock(config: Record<string, unknown> | null): ExampleResource {
  return global('AWS::S3::AccountPublicAccessBlock', `arn:aws:s3::${ACCOUNT}:account-public-access-block`, { PublicAccessBlockConfiguration: config });
}

export const trailArn = (name: string, region = REGION): string => `arn:aws:cloudtrail:${region}:${ACCOUNT}:trail/${name}`;
export const logGroupArn = (name: string, region = REGION): string => `arn:aws:logs:${region}:${ACCOUNT}:log-group:${name}:*`;

/** A collected trail; defaults: multi-region, logging, validated, KMS, CloudWatch Logs, all management events and S3 data events. */
export function trail(name: string, attrs: Record<string, unknown> = {}, region = REGION): ExampleResource {
  return regional(
    'AWS::CloudTrail::Trail',
    trailArn(name, region),
    {
      Name: name,
      TrailARN: trailArn(name, region),
      HomeRegion: region,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      IsOrganizationTrail: false,
      LogFileValidationEnabled: true,
      KmsKeyId: `arn:aws:kms:${region}:${ACCOUNT}:key/trail`,
      S3BucketName: 'org-trail-logs',
      CloudWatchLogsLogGroupArn: logGroupArn('trail', region),
      Status: { IsLogging: true },
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }],
      AdvancedEventSelectors: [],
      ...attrs,
    },
    region,
  );
}

/**
 * "Not assessed" for an account-level check over a regional kind: the first region of the
 * anchor's account whose listing of `kind` failed.
 */
export function unknownInRegions(ctx: RuleContext, anchor: Resource, kind: ResourceKind): Violation[] {
  for (const region of ctx.byKind(AWS_KINDS.region)) {
    if (region.account !== anchor.account) continue;
    const missing = needs(region, kind);
    if (missing.length > 0) return missing.map((v) => ({ ...v, message: `${v.message} (in ${region.region ?? region.name})` }));
  }
  return [];
}

export const recorderArn = (region = REGION): string => `arn:aws:config:${region}:${ACCOUNT}:config-recorder/default`;

/** A collected AWS Config recorder; defaults: all supported types plus global ones, recording. */
export function recorder(attrs: Record<string, unknown> = {}, region = REGION): ExampleResource {
  return regional(
    'AWS::Config::ConfigurationRecorder',
    recorderArn(region),
    {
      name: 'default',
      roleARN: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      Status: { name: 'default', recording: true, lastStatus: 'SUCCESS' },
      ...attrs,
    },
    region,
  );
}

export const detectorArn = (id: string, region = REGION): string => `arn:aws:guardduty:${region}:${ACCOUNT}:detector/${id}`;

/** A collected GuardDuty detector. */
export function detector(id: string, status: string, region = REGION): ExampleResource {
  return regional('AWS::GuardDuty::Detector', detectorArn(id, region), { DetectorId: id, Detector: { Status: status, FindingPublishingFrequency: 'SIX_HOURS' } }, region);
}
