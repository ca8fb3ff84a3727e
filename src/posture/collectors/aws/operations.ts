/**
 * Every AWS API call the collector makes, in one table: the service (botocore / placebo name,
 * which is also the recording file prefix), the operation (the SDK v3 command is
 * `${operation}Command`), the IAM actions it needs, whether it is called once per account
 * (`global`) or in every scanned region, how it pages, and the resource kinds a failure leaves
 * unknown. `AwsApi.call` only accepts ids from this table, so the least-privilege policy in
 * docs/collectors/aws.md (checked against this table by a test) cannot drift from the code.
 */
import type { ResourceKind } from '../../model.js';
import { AWS_KINDS as K } from './kinds.js';

export const AWS_SERVICES = [
  'sts',
  'account',
  'iam',
  's3',
  's3-control',
  'ec2',
  'rds',
  'cloudtrail',
  'kms',
  'logs',
  'monitoring',
  'sns',
  'config',
  'guardduty',
  'access-analyzer',
  'securityhub',
] as const;
export type AwsService = (typeof AWS_SERVICES)[number];

/** How a list operation pages: request token, response token, "more" flag, the list key. */
export interface PageSpec {
  readonly inputToken: string;
  readonly outputToken: string;
  /** Response flag saying more pages follow (IAM `IsTruncated`, KMS `Truncated`). */
  readonly more?: string;
  readonly items: string;
  /** Page-size parameter sent with every page. */
  readonly pageSize?: Readonly<Record<string, number>>;
}

export interface OperationSpec {
  readonly service: AwsService;
  readonly operation: string;
  /** IAM actions the call needs (docs/collectors/aws.md lists their union). */
  readonly actions: readonly string[];
  readonly scope: 'global' | 'regional';
  readonly page?: PageSpec;
  /** Kinds left unknown when the call fails (empty for per-resource sub-calls: those become SubCallGaps). */
  readonly kinds: readonly ResourceKind[];
}

const iamPage = (items: string): PageSpec => ({ inputToken: 'Marker', outputToken: 'Marker', more: 'IsTruncated', items, pageSize: { MaxItems: 1000 } });
const ec2Page = (items: string, max = 1000): PageSpec => ({ inputToken: 'NextToken', outputToken: 'NextToken', items, pageSize: { MaxResults: max } });
const rdsPage = (items: string): PageSpec => ({ inputToken: 'Marker', outputToken: 'Marker', items, pageSize: { MaxRecords: 100 } });
const kmsPage = (items: string, max: number): PageSpec => ({ inputToken: 'Marker', outputToken: 'NextMarker', more: 'Truncated', items, pageSize: { Limit: max } });

const g = (service: AwsService, operation: string, actions: readonly string[], kinds: readonly ResourceKind[] = [], page?: PageSpec): OperationSpec =>
  page ? { service, operation, actions, scope: 'global', kinds, page } : { service, operation, actions, scope: 'global', kinds };
const r = (service: AwsService, operation: string, actions: readonly string[], kinds: readonly ResourceKind[] = [], page?: PageSpec): OperationSpec =>
  page ? { service, operation, actions, scope: 'regional', kinds, page } : { service, operation, actions, scope: 'regional', kinds };

