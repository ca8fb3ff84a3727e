/**
 * VPC and DNS (CIS GCP 3.0 section 3): subnet flow logs, SSL policies allowing TLS below 1.2,
 * DNSSEC off for public zones and DNSSEC keys signed with RSASHA1.
 */
import { violation } from '../../rule.js';
import { attr, blocksAt, firstBlock, known, lower, show } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { cis, GOOGLE_DOCS, gcpRule } from './lib/define.js';
import { dnssecLive, dnssecRsaSha1Live, flowLogsLive } from './live/network.js';

/** Proxy-only and Private Service Connect subnets carry no VM traffic and cannot log flows. */
const NO_FLOW_LOG_PURPOSES = new Set(['internal_https_load_balancer', 'regional_managed_proxy', 'global_managed_proxy', 'private_service_connect']);
const subnet = (body: string): string =>
  `resource "google_compute_subnetwork" "s" {\n  name          = "app"\n  ip_cidr_range = "10.2.0.0/16"\n  region        = "europe-west1"\n  network       = google_compute_network.vpc.id\n${body}}\n`;

export const subnetFlowLogs = gcpRule({
  id: 'VGL-GCP-028',
  title: 'Subnet does not record VPC flow logs',
  description: 'Without a log_config block no flow logs are kept for the subnet, leaving no record of connections for detecting or investigating intrusions.',
  severity: 'low',
  service: 'vpc',
  types: ['google_compute_subnetwork'],
  frameworks: [cis('3.8'), ...themes('logging')],
  remediation: 'Add a log_config block (aggregation_interval, flow_sampling = 1, metadata = "INCLUDE_ALL_METADATA").',
  fix: 'resource "google_compute_subnetwork" "s" {\n  # …\n  log_config {\n    aggregation_interval = "INTERVAL_5_SEC"\n    flow_sampling        = 1\n    metadata             = "INCLUDE_ALL_METADATA"\n  }\n}',
  references: [`${GOOGLE_DOCS}compute_subnetwork#log_config`, 'https://cloud.google.com/vpc/docs/using-flow-logs'],
  live: flowLogsLive,
  check(r) {
    const purpose = lower(attr(r, ['purpose']));
    if (purpose !== undefined && NO_FLOW_LOG_PURPOSES.has(purpose)) return [];
    if (blocksAt(r.attrs, 'log_config').length > 0 || lower(attr(r, ['enable_flow_logs'])) === 'true') return [];
    return [violation(['log_config'], 'VPC flow logs are not enabled for the subnet')];
  },
  bad: [{ text: subnet(''), lines: [1] }],
  good: [subnet('  log_config {\n    metadata = "INCLUDE_ALL_METADATA"\n  }\n'), subnet('  purpose       = "REGIONAL_MANAGED_PROXY"\n  role          = "ACTIVE"\n')],
});

const policy = (body: string): string => `resource "google_compute_ssl_policy" "p" {\n  name    = "tls"\n  profile = "MODERN"\n${body}}\n`;

export const sslPolicyOldTls = gcpRule({
  id: 'VGL-GCP-029',
  title: 'Load balancer SSL policy allows TLS below 1.2',
  description: 'min_tls_version defaults to TLS_1_0: clients may negotiate TLS 1.0 or 1.1 and the weak cipher suites that come with them.',
  severity: 'medium',
  service: 'load-balancing',
  types: ['google_compute_ssl_policy', 'google_compute_region_ssl_policy'],
  frameworks: [cis('3.9'), ...themes('transit')],
  remediation: 'Set min_tls_version = "TLS_1_2" with the MODERN or RESTRICTED profile.',
  fix: 'resource "google_compute_ssl_policy" "p" {\n  name            = "tls"\n  profile         = "MODERN"\n  min_tls_version = "TLS_1_2"\n}',
  references: [`${GOOGLE_DOCS}compute_ssl_policy#min_tls_version`, 'https://cloud.google.com/load-balancing/docs/ssl-policies-concepts'],
  check(r) {
    const v = attr(r, ['min_tls_version']);
    if (v === undefined) return [violation(['min_tls_version'], 'min_tls_version is not set and defaults to TLS_1_0')];
    return known(v) && ['tls_1_0', 'tls_1_1'].includes(lower(v) ?? '') ? [violation(['min_tls_version'], `min_tls_version is ${show(v)}`)] : [];
  },
  bad: [
    { text: policy(''), lines: [1] },
    { text: policy('  min_tls_version = "TLS_1_1"\n'), lines: [4] },
  ],
  good: [policy('  min_tls_version = "TLS_1_2"\n')],
});

