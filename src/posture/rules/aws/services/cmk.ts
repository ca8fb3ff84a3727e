/**
 * VGL-AWS-190: data encrypted only with an AWS owned or AWS managed key. One concern across
 * many services, so one table: for each resource type, where its KMS key is set. A key written
 * as an AWS managed alias (`alias/aws/<service>`) counts as no customer managed key.
 */
import { isObject, isUnresolved, str } from '../../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { flag, type Attrs } from './lib/checks.js';
import { awsRule, cfn, CONTROLS, nist, type Check, TF_DOCS, tf } from './lib/define.js';

interface KeySetting {
  /** Where the key may be set (any one is enough); `*` steps into the first nested block. */
  readonly paths: readonly (readonly string[])[];
  /** Only resources this holds for are checked. */
  readonly when?: (a: Attrs) => boolean;
}

const one = (...path: string[]): KeySetting => ({ paths: [path] });

const TF: Readonly<Record<string, KeySetting>> = {
  aws_appflow_flow: one('kms_arn'),
  aws_backup_vault: one('kms_key_arn'),
  aws_cloudwatch_log_group: one('kms_key_id'),
  aws_codeartifact_domain: one('encryption_key'),
  aws_connect_instance_storage_config: {
    paths: [['storage_config', 's3_config', 'encryption_config', 'key_id']],
    when: (a) => resolve(a, ['storage_config', 's3_config']).value !== undefined,
  },
  aws_dms_endpoint: {
    paths: [['kms_key_arn'], ['s3_settings', 'server_side_encryption_kms_key_id']],
  },
  aws_dms_s3_endpoint: one('kms_key_arn'),
  aws_docdb_cluster: one('kms_key_id'),
  aws_dynamodb_table: one('server_side_encryption', 'kms_key_arn'),
  aws_fsx_ontap_file_system: one('kms_key_id'),
  aws_fsx_openzfs_file_system: one('kms_key_id'),
  aws_fsx_windows_file_system: one('kms_key_id'),
  aws_kendra_index: one('server_side_encryption_configuration', 'kms_key_id'),
  aws_kinesis_stream: one('kms_key_id'),
  aws_memorydb_cluster: one('kms_key_arn'),
  aws_memorydb_snapshot: one('kms_key_arn'),
  aws_neptune_cluster: one('kms_key_arn'),
  aws_networkfirewall_firewall_policy: one('encryption_configuration', 'key_id'),
  aws_rds_cluster: one('kms_key_id'),
  aws_redshift_cluster: one('kms_key_id'),
  aws_redshiftserverless_namespace: one('kms_key_id'),
  aws_sagemaker_domain: one('kms_key_id'),
  aws_sagemaker_notebook_instance: one('kms_key_id'),
  aws_timestreamwrite_database: one('kms_key_id'),
};

const CFN: Readonly<Record<string, KeySetting>> = {
  'AWS::Backup::BackupVault': one('EncryptionKeyArn'),
  'AWS::CodeArtifact::Domain': one('EncryptionKey'),
  'AWS::DocDB::DBCluster': one('KmsKeyId'),
  'AWS::DynamoDB::Table': one('SSESpecification', 'KMSMasterKeyId'),
  'AWS::Kendra::Index': one('ServerSideEncryptionConfiguration', 'KmsKeyId'),
  'AWS::Kinesis::Stream': one('StreamEncryption', 'KeyId'),
  'AWS::Logs::LogGroup': one('KmsKeyId'),
  'AWS::Neptune::DBCluster': one('KmsKeyId'),
  'AWS::RDS::DBCluster': one('KmsKeyId'),
  'AWS::Redshift::Cluster': one('KmsKeyId'),
  'AWS::SageMaker::DataQualityJobDefinition': one('JobResources', 'ClusterConfig', 'VolumeKmsKeyId'),
  'AWS::SageMaker::NotebookInstance': one('KmsKeyId'),
  'AWS::Timestream::Database': one('KmsKeyId'),
};

