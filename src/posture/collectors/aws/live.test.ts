/**
 * The live path, for real: AWS SDK v3 clients pointed (endpoint override, static fake
 * credentials) at a local fake of the AWS HTTP APIs serving the placebo recordings in each
 * service's wire protocol. Shows that live gives the same resources and gaps as offline for the
 * same recordings (with the fake splitting lists into pages), that throttling is retried by the
 * SDK, and that denied calls, bad credentials and throttling beyond the retries become gaps.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import type { CollectResult } from '../types.js';
import { subCallGaps } from '../types.js';
import { fakeAwsClientConfig, startFakeAws } from './__fixtures__/fake-aws.js';
import type { FakeAwsOptions } from './__fixtures__/fake-aws.js';
import { inferRecordingFacts } from './api/offline.js';
import { collectAws } from './index.js';
import type { AwsCollectOptions } from './index.js';
import { ALL_AWS_KINDS, AWS_KINDS } from './kinds.js';

// The SDK warns once that future releases need Node 22; not what these tests are about.
process.removeAllListeners('warning');

const ROOT = sharedData('cloud', 'custodian-aws-placebo');
const skip = ROOT ? false : skipMessage('cloud/custodian-aws-placebo');
const CREDS = { accessKeyId: 'AKIDFAKEVIGILTEST', secretAccessKey: 'fake-secret' };

/** Deep values with object keys sorted: XML attribute order is not the recording's key order. */
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])]));
  return v;
}

function comparable(res: CollectResult): unknown {
  return canon({
    target: res.target,
    resources: res.resources.map((r) => ({ kind: r.kind, id: r.id, name: r.name, account: r.account, region: r.region, file: r.file, attrs: r.attrs, meta: r.meta })),
    gaps: res.gaps,
  });
}

async function liveAndOffline(dir: string, fake: Omit<FakeAwsOptions, 'dir'> = {}, extra: Partial<AwsCollectOptions> = {}) {
  const path = join(ROOT!, dir);
  const facts = inferRecordingFacts(path);
  const base = { accountId: facts.account, regions: [facts.region ?? 'us-east-1'] };
  const server = await startFakeAws({ dir: path, ...fake });
  try {
    const [live] = await collectAws({
      ...base,
      endpoint: server.url,
      credentials: CREDS,
      concurrency: 1,
      regionConcurrency: 1,
      retryMode: 'standard',
      maxAttempts: 4,
      clientConfig: fakeAwsClientConfig(),
      ...extra,
    });
    const [offline] = await collectAws({ ...base, recordings: path });
    return { live: live!, offline: offline!, requests: server.requests, assumed: server.assumed };
  } finally {
    await server.close();
  }
}

const DIRS = [
  'test_s3_check_public_block',
  'test_s3_grants',
  'test_s3_encryption_audit',
  'test_s3_normalize',
  'test_s3_ownership_defined',
  'test_account_action_s3_public_block',
  'test_account_credential_report',
  'test_iam_user_unused_keys_report_in_progress',
  'test_iam_mfa_filter',
  'test_iam_policy_allow_all',
  'test_iam_group_has_inline_policy',
  'test_account_password_policy_update',
  'test_account_missing_password_policy',
  'test_account_root_mfa',
  'test_security_group_used',
  'test_ebs_volume_snapshots_filter',
  'test_ebs_snapshot_set_permissions_add',
  'test_account_ebs_encrypt',
  'test_vpc_flow_logs',
  'test_ebs_modifyable_filter',
  'test_rds_snapshot_access',
  'test_rds_retention',
  'test_cloudtrail_event_selectors',
  'test_cloudtrail_success_log_metric_filter',
  'test_cloudtrail_success_management_advanced_events_included',
  'test_kms_access_denied',
  'test_kms_remove_matched',
  'test_config_recorder',
  'test_account_guard_duty_filter',
  'test_account_access_analyzer_filter',
];