const zone = (body: string): string => `resource "google_dns_managed_zone" "z" {\n  name     = "example"\n  dns_name = "example.com."\n${body}}\n`;

export const dnssecOff = gcpRule({
  id: 'VGL-GCP-030',
  title: 'Public DNS zone does not use DNSSEC',
  description: 'Without DNSSEC, resolvers cannot verify the zone\'s answers, so DNS spoofing and cache poisoning can redirect its users.',
  severity: 'medium',
  service: 'dns',
  types: ['google_dns_managed_zone'],
  frameworks: [cis('3.3'), ...themes('transit')],
  remediation: 'Add dnssec_config { state = "on" } to public zones.',
  fix: 'resource "google_dns_managed_zone" "z" {\n  # …\n  dnssec_config {\n    state = "on"\n  }\n}',
  references: [`${GOOGLE_DOCS}dns_managed_zone#dnssec_config`, 'https://cloud.google.com/dns/docs/dnssec'],
  live: dnssecLive,
  check(r) {
    const visibility = lower(attr(r, ['visibility']));
    if (visibility !== undefined && visibility !== 'public') return [];
    if (attr(r, ['visibility']) !== undefined && !known(attr(r, ['visibility']))) return [];
    const cfg = firstBlock(r.attrs, 'dnssec_config');
    if (cfg === undefined) return [violation(['dnssec_config'], 'DNSSEC is not configured')];
    const state = cfg.block['state'];
    if (state === undefined || state === null) return [violation([...cfg.path, 'state'], 'DNSSEC state is not set and defaults to off')];
    return known(state) && lower(state) !== 'on' ? [violation([...cfg.path, 'state'], `DNSSEC state is ${show(state)}`)] : [];
  },
  bad: [
    { text: zone(''), lines: [1] },
    { text: zone('  dnssec_config {\n    state = "off"\n  }\n'), lines: [5] },
  ],
  good: [zone('  dnssec_config {\n    state = "on"\n  }\n'), zone('  visibility = "private"\n')],
});

export const dnssecRsaSha1 = gcpRule({
  id: 'VGL-GCP-031',
  title: 'DNSSEC key uses RSASHA1',
  description: 'RSASHA1 relies on SHA-1, which is broken for collision resistance; signatures made with it are deprecated and rejected by a growing number of resolvers.',
  severity: 'medium',
  service: 'dns',
  types: ['google_dns_managed_zone'],
  frameworks: [cis('3.4'), cis('3.5'), ...themes('transit')],
  remediation: 'Use RSASHA256, RSASHA512 or ECDSAP256SHA256 for both the key-signing and the zone-signing key.',
  fix: 'dnssec_config {\n  state = "on"\n  default_key_specs {\n    algorithm  = "ecdsap256sha256"\n    key_type   = "keySigning"\n  }\n  default_key_specs {\n    algorithm  = "ecdsap256sha256"\n    key_type   = "zoneSigning"\n  }\n}',
  references: [`${GOOGLE_DOCS}dns_managed_zone#default_key_specs`],
  live: dnssecRsaSha1Live,
  check(r) {
    return blocksAt(r.attrs, 'dnssec_config').flatMap(({ block, path }) =>
      blocksAt(block, 'default_key_specs', path).flatMap(({ block: spec, path: p }) =>
        lower(spec['algorithm']) === 'rsasha1' ? [violation([...p, 'algorithm'], `the ${show(spec['key_type'] ?? 'DNSSEC')} key uses RSASHA1`)] : [],
      ),
    );
  },
  bad: [{ text: zone('  dnssec_config {\n    state = "on"\n    default_key_specs {\n      algorithm = "rsasha1"\n      key_type  = "keySigning"\n    }\n  }\n'), lines: [7] }],
  good: [zone('  dnssec_config {\n    state = "on"\n    default_key_specs {\n      algorithm = "rsasha256"\n      key_type  = "keySigning"\n    }\n  }\n')],
});

export const NETWORK_RULES = [subnetFlowLogs, sslPolicyOldTls, dnssecOff, dnssecRsaSha1];
