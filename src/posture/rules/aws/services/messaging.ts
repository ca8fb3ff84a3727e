/**
 * Messaging and streaming: SNS, SQS, Kinesis and MSK encryption, SQS/SNS policies open to
 * anyone, and MSK broker logs.
 */
import { at, isObject } from '../../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../../model.js';
import { violation, type RuleContext } from '../../../rule.js';
import { allowsAnyone, policyStatements } from '../lib/policy.js';
import { firstBlock, flag, isAbsent, isEmpty, lower, requireSet, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, TF_DOCS, tf } from './lib/define.js';

export const snsEncryption = awsRule({
  id: 'VGL-AWS-168',
  title: 'SNS topic is not encrypted',
  description: 'Messages published to the topic are stored unencrypted until delivered; server-side encryption with KMS protects them at rest and puts access under a key policy.',
  severity: 'medium',
  service: 'sns',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Set kms_master_key_id / KmsMasterKeyId (a customer managed key, or alias/aws/sns).',
  references: [`${TF_DOCS}sns_topic#kms_master_key_id`, `${CFN_DOCS}aws-resource-sns-topic.html#cfn-sns-topic-kmsmasterkeyid`, 'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html'],
  tf: { aws_sns_topic: (r) => requireSet(r.attrs, ['kms_master_key_id'], 'server-side encryption is not enabled') },
  cfn: { 'AWS::SNS::Topic': (r) => requireSet(r.attrs, ['KmsMasterKeyId'], 'server-side encryption is not enabled') },
  fix: { terraform: 'kms_master_key_id = aws_kms_key.sns.id', cloudformation: 'KmsMasterKeyId: !Ref SnsKey' },
  bad: [tf('resource "aws_sns_topic" "alerts" {\n  name = "alerts"\n}\n', 1)],
  good: [cfn('Resources:\n  Alerts:\n    Type: AWS::SNS::Topic\n    Properties:\n      KmsMasterKeyId: alias/aws/sns\n')],
});

function sqsEncryption(a: Attrs, kms: string, managed: string): Violation[] {
  if (!isEmpty(a[kms]) || flag(a[managed]) !== false) return [];
  return [violation([managed], 'server-side encryption is turned off (no SSE-SQS, no KMS key)')];
}

