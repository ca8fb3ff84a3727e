/**
 * A synthetic large AWS account as a placebo recording directory (for `npm run bench:cloud`,
 * issue 7 section 8): `n` resources spread over the collected kinds in proportions typical of a
 * big account (many security groups, roles, buckets and volumes; fewer trails and keys), lists
 * split into pages with each API's own token (IAM Marker/IsTruncated, EC2 NextToken, RDS Marker,
 * KMS NextMarker/Truncated), and per-resource answers in a handful of variants that replay
 * cycles through (placebo starts again at _1 when the numbers run out), so a 10,000-resource
 * account needs a few hundred files, not tens of thousands. Deterministic: the same `n` gives the
 * same files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const VARIANTS = 7;

/** Share of `n` per kind; security groups take the remainder. */
const SHARES = {
  users: 0.08,
  roles: 0.14,
  groups: 0.01,
  policies: 0.04,
  buckets: 0.14,
  volumes: 0.12,
  snapshots: 0.05,
  instances: 0.08,
  vpcs: 0.01,
  acls: 0.02,
  dbInstances: 0.02,
  dbSnapshots: 0.02,
  trails: 0.0005,
  keys: 0.03,
  filters: 0.0015,
} as const;

type Counts = Record<keyof typeof SHARES | 'securityGroups', number>;

export function syntheticCounts(n: number): Counts {
  const counts = Object.fromEntries(Object.entries(SHARES).map(([k, share]) => [k, Math.max(1, Math.floor(n * share))])) as Record<keyof typeof SHARES, number>;
  const used = Object.values(counts).reduce((a, b) => a + b, 0);
  return { ...counts, securityGroups: Math.max(1, n - used) };
}

const iso = (i: number): string => new Date(Date.UTC(2023, 0, 1) + i * 3_600_000).toISOString();
const ok = (data: unknown): string => JSON.stringify({ status_code: 200, data: { ResponseMetadata: {}, ...(data as object) } });
const err = (status: number, code: string, message: string): string => JSON.stringify({ status_code: status, data: { Error: { Code: code, Message: message } } });

class Writer {
  files = 0;
  constructor(private readonly dir: string) {}
  async put(service: string, operation: string, n: number, body: string): Promise<void> {
    this.files++;
    await writeFile(join(this.dir, `${service}.${operation}_${n}.json`), body);
  }
  /** One answer per variant, numbered _1.._VARIANTS. */
  async variants(service: string, operation: string, make: (v: number) => string): Promise<void> {
    for (let v = 1; v <= VARIANTS; v++) await this.put(service, operation, v, make(v));
  }
  /** A list split into pages with the API's token: `token(page)` names the next page. */
  async pages<T>(service: string, operation: string, items: T[], size: number, key: string, page: (slice: T[], next: string | undefined) => Record<string, unknown>): Promise<void> {
    const count = Math.max(1, Math.ceil(items.length / size));
    for (let p = 0; p < count; p++) {
      const next = p + 1 < count ? `${operation}-page-${p + 2}` : undefined;
      await this.put(service, operation, p + 1, ok({ [key]: items.slice(p * size, (p + 1) * size), ...page(items.slice(p * size, (p + 1) * size), next) }));
    }
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const iamPage = (_s: unknown[], next: string | undefined): Record<string, unknown> => (next ? { IsTruncated: true, Marker: next } : { IsTruncated: false });
const tokenPage = (_s: unknown[], next: string | undefined): Record<string, unknown> => (next ? { NextToken: next } : {});
const doc = (action: string): string => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] }));