export const OPERATIONS = {
  'sts.GetCallerIdentity': g('sts', 'GetCallerIdentity', ['sts:GetCallerIdentity']),
  'ec2.DescribeRegions': g('ec2', 'DescribeRegions', ['ec2:DescribeRegions'], [K.region]),
  'account.GetAlternateContact': g('account', 'GetAlternateContact', ['account:GetAlternateContact']),

  'iam.ListAccountAliases': g('iam', 'ListAccountAliases', ['iam:ListAccountAliases'], [], iamPage('AccountAliases')),
  'iam.GetAccountSummary': g('iam', 'GetAccountSummary', ['iam:GetAccountSummary'], [K.accountSummary]),
  'iam.GetAccountPasswordPolicy': g('iam', 'GetAccountPasswordPolicy', ['iam:GetAccountPasswordPolicy'], [K.passwordPolicy]),
  'iam.GenerateCredentialReport': g('iam', 'GenerateCredentialReport', ['iam:GenerateCredentialReport'], [K.user, K.rootUser]),
  'iam.GetCredentialReport': g('iam', 'GetCredentialReport', ['iam:GetCredentialReport'], [K.user, K.rootUser]),
  'iam.ListVirtualMFADevices': g('iam', 'ListVirtualMFADevices', ['iam:ListVirtualMFADevices'], [], iamPage('VirtualMFADevices')),
  'iam.ListUsers': g('iam', 'ListUsers', ['iam:ListUsers'], [K.user], iamPage('Users')),
  'iam.ListMFADevices': g('iam', 'ListMFADevices', ['iam:ListMFADevices'], [], iamPage('MFADevices')),
  'iam.ListAccessKeys': g('iam', 'ListAccessKeys', ['iam:ListAccessKeys'], [], iamPage('AccessKeyMetadata')),
  'iam.ListAttachedUserPolicies': g('iam', 'ListAttachedUserPolicies', ['iam:ListAttachedUserPolicies'], [], iamPage('AttachedPolicies')),
  'iam.ListUserPolicies': g('iam', 'ListUserPolicies', ['iam:ListUserPolicies'], [], iamPage('PolicyNames')),
  'iam.GetUserPolicy': g('iam', 'GetUserPolicy', ['iam:GetUserPolicy']),
  'iam.ListGroupsForUser': g('iam', 'ListGroupsForUser', ['iam:ListGroupsForUser'], [], iamPage('Groups')),
  'iam.ListGroups': g('iam', 'ListGroups', ['iam:ListGroups'], [K.group], iamPage('Groups')),
  'iam.ListAttachedGroupPolicies': g('iam', 'ListAttachedGroupPolicies', ['iam:ListAttachedGroupPolicies'], [], iamPage('AttachedPolicies')),
  'iam.ListGroupPolicies': g('iam', 'ListGroupPolicies', ['iam:ListGroupPolicies'], [], iamPage('PolicyNames')),
  'iam.ListRoles': g('iam', 'ListRoles', ['iam:ListRoles'], [K.role], iamPage('Roles')),
  'iam.ListAttachedRolePolicies': g('iam', 'ListAttachedRolePolicies', ['iam:ListAttachedRolePolicies'], [], iamPage('AttachedPolicies')),
  'iam.ListRolePolicies': g('iam', 'ListRolePolicies', ['iam:ListRolePolicies'], [], iamPage('PolicyNames')),
  'iam.ListPolicies': g('iam', 'ListPolicies', ['iam:ListPolicies'], [K.managedPolicy], iamPage('Policies')),
  'iam.GetPolicyVersion': g('iam', 'GetPolicyVersion', ['iam:GetPolicyVersion']),
  'iam.ListServerCertificates': g('iam', 'ListServerCertificates', ['iam:ListServerCertificates'], [], iamPage('ServerCertificateMetadataList')),
  'iam.ListSAMLProviders': g('iam', 'ListSAMLProviders', ['iam:ListSAMLProviders']),

  's3.ListBuckets': g('s3', 'ListBuckets', ['s3:ListAllMyBuckets'], [K.bucket], { inputToken: 'ContinuationToken', outputToken: 'ContinuationToken', items: 'Buckets' }),
  's3.GetBucketLocation': g('s3', 'GetBucketLocation', ['s3:GetBucketLocation']),
  's3.GetBucketAcl': g('s3', 'GetBucketAcl', ['s3:GetBucketAcl']),
  's3.GetBucketPolicy': g('s3', 'GetBucketPolicy', ['s3:GetBucketPolicy']),
  's3.GetBucketPolicyStatus': g('s3', 'GetBucketPolicyStatus', ['s3:GetBucketPolicyStatus']),
  's3.GetPublicAccessBlock': g('s3', 'GetPublicAccessBlock', ['s3:GetBucketPublicAccessBlock']),
  's3.GetBucketEncryption': g('s3', 'GetBucketEncryption', ['s3:GetEncryptionConfiguration']),
  's3.GetBucketVersioning': g('s3', 'GetBucketVersioning', ['s3:GetBucketVersioning']),
  's3.GetBucketLogging': g('s3', 'GetBucketLogging', ['s3:GetBucketLogging']),
  's3.GetBucketOwnershipControls': g('s3', 'GetBucketOwnershipControls', ['s3:GetBucketOwnershipControls']),
  's3.GetBucketTagging': g('s3', 'GetBucketTagging', ['s3:GetBucketTagging']),
  's3-control.GetPublicAccessBlock': g('s3-control', 'GetPublicAccessBlock', ['s3:GetAccountPublicAccessBlock'], [K.accountPublicAccessBlock]),

  'ec2.DescribeSecurityGroups': r('ec2', 'DescribeSecurityGroups', ['ec2:DescribeSecurityGroups'], [K.securityGroup], ec2Page('SecurityGroups')),
  'ec2.DescribeVolumes': r('ec2', 'DescribeVolumes', ['ec2:DescribeVolumes'], [K.volume], ec2Page('Volumes', 500)),
  'ec2.GetEbsEncryptionByDefault': r('ec2', 'GetEbsEncryptionByDefault', ['ec2:GetEbsEncryptionByDefault'], [K.ebsDefault]),
  'ec2.DescribeSnapshots': r('ec2', 'DescribeSnapshots', ['ec2:DescribeSnapshots'], [K.snapshot], ec2Page('Snapshots')),
  'ec2.DescribeSnapshotAttribute': r('ec2', 'DescribeSnapshotAttribute', ['ec2:DescribeSnapshotAttribute']),
  'ec2.DescribeInstances': r('ec2', 'DescribeInstances', ['ec2:DescribeInstances'], [K.instance], ec2Page('Reservations')),
  'ec2.DescribeVpcs': r('ec2', 'DescribeVpcs', ['ec2:DescribeVpcs'], [K.vpc], ec2Page('Vpcs')),
  'ec2.DescribeFlowLogs': r('ec2', 'DescribeFlowLogs', ['ec2:DescribeFlowLogs'], [], ec2Page('FlowLogs')),
  'ec2.DescribeNetworkAcls': r('ec2', 'DescribeNetworkAcls', ['ec2:DescribeNetworkAcls'], [K.networkAcl], ec2Page('NetworkAcls')),

  'rds.DescribeDBInstances': r('rds', 'DescribeDBInstances', ['rds:DescribeDBInstances'], [K.dbInstance], rdsPage('DBInstances')),
  'rds.DescribeDBSnapshots': r('rds', 'DescribeDBSnapshots', ['rds:DescribeDBSnapshots'], [K.dbSnapshot], rdsPage('DBSnapshots')),
  'rds.DescribeDBSnapshotAttributes': r('rds', 'DescribeDBSnapshotAttributes', ['rds:DescribeDBSnapshotAttributes']),

  'cloudtrail.DescribeTrails': r('cloudtrail', 'DescribeTrails', ['cloudtrail:DescribeTrails'], [K.trail]),
  'cloudtrail.GetTrailStatus': r('cloudtrail', 'GetTrailStatus', ['cloudtrail:GetTrailStatus']),
  'cloudtrail.GetEventSelectors': r('cloudtrail', 'GetEventSelectors', ['cloudtrail:GetEventSelectors']),

  'kms.ListKeys': r('kms', 'ListKeys', ['kms:ListKeys'], [K.kmsKey], kmsPage('Keys', 1000)),
  'kms.ListAliases': r('kms', 'ListAliases', ['kms:ListAliases'], [], kmsPage('Aliases', 100)),
  'kms.DescribeKey': r('kms', 'DescribeKey', ['kms:DescribeKey']),
  'kms.GetKeyRotationStatus': r('kms', 'GetKeyRotationStatus', ['kms:GetKeyRotationStatus']),
  'kms.GetKeyPolicy': r('kms', 'GetKeyPolicy', ['kms:GetKeyPolicy']),

  'logs.DescribeMetricFilters': r('logs', 'DescribeMetricFilters', ['logs:DescribeMetricFilters'], [K.metricFilter], {
    inputToken: 'nextToken',
    outputToken: 'nextToken',
    items: 'metricFilters',
    pageSize: { limit: 50 },
  }),
  'monitoring.DescribeAlarmsForMetric': r('monitoring', 'DescribeAlarmsForMetric', ['cloudwatch:DescribeAlarmsForMetric']),
  'sns.GetTopicAttributes': r('sns', 'GetTopicAttributes', ['sns:GetTopicAttributes']),
  'sns.ListSubscriptionsByTopic': r('sns', 'ListSubscriptionsByTopic', ['sns:ListSubscriptionsByTopic'], [], {
    inputToken: 'NextToken',
    outputToken: 'NextToken',
    items: 'Subscriptions',
  }),

  'config.DescribeConfigurationRecorders': r('config', 'DescribeConfigurationRecorders', ['config:DescribeConfigurationRecorders'], [K.configRecorder]),
  'config.DescribeConfigurationRecorderStatus': r('config', 'DescribeConfigurationRecorderStatus', ['config:DescribeConfigurationRecorderStatus']),
  'config.DescribeDeliveryChannels': r('config', 'DescribeDeliveryChannels', ['config:DescribeDeliveryChannels'], [K.deliveryChannel]),
  'guardduty.ListDetectors': r('guardduty', 'ListDetectors', ['guardduty:ListDetectors'], [K.guardDutyDetector], {
    inputToken: 'NextToken',
    outputToken: 'NextToken',
    items: 'DetectorIds',
    pageSize: { MaxResults: 50 },
  }),
  'guardduty.GetDetector': r('guardduty', 'GetDetector', ['guardduty:GetDetector']),
  'access-analyzer.ListAnalyzers': r('access-analyzer', 'ListAnalyzers', ['access-analyzer:ListAnalyzers'], [K.analyzer], {
    inputToken: 'nextToken',
    outputToken: 'nextToken',
    items: 'analyzers',
  }),
  'securityhub.DescribeHub': r('securityhub', 'DescribeHub', ['securityhub:DescribeHub'], [K.securityHub]),
} as const satisfies Record<string, OperationSpec>;

export type AwsOperationId = keyof typeof OPERATIONS;

export function operationSpec(id: AwsOperationId): OperationSpec {
  return OPERATIONS[id];
}

export const OPERATION_IDS = Object.keys(OPERATIONS) as AwsOperationId[];

/** The union of IAM actions the collector needs, sorted: the least-privilege policy. */
export function requiredActions(): string[] {
  const all = new Set<string>();
  for (const id of OPERATION_IDS) for (const a of OPERATIONS[id].actions) all.add(a);
  return [...all].sort();
}
