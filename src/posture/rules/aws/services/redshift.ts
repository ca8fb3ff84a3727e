/**
 * Redshift: encryption, public access, audit logging, TLS required by the parameter group and
 * clusters launched outside a VPC.
 */
import { at, isObject, str } from '../../../attrs.js';
import type { Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { blockPath, eachBlock, flag, forbidTrue, isAbsent, join, requireSet, requireTrue, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, TF_DOCS, tf } from './lib/define.js';

const TF_CLUSTER = `${TF_DOCS}redshift_cluster`;
const CFN_CLUSTER = `${CFN_DOCS}aws-resource-redshift-cluster.html`;

export const redshiftEncryption = awsRule({
  id: 'VGL-AWS-118',
  title: 'Redshift cluster is not encrypted',
  description: 'The cluster\'s data blocks, metadata and snapshots are stored unencrypted (clusters created before 2025 or with encryption turned off).',
  severity: 'high',
  service: 'redshift',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Set encrypted / Encrypted to true (preferably with a customer managed KMS key).',
  references: [`${TF_CLUSTER}#encrypted`, `${CFN_CLUSTER}#cfn-redshift-cluster-encrypted`],
  tf: { aws_redshift_cluster: (r) => requireTrue(r.attrs, ['encrypted'], 'the cluster is not encrypted') },
  // CloudFormation encrypts new clusters by default (and refuses false since 2025).
  cfn: { 'AWS::Redshift::Cluster': (r) => requireTrue(r.attrs, ['Encrypted'], 'the cluster is not encrypted', true) },
  fix: { terraform: 'encrypted  = true\nkms_key_id = aws_kms_key.redshift.arn', cloudformation: 'Encrypted: true\nKmsKeyId: !Ref RedshiftKey' },
  bad: [tf('resource "aws_redshift_cluster" "c" {\n  cluster_identifier = "dw"\n  node_type          = "ra3.xlplus"\n  encrypted          = false\n}\n', 4)],
  good: [cfn('Resources:\n  Dw:\n    Type: AWS::Redshift::Cluster\n    Properties:\n      NodeType: ra3.xlplus\n      Encrypted: true\n')],
});

export const redshiftPublic = awsRule({
  id: 'VGL-AWS-119',
  title: 'Redshift cluster is publicly accessible',
  description: 'A publicly accessible cluster gets a public IP address, so its endpoint can be reached from the internet, guarded only by security groups and passwords.',
  severity: 'high',
  service: 'redshift',
  frameworks: CONTROLS.publicAccess(),
  remediation: 'Set publicly_accessible / PubliclyAccessible to false and connect through the VPC.',
  references: [`${TF_CLUSTER}#publicly_accessible`, `${CFN_CLUSTER}#cfn-redshift-cluster-publiclyaccessible`],
  tf: { aws_redshift_cluster: (r) => forbidTrue(r.attrs, ['publicly_accessible'], 'the cluster is publicly accessible') },
  cfn: { 'AWS::Redshift::Cluster': (r) => forbidTrue(r.attrs, ['PubliclyAccessible'], 'the cluster is publicly accessible') },
  fix: { terraform: 'publicly_accessible = false', cloudformation: 'PubliclyAccessible: false' },
  bad: [cfn('Resources:\n  Dw:\n    Type: AWS::Redshift::Cluster\n    Properties:\n      NodeType: ra3.xlplus\n      PubliclyAccessible: true\n', 6)],
  good: [tf('resource "aws_redshift_cluster" "c" {\n  cluster_identifier  = "dw"\n  publicly_accessible = false\n}\n')],
});

function tfLogging(a: Attrs): Violation[] {
  const path = blockPath(a, 'logging');
  const block = at(a, path);
  if (isAbsent(block)) return [violation(['logging'], 'audit logging is not enabled')];
  return requireTrue(a, join(path, 'enable'), 'audit logging is not enabled');
}

export const redshiftLogging = awsRule({
  id: 'VGL-AWS-120',
  title: 'Redshift audit logging is disabled',
  description: 'Without audit logging the cluster keeps no connection and user activity logs outside the cluster, so access to the warehouse cannot be reviewed or investigated.',
  severity: 'medium',
  service: 'redshift',
  frameworks: CONTROLS.logging(),
  remediation: 'Enable audit logging to S3 or CloudWatch Logs (aws_redshift_logging, or LoggingProperties).',
  references: [`${TF_DOCS}redshift_logging`, `${CFN_CLUSTER}#cfn-redshift-cluster-loggingproperties`],
  tf: {
    aws_redshift_cluster: (r, ctx) => (ctx.referrers(r, 'tf:aws_redshift_logging').length > 0 ? [] : tfLogging(r.attrs)),
  },
  cfn: { 'AWS::Redshift::Cluster': (r) => requireSet(r.attrs, ['LoggingProperties'], 'audit logging is not enabled') },
  fix: { terraform: 'resource "aws_redshift_logging" "dw" {\n  cluster_identifier   = aws_redshift_cluster.dw.id\n  log_destination_type = "cloudwatch"\n  log_exports          = ["connectionlog", "userlog", "useractivitylog"]\n}', cloudformation: 'LoggingProperties:\n  BucketName: !Ref AuditBucket' },
  bad: [tf('resource "aws_redshift_cluster" "c" {\n  cluster_identifier = "dw"\n  logging {\n    enable = false\n  }\n}\n', 4)],
  good: [cfn('Resources:\n  Dw:\n    Type: AWS::Redshift::Cluster\n    Properties:\n      NodeType: ra3.xlplus\n      LoggingProperties:\n        BucketName: logs\n')],
});

/** `require_ssl` in a parameter list of `{name,value}` (Terraform) or `{ParameterName,ParameterValue}`. */
function requireSsl(params: readonly { name: unknown; value: unknown }[]): boolean | undefined {
  const p = params.find((x) => str(x.name)?.toLowerCase() === 'require_ssl');
  if (p === undefined) return false;
  return typeof p.value === 'string' && p.value.includes('${') ? undefined : flag(p.value) === true;
}

const NO_SSL = 'the parameter group does not set require_ssl to true: clients may connect unencrypted';

export const redshiftSsl = awsRule({
  id: 'VGL-AWS-121',
  title: 'Redshift parameter group does not require SSL',
  description: 'A Redshift parameter group without require_ssl = true lets clients of the clusters using it connect without TLS.',
  severity: 'medium',
  service: 'redshift',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Add the parameter require_ssl = true to the cluster parameter group.',
  references: [`${TF_DOCS}redshift_parameter_group`, 'https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html'],
  tf: {
    aws_redshift_parameter_group: (r) => {
      const params = eachBlock(r.attrs, 'parameter').map(({ block }) => ({ name: block['name'], value: block['value'] }));
      return requireSsl(params) === false ? [violation(['parameter'], NO_SSL)] : [];
    },
  },
  cfn: {
    'AWS::Redshift::ClusterParameterGroup': (r) => {
      const list = r.attrs['Parameters'];
      if (!Array.isArray(list)) return isAbsent(list) ? [violation(['Parameters'], NO_SSL)] : [];
      const params = list.filter(isObject).map((p) => ({ name: p['ParameterName'], value: p['ParameterValue'] }));
      return requireSsl(params) === false ? [violation(['Parameters'], NO_SSL)] : [];
    },
  },
  fix: { terraform: 'parameter {\n  name  = "require_ssl"\n  value = "true"\n}', cloudformation: 'Parameters:\n  - ParameterName: require_ssl\n    ParameterValue: "true"' },
  bad: [tf('resource "aws_redshift_parameter_group" "p" {\n  name   = "p"\n  family = "redshift-1.0"\n  parameter {\n    name  = "require_ssl"\n    value = "false"\n  }\n}\n', 4)],
  good: [
    cfn('Resources:\n  Params:\n    Type: AWS::Redshift::ClusterParameterGroup\n    Properties:\n      Description: p\n      ParameterGroupFamily: redshift-1.0\n      Parameters:\n        - ParameterName: require_ssl\n          ParameterValue: "true"\n'),
  ],
});

export const redshiftVpc = awsRule({
  id: 'VGL-AWS-122',
  title: 'Redshift cluster is not launched in a VPC',
  description: 'A cluster without a cluster subnet group is placed in EC2-Classic or the default VPC, outside the network segmentation, flow logs and security groups of your own VPC.',
  severity: 'medium',
  service: 'redshift',
  frameworks: CONTROLS.network(),
  remediation: 'Create a cluster subnet group of private subnets and set cluster_subnet_group_name / ClusterSubnetGroupName.',
  references: [`${TF_CLUSTER}#cluster_subnet_group_name`, `${CFN_CLUSTER}#cfn-redshift-cluster-clustersubnetgroupname`],
  tf: { aws_redshift_cluster: (r) => requireSet(r.attrs, ['cluster_subnet_group_name'], 'the cluster names no subnet group: it is not in your VPC') },
  cfn: { 'AWS::Redshift::Cluster': (r) => requireSet(r.attrs, ['ClusterSubnetGroupName'], 'the cluster names no subnet group: it is not in your VPC') },
  fix: { terraform: 'cluster_subnet_group_name = aws_redshift_subnet_group.private.name', cloudformation: 'ClusterSubnetGroupName: !Ref PrivateSubnets' },
  bad: [tf('resource "aws_redshift_cluster" "c" {\n  cluster_identifier = "dw"\n  node_type          = "ra3.xlplus"\n}\n', 1)],
  good: [tf('resource "aws_redshift_cluster" "c" {\n  cluster_identifier        = "dw"\n  cluster_subnet_group_name = aws_redshift_subnet_group.private.name\n}\n')],
});