async function iam(w: Writer, c: Counts): Promise<void> {
  const users = range(c.users).map((i) => ({ UserName: `user-${i}`, UserId: `AIDASYNTH${i}`, Arn: `arn:aws:iam::${ACCOUNT}:user/user-${i}`, Path: '/', CreateDate: iso(i) }));
  await w.pages('iam', 'ListUsers', users, 1000, 'Users', iamPage);
  const header = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';
  const rows = [`<root_account>,arn:aws:iam::${ACCOUNT}:root,${iso(0)},not_supported,${iso(5)},not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`];
  for (const u of users) rows.push(`${u.UserName},${u.Arn},${u.CreateDate},true,${iso(9)},${iso(3)},N/A,${users.indexOf(u) % 3 === 0 ? 'false' : 'true'},true,${iso(2)},${iso(8)},us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`);
  await w.put('iam', 'GetCredentialReport', 1, ok({ Content: `${header}\n${rows.join('\n')}\n`, ReportFormat: 'text/csv', GeneratedTime: iso(10) }));
  await w.variants('iam', 'ListMFADevices', (v) => ok({ MFADevices: v % 3 === 0 ? [] : [{ UserName: 'u', SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/u${v}`, EnableDate: iso(v) }], IsTruncated: false }));
  await w.variants('iam', 'ListAccessKeys', (v) => ok({ AccessKeyMetadata: [{ UserName: 'u', AccessKeyId: `AKIASYNTHETIC0000${v}`, Status: 'Active', CreateDate: iso(v) }], IsTruncated: false }));
  await w.variants('iam', 'ListAttachedUserPolicies', (v) => ok({ AttachedPolicies: v === 1 ? [{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }] : [], IsTruncated: false }));
  await w.variants('iam', 'ListUserPolicies', (v) => ok({ PolicyNames: v === 2 ? ['inline-admin'] : [], IsTruncated: false }));
  await w.put('iam', 'GetUserPolicy', 1, ok({ UserName: 'u', PolicyName: 'inline-admin', PolicyDocument: doc('*') }));
  await w.variants('iam', 'ListGroupsForUser', (v) => ok({ Groups: [{ GroupName: `group-${v}`, GroupId: `AGPASYNTH${v}`, Arn: `arn:aws:iam::${ACCOUNT}:group/group-${v}`, Path: '/', CreateDate: iso(v) }], IsTruncated: false }));
  await w.put('iam', 'ListVirtualMFADevices', 1, ok({ VirtualMFADevices: [], IsTruncated: false }));
  const groups = range(c.groups).map((i) => ({ GroupName: `group-${i}`, GroupId: `AGPASYNTH${i}`, Arn: `arn:aws:iam::${ACCOUNT}:group/group-${i}`, Path: '/', CreateDate: iso(i) }));
  await w.pages('iam', 'ListGroups', groups, 1000, 'Groups', iamPage);
  await w.variants('iam', 'ListAttachedGroupPolicies', (v) => ok({ AttachedPolicies: [{ PolicyName: `p${v}`, PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p${v}` }], IsTruncated: false }));
  await w.variants('iam', 'ListGroupPolicies', () => ok({ PolicyNames: [], IsTruncated: false }));
  const trust = encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }));
  const roles = range(c.roles).map((i) => ({ RoleName: `role-${i}`, RoleId: `AROASYNTH${i}`, Arn: `arn:aws:iam::${ACCOUNT}:role/role-${i}`, Path: '/', CreateDate: iso(i), AssumeRolePolicyDocument: trust, MaxSessionDuration: 3600 }));
  await w.pages('iam', 'ListRoles', roles, 1000, 'Roles', iamPage);
  await w.variants('iam', 'ListAttachedRolePolicies', (v) => ok({ AttachedPolicies: [{ PolicyName: `p${v}`, PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/p${v}` }], IsTruncated: false }));
  await w.variants('iam', 'ListRolePolicies', () => ok({ PolicyNames: [], IsTruncated: false }));
  const policies = range(c.policies).map((i) => ({ PolicyName: `p${i}`, PolicyId: `ANPASYNTH${i}`, Arn: `arn:aws:iam::${ACCOUNT}:policy/p${i}`, Path: '/', DefaultVersionId: 'v1', AttachmentCount: i % 4, IsAttachable: true, CreateDate: iso(i), UpdateDate: iso(i) }));
  await w.pages('iam', 'ListPolicies', policies, 1000, 'Policies', iamPage);
  await w.variants('iam', 'GetPolicyVersion', (v) => ok({ PolicyVersion: { Document: doc(v === 1 ? '*' : 's3:GetObject'), VersionId: 'v1', IsDefaultVersion: true, CreateDate: iso(v) } }));
  await w.put('iam', 'GetAccountPasswordPolicy', 1, ok({ PasswordPolicy: { MinimumPasswordLength: 8, RequireSymbols: false, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true, ExpirePasswords: false } }));
  await w.put('iam', 'GetAccountSummary', 1, ok({ SummaryMap: { AccountMFAEnabled: 1, AccountAccessKeysPresent: 0, Users: c.users, Roles: c.roles, Policies: c.policies } }));
  await w.put('iam', 'ListAccountAliases', 1, ok({ AccountAliases: ['synthetic-large'], IsTruncated: false }));
}

async function s3(w: Writer, c: Counts): Promise<void> {
  await w.put('s3', 'ListBuckets', 1, ok({ Buckets: range(c.buckets).map((i) => ({ Name: `synthetic-bucket-${i}`, CreationDate: iso(i) })), Owner: { DisplayName: 'owner', ID: 'abc' } }));
  await w.variants('s3', 'GetBucketLocation', (v) => ok({ LocationConstraint: v % 2 ? null : 'eu-west-1' }));
  await w.variants('s3', 'GetBucketAcl', (v) =>
    ok({ Owner: { ID: 'abc' }, Grants: [{ Grantee: { Type: 'CanonicalUser', ID: 'abc' }, Permission: 'FULL_CONTROL' }, ...(v === 3 ? [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] : [])] }),
  );
  await w.variants('s3', 'GetBucketPolicy', (v) => (v % 2 ? err(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist') : ok({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] }) })));
  await w.variants('s3', 'GetBucketPolicyStatus', (v) => (v % 2 ? err(404, 'NoSuchBucketPolicy', 'The bucket policy does not exist') : ok({ PolicyStatus: { IsPublic: false } })));
  await w.variants('s3', 'GetPublicAccessBlock', (v) =>
    v === 4 ? err(404, 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found') : ok({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: v !== 5, RestrictPublicBuckets: true } }),
  );
  await w.variants('s3', 'GetBucketEncryption', (v) => ok({ ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: v % 2 ? 'AES256' : 'aws:kms' }, BucketKeyEnabled: v % 2 === 0 }] } }));
  await w.variants('s3', 'GetBucketVersioning', (v) => ok(v % 3 ? { Status: 'Enabled', MFADelete: 'Disabled' } : {}));
  await w.variants('s3', 'GetBucketLogging', (v) => ok(v % 2 ? { LoggingEnabled: { TargetBucket: 'synthetic-logs', TargetPrefix: 'logs/' } } : {}));
  await w.variants('s3', 'GetBucketOwnershipControls', () => ok({ OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
  await w.variants('s3', 'GetBucketTagging', (v) => (v % 2 ? err(404, 'NoSuchTagSet', 'The TagSet does not exist') : ok({ TagSet: [{ Key: 'team', Value: `t${v}` }] })));
  await w.put('s3-control', 'GetPublicAccessBlock', 1, ok({ PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
}

const rule = (port: number, cidr: string): Record<string, unknown> => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] });

async function ec2(w: Writer, c: Counts): Promise<void> {
  await w.put('ec2', 'DescribeRegions', 1, ok({ Regions: [{ RegionName: REGION, Endpoint: `ec2.${REGION}.amazonaws.com`, OptInStatus: 'opt-in-not-required' }] }));
  const vpcs = range(c.vpcs).map((i) => ({ VpcId: `vpc-${i.toString(16).padStart(8, '0')}`, CidrBlock: '10.0.0.0/16', State: 'available', OwnerId: ACCOUNT, IsDefault: i === 0 }));
  const sgs = range(c.securityGroups).map((i) => ({
    GroupId: `sg-${i.toString(16).padStart(8, '0')}`,
    GroupName: i < c.vpcs ? 'default' : `sg-${i}`,
    Description: 'synthetic',
    VpcId: vpcs[i % vpcs.length]!.VpcId,
    OwnerId: ACCOUNT,
    IpPermissions: [rule(443, '0.0.0.0/0'), ...(i % 10 === 0 ? [rule(22, '0.0.0.0/0')] : []), rule(5432, '10.0.0.0/8')],
    IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [] }],
    Tags: [{ Key: 'Name', Value: `sg-${i}` }],
  }));
  await w.pages('ec2', 'DescribeSecurityGroups', sgs, 1000, 'SecurityGroups', tokenPage);
  const volumes = range(c.volumes).map((i) => ({ VolumeId: `vol-${i.toString(16).padStart(8, '0')}`, Size: 20, State: 'in-use', Encrypted: i % 4 !== 0, AvailabilityZone: `${REGION}a`, CreateTime: iso(i), VolumeType: 'gp3' }));
  await w.pages('ec2', 'DescribeVolumes', volumes, 500, 'Volumes', tokenPage);
  await w.put('ec2', 'GetEbsEncryptionByDefault', 1, ok({ EbsEncryptionByDefault: false }));
  const snaps = range(c.snapshots).map((i) => ({ SnapshotId: `snap-${i.toString(16).padStart(8, '0')}`, VolumeId: volumes[i % volumes.length]!.VolumeId, State: 'completed', OwnerId: ACCOUNT, Encrypted: i % 3 !== 0, StartTime: iso(i), VolumeSize: 20 }));
  await w.pages('ec2', 'DescribeSnapshots', snaps, 1000, 'Snapshots', tokenPage);
  await w.variants('ec2', 'DescribeSnapshotAttribute', (v) => ok({ SnapshotId: 'snap', CreateVolumePermissions: v === 1 ? [{ Group: 'all' }] : [] }));
  const instances = range(c.instances).map((i) => ({
    InstanceId: `i-${i.toString(16).padStart(8, '0')}`,
    InstanceType: 't3.micro',
    State: { Code: 16, Name: 'running' },
    MetadataOptions: { HttpTokens: i % 5 === 0 ? 'optional' : 'required', HttpEndpoint: 'enabled' },
    ...(i % 7 === 0 ? { PublicIpAddress: `203.0.113.${i % 250}` } : {}),
    SecurityGroups: [{ GroupId: sgs[i % sgs.length]!.GroupId, GroupName: sgs[i % sgs.length]!.GroupName }],
    LaunchTime: iso(i),
  }));
  const reservations = range(Math.ceil(instances.length / 10)).map((r) => ({ ReservationId: `r-${r}`, OwnerId: ACCOUNT, Instances: instances.slice(r * 10, r * 10 + 10) }));
  await w.pages('ec2', 'DescribeInstances', reservations, 100, 'Reservations', tokenPage);
  await w.put('ec2', 'DescribeVpcs', 1, ok({ Vpcs: vpcs }));
  await w.put('ec2', 'DescribeFlowLogs', 1, ok({ FlowLogs: vpcs.filter((_, i) => i % 2 === 0).map((v, i) => ({ FlowLogId: `fl-${i}`, ResourceId: v.VpcId, FlowLogStatus: 'ACTIVE', TrafficType: 'ALL', LogDestinationType: 's3' })) }));
  const acls = range(c.acls).map((i) => ({ NetworkAclId: `acl-${i.toString(16).padStart(8, '0')}`, VpcId: vpcs[i % vpcs.length]!.VpcId, IsDefault: i < c.vpcs, OwnerId: ACCOUNT, Entries: [{ RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' }] }));
  await w.pages('ec2', 'DescribeNetworkAcls', acls, 1000, 'NetworkAcls', tokenPage);
}

async function regional(w: Writer, c: Counts): Promise<void> {
  const rdsPage = (_s: unknown[], next: string | undefined): Record<string, unknown> => (next ? { Marker: next } : {});
  const dbs = range(c.dbInstances).map((i) => ({ DBInstanceIdentifier: `db-${i}`, DBInstanceArn: `arn:aws:rds:${REGION}:${ACCOUNT}:db:db-${i}`, Engine: 'postgres', PubliclyAccessible: i % 9 === 0, StorageEncrypted: i % 4 !== 0, BackupRetentionPeriod: i % 6 === 0 ? 0 : 7, DeletionProtection: i % 2 === 0, AutoMinorVersionUpgrade: true, MultiAZ: i % 3 === 0 }));
  await w.pages('rds', 'DescribeDBInstances', dbs, 100, 'DBInstances', rdsPage);
  const dbSnaps = range(c.dbSnapshots).map((i) => ({ DBSnapshotIdentifier: `dbsnap-${i}`, DBSnapshotArn: `arn:aws:rds:${REGION}:${ACCOUNT}:snapshot:dbsnap-${i}`, DBInstanceIdentifier: `db-${i % dbs.length}`, Encrypted: true, SnapshotType: 'manual', SnapshotCreateTime: iso(i) }));
  await w.pages('rds', 'DescribeDBSnapshots', dbSnaps, 100, 'DBSnapshots', rdsPage);
  await w.variants('rds', 'DescribeDBSnapshotAttributes', (v) => ok({ DBSnapshotAttributesResult: { DBSnapshotIdentifier: 's', DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: v === 1 ? ['all'] : [] }] } }));
  const trails = range(c.trails).map((i) => ({ Name: `trail-${i}`, TrailARN: `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/trail-${i}`, HomeRegion: REGION, IsMultiRegionTrail: i === 0, IncludeGlobalServiceEvents: true, LogFileValidationEnabled: i === 0, S3BucketName: 'synthetic-bucket-0', CloudWatchLogsLogGroupArn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:trail:*` }));
  await w.put('cloudtrail', 'DescribeTrails', 1, ok({ trailList: trails }));
  await w.variants('cloudtrail', 'GetTrailStatus', (v) => ok({ IsLogging: v !== 2, LatestDeliveryTime: iso(v) }));
  await w.variants('cloudtrail', 'GetEventSelectors', () => ok({ EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }] }));
  const keys = range(c.keys).map((i) => ({ KeyId: `key-${i}`, KeyArn: `arn:aws:kms:${REGION}:${ACCOUNT}:key/key-${i}` }));
  const kmsPage = (_s: unknown[], next: string | undefined): Record<string, unknown> => (next ? { Truncated: true, NextMarker: next } : { Truncated: false });
  await w.pages('kms', 'ListKeys', keys, 1000, 'Keys', kmsPage);
  await w.put('kms', 'ListAliases', 1, ok({ Aliases: keys.filter((_, i) => i % 2 === 0).map((k) => ({ AliasName: `alias/${k.KeyId}`, TargetKeyId: k.KeyId })), Truncated: false }));
  await w.variants('kms', 'DescribeKey', (v) => ok({ KeyMetadata: { KeyId: 'k', KeyManager: v === 1 ? 'AWS' : 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS', Enabled: true, CreationDate: iso(v) } }));
  await w.variants('kms', 'GetKeyRotationStatus', (v) => ok({ KeyRotationEnabled: v % 3 !== 0, RotationPeriodInDays: 365 }));
  await w.variants('kms', 'GetKeyPolicy', () => ok({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }) }));
  const filters = range(c.filters).map((i) => ({ filterName: `cis-${i}`, logGroupName: 'trail', filterPattern: '{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != "Yes") }', metricTransformations: [{ metricName: `m${i}`, metricNamespace: 'CIS', metricValue: '1' }] }));
  await w.put('logs', 'DescribeMetricFilters', 1, ok({ metricFilters: filters }));
  await w.variants('monitoring', 'DescribeAlarmsForMetric', (v) => ok({ MetricAlarms: [{ AlarmName: `a${v}`, AlarmActions: [`arn:aws:sns:${REGION}:${ACCOUNT}:alerts-${v % 2}`], ActionsEnabled: true }] }));
  await w.variants('sns', 'GetTopicAttributes', (v) => ok({ Attributes: { TopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:alerts`, SubscriptionsConfirmed: String(v % 2) } }));
  await w.variants('sns', 'ListSubscriptionsByTopic', () => ok({ Subscriptions: [{ Protocol: 'email', Endpoint: 'sec@example.com', SubscriptionArn: 'arn:aws:sns:x' }] }));
  await w.put('config', 'DescribeConfigurationRecorders', 1, ok({ ConfigurationRecorders: [{ name: 'default', roleARN: `arn:aws:iam::${ACCOUNT}:role/config`, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } }] }));
  await w.put('config', 'DescribeConfigurationRecorderStatus', 1, ok({ ConfigurationRecordersStatus: [{ name: 'default', recording: true, lastStatus: 'SUCCESS' }] }));
  await w.put('config', 'DescribeDeliveryChannels', 1, ok({ DeliveryChannels: [{ name: 'default', s3BucketName: 'synthetic-config' }] }));
  await w.put('guardduty', 'ListDetectors', 1, ok({ DetectorIds: ['detector0'] }));
  await w.put('guardduty', 'GetDetector', 1, ok({ Status: 'ENABLED', FindingPublishingFrequency: 'SIX_HOURS', CreatedAt: iso(1) }));
  await w.put('access-analyzer', 'ListAnalyzers', 1, ok({ analyzers: [{ name: 'account', arn: `arn:aws:access-analyzer:${REGION}:${ACCOUNT}:analyzer/account`, type: 'ACCOUNT', status: 'ACTIVE' }] }));
  await w.put('securityhub', 'DescribeHub', 1, ok({ HubArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:hub/default`, SubscribedAt: iso(1), AutoEnableControls: true }));
}

/** Writes the recording; `resources` is how many resources the collector should produce at least. */
export async function writeSyntheticAccount(dir: string, n: number): Promise<{ resources: number; files: number }> {
  await mkdir(dir, { recursive: true });
  const w = new Writer(dir);
  const counts = syntheticCounts(n);
  await w.put('sts', 'GetCallerIdentity', 1, ok({ Account: ACCOUNT, Arn: `arn:aws:iam::${ACCOUNT}:user/auditor`, UserId: 'AIDASYNTHAUDITOR' }));
  await w.put('account', 'GetAlternateContact', 1, ok({ AlternateContact: { AlternateContactType: 'SECURITY', Name: 'Security', EmailAddress: 'sec@example.com' } }));
  await iam(w, counts);
  await s3(w, counts);
  await ec2(w, counts);
  await regional(w, counts);
  return { resources: Object.values(counts).reduce((a, b) => a + b, 0), files: w.files };
}
