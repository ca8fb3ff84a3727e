/**
 * Collected EC2 instances: the live halves of ../ec2-instance.ts and ../ebs.ts (VGL-AWS-030
 * attached volumes unencrypted, 032 IMDSv2 (CIS 5.6), 033 public IP, 034 detailed monitoring)
 * and the live-only VGL-AWS-361 no instance profile (CIS 1.18), 362 public instance with an
 * instance profile, 363 not in a VPC, 364 paravirtual, 365 several network interfaces.
 */
import { isObject, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import { collected, type LiveSpec } from '../../shared/live.js';
import { awsRule, cis, csf, iso, nist, pci, soc2 } from '../lib/define.js';
import { instance, instanceArn, volume } from './examples.js';
import { instanceState, publicAddress } from './instance-ports.js';

const KINDS = [AWS_KINDS.instance];
const PUBLIC = { PublicIpAddress: '203.0.113.10' };
const live = (r: Resource): boolean => !['terminated', 'shutting-down'].includes(instanceState(r) ?? '');
const obj = (v: unknown): Record<string, unknown> => (isObject(v) ? v : {});

/** A check on running (not terminated) instances only. */
function onLive(check: (r: Resource, ctx: RuleContext) => Violation[]) {
  return (r: Resource, ctx: RuleContext): Violation[] => (live(r) ? check(r, ctx) : []);
}

export const imdsLive: LiveSpec = {
  kinds: KINDS,
  check: onLive((r) => {
    const m = obj(r.attrs['MetadataOptions']);
    if (str(m['HttpEndpoint']) === 'disabled' || str(m['HttpTokens']) === 'required') return [];
    return [violation(['MetadataOptions', 'HttpTokens'], `HttpTokens is "${str(m['HttpTokens']) ?? 'absent'}": IMDSv1 answers unauthenticated GET requests`)];
  }),
  cli: 'aws ec2 modify-instance-metadata-options --instance-id <instance-id> --http-tokens required --http-endpoint enabled --region <region>',
  console: 'EC2 → Instances → the instance → Actions → Instance settings → Modify instance metadata options → IMDSv2: Required → Save.',
  bad: [collected('aws', [instance('i-0v1', { MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'enabled' } }), instance('i-0none', { MetadataOptions: undefined }), instance('i-0v2')], [instanceArn('i-0v1'), instanceArn('i-0none')])],
  good: [collected('aws', [instance('i-0v2'), instance('i-0off', { MetadataOptions: { HttpTokens: 'optional', HttpEndpoint: 'disabled' } }), instance('i-0gone', { State: { Name: 'terminated' }, MetadataOptions: { HttpTokens: 'optional' } })])],
};

export const publicIpLive: LiveSpec = {
  kinds: KINDS,
  check: onLive((r) => {
    const ip = publicAddress(r);
    return ip === undefined ? [] : [violation(['PublicIpAddress'], `the instance has public IP address ${ip}`)];
  }),
  cli: 'aws ec2 modify-network-interface-attribute --network-interface-id <eni-id> --no-associate-public-ip-address --region <region>  # or disassociate-address for an Elastic IP',
  console: 'EC2 → Instances → the instance → Networking → Manage IP addresses → turn off Auto-assign public IP (or Elastic IPs → Disassociate).',
  bad: [collected('aws', [instance('i-0pub', PUBLIC), instance('i-0eni', { NetworkInterfaces: [{ Association: { PublicIp: '198.51.100.7' } }] }), instance('i-0priv')], [instanceArn('i-0pub'), instanceArn('i-0eni')])],
  good: [collected('aws', [instance('i-0priv'), instance('i-0blank', { PublicIpAddress: '' })])],
};

export const monitoringLive: LiveSpec = {
  kinds: KINDS,
  check: onLive((r) => {
    const state = str(obj(r.attrs['Monitoring'])['State']);
    return state === 'enabled' || state === 'pending' ? [] : [violation(['Monitoring', 'State'], `detailed monitoring is ${state ?? 'not reported'}`)];
  }),
  cli: 'aws ec2 monitor-instances --instance-ids <instance-id> --region <region>',
  console: 'EC2 → Instances → the instance → Actions → Monitor and troubleshoot → Manage detailed monitoring → Enable → Confirm.',
  bad: [collected('aws', [instance('i-0basic', { Monitoring: { State: 'disabled' } }), instance('i-0ok')], [instanceArn('i-0basic')])],
  good: [collected('aws', [instance('i-0ok'), instance('i-0pend', { Monitoring: { State: 'pending' } })])],
};

/** Collected volumes by account/region/volume id. */
function volumeIndex(ctx: RuleContext): Map<string, Resource> {
  const m = new Map<string, Resource>();
  for (const v of ctx.byKind(AWS_KINDS.volume)) {
    const id = str(v.attrs['VolumeId']);
    if (id !== undefined) m.set(`${v.account ?? ''}/${v.region ?? ''}/${id}`, v);
  }
  return m;
}
const volumeIndexes = new WeakMap<RuleContext, Map<string, Resource>>();

