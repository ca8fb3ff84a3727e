/**
 * Security group hygiene and VPC checks on collected data: VGL-AWS-355 wide public IPv4 ranges,
 * 356 groups left by the launch wizard, 357 too many rules, 360 the default VPC in use; and the
 * live half of VGL-AWS-044 (VPC flow logs, CIS AWS 3.7), exported for ../monitoring.ts.
 */
import { str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import { collected, needs, type LiveSpec } from '../../shared/live.js';
import { awsRule, csf, iso, nist, pci, soc2 } from '../lib/define.js';
import { livePermissions } from '../lib/network.js';
import { gap, instance, perm, sg, vpc, vpcArn } from './examples.js';

const HYGIENE = [nist('CM-7'), nist('SC-7'), csf('PR.IR-01'), iso('A.8.20'), iso('A.8.22'), soc2('CC6.6'), pci('1.2.7')];

/** IPv4 ranges that are not internet addresses (RFC 1918, CGNAT, loopback, link-local, multicast+). */
const NON_PUBLIC: readonly (readonly [number, number])[] = [
  [0x0a000000, 8], [0xac100000, 12], [0xc0a80000, 16], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0x00000000, 8], [0xe0000000, 3],
];

/** `a.b.c.d/n` → [address, prefix], undefined for anything else (written by hand: four numbers and a prefix). */
export function parseIpv4Cidr(v: unknown): [number, number] | undefined {
  if (typeof v !== 'string' || v.length > 18) return undefined;
  const [address, prefix, extra] = v.trim().split('/');
  if (address === undefined || prefix === undefined || extra !== undefined || !/^\d{1,2}$/.test(prefix)) return undefined;
  const octets = address.split('.');
  if (octets.length !== 4 || !octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)) return undefined;
  const n = Number(prefix);
  if (n > 32) return undefined;
  return [octets.reduce((acc, o) => acc * 256 + Number(o), 0), n];
}

/** A public IPv4 range wider than a /24 but not the whole internet (which the port rules cover). */
export function widePublic(v: unknown): boolean {
  const cidr = parseIpv4Cidr(v);
  if (cidr === undefined) return false;
  const [address, prefix] = cidr;
  if (prefix === 0 || prefix >= 24) return false;
  return !NON_PUBLIC.some(([base, bits]) => Math.floor(address / 2 ** (32 - bits)) === Math.floor(base / 2 ** (32 - bits)));
}

function wideRanges(r: Resource): Violation[] {
  return (['IpPermissions', 'IpPermissionsEgress'] as const).flatMap((key) =>
    livePermissions(r.attrs, key).flatMap((rule) =>
      rule.cidrs.filter((c) => widePublic(c.value)).map((c) => violation(c.path, `${key === 'IpPermissions' ? 'inbound' : 'outbound'} rule allows the wide public range ${String(c.value)}`)),
    ),
  );
}

const MAX_RULES = 50;

interface GroupConcern {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: 'medium' | 'low';
  readonly remediation: string;
  readonly check: (r: Resource) => Violation[];
  readonly cli: string;
  readonly console: string;
  readonly bad: ReturnType<typeof sg>;
  readonly good: readonly ReturnType<typeof sg>[];
}

const many = Array.from({ length: MAX_RULES + 1 }, (_, i) => perm('tcp', 8000 + i, 8000 + i, ['10.0.0.0/8']));

