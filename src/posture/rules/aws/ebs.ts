/**
 * EBS encryption: VGL-AWS-029 volumes (CIS AWS 2.2.1), VGL-AWS-030 block devices declared by
 * instances, launch templates and launch configurations, VGL-AWS-031 snapshot copies without a
 * customer managed key. Account-level default encryption (`aws_ebs_encryption_by_default`)
 * in the scan covers 029 and 030.
 */
import { at, blocks, bool, isObject, isUnresolved } from '../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, cis, csf, gdpr, hipaa, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { volumeLive } from './network/ebs.js';
import { blockDevicesLive } from './network/instances.js';

/** Is EBS encryption by default turned on in the scan (the resource's `enabled` defaults to true)? */
function encryptedByDefault(ctx: RuleContext): boolean {
  return ctx.byKind('tf:aws_ebs_encryption_by_default').some((r) => r.attrs['enabled'] === undefined || bool(r.attrs['enabled']) === true);
}

/** A violation unless the value at `path` is true (unresolved passes). */
function mustBeTrue(r: Resource, path: AttrPath, what: string): Violation[] {
  const v = at(r.attrs, path);
  if (isUnresolved(v) || bool(v) === true) return [];
  return [violation(path, v === undefined ? `${what} is not encrypted (encryption not set)` : `${what} is not encrypted`)];
}

const FRAMEWORKS = [cis('2.2.1'), nist('SC-28'), nist('SC-28(1)'), csf('PR.DS-01'), iso('A.8.24'), soc2('CC6.1'), pci('3.5.1'), hipaa('164.312(a)(2)(iv)'), gdpr()];

// VGL-AWS-029 ----------------------------------------------------------------------------------

export const ebsVolumeEncryption = awsRule({
  id: 'VGL-AWS-029',
  live: volumeLive,
  title: 'EBS volume not encrypted',
  description:
    'The EBS volume is created unencrypted: its data, snapshots and any volume restored from them are stored in the clear, and anyone who gets a snapshot shared can read it (CIS AWS Foundations 2.2.1). Account-level EBS encryption by default in the same code passes.',
  severity: 'high',
  service: 'ebs',
  kinds: ['tf:aws_ebs_volume', 'cfn:AWS::EC2::Volume'],
  frameworks: FRAMEWORKS,
  remediation: 'Set encrypted = true (with a customer managed kms_key_id where key control matters), or turn on EBS encryption by default for the account and region.',
  fix: { terraform: 'encrypted  = true\nkms_key_id = aws_kms_key.ebs.arn', cloudformation: 'Encrypted: true\nKmsKeyId: !Ref EbsKey' },
  references: ['https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html', `${TF_DOCS}/ebs_volume`, `${CFN_DOCS}/aws-resource-ec2-volume.html`],
  terraform: (r, ctx) => (encryptedByDefault(ctx) ? [] : mustBeTrue(r, ['encrypted'], 'the volume')),
  cloudformation: (r) => mustBeTrue(r, ['Encrypted'], 'the volume'),
  bad: [
    tf(`
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = false
}`, [4]),
    cfn(`
Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 100
`, [4]),
  ],
  good: [
    tf(`
resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = true
}`),
    tf(`
resource "aws_ebs_encryption_by_default" "on" {
  enabled = true
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
}`),
    cfn(`
Resources:
  Data:
    Type: AWS::EC2::Volume
    Properties:
      AvailabilityZone: eu-west-1a
      Size: 100
      Encrypted: true
`),
  ],
});

// VGL-AWS-030 ----------------------------------------------------------------------------------

/** Declared EBS devices (ephemeral ones and devices restored from a snapshot, which inherit its encryption, left out). */
function tfDevices(r: Resource): { path: AttrPath; what: string }[] {
  if (r.kind === 'tf:aws_launch_template') {
    return blocks(r.attrs['block_device_mappings']).flatMap((m, i) =>
      blocks(m['ebs']).flatMap((e, j) => (e['snapshot_id'] === undefined ? [{ path: ['block_device_mappings', i, 'ebs', j, 'encrypted'], what: `block device ${i}` }] : [])),
    );
  }
  const out: { path: AttrPath; what: string }[] = [];
  for (const i of blocks(r.attrs['root_block_device']).keys()) out.push({ path: ['root_block_device', i, 'encrypted'], what: 'the root volume' });
  for (const [i, d] of blocks(r.attrs['ebs_block_device']).entries()) {
    if (d['snapshot_id'] === undefined) out.push({ path: ['ebs_block_device', i, 'encrypted'], what: `EBS device ${i}` });
  }
  return out;
}