export const blockDevicesLive: LiveSpec = {
  kinds: KINDS,
  check: onLive((r, ctx) => {
    let index = volumeIndexes.get(ctx);
    if (index === undefined) volumeIndexes.set(ctx, (index = volumeIndex(ctx)));
    const out: Violation[] = [];
    const mappings = Array.isArray(r.attrs['BlockDeviceMappings']) ? (r.attrs['BlockDeviceMappings'] as unknown[]) : [];
    for (const [i, m] of mappings.entries()) {
      const ebs = isObject(m) ? obj(m['Ebs']) : {};
      const id = str(ebs['VolumeId']);
      const v = id === undefined ? undefined : index.get(`${r.account ?? ''}/${r.region ?? ''}/${id}`);
      if (v !== undefined && v.attrs['Encrypted'] === false) out.push(violation(['BlockDeviceMappings', i, 'Ebs', 'VolumeId'], `attached volume ${id ?? ''} (${str(obj(m)['DeviceName']) ?? 'device'}) is not encrypted`));
    }
    return out;
  }),
  cli: 'aws ec2 create-snapshot --volume-id <volume-id> && aws ec2 copy-snapshot --source-snapshot-id <snapshot-id> --source-region <region> --encrypted --kms-key-id <key> && aws ec2 create-volume --snapshot-id <encrypted-snapshot-id> --availability-zone <az>  # then swap the volume',
  console: 'EC2 → Volumes → the volume → Create snapshot → copy it with encryption → create a volume from the copy → stop the instance, detach the old volume and attach the new one.',
  bad: [
    collected('aws', [
      volume('vol-0plain', { Encrypted: false }),
      volume('vol-0enc'),
      instance('i-0app', { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-0enc' } }, { DeviceName: '/dev/sdf', Ebs: { VolumeId: 'vol-0plain' } }] }),
    ], [instanceArn('i-0app')]),
  ],
  good: [collected('aws', [volume('vol-0enc'), instance('i-0app', { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeId: 'vol-0enc' } }, { DeviceName: '/dev/sdg', Ebs: { VolumeId: 'vol-0other' } }] })])],
};

// Live-only rules ----------------------------------------------------------------------------

interface InstanceConcern {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: 'high' | 'medium' | 'low';
  readonly frameworks: Rule['frameworks'];
  readonly remediation: string;
  readonly references: readonly string[];
  readonly test: (r: Resource) => Violation[];
  readonly cli: string;
  readonly console: string;
  readonly bad: Record<string, unknown>;
  readonly good: readonly Record<string, unknown>[];
}

const noProfile = (r: Resource): boolean => !isObject(r.attrs['IamInstanceProfile']) || str(r.attrs['IamInstanceProfile']['Arn']) === undefined;

