/**
 * The identity, S3, logging, monitoring and security-service rules over cloud-custodian's real
 * placebo recordings (../shared/data/cloud/custodian-aws-placebo): the collector replays a
 * directory offline, the AWS rules run on what it gives, and the findings match what the
 * recorded answers say. Each expectation names the recording and the recorded fact behind it.
 */
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { findingKeys, has, hasNot, passes } from '../../../../../test/helpers/posture-corpus.js';
import { sharedData, skipMessage } from '../../../../../test/helpers/shared.js';
import { collectAws } from '../../../collectors/aws/index.js';
import { awsRules } from '../index.js';

const ROOT = sharedData('cloud', 'custodian-aws-placebo');
const skip = ROOT ? false : skipMessage('cloud/custodian-aws-placebo');

/** `ruleId status resource-name` for every finding of one recording. */
async function findings(dir: string): Promise<Set<string>> {
  return findingKeys((await collectAws({ recordings: join(ROOT!, dir) }))[0], awsRules, dir);
}

describe('identity, S3, logging and monitoring rules over the custodian placebo recordings', { skip }, () => {
  test('test_account_credential_report (report of 2017-02-22): console users without MFA, stale and duplicate keys; root is clean', async () => {
    const dir = 'test_account_credential_report';
    const f = await findings(dir);
    // andrew: password_enabled true, mfa_active false; anthony has MFA.
    has(f, 'VGL-AWS-211 fail andrew', dir);
    passes(f, 'VGL-AWS-211', 'anthony', dir);
    // andrew: both keys active (1 rotated 2016-10-11 and never used, 2 rotated 2016-08-30).
    has(f, 'VGL-AWS-215 fail andrew', dir);
    has(f, 'VGL-AWS-214 fail andrew', dir);
    has(f, 'VGL-AWS-216 fail andrew', dir);
    // c7n-test has no active key and no password.
    passes(f, 'VGL-AWS-213', 'c7n-test', dir);
    passes(f, 'VGL-AWS-212', 'c7n-test', dir);
    // christopher's first row: password never used (no_information), set 2016-08-30.
    has(f, 'VGL-AWS-212 fail christopher', dir);
    // root: mfa_active true, no keys, password last used 2016-10-06 (139 days before the report).
    for (const rule of ['VGL-AWS-200', 'VGL-AWS-201', 'VGL-AWS-203', 'VGL-AWS-204']) passes(f, rule, 'root', dir);
    // ListVirtualMFADevices is not recorded: the hardware-MFA question stays open.
    has(f, 'VGL-AWS-202 not-assessed root', dir);
  });

  test('test_iam_user_console_old (report of 2016-11-25): root signed in 49 days before the report (CIS 1.7)', async () => {
    const dir = 'test_iam_user_console_old';
    const f = await findings(dir);
    has(f, 'VGL-AWS-203 fail root', dir);
    // kapil's key 1 was rotated 2016-06-25: 153 days old.
    has(f, 'VGL-AWS-214 fail kapil', dir);
  });

  test('test_account_password_policy_update: MinimumPasswordLength 10, no character classes, no reuse prevention, no expiry', async () => {
    const dir = 'test_account_password_policy_update';
    const f = await findings(dir);
    for (const rule of ['VGL-AWS-016', 'VGL-AWS-017', 'VGL-AWS-018', 'VGL-AWS-206', 'VGL-AWS-207', 'VGL-AWS-208', 'VGL-AWS-209', 'VGL-AWS-210']) {
      has(f, `${rule} fail account password policy`, dir);
    }
  });

  test('test_account_missing_password_policy: NoSuchEntity means no policy, which fails the length rule', async () => {
    const dir = 'test_account_missing_password_policy';
    has(await findings(dir), 'VGL-AWS-016 fail account password policy', dir);
  });

  test('test_s3_grants: the ACL grants AllUsers WRITE, not READ', async () => {
    const dir = 'test_s3_grants';
    const f = await findings(dir);
    has(f, 'VGL-AWS-002 fail custodian-testing-grants', dir);
    hasNot(f, 'VGL-AWS-001 fail custodian-testing-grants', dir);
  });

  test('test_s3_check_public_block: no block, a partial block, and a denied read', async () => {
    const dir = 'test_s3_check_public_block';
    const f = await findings(dir);
    has(f, 'VGL-AWS-004 fail 644160558196-us-east-1-s3-logs', dir);
    has(f, 'VGL-AWS-004 fail 644160558196-us-east-2-s3-logs', dir);
    has(f, 'VGL-AWS-004 not-assessed my-locked-down-bucket', dir);
    hasNot(f, 'VGL-AWS-004 fail my-locked-down-bucket', dir);
  });

  test('test_s3_encryption_audit: aws:kms passes, AES256 and no configuration fail the KMS rule', async () => {
    const dir = 'test_s3_encryption_audit';
    const f = await findings(dir);
    passes(f, 'VGL-AWS-005', 'c7n-aws-s3-encryption-audit-test-a', dir);
    has(f, 'VGL-AWS-005 fail c7n-aws-s3-encryption-audit-test-b', dir);
    has(f, 'VGL-AWS-005 fail c7n-aws-s3-encryption-audit-test-c', dir);
  });

  test('test_s3_has_statement: hazmat-audit-logs lets account 113285607260 write; no policy denies plain HTTP', async () => {
    const dir = 'test_s3_has_statement';
    const f = await findings(dir);
    has(f, 'VGL-AWS-243 fail hazmat-audit-logs', dir);
    hasNot(f, 'VGL-AWS-243 fail custodian-policy-test', dir);
    has(f, 'VGL-AWS-008 fail cf-templates-nyrabrca5x2n-us-east-1', dir);
    hasNot(f, 'VGL-AWS-003 fail custodian-policy-test1', dir);
  });

  test('test_account_trail: a multi-region, validated, KMS-encrypted trail without CloudWatch Logs', async () => {
    const dir = 'test_account_trail';
    const f = await findings(dir);
    has(f, 'VGL-AWS-039 fail skunk-trails', dir);
    for (const rule of ['VGL-AWS-036', 'VGL-AWS-037', 'VGL-AWS-038', 'VGL-AWS-040']) passes(f, rule, 'skunk-trails', dir);
  });

  test('test_cloudtrail_fail_include_management_events: read-only management events, data events for one bucket only', async () => {
    const dir = 'test_cloudtrail_fail_include_management_events';
    const f = await findings(dir);
    has(f, 'VGL-AWS-250 fail 644160558196', dir);
    has(f, 'VGL-AWS-252 fail 644160558196', dir);
    has(f, 'VGL-AWS-253 fail 644160558196', dir);
  });

  test('test_cloudtrail_success_management_advanced_events_included: an advanced Management selector logs reads and writes', async () => {
    const dir = 'test_cloudtrail_success_management_advanced_events_included';
    const f = await findings(dir);
    passes(f, 'VGL-AWS-250', 'foo', dir);
    has(f, 'VGL-AWS-252 fail foo', dir);
  });

  test('CIS 4.2 console sign-in without MFA: filter + alarm + subscribed topic passes, no alarm fails', async () => {
    const ok = 'test_cloudtrail_success_log_metric_filter';
    const okF = await findings(ok);
    passes(okF, 'VGL-AWS-271', 'foo', ok);
    has(okF, 'VGL-AWS-270 fail foo', ok);
    const bad = 'test_cloudtrail_fail_log_metric_filter_no_alarm';
    has(await findings(bad), 'VGL-AWS-271 fail 644160558196', bad);
  });

  test('CIS 4.6 console authentication failures: the full pattern passes, one without eventName = ConsoleLogin fails', async () => {
    const ok = 'test_cloudtrail_success_regex_log_metric_filter';
    passes(await findings(ok), 'VGL-AWS-275', 'foo', ok);
    const bad = 'test_cloudtrail_fail_regex_log_metric_filter';
    has(await findings(bad), 'VGL-AWS-275 fail foo', bad);
  });

  test('test_config_recorder: all supported types, recording, with a delivery channel', async () => {
    const dir = 'test_config_recorder';
    const f = await findings(dir);
    passes(f, 'VGL-AWS-045', 'default', dir);
    passes(f, 'VGL-AWS-286', 'default', dir);
    passes(f, 'VGL-AWS-285', 'us-east-1', dir);
  });

  test('test_account_guard_duty_filter: an ENABLED detector; test_account_access_analyzer_filter: an ACTIVE analyzer', async () => {
    const gd = 'test_account_guard_duty_filter';
    passes(await findings(gd), 'VGL-AWS-288', 'us-east-1', gd);
    const aa = 'test_account_access_analyzer_filter';
    passes(await findings(aa), 'VGL-AWS-220', 'us-east-1', aa);
    // Nothing recorded for GuardDuty there: not assessed, never "off".
    has(await findings(aa), 'VGL-AWS-288 not-assessed us-east-1', aa);
  });

  test('test_kms_remove_matched: the key policy has a "Public" statement with Principal "*"', async () => {
    const dir = 'test_kms_remove_matched';
    has(await findings(dir), 'VGL-AWS-042 fail c2044457-1f72-4b12-8685-423806b80ec0', dir);
  });

  test('test_iam_policy_allow_all: MyAdminPolicy ("*" on "*") has no attachment; attached ones replay the same document', async () => {
    const dir = 'test_iam_policy_allow_all';
    const f = await findings(dir);
    has(f, 'VGL-AWS-222 fail MyAdminPolicy', dir);
    hasNot(f, 'VGL-AWS-010 fail MyAdminPolicy', dir);
    has(f, 'VGL-AWS-010 fail S3OpsAccess', dir);
  });

  test('test_iam_role_has_specific_managed_policy: AdministratorAccess attached to a role; no AWSSupportAccess anywhere', async () => {
    const dir = 'test_iam_role_has_specific_managed_policy';
    const f = await findings(dir);
    has(f, 'VGL-AWS-218 fail lambda_basic_execution', dir);
    has(f, 'VGL-AWS-219 fail 644160558196', dir);
  });

  test('test_iam_user_has_inline_policy: kapil has an inline policy', async () => {
    const dir = 'test_iam_user_has_inline_policy';
    has(await findings(dir), 'VGL-AWS-014 fail kapil', dir);
  });
});
