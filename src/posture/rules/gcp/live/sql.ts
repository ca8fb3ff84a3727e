/**
 * Cloud SQL instances as collected (`sql/v1beta4/.../instances`): the live halves of VGL-GCP-018
 * (TLS required, CIS GCP 6.4), 019 (public IP, 6.6), 020 (authorized network 0.0.0.0/0, 6.5) and
 * 021 (automated backups, 6.7). The database flag rules (6.1.x – 6.3.x) are in sql-flags.ts.
 */
import { bool, str } from '../../../attrs.js';
import type { Resource } from '../../../model.js';
import { violation } from '../../../rule.js';
import { isWorldCidr } from '../../shared/network.js';
import { collected, type ExampleResource, type LiveSpec } from '../../shared/live.js';
import { dig, gcpRes, GCP, items, PROJECT_ID } from '../lib/live.js';

export const sqlId = (name: string): string => `//cloudsql.googleapis.com/projects/${PROJECT_ID}/instances/${name}`;

/** A collected instance: private, TLS-only, backed up, unless `settings` says otherwise. */
export function sqlInstance(name: string, settings: Record<string, unknown> = {}, attrs: Record<string, unknown> = {}): ExampleResource {
  return gcpRes(
    GCP.sql,
    sqlId(name),
    {
      kind: 'sql#instance',
      name,
      project: PROJECT_ID,
      region: 'europe-west1',
      state: 'RUNNABLE',
      instanceType: 'CLOUD_SQL_INSTANCE',
      databaseVersion: 'POSTGRES_15',
      settings: {
        tier: 'db-custom-2-7680',
        ipConfiguration: { ipv4Enabled: false, privateNetwork: `projects/${PROJECT_ID}/global/networks/app`, authorizedNetworks: [], sslMode: 'ENCRYPTED_ONLY', requireSsl: true },
        backupConfiguration: { enabled: true, startTime: '02:00', pointInTimeRecoveryEnabled: true },
        ...settings,
      },
      ...attrs,
    },
    'europe-west1',
  );
}

const ip = (r: Resource, key: string): unknown => dig(r.attrs, 'settings', 'ipConfiguration', key);
const SECURE_MODES = new Set(['ENCRYPTED_ONLY', 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED']);

export const sqlSslLive: LiveSpec = {
  kinds: [GCP.sql],
  check(r) {
    const mode = str(ip(r, 'sslMode'));
    if (mode !== undefined && mode !== 'SSL_MODE_UNSPECIFIED') return SECURE_MODES.has(mode) ? [] : [violation(['settings', 'ipConfiguration', 'sslMode'], `sslMode ${mode} accepts unencrypted connections`)];
    return bool(ip(r, 'requireSsl')) === true ? [] : [violation(['settings', 'ipConfiguration', 'requireSsl'], 'TLS is not required: unencrypted connections are accepted')];
  },
  cli: 'gcloud sql instances patch <instance> --ssl-mode=ENCRYPTED_ONLY',
  console: 'SQL → the instance → Connections → Security → Allow only SSL connections → Save.',
  bad: [
    collected(
      'gcp',
      [
        sqlInstance('plain', { ipConfiguration: { ipv4Enabled: false, authorizedNetworks: [] } }),
        sqlInstance('mixed', { ipConfiguration: { ipv4Enabled: false, sslMode: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED', requireSsl: false } }),
        sqlInstance('tls'),
      ],
      [sqlId('plain'), sqlId('mixed')],
    ),
  ],
  good: [collected('gcp', [sqlInstance('tls'), sqlInstance('legacy-flag', { ipConfiguration: { ipv4Enabled: false, requireSsl: true } }), sqlInstance('mtls', { ipConfiguration: { sslMode: 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED' } })])],
};

export const sqlPublicIpLive: LiveSpec = {
  kinds: [GCP.sql],
  check(r) {
    if (bool(ip(r, 'ipv4Enabled')) === true) return [violation(['settings', 'ipConfiguration', 'ipv4Enabled'], 'the instance has a public IP address')];
    const primary = items(r.attrs['ipAddresses']).find(({ item }) => str(item['type']) === 'PRIMARY');
    return primary ? [violation(['ipAddresses', primary.index], `the instance has a public IP address (${str(primary.item['ipAddress']) ?? 'PRIMARY'})`)] : [];
  },
  cli: 'gcloud sql instances patch <instance> --no-assign-ip --network=projects/<project>/global/networks/<vpc>',
  console: 'SQL → the instance → Connections → Networking → clear Public IP (enable Private IP first) → Save.',
  bad: [collected('gcp', [sqlInstance('public', { ipConfiguration: { ipv4Enabled: true, authorizedNetworks: [], requireSsl: true } }), sqlInstance('private')], [sqlId('public')])],
  good: [collected('gcp', [sqlInstance('private', {}, { ipAddresses: [{ type: 'PRIVATE', ipAddress: '10.20.0.3' }] })])],
};

export const sqlWorldNetworkLive: LiveSpec = {
  kinds: [GCP.sql],
  check: (r) =>
    items(ip(r, 'authorizedNetworks')).flatMap(({ item, index }) =>
      isWorldCidr(item['value']) ? [violation(['settings', 'ipConfiguration', 'authorizedNetworks', index, 'value'], `authorized network ${String(item['value'])}${str(item['name']) ? ` (${String(item['name'])})` : ''} admits any address`)] : [],
    ),
  cli: 'gcloud sql instances patch <instance> --authorized-networks=<cidr>[,<cidr>…]  # list only the client networks; or --clear-authorized-networks',
  console: 'SQL → the instance → Connections → Networking → Authorized networks → delete 0.0.0.0/0 → Save.',
  bad: [collected('gcp', [sqlInstance('open', { ipConfiguration: { ipv4Enabled: true, requireSsl: true, authorizedNetworks: [{ name: 'all', value: '0.0.0.0/0', kind: 'sql#aclEntry' }] } }), sqlInstance('private')], [sqlId('open')])],
  good: [collected('gcp', [sqlInstance('office', { ipConfiguration: { ipv4Enabled: true, requireSsl: true, authorizedNetworks: [{ name: 'office', value: '203.0.113.0/24' }] } })])],
};

/** Read replicas cannot have backups of their own. */
const isReplica = (r: Resource): boolean => str(r.attrs['instanceType']) === 'READ_REPLICA_INSTANCE' || str(r.attrs['masterInstanceName']) !== undefined;

export const sqlBackupsLive: LiveSpec = {
  kinds: [GCP.sql],
  check: (r) =>
    isReplica(r) || bool(dig(r.attrs, 'settings', 'backupConfiguration', 'enabled')) === true ? [] : [violation(['settings', 'backupConfiguration', 'enabled'], 'automated backups are disabled')],
  cli: 'gcloud sql instances patch <instance> --backup-start-time=<HH:MM>',
  console: 'SQL → the instance → Edit → Data protection → Automate backups → Save.',
  bad: [collected('gcp', [sqlInstance('nobackup', { backupConfiguration: { enabled: false, startTime: '02:00' } }), sqlInstance('backed-up')], [sqlId('nobackup')])],
  good: [collected('gcp', [sqlInstance('backed-up'), sqlInstance('replica', { backupConfiguration: { enabled: false } }, { instanceType: 'READ_REPLICA_INSTANCE', masterInstanceName: `${PROJECT_ID}:backed-up` })])],
};
