/**
 * RDS and Aurora: public access, storage encryption, backup retention, deletion protection,
 * minor version upgrades and Multi-AZ. Aurora cluster members and databases created from
 * another one (replica, snapshot) inherit storage, backup and deletion settings, so those
 * rules read the cluster or source instead.
 */
import { forbidTrue, isEmpty, requireAtLeast, requireTrue, type Attrs } from './lib/checks.js';
import { awsRule, cfn, cfnJson, cis, CFN_DOCS, CONTROLS, TF_DOCS, tf } from './lib/define.js';
import { cfnClusterMember, cfnCopy, tfClusterMember, tfCopy } from './lib/rds.js';
import { at, str } from '../../../attrs.js';
import type { Resource } from '../../../model.js';
import { violation, type RuleContext } from '../../../rule.js';
import { withLive } from '../network/compose.js';
import { rdsLive } from '../network/rds.js';

const TF_INSTANCE = `${TF_DOCS}db_instance`;
const TF_CLUSTER = `${TF_DOCS}rds_cluster`;
const CFN_INSTANCE = `${CFN_DOCS}aws-resource-rds-dbinstance.html`;
const CFN_CLUSTER = `${CFN_DOCS}aws-resource-rds-dbcluster.html`;

const attrsOf = (r: Resource): Attrs => r.attrs;

export const rdsPublic = withLive(awsRule({
  id: 'VGL-AWS-100',
  title: 'RDS instance is publicly accessible',
  description:
    'The database instance gets a public DNS name resolving to a public IP address, so anyone on the internet can reach its port and try credentials or exploit the engine; only its security groups stand in the way.',
  severity: 'high',
  service: 'rds',
  frameworks: [...cis('2.3.3'), ...CONTROLS.publicAccess()],
  remediation: 'Set publicly_accessible / PubliclyAccessible to false and reach the database from inside the VPC (bastion, VPN, PrivateLink).',
  references: [`${TF_INSTANCE}#publicly_accessible`, `${CFN_INSTANCE}#cfn-rds-dbinstance-publiclyaccessible`],
  tf: {
    aws_db_instance: (r) => forbidTrue(attrsOf(r), ['publicly_accessible'], 'publicly_accessible is true: the instance has a public endpoint'),
    aws_rds_cluster_instance: (r) => forbidTrue(attrsOf(r), ['publicly_accessible'], 'publicly_accessible is true: the instance has a public endpoint'),
    'module:rds': (r) => forbidTrue(attrsOf(r), ['publicly_accessible'], 'the module is called with publicly_accessible = true'),
  },
  cfn: {
    'AWS::RDS::DBInstance': (r) => forbidTrue(attrsOf(r), ['PubliclyAccessible'], 'PubliclyAccessible is true: the instance has a public endpoint'),
  },
  fix: { terraform: 'publicly_accessible = false', cloudformation: 'PubliclyAccessible: false' },
  bad: [
    tf('resource "aws_db_instance" "db" {\n  engine              = "postgres"\n  instance_class      = "db.t3.micro"\n  publicly_accessible = true\n}\n', 4),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      PubliclyAccessible: "true"\n', 6),
  ],
  good: [
    tf('resource "aws_db_instance" "db" {\n  engine              = "postgres"\n  instance_class      = "db.t3.micro"\n  publicly_accessible = false\n}\n'),
    tf('resource "aws_db_instance" "db" {\n  engine         = "postgres"\n  instance_class = "db.t3.micro"\n}\n'),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      PubliclyAccessible: false\n'),
  ],
}), rdsLive.public);

const NOT_ENCRYPTED = 'storage is not encrypted';

