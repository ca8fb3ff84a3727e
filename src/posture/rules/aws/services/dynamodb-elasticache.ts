/**
 * DynamoDB, DAX and ElastiCache: encryption at rest and in transit, point-in-time recovery,
 * Redis backups and Memcached nodes spread over Availability Zones.
 */
import { num } from '../../../attrs.js';
import type { Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { blockPath, join, lower, requireAtLeast, requireTrue, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, TF_DOCS, tf } from './lib/define.js';

const sse = (a: Attrs, block: string, message: string): Violation[] => requireTrue(a, join(blockPath(a, block), 'enabled'), message);

export const dynamodbKms = awsRule({
  id: 'VGL-AWS-111',
  title: 'DynamoDB table is not encrypted with a KMS key',
  description:
    'Without server-side encryption settings a table is encrypted with an AWS owned key that you cannot see, audit or control; a KMS key (AWS managed or customer managed) puts decryption under key policy and CloudTrail.',
  severity: 'medium',
  service: 'dynamodb',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Enable server_side_encryption / SSESpecification.SSEEnabled (with a customer managed key where possible).',
  references: [`${TF_DOCS}dynamodb_table#server_side_encryption`, `${CFN_DOCS}aws-properties-dynamodb-table-ssespecification.html`],
  tf: { aws_dynamodb_table: (r) => sse(r.attrs, 'server_side_encryption', 'server-side encryption with a KMS key is not enabled') },
  cfn: { 'AWS::DynamoDB::Table': (r) => requireTrue(r.attrs, ['SSESpecification', 'SSEEnabled'], 'server-side encryption with a KMS key is not enabled') },
  fix: { terraform: 'server_side_encryption {\n  enabled     = true\n  kms_key_arn = aws_kms_key.ddb.arn\n}', cloudformation: 'SSESpecification:\n  SSEEnabled: true\n  SSEType: KMS' },
  bad: [
    tf('resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n}\n', 1),
    tf('resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n  server_side_encryption {\n    enabled = false\n  }\n}\n', 5),
    cfn('Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      SSESpecification:\n        SSEEnabled: false\n', 6),
  ],
  good: [tf('resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n  server_side_encryption {\n    enabled = true\n  }\n}\n')],
});

const NO_PITR = 'point-in-time recovery is not enabled';

export const dynamodbPitr = awsRule({
  id: 'VGL-AWS-112',
  title: 'DynamoDB point-in-time recovery is disabled',
  description:
    'Without point-in-time recovery a table cannot be restored to a moment before an accidental write, delete or a malicious change; on-demand backups only cover the moments someone thought to take one.',
  severity: 'medium',
  service: 'dynamodb',
  frameworks: CONTROLS.backup(),
  remediation: 'Enable point_in_time_recovery / PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled.',
  references: [`${TF_DOCS}dynamodb_table#point_in_time_recovery`, 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html'],
  tf: { aws_dynamodb_table: (r) => sse(r.attrs, 'point_in_time_recovery', NO_PITR) },
  cfn: { 'AWS::DynamoDB::Table': (r) => requireTrue(r.attrs, ['PointInTimeRecoverySpecification', 'PointInTimeRecoveryEnabled'], NO_PITR) },
  fix: { terraform: 'point_in_time_recovery {\n  enabled = true\n}', cloudformation: 'PointInTimeRecoverySpecification:\n  PointInTimeRecoveryEnabled: true' },
  bad: [tf('resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n  point_in_time_recovery {\n    enabled = false\n  }\n}\n', 5)],
  good: [
    tf('resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n  point_in_time_recovery {\n    enabled = true\n  }\n}\n'),
    cfn('Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      PointInTimeRecoverySpecification:\n        PointInTimeRecoveryEnabled: true\n'),
  ],
});

export const daxEncryption = awsRule({
  id: 'VGL-AWS-113',
  title: 'DAX cluster is not encrypted at rest',
  description: 'A DynamoDB Accelerator cluster caches table items on its nodes; without server-side encryption that cached data and its logs sit unencrypted on disk.',
  severity: 'medium',
  service: 'dynamodb',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Create the cluster with server_side_encryption { enabled = true } / SSESpecification.SSEEnabled: true (it cannot be changed later).',
  references: [`${TF_DOCS}dax_cluster#server_side_encryption`, `${CFN_DOCS}aws-resource-dax-cluster.html`],
  tf: { aws_dax_cluster: (r) => sse(r.attrs, 'server_side_encryption', 'server-side encryption is not enabled') },
  cfn: { 'AWS::DAX::Cluster': (r) => requireTrue(r.attrs, ['SSESpecification', 'SSEEnabled'], 'server-side encryption is not enabled') },
  fix: { terraform: 'server_side_encryption {\n  enabled = true\n}', cloudformation: 'SSESpecification:\n  SSEEnabled: true' },
  bad: [
    tf('resource "aws_dax_cluster" "c" {\n  cluster_name       = "c"\n  node_type          = "dax.r4.large"\n  replication_factor = 1\n  server_side_encryption {\n  }\n}\n', 5),
    cfn('Resources:\n  Dax:\n    Type: AWS::DAX::Cluster\n    Properties:\n      NodeType: dax.r4.large\n      SSESpecification:\n        SSEEnabled: false\n', 7),
  ],
  good: [tf('resource "aws_dax_cluster" "c" {\n  cluster_name = "c"\n  server_side_encryption {\n    enabled = true\n  }\n}\n')],
});

/** Redis (or Valkey) is what these settings apply to; an unknown engine is not assumed. */
const redis = (engine: unknown): boolean => ['redis', 'valkey'].includes(String(engine).toLowerCase());

export const elasticacheAtRest = awsRule({
  id: 'VGL-AWS-114',
  title: 'ElastiCache replication group is not encrypted at rest',
  description: 'Redis data, backups and swap files of the replication group are written to disk unencrypted.',
  severity: 'medium',
  service: 'elasticache',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Set at_rest_encryption_enabled / AtRestEncryptionEnabled to true when creating the replication group.',
  references: [`${TF_DOCS}elasticache_replication_group#at_rest_encryption_enabled`, 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/at-rest-encryption.html'],
  tf: { aws_elasticache_replication_group: (r) => requireTrue(r.attrs, ['at_rest_encryption_enabled'], 'encryption at rest is not enabled') },
  cfn: { 'AWS::ElastiCache::ReplicationGroup': (r) => requireTrue(r.attrs, ['AtRestEncryptionEnabled'], 'encryption at rest is not enabled') },
  fix: { terraform: 'at_rest_encryption_enabled = true', cloudformation: 'AtRestEncryptionEnabled: true' },
  bad: [tf('resource "aws_elasticache_replication_group" "r" {\n  replication_group_id = "r"\n  description          = "cache"\n}\n', 1)],
  good: [tf('resource "aws_elasticache_replication_group" "r" {\n  replication_group_id       = "r"\n  description                = "cache"\n  at_rest_encryption_enabled = true\n}\n')],
});

export const elasticacheInTransit = awsRule({
  id: 'VGL-AWS-115',
  title: 'ElastiCache replication group does not encrypt traffic in transit',
  description: 'Clients and replicas talk to Redis in clear text, so cached data and AUTH tokens can be read on the network.',
  severity: 'medium',
  service: 'elasticache',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Set transit_encryption_enabled / TransitEncryptionEnabled to true (with an AUTH token or RBAC users).',
  references: [`${TF_DOCS}elasticache_replication_group#transit_encryption_enabled`, 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/in-transit-encryption.html'],
  tf: { aws_elasticache_replication_group: (r) => requireTrue(r.attrs, ['transit_encryption_enabled'], 'encryption in transit is not enabled') },
  cfn: { 'AWS::ElastiCache::ReplicationGroup': (r) => requireTrue(r.attrs, ['TransitEncryptionEnabled'], 'encryption in transit is not enabled') },
  fix: { terraform: 'transit_encryption_enabled = true', cloudformation: 'TransitEncryptionEnabled: true' },
  bad: [cfn('Resources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: cache\n      TransitEncryptionEnabled: false\n', 6)],
  good: [cfn('Resources:\n  Cache:\n    Type: AWS::ElastiCache::ReplicationGroup\n    Properties:\n      ReplicationGroupDescription: cache\n      TransitEncryptionEnabled: true\n')],
});

const NO_SNAPSHOTS = 'automatic backups are disabled (snapshot retention 0)';

export const elasticacheBackups = awsRule({
  id: 'VGL-AWS-116',
  title: 'ElastiCache Redis has no automatic backups',
  description: 'With a snapshot retention limit of 0 (the default) Redis keeps no daily snapshots, so a lost or corrupted cache cannot be restored.',
  severity: 'low',
  service: 'elasticache',
  frameworks: CONTROLS.backup(),
  remediation: 'Set snapshot_retention_limit / SnapshotRetentionLimit to the number of days of snapshots to keep (1 or more).',
  references: [`${TF_DOCS}elasticache_cluster#snapshot_retention_limit`, 'https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/backups-automatic.html'],
  tf: {
    aws_elasticache_cluster: (r) => (redis(r.attrs['engine']) ? requireAtLeast(r.attrs, ['snapshot_retention_limit'], 1, NO_SNAPSHOTS, 0) : []),
    aws_elasticache_replication_group: (r) => requireAtLeast(r.attrs, ['snapshot_retention_limit'], 1, NO_SNAPSHOTS, 0),
  },
  cfn: {
    'AWS::ElastiCache::CacheCluster': (r) => (redis(r.attrs['Engine']) ? requireAtLeast(r.attrs, ['SnapshotRetentionLimit'], 1, NO_SNAPSHOTS, 0) : []),
    'AWS::ElastiCache::ReplicationGroup': (r) => requireAtLeast(r.attrs, ['SnapshotRetentionLimit'], 1, NO_SNAPSHOTS, 0),
  },
  fix: { terraform: 'snapshot_retention_limit = 7', cloudformation: 'SnapshotRetentionLimit: 7' },
  bad: [tf('resource "aws_elasticache_cluster" "c" {\n  cluster_id               = "c"\n  engine                   = "redis"\n  snapshot_retention_limit = 0\n}\n', 4)],
  good: [
    tf('resource "aws_elasticache_cluster" "c" {\n  cluster_id               = "c"\n  engine                   = "redis"\n  snapshot_retention_limit = 5\n}\n'),
    tf('resource "aws_elasticache_cluster" "c" {\n  cluster_id = "c"\n  engine     = "memcached"\n}\n'),
  ],
});

function crossAz(a: Attrs, engine: string, nodes: string, mode: string): Violation[] {
  if (String(a[engine]).toLowerCase() !== 'memcached' || (num(a[nodes]) ?? 1) < 2) return [];
  const m = lower(a, [mode]);
  if (m === 'cross-az') return [];
  if (m === undefined && a[mode] !== undefined && a[mode] !== null) return [];
  return [violation([mode], 'the Memcached nodes are all created in one Availability Zone')];
}

export const elasticacheMultiAz = awsRule({
  id: 'VGL-AWS-117',
  title: 'ElastiCache Memcached nodes are in a single Availability Zone',
  description: 'A multi-node Memcached cluster in single-az mode loses every node together when that Availability Zone fails.',
  severity: 'low',
  service: 'elasticache',
  frameworks: CONTROLS.availability(),
  remediation: 'Set az_mode / AZMode to cross-az for clusters with more than one node.',
  references: [`${TF_DOCS}elasticache_cluster#az_mode`, `${CFN_DOCS}aws-resource-elasticache-cachecluster.html#cfn-elasticache-cachecluster-azmode`],
  tf: { aws_elasticache_cluster: (r) => crossAz(r.attrs, 'engine', 'num_cache_nodes', 'az_mode') },
  cfn: { 'AWS::ElastiCache::CacheCluster': (r) => crossAz(r.attrs, 'Engine', 'NumCacheNodes', 'AZMode') },
  fix: { terraform: 'az_mode = "cross-az"', cloudformation: 'AZMode: cross-az' },
  bad: [tf('resource "aws_elasticache_cluster" "c" {\n  cluster_id      = "c"\n  engine          = "memcached"\n  num_cache_nodes = 3\n  az_mode         = "single-az"\n}\n', 5)],
  good: [cfn('Resources:\n  Cache:\n    Type: AWS::ElastiCache::CacheCluster\n    Properties:\n      Engine: memcached\n      NumCacheNodes: "3"\n      AZMode: cross-az\n')],
});
