/**
 * VPC firewall rules as collected (`global/firewalls`: `direction`, `sourceRanges`,
 * `allowed[].IPProtocol` / `ports`, `disabled`): the live half of every "port open to the
 * Internet" rule in ../firewall.ts (one builder for all ports) and of the "every port open" rule.
 */
import { bool, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { isWorldCidr, portSpecIncludes, portSpecIsAll } from '../../shared/network.js';
import { collected, type ExampleResource, type LiveSpec } from '../../shared/live.js';
import { gcpRes, GCP, items, PROJECT_ID, strings } from '../lib/live.js';

const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { '6': 'tcp', '17': 'udp', '132': 'sctp' };
/** Protocols with ports (ICMP, ESP, AH have none). */
const PORTED = new Set(['tcp', 'udp', 'sctp']);

export const fwId = (name: string): string => `//compute.googleapis.com/projects/${PROJECT_ID}/global/firewalls/${name}`;

export function firewallRes(name: string, allowed: Record<string, unknown>[], attrs: Record<string, unknown> = {}): ExampleResource {
  return gcpRes(GCP.firewall, fwId(name), {
    kind: 'compute#firewall',
    name,
    network: `https://www.googleapis.com/compute/v1/projects/${PROJECT_ID}/global/networks/app`,
    direction: 'INGRESS',
    priority: 1000,
    sourceRanges: ['0.0.0.0/0'],
    allowed,
    disabled: false,
    selfLink: `https://www.googleapis.com/compute/v1/projects/${PROJECT_ID}/global/firewalls/${name}`,
    ...attrs,
  });
}

/** An enabled ingress rule whose sources include any address. */
function fromAnywhere(r: Resource): boolean {
  if ((str(r.attrs['direction']) ?? 'INGRESS').toUpperCase() !== 'INGRESS') return false;
  if (bool(r.attrs['disabled']) === true) return false;
  const ranges = r.attrs['sourceRanges'];
  if (ranges === undefined || ranges === null) return strings(r.attrs['sourceTags']).length === 0 && strings(r.attrs['sourceServiceAccounts']).length === 0;
  return strings(ranges).some(isWorldCidr);
}

/** The allowed entries (with their paths) that open `port` over one of `protocols` (any port when `port` is undefined). */
function openEntries(r: Resource, port: number | undefined, protocols: readonly string[]): { index: number; protocol: string; all: boolean }[] {
  if (!fromAnywhere(r)) return [];
  return items(r.attrs['allowed']).flatMap(({ item, index }): { index: number; protocol: string; all: boolean }[] => {
    const raw = str(item['IPProtocol'])?.trim().toLowerCase();
    if (raw === undefined) return [];
    const protocol = PROTOCOL_NUMBERS[raw] ?? raw;
    const ports = strings(item['ports']);
    if (protocol === 'all') return [{ index, protocol, all: true }];
    if (port === undefined) return PORTED.has(protocol) && (ports.length === 0 || ports.some(portSpecIsAll)) ? [{ index, protocol, all: true }] : [];
    if (!protocols.includes(protocol)) return [];
    if (ports.length === 0) return [{ index, protocol, all: true }];
    return ports.some((p) => portSpecIncludes(p, port)) ? [{ index, protocol, all: false }] : [];
  });
}

export function liveOpenToWorld(r: Resource, port: number, protocols: readonly string[], name: string): Violation[] {
  return openEntries(r, port, protocols).map(({ index, protocol, all }) =>
    violation(['allowed', index], protocol === 'all' ? `all protocols and ports, including ${name} (${port}), are open to the Internet` : all ? `every ${protocol} port, including ${name} (${port}), is open to the Internet` : `${name} (${protocol}/${port}) is open to the Internet`),
  );
}

/** The live block of a port rule. */
export function firewallPortLive(port: number, protocols: readonly string[], name: string): LiveSpec {
  const protocol = protocols[0] ?? 'tcp';
  return {
    kinds: [GCP.firewall],
    check: (r) => liveOpenToWorld(r, port, protocols, name),
    cli: `gcloud compute firewall-rules update <rule> --source-ranges=<trusted-cidr>[,…]  # or: gcloud compute firewall-rules delete <rule>`,
    console: 'VPC network → Firewall → the rule → Edit → Source IPv4 ranges → trusted ranges only (35.235.240.0/20 for IAP) → Save, or delete the rule.',
    bad: [
      collected(
        'gcp',
        [
          firewallRes('open', [{ IPProtocol: protocol, ports: ['80', String(port)] }]),
          firewallRes('range', [{ IPProtocol: protocol, ports: [`${port - 1}-${port + 1}`] }], { sourceRanges: ['10.0.0.0/8', '::/0'] }),
          firewallRes('everything', [{ IPProtocol: 'all' }]),
          firewallRes('iap', [{ IPProtocol: protocol, ports: [String(port)] }], { sourceRanges: ['35.235.240.0/20'] }),
        ],
        [fwId('open'), fwId('range'), fwId('everything')],
      ),
    ],
    good: [
      collected('gcp', [
        firewallRes('iap', [{ IPProtocol: protocol, ports: [String(port)] }], { sourceRanges: ['35.235.240.0/20'] }),
        firewallRes('web', [{ IPProtocol: 'tcp', ports: [String(port === 443 ? 80 : 443)] }]),
        firewallRes('off', [{ IPProtocol: protocol, ports: [String(port)] }], { disabled: true }),
        firewallRes('egress', [{ IPProtocol: protocol, ports: [String(port)] }], { direction: 'EGRESS', sourceRanges: undefined, destinationRanges: ['0.0.0.0/0'] }),
        firewallRes('tagged', [{ IPProtocol: protocol, ports: [String(port)] }], { sourceRanges: undefined, sourceTags: ['bastion'] }),
      ]),
    ],
  };
}

export const firewallAllPortsLive: LiveSpec = {
  kinds: [GCP.firewall],
  check: (r) => openEntries(r, undefined, []).map(({ index, protocol }) => violation(['allowed', index], protocol === 'all' ? 'every protocol and port is open to the Internet' : `every ${protocol} port is open to the Internet`)),
  cli: 'gcloud compute firewall-rules update <rule> --allow=tcp:<port>[,…] --source-ranges=<trusted-cidr>[,…]  # or delete it',
  console: 'VPC network → Firewall → the rule → Edit → Protocols and ports → Specified ports only, Source ranges → trusted ranges → Save.',
  bad: [
    collected(
      'gcp',
      [firewallRes('any', [{ IPProtocol: 'all' }]), firewallRes('tcp', [{ IPProtocol: 'tcp' }]), firewallRes('udp-range', [{ IPProtocol: 'udp', ports: ['0-65535'] }]), firewallRes('web', [{ IPProtocol: 'tcp', ports: ['443'] }])],
      [fwId('any'), fwId('tcp'), fwId('udp-range')],
    ),
  ],
  good: [collected('gcp', [firewallRes('web', [{ IPProtocol: 'tcp', ports: ['80', '443'] }]), firewallRes('internal', [{ IPProtocol: 'all' }], { sourceRanges: ['10.128.0.0/9'] }), firewallRes('icmp', [{ IPProtocol: 'icmp' }])])],
};
