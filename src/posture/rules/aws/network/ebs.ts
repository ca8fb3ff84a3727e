/**
 * Collected EBS data: the live half of VGL-AWS-029 (volumes unencrypted, CIS 2.2.1) and the
 * live-only VGL-AWS-370 encryption by default off in a region (CIS 2.2.1), 371 snapshot public,
 * 372 snapshot unencrypted, 373 snapshot shared with other accounts.
 */
import { isObject, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import { collected, needs, type LiveSpec } from '../../shared/live.js';
import { awsRule, cis, csf, gdpr, hipaa, iso, nist, pci, soc2 } from '../lib/define.js';
import { ebsDefault, ebsDefaultArn, gap, snapshot, snapshotArn, volume, volumeArn } from './examples.js';

const ENCRYPTION = [nist('SC-28'), nist('SC-28(1)'), csf('PR.DS-01'), iso('A.8.24'), soc2('CC6.1'), pci('3.5.1'), hipaa('164.312(a)(2)(iv)'), gdpr()];
const SHARING = [nist('AC-3'), nist('AC-6'), csf('PR.DS-01'), iso('A.8.3'), soc2('CC6.1'), pci('7.2.1'), hipaa('164.312(a)(1)')];

export const volumeLive: LiveSpec = {
  kinds: [AWS_KINDS.volume],
  check: (r) => (r.attrs['Encrypted'] === false ? [violation(['Encrypted'], 'the volume is not encrypted')] : []),
  cli: 'aws ec2 create-snapshot --volume-id <volume-id> && aws ec2 copy-snapshot --source-snapshot-id <snapshot-id> --source-region <region> --encrypted && aws ec2 create-volume --snapshot-id <encrypted-snapshot-id> --availability-zone <az> --encrypted',
  console: 'EC2 → Volumes → the volume → Actions → Create snapshot; Snapshots → Copy snapshot with Encrypt this snapshot; create a volume from the copy and swap it in.',
  bad: [collected('aws', [volume('vol-0plain', { Encrypted: false }), volume('vol-0enc')], [volumeArn('vol-0plain')])],
  good: [collected('aws', [volume('vol-0enc', { KmsKeyId: 'arn:aws:kms:eu-west-1:111122223333:key/1' }), volume('vol-0unknown', { Encrypted: undefined })])],
};

/** `CreateVolumePermissions` entries: `{Group: 'all'}` is public, `{UserId}` another account. */
function permissions(r: Resource): { publicAt?: number; accounts: string[] } {
  const perms = Array.isArray(r.attrs['CreateVolumePermissions']) ? (r.attrs['CreateVolumePermissions'] as unknown[]) : [];
  const accounts: string[] = [];
  let publicAt: number | undefined;
  for (const [i, p] of perms.entries()) {
    if (!isObject(p)) continue;
    if (str(p['Group']) === 'all' && publicAt === undefined) publicAt = i;
    const user = str(p['UserId']);
    if (user !== undefined && user !== r.account) accounts.push(user);
  }
  return { ...(publicAt !== undefined ? { publicAt } : {}), accounts };
}

interface SnapshotConcern {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: 'critical' | 'medium' | 'low';
  readonly frameworks: Rule['frameworks'];
  readonly remediation: string;
  readonly sub: boolean;
  readonly test: (r: Resource) => Violation[];
  readonly cli: string;
  readonly console: string;
  readonly bad: Record<string, unknown>;
  readonly good: readonly Record<string, unknown>[];
}

const SNAPSHOT_CONCERNS: readonly SnapshotConcern[] = [
  {
    id: 'VGL-AWS-371',
    title: 'EBS snapshot is public',
    description: 'Any AWS account can create a volume from the snapshot and read the disk: databases, keys and credentials on it included (Prowler ec2_ebs_public_snapshot).',
    severity: 'critical',
    frameworks: [...SHARING, nist('SC-7')],
    remediation: 'Remove the "all" group from the snapshot\'s create-volume permissions, and turn on block public access for snapshots in every region.',
    sub: true,
    test: (r) => {
      const { publicAt } = permissions(r);
      return publicAt === undefined ? [] : [violation(['CreateVolumePermissions', publicAt], 'the snapshot can be restored by any AWS account (group "all")')];
    },
    cli: 'aws ec2 modify-snapshot-attribute --snapshot-id <snapshot-id> --attribute createVolumePermission --operation-type remove --group-names all --region <region>',
    console: 'EC2 → Snapshots → the snapshot → Actions → Snapshot settings → Modify permissions → Private → Save changes.',
    bad: { CreateVolumePermissions: [{ Group: 'all' }] },
    good: [{}, { CreateVolumePermissions: [{ UserId: '444455556666' }] }],
  },
  {
    id: 'VGL-AWS-372',
    title: 'EBS snapshot is not encrypted',
    description: 'The snapshot stores the volume\'s data unencrypted, and every volume restored from it is unencrypted too; an unencrypted snapshot can also be made public (Prowler ec2_ebs_snapshots_encrypted).',
    severity: 'medium',
    frameworks: ENCRYPTION,
    remediation: 'Copy the snapshot with encryption on, delete the unencrypted one, and turn on EBS encryption by default.',
    sub: false,
    test: (r) => (r.attrs['Encrypted'] === false ? [violation(['Encrypted'], 'the snapshot is not encrypted')] : []),
    cli: 'aws ec2 copy-snapshot --source-snapshot-id <snapshot-id> --source-region <region> --encrypted --kms-key-id <key-id> && aws ec2 delete-snapshot --snapshot-id <snapshot-id>',
    console: 'EC2 → Snapshots → the snapshot → Actions → Copy snapshot → Encrypt this snapshot → Copy; then delete the original.',
    bad: { Encrypted: false },
    good: [{}],
  },
  {
    id: 'VGL-AWS-373',
    title: 'EBS snapshot shared with another AWS account',
    description: 'Another account may create volumes from the snapshot. Sharing is sometimes intended (backup accounts), but each share is a copy of the data outside this account\'s control and should be reviewed.',
    severity: 'low',
    frameworks: SHARING,
    remediation: 'Remove accounts that no longer need the snapshot from its create-volume permissions; share through AWS Backup vaults where possible.',
    sub: true,
    test: (r) => {
      const { accounts } = permissions(r);
      return accounts.length === 0 ? [] : [violation(['CreateVolumePermissions'], `the snapshot is shared with account${accounts.length === 1 ? '' : 's'} ${accounts.join(', ')}`)];
    },
    cli: 'aws ec2 modify-snapshot-attribute --snapshot-id <snapshot-id> --attribute createVolumePermission --operation-type remove --user-ids <account-id> --region <region>',
    console: 'EC2 → Snapshots → the snapshot → Actions → Snapshot settings → Modify permissions → remove the account → Save changes.',
    bad: { CreateVolumePermissions: [{ UserId: '444455556666' }] },
    good: [{}, { CreateVolumePermissions: [{ Group: 'all' }] }],
  },
];

function snapshotRule(c: SnapshotConcern): Rule {
  return awsRule({
    id: c.id,
    title: c.title,
    description: c.description,
    severity: c.severity,
    service: 'ebs',
    frameworks: c.frameworks,
    remediation: c.remediation,
    references: ['https://docs.aws.amazon.com/ebs/latest/userguide/ebs-modifying-snapshot-permissions.html', 'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html'],
    live: {
      kinds: [AWS_KINDS.snapshot],
      check: (r) => {
        if (c.sub) {
          const missing = needs(r, 'CreateVolumePermissions');
          if (missing.length > 0) return missing;
        }
        return c.test(r);
      },
      cli: c.cli,
      console: c.console,
      bad: [collected('aws', [snapshot('snap-0bad', c.bad), snapshot('snap-0ok')], [snapshotArn('snap-0bad')])],
      good: [collected('aws', c.good.map((g, i) => snapshot(`snap-0good${i}`, g)))],
    },
  });
}

const ebsDefaultRule = awsRule({
  id: 'VGL-AWS-370',
  title: 'EBS encryption by default is off in a region',
  description:
    'New EBS volumes and snapshot copies in the region are created unencrypted unless each launch asks for encryption. Encryption by default makes every new volume encrypted with no change to launch code (CIS AWS Foundations 2.2.1).',
  severity: 'medium',
  service: 'ebs',
  frameworks: [cis('2.2.1'), ...ENCRYPTION],
  remediation: 'Turn on EBS encryption by default in every region you use (optionally with a customer managed default key).',
  references: ['https://docs.aws.amazon.com/ebs/latest/userguide/encryption-by-default.html'],
  live: {
    kinds: [AWS_KINDS.ebsDefault],
    check: (r) => (r.attrs['EbsEncryptionByDefault'] === true ? [] : [violation(['EbsEncryptionByDefault'], `EBS encryption by default is ${r.attrs['EbsEncryptionByDefault'] === false ? 'off' : 'not reported'} in ${r.region ?? 'the region'}`)]),
    cli: 'aws ec2 enable-ebs-encryption-by-default --region <region>',
    console: 'EC2 → (region) → Settings → EBS encryption → Manage → Always encrypt new EBS volumes → Update EBS encryption.',
    bad: [collected('aws', [ebsDefault(false), ebsDefault(true, 'eu-central-1'), ebsDefault(null, 'us-east-1')], [ebsDefaultArn(), ebsDefaultArn('us-east-1')])],
    good: [collected('aws', [ebsDefault(true), ebsDefault(true, 'us-east-1')])],
  },
});

/** Snapshot permission rules, with an example of the failed sub-call for the unit test. */
export const snapshotPermissionGap = snapshot('snap-0gap', { CreateVolumePermissions: undefined }, { CreateVolumePermissions: gap('ec2.DescribeSnapshotAttribute') });

export const ebsRules: readonly Rule[] = [ebsDefaultRule, ...SNAPSHOT_CONCERNS.map(snapshotRule)];