const GROUP_CONCERNS: readonly GroupConcern[] = [
  {
    id: 'VGL-AWS-355',
    title: 'Security group allows a wide public IPv4 range',
    description: 'A rule admits (or sends to) a public IPv4 range larger than a /24 — thousands of internet addresses nobody controls as a unit, usually a typo for a private range or a shortcut around listing partners (Prowler ec2_securitygroup_allow_wide_open_public_ipv4).',
    severity: 'medium',
    remediation: 'Narrow the range to the addresses that need access (a /32 per partner, a private range, a prefix list).',
    check: wideRanges,
    cli: 'aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions IpProtocol=<protocol>,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=<wide-cidr>}] --region <region>',
    console: 'EC2 → Security Groups → the group → Edit inbound (and outbound) rules → narrow the wide public source → Save rules.',
    bad: sg('sg-0wide', [perm('tcp', 443, 443, ['52.0.0.0/8'])]),
    good: [sg('sg-0narrow', [perm('tcp', 443, 443, ['203.0.113.0/24', '10.0.0.0/8', '172.16.0.0/12', '0.0.0.0/0', 'junk/8'])])],
  },
  {
    id: 'VGL-AWS-356',
    title: 'Security group created by a console launch wizard',
    description: 'The group was made by a console launch wizard (launch-wizard-N for EC2, rds-launch-wizard for RDS), which opens SSH or RDP to 0.0.0.0/0 (EC2) or the database port to the creator\'s address (RDS) and is rarely revisited (Prowler ec2_securitygroup_from_launch_wizard).',
    severity: 'medium',
    remediation: 'Replace the group with a purpose-built one (named, described, narrow sources) and delete the wizard group.',
    check: (r) => (str(r.attrs['GroupName'])?.includes('launch-wizard') === true ? [violation(['GroupName'], `the group ${str(r.attrs['GroupName']) ?? ''} was created by the launch wizard`)] : []),
    cli: 'aws ec2 modify-instance-attribute --instance-id <instance-id> --groups <new-group-id> --region <region> && aws ec2 delete-security-group --group-id <wizard-group-id> --region <region>',
    console: 'EC2 → Instances → each instance using the group → Actions → Security → Change security groups; then Security Groups → the launch-wizard group → Delete.',
    bad: sg('sg-0wiz', [perm('tcp', 22, 22)], { GroupName: 'launch-wizard-3' }),
    good: [sg('sg-0app', [], { GroupName: 'app-servers' })],
  },
  {
    id: 'VGL-AWS-357',
    title: 'Security group has more than 50 rules',
    description: `A group with more than ${MAX_RULES} inbound and outbound rules cannot be reviewed with confidence; stale and overlapping openings hide in it (Prowler ec2_securitygroup_with_many_ingress_egress_rules).`,
    severity: 'low',
    remediation: 'Split the group by role, use prefix lists and group references instead of many CIDR rules, and remove stale rules.',
    check: (r) => {
      const n = livePermissions(r.attrs).length + livePermissions(r.attrs, 'IpPermissionsEgress').length;
      return n > MAX_RULES ? [violation(['IpPermissions'], `the group has ${n} rules (more than ${MAX_RULES})`)] : [];
    },
    cli: 'aws ec2 create-managed-prefix-list --prefix-list-name <name> --max-entries <n> --address-family IPv4 --entries Cidr=<cidr> --region <region>  # then replace the CIDR rules by one rule on the prefix list',
    console: 'EC2 → Security Groups → the group → Inbound rules → remove stale rules, or move the CIDRs into a managed prefix list (VPC → Managed prefix lists) and reference it.',
    bad: sg('sg-0many', many),
    good: [sg('sg-0few', many.slice(0, MAX_RULES))],
  },
];

function groupRule(c: GroupConcern): Rule {
  return awsRule({
    id: c.id,
    title: c.title,
    description: c.description,
    severity: c.severity,
    service: 'ec2',
    frameworks: HYGIENE,
    remediation: c.remediation,
    references: ['https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html'],
    live: { kinds: [AWS_KINDS.securityGroup], check: c.check, cli: c.cli, console: c.console, bad: [collected('aws', [c.bad, sg('sg-0ok', [])], [c.bad.id])], good: [collected('aws', [...c.good])] },
  });
}

// VGL-AWS-360 ---------------------------------------------------------------------------------

const vpcsInUse = new WeakMap<RuleContext, Set<string>>();

/** account/region/vpc ids that running instances use. */
function usedVpcs(ctx: RuleContext): Set<string> {
  let used = vpcsInUse.get(ctx);
  if (used === undefined) {
    used = new Set();
    for (const i of ctx.byKind(AWS_KINDS.instance)) {
      const state = i.attrs['State'];
      const name = typeof state === 'object' && state !== null ? str((state as Record<string, unknown>)['Name']) : undefined;
      const id = str(i.attrs['VpcId']);
      if (id !== undefined && name !== 'terminated' && name !== 'shutting-down') used.add(`${i.account ?? ''}/${i.region ?? ''}/${id}`);
    }
    vpcsInUse.set(ctx, used);
  }
  return used;
}

