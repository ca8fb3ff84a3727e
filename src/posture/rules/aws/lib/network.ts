/**
 * Security group ingress rules, normalised across every way code writes them: inline `ingress`
 * blocks of `aws_security_group` / `aws_default_security_group`, `aws_security_group_rule`
 * (type ingress), `aws_vpc_security_group_ingress_rule`, the `terraform-aws-modules/security-
 * group/aws` module's CIDR arguments, and CloudFormation `SecurityGroupIngress` (inline or its
 * own resource). Pure; values that cannot be read make a rule unknown, never open.
 */
import { blocks, isObject, isUnresolved, list, num, str } from '../../../attrs.js';
import type { AttrPath, Resource, ResourceKind } from '../../../model.js';
import { isModule } from './links.js';

export const SG_MODULE = 'terraform-aws-modules/security-group/aws';

export const INGRESS_KINDS: readonly ResourceKind[] = [
  'tf:aws_security_group',
  'tf:aws_default_security_group',
  'tf:aws_security_group_rule',
  'tf:aws_vpc_security_group_ingress_rule',
  'tf:module',
  'cfn:AWS::EC2::SecurityGroup',
  'cfn:AWS::EC2::SecurityGroupIngress',
];

export interface Cidr {
  readonly value: unknown;
  readonly path: AttrPath;
}

export interface Ingress {
  /** The rule's own path (`['ingress', 2]`, `['SecurityGroupIngress', 0]`, `[]`). */
  readonly path: AttrPath;
  /** `all` for every protocol, a lower-case name or number otherwise; undefined when unknown. */
  readonly protocol: string | undefined;
  /** Port range; undefined when unknown (module presets, unresolved values). */
  readonly from: number | undefined;
  readonly to: number | undefined;
  readonly cidrs: readonly Cidr[];
}

/** `0.0.0.0/0` or `::/0` in any spelling of the zero address (Terraform rejects /0 ranges with host bits set). */
export function isOpenCidr(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const [address, prefix, extra] = v.trim().split('/');
  if (prefix !== '0' || extra !== undefined || address === undefined) return false;
  if (address.includes(':')) {
    const groups = address.split(':').filter((g) => g !== '');
    return groups.length <= 8 && groups.every((g) => /^0{1,4}$/.test(g));
  }
  const octets = address.split('.');
  return octets.length === 4 && octets.every((o) => /^0{1,3}$/.test(o));
}

function protocolOf(v: unknown): string | undefined {
  if (isUnresolved(v)) return undefined;
  const p = str(v)?.trim().toLowerCase();
  if (p === undefined || p === '') return undefined;
  return p === '-1' || p === 'all' ? 'all' : p === '6' ? 'tcp' : p === '17' ? 'udp' : p;
}

function port(v: unknown): number | undefined {
  return isUnresolved(v) ? undefined : num(v);
}

function cidrsAt(o: Readonly<Record<string, unknown>>, base: AttrPath, keys: readonly string[]): Cidr[] {
  return keys.flatMap((k) => {
    const v = o[k];
    if (v === undefined) return [];
    if (Array.isArray(v)) return (v as unknown[]).map((value) => ({ value, path: [...base, k] }));
    return [{ value: v, path: [...base, k] }];
  });
}

function tfRule(o: Readonly<Record<string, unknown>>, path: AttrPath, protocolKey: string, cidrKeys: readonly string[]): Ingress {
  const protocol = protocolOf(o[protocolKey]);
  return {
    path,
    protocol,
    from: protocol === 'all' ? 0 : port(o['from_port']),
    to: protocol === 'all' ? 65535 : port(o['to_port']),
    cidrs: cidrsAt(o, path, cidrKeys),
  };
}

function cfnRule(o: Readonly<Record<string, unknown>>, path: AttrPath): Ingress {
  const protocol = protocolOf(o['IpProtocol']);
  return {
    path,
    protocol,
    from: protocol === 'all' ? 0 : port(o['FromPort']),
    to: protocol === 'all' ? 65535 : port(o['ToPort']),
    cidrs: cidrsAt(o, path, ['CidrIp', 'CidrIpv6']),
  };
}

/** The module's `ingress_with_cidr_blocks` entries carry a comma-separated `cidr_blocks` string. */
function moduleRules(r: Resource): Ingress[] {
  const out: Ingress[] = [];
  const defaults = cidrsAt(r.attrs, [], ['ingress_cidr_blocks', 'ingress_ipv6_cidr_blocks']);
  if (defaults.length > 0) out.push({ path: [], protocol: undefined, from: undefined, to: undefined, cidrs: defaults });
  for (const key of ['ingress_with_cidr_blocks', 'ingress_with_ipv6_cidr_blocks']) {
    const entries = r.attrs[key];
    for (const [i, e] of (Array.isArray(entries) ? entries : []).entries()) {
      if (!isObject(e)) continue;
      const rule = tfRule(e, [key, i], 'protocol', []);
      const raw = e['cidr_blocks'] ?? e['ipv6_cidr_blocks'];
      const values = typeof raw === 'string' ? raw.split(',').map((c) => c.trim()) : list(raw);
      out.push({ ...rule, cidrs: values.map((value) => ({ value, path: [key, i] })) });
    }
  }
  return out;
}