export const rdsEncryption = withLive(awsRule({
  id: 'VGL-AWS-101',
  title: 'RDS storage is not encrypted',
  description:
    'The instance or cluster keeps its data, automated backups, snapshots and read replicas unencrypted at rest. Encryption can only be chosen when the database is created; adding it later means restoring from an encrypted snapshot.',
  severity: 'high',
  service: 'rds',
  frameworks: [...cis('2.3.1'), ...CONTROLS.encryptionAtRest()],
  remediation: 'Create the database with storage_encrypted / StorageEncrypted set to true (optionally with a customer managed KMS key).',
  references: [`${TF_INSTANCE}#storage_encrypted`, `${TF_CLUSTER}#storage_encrypted`, `${CFN_INSTANCE}#cfn-rds-dbinstance-storageencrypted`],
  tf: {
    aws_db_instance: (r) => (tfClusterMember(r.attrs) || tfCopy(r.attrs) ? [] : requireTrue(r.attrs, ['storage_encrypted'], NOT_ENCRYPTED)),
    aws_rds_cluster: (r) =>
      str(r.attrs['engine_mode']) === 'serverless' || tfCopy(r.attrs) ? [] : requireTrue(r.attrs, ['storage_encrypted'], NOT_ENCRYPTED),
    // The module encrypts by default (storage_encrypted = true since v2).
    'module:rds': (r) => requireTrue(r.attrs, ['storage_encrypted'], 'the module is called with storage_encrypted = false', true),
  },
  cfn: {
    'AWS::RDS::DBInstance': (r) => (cfnClusterMember(r.attrs) || cfnCopy(r.attrs) ? [] : requireTrue(r.attrs, ['StorageEncrypted'], NOT_ENCRYPTED)),
    'AWS::RDS::DBCluster': (r) =>
      str(r.attrs['EngineMode']) === 'serverless' || cfnCopy(r.attrs) ? [] : requireTrue(r.attrs, ['StorageEncrypted'], NOT_ENCRYPTED),
  },
  fix: { terraform: 'storage_encrypted = true\nkms_key_id        = aws_kms_key.rds.arn', cloudformation: 'StorageEncrypted: true\nKmsKeyId: !Ref RdsKey' },
  bad: [
    tf('resource "aws_db_instance" "db" {\n  engine         = "mysql"\n  instance_class = "db.t3.micro"\n}\n', 1),
    tf('resource "aws_rds_cluster" "c" {\n  engine            = "aurora-postgresql"\n  storage_encrypted = false\n}\n', 3),
    cfn('Resources:\n  Cluster:\n    Type: AWS::RDS::DBCluster\n    Properties:\n      Engine: aurora-mysql\n      StorageEncrypted: false\n', 6),
  ],
  good: [
    tf('resource "aws_db_instance" "db" {\n  engine            = "mysql"\n  instance_class    = "db.t3.micro"\n  storage_encrypted = true\n}\n'),
    tf('resource "aws_db_instance" "member" {\n  engine             = "aurora-mysql"\n  cluster_identifier = aws_rds_cluster.c.id\n  instance_class     = "db.r6g.large"\n}\n'),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      StorageEncrypted: true\n'),
  ],
}), rdsLive.encryption);

const RETENTION = 7;
const retentionMessage = `backup retention is below ${RETENTION} days (the default is 1)`;

