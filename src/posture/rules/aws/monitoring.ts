/**
 * Account-level detection: VGL-AWS-044 VPC without flow logs (CIS AWS 3.7), VGL-AWS-045 AWS
 * Config not recording every resource type (3.3), VGL-AWS-046 GuardDuty detector disabled.
 */
import { at, blocks, bool, isUnresolved, str } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, hipaa, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { linked, tfPointsAt } from './lib/links.js';
import { AWS_KINDS, detector, detectorArn, recorder, recorderArn } from './account/lib.js';
import { collected, needs } from '../shared/live.js';
import { vpcFlowLogsLive } from './network/sg-vpc.js';

// VGL-AWS-044 ----------------------------------------------------------------------------------

const NO_FLOW_LOG = 'no flow log records this VPC\'s traffic';

export const vpcFlowLogs = awsRule({
  id: 'VGL-AWS-044',
  title: 'VPC flow logs not enabled',
  description:
    'No flow log is attached to the VPC, so accepted and rejected connections (exfiltration, scanning, lateral movement) leave no record to investigate (CIS AWS Foundations 3.7).',
  severity: 'medium',
  service: 'vpc',
  kinds: ['tf:aws_vpc', 'cfn:AWS::EC2::VPC'],
  frameworks: [cis('3.7'), nist('AU-12'), nist('SI-4'), csf('DE.CM-01'), iso('A.8.15'), iso('A.8.16'), soc2('CC7.2'), pci('10.2.1'), hipaa('164.312(b)')],
  remediation: 'Attach a flow log (at least REJECT traffic, ideally ALL) delivering to CloudWatch Logs or S3.',
  fix: {
    terraform: 'resource "aws_flow_log" "main" {\n  vpc_id               = aws_vpc.main.id\n  traffic_type         = "ALL"\n  log_destination_type = "s3"\n  log_destination      = aws_s3_bucket.flow_logs.arn\n}',
    cloudformation: 'FlowLog:\n  Type: AWS::EC2::FlowLog\n  Properties:\n    ResourceId: !Ref Vpc\n    ResourceType: VPC\n    TrafficType: ALL\n    LogDestinationType: s3\n    LogDestination: !GetAtt FlowLogBucket.Arn',
  },
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html', `${TF_DOCS}/flow_log`, `${CFN_DOCS}/aws-resource-ec2-flowlog.html`],
  terraform: (r, ctx) => (linked(ctx, r, 'tf:aws_flow_log', 'vpc_id', ['id']).length > 0 ? [] : [violation([], NO_FLOW_LOG)]),
  cloudformation: (r, ctx) => (linked(ctx, r, 'cfn:AWS::EC2::FlowLog', 'ResourceId').length > 0 ? [] : [violation([], NO_FLOW_LOG)]),
  live: vpcFlowLogsLive,
  bad: [
    tf(`
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}`, [1]),
    cfn(`
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
`, [4]),
  ],
  good: [
    tf(`
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_flow_log" "main" {
  vpc_id               = aws_vpc.main.id
  traffic_type         = "ALL"
  log_destination_type = "s3"
  log_destination      = "arn:aws:s3:::example-flow-logs"
}`),
    cfn(`
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  FlowLog:
    Type: AWS::EC2::FlowLog
    Properties:
      ResourceId: !Ref Vpc
      ResourceType: VPC
      TrafficType: ALL
      LogDestinationType: s3
      LogDestination: arn:aws:s3:::example-flow-logs
`),
  ],
});

// VGL-AWS-045 ----------------------------------------------------------------------------------

/** `recording_group { all_supported = false }` (or a CloudFormation RecordingGroup with AllSupported false). */
function partialRecording(group: unknown, allSupported: string): boolean {
  const g = blocks(group)[0];
  if (g === undefined) return false;
  const v = g[allSupported];
  return v !== undefined && !isUnresolved(v) && bool(v) === false;
}

function recorderOf(status: Resource, ctx: RuleContext): Resource | undefined {
  return ctx.byKind('tf:aws_config_configuration_recorder').find((rec) => tfPointsAt(status.attrs['name'], rec, status, ['name']));
}

