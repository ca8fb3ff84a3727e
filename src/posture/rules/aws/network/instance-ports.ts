/**
 * VGL-AWS-330…346: an EC2 instance with a public IP address whose security groups let the
 * whole internet reach a service of the table in ports.ts (Prowler's
 * ec2_instance_port_*_exposed_to_internet). The group rule alone (VGL-AWS-023/024/300…) says a
 * door is open; this says a host is actually behind it. A group the scan did not collect makes
 * the instance "not assessed", never a pass.
 */
import { isObject, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import { collected } from '../../shared/live.js';
import { awsRule, nist } from '../lib/define.js';
import { livePermissions, openCidrs } from '../lib/network.js';
import { instance, instanceArn, perm, sg } from './examples.js';
import { EXPOSED_SERVICES, firstPort, reaches, type ExposedService } from './ports.js';
import { serviceFrameworks } from './sg-ports.js';

const groupIndex = new WeakMap<RuleContext, Map<string, Resource>>();

/** Collected security groups by account/region/group id, built once per scan. */
function groupsOf(ctx: RuleContext): Map<string, Resource> {
  let index = groupIndex.get(ctx);
  if (index === undefined) {
    index = new Map();
    for (const g of ctx.byKind(AWS_KINDS.securityGroup)) {
      const id = str(g.attrs['GroupId']);
      if (id !== undefined) index.set(`${g.account ?? ''}/${g.region ?? ''}/${id}`, g);
    }
    groupIndex.set(ctx, index);
  }
  return index;
}

/** The instance's public IPv4 address (primary or on any interface), if it has one. */
export function publicAddress(r: Resource): string | undefined {
  const direct = str(r.attrs['PublicIpAddress']);
  if (direct !== undefined && direct !== '') return direct;
  const nics = Array.isArray(r.attrs['NetworkInterfaces']) ? (r.attrs['NetworkInterfaces'] as unknown[]) : [];
  for (const n of nics) {
    const assoc = isObject(n) && isObject(n['Association']) ? n['Association'] : undefined;
    const ip = assoc ? str(assoc['PublicIp']) : undefined;
    if (ip !== undefined && ip !== '') return ip;
  }
  return undefined;
}

/** Ids of the instance's security groups (top level and per interface). */
export function groupIdsOf(r: Resource): string[] {
  const ids = new Set<string>();
  const add = (groups: unknown): void => {
    for (const g of Array.isArray(groups) ? (groups as unknown[]) : []) {
      const id = isObject(g) ? str(g['GroupId']) : undefined;
      if (id !== undefined) ids.add(id);
    }
  };
  add(r.attrs['SecurityGroups']);
  for (const n of Array.isArray(r.attrs['NetworkInterfaces']) ? (r.attrs['NetworkInterfaces'] as unknown[]) : []) if (isObject(n)) add(n['Groups']);
  return [...ids];
}

const GONE = new Set(['terminated', 'shutting-down']);

export const instanceState = (r: Resource): string | undefined => {
  const s = r.attrs['State'];
  return isObject(s) ? str(s['Name']) : undefined;
};

function exposure(s: ExposedService) {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    if (GONE.has(instanceState(r) ?? '')) return [];
    const ip = publicAddress(r);
    if (ip === undefined) return [];
    const groups = groupsOf(ctx);
    const open: string[] = [];
    const missing: string[] = [];
    for (const id of groupIdsOf(r)) {
      const g = groups.get(`${r.account ?? ''}/${r.region ?? ''}/${id}`);
      if (g === undefined) missing.push(id);
      else if (livePermissions(g.attrs).some((rule) => openCidrs(rule).length > 0 && reaches(rule, s))) open.push(id);
    }
    if (open.length > 0) return [violation(['SecurityGroups'], `the instance has public address ${ip} and ${open.join(', ')} let${open.length === 1 ? 's' : ''} the whole internet reach ${s.name}`)];
    if (missing.length > 0) return [{ path: ['SecurityGroups'], message: `not assessed: security group${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of this public instance ${missing.length === 1 ? 'was' : 'were'} not collected`, notAssessed: true }];
    return [];
  };
}

function instancePortRule(s: ExposedService, id: string): Rule {
  const port = firstPort(s);
  const protocol = s.protocols[0] ?? 'tcp';
  const publicIp = { PublicIpAddress: '203.0.113.10' };
  return awsRule({
    id,
    title: `EC2 instance exposes ${s.name} to the internet`,
    description: `The instance has a public IP address and one of its security groups lets 0.0.0.0/0 or ::/0 reach ${s.name}: ${s.why}. Unlike a group rule on its own, a reachable host is behind this one.`,
    severity: s.severity === 'medium' ? 'high' : s.severity,
    service: 'ec2',
    frameworks: serviceFrameworks(s, [nist('AC-4')]),
    remediation: `Remove the internet sources for ${s.name} from the instance's security groups, or move the instance to a private subnet without a public address and reach it through Session Manager, a VPN or a load balancer.`,
    references: ['https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-security-groups.html', 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager.html'],
    live: {
      kinds: [AWS_KINDS.instance],
      check: exposure(s),
      cli: `aws ec2 revoke-security-group-ingress --group-id <group-id> --ip-permissions IpProtocol=${protocol},FromPort=${port},ToPort=${port},IpRanges=[{CidrIp=0.0.0.0/0}] --region <region>`,
      console: `EC2 → Instances → the instance → Security → each security group → Edit inbound rules → remove the 0.0.0.0/0 and ::/0 sources on ${s.name} → Save rules.`,
      bad: [
        collected('aws', [
          sg('sg-0open', [perm(protocol, port, port)]),
          sg('sg-0private', [perm(protocol, port, port, ['10.0.0.0/8'])]),
          instance('i-0exposed', publicIp, ['sg-0private', 'sg-0open']),
          instance('i-0private', {}, ['sg-0open']),
          instance('i-0inner', publicIp, ['sg-0private']),
        ], [instanceArn('i-0exposed')]),
      ],
      good: [
        collected('aws', [
          sg('sg-0open', [perm(protocol, port, port)]),
          sg('sg-0web', [perm('tcp', 443, 443)]),
          instance('i-0web', publicIp, ['sg-0web']),
          // No public address; a terminated instance keeps its groups in the answer.
          instance('i-0private', {}, ['sg-0open']),
          instance('i-0gone', { ...publicIp, State: { Name: 'terminated' } }, ['sg-0open']),
        ]),
      ],
    },
  });
}

export const instancePortRules: readonly Rule[] = EXPOSED_SERVICES.flatMap((s) => (s.instance === undefined ? [] : [instancePortRule(s, s.instance)]));
