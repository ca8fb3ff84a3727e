/**
 * Network security groups and Network Watcher as collected (CIS Azure 2.1 section 6). The
 * Internet-exposure checks are one builder over a table of services (RDP and SSH are the live
 * halves of VGL-AZURE-006/007; UDP and HTTP(S) are live-only), then flow log retention and a
 * Network Watcher in every region in use.
 */
import { num } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { cis, liveRule } from '../../shared/define.js';
import { collected, needs, type LiveSpec } from '../../shared/live.js';
import { portSpecIncludes } from '../../shared/network.js';
import { arm, AZ, isTrue, items, low, props, sameSub, subscription, unknownKinds } from './lib.js';

/** Source prefixes meaning "anywhere on the Internet". */
const INTERNET = new Set(['*', '0.0.0.0', '0.0.0.0/0', 'internet', 'any', '::/0', '<nw>/0', '/0']);

const strings = (v: unknown): string[] => (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string').map((x) => x.trim().toLowerCase());

export interface Exposure {
  /** Destination ports; empty = any port. */
  readonly ports: readonly number[];
  readonly protocols: readonly string[];
  readonly name: string;
}

/** The inbound Allow rules of a collected NSG that expose `e` to the Internet. */
function exposed(r: Resource, e: Exposure): Violation[] {
  if (r.kind !== AZ.nsg) return [];
  const out: Violation[] = [];
  items(props(r)['securityRules']).forEach((rule, i) => {
    const p = props(rule);
    if (low(p['direction']) !== 'inbound' || low(p['access']) !== 'allow') return;
    const protocol = low(p['protocol']);
    if (protocol === undefined || !e.protocols.includes(protocol)) return;
    if (![...strings(p['sourceAddressPrefix']), ...strings(p['sourceAddressPrefixes'])].some((s) => INTERNET.has(s))) return;
    for (const key of ['destinationPortRange', 'destinationPortRanges']) {
      const specs = (Array.isArray(p[key]) ? (p[key] as unknown[]) : [p[key]]).filter((s) => typeof s === 'string');
      if (specs.length === 0) continue;
      if (e.ports.length === 0 || specs.some((s) => e.ports.some((port) => portSpecIncludes(s, port)))) {
        out.push(violation(['properties', 'securityRules', i, 'properties', key], `inbound rule ${String(rule['name'])} allows ${e.name} from the Internet`));
        return;
      }
    }
  });
  return out;
}

const secRule = (name: string, access: string, protocol: string, source: string, ports: string): Record<string, unknown> => ({
  name,
  properties: { direction: 'Inbound', access, protocol, sourceAddressPrefix: source, destinationPortRange: ports, priority: 100 },
});
const nsg = (name: string, rules: Record<string, unknown>[]): ReturnType<typeof arm> => arm(AZ.nsg, name, { securityRules: rules, defaultSecurityRules: [] });

export function nsgLive(e: Exposure): LiveSpec {
  const port = String(e.ports[0] ?? 53);
  const protocol = e.protocols.includes('tcp') ? 'Tcp' : 'Udp';
  return {
    kinds: [AZ.nsg],
    check: (r) => exposed(r, e),
    cli: 'az network nsg rule update --resource-group <resource-group> --nsg-name <nsg> --name <rule> --source-address-prefixes <trusted-cidr> (or: az network nsg rule delete …)',
    console: 'Network security groups → the group → Settings → Inbound security rules → the rule → Source: IP addresses / Service tag other than Any or Internet (or delete it) → Save.',
    bad: [
      collected('azure', [
        nsg('open1', [secRule('open', 'Allow', protocol, '*', port)]),
        nsg('open2', [secRule('deny', 'Deny', '*', '*', '*'), secRule('any', 'Allow', '*', 'Internet', '*')]),
        nsg('office1', [secRule('office', 'Allow', protocol, '203.0.113.0/24', port)]),
      ], [nsg('open1', []).id, nsg('open2', []).id]),
    ],
    good: [
      collected('azure', [
        nsg('office1', [secRule('office', 'Allow', protocol, '203.0.113.0/24', port)]),
        nsg('deny1', [secRule('deny', 'Deny', '*', '*', '*')]),
        nsg('outbound1', [{ name: 'out', properties: { direction: 'Outbound', access: 'Allow', protocol: '*', sourceAddressPrefix: '*', destinationPortRange: '*' } }]),
        nsg('icmp1', [secRule('ping', 'Allow', 'Icmp', '*', '*')]),
      ]),
    ],
  };
}

export const RDP: Exposure = { ports: [3389], protocols: ['tcp', 'udp', '*'], name: 'RDP (port 3389)' };
export const SSH: Exposure = { ports: [22], protocols: ['tcp', '*'], name: 'SSH (port 22)' };

interface ExposureRule extends Exposure {
  readonly id: string;
  readonly cis: string;
  readonly title: string;
  readonly why: string;
}

const EXPOSURES: readonly ExposureRule[] = [
  {
    id: 'VGL-AZURE-109',
    cis: '6.3',
    title: 'Network security group allows UDP from the Internet',
    why: 'UDP services (DNS, NTP, SSDP, CLDAP, memcached…) open to the Internet are abused as amplifiers in reflected denial-of-service attacks and expose the services themselves.',
    ports: [],
    protocols: ['udp', '*'],
    name: 'UDP',
  },
  {
    id: 'VGL-AZURE-110',
    cis: '6.4',
    title: 'Network security group allows HTTP(S) from the Internet',
    why: 'Web ports open to everyone should be a deliberate choice, fronted by Application Gateway / Front Door with a web application firewall rather than exposing virtual machines directly.',
    ports: [80, 443],
    protocols: ['tcp', '*'],
    name: 'HTTP(S) (port 80 or 443)',
  },
];

const exposureRules = EXPOSURES.map((e) =>
  liveRule('azure', {
    id: e.id,
    title: e.title,
    description: `An inbound Allow rule whose source is any address (*, 0.0.0.0/0, Internet). ${e.why}`,
    severity: e.ports.length === 0 ? 'medium' : 'low',
    service: 'network',
    frameworks: [cis(e.cis), ...themes('network')],
    remediation: 'Restrict the rule to the addresses that need it, or remove it and publish the service through a load balancer or gateway that filters traffic.',
    references: ['https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview'],
    live: nsgLive(e),
  }),
);

// VGL-AZURE-111: flow logs ---------------------------------------------------------------------

function flowLogRetention(r: Resource): Violation[] {
  if (r.kind !== AZ.nsg) return [];
  const missing = needs(r, 'flowLogs');
  if (missing.length > 0) return missing;
  const logs = items(r.attrs['flowLogs']).filter((f) => isTrue(props(f)['enabled']));
  if (logs.length === 0) return [violation(['properties', 'flowLogs'], 'no enabled flow log records the traffic of this group')];
  const out: Violation[] = [];
  items(r.attrs['flowLogs']).forEach((f, i) => {
    const p = props(f);
    if (!isTrue(p['enabled'])) return;
    const policy = (typeof p['retentionPolicy'] === 'object' && p['retentionPolicy'] !== null ? p['retentionPolicy'] : {}) as Record<string, unknown>;
    const days = num(policy['days']);
    // Retention off (or 0 days) keeps the logs forever.
    if (isTrue(policy['enabled']) && days !== undefined && days > 0 && days < 90) out.push(violation(['flowLogs', i, 'properties', 'retentionPolicy', 'days'], `flow log ${String(f['name'])} is kept ${days} days (less than 90)`));
  });
  return out;
}

const flowLog = (name: string, enabled: boolean, days: number): Record<string, unknown> => ({ name, properties: { enabled, retentionPolicy: { enabled: true, days } } });

const flowLogRule = liveRule('azure', {
  id: 'VGL-AZURE-111',
  title: 'Network security group flow logs are missing or kept less than 90 days',
  description: 'NSG flow logs record which connections were allowed and denied. Without them, or with less than 90 days kept, lateral movement and exfiltration cannot be reconstructed after an incident.',
  severity: 'medium',
  service: 'network',
  frameworks: [cis('6.5'), ...themes('logging', 'retention')],
  remediation: 'Enable a flow log for every network security group (or virtual network flow logs) with a retention of 90 days or more (0 = keep forever).',
  references: ['https://learn.microsoft.com/azure/network-watcher/nsg-flow-logs-overview'],
  live: {
    kinds: [AZ.nsg],
    check: flowLogRetention,
    cli: 'az network watcher flow-log create --location <region> --resource-group <resource-group> --name <flow-log> --nsg <nsg-id> --storage-account <storage-id> --retention 90',
    console: 'Network Watcher → Logs → Flow logs → + Create (or the flow log → Retention days: 90) → Save.',
    bad: [
      collected('azure', [
        arm(AZ.nsg, 'short1', {}, { flowLogs: [flowLog('fl1', true, 30)] }),
        arm(AZ.nsg, 'none1', {}, { flowLogs: [] }),
        arm(AZ.nsg, 'off1', {}, { flowLogs: [flowLog('fl2', false, 90)] }),
        arm(AZ.nsg, 'ok1', {}, { flowLogs: [flowLog('fl3', true, 90)] }),
      ], [arm(AZ.nsg, 'short1', {}).id, arm(AZ.nsg, 'none1', {}).id, arm(AZ.nsg, 'off1', {}).id]),
    ],
    good: [collected('azure', [arm(AZ.nsg, 'ok1', {}, { flowLogs: [flowLog('fl3', true, 90)] }), arm(AZ.nsg, 'forever1', {}, { flowLogs: [{ name: 'fl4', properties: { enabled: true, retentionPolicy: { enabled: false, days: 0 } } }] })])],
  },
});

// VGL-AZURE-112: Network Watcher per region ----------------------------------------------------

/** Regions in use: the locations of the subscription's regional resources. */
function regionsInUse(ctx: RuleContext, sub: Resource): Set<string> {
  const out = new Set<string>();
  for (const r of ctx.resources) if (r.account === sub.account && r.kind !== AZ.watcher && typeof r.region === 'string' && r.region !== 'global' && r.region !== '') out.add(r.region);
  return out;
}

function watcherPerRegion(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind !== AZ.subscription) return [];
  const missing = unknownKinds(r, AZ.watcher);
  if (missing.length > 0) return missing;
  const watched = new Set(sameSub(ctx, r, AZ.watcher).filter((w) => low(props(w)['provisioningState']) !== 'failed').map((w) => w.region));
  const unwatched = [...regionsInUse(ctx, r)].filter((region) => !watched.has(region)).sort();
  return unwatched.length === 0 ? [] : [violation(['networkWatchers'], `no Network Watcher in ${unwatched.join(', ')}, where resources are deployed`)];
}