/** Follow `steps` through objects and (first elements of) nested block lists. */
function resolve(a: Attrs, steps: readonly string[]): { value: unknown; path: AttrPath } {
  let cur: unknown = a;
  const path: (string | number)[] = [];
  for (const step of steps) {
    if (Array.isArray(cur)) {
      path.push(0);
      cur = cur[0];
    }
    if (!isObject(cur) || !Object.hasOwn(cur, step)) return { value: undefined, path: [...path, step] };
    path.push(step);
    cur = cur[step];
  }
  return { value: cur ?? undefined, path };
}

const AWS_MANAGED = /(^|[:/])alias\/aws\//;

/** `customer` when a customer key is named, `unknown` for an expression, else `none`. */
function keyKind(v: unknown): 'customer' | 'unknown' | 'none' {
  if (v === undefined || v === null) return 'none';
  if (isUnresolved(v)) return 'unknown';
  const s = str(v);
  if (s === undefined) return isObject(v) ? 'unknown' : 'none';
  if (s.trim() === '' || AWS_MANAGED.test(s)) return 'none';
  return 'customer';
}

function checkWith(setting: KeySetting): Check {
  return (r: Resource): Violation[] => {
    if (setting.when !== undefined && !setting.when(r.attrs)) return [];
    const found = setting.paths.map((p) => resolve(r.attrs, p));
    if (found.some((f) => keyKind(f.value) !== 'none')) return [];
    return [violation(found[0]!.path, 'no customer managed KMS key: the data is encrypted with an AWS owned or AWS managed key')];
  };
}

const table = (t: Readonly<Record<string, KeySetting>>): Record<string, Check> =>
  Object.fromEntries(Object.entries(t).map(([type, s]) => [type, checkWith(s)]));

