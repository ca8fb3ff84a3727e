/**
 * Cloud SQL instances (CIS GCP 3.0 section 6): TLS required for connections, public IP
 * addresses, authorized networks open to the world and automated backups. Settings live in
 * `settings[0].ip_configuration[0]` and `settings[0].backup_configuration[0]`.
 */
import type { AttrPath, Resource, Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { blocksAt, firstBlock, known, lower, show, type Located } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { isWorldCidr } from '../shared/network.js';
import { cis, GOOGLE_DOCS, gcpRule } from './lib/define.js';
import { sqlBackupsLive, sqlPublicIpLive, sqlSslLive, sqlWorldNetworkLive } from './live/sql.js';

const INSTANCE = 'google_sql_database_instance';
const DOCS = `${GOOGLE_DOCS}sql_database_instance`;
const instance = (settings: string): string =>
  `resource "google_sql_database_instance" "db" {\n  name             = "db"\n  database_version = "POSTGRES_15"\n  region           = "europe-west1"\n\n  settings {\n    tier = "db-custom-2-7680"\n${settings}  }\n}\n`;

interface Ip {
  readonly settings: Located | undefined;
  readonly ip: Located | undefined;
}

function ipConfiguration(r: Resource): Ip {
  const settings = firstBlock(r.attrs, 'settings');
  return { settings, ip: settings === undefined ? undefined : firstBlock(settings.block, 'ip_configuration', settings.path) };
}

/** Where a missing key under ip_configuration is reported: the deepest block present. */
function missingIn(ip: Ip, key: string): AttrPath {
  if (ip.ip !== undefined) return [...ip.ip.path, key];
  return ip.settings === undefined ? ['settings'] : [...ip.settings.path, 'ip_configuration'];
}

const SECURE_SSL_MODES = new Set(['encrypted_only', 'trusted_client_certificate_required']);

export const sqlSslNotRequired = gcpRule({
  id: 'VGL-GCP-018',
  title: 'Cloud SQL instance does not require TLS',
  description:
    'Unless ssl_mode is ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED (require_ssl = true on older providers) the instance accepts unencrypted connections, exposing credentials and data on the network.',
  severity: 'high',
  service: 'cloud-sql',
  types: [INSTANCE],
  frameworks: [cis('6.4'), ...themes('transit')],
  remediation: 'Set settings.ip_configuration.ssl_mode = "ENCRYPTED_ONLY" (or "TRUSTED_CLIENT_CERTIFICATE_REQUIRED").',
  fix: 'settings {\n  ip_configuration {\n    ssl_mode = "ENCRYPTED_ONLY"\n  }\n}',
  references: [`${DOCS}#ssl_mode`, 'https://cloud.google.com/sql/docs/postgres/configure-ssl-instance'],
  live: sqlSslLive,
  check(r) {
    const ip = ipConfiguration(r);
    const mode = ip.ip?.block['ssl_mode'];
    if (mode !== undefined && mode !== null) {
      if (!known(mode) || SECURE_SSL_MODES.has(lower(mode) ?? '')) return [];
      return [violation(missingIn(ip, 'ssl_mode'), `ssl_mode ${show(mode)} accepts unencrypted connections`)];
    }
    const req = ip.ip?.block['require_ssl'];
    if (req === undefined || req === null) return [violation(missingIn(ip, 'require_ssl'), 'TLS is not required for connections')];
    return known(req) && lower(req) === 'false' ? [violation(missingIn(ip, 'require_ssl'), 'require_ssl is false: unencrypted connections are accepted')] : [];
  },
  bad: [
    { text: instance(''), lines: [6] },
    { text: instance('    ip_configuration {\n      ssl_mode = "ALLOW_UNENCRYPTED_AND_ENCRYPTED"\n    }\n'), lines: [9] },
  ],
  good: [instance('    ip_configuration {\n      ssl_mode = "ENCRYPTED_ONLY"\n    }\n'), instance('    ip_configuration {\n      require_ssl = true\n    }\n')],
});

export const sqlPublicIp = gcpRule({
  id: 'VGL-GCP-019',
  title: 'Cloud SQL instance has a public IP address',
  description:
    'ipv4_enabled defaults to true: the instance gets a public IPv4 address, reachable from the Internet by any address in its authorized networks and a target for scanning.',
  severity: 'medium',
  service: 'cloud-sql',
  types: [INSTANCE],
  frameworks: [cis('6.6'), ...themes('network')],
  remediation: 'Set ipv4_enabled = false and connect over private IP (private_network) or Private Service Connect.',
  fix: 'settings {\n  ip_configuration {\n    ipv4_enabled    = false\n    private_network = google_compute_network.vpc.id\n  }\n}',
  references: [`${DOCS}#ipv4_enabled`, 'https://cloud.google.com/sql/docs/postgres/configure-private-ip'],
  live: sqlPublicIpLive,
  check(r) {
    const ip = ipConfiguration(r);
    const v = ip.ip?.block['ipv4_enabled'];
    if (v === undefined || v === null) return [violation(missingIn(ip, 'ipv4_enabled'), 'ipv4_enabled is not set and defaults to true: the instance has a public IP address')];
    return known(v) && lower(v) === 'true' ? [violation(missingIn(ip, 'ipv4_enabled'), 'the instance has a public IP address')] : [];
  },
  bad: [
    { text: instance(''), lines: [6] },
    { text: instance('    ip_configuration {\n      ipv4_enabled = true\n    }\n'), lines: [9] },
  ],
  good: [instance('    ip_configuration {\n      ipv4_enabled    = false\n      private_network = google_compute_network.vpc.id\n    }\n')],
});

export const sqlWorldAuthorizedNetwork = gcpRule({
  id: 'VGL-GCP-020',
  title: 'Cloud SQL instance authorizes connections from any address',
  description: 'An authorized network of 0.0.0.0/0 lets every Internet address connect to the instance\'s public IP; only the database password remains.',
  severity: 'critical',
  service: 'cloud-sql',
  types: [INSTANCE],
  frameworks: [cis('6.5'), ...themes('network')],
  remediation: 'List only the client networks that need access, or use the Cloud SQL Auth Proxy and private IP.',
  fix: 'settings {\n  ip_configuration {\n    authorized_networks {\n      name  = "office"\n      value = "203.0.113.0/24"\n    }\n  }\n}',
  references: [`${DOCS}#authorized_networks`],
  live: sqlWorldNetworkLive,
  check(r) {
    const { ip } = ipConfiguration(r);
    if (ip === undefined) return [];
    return blocksAt(ip.block, 'authorized_networks', ip.path).flatMap(({ block, path }): Violation[] =>
      isWorldCidr(block['value']) ? [violation([...path, 'value'], `authorized network ${show(block['value'])} admits any address`)] : [],
    );
  },
  bad: [{ text: instance('    ip_configuration {\n      authorized_networks {\n        name  = "all"\n        value = "0.0.0.0/0"\n      }\n    }\n'), lines: [11] }],
  good: [instance('    ip_configuration {\n      authorized_networks {\n        name  = "office"\n        value = "203.0.113.0/24"\n      }\n    }\n')],
});

export const sqlBackupsDisabled = gcpRule({
  id: 'VGL-GCP-021',
  title: 'Cloud SQL instance has automated backups disabled',
  description: 'Without automated backups (backup_configuration.enabled) a deleted table, corruption or ransomware cannot be recovered from.',
  severity: 'medium',
  service: 'cloud-sql',
  types: [INSTANCE],
  frameworks: [cis('6.7'), ...themes('backup')],
  remediation: 'Add settings.backup_configuration { enabled = true } (and point_in_time_recovery_enabled for PostgreSQL).',
  fix: 'settings {\n  backup_configuration {\n    enabled                        = true\n    point_in_time_recovery_enabled = true\n  }\n}',
  references: [`${DOCS}#backup_configuration`],
  live: sqlBackupsLive,
  check(r) {
    // Read replicas cannot have backups of their own.
    if (r.attrs['master_instance_name'] !== undefined || blocksAt(r.attrs, 'replica_configuration').length > 0) return [];
    const settings = firstBlock(r.attrs, 'settings');
    if (settings === undefined) return [violation(['settings'], 'automated backups are not configured')];
    const backup = firstBlock(settings.block, 'backup_configuration', settings.path);
    if (backup === undefined) return [violation([...settings.path, 'backup_configuration'], 'automated backups are not configured')];
    const enabled = backup.block['enabled'];
    if (enabled === undefined || enabled === null) return [violation([...backup.path, 'enabled'], 'automated backups are not enabled')];
    return known(enabled) && lower(enabled) === 'false' ? [violation([...backup.path, 'enabled'], 'automated backups are disabled')] : [];
  },
  bad: [
    { text: instance(''), lines: [6] },
    { text: instance('    backup_configuration {\n      enabled = false\n    }\n'), lines: [9] },
  ],
  good: [instance('    backup_configuration {\n      enabled = true\n    }\n')],
});

export const SQL_RULES = [sqlSslNotRequired, sqlPublicIp, sqlWorldAuthorizedNetwork, sqlBackupsDisabled];
