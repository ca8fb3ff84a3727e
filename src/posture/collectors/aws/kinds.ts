/**
 * The resource kinds the AWS collector produces (docs/collectors/aws.md documents each one and
 * its attrs keys; a test keeps the two in step). CloudFormation type names where AWS has one;
 * account- and region-level settings without one get a Vigil name in the same style.
 */
import type { ResourceKind } from '../../model.js';

export const AWS_KINDS = {
  account: 'aws:AWS::Account',
  region: 'aws:AWS::EC2::Region',
  bucket: 'aws:AWS::S3::Bucket',
  accountPublicAccessBlock: 'aws:AWS::S3::AccountPublicAccessBlock',
  user: 'aws:AWS::IAM::User',
  rootUser: 'aws:AWS::IAM::RootUser',
  group: 'aws:AWS::IAM::Group',
  role: 'aws:AWS::IAM::Role',
  managedPolicy: 'aws:AWS::IAM::ManagedPolicy',
  passwordPolicy: 'aws:AWS::IAM::AccountPasswordPolicy',
  accountSummary: 'aws:AWS::IAM::AccountSummary',
  securityGroup: 'aws:AWS::EC2::SecurityGroup',
  volume: 'aws:AWS::EC2::Volume',
  ebsDefault: 'aws:AWS::EC2::EbsEncryptionByDefault',
  snapshot: 'aws:AWS::EC2::Snapshot',
  instance: 'aws:AWS::EC2::Instance',
  vpc: 'aws:AWS::EC2::VPC',
  networkAcl: 'aws:AWS::EC2::NetworkAcl',
  dbInstance: 'aws:AWS::RDS::DBInstance',
  dbSnapshot: 'aws:AWS::RDS::DBSnapshot',
  trail: 'aws:AWS::CloudTrail::Trail',
  kmsKey: 'aws:AWS::KMS::Key',
  metricFilter: 'aws:AWS::Logs::MetricFilter',
  snsTopic: 'aws:AWS::SNS::Topic',
  configRecorder: 'aws:AWS::Config::ConfigurationRecorder',
  deliveryChannel: 'aws:AWS::Config::DeliveryChannel',
  guardDutyDetector: 'aws:AWS::GuardDuty::Detector',
  analyzer: 'aws:AWS::AccessAnalyzer::Analyzer',
  securityHub: 'aws:AWS::SecurityHub::Hub',
} as const satisfies Record<string, ResourceKind>;

export type AwsKindName = keyof typeof AWS_KINDS;
export type AwsKind = (typeof AWS_KINDS)[AwsKindName];

export const ALL_AWS_KINDS: readonly AwsKind[] = Object.values(AWS_KINDS);

/** Kinds that exist once per account (collected in the partition's global region). */
export const GLOBAL_KINDS: readonly AwsKind[] = [
  AWS_KINDS.account,
  AWS_KINDS.bucket,
  AWS_KINDS.accountPublicAccessBlock,
  AWS_KINDS.user,
  AWS_KINDS.rootUser,
  AWS_KINDS.group,
  AWS_KINDS.role,
  AWS_KINDS.managedPolicy,
  AWS_KINDS.passwordPolicy,
  AWS_KINDS.accountSummary,
];

export const REGIONAL_KINDS: readonly AwsKind[] = ALL_AWS_KINDS.filter((k) => !GLOBAL_KINDS.includes(k));