const watcher = (region: string): ReturnType<typeof arm> => {
  const w = arm(AZ.watcher, `NetworkWatcher_${region}`, { provisioningState: 'Succeeded' }, { location: region });
  return { ...w, region };
};
const inRegion = (name: string, region: string): ReturnType<typeof arm> => ({ ...arm(AZ.nsg, name, { securityRules: [] }, { location: region }), region });

const watcherRule = liveRule('azure', {
  id: 'VGL-AZURE-112',
  title: 'Network Watcher is not enabled in a region in use',
  description: 'Network Watcher provides flow logs, connection troubleshooting and topology for a region; without it in a region where resources run, network monitoring and investigation there are impossible.',
  severity: 'low',
  service: 'network',
  frameworks: [cis('6.6'), ...themes('monitoring')],
  remediation: 'Enable Network Watcher in every region where the subscription has resources.',
  references: ['https://learn.microsoft.com/azure/network-watcher/network-watcher-create'],
  live: {
    kinds: [AZ.subscription, AZ.watcher],
    check: watcherPerRegion,
    cli: 'az network watcher configure --resource-group NetworkWatcherRG --locations <region> --enabled true',
    console: 'Network Watcher → Overview → Add / enable for the subscription and region.',
    bad: [collected('azure', [subscription(), watcher('westeurope'), inRegion('web1', 'westeurope'), inRegion('web2', 'northeurope')], [subscription().id])],
    good: [
      collected('azure', [subscription(), watcher('westeurope'), watcher('northeurope'), inRegion('web1', 'westeurope'), inRegion('web2', 'northeurope')]),
      collected('azure', [subscription()]),
    ],
  },
});

export const networkLiveRules: readonly Rule[] = [...exposureRules, flowLogRule, watcherRule];