const defaultVpcInUse = awsRule({
  id: 'VGL-AWS-360',
  title: 'Default VPC in use',
  description:
    'Instances run in the default VPC, whose subnets are all public (every instance gets a public IP unless told otherwise) and whose layout nobody designed. Workloads belong in a VPC built for them, with private subnets and reviewed routing.',
  severity: 'low',
  service: 'vpc',
  frameworks: [nist('SC-7'), nist('CM-6'), csf('PR.IR-01'), iso('A.8.22'), soc2('CC6.6'), pci('1.2.1')],
  remediation: 'Move the instances to a purpose-built VPC with private subnets; delete the default VPC in regions that do not need it.',
  references: ['https://docs.aws.amazon.com/vpc/latest/userguide/default-vpc.html'],
  live: {
    // Instances are listed too: an instance list that could not be collected makes this not assessed.
    kinds: [AWS_KINDS.vpc, AWS_KINDS.instance],
    check: (r, ctx) => {
      if (r.kind !== AWS_KINDS.vpc || r.attrs['IsDefault'] !== true) return [];
      const id = str(r.attrs['VpcId']) ?? '';
      return usedVpcs(ctx).has(`${r.account ?? ''}/${r.region ?? ''}/${id}`) ? [violation(['IsDefault'], `instances run in the default VPC ${id}`)] : [];
    },
    cli: 'aws ec2 run-instances --subnet-id <private-subnet-of-a-custom-vpc> ... && aws ec2 terminate-instances --instance-ids <ids-in-default-vpc>  # then: aws ec2 delete-vpc --vpc-id <default-vpc-id>',
    console: 'VPC → Your VPCs → create a VPC with private subnets; move the workloads; then Actions → Delete VPC on the default one.',
    bad: [collected('aws', [vpc('vpc-1', { IsDefault: true }), vpc('vpc-2'), instance('i-0app')], [vpcArn('vpc-1')])],
    good: [collected('aws', [vpc('vpc-1', { IsDefault: true }), vpc('vpc-2'), instance('i-0app', { VpcId: 'vpc-2' }), instance('i-0old', { State: { Name: 'terminated' } })])],
  },
});

// VGL-AWS-044 (live half) ---------------------------------------------------------------------

function flowLogs(r: Resource): Violation[] {
  const missing = needs(r, 'FlowLogs');
  if (missing.length > 0) return missing;
  const logs = Array.isArray(r.attrs['FlowLogs']) ? (r.attrs['FlowLogs'] as unknown[]) : [];
  const active = logs.some((f) => typeof f === 'object' && f !== null && ['ACTIVE', undefined].includes(str((f as Record<string, unknown>)['FlowLogStatus'])));
  if (active) return [];
  return [violation(['FlowLogs'], logs.length === 0 ? 'the VPC has no flow log' : 'none of the VPC\'s flow logs is active')];
}

/** For VGL-AWS-044 in ../monitoring.ts (another engineer's file): `live: vpcFlowLogsLive`. */
export const vpcFlowLogsLive: LiveSpec = {
  kinds: [AWS_KINDS.vpc],
  check: flowLogs,
  cli: 'aws ec2 create-flow-logs --resource-type VPC --resource-ids <vpc-id> --traffic-type ALL --log-destination-type s3 --log-destination arn:aws:s3:::<bucket> --region <region>',
  console: 'VPC → Your VPCs → the VPC → Flow logs → Create flow log → Filter: All → destination → Create flow log.',
  bad: [collected('aws', [vpc('vpc-1', { FlowLogs: [] }), vpc('vpc-2', { FlowLogs: [{ FlowLogId: 'fl-1', FlowLogStatus: 'ACTIVE', TrafficType: 'ALL' }] })], [vpcArn('vpc-1')])],
  good: [collected('aws', [vpc('vpc-2', { FlowLogs: [{ FlowLogId: 'fl-1', FlowLogStatus: 'ACTIVE', TrafficType: 'REJECT' }] })])],
};

/** A VPC whose flow logs could not be read, for the unit test. */
export const flowLogsGapExample = { ...vpc('vpc-9'), gaps: { FlowLogs: gap('ec2.DescribeFlowLogs') } };

export const sgVpcRules: readonly Rule[] = [...GROUP_CONCERNS.map(groupRule), defaultVpcInUse];