/** The recording (status) is the subject: it must be on, for a recorder that records every supported type. */
function configTf(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind === 'tf:aws_config_configuration_recorder') {
    const started = ctx.byKind('tf:aws_config_configuration_recorder_status').some((s) => recorderOf(s, ctx) === r);
    return started ? [] : [violation([], 'no aws_config_configuration_recorder_status starts this recorder: nothing is recorded')];
  }
  const enabled = r.attrs['is_enabled'];
  if (!isUnresolved(enabled) && bool(enabled) !== true) return [violation(['is_enabled'], 'the configuration recorder is stopped')];
  const recorder = recorderOf(r, ctx);
  if (recorder !== undefined && partialRecording(recorder.attrs['recording_group'], 'all_supported')) {
    return [violation(['name'], `the recorder ${recorder.id} records selected resource types only (all_supported = false)`)];
  }
  return [];
}

function configCfn(r: Resource): Violation[] {
  if (!partialRecording(r.attrs['RecordingGroup'], 'AllSupported')) return [];
  return [violation(['RecordingGroup', 'AllSupported'], 'the recorder records selected resource types only')];
}

function configLive(r: Resource): Violation[] {
  if (at(r.attrs, ['recordingGroup', 'allSupported']) === false) {
    return [violation(['recordingGroup', 'allSupported'], 'the recorder records selected resource types only')];
  }
  const missing = needs(r, 'Status');
  if (missing.length > 0) return missing;
  const status = r.attrs['Status'];
  if (status === undefined) return [];
  if (status === null || at(status, ['recording']) !== true) return [violation(['Status', 'recording'], 'the configuration recorder is not recording')];
  const last = str(at(status, ['lastStatus']));
  return last?.toUpperCase() === 'FAILURE' ? [violation(['Status', 'lastStatus'], `the recorder's last recording attempt failed (${str(at(status, ['lastErrorCode'])) ?? 'no error code'})`)] : [];
}

export const configRecorder = awsRule({
  id: 'VGL-AWS-045',
  title: 'AWS Config not recording all resources',
  description:
    'The AWS Config recorder is stopped, never started (no recorder status), or records only selected resource types. Configuration history and the compliance rules built on it then miss resources (CIS AWS Foundations 3.3).',
  severity: 'medium',
  service: 'config',
  kinds: ['tf:aws_config_configuration_recorder', 'tf:aws_config_configuration_recorder_status', 'cfn:AWS::Config::ConfigurationRecorder'],
  frameworks: [cis('3.3'), nist('CM-8'), nist('CM-3'), csf('ID.AM-08'), csf('DE.CM-09'), iso('A.8.9'), soc2('CC7.1'), pci('10.2.1')],
  remediation: 'Record all supported resource types (recording_group { all_supported = true }) and start the recorder (is_enabled = true).',
  fix: {
    terraform:
      'resource "aws_config_configuration_recorder" "main" {\n  name     = "main"\n  role_arn = aws_iam_role.config.arn\n  recording_group {\n    all_supported                 = true\n    include_global_resource_types = true\n  }\n}\n\nresource "aws_config_configuration_recorder_status" "main" {\n  name       = aws_config_configuration_recorder.main.name\n  is_enabled = true\n  depends_on = [aws_config_delivery_channel.main]\n}',
    cloudformation: 'RecordingGroup:\n  AllSupported: true\n  IncludeGlobalResourceTypes: true',
  },
  references: ['https://docs.aws.amazon.com/config/latest/developerguide/stop-start-recorder.html', `${TF_DOCS}/config_configuration_recorder_status`, `${CFN_DOCS}/aws-resource-config-configurationrecorder.html`],
  terraform: configTf,
  cloudformation: configCfn,
  live: {
    kinds: [AWS_KINDS.configRecorder],
    check: configLive,
    cli: 'aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<role-arn> --recording-group allSupported=true,includeGlobalResourceTypes=true --region <region> && aws configservice start-configuration-recorder --configuration-recorder-name default --region <region>',
    console: 'AWS Config (in the region) → Settings → Edit → Record all resource types → Save; then Start recording.',
    bad: [
      collected('aws', [recorder({ Status: { name: 'default', recording: false, lastStatus: 'SUCCESS' } })], [recorderArn()]),
      collected('aws', [recorder({ recordingGroup: { allSupported: false, resourceTypes: ['AWS::S3::Bucket'] } }, 'us-east-1'), recorder({}, 'eu-west-1')], [recorderArn('us-east-1')]),
    ],
    good: [collected('aws', [recorder()])],
  },
  bad: [
    tf(`
resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/config"
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = false
}`, [8]),
    cfn(`
Resources:
  Recorder:
    Type: AWS::Config::ConfigurationRecorder
    Properties:
      RoleARN: arn:aws:iam::111122223333:role/config
      RecordingGroup:
        AllSupported: false
        ResourceTypes: [AWS::S3::Bucket]
`, [7]),
  ],
  good: [
    tf(`
resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/config"
  recording_group {
    all_supported = true
  }
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = true
}`),
    cfn(`
Resources:
  Recorder:
    Type: AWS::Config::ConfigurationRecorder
    Properties:
      RoleARN: arn:aws:iam::111122223333:role/config
      RecordingGroup:
        AllSupported: true
`),
  ],
});

