/**
 * The collected-data halves of the security group rules in ../sg-ingress.ts and
 * ../sg-hygiene.ts (VGL-AWS-023…028): the same concerns read from DescribeSecurityGroups'
 * `IpPermissions` / `IpPermissionsEgress`.
 */
import { isObject, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import { collected, type LiveSpec } from '../../shared/live.js';
import { coversAllPorts, coversPort, livePermissions, openCidrs, type Ingress } from '../lib/network.js';
import { perm, sg, sgArn } from './examples.js';

const KINDS = [AWS_KINDS.securityGroup];

/** `tcp 22`, `tcp 0-65535`, `all traffic`. */
export function portsOf(rule: Ingress): string {
  if (rule.protocol === 'all') return 'all traffic';
  const ports = rule.from === rule.to ? `${rule.from ?? '?'}` : `${rule.from ?? '?'}-${rule.to ?? '?'}`;
  return `${rule.protocol ?? '?'} ${ports}`;
}

/** One violation per group, at the first open CIDR, naming every open rule that `hits`. */
export function liveOpenPorts(name: string, hits: (rule: Ingress) => boolean) {
  return (r: Resource): Violation[] => {
    const open = livePermissions(r.attrs).filter((rule) => openCidrs(rule).length > 0 && hits(rule));
    const first = open[0] === undefined ? undefined : openCidrs(open[0])[0];
    if (first === undefined) return [];
    const what = open.map((rule) => `${portsOf(rule)} from ${openCidrs(rule).map((c) => String(c.value)).join(', ')}`).join('; ');
    return [violation(first.path, `ingress ${what} lets the whole internet reach ${name}`)];
  };
}

const SG_CLI = 'aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions IpProtocol=<protocol>,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=0.0.0.0/0}] --region <region>';
const SG_CONSOLE = 'EC2 → Security Groups → the group → Inbound rules → Edit inbound rules → delete the 0.0.0.0/0 and ::/0 sources (or narrow them) → Save rules.';

function portSpec(name: string, hits: (rule: Ingress) => boolean, badPerm: Record<string, unknown>, goodPerms: readonly Record<string, unknown>[]): LiveSpec {
  return {
    kinds: KINDS,
    check: liveOpenPorts(name, hits),
    cli: SG_CLI,
    console: SG_CONSOLE,
    bad: [collected('aws', [sg('sg-0bad', [badPerm]), sg('sg-0ok', [perm('tcp', 443, 443)])], [sgArn('sg-0bad')])],
    good: [collected('aws', goodPerms.map((p, i) => sg(`sg-0good${i}`, [p])))],
  };
}

const PRIVATE = ['10.0.0.0/8'];
// A referenced group or prefix list is not a CIDR; an ICMP rule has no ports.
const groupOnly = { ...perm('-1', undefined, undefined, []), UserIdGroupPairs: [{ GroupId: 'sg-0peer' }] };

export const sshLive = portSpec('SSH (port 22)', (rule) => coversPort(rule, 22), perm('tcp', 20, 25, ['::/0']), [perm('tcp', 22, 22, PRIVATE), perm('icmp', 8, -1), groupOnly]);
export const rdpLive = portSpec('RDP (port 3389)', (rule) => coversPort(rule, 3389, ['tcp', 'udp']), perm('udp', 3389, 3389), [perm('tcp', 3389, 3389, PRIVATE), perm('tcp', 443, 443)]);
export const allPortsLive = portSpec('every port', coversAllPorts, perm('-1', undefined, undefined), [perm('-1', undefined, undefined, PRIVATE), perm('tcp', 1024, 65535)]);

// VGL-AWS-026 ---------------------------------------------------------------------------------

const webOnly = (rule: Ingress): boolean => rule.protocol === 'tcp' && rule.from !== undefined && rule.from === rule.to && (rule.from === 80 || rule.from === 443);

function liveInternetIngress(r: Resource): Violation[] {
  return livePermissions(r.attrs)
    .filter((rule) => !webOnly(rule))
    .flatMap((rule) => {
      const open = openCidrs(rule);
      const first = open[0];
      return first === undefined ? [] : [violation(first.path, `ingress ${portsOf(rule)} accepts ${open.map((c) => String(c.value)).join(', ')}`)];
    });
}

export const internetIngressLive: LiveSpec = {
  kinds: KINDS,
  check: liveInternetIngress,
  cli: SG_CLI,
  console: SG_CONSOLE,
  bad: [collected('aws', [sg('sg-0db', [perm('tcp', 5432, 5432), perm('tcp', 443, 443)]), sg('sg-0web', [perm('tcp', 80, 80), perm('tcp', 443, 443, ['::/0'])])], [sgArn('sg-0db')])],
  good: [collected('aws', [sg('sg-0web', [perm('tcp', 443, 443)]), sg('sg-0db', [perm('tcp', 5432, 5432, ['10.1.0.0/16'])])])],
};

// VGL-AWS-027 ---------------------------------------------------------------------------------

const RANGE_KEYS = ['IpRanges', 'Ipv6Ranges', 'UserIdGroupPairs', 'PrefixListIds'] as const;

/** AWS's own allow-all egress rule every new group gets (it has no description field to fill). */
function awsDefaultEgress(p: Record<string, unknown>): boolean {
  const ranges = Array.isArray(p['IpRanges']) ? (p['IpRanges'] as unknown[]) : [];
  return str(p['IpProtocol']) === '-1' && ranges.length === 1 && isObject(ranges[0]) && ranges[0]['CidrIp'] === '0.0.0.0/0';
}

function liveDescriptions(r: Resource): Violation[] {
  if (str(r.attrs['GroupName']) === 'default') return [];
  const out: Violation[] = [];
  for (const key of ['IpPermissions', 'IpPermissionsEgress'] as const) {
    const perms = Array.isArray(r.attrs[key]) ? (r.attrs[key] as unknown[]) : [];
    for (const [i, p] of perms.entries()) {
      if (!isObject(p) || (key === 'IpPermissionsEgress' && awsDefaultEgress(p))) continue;
      for (const range of RANGE_KEYS) {
        const entries = Array.isArray(p[range]) ? (p[range] as unknown[]) : [];
        for (const [j, e] of entries.entries()) {
          const d = isObject(e) ? str(e['Description']) : undefined;
          if (d === undefined || d.trim() === '') out.push(violation([key, i, range, j, 'Description'], `${key === 'IpPermissions' ? 'inbound' : 'outbound'} rule ${i} (${range}) has no description`));
        }
      }
    }
  }
  return out;
}

const described = (p: Record<string, unknown>): Record<string, unknown> => ({ ...p, IpRanges: (p['IpRanges'] as Record<string, unknown>[]).map((x) => ({ ...x, Description: 'from the office' })) });

export const descriptionsLive: LiveSpec = {
  kinds: KINDS,
  check: liveDescriptions,
  cli: 'aws ec2 update-security-group-rule-descriptions-ingress --group-id <group-id> --ip-permissions \'IpProtocol=tcp,FromPort=<port>,ToPort=<port>,IpRanges=[{CidrIp=<cidr>,Description="<why>"}]\' --region <region>',
  console: 'EC2 → Security Groups → the group → Inbound rules → Edit inbound rules → fill in each Description → Save rules.',
  bad: [collected('aws', [sg('sg-0app', [perm('tcp', 8080, 8080, PRIVATE)])], [sgArn('sg-0app')])],
  good: [
    collected('aws', [
      sg('sg-0app', [described(perm('tcp', 8080, 8080, PRIVATE))], { IpPermissionsEgress: [perm('-1', undefined, undefined)] }),
      // The default group is VGL-AWS-028's concern.
      sg('sg-0def', [groupOnly], { GroupName: 'default' }),
    ]),
  ],
};

// VGL-AWS-028 ---------------------------------------------------------------------------------

function liveDefaultGroup(r: Resource): Violation[] {
  if (str(r.attrs['GroupName']) !== 'default') return [];
  const out: Violation[] = [];
  for (const key of ['IpPermissions', 'IpPermissionsEgress'] as const) {
    const n = Array.isArray(r.attrs[key]) ? (r.attrs[key] as unknown[]).length : 0;
    if (n > 0) out.push(violation([key], `the default security group still has ${n} ${key === 'IpPermissions' ? 'inbound' : 'outbound'} rule${n === 1 ? '' : 's'}`));
  }
  return out;
}

export const defaultGroupLive: LiveSpec = {
  kinds: KINDS,
  check: liveDefaultGroup,
  cli: 'aws ec2 revoke-security-group-ingress --group-id <default-group-id> --ip-permissions \'<the rules from describe-security-groups>\' --region <region> && aws ec2 revoke-security-group-egress --group-id <default-group-id> --ip-permissions IpProtocol=-1,IpRanges=[{CidrIp=0.0.0.0/0}] --region <region>',
  console: 'VPC → Security groups → the group named "default" of each VPC → Inbound rules and Outbound rules → delete every rule → Save rules.',
  bad: [collected('aws', [sg('sg-0def', [groupOnly], { GroupName: 'default', IpPermissionsEgress: [perm('-1', undefined, undefined)] }), sg('sg-0def2', [], { GroupName: 'default', VpcId: 'vpc-2' })], [sgArn('sg-0def')])],
  good: [collected('aws', [sg('sg-0def', [], { GroupName: 'default' }), sg('sg-0app', [perm('tcp', 443, 443)], { IpPermissionsEgress: [perm('-1', undefined, undefined)] })])],
};