describe('live AWS SDK clients against the local fake serving the recordings', { skip }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'vigil-aws-live-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  test('live gives the same resources and gaps as offline, every list split into pages of one', async () => {
    let paged = 0;
    for (const dir of DIRS) {
      const { live, offline, requests } = await liveAndOffline(dir, { pageSize: 1 });
      assert.deepEqual(comparable(live), comparable(offline), dir);
      assert.ok(live.stats.calls > 0);
      const lists = requests.filter((r) => /\.(ListBuckets|ListUsers|ListPolicies|ListGroups|DescribeSecurityGroups|DescribeVolumes|DescribeDBSnapshots|ListKeys|DescribeFlowLogs|DescribeVpcs|ListMFADevices)$/.test(r.id));
      if (lists.length > new Set(lists.map((r) => r.id)).size) paged++;
    }
    assert.ok(paged >= 10, `pagination ran in ${paged} directories`);
  });

  test('parallel calls (no ordering) over a recording whose answers do not depend on order', async () => {
    const { live, offline } = await liveAndOffline('test_cloudtrail_success_log_metric_filter', {}, { concurrency: 8, regionConcurrency: 4 });
    assert.deepEqual(comparable(live), comparable(offline));
  });

  test('throttling is retried by the SDK with backoff, and the result is the same', async () => {
    const { live, offline, requests } = await liveAndOffline('test_s3_grants', { throttle: 3 });
    assert.deepEqual(comparable(live), comparable(offline));
    // Three throttled answers, then the same call again: the SDK retried it (the fourth answer is the recording's).
    assert.deepEqual(requests.slice(0, 4).map((r) => r.id), ['sts.GetCallerIdentity', 'sts.GetCallerIdentity', 'sts.GetCallerIdentity', 'sts.GetCallerIdentity']);
    assert.equal(requests.filter((r) => r.id === 'sts.GetCallerIdentity').length, 4);
    assert.ok(live.stats.retries >= 3, `retries ${live.stats.retries}`);
  });

  test('throttling that outlasts the retries is a gap naming every kind, not a crash', async () => {
    const { live } = await liveAndOffline('test_s3_grants', { throttle: 100 }, { maxAttempts: 2 });
    assert.equal(live.resources.length, 0);
    assert.equal(live.gaps.length, 1);
    assert.equal(live.gaps[0]?.reason, 'throttled');
    assert.equal(live.gaps[0]?.message, 'Throttling: Rate exceeded');
    assert.deepEqual(live.gaps[0]?.kinds, ALL_AWS_KINDS);
  });

  test('AccessDenied on a list is a CollectionGap; on a per-resource call a SubCallGap; the rest goes on', async () => {
    const deny = (id: string): string | undefined => (id === 's3.GetBucketAcl' || id === 'iam.GetAccountSummary' || id === 'ec2.DescribeSecurityGroups' ? 'AccessDenied' : undefined);
    const { live } = await liveAndOffline('test_s3_grants', { deny });
    const bucket = live.resources.find((r) => r.kind === AWS_KINDS.bucket)!;
    assert.equal(subCallGaps(bucket)['Acl']?.reason, 'access-denied');
    assert.match(subCallGaps(bucket)['Acl']?.message ?? '', /^AccessDenied: User is not authorized to perform s3:GetBucketAcl/);
    const summary = live.gaps.find((g) => g.operation === 'GetAccountSummary');
    assert.equal(summary?.reason, 'access-denied');
    assert.deepEqual(summary?.kinds, [AWS_KINDS.accountSummary]);
    const sgs = live.gaps.find((g) => g.operation === 'DescribeSecurityGroups');
    assert.equal(sgs?.reason, 'access-denied');
    assert.match(sgs?.message ?? '', /^UnauthorizedOperation/);
    assert.equal(sgs?.region, 'us-east-1');
  });

  test('bad credentials: one gap for the target with every kind, the reason and no secret', async () => {
    const { live } = await liveAndOffline('test_s3_grants', { deny: (id) => (id === 'sts.GetCallerIdentity' ? 'InvalidClientTokenId' : undefined) });
    assert.equal(live.target.id, 'default credentials');
    assert.equal(live.gaps[0]?.reason, 'bad-credentials');
    assert.doesNotMatch(JSON.stringify(live), /fake-secret|AKIDFAKEVIGILTEST/);
  });

  test('assume-role into two accounts: one result per account, external id sent, calls signed with the assumed keys', async () => {
    const path = join(ROOT!, 'test_s3_grants');
    const server = await startFakeAws({ dir: path });
    try {
      const results = await collectAws({
        endpoint: server.url,
        credentials: CREDS,
        roles: [{ arn: 'arn:aws:iam::111111111111:role/audit', externalId: 'ext-1' }, { arn: 'arn:aws:iam::222222222222:role/audit' }],
        regions: ['us-east-1'],
        concurrency: 1,
        regionConcurrency: 1,
        accountConcurrency: 1,
        retryMode: 'standard',
        clientConfig: fakeAwsClientConfig(),
      });
      assert.deepEqual(results.map((r) => r.target.id), ['111111111111', '222222222222']);
      assert.deepEqual(server.assumed.map((a) => [a.roleArn, a.externalId]), [
        ['arn:aws:iam::111111111111:role/audit', 'ext-1'],
        ['arn:aws:iam::222222222222:role/audit', undefined],
      ]);
      const keys = new Set(server.requests.filter((r) => r.id !== 'sts.AssumeRole').map((r) => r.accessKeyId));
      assert.deepEqual([...keys].sort(), server.assumed.map((a) => a.accessKeyId).sort());
      assert.ok(results.every((r) => r.resources.some((x) => x.kind === AWS_KINDS.bucket && x.account === r.target.id)));
    } finally {
      await server.close();
    }
  });

  test('regions: every enabled region from DescribeRegions is scanned, opted-out ones are not, a named one that is off is a gap', async () => {
    const dir = mkdtempSync(join(scratch, 'regions-'));
    const ok = (data: unknown): string => JSON.stringify({ status_code: 200, data });
    writeFileSync(join(dir, 'sts.GetCallerIdentity_1.json'), ok({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/audit', UserId: 'AIDAFAKE' }));
    writeFileSync(
      join(dir, 'ec2.DescribeRegions_1.json'),
      ok({
        Regions: [
          { RegionName: 'us-east-1', Endpoint: 'ec2.us-east-1.amazonaws.com', OptInStatus: 'opt-in-not-required' },
          { RegionName: 'eu-west-1', Endpoint: 'ec2.eu-west-1.amazonaws.com', OptInStatus: 'opt-in-not-required' },
          { RegionName: 'af-south-1', Endpoint: 'ec2.af-south-1.amazonaws.com', OptInStatus: 'not-opted-in' },
        ],
      }),
    );
    writeFileSync(join(dir, 'ec2.GetEbsEncryptionByDefault_1.json'), ok({ EbsEncryptionByDefault: true }));
    const server = await startFakeAws({ dir });
    try {
      const common = { endpoint: server.url, credentials: CREDS, retryMode: 'standard' as const, clientConfig: fakeAwsClientConfig(), services: ['ec2' as const] };
      const [all] = await collectAws(common);
      assert.deepEqual(all!.target.regions, ['us-east-1', 'eu-west-1']);
      assert.deepEqual(all!.resources.filter((r) => r.kind === AWS_KINDS.ebsDefault).map((r) => [r.region, r.attrs['EbsEncryptionByDefault']]).sort(), [
        ['eu-west-1', true],
        ['us-east-1', true],
      ]);
      assert.deepEqual([...new Set(server.requests.filter((r) => r.id === 'ec2.DescribeVpcs').map((r) => r.region))].sort(), ['eu-west-1', 'us-east-1']);
      assert.deepEqual(all!.resources.filter((r) => r.kind === AWS_KINDS.region).map((r) => r.name).sort(), ['eu-west-1', 'us-east-1']);
      const [named] = await collectAws({ ...common, regions: ['eu-west-1', 'af-south-1', 'not a region'] });
      assert.deepEqual(named!.target.regions, ['eu-west-1']);
      const off = named!.gaps.find((g) => g.region === 'af-south-1');
      assert.equal(off?.reason, 'not-enabled');
      assert.ok(named!.gaps.some((g) => g.message.includes('not a region')));
    } finally {
      await server.close();
    }
  });

  test('a named profile: read from the shared files; an unknown profile is a bad-credentials gap', async () => {
    const config = join(scratch, 'config');
    const credentials = join(scratch, 'credentials');
    writeFileSync(config, '[profile audit]\nregion = us-east-1\n');
    writeFileSync(credentials, `[audit]\naws_access_key_id = AKIDPROFILEAUDIT\naws_secret_access_key = profile-secret\n`);
    const saved = { c: process.env['AWS_CONFIG_FILE'], k: process.env['AWS_SHARED_CREDENTIALS_FILE'] };
    process.env['AWS_CONFIG_FILE'] = config;
    process.env['AWS_SHARED_CREDENTIALS_FILE'] = credentials;
    const server = await startFakeAws({ dir: join(ROOT!, 'test_s3_grants') });
    try {
      const common = { endpoint: server.url, regions: ['us-east-1'], accountId: '123456789012', retryMode: 'standard' as const, clientConfig: fakeAwsClientConfig(), services: ['s3' as const] };
      const [ok] = await collectAws({ ...common, profile: 'audit' });
      assert.ok(ok!.resources.some((r) => r.kind === AWS_KINDS.bucket));
      assert.ok(server.requests.every((r) => r.accessKeyId === 'AKIDPROFILEAUDIT'));
      const [missing] = await collectAws({ ...common, profile: 'no-such-profile' });
      assert.equal(missing!.target.id, 'profile no-such-profile');
      assert.equal(missing!.gaps[0]?.reason, 'bad-credentials');
      assert.deepEqual(missing!.gaps[0]?.kinds, ALL_AWS_KINDS);
    } finally {
      await server.close();
      for (const [k, v] of [['AWS_CONFIG_FILE', saved.c], ['AWS_SHARED_CREDENTIALS_FILE', saved.k]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  test('a recordings directory that does not exist is a gap for every kind', async () => {
    const [res] = await collectAws({ recordings: join(scratch, 'absent') });
    assert.equal(res!.gaps[0]?.reason, 'error');
    assert.deepEqual(res!.gaps[0]?.kinds, ALL_AWS_KINDS);
  });
});