export const rdsBackupRetention = withLive(awsRule({
  id: 'VGL-AWS-102',
  title: 'RDS backup retention is shorter than 7 days',
  description:
    'Automated backups are disabled (retention 0) or kept for less than a week (the default is one day), so data lost or corrupted and noticed a few days later cannot be restored to a point in time.',
  severity: 'medium',
  service: 'rds',
  frameworks: CONTROLS.backup(),
  remediation: `Set backup_retention_period / BackupRetentionPeriod to at least ${RETENTION} days (up to 35).`,
  references: [`${TF_INSTANCE}#backup_retention_period`, `${CFN_INSTANCE}#cfn-rds-dbinstance-backupretentionperiod`, 'https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html#rds-11'],
  // A replica or restored copy without an explicit retention is left alone: read replicas of
  // most engines cannot keep automated backups at all.
  tf: {
    aws_db_instance: (r) =>
      tfClusterMember(r.attrs) ? [] : requireAtLeast(r.attrs, ['backup_retention_period'], RETENTION, retentionMessage, tfCopy(r.attrs) ? undefined : 1),
    aws_rds_cluster: (r) => requireAtLeast(r.attrs, ['backup_retention_period'], RETENTION, retentionMessage, 1),
    'module:rds': (r) => requireAtLeast(r.attrs, ['backup_retention_period'], RETENTION, retentionMessage, 1),
  },
  cfn: {
    'AWS::RDS::DBInstance': (r) =>
      cfnClusterMember(r.attrs) ? [] : requireAtLeast(r.attrs, ['BackupRetentionPeriod'], RETENTION, retentionMessage, cfnCopy(r.attrs) ? undefined : 1),
    'AWS::RDS::DBCluster': (r) => requireAtLeast(r.attrs, ['BackupRetentionPeriod'], RETENTION, retentionMessage, 1),
  },
  fix: { terraform: 'backup_retention_period = 7', cloudformation: 'BackupRetentionPeriod: 7' },
  bad: [
    tf('resource "aws_db_instance" "db" {\n  engine                  = "mysql"\n  backup_retention_period = 0\n}\n', 3),
    tf('resource "aws_rds_cluster" "c" {\n  engine = "aurora-mysql"\n}\n', 1),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      BackupRetentionPeriod: 3\n', 6),
  ],
  good: [
    tf('resource "aws_db_instance" "db" {\n  engine                  = "mysql"\n  backup_retention_period = 14\n}\n'),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      BackupRetentionPeriod: 7\n'),
    cfn('Resources:\n  Member:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      DBClusterIdentifier: !Ref Cluster\n      Engine: aurora-mysql\n'),
  ],
}), rdsLive.retention);

const NO_DELETION_PROTECTION = 'deletion protection is not enabled';

export const rdsDeletionProtection = withLive(awsRule({
  id: 'VGL-AWS-103',
  title: 'RDS deletion protection is disabled',
  description:
    'Without deletion protection one API call or a mistaken change that replaces the resource (a renamed identifier in Terraform, a replaced CloudFormation resource) deletes the database.',
  severity: 'medium',
  service: 'rds',
  frameworks: CONTROLS.deletion(),
  remediation: 'Set deletion_protection / DeletionProtection to true; turn it off deliberately before a planned deletion.',
  references: [`${TF_INSTANCE}#deletion_protection`, `${CFN_INSTANCE}#cfn-rds-dbinstance-deletionprotection`, `${CFN_CLUSTER}#cfn-rds-dbcluster-deletionprotection`],
  tf: {
    aws_db_instance: (r) => (tfClusterMember(r.attrs) ? [] : requireTrue(r.attrs, ['deletion_protection'], NO_DELETION_PROTECTION)),
    aws_rds_cluster: (r) => requireTrue(r.attrs, ['deletion_protection'], NO_DELETION_PROTECTION),
    'module:rds': (r) => requireTrue(r.attrs, ['deletion_protection'], NO_DELETION_PROTECTION),
    'module:rds-aurora': (r) => requireTrue(r.attrs, ['deletion_protection'], NO_DELETION_PROTECTION),
  },
  cfn: {
    'AWS::RDS::DBInstance': (r) => (cfnClusterMember(r.attrs) ? [] : requireTrue(r.attrs, ['DeletionProtection'], NO_DELETION_PROTECTION)),
    'AWS::RDS::DBCluster': (r) => requireTrue(r.attrs, ['DeletionProtection'], NO_DELETION_PROTECTION),
  },
  fix: { terraform: 'deletion_protection = true', cloudformation: 'DeletionProtection: true' },
  bad: [
    tf('resource "aws_db_instance" "db" {\n  engine              = "mysql"\n  deletion_protection = false\n}\n', 3),
    cfnJson('{\n  "Resources": {\n    "Db": {\n      "Type": "AWS::RDS::DBInstance",\n      "Properties": {\n        "Engine": "mysql",\n        "DeletionProtection": false\n      }\n    }\n  }\n}\n', 7),
  ],
  good: [
    tf('resource "aws_rds_cluster" "c" {\n  engine              = "aurora-postgresql"\n  deletion_protection = true\n}\n'),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      DeletionProtection: true\n'),
  ],
}), rdsLive.deletion);

