/**
 * CloudTrail trails: VGL-AWS-036 single-region (CIS AWS 3.1), VGL-AWS-037 log file validation
 * off (3.2), VGL-AWS-038 logs not encrypted with KMS (3.5), VGL-AWS-039 no CloudWatch Logs
 * delivery, VGL-AWS-040 logging stopped. Each reads one argument of `aws_cloudtrail` and its
 * CloudFormation property; an argument left out takes AWS's default. Live blocks read the collected
 * trail (DescribeTrails, GetTrailStatus).
 */
import { bool, isObject, isUnresolved } from '../../attrs.js';
import type { FrameworkControl } from '../../frameworks.js';
import type { Resource, Violation } from '../../model.js';
import type { RuleExample } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, hipaa, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { AWS_KINDS, trail, trailArn } from './account/lib.js';
import { collected, needs, type LiveSpec } from '../shared/live.js';

const KINDS = ['tf:aws_cloudtrail', 'cfn:AWS::CloudTrail::Trail'] as const;
const REFERENCES = [`${TF_DOCS}/cloudtrail`, `${CFN_DOCS}/aws-resource-cloudtrail-trail.html`];

/** A boolean argument that must be true (`absentIs`: AWS's default when left out). */
function mustBe(attr: string, want: boolean, absentIs: boolean, message: string) {
  return (r: Resource): Violation[] => {
    const v = r.attrs[attr];
    if (isUnresolved(v)) return [];
    const value = v === undefined ? absentIs : bool(v);
    return value === want ? [] : [violation([attr], message)];
  };
}

/** An argument that must be set (a key ARN, a log group ARN). */
function mustSet(attr: string, message: string) {
  return (r: Resource): Violation[] => {
    const v = r.attrs[attr];
    return v === undefined || v === '' ? [violation([attr], message)] : [];
  };
}

const TRAIL_TF = (extra: string): RuleExample =>
  tf(`
resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = "example-trail"
${extra}}`);

interface TrailRule {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: 'high' | 'medium' | 'low';
  readonly frameworks: readonly FrameworkControl[];
  readonly remediation: string;
  readonly tfArg: string;
  readonly cfnProp: string;
  readonly tfGood: string;
  readonly cfnGood: string;
  readonly tfBad: string;
  readonly cfnBad: string;
  readonly reference: string;
  readonly check: (arg: string) => (r: Resource) => Violation[];
  readonly live: LiveSpec;
}

/**
 * The live block of a trail rule: `test` says whether a collected trail is fine (`key` is the
 * attrs key it reads, a sub-call key when `sub`); `bad` is what makes the example trail fail.
 */
function trailLive(key: string, sub: boolean, test: (v: unknown) => boolean, message: string, bad: Record<string, unknown>, cli: string, console: string): LiveSpec {
  return {
    kinds: [AWS_KINDS.trail],
    check: (r) => {
      const missing = sub ? needs(r, key) : [];
      if (missing.length > 0) return missing;
      return test(r.attrs[key]) ? [] : [violation([key], message)];
    },
    cli,
    console,
    bad: [collected('aws', [trail('bad', bad), trail('good')], [trailArn('bad')])],
    good: [collected('aws', [trail('good')])],
  };
}

const EDIT_TRAIL = 'CloudTrail → Trails → the trail → General details → Edit →';

function trailRule(t: TrailRule) {
  const badTf = TRAIL_TF(t.tfBad);
  const cfnTemplate = (prop: string): string => `
Resources:
  Trail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: example-trail
${prop}`;
  return awsRule({
    id: t.id,
    title: t.title,
    description: t.description,
    severity: t.severity,
    service: 'cloudtrail',
    kinds: [...KINDS],
    frameworks: t.frameworks,
    remediation: t.remediation,
    fix: { terraform: t.tfGood.trim(), cloudformation: t.cfnGood.trim() },
    references: [t.reference, ...REFERENCES],
    terraform: t.check(t.tfArg),
    cloudformation: t.check(t.cfnProp),
    live: t.live,
    bad: [{ ...badTf, lines: [t.tfBad === '' ? 1 : 4] }, cfn(cfnTemplate(t.cfnBad), [t.cfnBad === '' ? 4 : 6])],
    good: [TRAIL_TF(`  ${t.tfGood}\n`), cfn(cfnTemplate(`      ${t.cfnGood}\n`))],
  });
}