// VGL-AWS-046 ----------------------------------------------------------------------------------

function detectorFlag(attr: string) {
  return (r: Resource): Violation[] => {
    const v = r.attrs[attr];
    return v !== undefined && !isUnresolved(v) && bool(v) === false ? [violation([attr], 'the GuardDuty detector is disabled')] : [];
  };
}

export const guardDutyEnabled = awsRule({
  id: 'VGL-AWS-046',
  title: 'GuardDuty detector disabled',
  description:
    'The GuardDuty detector is created with enable = false: no threat detection runs on CloudTrail, VPC flow and DNS logs (credential exfiltration, crypto-mining, reconnaissance go unnoticed).',
  severity: 'medium',
  service: 'guardduty',
  kinds: ['tf:aws_guardduty_detector', 'cfn:AWS::GuardDuty::Detector'],
  frameworks: [nist('SI-4'), nist('RA-5'), csf('DE.CM-01'), csf('DE.AE-02'), iso('A.8.16'), iso('A.8.7'), soc2('CC7.2'), pci('11.5.1')],
  remediation: 'Set enable = true (Enable: true) in every region, ideally through the organisation\'s delegated administrator.',
  fix: { terraform: 'enable = true', cloudformation: 'Enable: true' },
  references: ['https://docs.aws.amazon.com/guardduty/latest/ug/what-is-guardduty.html', `${TF_DOCS}/guardduty_detector`, `${CFN_DOCS}/aws-resource-guardduty-detector.html`],
  terraform: detectorFlag('enable'),
  cloudformation: detectorFlag('Enable'),
  live: {
    kinds: [AWS_KINDS.guardDutyDetector],
    check: (r) => {
      const missing = needs(r, 'Detector');
      if (missing.length > 0) return missing;
      const status = str(at(r.attrs, ['Detector', 'Status']));
      return status !== undefined && status !== 'ENABLED' ? [violation(['Detector', 'Status'], `the GuardDuty detector is ${status}`)] : [];
    },
    cli: 'aws guardduty update-detector --detector-id <detector-id> --enable --region <region>',
    console: 'GuardDuty (in the region) → Settings → Suspend / Enable GuardDuty → Enable.',
    bad: [collected('aws', [detector('off', 'DISABLED'), detector('on', 'ENABLED', 'us-east-1')], [detectorArn('off')])],
    good: [collected('aws', [detector('on', 'ENABLED')])],
  },
  bad: [
    tf(`
resource "aws_guardduty_detector" "main" {
  enable = false
}`, [2]),
    cfn(`
Resources:
  Detector:
    Type: AWS::GuardDuty::Detector
    Properties:
      Enable: false
`, [5]),
  ],
  good: [
    tf(`
resource "aws_guardduty_detector" "main" {
  enable = true
}`),
    cfn(`
Resources:
  Detector:
    Type: AWS::GuardDuty::Detector
    Properties:
      Enable: true
`),
  ],
});

