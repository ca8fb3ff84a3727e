/**
 * VPC firewall rules admitting the whole Internet (0.0.0.0/0 or ::/0) to sensitive ports: SSH
 * and RDP (CIS GCP 3.0 3.6, 3.7), FTP, MySQL and the other administration, database and cache
 * ports of the table below, and every port at once. An ingress rule with no source at all
 * defaults to 0.0.0.0/0; an allow block with protocol "all", or without ports, opens every port.
 * Each rule checks Terraform and collected firewall rules (live/firewall.ts).
 */
import type { Resource, Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { blocksAt, known, lower } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { isWorldCidr, portSpecIncludes, portSpecIsAll } from '../shared/network.js';
import { cis, GOOGLE_DOCS, gcpRule } from './lib/define.js';
import { firewallAllPortsLive, firewallPortLive } from './live/firewall.js';

const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '132': 'sctp' };

/** True when the rule applies to traffic from anywhere (unknown sources are not assumed open). */
function fromAnywhere(r: Resource): boolean {
  const direction = r.attrs['direction'];
  if (direction !== undefined && direction !== null && lower(direction) !== 'ingress') return false;
  if (lower(r.attrs['disabled']) === 'true') return false;
  const ranges = r.attrs['source_ranges'];
  if (ranges === undefined || ranges === null) {
    // Without any source, an ingress rule applies to 0.0.0.0/0.
    return ['source_tags', 'source_service_accounts'].every((k) => r.attrs[k] === undefined || r.attrs[k] === null);
  }
  return Array.isArray(ranges) && ranges.some(isWorldCidr);
}

export function openToWorld(r: Resource, port: number, protocols: readonly string[], name: string): Violation[] {
  if (!fromAnywhere(r)) return [];
  const out: Violation[] = [];
  for (const { block, path } of blocksAt(r.attrs, 'allow')) {
    const raw = lower(block['protocol']);
    if (raw === undefined) continue;
    const protocol = PROTOCOL_NUMBERS[raw] ?? raw;
    if (protocol === 'all') {
      out.push(violation(path, `all protocols and ports, including ${name} (${port}), are open to the Internet`));
      continue;
    }
    if (!protocols.includes(protocol)) continue;
    const ports = block['ports'];
    if (ports === undefined || ports === null || (Array.isArray(ports) && ports.length === 0)) {
      out.push(violation(path, `every ${protocol} port, including ${name} (${port}), is open to the Internet`));
    } else if (Array.isArray(ports) && ports.some((p) => known(p) && portSpecIncludes(p, port))) {
      out.push(violation([...path, 'ports'], `${name} (${protocol}/${port}) is open to the Internet`));
    }
  }
  return out;
}

const firewall = (allow: string, sources: string): string =>
  `resource "google_compute_firewall" "fw" {\n  name    = "fw"\n  network = google_compute_network.vpc.name\n\n  allow {\n${allow}  }\n\n${sources}}\n`;

function portRule(id: string, port: number, name: string, protocols: readonly string[], severity: Rule['severity'], control?: string): Rule {
  return gcpRule({
    id,
    title: `Firewall rule allows ${name} from the Internet`,
    description: `An ingress rule from 0.0.0.0/0 or ::/0 (or with no source, which means the same) that allows port ${port} exposes ${name} on every matching instance to scanning, password guessing and exploitation from anywhere.`,
    severity,
    service: 'vpc',
    types: ['google_compute_firewall'],
    frameworks: [...(control === undefined ? [] : [cis(control)]), ...themes('network')],
    remediation: `Restrict source_ranges to known addresses (for administration, Identity-Aware Proxy's 35.235.240.0/20), or remove the rule.`,
    fix: `resource "google_compute_firewall" "${name.toLowerCase()}" {\n  name    = "allow-${name.toLowerCase()}-from-iap"\n  network = google_compute_network.vpc.name\n  allow {\n    protocol = "tcp"\n    ports    = ["${port}"]\n  }\n  source_ranges = ["35.235.240.0/20"]\n}`,
    references: [`${GOOGLE_DOCS}compute_firewall`, 'https://cloud.google.com/firewall/docs/firewalls'],
    check: (r) => openToWorld(r, port, protocols, name),
    live: firewallPortLive(port, protocols, name),
    bad: [
      { text: firewall(`    protocol = "tcp"\n    ports    = ["80", "${port}"]\n`, '  source_ranges = ["0.0.0.0/0"]\n'), lines: [7] },
      { text: firewall('    protocol = "all"\n', '  source_ranges = ["::/0"]\n'), lines: [5] },
    ],
    good: [
      firewall(`    protocol = "tcp"\n    ports    = ["${port}"]\n`, '  source_ranges = ["35.235.240.0/20"]\n'),
      firewall(`    protocol = "tcp"\n    ports    = ["${port}"]\n`, '  source_tags = ["bastion"]\n'),
      firewall('    protocol = "tcp"\n    ports    = ["443"]\n', '  source_ranges = ["0.0.0.0/0"]\n'),
    ],
  });
}