const LOG_FRAMEWORKS = [nist('AU-2'), nist('AU-12'), csf('DE.CM-09'), csf('PR.PS-04'), iso('A.8.15'), soc2('CC7.2'), pci('10.2.1'), hipaa('164.312(b)')];

export const trailMultiRegion = trailRule({
  id: 'VGL-AWS-036',
  title: 'CloudTrail trail is not multi-region',
  description:
    'The trail records only its home region (is_multi_region_trail defaults to false). Activity in any other region, where an attacker would start resources precisely because nobody looks, goes unrecorded (CIS AWS Foundations 3.1).',
  severity: 'high',
  frameworks: [cis('3.1'), ...LOG_FRAMEWORKS],
  remediation: 'Set is_multi_region_trail = true (IsMultiRegionTrail: true), or use an organization trail.',
  tfArg: 'is_multi_region_trail',
  cfnProp: 'IsMultiRegionTrail',
  tfGood: 'is_multi_region_trail = true',
  cfnGood: 'IsMultiRegionTrail: true',
  tfBad: '  is_multi_region_trail = false\n',
  cfnBad: '      IsMultiRegionTrail: false\n',
  reference: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html',
  check: (arg) => mustBe(arg, true, false, 'the trail records one region only'),
  live: trailLive('IsMultiRegionTrail', false, (v) => v === true, 'the trail records its home region only', { IsMultiRegionTrail: false }, 'aws cloudtrail update-trail --name <trail> --is-multi-region-trail', `${EDIT_TRAIL} enable for all regions (multi-region trail) → Save changes.`),
});

export const trailLogValidation = trailRule({
  id: 'VGL-AWS-037',
  title: 'CloudTrail log file validation disabled',
  description:
    'The trail does not write digest files, so log files deleted or altered in the bucket cannot be detected: an intruder can edit the trail that would show what they did (CIS AWS Foundations 3.2).',
  severity: 'medium',
  frameworks: [cis('3.2'), nist('AU-9'), nist('SI-7'), csf('PR.DS-01'), iso('A.8.15'), soc2('CC7.2'), pci('10.3.2'), pci('10.3.4'), hipaa('164.312(c)(1)')],
  remediation: 'Set enable_log_file_validation = true (EnableLogFileValidation: true).',
  tfArg: 'enable_log_file_validation',
  cfnProp: 'EnableLogFileValidation',
  tfGood: 'enable_log_file_validation = true',
  cfnGood: 'EnableLogFileValidation: true',
  tfBad: '',
  cfnBad: '',
  reference: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html',
  check: (arg) => mustBe(arg, true, false, 'log file validation is off: tampering with delivered logs goes unnoticed'),
  live: trailLive('LogFileValidationEnabled', false, (v) => v === true, 'log file validation is off: tampering with delivered logs goes unnoticed', { LogFileValidationEnabled: false }, 'aws cloudtrail update-trail --name <trail> --enable-log-file-validation', `${EDIT_TRAIL} Additional settings → Log file validation: Enabled → Save changes.`),
});