/** Every ingress rule a resource declares. */
export function ingressRules(r: Resource): Ingress[] {
  switch (r.kind) {
    case 'tf:aws_security_group':
    case 'tf:aws_default_security_group':
      return blocks(r.attrs['ingress']).map((b, i) => tfRule(b, ['ingress', i], 'protocol', ['cidr_blocks', 'ipv6_cidr_blocks']));
    case 'tf:aws_security_group_rule':
      return str(r.attrs['type']) === 'ingress' ? [tfRule(r.attrs, [], 'protocol', ['cidr_blocks', 'ipv6_cidr_blocks'])] : [];
    case 'tf:aws_vpc_security_group_ingress_rule':
      return [tfRule(r.attrs, [], 'ip_protocol', ['cidr_ipv4', 'cidr_ipv6'])];
    case 'tf:module':
      return isModule(r, SG_MODULE) ? moduleRules(r) : [];
    case 'cfn:AWS::EC2::SecurityGroup': {
      const rules = r.attrs['SecurityGroupIngress'];
      return (Array.isArray(rules) ? rules : []).flatMap((o, i) => (isObject(o) && !isUnresolved(o) ? [cfnRule(o, ['SecurityGroupIngress', i])] : []));
    }
    case 'cfn:AWS::EC2::SecurityGroupIngress':
      return [cfnRule(r.attrs, [])];
    default:
      return [];
  }
}

/** The CIDRs of a rule that are the whole internet. */
export function openCidrs(rule: Ingress): Cidr[] {
  return rule.cidrs.filter((c) => isOpenCidr(c.value));
}

/** Does the rule certainly let `port` in over TCP (or `protocols`)? Unknown ports or protocol: no. */
export function coversPort(rule: Ingress, portNumber: number, protocols: readonly string[] = ['tcp']): boolean {
  if (rule.protocol === undefined || rule.from === undefined || rule.to === undefined) return false;
  if (rule.protocol !== 'all' && !protocols.includes(rule.protocol)) return false;
  return rule.from <= portNumber && portNumber <= rule.to;
}

/** Every port of every protocol (`-1`), or the whole TCP/UDP port range. */
export function coversAllPorts(rule: Ingress): boolean {
  if (rule.protocol === 'all') return true;
  if (rule.protocol !== 'tcp' && rule.protocol !== 'udp') return false;
  return rule.from !== undefined && rule.to !== undefined && rule.from <= 1 && rule.to >= 65535;
}

/**
 * Rules of a collected security group (DescribeSecurityGroups `IpPermissions` or
 * `IpPermissionsEgress`): one Ingress per permission, its CIDRs at
 * `[key, i, 'IpRanges', j, 'CidrIp']` / `[key, i, 'Ipv6Ranges', j, 'CidrIpv6']`. Prefix lists and
 * group pairs are not CIDRs and never count as open. Odd shapes give no rules, never a throw.
 */
export function livePermissions(attrs: Readonly<Record<string, unknown>>, key: 'IpPermissions' | 'IpPermissionsEgress' = 'IpPermissions'): Ingress[] {
  const perms = attrs[key];
  if (!Array.isArray(perms)) return [];
  const out: Ingress[] = [];
  for (const [i, p] of (perms as unknown[]).entries()) {
    if (!isObject(p)) continue;
    const protocol = protocolOf(p['IpProtocol']);
    const cidrs: Cidr[] = [];
    for (const [range, field] of [['IpRanges', 'CidrIp'], ['Ipv6Ranges', 'CidrIpv6']] as const) {
      const entries = p[range];
      if (!Array.isArray(entries)) continue;
      for (const [j, e] of (entries as unknown[]).entries()) if (isObject(e)) cidrs.push({ value: e[field], path: [key, i, range, j, field] });
    }
    out.push({ path: [key, i], protocol, from: protocol === 'all' ? 0 : port(p['FromPort']), to: protocol === 'all' ? 65535 : port(p['ToPort']), cidrs });
  }
  return out;
}

/** A network ACL entry (DescribeNetworkAcls `Entries[]`) as an Ingress-like rule with its action. */
export interface AclEntry extends Ingress {
  readonly allow: boolean;
  readonly egress: boolean;
  readonly ruleNumber: number | undefined;
}

/** The entries of a collected network ACL; protocol `-1` is every port, TCP/UDP entries carry a PortRange. */
export function aclEntries(attrs: Readonly<Record<string, unknown>>): AclEntry[] {
  const entries = attrs['Entries'];
  if (!Array.isArray(entries)) return [];
  const out: AclEntry[] = [];
  for (const [i, e] of (entries as unknown[]).entries()) {
    if (!isObject(e)) continue;
    const protocol = protocolOf(e['Protocol']);
    const range = isObject(e['PortRange']) ? e['PortRange'] : undefined;
    // A TCP/UDP entry without a PortRange covers every port, as AWS applies it.
    const from = protocol === 'all' || range === undefined ? 0 : port(range['From']);
    const to = protocol === 'all' || range === undefined ? 65535 : port(range['To']);
    const cidrs = cidrsAt(e, ['Entries', i], ['CidrBlock', 'Ipv6CidrBlock']);
    out.push({ path: ['Entries', i], protocol, from, to, cidrs, allow: str(e['RuleAction']) === 'allow', egress: e['Egress'] === true, ruleNumber: num(e['RuleNumber']) });
  }
  return out;
}