function cfnDevices(r: Resource): { path: AttrPath; what: string }[] {
  const base: AttrPath = r.kind === 'cfn:AWS::EC2::LaunchTemplate' ? ['LaunchTemplateData', 'BlockDeviceMappings'] : ['BlockDeviceMappings'];
  const mappings = at(r.attrs, base);
  return (Array.isArray(mappings) ? mappings : []).flatMap((m, i) => {
    const ebs = isObject(m) ? m['Ebs'] : undefined;
    return isObject(ebs) && ebs['SnapshotId'] === undefined ? [{ path: [...base, i, 'Ebs', 'Encrypted'], what: `block device ${i}` }] : [];
  });
}

export const ec2BlockDeviceEncryption = awsRule({
  id: 'VGL-AWS-030',
  live: blockDevicesLive,
  title: 'EC2 block device not encrypted',
  description:
    'An instance, launch template or launch configuration declares an EBS block device without encryption, so every instance launched from it writes that volume in the clear (CIS AWS Foundations 2.2.1). Devices restored from a snapshot inherit its encryption and are left out; account-level EBS encryption by default in the same code passes.',
  severity: 'high',
  service: 'ec2',
  kinds: ['tf:aws_instance', 'tf:aws_launch_template', 'tf:aws_launch_configuration', 'cfn:AWS::EC2::Instance', 'cfn:AWS::EC2::LaunchTemplate', 'cfn:AWS::AutoScaling::LaunchConfiguration'],
  frameworks: FRAMEWORKS,
  remediation: 'Set encrypted = true on every EBS block device (or turn on EBS encryption by default for the account and region).',
  fix: { terraform: 'root_block_device {\n  encrypted = true\n}', cloudformation: 'BlockDeviceMappings:\n  - DeviceName: /dev/xvda\n    Ebs:\n      Encrypted: true' },
  references: ['https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html', `${TF_DOCS}/instance#ebs-ephemeral-and-root-block-devices`, `${CFN_DOCS}/aws-properties-ec2-blockdev-mapping.html`],
  terraform: (r, ctx) => (encryptedByDefault(ctx) ? [] : tfDevices(r).flatMap((d) => mustBeTrue(r, d.path, d.what))),
  cloudformation: (r) => cfnDevices(r).flatMap((d) => mustBeTrue(r, d.path, d.what)),
  bad: [
    tf(`
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  root_block_device {
    volume_size = 20
  }
}`, [4]),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        BlockDeviceMappings:
          - DeviceName: /dev/xvda
            Ebs:
              VolumeSize: 20
              Encrypted: false
`, [10]),
  ],
  good: [
    tf(`
resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  root_block_device {
    volume_size = 20
    encrypted   = true
  }
}`),
    cfn(`
Resources:
  App:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        BlockDeviceMappings:
          - DeviceName: /dev/xvda
            Ebs:
              VolumeSize: 20
              Encrypted: true
`),
  ],
});

// VGL-AWS-031 ----------------------------------------------------------------------------------

function snapshotCopy(r: Resource): Violation[] {
  const encrypted = r.attrs['encrypted'];
  if (!isUnresolved(encrypted) && bool(encrypted) !== true) return [violation(['encrypted'], 'the snapshot copy is not encrypted')];
  return r.attrs['kms_key_id'] === undefined ? [violation(['kms_key_id'], 'the snapshot copy is encrypted with the AWS managed key, not a customer managed key')] : [];
}

export const ebsSnapshotCopyCmk = awsRule({
  id: 'VGL-AWS-031',
  title: 'EBS snapshot copy not encrypted with a customer managed key',
  description:
    'An aws_ebs_snapshot_copy is unencrypted or encrypted with the AWS managed aws/ebs key. Copies typically cross regions or accounts; a customer managed key keeps who can restore them under a key policy you control (snapshots under the AWS managed key cannot be shared with another account at all).',
  severity: 'low',
  service: 'ebs',
  kinds: ['tf:aws_ebs_snapshot_copy'],
  frameworks: [nist('SC-28'), nist('SC-12'), csf('PR.DS-01'), iso('A.8.24'), soc2('CC6.1'), pci('3.6.1')],
  remediation: 'Set encrypted = true and kms_key_id to a customer managed key.',
  fix: { terraform: 'encrypted  = true\nkms_key_id = aws_kms_key.snapshots.arn' },
  references: ['https://docs.aws.amazon.com/ebs/latest/userguide/ebs-copy-snapshot.html', `${TF_DOCS}/ebs_snapshot_copy`],
  terraform: snapshotCopy,
  bad: [
    tf(`
resource "aws_ebs_snapshot_copy" "dr" {
  source_snapshot_id = "snap-0123456789abcdef0"
  source_region      = "eu-west-1"
  encrypted          = true
}`, [1]),
  ],
  good: [
    tf(`
resource "aws_ebs_snapshot_copy" "dr" {
  source_snapshot_id = "snap-0123456789abcdef0"
  source_region      = "eu-west-1"
  encrypted          = true
  kms_key_id         = "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}`),
  ],
});
