/** What `collectAws` accepts, and the defaults. */
import type { AwsCredentials } from './api/live.js';
import type { AwsRoleTarget } from './api/credentials.js';
import type { AwsService } from './operations.js';

/** Service groups collected once per account. */
export const GLOBAL_GROUPS = ['account', 'iam', 's3'] as const;
/** Service groups collected in every scanned region. */
export const REGIONAL_GROUPS = ['ec2', 'rds', 'cloudtrail', 'kms', 'monitoring', 'config', 'guardduty', 'accessanalyzer', 'securityhub'] as const;
export type AwsServiceGroup = (typeof GLOBAL_GROUPS)[number] | (typeof REGIONAL_GROUPS)[number];

export interface AwsCollectOptions {
  /** Offline: a directory of recorded responses (`<service>.<Operation>_<n>.json`); no network then. */
  readonly recordings?: string | undefined;
  /** Account id to report when an offline recording has no sts.GetCallerIdentity answer. */
  readonly accountId?: string | undefined;
  /** A named profile of the shared config / credentials files (default: the standard chain). */
  readonly profile?: string | undefined;
  /** Credentials passed in (programmatic use, tests); overrides `profile` and the chain. */
  readonly credentials?: AwsCredentials | undefined;
  /** Roles to assume, one scanned account each. */
  readonly roles?: readonly AwsRoleTarget[] | undefined;
  /** Also scan the base credentials' own account when `roles` are given. */
  readonly includeBaseAccount?: boolean | undefined;
  /** Regions to scan (default: every enabled region, from EC2 DescribeRegions). */
  readonly regions?: readonly string[] | undefined;
  /** Where account-wide calls go (default us-east-1, us-gov-west-1 or cn-north-1 by partition). */
  readonly globalRegion?: string | undefined;
  /** Endpoint override: one URL for every service or one per service (VPC endpoints, air-gapped mirrors, tests). */
  readonly endpoint?: string | Readonly<Partial<Record<AwsService, string>>> | undefined;
  /** API calls in flight per account (default 16). */
  readonly concurrency?: number | undefined;
  /** Regions scanned at once per account (default 4). */
  readonly regionConcurrency?: number | undefined;
  /** Accounts scanned at once (default 2). */
  readonly accountConcurrency?: number | undefined;
  /** SDK attempts per call, first included (default 8), with the SDK's `adaptive` retry mode unless `retryMode` says otherwise. */
  readonly maxAttempts?: number | undefined;
  readonly retryMode?: 'adaptive' | 'standard' | undefined;
  /** Pages followed per list call before stopping with a gap (default 1000). */
  readonly maxPages?: number | undefined;
  /** Service groups to collect (default all). */
  readonly services?: readonly AwsServiceGroup[] | undefined;
  /** Further AWS SDK client settings (a request handler, a retry strategy). */
  readonly clientConfig?: Readonly<Record<string, unknown>> | undefined;
}

export function defaultGlobalRegion(regions: readonly string[] | undefined): string {
  const first = regions?.[0] ?? '';
  if (first.startsWith('us-gov-')) return 'us-gov-west-1';
  if (first.startsWith('cn-')) return 'cn-north-1';
  return 'us-east-1';
}

export function partitionOf(region: string): string {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

const REGION_NAME = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

export function isRegionName(v: string): boolean {
  return REGION_NAME.test(v);
}
