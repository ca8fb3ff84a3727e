/**
 * VPC networks, subnetworks and Cloud DNS as collected: the live halves of VGL-GCP-028 (subnet
 * flow logs, CIS GCP 3.8), 030 (DNSSEC, 3.3) and 031 (RSASHA1, 3.4 / 3.5); VGL-GCP-112 DNS
 * logging per VPC network (2.12), 113 the default network (3.1), 114 legacy networks (3.2),
 * 115 subnets without Private Google Access.
 */
import { bool, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { liveRule } from '../../shared/define.js';
import { collected, type ExampleResource, type LiveSpec } from '../../shared/live.js';
import { cis } from '../lib/define.js';
import { dig, gcpRes, GCP, items, PROJECT_ID, sameProject, unknownKinds } from '../lib/live.js';

const COMPUTE = `https://www.googleapis.com/compute/v1/projects/${PROJECT_ID}`;
const netId = (name: string): string => `//compute.googleapis.com/projects/${PROJECT_ID}/global/networks/${name}`;
const subnetId = (name: string): string => `//compute.googleapis.com/projects/${PROJECT_ID}/regions/europe-west1/subnetworks/${name}`;
const zoneId = (name: string): string => `//dns.googleapis.com/projects/${PROJECT_ID}/managedZones/${name}`;

function network(name: string, attrs: Record<string, unknown> = {}): ExampleResource {
  return gcpRes(GCP.network, netId(name), { kind: 'compute#network', name, selfLink: `${COMPUTE}/global/networks/${name}`, autoCreateSubnetworks: false, routingConfig: { routingMode: 'REGIONAL' }, ...attrs });
}

function subnet(name: string, attrs: Record<string, unknown> = {}): ExampleResource {
  return gcpRes(
    GCP.subnetwork,
    subnetId(name),
    {
      kind: 'compute#subnetwork',
      name,
      network: `${COMPUTE}/global/networks/app`,
      region: `${COMPUTE}/regions/europe-west1`,
      ipCidrRange: '10.0.0.0/20',
      purpose: 'PRIVATE',
      privateIpGoogleAccess: true,
      logConfig: { enable: true, aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
      selfLink: `${COMPUTE}/regions/europe-west1/subnetworks/${name}`,
      ...attrs,
    },
    'europe-west1',
  );
}

function zone(name: string, attrs: Record<string, unknown> = {}): ExampleResource {
  return gcpRes(GCP.dnsZone, zoneId(name), {
    kind: 'dns#managedZone',
    name,
    dnsName: `${name}.example.com.`,
    visibility: 'public',
    dnssecConfig: { state: 'on', defaultKeySpecs: [{ keyType: 'keySigning', algorithm: 'rsasha256', keyLength: 2048 }, { keyType: 'zoneSigning', algorithm: 'rsasha256', keyLength: 1024 }] },
    ...attrs,
  });
}

/** Subnets whose purpose carries VM traffic (proxy-only and PSC subnets cannot log flows). */
const carriesVms = (r: Resource): boolean => {
  const purpose = str(r.attrs['purpose']);
  return purpose === undefined || purpose === 'PRIVATE' || purpose === 'PRIVATE_RFC_1918';
};

export const flowLogsLive: LiveSpec = {
  kinds: [GCP.subnetwork],
  check(r) {
    if (!carriesVms(r)) return [];
    if (bool(dig(r.attrs, 'logConfig', 'enable')) === true || bool(r.attrs['enableFlowLogs']) === true) return [];
    return [violation(['logConfig', 'enable'], 'VPC flow logs are off for the subnet')];
  },
  cli: 'gcloud compute networks subnets update <subnet> --region=<region> --enable-flow-logs --logging-aggregation-interval=interval-5-sec --logging-flow-sampling=1 --logging-metadata=include-all',
  console: 'VPC network → the network → Subnets → the subnet → Edit → Flow logs → On → Save.',
  bad: [collected('gcp', [subnet('dark', { logConfig: { enable: false } }), subnet('legacy', { logConfig: undefined }), subnet('logged')], [subnetId('dark'), subnetId('legacy')])],
  good: [collected('gcp', [subnet('logged'), subnet('proxy-only', { purpose: 'REGIONAL_MANAGED_PROXY', logConfig: undefined }), subnet('old-field', { logConfig: undefined, enableFlowLogs: true })])],
};

const isPublicZone = (r: Resource): boolean => (str(r.attrs['visibility']) ?? 'public').toLowerCase() === 'public';

export const dnssecLive: LiveSpec = {
  kinds: [GCP.dnsZone],
  check: (r) => (!isPublicZone(r) || str(dig(r.attrs, 'dnssecConfig', 'state'))?.toLowerCase() === 'on' ? [] : [violation(['dnssecConfig', 'state'], 'DNSSEC is off for the public zone')]),
  cli: 'gcloud dns managed-zones update <zone> --dnssec-state=on',
  console: 'Network services → Cloud DNS → the zone → DNSSEC → On.',
  bad: [collected('gcp', [zone('unsigned', { dnssecConfig: { state: 'off' } }), zone('bare', { dnssecConfig: undefined }), zone('signed')], [zoneId('unsigned'), zoneId('bare')])],
  good: [collected('gcp', [zone('signed'), zone('internal', { visibility: 'private', dnssecConfig: undefined })])],
};

export const dnssecRsaSha1Live: LiveSpec = {
  kinds: [GCP.dnsZone],
  check(r) {
    if (str(dig(r.attrs, 'dnssecConfig', 'state'))?.toLowerCase() !== 'on') return [];
    return items(dig(r.attrs, 'dnssecConfig', 'defaultKeySpecs')).flatMap(({ item, index }) =>
      str(item['algorithm'])?.toLowerCase() === 'rsasha1' ? [violation(['dnssecConfig', 'defaultKeySpecs', index, 'algorithm'], `the ${str(item['keyType']) ?? 'DNSSEC'} key uses RSASHA1`)] : [],
    );
  },
  cli: 'gcloud dns managed-zones update <zone> --dnssec-state=off && gcloud dns managed-zones update <zone> --dnssec-state=on --ksk-algorithm=rsasha256 --ksk-key-length=2048 --zsk-algorithm=rsasha256 --zsk-key-length=1024',
  console: 'Network services → Cloud DNS → the zone → turn DNSSEC off, then on again with RSASHA256 (or ECDSA) key-signing and zone-signing keys.',
  bad: [collected('gcp', [zone('sha1', { dnssecConfig: { state: 'on', defaultKeySpecs: [{ keyType: 'keySigning', algorithm: 'rsasha1' }, { keyType: 'zoneSigning', algorithm: 'rsasha256' }] } }), zone('signed')], [zoneId('sha1')])],
  good: [collected('gcp', [zone('signed'), zone('off', { dnssecConfig: { state: 'off', defaultKeySpecs: [{ keyType: 'keySigning', algorithm: 'rsasha1' }] } })])],
};

// Networks ------------------------------------------------------------------------------------

/** `projects/<p>/global/networks/<name>` out of a URL or relative name, for comparing. */
const networkPath = (v: unknown): string | undefined => {
  const s = str(v);
  const i = s?.indexOf('projects/') ?? -1;
  return s !== undefined && i >= 0 ? s.slice(i) : undefined;
};

function dnsLogging(r: Resource, ctx: RuleContext): Violation[] {
  const self = networkPath(r.attrs['selfLink']);
  if (self === undefined) return [];
  const project = sameProject(ctx, r, GCP.project)[0];
  const gaps = project === undefined ? [] : unknownKinds(project, GCP.dnsPolicy);
  if (gaps.length > 0) return gaps;
  const logged = sameProject(ctx, r, GCP.dnsPolicy).some(
    (p) => bool(p.attrs['enableLogging']) === true && items(p.attrs['networks']).some(({ item }) => networkPath(item['networkUrl']) === self),
  );
  return logged ? [] : [violation(['selfLink'], 'no DNS server policy with logging enabled covers this network')];
}

const dnsPolicy = (name: string, networks: string[], enableLogging: boolean): ExampleResource =>
  gcpRes(GCP.dnsPolicy, `//dns.googleapis.com/projects/${PROJECT_ID}/policies/${name}`, { kind: 'dns#policy', name, enableLogging, enableInboundForwarding: false, networks: networks.map((n) => ({ networkUrl: `${COMPUTE}/global/networks/${n}`, kind: 'dns#policyNetwork' })) });

export const dnsLoggingRule = liveRule('gcp', {
  id: 'VGL-GCP-112',
  title: 'Cloud DNS logging is not enabled for the VPC network',
  description: 'Without DNS query logging there is no record of the names workloads resolve: malware command-and-control, DNS tunnelling and data exfiltration over DNS go unseen.',
  severity: 'low',
  service: 'dns',
  frameworks: [cis('2.12'), ...themes('logging')],
  remediation: 'Attach a DNS server policy with logging enabled to every VPC network.',
  references: ['https://cloud.google.com/dns/docs/monitoring'],
  live: {
    kinds: [GCP.network, GCP.dnsPolicy],
    check: (r, ctx) => (r.kind === GCP.network ? dnsLogging(r, ctx) : []),
    cli: 'gcloud dns policies create <policy> --networks=<network> --enable-logging --description="DNS query logging"  # or: gcloud dns policies update <policy> --networks=<network>[,…] --enable-logging',
    console: 'Network services → Cloud DNS → DNS server policies → Create policy → Logs On → the networks → Create.',
    bad: [collected('gcp', [network('app'), network('batch'), dnsPolicy('logging', ['app'], true), dnsPolicy('quiet', ['batch'], false)], [netId('batch')])],
    good: [collected('gcp', [network('app'), network('batch'), dnsPolicy('logging', ['app', 'batch'], true)])],
  },
});

export const defaultNetwork = liveRule('gcp', {
  id: 'VGL-GCP-113',
  title: 'The default network exists in the project',
  description:
    'The auto-created default network comes with a subnet in every region and pre-populated firewall rules that allow SSH, RDP and ICMP from anywhere and all traffic inside the network; it is rarely what a workload needs and often forgotten.',
  severity: 'medium',
  service: 'vpc',
  frameworks: [cis('3.1'), ...themes('network')],
  remediation: 'Move workloads to a custom-mode network with only the subnets and firewall rules they need, then delete the default network (and set the compute.skipDefaultNetworkCreation organisation policy).',
  references: ['https://cloud.google.com/vpc/docs/vpc#default-network'],
  live: {
    kinds: [GCP.network],
    check: (r) => (str(r.attrs['name']) === 'default' ? [violation(['name'], 'the project has the default network')] : []),
    cli: 'gcloud compute firewall-rules list --filter="network=default" --format="value(name)" | xargs -r gcloud compute firewall-rules delete --quiet && gcloud compute networks delete default',
    console: 'VPC network → VPC networks → default → Delete VPC network (delete its firewall rules first).',
    bad: [collected('gcp', [network('default', { autoCreateSubnetworks: true }), network('app')], [netId('default')])],
    good: [collected('gcp', [network('app'), network('default-eu')])],
  },
});

export const legacyNetwork = liveRule('gcp', {
  id: 'VGL-GCP-114',
  title: 'Legacy (non-subnet) network in use',
  description: 'A legacy network has one global IP range and no subnets: it cannot have per-subnet flow logs, Private Google Access or regional isolation, and Google no longer supports creating them.',
  severity: 'medium',
  service: 'vpc',
  frameworks: [cis('3.2'), ...themes('network', 'logging')],
  remediation: 'Create a custom-mode VPC network, move the workloads to it and delete the legacy network.',
  references: ['https://cloud.google.com/vpc/docs/legacy'],
  live: {
    kinds: [GCP.network],
    check: (r) => (r.attrs['IPv4Range'] !== undefined && r.attrs['IPv4Range'] !== null ? [violation(['IPv4Range'], `legacy network with the single range ${str(r.attrs['IPv4Range']) ?? ''}`)] : []),
    cli: 'gcloud compute networks create <network> --subnet-mode=custom  # move the workloads, then: gcloud compute networks delete <legacy-network>',
    console: 'VPC network → Create VPC network (custom subnets); migrate the instances; delete the legacy network.',
    bad: [collected('gcp', [network('old', { IPv4Range: '10.240.0.0/16', gatewayIPv4: '10.240.0.1', autoCreateSubnetworks: undefined }), network('app')], [netId('old')])],
    good: [collected('gcp', [network('app'), network('auto', { autoCreateSubnetworks: true })])],
  },
});

export const privateGoogleAccess = liveRule('gcp', {
  id: 'VGL-GCP-115',
  title: 'Subnet without Private Google Access',
  description:
    'Without Private Google Access, instances with only internal addresses cannot reach Google APIs, which pushes teams to give them external IP addresses — exposing them to the Internet — just to reach Cloud Storage or Logging.',
  severity: 'low',
  service: 'vpc',
  frameworks: themes('network'),
  remediation: 'Enable Private Google Access on subnets whose instances use Google APIs, and remove the external addresses it makes unnecessary.',
  references: ['https://cloud.google.com/vpc/docs/private-google-access'],
  live: {
    kinds: [GCP.subnetwork],
    check: (r) => (!carriesVms(r) || bool(r.attrs['privateIpGoogleAccess']) === true ? [] : [violation(['privateIpGoogleAccess'], 'Private Google Access is off for the subnet')]),
    cli: 'gcloud compute networks subnets update <subnet> --region=<region> --enable-private-ip-google-access',
    console: 'VPC network → the network → Subnets → the subnet → Edit → Private Google Access → On → Save.',
    bad: [collected('gcp', [subnet('closed', { privateIpGoogleAccess: false }), subnet('open')], [subnetId('closed')])],
    good: [collected('gcp', [subnet('open'), subnet('proxy-only', { purpose: 'REGIONAL_MANAGED_PROXY', privateIpGoogleAccess: false })])],
  },
});

export const NETWORK_LIVE_RULES: readonly Rule[] = [dnsLoggingRule, defaultNetwork, legacyNetwork, privateGoogleAccess];