export const firewallSsh = portRule('VGL-GCP-009', 22, 'SSH', ['tcp'], 'high', '3.6');
export const firewallRdp = portRule('VGL-GCP-010', 3389, 'RDP', ['tcp', 'udp'], 'high', '3.7');
export const firewallFtp = portRule('VGL-GCP-011', 21, 'FTP', ['tcp'], 'high');
export const firewallMysql = portRule('VGL-GCP-012', 3306, 'MySQL', ['tcp'], 'high');

const TCP = ['tcp'];
const BOTH = ['tcp', 'udp'];

/** Further services that should never face the Internet: id, port, name, protocols, severity. */
const MORE_PORTS: readonly (readonly [string, number, string, readonly string[], Rule['severity']])[] = [
  ['VGL-GCP-044', 23, 'Telnet', TCP, 'high'],
  ['VGL-GCP-045', 25, 'SMTP', TCP, 'medium'],
  ['VGL-GCP-046', 53, 'DNS', BOTH, 'medium'],
  ['VGL-GCP-047', 139, 'NetBIOS', BOTH, 'high'],
  ['VGL-GCP-048', 445, 'SMB', TCP, 'high'],
  ['VGL-GCP-049', 1433, 'MSSQL', TCP, 'high'],
  ['VGL-GCP-050', 1521, 'Oracle', TCP, 'high'],
  ['VGL-GCP-051', 5432, 'PostgreSQL', TCP, 'high'],
  ['VGL-GCP-052', 6379, 'Redis', TCP, 'high'],
  ['VGL-GCP-053', 27017, 'MongoDB', TCP, 'high'],
  ['VGL-GCP-054', 9200, 'Elasticsearch', TCP, 'high'],
  ['VGL-GCP-055', 11211, 'Memcached', BOTH, 'high'],
  ['VGL-GCP-056', 9042, 'Cassandra', TCP, 'high'],
  ['VGL-GCP-057', 5601, 'Kibana', TCP, 'medium'],
  ['VGL-GCP-058', 389, 'LDAP', BOTH, 'high'],
  ['VGL-GCP-059', 5900, 'VNC', TCP, 'high'],
  ['VGL-GCP-060', 2375, 'Docker', TCP, 'critical'],
];

export const morePortRules: readonly Rule[] = MORE_PORTS.map(([id, port, name, protocols, severity]) => portRule(id, port, name, protocols, severity));

/** Allow blocks opening every port (protocol all, or tcp/udp/sctp without ports or with 0-65535). */
function allPortsOpen(r: Resource): Violation[] {
  if (!fromAnywhere(r)) return [];
  return blocksAt(r.attrs, 'allow').flatMap(({ block, path }): Violation[] => {
    const raw = lower(block['protocol']);
    if (raw === undefined) return [];
    const protocol = PROTOCOL_NUMBERS[raw] ?? raw;
    if (protocol === 'all') return [violation(path, 'every protocol and port is open to the Internet')];
    if (!['tcp', 'udp', 'sctp'].includes(protocol)) return [];
    const ports = block['ports'];
    if (ports === undefined || ports === null || (Array.isArray(ports) && ports.length === 0)) return [violation(path, `every ${protocol} port is open to the Internet`)];
    return Array.isArray(ports) && ports.some((p) => known(p) && portSpecIsAll(p)) ? [violation([...path, 'ports'], `every ${protocol} port is open to the Internet`)] : [];
  });
}

export const firewallAllPorts = gcpRule({
  id: 'VGL-GCP-043',
  title: 'Firewall rule allows every port from the Internet',
  description:
    'An ingress rule from 0.0.0.0/0 or ::/0 that allows all protocols, or every TCP/UDP port, exposes every service on the matching instances — including ones started later or by accident — to the whole Internet.',
  severity: 'high',
  service: 'vpc',
  types: ['google_compute_firewall'],
  frameworks: themes('network'),
  remediation: 'Allow only the ports the service needs, from the narrowest source ranges; put administration behind IAP.',
  fix: 'resource "google_compute_firewall" "web" {\n  name    = "allow-https"\n  network = google_compute_network.vpc.name\n  allow {\n    protocol = "tcp"\n    ports    = ["443"]\n  }\n  source_ranges = ["0.0.0.0/0"]\n}',
  references: [`${GOOGLE_DOCS}compute_firewall`, 'https://cloud.google.com/firewall/docs/firewalls'],
  check: allPortsOpen,
  live: firewallAllPortsLive,
  bad: [
    { text: firewall('    protocol = "all"\n', '  source_ranges = ["0.0.0.0/0"]\n'), lines: [5] },
    { text: firewall('    protocol = "tcp"\n    ports    = ["0-65535"]\n', '  source_ranges = ["::/0"]\n'), lines: [7] },
  ],
  good: [firewall('    protocol = "tcp"\n    ports    = ["443"]\n', '  source_ranges = ["0.0.0.0/0"]\n'), firewall('    protocol = "all"\n', '  source_ranges = ["10.0.0.0/8"]\n')],
});

export const FIREWALL_RULES = [firewallSsh, firewallRdp, firewallFtp, firewallMysql, firewallAllPorts, ...morePortRules];