export const sqsEncryptionRule = awsRule({
  id: 'VGL-AWS-169',
  title: 'SQS queue is not encrypted',
  description: 'New queues are encrypted with SSE-SQS by default; turning that off without a KMS key stores messages unencrypted at rest.',
  severity: 'medium',
  service: 'sqs',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Keep sqs_managed_sse_enabled / SqsManagedSseEnabled true, or set kms_master_key_id / KmsMasterKeyId.',
  references: [`${TF_DOCS}sqs_queue#sqs_managed_sse_enabled`, 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html'],
  tf: { aws_sqs_queue: (r) => sqsEncryption(r.attrs, 'kms_master_key_id', 'sqs_managed_sse_enabled') },
  cfn: { 'AWS::SQS::Queue': (r) => sqsEncryption(r.attrs, 'KmsMasterKeyId', 'SqsManagedSseEnabled') },
  fix: { terraform: 'sqs_managed_sse_enabled = true', cloudformation: 'SqsManagedSseEnabled: true' },
  bad: [tf('resource "aws_sqs_queue" "q" {\n  name                    = "q"\n  sqs_managed_sse_enabled = false\n}\n', 3)],
  good: [tf('resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n')],
});

function openPolicy(r: Resource, ctx: RuleContext, path: AttrPath): Violation[] {
  return policyStatements(r, path, ctx)?.some(allowsAnyone) === true ? [violation(path, 'the policy allows any principal, with no condition restricting the caller')] : [];
}

export const queueTopicPublicPolicy = awsRule({
  id: 'VGL-AWS-170',
  title: 'SQS queue or SNS topic policy allows anyone',
  description: 'A queue or topic policy statement allowing principal "*" without a source account, ARN, VPC or organisation condition lets any AWS account (or anonymous caller) send, receive or subscribe.',
  severity: 'high',
  service: 'sqs',
  frameworks: CONTROLS.publicAccess(),
  remediation: 'Name the principals (accounts, roles, services) in the policy, or add a condition such as aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID.',
  references: [`${TF_DOCS}sqs_queue_policy`, 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html'],
  tf: {
    aws_sqs_queue_policy: (r, ctx) => openPolicy(r, ctx, ['policy']),
    aws_sqs_queue: (r, ctx) => openPolicy(r, ctx, ['policy']),
    aws_sns_topic_policy: (r, ctx) => openPolicy(r, ctx, ['policy']),
    aws_sns_topic: (r, ctx) => openPolicy(r, ctx, ['policy']),
  },
  cfn: {
    'AWS::SQS::QueuePolicy': (r, ctx) => openPolicy(r, ctx, ['PolicyDocument']),
    'AWS::SNS::TopicPolicy': (r, ctx) => openPolicy(r, ctx, ['PolicyDocument']),
  },
  fix: { terraform: 'Condition = {\n  ArnEquals = { "aws:SourceArn" = aws_sns_topic.events.arn }\n}', cloudformation: 'Condition:\n  ArnEquals:\n    aws:SourceArn: !Ref Events' },
  bad: [tf('resource "aws_sqs_queue_policy" "p" {\n  queue_url = aws_sqs_queue.q.id\n  policy = jsonencode({\n    Version   = "2012-10-17"\n    Statement = [{ Effect = "Allow", Principal = "*", Action = "sqs:SendMessage", Resource = "*" }]\n  })\n}\n', 3)],
  good: [tf('resource "aws_sqs_queue_policy" "p" {\n  queue_url = aws_sqs_queue.q.id\n  policy = jsonencode({\n    Version = "2012-10-17"\n    Statement = [{\n      Effect    = "Allow"\n      Principal = "*"\n      Action    = "sqs:SendMessage"\n      Resource  = "*"\n      Condition = { ArnEquals = { "aws:SourceArn" = "arn:aws:sns:eu-west-1:123456789012:events" } }\n    }]\n  })\n}\n')],
});

export const kinesisEncryption = awsRule({
  id: 'VGL-AWS-171',
  title: 'Kinesis data stream is not encrypted',
  description: 'Records in the stream are stored unencrypted for the whole retention period unless server-side encryption with KMS is turned on.',
  severity: 'medium',
  service: 'kinesis',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Set encryption_type = "KMS" with kms_key_id (StreamEncryption: { EncryptionType: KMS, KeyId }).',
  references: [`${TF_DOCS}kinesis_stream#encryption_type`, 'https://docs.aws.amazon.com/streams/latest/dev/server-side-encryption.html'],
  tf: {
    aws_kinesis_stream: (r) =>
      isAbsent(r.attrs['encryption_type']) || lower(r.attrs, ['encryption_type']) === 'none' ? [violation(['encryption_type'], 'server-side encryption is not enabled')] : [],
  },
  cfn: { 'AWS::Kinesis::Stream': (r) => requireSet(r.attrs, ['StreamEncryption'], 'server-side encryption is not enabled') },
  fix: { terraform: 'encryption_type = "KMS"\nkms_key_id      = aws_kms_key.stream.arn', cloudformation: 'StreamEncryption:\n  EncryptionType: KMS\n  KeyId: !Ref StreamKey' },
  bad: [tf('resource "aws_kinesis_stream" "s" {\n  name        = "events"\n  shard_count = 1\n}\n', 1)],
  good: [tf('resource "aws_kinesis_stream" "s" {\n  name            = "events"\n  shard_count     = 1\n  encryption_type = "KMS"\n  kms_key_id      = "alias/aws/kinesis"\n}\n')],
});

function mskTransit(a: Attrs, tfInput: boolean): Violation[] {
  let transit: { block: Attrs; path: AttrPath } | undefined;
  if (tfInput) {
    const info = firstBlock(a, 'encryption_info');
    const t = info === undefined ? undefined : firstBlock(info.block, 'encryption_in_transit');
    transit = info === undefined || t === undefined ? undefined : { block: t.block, path: [...info.path, ...t.path] };
  } else {
    const t = at(a, ['EncryptionInfo', 'EncryptionInTransit']);
    transit = isObject(t) ? { block: t, path: ['EncryptionInfo', 'EncryptionInTransit'] } : undefined;
  }
  if (transit === undefined) return [];
  const [brokerKey, clusterKey] = tfInput ? ['client_broker', 'in_cluster'] : ['ClientBroker', 'InCluster'];
  const out: Violation[] = [];
  const broker = lower(transit.block, [brokerKey]);
  if (broker === 'plaintext' || broker === 'tls_plaintext') out.push(violation([...transit.path, brokerKey], `clients may connect to the brokers in plain text (${broker.toUpperCase()})`));
  if (flag(transit.block[clusterKey]) === false) out.push(violation([...transit.path, clusterKey], 'traffic between brokers is not encrypted'));
  return out;
}

export const mskInTransit = awsRule({
  id: 'VGL-AWS-172',
  title: 'MSK cluster allows unencrypted traffic',
  description: 'The Kafka cluster accepts plaintext client connections or replicates between brokers without TLS, so records and credentials can be read on the network.',
  severity: 'medium',
  service: 'msk',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Set client_broker / ClientBroker to TLS and keep in_cluster / InCluster true.',
  references: [`${TF_DOCS}msk_cluster#encryption_in_transit`, 'https://docs.aws.amazon.com/msk/latest/developerguide/msk-encryption.html'],
  tf: { aws_msk_cluster: (r) => mskTransit(r.attrs, true) },
  cfn: { 'AWS::MSK::Cluster': (r) => mskTransit(r.attrs, false) },
  fix: { terraform: 'encryption_info {\n  encryption_in_transit {\n    client_broker = "TLS"\n    in_cluster    = true\n  }\n}', cloudformation: 'EncryptionInfo:\n  EncryptionInTransit:\n    ClientBroker: TLS\n    InCluster: true' },
  bad: [tf('resource "aws_msk_cluster" "k" {\n  cluster_name = "k"\n  encryption_info {\n    encryption_in_transit {\n      client_broker = "TLS_PLAINTEXT"\n    }\n  }\n}\n', 5)],
  good: [cfn('Resources:\n  Kafka:\n    Type: AWS::MSK::Cluster\n    Properties:\n      ClusterName: k\n      EncryptionInfo:\n        EncryptionInTransit:\n          ClientBroker: TLS\n          InCluster: true\n')],
});

const DESTINATIONS_TF = ['cloudwatch_logs', 'firehose', 's3'];
const DESTINATIONS_CFN = ['CloudWatchLogs', 'Firehose', 'S3'];

function brokerLogs(a: Attrs, tfInput: boolean): Violation[] {
  const key = tfInput ? 'logging_info' : 'LoggingInfo';
  const logs = tfInput ? firstOf(firstOf(a[key])?.['broker_logs']) : at(a, [key, 'BrokerLogs']);
  const destinations = tfInput ? DESTINATIONS_TF : DESTINATIONS_CFN;
  const enabled = isObject(logs) && destinations.some((d) => {
    const dest = tfInput ? firstOf(logs[d]) : logs[d];
    const v = isObject(dest) ? dest[tfInput ? 'enabled' : 'Enabled'] : undefined;
    return flag(v) === true || (typeof v === 'string' && v.includes('${')) || (isObject(v) && Object.keys(v).length === 1);
  });
  return enabled ? [] : [violation([key], 'broker logs are not delivered to CloudWatch Logs, Firehose or S3')];
}

const firstOf = (v: unknown): Attrs | undefined => (Array.isArray(v) ? (isObject(v[0]) ? v[0] : undefined) : isObject(v) ? v : undefined);

export const mskLogging = awsRule({
  id: 'VGL-AWS-173',
  title: 'MSK broker logging is disabled',
  description: 'Without broker logs delivered to CloudWatch Logs, Firehose or S3 there is no record of broker errors, authentication failures and client activity on the Kafka cluster.',
  severity: 'low',
  service: 'msk',
  frameworks: CONTROLS.logging(),
  remediation: 'Enable logging_info.broker_logs (LoggingInfo.BrokerLogs) to at least one destination.',
  references: [`${TF_DOCS}msk_cluster#logging_info`, 'https://docs.aws.amazon.com/msk/latest/developerguide/msk-logging.html'],
  tf: { aws_msk_cluster: (r) => brokerLogs(r.attrs, true) },
  cfn: { 'AWS::MSK::Cluster': (r) => brokerLogs(r.attrs, false) },
  fix: { terraform: 'logging_info {\n  broker_logs {\n    cloudwatch_logs {\n      enabled   = true\n      log_group = aws_cloudwatch_log_group.msk.name\n    }\n  }\n}', cloudformation: 'LoggingInfo:\n  BrokerLogs:\n    CloudWatchLogs:\n      Enabled: true\n      LogGroup: !Ref MskLogs' },
  bad: [cfn('Resources:\n  Kafka:\n    Type: AWS::MSK::Cluster\n    Properties:\n      ClusterName: k\n      LoggingInfo:\n        BrokerLogs:\n          CloudWatchLogs:\n            Enabled: false\n', 6)],
  good: [tf('resource "aws_msk_cluster" "k" {\n  cluster_name = "k"\n  logging_info {\n    broker_logs {\n      s3 {\n        enabled = true\n        bucket  = "logs"\n      }\n    }\n  }\n}\n')],
});
