/**
 * RDS and Aurora access and audit: IAM database authentication, TLS enforced by the parameter
 * group, audit and statement logs, and legacy DB security groups open to the internet.
 */
import { at, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type RuleContext } from '../../../rule.js';
import { eachBlock, isAbsent, join, requireTrue, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, TF_DOCS, tf } from './lib/define.js';
import { cfnClusterMember, cfnCopy, engineFamily, parameterGroup, tfClusterMember, tfCopy, type ParameterGroup } from './lib/rds.js';
import { withLive } from '../network/compose.js';
import { rdsLive } from '../network/rds.js';

const NO_IAM_AUTH = 'IAM database authentication is not enabled';
const iamAuth = (a: Attrs, path: string): Violation[] => requireTrue(a, [path], NO_IAM_AUTH);
const supportsIam = (engine: unknown): boolean => ['mysql', 'postgres'].includes(engineFamily(engine));

export const rdsIamAuth = withLive(awsRule({
  id: 'VGL-AWS-106',
  title: 'RDS IAM database authentication is disabled',
  description:
    'MySQL and PostgreSQL databases can authenticate users with short-lived IAM tokens instead of long-lived database passwords; without it access cannot be granted, audited and revoked through IAM.',
  severity: 'medium',
  service: 'rds',
  frameworks: CONTROLS.authentication(),
  remediation: 'Set iam_database_authentication_enabled / EnableIAMDatabaseAuthentication to true and grant rds-db:connect to the roles that need it.',
  references: [`${TF_DOCS}db_instance#iam_database_authentication_enabled`, 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html'],
  tf: {
    aws_db_instance: (r) =>
      tfClusterMember(r.attrs) || tfCopy(r.attrs) || !supportsIam(r.attrs['engine']) ? [] : iamAuth(r.attrs, 'iam_database_authentication_enabled'),
    aws_rds_cluster: (r) =>
      !isAbsent(r.attrs['engine']) && !supportsIam(r.attrs['engine']) ? [] : iamAuth(r.attrs, 'iam_database_authentication_enabled'),
  },
  cfn: {
    'AWS::RDS::DBInstance': (r) =>
      cfnClusterMember(r.attrs) || cfnCopy(r.attrs) || !supportsIam(r.attrs['Engine']) ? [] : iamAuth(r.attrs, 'EnableIAMDatabaseAuthentication'),
    'AWS::RDS::DBCluster': (r) => (supportsIam(r.attrs['Engine']) ? iamAuth(r.attrs, 'EnableIAMDatabaseAuthentication') : []),
  },
  fix: { terraform: 'iam_database_authentication_enabled = true', cloudformation: 'EnableIAMDatabaseAuthentication: true' },
  bad: [
    tf('resource "aws_db_instance" "db" {\n  engine                              = "postgres"\n  iam_database_authentication_enabled = false\n}\n', 3),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      EnableIAMDatabaseAuthentication: false\n', 6),
  ],
  good: [
    tf('resource "aws_db_instance" "db" {\n  engine                              = "postgres"\n  iam_database_authentication_enabled = true\n}\n'),
    tf('resource "aws_db_instance" "db" {\n  engine = "sqlserver-ex"\n}\n'),
  ],
}), rdsLive.iamAuth);

/** Clusters whose engine is MySQL-compatible (`aurora`, the default, included). */
const mysqlCluster = (engine: unknown): boolean => isAbsent(engine) || engineFamily(engine) === 'mysql';

function exportsLog(a: Attrs, attr: string, log: string): Violation[] {
  const v = a[attr];
  if (isAbsent(v)) return [violation([attr], `the ${log} log is not exported to CloudWatch Logs`)];
  if (!Array.isArray(v)) return [];
  const names = v.map((x) => str(x));
  if (names.some((n) => n === undefined || n.includes('${'))) return [];
  return names.includes(log) ? [] : [violation([attr], `enabled logs exports do not include "${log}"`)];
}

export const auroraMysqlAudit = awsRule({
  id: 'VGL-AWS-107',
  title: 'Aurora MySQL cluster does not export its audit log',
  description:
    'The audit log records connections and the queries run against an Aurora MySQL cluster; unless it is exported to CloudWatch Logs it stays on the instances, is lost with them and cannot be searched or alerted on.',
  severity: 'medium',
  service: 'rds',
  frameworks: CONTROLS.logging(),
  remediation: 'Add "audit" to enabled_cloudwatch_logs_exports / EnableCloudwatchLogsExports and turn on server_audit_logging in the cluster parameter group.',
  references: [`${TF_DOCS}rds_cluster#enabled_cloudwatch_logs_exports`, 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/AuroraMySQL.Auditing.html'],
  tf: {
    aws_rds_cluster: (r) => (mysqlCluster(r.attrs['engine']) ? exportsLog(r.attrs, 'enabled_cloudwatch_logs_exports', 'audit') : []),
  },
  cfn: {
    'AWS::RDS::DBCluster': (r) => (engineFamily(r.attrs['Engine']) === 'mysql' ? exportsLog(r.attrs, 'EnableCloudwatchLogsExports', 'audit') : []),
  },
  fix: { terraform: 'enabled_cloudwatch_logs_exports = ["audit", "error", "slowquery"]', cloudformation: 'EnableCloudwatchLogsExports:\n  - audit\n  - error' },
  bad: [
    tf('resource "aws_rds_cluster" "c" {\n  engine                          = "aurora-mysql"\n  enabled_cloudwatch_logs_exports = ["error"]\n}\n', 3),
    cfn('Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-mysql\n      EnableCloudwatchLogsExports: [slowquery]\n', 6),
  ],
  good: [
    tf('resource "aws_rds_cluster" "c" {\n  engine                          = "aurora-mysql"\n  enabled_cloudwatch_logs_exports = ["audit", "error"]\n}\n'),
    tf('resource "aws_rds_cluster" "c" {\n  engine = "aurora-postgresql"\n}\n'),
  ],
});

function statementLogging(r: Resource, ctx: RuleContext, attr: string): Violation[] {
  const group = parameterGroup(r, attr, ctx);
  if (isAbsent(r.attrs[attr])) return [violation([], 'the cluster uses the default parameter group, which does not log statements')];
  if (group === undefined) return [];
  const value = group.parameters.get('log_statement');
  return value === undefined || value.toLowerCase() === 'none'
    ? [violation([attr], 'the cluster parameter group does not set log_statement: statements are not logged')]
    : [];
}

export const auroraPostgresLogging = awsRule({
  id: 'VGL-AWS-108',
  title: 'Aurora PostgreSQL cluster does not log statements',
  description:
    'PostgreSQL logs no statements by default (log_statement = none), so data access and schema changes leave no trace to investigate.',
  severity: 'low',
  service: 'rds',
  frameworks: CONTROLS.logging(),
  remediation: 'Attach a cluster parameter group setting log_statement (ddl, mod or all) and log_min_duration_statement, and export the postgresql log to CloudWatch Logs.',
  references: [`${TF_DOCS}rds_cluster_parameter_group`, 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_LogAccess.Concepts.PostgreSQL.html'],
  tf: {
    aws_rds_cluster: (r, ctx) => (engineFamily(r.attrs['engine']) === 'postgres' ? statementLogging(r, ctx, 'db_cluster_parameter_group_name') : []),
  },
  cfn: {
    'AWS::RDS::DBCluster': (r, ctx) => (engineFamily(r.attrs['Engine']) === 'postgres' ? statementLogging(r, ctx, 'DBClusterParameterGroupName') : []),
  },
  fix: {
    terraform: 'resource "aws_rds_cluster_parameter_group" "pg" {\n  family = "aurora-postgresql15"\n  parameter {\n    name  = "log_statement"\n    value = "ddl"\n  }\n}',
    cloudformation: 'Type: AWS::RDS::DBClusterParameterGroup\nProperties:\n  Family: aurora-postgresql15\n  Parameters:\n    log_statement: ddl',
  },
  bad: [
    tf('resource "aws_rds_cluster" "c" {\n  engine = "aurora-postgresql"\n}\n', 1),
    tf(
      'resource "aws_rds_cluster" "c" {\n  engine                          = "aurora-postgresql"\n  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.pg.name\n}\n\nresource "aws_rds_cluster_parameter_group" "pg" {\n  family = "aurora-postgresql15"\n}\n',
      3,
    ),
  ],
  good: [
    tf(
      'resource "aws_rds_cluster" "c" {\n  engine                          = "aurora-postgresql"\n  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.pg.name\n}\n\nresource "aws_rds_cluster_parameter_group" "pg" {\n  family = "aurora-postgresql15"\n  parameter {\n    name  = "log_statement"\n    value = "ddl"\n  }\n}\n',
    ),
  ],
});

/** The parameter a family uses to refuse unencrypted connections, and the values that do. */
function tlsSetting(family: string): { name: string; values: readonly string[] } | undefined {
  if (family.includes('postgres') || family.startsWith('sqlserver')) return { name: 'rds.force_ssl', values: ['1', 'true'] };
  if (family.includes('mysql') || family.includes('mariadb')) return { name: 'require_secure_transport', values: ['1', 'on', 'true'] };
  if (family.includes('db2')) return { name: 'db2comm', values: ['ssl'] };
  return undefined;
}

function forcesTls(group: ParameterGroup | undefined, attr: string): Violation[] {
  if (group === undefined) return [];
  const setting = tlsSetting(group.family);
  if (setting === undefined) return [];
  const value = group.parameters.get(setting.name);
  return value !== undefined && setting.values.includes(value.trim().toLowerCase())
    ? []
    : [violation([attr], `the parameter group does not set ${setting.name} to require TLS: clients may connect unencrypted`)];
}

export const rdsTls = awsRule({
  id: 'VGL-AWS-109',
  title: 'RDS does not require TLS connections',
  description:
    'RDS engines accept unencrypted connections unless the parameter group requires TLS (rds.force_ssl for PostgreSQL and SQL Server, require_secure_transport for MySQL and MariaDB, db2comm for Db2), so credentials and data can cross the network in clear text.',
  severity: 'medium',
  service: 'rds',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Set the engine\'s TLS parameter in the DB parameter group (rds.force_ssl = 1, require_secure_transport = ON, db2comm = SSL).',
  references: [`${TF_DOCS}db_parameter_group`, 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html'],
  tf: {
    aws_db_instance: (r, ctx) => forcesTls(parameterGroup(r, 'parameter_group_name', ctx), 'parameter_group_name'),
    aws_rds_cluster: (r, ctx) => forcesTls(parameterGroup(r, 'db_cluster_parameter_group_name', ctx), 'db_cluster_parameter_group_name'),
  },
  cfn: {
    'AWS::RDS::DBInstance': (r, ctx) => forcesTls(parameterGroup(r, 'DBParameterGroupName', ctx), 'DBParameterGroupName'),
    'AWS::RDS::DBCluster': (r, ctx) => forcesTls(parameterGroup(r, 'DBClusterParameterGroupName', ctx), 'DBClusterParameterGroupName'),
  },
  fix: {
    terraform: 'parameter {\n  name  = "rds.force_ssl"\n  value = "1"\n}',
    cloudformation: 'Parameters:\n  rds.force_ssl: "1"',
  },
  bad: [
    tf(
      'resource "aws_db_instance" "db" {\n  engine               = "postgres"\n  parameter_group_name = aws_db_parameter_group.pg.name\n}\n\nresource "aws_db_parameter_group" "pg" {\n  family = "postgres16"\n}\n',
      3,
    ),
    cfn(
      'Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      DBParameterGroupName: !Ref Params\n  Params:\n    Type: AWS::RDS::DBParameterGroup\n    Properties:\n      Family: mysql8.0\n      Description: params\n      Parameters:\n        require_secure_transport: "0"\n',
      6,
    ),
  ],
  good: [
    tf(
      'resource "aws_db_instance" "db" {\n  engine               = "postgres"\n  parameter_group_name = aws_db_parameter_group.pg.name\n}\n\nresource "aws_db_parameter_group" "pg" {\n  family = "postgres16"\n  parameter {\n    name  = "rds.force_ssl"\n    value = "1"\n  }\n}\n',
    ),
  ],
});

const OPEN = new Set(['0.0.0.0/0', '::/0']);
const openCidr = (v: unknown): boolean => typeof v === 'string' && OPEN.has(v.trim());

export const dbSecurityGroupOpen = awsRule({
  id: 'VGL-AWS-110',
  title: 'RDS DB security group allows ingress from anywhere',
  description:
    'A DB security group (the EC2-Classic era RDS firewall) with an ingress rule for 0.0.0.0/0 or ::/0 lets any address on the internet connect to the database port.',
  severity: 'high',
  service: 'rds',
  frameworks: CONTROLS.publicAccess(),
  remediation: 'Restrict the ingress CIDR to the networks that need the database, or move the instance to a VPC security group.',
  references: [`${TF_DOCS}db_security_group`, `${CFN_DOCS}aws-resource-rds-dbsecuritygroup.html`],
  tf: {
    aws_db_security_group: (r) =>
      eachBlock(r.attrs, 'ingress')
        .filter(({ block }) => openCidr(block['cidr']))
        .map(({ path }) => violation(join(path, 'cidr'), 'ingress is open to the whole internet')),
  },
  cfn: {
    'AWS::RDS::DBSecurityGroup': (r) => {
      const ingress = at(r.attrs, ['DBSecurityGroupIngress']);
      const rules = Array.isArray(ingress) ? (ingress as unknown[]).map((x, i) => ({ x, path: ['DBSecurityGroupIngress', i] })) : [{ x: ingress, path: ['DBSecurityGroupIngress'] }];
      return rules
        .filter(({ x }) => openCidr(at(x, ['CIDRIP'])))
        .map(({ path }) => violation([...path, 'CIDRIP'], 'ingress is open to the whole internet'));
    },
    'AWS::RDS::DBSecurityGroupIngress': (r) => (openCidr(r.attrs['CIDRIP']) ? [violation(['CIDRIP'], 'ingress is open to the whole internet')] : []),
  },
  fix: { terraform: 'ingress {\n  cidr = "10.0.0.0/16"\n}', cloudformation: 'DBSecurityGroupIngress:\n  - CIDRIP: 10.0.0.0/16' },
  bad: [
    tf('resource "aws_db_security_group" "sg" {\n  name = "db"\n  ingress {\n    cidr = "10.0.0.0/8"\n  }\n  ingress {\n    cidr = "0.0.0.0/0"\n  }\n}\n', 7),
    cfn('Resources:\n  Sg:\n    Type: AWS::RDS::DBSecurityGroup\n    Properties:\n      GroupDescription: db\n      DBSecurityGroupIngress:\n        - CIDRIP: 0.0.0.0/0\n', 7),
  ],
  good: [tf('resource "aws_db_security_group" "sg" {\n  name = "db"\n  ingress {\n    cidr = "10.0.0.0/8"\n  }\n}\n')],
});