const NO_MINOR_UPGRADES = 'automatic minor version upgrades are disabled';

export const rdsMinorUpgrades = withLive(awsRule({
  id: 'VGL-AWS-104',
  title: 'RDS automatic minor version upgrades are disabled',
  description:
    'Minor engine versions carry security fixes; with automatic minor version upgrades off the instance keeps running a vulnerable engine until someone upgrades it by hand.',
  severity: 'low',
  service: 'rds',
  frameworks: [...cis('2.3.2'), ...CONTROLS.patching()],
  remediation: 'Set auto_minor_version_upgrade / AutoMinorVersionUpgrade to true (the default) and pick a maintenance window.',
  references: [`${TF_INSTANCE}#auto_minor_version_upgrade`, `${CFN_INSTANCE}#cfn-rds-dbinstance-autominorversionupgrade`],
  tf: {
    aws_db_instance: (r) => requireTrue(r.attrs, ['auto_minor_version_upgrade'], NO_MINOR_UPGRADES, true),
    aws_rds_cluster_instance: (r) => requireTrue(r.attrs, ['auto_minor_version_upgrade'], NO_MINOR_UPGRADES, true),
    'module:rds': (r) => requireTrue(r.attrs, ['auto_minor_version_upgrade'], NO_MINOR_UPGRADES, true),
  },
  cfn: {
    'AWS::RDS::DBInstance': (r) => requireTrue(r.attrs, ['AutoMinorVersionUpgrade'], NO_MINOR_UPGRADES, true),
  },
  fix: { terraform: 'auto_minor_version_upgrade = true', cloudformation: 'AutoMinorVersionUpgrade: true' },
  bad: [
    tf('resource "aws_db_instance" "db" {\n  engine                     = "mysql"\n  auto_minor_version_upgrade = false\n}\n', 3),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      AutoMinorVersionUpgrade: false\n', 6),
  ],
  good: [
    tf('resource "aws_db_instance" "db" {\n  engine = "mysql"\n}\n'),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      AutoMinorVersionUpgrade: true\n'),
  ],
}), rdsLive.minorUpgrade);

const SINGLE_AZ = 'the instance is deployed in a single Availability Zone';

export const rdsMultiAz = withLive(awsRule({
  id: 'VGL-AWS-105',
  title: 'RDS instance is not Multi-AZ',
  description:
    'A single-AZ instance has no standby: an Availability Zone outage, a host failure or maintenance makes the database unavailable until it is recovered or restored.',
  severity: 'low',
  service: 'rds',
  frameworks: CONTROLS.availability(),
  remediation: 'Set multi_az / MultiAZ to true for production databases (Aurora: run instances in two or more AZs).',
  references: [`${TF_INSTANCE}#multi_az`, `${CFN_INSTANCE}#cfn-rds-dbinstance-multiaz`],
  tf: {
    aws_db_instance: (r) => (tfClusterMember(r.attrs) ? [] : requireTrue(r.attrs, ['multi_az'], SINGLE_AZ)),
    'module:rds': (r) => requireTrue(r.attrs, ['multi_az'], SINGLE_AZ),
  },
  cfn: {
    'AWS::RDS::DBInstance': (r) => (cfnClusterMember(r.attrs) ? [] : requireTrue(r.attrs, ['MultiAZ'], SINGLE_AZ)),
  },
  fix: { terraform: 'multi_az = true', cloudformation: 'MultiAZ: true' },
  bad: [
    tf('resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  multi_az = false\n}\n', 3),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      MultiAZ: false\n', 6),
  ],
  good: [
    tf('resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  multi_az = true\n}\n'),
    cfn('Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: postgres\n      MultiAZ: true\n'),
  ],
}), rdsLive.multiAz);