const CONCERNS: readonly InstanceConcern[] = [
  {
    id: 'VGL-AWS-361',
    title: 'EC2 instance without an IAM instance profile',
    description: 'The instance has no IAM role. Software on it that calls AWS then needs long-lived access keys on disk or in user data, which leak and are rarely rotated; a role gives short-lived credentials (CIS AWS Foundations 1.18).',
    severity: 'medium',
    frameworks: [cis('1.18'), nist('IA-5'), nist('AC-6'), csf('PR.AA-05'), iso('A.8.2'), soc2('CC6.1'), pci('8.6.2')],
    remediation: 'Attach an instance profile whose role grants what the instance needs (and at least AmazonSSMManagedInstanceCore for Session Manager).',
    references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html'],
    test: (r) => (noProfile(r) ? [violation(['IamInstanceProfile'], 'no IAM instance profile is attached')] : []),
    cli: 'aws ec2 associate-iam-instance-profile --instance-id <instance-id> --iam-instance-profile Name=<profile-name> --region <region>',
    console: 'EC2 → Instances → the instance → Actions → Security → Modify IAM role → choose a role → Update IAM role.',
    bad: { IamInstanceProfile: undefined },
    good: [{}],
  },
  {
    id: 'VGL-AWS-362',
    title: 'Internet-facing EC2 instance with an IAM instance profile',
    description: 'The instance has a public IP address and an IAM role. A compromise of any service it exposes (or an SSRF through IMDSv1) hands the role\'s credentials to the attacker, so internet-facing hosts should have none or a tightly scoped one (Prowler ec2_instance_internet_facing_with_instance_profile).',
    severity: 'medium',
    frameworks: [nist('AC-6'), nist('SC-7'), csf('PR.AA-05'), iso('A.8.2'), iso('A.8.20'), soc2('CC6.6')],
    remediation: 'Put the instance behind a load balancer without a public address, or scope its role down to what the public service needs.',
    references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/iam-roles-for-amazon-ec2.html'],
    test: (r) => (publicAddress(r) !== undefined && !noProfile(r) ? [violation(['IamInstanceProfile'], `the instance has public address ${publicAddress(r) ?? ''} and instance profile ${str(obj(r.attrs['IamInstanceProfile'])['Arn']) ?? ''}`)] : []),
    cli: 'aws ec2 disassociate-iam-instance-profile --association-id <association-id> --region <region>',
    console: 'EC2 → Instances → the instance → Actions → Security → Modify IAM role → No IAM role (or a narrower one) → Update IAM role.',
    bad: PUBLIC,
    good: [{}, { ...PUBLIC, IamInstanceProfile: undefined }],
  },
  {
    id: 'VGL-AWS-363',
    title: 'EC2 instance not in a VPC',
    description: 'The instance has no VPC (EC2-Classic, retired in 2023): it lacks VPC security groups, network ACLs and flow logs, and shares a flat network with other customers.',
    severity: 'medium',
    frameworks: [nist('SC-7'), csf('PR.IR-01'), iso('A.8.22'), soc2('CC6.6'), pci('1.2.1')],
    remediation: 'Migrate the instance into a VPC (create an AMI and launch it in a VPC subnet).',
    references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/vpc-migrate.html'],
    test: (r) => (str(r.attrs['VpcId']) === undefined ? [violation(['VpcId'], 'the instance is not in a VPC')] : []),
    cli: 'aws ec2 create-image --instance-id <instance-id> --name <name> && aws ec2 run-instances --image-id <ami-id> --subnet-id <vpc-subnet-id> --region <region>',
    console: 'EC2 → Instances → the instance → Actions → Image and templates → Create image → launch the image into a VPC subnet.',
    bad: { VpcId: undefined },
    good: [{}],
  },
  {
    id: 'VGL-AWS-364',
    title: 'EC2 instance uses paravirtual virtualization',
    description: 'Paravirtual (PV) instances run only on previous-generation types and older kernels that no longer get security fixes; HVM is required by every current instance type (Prowler ec2_instance_paravirtual_type).',
    severity: 'low',
    frameworks: [nist('SI-2'), nist('CM-6'), csf('ID.RA-01'), iso('A.8.8'), soc2('CC7.1')],
    remediation: 'Rebuild the workload on an HVM AMI and a current-generation instance type.',
    references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/virtualization_types.html'],
    test: (r) => (str(r.attrs['VirtualizationType']) === 'paravirtual' ? [violation(['VirtualizationType'], 'the instance is paravirtual')] : []),
    cli: 'aws ec2 run-instances --image-id <hvm-ami-id> --instance-type <current-generation-type> --subnet-id <subnet-id> --region <region>',
    console: 'EC2 → Launch instance → choose an HVM AMI and a current-generation type → move the workload → terminate the PV instance.',
    bad: { VirtualizationType: 'paravirtual' },
    good: [{}],
  },
  {
    id: 'VGL-AWS-365',
    title: 'EC2 instance attached to several network interfaces',
    description: 'The instance has more than one network interface, typically bridging subnets or VPCs that security groups and ACLs were meant to keep apart (Prowler ec2_instance_uses_single_eni).',
    severity: 'low',
    frameworks: [nist('SC-7'), nist('AC-4'), csf('PR.IR-01'), iso('A.8.22'), soc2('CC6.6')],
    remediation: 'Detach the extra interfaces unless the instance is a deliberate network appliance (then document it and suppress the finding).',
    references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-eni.html'],
    test: (r) => {
      const n = Array.isArray(r.attrs['NetworkInterfaces']) ? (r.attrs['NetworkInterfaces'] as unknown[]).length : 0;
      return n > 1 ? [violation(['NetworkInterfaces'], `the instance has ${n} network interfaces`)] : [];
    },
    cli: 'aws ec2 detach-network-interface --attachment-id <attachment-id> --region <region>',
    console: 'EC2 → Network interfaces → the secondary interface → Actions → Detach.',
    bad: { NetworkInterfaces: [{ NetworkInterfaceId: 'eni-1' }, { NetworkInterfaceId: 'eni-2' }] },
    good: [{}, { NetworkInterfaces: 'odd' }],
  },
];

function instanceRule(c: InstanceConcern): Rule {
  return awsRule({
    id: c.id,
    title: c.title,
    description: c.description,
    severity: c.severity,
    service: 'ec2',
    frameworks: c.frameworks,
    remediation: c.remediation,
    references: c.references,
    live: {
      kinds: KINDS,
      check: onLive(c.test),
      cli: c.cli,
      console: c.console,
      bad: [collected('aws', [instance('i-0bad', c.bad), instance('i-0gone', { ...c.bad, State: { Name: 'terminated' } })], [instanceArn('i-0bad')])],
      good: [collected('aws', c.good.map((g, i) => instance(`i-0good${i}`, g)))],
    },
  });
}

export const instanceRules: readonly Rule[] = CONCERNS.map(instanceRule);
