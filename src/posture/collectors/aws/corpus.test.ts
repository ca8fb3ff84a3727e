/**
 * The AWS collector over cloud-custodian's real placebo recordings (../shared/data/cloud/
 * custodian-aws-placebo): every test directory gives resources without crashing, and what the
 * recordings say shows in the attrs (expectations written by reading the recorded files).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Resource } from '../../model.js';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { subCallGaps } from '../types.js';
import type { CollectResult } from '../types.js';
import { collectAws } from './index.js';
import { AWS_KINDS } from './kinds.js';

const ROOT = sharedData('cloud', 'custodian-aws-placebo');
const skip = ROOT ? false : skipMessage('cloud/custodian-aws-placebo');

async function scan(dir: string, accountId?: string): Promise<CollectResult> {
  const [res] = await collectAws({ recordings: join(ROOT!, dir), accountId });
  assert.ok(res);
  return res;
}

function byName(res: CollectResult, kind: string): Map<string, Resource> {
  return new Map(res.resources.filter((r) => r.kind === kind).map((r) => [r.name, r]));
}

const attr = (r: Resource | undefined, ...path: string[]): unknown => {
  let cur: unknown = r?.attrs;
  for (const p of path) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
  return cur;
};

describe('AWS collector over the custodian placebo recordings', { skip }, () => {
  test('every recording directory gives resources or gaps, never a crash', async (t) => {
    const counts: Record<string, number> = {};
    let dirs = 0;
    let withResources = 0;
    for (const dir of readdirSync(ROOT!).sort()) {
      const res = await scan(dir);
      dirs++;
      const own = res.resources.filter((r) => r.kind !== AWS_KINDS.region && r.kind !== AWS_KINDS.account);
      if (own.length > 0) withResources++;
      for (const r of res.resources) {
        counts[r.type] = (counts[r.type] ?? 0) + 1;
        assert.equal(r.input, 'aws');
        assert.equal(r.line, 0);
        assert.ok(r.file.startsWith('arn:'), r.file);
      }
      for (const g of res.gaps) {
        assert.ok(g.message.length > 0 && g.message.length <= 600, g.message);
        assert.doesNotMatch(g.message, /AKIA[A-Z0-9]{16}/);
      }
    }
    t.diagnostic(`custodian-aws-placebo: ${dirs} directories, ${withResources} gave collected resources; by type: ${JSON.stringify(counts)}`);
    assert.ok(dirs >= 300);
    assert.ok(withResources >= 200);
  });

  test('S3 Block Public Access per bucket: absent is null, partial as recorded, denied is a gap (test_s3_check_public_block)', async () => {
    const res = await scan('test_s3_check_public_block');
    const b = byName(res, AWS_KINDS.bucket);
    assert.equal(b.size, 3);
    assert.equal(attr(b.get('644160558196-us-east-1-s3-logs'), 'PublicAccessBlock'), null);
    assert.deepEqual(attr(b.get('644160558196-us-east-2-s3-logs'), 'PublicAccessBlock'), {
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: true,
    });
    const locked = b.get('my-locked-down-bucket')!;
    assert.equal(attr(locked, 'PublicAccessBlock'), undefined);
    assert.equal(subCallGaps(locked)['PublicAccessBlock']?.reason, 'access-denied');
    assert.equal(subCallGaps(locked)['Acl']?.reason, 'unavailable', 'an operation not in the recording is a gap, not a pass');
  });

  test('S3 public-block settings all off (test_s3_public_block_enable_all) and the account-level block (test_account_action_s3_public_block)', async () => {
    const one = byName(await scan('test_s3_public_block_enable_all'), AWS_KINDS.bucket).get('mypublicblock');
    assert.deepEqual(attr(one, 'PublicAccessBlock'), { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
    // The recording names no account (no ARN, no sts answer): say which one it is, as a user would.
    const unnamed = await scan('test_account_action_s3_public_block');
    assert.equal(unnamed.gaps.find((g) => g.service === 's3-control')?.reason, 'error');
    const account = (await scan('test_account_action_s3_public_block', '644160558196')).resources.find((r) => r.kind === AWS_KINDS.accountPublicAccessBlock);
    assert.deepEqual(attr(account, 'PublicAccessBlockConfiguration'), { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
  });

  test('S3 ACL granting AllUsers WRITE (test_s3_grants)', async () => {
    const bucket = byName(await scan('test_s3_grants'), AWS_KINDS.bucket).get('custodian-testing-grants');
    const grants = attr(bucket, 'Acl', 'Grants') as { Grantee: { URI?: string }; Permission: string }[];
    assert.deepEqual(grants, [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'WRITE' }]);
  });

  test('S3 default encryption: KMS, AES256, none (test_s3_encryption_audit)', async () => {
    const b = byName(await scan('test_s3_encryption_audit'), AWS_KINDS.bucket);
    const alg = (n: string): unknown => (attr(b.get(n), 'Encryption', 'Rules') as { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: string } }[] | undefined)?.[0]?.ApplyServerSideEncryptionByDefault.SSEAlgorithm;
    assert.equal(alg('c7n-aws-s3-encryption-audit-test-a'), 'aws:kms');
    assert.equal(alg('c7n-aws-s3-encryption-audit-test-b'), 'AES256');
    assert.equal(attr(b.get('c7n-aws-s3-encryption-audit-test-c'), 'Encryption'), null);
  });

  test('S3 bucket policy parsed, versioning, logging, ownership (test_s3_has_statement, test_s3_normalize, test_s3_ownership_defined)', async () => {
    const policies = [...byName(await scan('test_s3_has_statement'), AWS_KINDS.bucket).values()].map((r) => attr(r, 'Policy'));
    assert.ok(policies.includes(null), 'a NoSuchBucketPolicy answer is null');
    const parsed = policies.find((p) => p !== null && p !== undefined) as { Statement: unknown[] } | undefined;
    assert.ok(parsed && Array.isArray(parsed.Statement), 'a recorded policy is a parsed document');
    const norm = byName(await scan('test_s3_normalize'), AWS_KINDS.bucket);
    const logged = [...norm.values()].find((r) => attr(r, 'Logging') !== undefined && attr(r, 'Logging') !== null);
    assert.deepEqual(attr(logged, 'Logging'), { TargetPrefix: 's3-logs/', TargetBucket: 'custodian-test-data-23' });
    assert.ok([...norm.values()].some((r) => attr(r, 'Versioning', 'Status') === 'Enabled'));
    const own = byName(await scan('test_s3_ownership_defined'), AWS_KINDS.bucket);
    assert.equal(attr(own.get('c7ntest-20211227212502652800000001'), 'OwnershipControls'), null);
    assert.deepEqual(attr(own.get('c7ntest-20211227212502652900000002'), 'OwnershipControls'), { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
  });

  test('credential report: users and root as recorded (test_account_credential_report)', async () => {
    const res = await scan('test_account_credential_report');
    const users = byName(res, AWS_KINDS.user);
    assert.equal(users.size, 19, 'one user per distinct ARN in the report (20 ARNs, one of them root)');
    const andrew = users.get('andrew');
    assert.equal(attr(andrew, 'CredentialReport', 'password_enabled'), 'true');
    assert.equal(attr(andrew, 'CredentialReport', 'mfa_active'), 'false');
    assert.equal(attr(andrew, 'CredentialReport', 'access_key_2_last_used_service'), 'ec2');
    assert.equal(attr(users.get('anthony'), 'CredentialReport', 'mfa_active'), 'true');
    assert.equal(subCallGaps(andrew!)['MFADevices']?.operation, 'ListUsers', 'per-user lists are gaps when only the report knows the user');
    const root = res.resources.find((r) => r.kind === AWS_KINDS.rootUser);
    assert.equal(root?.id, 'arn:aws:iam::644160558196:root');
    assert.equal(attr(root, 'CredentialReport', 'mfa_active'), 'true');
    assert.equal(attr(root, 'CredentialReport', 'access_key_1_active'), 'false');
    assert.equal(attr(root, 'CredentialReport', 'password_last_used'), '2016-10-06T15:47:11+00:00');
  });

  test('credential report generated then polled (test_iam_user_unused_keys_report_in_progress)', async () => {
    const res = await scan('test_iam_user_unused_keys_report_in_progress');
    assert.ok(res.resources.some((r) => r.kind === AWS_KINDS.rootUser));
    assert.ok(!res.gaps.some((g) => g.operation === 'GetCredentialReport'));
    assert.equal(res.stats.calls > 0, true);
  });

  test('IAM: MFA devices, password policy absent and present, account summary (test_iam_mfa_filter, test_account_*)', async () => {
    const mfa = byName(await scan('test_iam_mfa_filter'), AWS_KINDS.user);
    assert.equal((attr(mfa.get('mandeep'), 'MFADevices') as unknown[]).length, 1);
    assert.deepEqual(attr(mfa.get('kapil'), 'MFADevices'), []);
    const missing = (await scan('test_account_missing_password_policy')).resources.find((r) => r.kind === AWS_KINDS.passwordPolicy);
    assert.deepEqual(missing?.attrs, { PasswordPolicy: null });
    const present = (await scan('test_account_password_policy_update')).resources.find((r) => r.kind === AWS_KINDS.passwordPolicy);
    assert.equal(attr(present, 'PasswordPolicy', 'MinimumPasswordLength'), 10);
    assert.equal(attr(present, 'PasswordPolicy', 'RequireSymbols'), false);
    const summary = (await scan('test_account_root_mfa')).resources.find((r) => r.kind === AWS_KINDS.accountSummary);
    assert.equal(attr(summary, 'SummaryMap', 'AccountMFAEnabled'), 1);
    assert.equal(attr(summary, 'SummaryMap', 'AccountAccessKeysPresent'), 0);
  });

  test('IAM customer-managed policy with its default version document (test_iam_policy_allow_all)', async () => {
    const policies = (await scan('test_iam_policy_allow_all')).resources.filter((r) => r.kind === AWS_KINDS.managedPolicy);
    assert.equal(policies.length, 7);
    const docs = policies.map((p) => attr(p, 'PolicyVersion', 'Document') as { Statement: { Action: string; Resource: string }[] } | undefined).filter(Boolean);
    assert.ok(docs.some((d) => d!.Statement.some((s) => s.Action === '*' && s.Resource === '*')), 'the recorded allow-all document');
  });

  test('security groups with their rules (test_security_group_reference_ingress_filter, test_security_group_ingress_filter)', async () => {
    const sgs = byName(await scan('test_security_group_reference_ingress_filter'), AWS_KINDS.securityGroup);
    const open = sgs.get('test-referenced-sg');
    assert.equal(open?.id, 'arn:aws:ec2:us-east-1:123456789123:security-group/sg-0f9585dc91c9c9655');
    assert.deepEqual(attr(open, 'IpPermissions'), [{ FromPort: 60000, IpProtocol: 'tcp', IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [], ToPort: 62000, UserIdGroupPairs: [] }]);
    const ref = sgs.get('ingress-sg-reference');
    assert.equal((attr(ref, 'IpPermissions') as { UserIdGroupPairs: { GroupId: string }[] }[])[0]?.UserIdGroupPairs[0]?.GroupId, 'sg-0f9585dc91c9c9655');
    const web = byName(await scan('test_security_group_ingress_filter'), AWS_KINDS.securityGroup).get('web-tier');
    assert.deepEqual((attr(web, 'IpPermissions') as { IpRanges: unknown }[])[0]?.IpRanges, [{ CidrIp: '10.2.0.0/16' }]);
  });

  test('CloudTrail: trail, status and event selectors (test_account_trail, test_cloudtrail_event_selectors, advanced selectors)', async () => {
    const trail = byName(await scan('test_account_trail'), AWS_KINDS.trail).get('skunk-trails');
    assert.equal(attr(trail, 'IsMultiRegionTrail'), true);
    assert.equal(attr(trail, 'LogFileValidationEnabled'), true);
    assert.match(String(attr(trail, 'KmsKeyId')), /^arn:aws:kms:/);
    assert.equal(attr(trail, 'Status', 'IsLogging'), true);
    const sel = byName(await scan('test_cloudtrail_event_selectors'), AWS_KINDS.trail);
    assert.deepEqual([...sel.keys()].sort(), ['MultiRegion1CloudTrail', 'MultiRegion2CloudTrail', 'SingleCloudTrail', 'orgTrail']);
    assert.equal(attr(sel.get('orgTrail'), 'EventSelectors', '0', 'ReadWriteType'), 'All');
    const adv = [...byName(await scan('test_cloudtrail_success_management_advanced_events_included'), AWS_KINDS.trail).values()][0];
    assert.deepEqual(attr(adv, 'AdvancedEventSelectors', '0', 'FieldSelectors', '0'), { Field: 'eventCategory', Equals: ['Management'] });
    assert.deepEqual(attr(adv, 'EventSelectors'), []);
  });

  test('CIS 4.x chain: metric filter → alarm → SNS topic with a confirmed subscription (test_cloudtrail_success_log_metric_filter)', async () => {
    const res = await scan('test_cloudtrail_success_log_metric_filter');
    const filter = res.resources.find((r) => r.kind === AWS_KINDS.metricFilter);
    assert.equal(attr(filter, 'filterPattern'), '{ ($.eventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != Yes) }');
    const alarms = attr(filter, 'Alarms') as { AlarmName: string; AlarmActions: string[] }[];
    assert.equal(alarms[0]?.AlarmName, 'NoMFAConsoleLoginAlarm_40313');
    const topic = res.resources.find((r) => r.kind === AWS_KINDS.snsTopic);
    assert.equal(topic?.id, alarms[0]?.AlarmActions[0]);
    assert.equal(attr(topic, 'Attributes', 'SubscriptionsConfirmed'), '1');
    const trail = res.resources.find((r) => r.kind === AWS_KINDS.trail);
    assert.match(String(attr(trail, 'CloudWatchLogsLogGroupArn')), /cloudtrail-test-group20221122165720932700000003/);
    const noAlarm = (await scan('test_cloudtrail_fail_log_metric_filter_no_alarm')).resources.find((r) => r.kind === AWS_KINDS.metricFilter);
    assert.deepEqual(attr(noAlarm, 'Alarms'), []);
  });

  test('KMS: metadata, key policy with a public statement, denied DescribeKey, rotation not recorded (test_kms_remove_matched, test_kms_access_denied)', async () => {
    const key = (await scan('test_kms_remove_matched')).resources.find((r) => r.kind === AWS_KINDS.kmsKey)!;
    assert.equal(attr(key, 'KeyMetadata', 'KeyManager'), 'CUSTOMER');
    const statements = attr(key, 'Policy', 'Statement') as { Sid: string; Principal: unknown }[];
    assert.deepEqual(statements.find((s) => s.Sid === 'Public')?.Principal, '*');
    assert.equal(subCallGaps(key)['KeyRotationEnabled']?.reason, 'unavailable', 'GetKeyRotationStatus was not recorded: not assessed, never assumed');
    const denied = byName(await scan('test_kms_access_denied'), AWS_KINDS.kmsKey);
    assert.equal(subCallGaps(denied.get('alias/test-kms-restrictive')!)['KeyMetadata']?.reason, 'access-denied');
    assert.equal(attr(denied.get('alias/test-kms-permissive'), 'KeyMetadata', 'KeyState'), 'Enabled');
    assert.equal(denied.get('alias/test-kms-permissive')?.region, 'us-west-1', 'the region the recording was made in');
  });

  test('RDS: public instances, backups and encryption; a snapshot shared with all (test_rds_public_accessible_disable, test_rds_snapshot_access)', async () => {
    const dbs = byName(await scan('test_rds_public_accessible_disable'), AWS_KINDS.dbInstance);
    const db = dbs.get('c7n-test-pa');
    assert.equal(attr(db, 'PubliclyAccessible'), true);
    assert.equal(attr(db, 'StorageEncrypted'), false);
    assert.equal(attr(db, 'BackupRetentionPeriod'), 7);
    assert.equal(attr(db, 'MultiAZ'), false);
    assert.equal(attr(db, 'AutoMinorVersionUpgrade'), true);
    const snaps = byName(await scan('test_rds_snapshot_access'), AWS_KINDS.dbSnapshot);
    const restore = (n: string): unknown => (attr(snaps.get(n), 'DBSnapshotAttributes') as { AttributeValues: string[] }[])[0]?.AttributeValues;
    assert.deepEqual(restore('tidx-pub'), ['all']);
    assert.deepEqual(restore('tidx-rdx'), ['619193117841']);
    assert.deepEqual(restore('rds:tidx-2016-12-31-23-16'), []);
  });

  test('EC2: snapshot permissions, EBS default encryption, VPC flow logs (test_ebs_snapshot_set_permissions_add, test_account_ebs_encrypt, test_vpc_flow_logs_misconfigured)', async () => {
    const snap = (await scan('test_ebs_snapshot_set_permissions_add')).resources.find((r) => r.kind === AWS_KINDS.snapshot);
    assert.deepEqual(attr(snap, 'CreateVolumePermissions'), [{ UserId: '665544332211' }]);
    const ebs = (await scan('test_account_ebs_encrypt')).resources.find((r) => r.kind === AWS_KINDS.ebsDefault);
    assert.equal(attr(ebs, 'EbsEncryptionByDefault'), false);
    const vpcs = byName(await scan('test_vpc_flow_logs_misconfigured'), AWS_KINDS.vpc);
    const statuses = (attr(vpcs.get('vpc-d0e386b7'), 'FlowLogs') as { FlowLogStatus: string }[]).map((f) => f.FlowLogStatus);
    assert.ok(statuses.includes('SOMETHINGBAD'));
  });

  test('Config recorder with its status, GuardDuty detector, Access Analyzer (test_config_recorder, test_account_guard_duty_filter, test_account_access_analyzer_filter)', async () => {
    const rec = (await scan('test_config_recorder')).resources.find((r) => r.kind === AWS_KINDS.configRecorder);
    assert.equal(attr(rec, 'recordingGroup', 'allSupported'), true);
    assert.equal(attr(rec, 'Status', 'recording'), true);
    assert.equal(attr(rec, 'Status', 'lastStatus'), 'SUCCESS');
    const gd = (await scan('test_account_guard_duty_filter')).resources.find((r) => r.kind === AWS_KINDS.guardDutyDetector);
    assert.equal(attr(gd, 'Detector', 'Status'), 'ENABLED');
    const aa = (await scan('test_account_access_analyzer_filter')).resources.find((r) => r.kind === AWS_KINDS.analyzer);
    assert.equal(attr(aa, 'status'), 'ACTIVE');
    assert.equal(attr(aa, 'type'), 'ACCOUNT');
  });

  test('progress reports every unit, ending with done = total', async () => {
    const events: { done: number; total: number; label: string }[] = [];
    await collectAws({ recordings: join(ROOT!, 'test_account_trail') }, (e) => events.push(e));
    assert.ok(events.length > 3);
    assert.ok(events.every((e, i) => e.done === i + 1 && e.total === events[0]!.total));
    assert.equal(events.at(-1)?.done, events.at(-1)?.total);
    assert.ok(events.some((e) => e.label === '644160558196 us-east-1 cloudtrail'));
  });

  test('a truncated list whose next page was never recorded is a gap, not a silent short list (test_account_config_global)', async () => {
    const res = await scan('test_account_config_global');
    const gap = res.gaps.find((g) => g.operation === 'ListRoles');
    assert.equal(gap?.reason, 'invalid-response');
    assert.deepEqual(gap?.kinds, [AWS_KINDS.role]);
    assert.equal(res.resources.filter((r) => r.kind === AWS_KINDS.role).length, 1);
  });
});