export const customerManagedKey = awsRule({
  id: 'VGL-AWS-190',
  title: 'Data is not encrypted with a customer managed KMS key',
  description:
    'The resource encrypts its data with an AWS owned or AWS managed key. Only a customer managed key lets you control and audit who may decrypt (key policy, grants, CloudTrail), rotate or disable the key, and share encrypted snapshots or backups deliberately.',
  severity: 'low',
  service: 'kms',
  frameworks: CONTROLS.customerKey(),
  remediation: 'Create a customer managed KMS key with a least-privilege key policy and name it in the resource\'s KMS key setting.',
  references: ['https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt', 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html'],
  tf: table(TF),
  cfn: table(CFN),
  fix: { terraform: 'kms_key_id = aws_kms_key.data.arn', cloudformation: 'KmsKeyId: !GetAtt DataKey.Arn' },
  bad: [
    tf('resource "aws_kinesis_stream" "s" {\n  name            = "events"\n  shard_count     = 1\n  encryption_type = "KMS"\n  kms_key_id      = "alias/aws/kinesis"\n}\n', 5),
    tf('resource "aws_dynamodb_table" "t" {\n  name     = "t"\n  hash_key = "id"\n  server_side_encryption {\n    enabled = true\n  }\n}\n', 4),
    cfn('Resources:\n  Db:\n    Type: AWS::Timestream::Database\n    Properties:\n      DatabaseName: metrics\n      KmsKeyId: ""\n', 6),
  ],
  good: [
    tf('resource "aws_kinesis_stream" "s" {\n  name            = "events"\n  shard_count     = 1\n  encryption_type = "KMS"\n  kms_key_id      = aws_kms_key.k.arn\n}\n'),
    cfn('Resources:\n  Vault:\n    Type: AWS::Backup::BackupVault\n    Properties:\n      BackupVaultName: main\n      EncryptionKeyArn: !GetAtt Key.Arn\n'),
  ],
});

const DLM_UNENCRYPTED = 'cross-region snapshot copies are not encrypted with a customer managed key';

/** Each cross-region copy setting of a lifecycle policy: `encrypted` flag and `cmk` key, with paths. */
function dlmCopies(a: Attrs, tfInput: boolean): { encrypted: unknown; cmk: unknown; path: AttrPath }[] {
  const out: { encrypted: unknown; cmk: unknown; path: AttrPath }[] = [];
  const each = (v: unknown, base: AttrPath, key: string, fn: (x: Attrs, p: AttrPath) => void): void => {
    const list = tfInput || Array.isArray(v) ? (Array.isArray(v) ? (v as unknown[]) : [v]) : [v];
    list.forEach((x, i) => isObject(x) && fn(x, Array.isArray(v) ? [...base, key, i] : [...base, key]));
  };
  const details = tfInput ? 'policy_details' : 'PolicyDetails';
  each(a[details], [], details, (d, dp) => {
    each(d[tfInput ? 'schedule' : 'Schedules'], dp, tfInput ? 'schedule' : 'Schedules', (s, sp) => {
      const key = tfInput ? 'cross_region_copy_rule' : 'CrossRegionCopyRules';
      each(s[key], sp, key, (c, cp) => out.push({ encrypted: c[tfInput ? 'encrypted' : 'Encrypted'], cmk: c[tfInput ? 'cmk_arn' : 'CmkArn'], path: cp }));
    });
    each(d[tfInput ? 'action' : 'Actions'], dp, tfInput ? 'action' : 'Actions', (act, ap) => {
      const key = tfInput ? 'cross_region_copy' : 'CrossRegionCopy';
      each(act[key], ap, key, (c, cp) => {
        const ek = tfInput ? 'encryption_configuration' : 'EncryptionConfiguration';
        const conf = Array.isArray(c[ek]) ? (c[ek] as unknown[])[0] : c[ek];
        const e = isObject(conf) ? conf : {};
        const path = isObject(conf) ? [...cp, ek, ...(Array.isArray(c[ek]) ? [0] : [])] : cp;
        out.push({ encrypted: e[tfInput ? 'encryption' : 'Encrypted'], cmk: e[tfInput ? 'cmk_arn' : 'CmkArn'], path });
      });
    });
  });
  return out;
}

function dlmEncryption(a: Attrs, tfInput: boolean): Violation[] {
  return dlmCopies(a, tfInput)
    .filter((c) => !isUnresolved(c.encrypted) && (flag(c.encrypted) !== true || keyKind(c.cmk) === 'none'))
    .map((c) => violation(c.path, DLM_UNENCRYPTED));
}

export const dlmCrossRegionEncryption = awsRule({
  id: 'VGL-AWS-159',
  title: 'DLM cross-region snapshot copies are not encrypted with a customer managed key',
  description: 'Data Lifecycle Manager copies EBS snapshots to other regions; copies made unencrypted, or with the target region\'s default key, leave the data outside the key policy that protects the source.',
  severity: 'medium',
  service: 'dlm',
  frameworks: [...CONTROLS.encryptionAtRest(), ...nist('SC-12')],
  remediation: 'Set encrypted = true and cmk_arn (Encrypted / CmkArn) on every cross-region copy rule and event-based cross-region copy action.',
  references: [`${TF_DOCS}dlm_lifecycle_policy#cross_region_copy_rule`, 'https://docs.aws.amazon.com/ebs/latest/userguide/snapshot-ami-policy.html'],
  tf: { aws_dlm_lifecycle_policy: (r) => dlmEncryption(r.attrs, true) },
  cfn: { 'AWS::DLM::LifecyclePolicy': (r) => dlmEncryption(r.attrs, false) },
  fix: { terraform: 'cross_region_copy_rule {\n  target    = "us-west-2"\n  encrypted = true\n  cmk_arn   = aws_kms_key.dr.arn\n}', cloudformation: 'CrossRegionCopyRules:\n  - TargetRegion: us-west-2\n    Encrypted: true\n    CmkArn: !GetAtt DrKey.Arn' },
  bad: [tf('resource "aws_dlm_lifecycle_policy" "p" {\n  description = "daily"\n  policy_details {\n    schedule {\n      name = "daily"\n      cross_region_copy_rule {\n        target    = "us-west-2"\n        encrypted = false\n      }\n    }\n  }\n}\n', 6)],
  good: [tf('resource "aws_dlm_lifecycle_policy" "p" {\n  description = "daily"\n  policy_details {\n    schedule {\n      name = "daily"\n      cross_region_copy_rule {\n        target    = "us-west-2"\n        encrypted = true\n        cmk_arn   = aws_kms_key.dr.arn\n      }\n    }\n  }\n}\n')],
});