/** Resources an AWS Backup selection covers by name; a tag- or condition-based selection may cover anything. */
function backedUp(r: Resource, ctx: RuleContext): boolean | undefined {
  const tfInput = r.kind.startsWith('tf:');
  const selections = ctx.byKind(tfInput ? 'tf:aws_backup_selection' : 'cfn:AWS::Backup::BackupSelection');
  if (ctx.referrers(r, tfInput ? 'tf:aws_backup_selection' : 'cfn:AWS::Backup::BackupSelection').length > 0) return true;
  const byTags = selections.some((s) =>
    tfInput
      ? !isEmpty(s.attrs['selection_tag']) || !isEmpty(s.attrs['condition']) || (Array.isArray(s.attrs['resources']) && (s.attrs['resources'] as unknown[]).some((x) => typeof x === 'string' && x.includes('*')))
      : !isEmpty(at(s.attrs, ['BackupSelection', 'ListOfTags'])) || !isEmpty(at(s.attrs, ['BackupSelection', 'Conditions'])),
  );
  return byTags ? undefined : false;
}

const NOT_IN_BACKUP_PLAN = 'no AWS Backup plan selects this database';

export const rdsBackupPlan = awsRule({
  id: 'VGL-AWS-157',
  title: 'RDS database is not in an AWS Backup plan',
  description: 'Automated RDS backups live and die with the database\'s account and region; an AWS Backup plan adds centrally governed retention, vault locks and cross-account or cross-region copies that survive a compromised account.',
  severity: 'low',
  service: 'rds',
  frameworks: CONTROLS.backup(),
  remediation: 'Add the cluster or instance to an aws_backup_selection (AWS::Backup::BackupSelection) of a backup plan, by ARN or by tag.',
  references: [`${TF_DOCS}backup_selection`, 'https://docs.aws.amazon.com/aws-backup/latest/devguide/assigning-resources.html'],
  tf: {
    aws_rds_cluster: (r, ctx) => (backedUp(r, ctx) === false ? [violation([], NOT_IN_BACKUP_PLAN)] : []),
    aws_db_instance: (r, ctx) => (tfClusterMember(r.attrs) || backedUp(r, ctx) !== false ? [] : [violation([], NOT_IN_BACKUP_PLAN)]),
  },
  cfn: {
    'AWS::RDS::DBCluster': (r, ctx) => (backedUp(r, ctx) === false ? [violation([], NOT_IN_BACKUP_PLAN)] : []),
    'AWS::RDS::DBInstance': (r, ctx) => (cfnClusterMember(r.attrs) || backedUp(r, ctx) !== false ? [] : [violation([], NOT_IN_BACKUP_PLAN)]),
  },
  fix: { terraform: 'resource "aws_backup_selection" "db" {\n  name         = "db"\n  plan_id      = aws_backup_plan.daily.id\n  iam_role_arn = aws_iam_role.backup.arn\n  resources    = [aws_rds_cluster.main.arn]\n}', cloudformation: 'Type: AWS::Backup::BackupSelection\nProperties:\n  BackupPlanId: !Ref DailyPlan\n  BackupSelection:\n    SelectionName: db\n    IamRoleArn: !GetAtt BackupRole.Arn\n    Resources:\n      - !GetAtt MainCluster.DBClusterArn' },
  bad: [tf('resource "aws_rds_cluster" "main" {\n  engine = "aurora-postgresql"\n}\n', 1)],
  good: [
    tf('resource "aws_rds_cluster" "main" {\n  engine = "aurora-postgresql"\n}\n\nresource "aws_backup_selection" "db" {\n  name         = "db"\n  plan_id      = aws_backup_plan.daily.id\n  iam_role_arn = aws_iam_role.backup.arn\n  resources    = [aws_rds_cluster.main.arn]\n}\n'),
  ],
});
