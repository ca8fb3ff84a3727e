/**
 * DocumentDB, Neptune, DMS and Amazon MQ: storage encryption, audit logs, and brokers or
 * replication instances reachable from the internet.
 */
import { at, isObject, str } from '../../../attrs.js';
import type { Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { blockPath, eachBlock, forbidTrue, isAbsent, join, lower, requireTrue, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, TF_DOCS, tf } from './lib/define.js';

export const docdbEncryption = awsRule({
  id: 'VGL-AWS-123',
  title: 'DocumentDB cluster storage is not encrypted',
  description: 'DocumentDB clusters are unencrypted unless storage encryption is chosen at creation: data, indexes, backups and snapshots are then stored in clear.',
  severity: 'high',
  service: 'docdb',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Create the cluster with storage_encrypted / StorageEncrypted set to true.',
  references: [`${TF_DOCS}docdb_cluster#storage_encrypted`, `${CFN_DOCS}aws-resource-docdb-dbcluster.html#cfn-docdb-dbcluster-storageencrypted`],
  tf: { aws_docdb_cluster: (r) => requireTrue(r.attrs, ['storage_encrypted'], 'storage is not encrypted') },
  cfn: { 'AWS::DocDB::DBCluster': (r) => requireTrue(r.attrs, ['StorageEncrypted'], 'storage is not encrypted') },
  fix: { terraform: 'storage_encrypted = true', cloudformation: 'StorageEncrypted: true' },
  bad: [
    tf('resource "aws_docdb_cluster" "d" {\n  cluster_identifier = "docs"\n  storage_encrypted  = false\n}\n', 3),
    cfn('Resources:\n  Docs:\n    Type: AWS::DocDB::DBCluster\n    Properties:\n      MasterUsername: admin\n      StorageEncrypted: false\n', 6),
  ],
  good: [tf('resource "aws_docdb_cluster" "d" {\n  cluster_identifier = "docs"\n  storage_encrypted  = true\n}\n')],
});

const NO_AUDIT = 'audit_logs is not enabled in the cluster parameter group';

function auditParam(value: unknown): boolean {
  const v = str(value)?.toLowerCase();
  return v === undefined || v.includes('${') || v === 'enabled' || v === 'all' || v.includes('ddl') || v.includes('dml') || v.includes('auth');
}

export const docdbAudit = awsRule({
  id: 'VGL-AWS-124',
  title: 'DocumentDB audit logs are disabled',
  description: 'A DocumentDB cluster parameter group without audit_logs enabled records no authentication, DDL or DML events, so access to the database cannot be audited.',
  severity: 'medium',
  service: 'docdb',
  frameworks: CONTROLS.logging(),
  remediation: 'Set audit_logs to enabled in the cluster parameter group and export the audit log to CloudWatch Logs (enabled_cloudwatch_logs_exports = ["audit"]).',
  references: [`${TF_DOCS}docdb_cluster_parameter_group`, 'https://docs.aws.amazon.com/documentdb/latest/developerguide/event-auditing.html'],
  tf: {
    aws_docdb_cluster_parameter_group: (r) => {
      const p = eachBlock(r.attrs, 'parameter').find(({ block }) => str(block['name']) === 'audit_logs');
      if (p === undefined) return [violation(['parameter'], NO_AUDIT)];
      return auditParam(p.block['value']) ? [] : [violation(join(p.path, 'value'), NO_AUDIT)];
    },
  },
  cfn: {
    'AWS::DocDB::DBClusterParameterGroup': (r) => {
      const params = r.attrs['Parameters'];
      if (!isObject(params)) return isAbsent(params) ? [violation(['Parameters'], NO_AUDIT)] : [];
      if (!Object.hasOwn(params, 'audit_logs')) return [violation(['Parameters'], NO_AUDIT)];
      return auditParam(params['audit_logs']) ? [] : [violation(['Parameters', 'audit_logs'], NO_AUDIT)];
    },
  },
  fix: { terraform: 'parameter {\n  name  = "audit_logs"\n  value = "enabled"\n}', cloudformation: 'Parameters:\n  audit_logs: enabled' },
  bad: [cfn('Resources:\n  Params:\n    Type: AWS::DocDB::DBClusterParameterGroup\n    Properties:\n      Description: p\n      Family: docdb5.0\n      Parameters:\n        audit_logs: disabled\n', 8)],
  good: [tf('resource "aws_docdb_cluster_parameter_group" "p" {\n  family = "docdb5.0"\n  parameter {\n    name  = "audit_logs"\n    value = "enabled"\n  }\n}\n')],
});

export const neptuneEncryption = awsRule({
  id: 'VGL-AWS-125',
  title: 'Neptune cluster storage is not encrypted',
  description: 'Neptune stores graph data, backups and snapshots unencrypted unless storage encryption is chosen when the cluster is created.',
  severity: 'high',
  service: 'neptune',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Create the cluster with storage_encrypted / StorageEncrypted set to true.',
  references: [`${TF_DOCS}neptune_cluster#storage_encrypted`, `${CFN_DOCS}aws-resource-neptune-dbcluster.html`],
  tf: { aws_neptune_cluster: (r) => requireTrue(r.attrs, ['storage_encrypted'], 'storage is not encrypted') },
  cfn: { 'AWS::Neptune::DBCluster': (r) => requireTrue(r.attrs, ['StorageEncrypted'], 'storage is not encrypted') },
  fix: { terraform: 'storage_encrypted = true', cloudformation: 'StorageEncrypted: true' },
  bad: [tf('resource "aws_neptune_cluster" "g" {\n  cluster_identifier = "graph"\n}\n', 1)],
  good: [cfn('Resources:\n  Graph:\n    Type: AWS::Neptune::DBCluster\n    Properties:\n      StorageEncrypted: true\n')],
});

export const neptuneAuditLogs = awsRule({
  id: 'VGL-AWS-126',
  title: 'Neptune cluster does not export audit logs',
  description: 'Neptune audit logs (queries and connections) are only kept if exported to CloudWatch Logs; otherwise activity on the graph cannot be reviewed.',
  severity: 'low',
  service: 'neptune',
  frameworks: CONTROLS.logging(),
  remediation: 'Set neptune_enable_audit_log = 1 in the cluster parameter group and add "audit" to enable_cloudwatch_logs_exports / EnableCloudwatchLogsExports.',
  references: [`${TF_DOCS}neptune_cluster#enable_cloudwatch_logs_exports`, 'https://docs.aws.amazon.com/neptune/latest/userguide/auditing.html'],
  tf: { aws_neptune_cluster: (r) => exportsAudit(r.attrs, 'enable_cloudwatch_logs_exports') },
  cfn: { 'AWS::Neptune::DBCluster': (r) => exportsAudit(r.attrs, 'EnableCloudwatchLogsExports') },
  fix: { terraform: 'enable_cloudwatch_logs_exports = ["audit"]', cloudformation: 'EnableCloudwatchLogsExports:\n  - audit' },
  bad: [tf('resource "aws_neptune_cluster" "g" {\n  cluster_identifier             = "graph"\n  enable_cloudwatch_logs_exports = []\n}\n', 3)],
  good: [tf('resource "aws_neptune_cluster" "g" {\n  cluster_identifier             = "graph"\n  enable_cloudwatch_logs_exports = ["audit"]\n}\n')],
});

function exportsAudit(a: Attrs, attr: string): Violation[] {
  const v = a[attr];
  if (typeof v === 'string' || isObject(v)) return [];
  if (Array.isArray(v) && v.some((x) => typeof x !== 'string' || x === 'audit' || x.includes('${'))) return [];
  return [violation([attr], 'the audit log is not exported to CloudWatch Logs')];
}

export const dmsPublic = awsRule({
  id: 'VGL-AWS-127',
  title: 'DMS replication instance is publicly accessible',
  description: 'A publicly accessible replication instance has a public IP address; it holds credentials for and connections to both source and target databases.',
  severity: 'high',
  service: 'dms',
  frameworks: CONTROLS.publicAccess(),
  remediation: 'Set publicly_accessible / PubliclyAccessible to false and replicate over private networking.',
  references: [`${TF_DOCS}dms_replication_instance#publicly_accessible`, `${CFN_DOCS}aws-resource-dms-replicationinstance.html`],
  tf: { aws_dms_replication_instance: (r) => forbidTrue(r.attrs, ['publicly_accessible'], 'the replication instance is publicly accessible') },
  // CloudFormation makes a replication instance public unless PubliclyAccessible is false.
  cfn: { 'AWS::DMS::ReplicationInstance': (r) => forbidTrue(r.attrs, ['PubliclyAccessible'], 'the replication instance is publicly accessible', true) },
  fix: { terraform: 'publicly_accessible = false', cloudformation: 'PubliclyAccessible: false' },
  bad: [
    tf('resource "aws_dms_replication_instance" "r" {\n  replication_instance_id    = "r"\n  replication_instance_class = "dms.t3.micro"\n  publicly_accessible        = true\n}\n', 4),
    cfn('Resources:\n  Repl:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      ReplicationInstanceClass: dms.t3.micro\n      PubliclyAccessible: true\n', 6),
  ],
  good: [cfn('Resources:\n  Repl:\n    Type: AWS::DMS::ReplicationInstance\n    Properties:\n      ReplicationInstanceClass: dms.t3.micro\n      PubliclyAccessible: false\n')],
});

export const mqPublic = awsRule({
  id: 'VGL-AWS-128',
  title: 'Amazon MQ broker is publicly accessible',
  description: 'A publicly accessible broker endpoint can be reached from the internet; message queues then depend only on broker credentials.',
  severity: 'high',
  service: 'mq',
  frameworks: CONTROLS.publicAccess(),
  remediation: 'Set publicly_accessible / PubliclyAccessible to false and reach the broker from inside the VPC.',
  references: [`${TF_DOCS}mq_broker#publicly_accessible`, `${CFN_DOCS}aws-resource-amazonmq-broker.html#cfn-amazonmq-broker-publiclyaccessible`],
  tf: { aws_mq_broker: (r) => forbidTrue(r.attrs, ['publicly_accessible'], 'the broker is publicly accessible') },
  cfn: { 'AWS::AmazonMQ::Broker': (r) => forbidTrue(r.attrs, ['PubliclyAccessible'], 'the broker is publicly accessible') },
  fix: { terraform: 'publicly_accessible = false', cloudformation: 'PubliclyAccessible: false' },
  bad: [
    tf('resource "aws_mq_broker" "b" {\n  broker_name         = "b"\n  engine_type         = "ActiveMQ"\n  publicly_accessible = true\n}\n', 4),
    cfn('Resources:\n  Broker:\n    Type: AWS::AmazonMQ::Broker\n    Properties:\n      EngineType: RABBITMQ\n      PubliclyAccessible: Yes\n', 6),
  ],
  good: [tf('resource "aws_mq_broker" "b" {\n  broker_name = "b"\n  engine_type = "ActiveMQ"\n}\n')],
});

/** `logs { <key> = true }` in Terraform (`block` = logs), `Logs.<Key>` in CloudFormation. */
function mqLog(a: Attrs, block: string, key: string, message: string): Violation[] {
  const logs = block === 'logs' ? blockPath(a, block) : [block];
  if (at(a, logs) === undefined) return [violation([block], message)];
  return requireTrue(a, join(logs, key), message);
}

const activeMq = (engine: unknown): boolean => lower({ e: engine }, ['e']) === 'activemq';

export const mqGeneralLogs = awsRule({
  id: 'VGL-AWS-129',
  title: 'Amazon MQ broker general logging is disabled',
  description: 'Without general logs the broker sends no activity logs to CloudWatch Logs, leaving connection problems and misuse without a record.',
  severity: 'low',
  service: 'mq',
  frameworks: CONTROLS.logging(),
  remediation: 'Enable logs { general = true } / Logs.General: true.',
  references: [`${TF_DOCS}mq_broker#logs`, 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-logging-monitoring.html'],
  tf: { aws_mq_broker: (r) => mqLog(r.attrs, 'logs', 'general', 'general logging is not enabled') },
  cfn: { 'AWS::AmazonMQ::Broker': (r) => mqLog(r.attrs, 'Logs', 'General', 'general logging is not enabled') },
  fix: { terraform: 'logs {\n  general = true\n}', cloudformation: 'Logs:\n  General: true' },
  bad: [tf('resource "aws_mq_broker" "b" {\n  broker_name = "b"\n  engine_type = "ActiveMQ"\n  logs {\n    general = false\n  }\n}\n', 5)],
  good: [tf('resource "aws_mq_broker" "b" {\n  broker_name = "b"\n  engine_type = "ActiveMQ"\n  logs {\n    general = true\n  }\n}\n')],
});

export const mqAuditLogs = awsRule({
  id: 'VGL-AWS-130',
  title: 'Amazon MQ (ActiveMQ) broker audit logging is disabled',
  description: 'ActiveMQ audit logs record management actions taken through JMX and the web console; without them changes to the broker cannot be traced to a user.',
  severity: 'low',
  service: 'mq',
  frameworks: CONTROLS.logging(),
  remediation: 'Enable logs { audit = true } / Logs.Audit: true on ActiveMQ brokers (RabbitMQ has no audit log).',
  references: [`${TF_DOCS}mq_broker#audit`, 'https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/security-logging-monitoring.html'],
  tf: { aws_mq_broker: (r) => (activeMq(r.attrs['engine_type']) ? mqLog(r.attrs, 'logs', 'audit', 'audit logging is not enabled') : []) },
  cfn: { 'AWS::AmazonMQ::Broker': (r) => (activeMq(r.attrs['EngineType']) ? mqLog(r.attrs, 'Logs', 'Audit', 'audit logging is not enabled') : []) },
  fix: { terraform: 'logs {\n  audit = true\n}', cloudformation: 'Logs:\n  Audit: true' },
  bad: [cfn('Resources:\n  Broker:\n    Type: AWS::AmazonMQ::Broker\n    Properties:\n      EngineType: ACTIVEMQ\n      Logs:\n        Audit: false\n', 7)],
  good: [cfn('Resources:\n  Broker:\n    Type: AWS::AmazonMQ::Broker\n    Properties:\n      EngineType: RABBITMQ\n      Logs:\n        General: true\n')],
});