export const trailKmsEncryption = trailRule({
  id: 'VGL-AWS-038',
  title: 'CloudTrail logs not encrypted with a KMS key',
  description:
    'The trail sets no KMS key, so its logs get only S3-managed encryption: anyone with read access to the bucket reads the account\'s full activity history. A customer managed key adds a key policy (and its own audit trail) in front of them (CIS AWS Foundations 3.5).',
  severity: 'medium',
  frameworks: [cis('3.5'), nist('SC-28'), nist('AU-9'), csf('PR.DS-01'), iso('A.8.24'), soc2('CC6.1'), pci('10.3.2'), hipaa('164.312(a)(2)(iv)')],
  remediation: 'Set kms_key_id (KMSKeyId) to a customer managed key whose policy lets CloudTrail encrypt and only log readers decrypt.',
  tfArg: 'kms_key_id',
  cfnProp: 'KMSKeyId',
  tfGood: 'kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"',
  cfnGood: 'KMSKeyId: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  tfBad: '',
  cfnBad: '',
  reference: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html',
  check: (arg) => mustSet(arg, 'the trail logs are not encrypted with a KMS key'),
  live: trailLive('KmsKeyId', false, (v) => typeof v === 'string' && v !== '', 'the trail logs are not encrypted with a KMS key', { KmsKeyId: undefined }, 'aws cloudtrail update-trail --name <trail> --kms-key-id <key-arn>', `${EDIT_TRAIL} Log file SSE-KMS encryption: Enabled → choose the key → Save changes.`),
});

export const trailCloudWatch = trailRule({
  id: 'VGL-AWS-039',
  title: 'CloudTrail not delivering to CloudWatch Logs',
  description:
    'The trail sends no events to a CloudWatch Logs group, so the metric filters and alarms CIS AWS Foundations section 4 relies on (root use, IAM and network changes, failed sign-ins) cannot exist and events are only visible after S3 delivery.',
  severity: 'low',
  frameworks: [nist('AU-6'), nist('SI-4'), csf('DE.CM-09'), csf('DE.AE-02'), iso('A.8.16'), soc2('CC7.2'), pci('10.4.1')],
  remediation: 'Set cloud_watch_logs_group_arn and cloud_watch_logs_role_arn (CloudWatchLogsLogGroupArn, CloudWatchLogsRoleArn) and add the section 4 metric filters and alarms.',
  tfArg: 'cloud_watch_logs_group_arn',
  cfnProp: 'CloudWatchLogsLogGroupArn',
  tfGood: 'cloud_watch_logs_group_arn = "arn:aws:logs:eu-west-1:111122223333:log-group:trail:*"',
  cfnGood: 'CloudWatchLogsLogGroupArn: arn:aws:logs:eu-west-1:111122223333:log-group:trail:*',
  tfBad: '',
  cfnBad: '',
  reference: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html',
  check: (arg) => mustSet(arg, 'the trail does not deliver events to CloudWatch Logs'),
  live: trailLive('CloudWatchLogsLogGroupArn', false, (v) => typeof v === 'string' && v !== '', 'the trail does not deliver events to CloudWatch Logs', { CloudWatchLogsLogGroupArn: undefined }, 'aws cloudtrail update-trail --name <trail> --cloud-watch-logs-log-group-arn <log-group-arn> --cloud-watch-logs-role-arn <role-arn>', 'CloudTrail → Trails → the trail → CloudWatch Logs → Edit → Enabled → log group and IAM role → Save changes.'),
});

export const trailLogging = trailRule({
  id: 'VGL-AWS-040',
  title: 'CloudTrail trail logging stopped',
  description:
    'The trail exists but does not log (enable_logging = false / IsLogging: false): no API activity is recorded at all, while the trail\'s presence suggests otherwise.',
  severity: 'high',
  frameworks: [cis('3.1'), ...LOG_FRAMEWORKS],
  remediation: 'Set enable_logging = true (IsLogging: true).',
  tfArg: 'enable_logging',
  cfnProp: 'IsLogging',
  tfGood: 'enable_logging = true',
  cfnGood: 'IsLogging: true',
  tfBad: '  enable_logging = false\n',
  cfnBad: '      IsLogging: false\n',
  reference: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StopLogging.html',
  check: (arg) => mustBe(arg, true, true, 'the trail does not log'),
  live: trailLive('Status', true, (v) => !isObject(v) || v['IsLogging'] !== false, 'the trail exists but does not log (GetTrailStatus IsLogging false)', { Status: { IsLogging: false } }, 'aws cloudtrail start-logging --name <trail>', 'CloudTrail → Trails → the trail → Start logging.'),
});
