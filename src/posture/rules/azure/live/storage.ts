/**
 * Storage accounts as collected (CIS Azure 2.1 section 3): the live halves of the Terraform
 * rules VGL-AZURE-001…005, and the live-only rules on what Terraform does not show the same way
 * (blob soft delete, key rotation reminders, private endpoints…).
 */
import { num } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { show } from '../../shared/attrs.js';
import { themes } from '../../shared/controls.js';
import { cis, liveRule } from '../../shared/define.js';
import { collected, needs, type LiveSpec } from '../../shared/live.js';
import { arm, AZ, isFalse, isTrue, items, low, mustBe, oneOf, props, valueSpec, approvedPrivateEndpoint, APPROVED_ENDPOINT } from './lib.js';

const SA = [AZ.storage] as const;
const UPDATE = 'az storage account update --name <account> --resource-group <resource-group>';
const CONFIG = 'Storage accounts → the account → Settings → Configuration →';

/** FileStorage accounts have no blob service. */
const noBlobs = (r: Resource): boolean => low(r.attrs['kind']) === 'filestorage';

export const STORAGE_LIVE = {
  publicBlob: valueSpec({
    kinds: SA,
    path: ['properties', 'allowBlobPublicAccess'],
    fails: mustBe(false, 'containers in this account can be made publicly readable'),
    bad: [true],
    good: [false, undefined],
    cli: `${UPDATE} --allow-blob-public-access false`,
    console: `${CONFIG} Allow Blob anonymous access → Disabled → Save.`,
  }),
  httpsOnly: valueSpec({
    kinds: SA,
    path: ['properties', 'supportsHttpsTrafficOnly'],
    fails: mustBe(true, 'secure transfer is not required: the account accepts unencrypted HTTP'),
    bad: [false],
    good: [true],
    cli: `${UPDATE} --https-only true`,
    console: `${CONFIG} Secure transfer required → Enabled → Save.`,
  }),
  minTls: valueSpec({
    kinds: SA,
    path: ['properties', 'minimumTlsVersion'],
    fails: oneOf(['tls1_0', 'tls1_1'], 'clients may use TLS before 1.2', 'minimumTlsVersion is not set: the account accepts TLS 1.0'),
    bad: ['TLS1_0', undefined],
    good: ['TLS1_2', 'TLS1_3'],
    cli: `${UPDATE} --min-tls-version TLS1_2`,
    console: `${CONFIG} Minimum TLS version → Version 1.2 → Save.`,
  }),
  defaultAllow: valueSpec({
    kinds: SA,
    path: ['properties', 'networkAcls', 'defaultAction'],
    fails: (v, r) => (low(props(r)['publicNetworkAccess']) === 'disabled' ? undefined : low(v) === 'deny' ? undefined : 'the default network rule allows connections from any network'),
    bad: ['Allow', undefined],
    good: ['Deny'],
    exempt: [arm(AZ.storage, 'private1', { publicNetworkAccess: 'Disabled', networkAcls: { defaultAction: 'Allow' } })],
    cli: `${UPDATE} --default-action Deny`,
    console: 'Storage accounts → the account → Security + networking → Networking → Public network access → Enabled from selected virtual networks and IP addresses (or Disabled) → Save.',
  }),
} satisfies Record<string, LiveSpec>;

// VGL-AZURE-002 on collected containers --------------------------------------------------------

function publicContainers(r: Resource): Violation[] {
  if (r.kind !== AZ.storage || noBlobs(r)) return [];
  const missing = needs(r, 'containers');
  if (missing.length > 0) return missing;
  const out: Violation[] = [];
  items(r.attrs['containers']).forEach((c, i) => {
    const access = props(c)['publicAccess'];
    const a = low(access);
    if (a === 'blob' || a === 'container') out.push(violation(['containers', i, 'properties', 'publicAccess'], `container ${String(c['name'])} allows anonymous read access (${String(access)})`));
  });
  return out;
}

const container = (name: string, publicAccess: string): Record<string, unknown> => ({ name, properties: { publicAccess } });

export const CONTAINER_LIVE: LiveSpec = {
  kinds: SA,
  check: publicContainers,
  cli: 'az storage container set-permission --account-name <account> --name <container> --public-access off --auth-mode login',
  console: 'Storage accounts → the account → Data storage → Containers → the container → Change access level → Private (no anonymous access) → OK.',
  bad: [collected('azure', [arm(AZ.storage, 'sa1', {}, { containers: [container('logs', 'None'), container('www', 'Container')] }), arm(AZ.storage, 'sa2', {}, { containers: [container('data', 'None')] })], [arm(AZ.storage, 'sa1', {}).id])],
  good: [
    collected('azure', [
      arm(AZ.storage, 'sa2', {}, { containers: [container('data', 'None')] }),
      arm(AZ.storage, 'files1', {}, { kind: 'FileStorage' }),
      arm(AZ.storage, 'empty1', {}, { containers: [] }),
    ]),
  ],
};

// Live-only storage rules ----------------------------------------------------------------------

interface StorageRule {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Rule['severity'];
  readonly cis?: string;
  readonly theme: Parameters<typeof themes>;
  readonly remediation: string;
  readonly reference: string;
  readonly live: LiveSpec;
}

function storageRule(s: StorageRule): Rule {
  return liveRule('azure', {
    id: s.id,
    title: s.title,
    description: s.description,
    severity: s.severity,
    service: 'storage',
    frameworks: [...(s.cis === undefined ? [] : [cis(s.cis)]), ...themes(...s.theme)],
    remediation: s.remediation,
    references: [s.reference],
    live: s.live,
  });
}

/** Blob and container soft delete (CIS 3.11): both retention policies enabled. */
function softDelete(r: Resource): Violation[] {
  if (r.kind !== AZ.storage || noBlobs(r)) return [];
  const missing = needs(r, 'blobServiceProperties');
  if (missing.length > 0) return missing;
  const p = props(r.attrs['blobServiceProperties']);
  const out: Violation[] = [];
  for (const key of ['deleteRetentionPolicy', 'containerDeleteRetentionPolicy']) {
    const policy = p[key];
    const enabled = typeof policy === 'object' && policy !== null && isTrue((policy as Record<string, unknown>)['enabled']);
    if (!enabled) out.push(violation(['blobServiceProperties', 'properties', key], `${key === 'deleteRetentionPolicy' ? 'blob' : 'container'} soft delete is not enabled: deleted data cannot be recovered`));
  }
  return out;
}

const blobSvc = (blob: boolean, containerPolicy: boolean): Record<string, unknown> => ({
  properties: { deleteRetentionPolicy: { enabled: blob, days: 7 }, containerDeleteRetentionPolicy: { enabled: containerPolicy, days: 7 } },
});

/** File share soft delete. */
function shareSoftDelete(r: Resource): Violation[] {
  if (r.kind !== AZ.storage || !Array.isArray(r.attrs['fileServices'])) return needs(r, 'fileServices');
  const out: Violation[] = [];
  items(r.attrs['fileServices']).forEach((svc, i) => {
    const policy = props(svc)['shareDeleteRetentionPolicy'];
    if (!(typeof policy === 'object' && policy !== null && isTrue((policy as Record<string, unknown>)['enabled']))) {
      out.push(violation(['fileServices', i, 'properties', 'shareDeleteRetentionPolicy'], 'file share soft delete is not enabled: deleted shares cannot be recovered'));
    }
  });
  return out;
}
const fileSvc = (enabled: boolean): Record<string, unknown>[] => [{ name: 'default', properties: { shareDeleteRetentionPolicy: { enabled, days: 7 } } }];

export const storageLiveRules: readonly Rule[] = [
  storageRule({
    id: 'VGL-AZURE-100',
    title: 'Storage account allows shared key authorization',
    description: 'With shared key access allowed, anyone holding one of the two account keys (or a SAS signed with them) has full access to all data, with no identity in the logs and no Conditional Access. Entra ID authorization can be required instead.',
    severity: 'medium',
    theme: ['authn'],
    remediation: 'Move clients to Microsoft Entra ID authorization and set allowSharedKeyAccess to false.',
    reference: 'https://learn.microsoft.com/azure/storage/common/shared-key-authorization-prevent',
    live: valueSpec({
      kinds: SA,
      path: ['properties', 'allowSharedKeyAccess'],
      fails: (v) => (isFalse(v) ? undefined : v === undefined || v === null ? 'allowSharedKeyAccess is not set: shared key authorization is allowed' : 'shared key authorization is allowed'),
      bad: [true, undefined],
      good: [false],
      cli: `${UPDATE} --allow-shared-key-access false`,
      console: `${CONFIG} Allow storage account key access → Disabled → Save.`,
    }),
  }),
  storageRule({
    id: 'VGL-AZURE-101',
    title: 'Storage account infrastructure encryption is not enabled',
    description: 'Infrastructure encryption adds a second layer of AES-256 encryption with a different key at the infrastructure level, protecting data if one encryption layer or key is compromised. It can only be chosen when the account is created.',
    severity: 'low',
    cis: '3.2',
    theme: ['atRest'],
    remediation: 'Create a new account with infrastructure encryption enabled and move the data to it.',
    reference: 'https://learn.microsoft.com/azure/storage/common/infrastructure-encryption-enable',
    live: valueSpec({
      kinds: SA,
      path: ['properties', 'encryption', 'requireInfrastructureEncryption'],
      fails: mustBe(true, 'data is encrypted once only', 'infrastructure encryption is not enabled'),
      bad: [false, undefined],
      good: [true],
      cli: 'az storage account create --name <account> --resource-group <resource-group> --require-infrastructure-encryption true (then copy the data across)',
      console: 'Storage accounts → Create → Encryption → Enable infrastructure encryption → create, then migrate the data.',
    }),
  }),
  storageRule({
    id: 'VGL-AZURE-102',
    title: 'Storage account is not encrypted with a customer-managed key',
    description: 'With Microsoft-managed keys the organisation cannot rotate, revoke or audit the use of the key that protects the data; critical data should be encrypted with a key held in its own Key Vault.',
    severity: 'low',
    cis: '3.12',
    theme: ['atRest', 'keys'],
    remediation: 'Configure customer-managed keys (Key Vault key, managed identity with wrap/unwrap permission) for the account.',
    reference: 'https://learn.microsoft.com/azure/storage/common/customer-managed-keys-overview',
    live: valueSpec({
      kinds: SA,
      path: ['properties', 'encryption', 'keySource'],
      fails: (v) => (low(v) === 'microsoft.keyvault' ? undefined : 'the account is encrypted with a Microsoft-managed key'),
      bad: ['Microsoft.Storage', undefined],
      good: ['Microsoft.Keyvault'],
      cli: `${UPDATE} --encryption-key-source Microsoft.Keyvault --encryption-key-vault <vault-uri> --encryption-key-name <key> --identity-type SystemAssigned`,
      console: 'Storage accounts → the account → Security + networking → Encryption → Customer-managed keys → select the key → Save.',
    }),
  }),
  storageRule({
    id: 'VGL-AZURE-103',
    title: 'Storage account blob or container soft delete is disabled',
    description: 'Without soft delete for blobs and containers, a deleted or overwritten blob or a deleted container is gone at once: an attacker or a mistake destroys data with no recovery window.',
    severity: 'medium',
    cis: '3.11',
    theme: ['recovery'],
    remediation: 'Enable soft delete for blobs and for containers with a retention of at least 7 days.',
    reference: 'https://learn.microsoft.com/azure/storage/blobs/soft-delete-blob-overview',
    live: {
      kinds: SA,
      check: softDelete,
      cli: 'az storage account blob-service-properties update --account-name <account> --resource-group <resource-group> --enable-delete-retention true --delete-retention-days 7 --enable-container-delete-retention true --container-delete-retention-days 7',
      console: 'Storage accounts → the account → Data management → Data protection → Enable soft delete for blobs and for containers → Save.',
      bad: [
        collected('azure', [
          arm(AZ.storage, 'sa1', {}, { blobServiceProperties: blobSvc(false, true) }),
          arm(AZ.storage, 'sa2', {}, { blobServiceProperties: { properties: {} } }),
          arm(AZ.storage, 'sa3', {}, { blobServiceProperties: blobSvc(true, true) }),
        ], [arm(AZ.storage, 'sa1', {}).id, arm(AZ.storage, 'sa2', {}).id]),
      ],
      good: [collected('azure', [arm(AZ.storage, 'sa3', {}, { blobServiceProperties: blobSvc(true, true) }), arm(AZ.storage, 'files1', {}, { kind: 'FileStorage' })])],
    },
  }),
  storageRule({
    id: 'VGL-AZURE-104',
    title: 'Storage account does not let trusted Azure services bypass its firewall',
    description: 'When the account firewall denies by default but "Allow Azure services on the trusted services list" is off, services such as Azure Backup, Event Grid, Monitor and Defender cannot reach it, and teams tend to open the firewall to everyone to make them work.',
    severity: 'low',
    cis: '3.9',
    theme: ['network'],
    remediation: 'Add AzureServices to the network rules bypass.',
    reference: 'https://learn.microsoft.com/azure/storage/common/storage-network-security#grant-access-to-trusted-azure-services',
    live: valueSpec({
      kinds: SA,
      path: ['properties', 'networkAcls', 'bypass'],
      skip: (r) => low((props(r)['networkAcls'] as Record<string, unknown> | undefined)?.['defaultAction']) !== 'deny',
      fails: (v) => ((low(v) ?? '').split(',').some((s) => s.trim() === 'azureservices') ? undefined : `bypass is "${show(v ?? 'None')}": trusted Azure services are blocked`),
      base: { properties: { networkAcls: { defaultAction: 'Deny' } } },
      bad: ['None', 'Logging, Metrics'],
      good: ['AzureServices', 'Logging, AzureServices'],
      exempt: [arm(AZ.storage, 'open1', { networkAcls: { defaultAction: 'Allow', bypass: 'None' } })],
      cli: `${UPDATE} --bypass AzureServices`,
      console: 'Storage accounts → the account → Networking → Exceptions → Allow Azure services on the trusted services list to access this storage account → Save.',
    }),
  }),
  storageRule({
    id: 'VGL-AZURE-105',
    title: 'Storage account has no access key rotation reminder',
    description: 'Without a key expiration policy (keyPolicy.keyExpirationPeriodInDays) nothing reminds anyone to regenerate the account access keys, so a leaked key stays valid indefinitely.',
    severity: 'low',
    cis: '3.3',
    theme: ['keys'],
    remediation: 'Set a key expiration policy of 90 days or less and regenerate the keys when reminded.',
    reference: 'https://learn.microsoft.com/azure/storage/common/storage-account-keys-manage#create-a-key-expiration-policy',
    live: valueSpec({
      kinds: SA,
      path: ['properties', 'keyPolicy', 'keyExpirationPeriodInDays'],
      fails: (v) => {
        const n = num(v);
        return n === undefined ? 'no key expiration policy: access keys are never flagged for rotation' : n > 90 ? `keys expire after ${n} days (more than 90)` : undefined;
      },
      bad: [undefined, 365],
      good: [90, 30],
      cli: `${UPDATE} --key-exp-days 90`,
      console: 'Storage accounts → the account → Security + networking → Access keys → Set rotation reminder → every 90 days → Save.',
    }),
  }),
  storageRule({
    id: 'VGL-AZURE-106',
    title: 'Storage account has no private endpoint',
    description: 'Without a private endpoint, clients reach the account over its public endpoint; a private endpoint keeps traffic on the virtual network and lets the public endpoint be closed.',
    severity: 'low',
    cis: '3.10',
    theme: ['network'],
    remediation: 'Create a private endpoint for the account (blob, file… sub-resources) and disable public network access.',
    reference: 'https://learn.microsoft.com/azure/storage/common/storage-private-endpoints',
    live: valueSpec({
      kinds: SA,
      path: ['properties', 'privateEndpointConnections'],
      fails: approvedPrivateEndpoint,
      bad: [[], undefined],
      good: [APPROVED_ENDPOINT],
      cli: 'az network private-endpoint create --name <endpoint> --resource-group <resource-group> --vnet-name <vnet> --subnet <subnet> --private-connection-resource-id <account-id> --group-id blob --connection-name <connection>',
      console: 'Storage accounts → the account → Security + networking → Networking → Private endpoint connections → + Private endpoint.',
    }),
  }),
  storageRule({
    id: 'VGL-AZURE-107',
    title: 'Storage account allows cross-tenant object replication',
    description: 'Cross-tenant replication lets object replication policies copy data to storage accounts in other Microsoft Entra tenants, an exfiltration path outside the organisation.',
    severity: 'medium',
    cis: '3.16',
    theme: ['publicData'],
    remediation: 'Set allowCrossTenantReplication to false.',
    reference: 'https://learn.microsoft.com/azure/storage/blobs/object-replication-prevent-cross-tenant-policies',
    live: valueSpec({
      kinds: SA,
      path: ['properties', 'allowCrossTenantReplication'],
      fails: mustBe(false, 'objects can be replicated to accounts in other tenants'),
      bad: [true],
      good: [false, undefined],
      cli: `${UPDATE} --allow-cross-tenant-replication false`,
      console: 'Storage accounts → the account → Data management → Object replication → Advanced settings → uncheck Allow cross-tenant replication → OK.',
    }),
  }),
  storageRule({
    id: 'VGL-AZURE-108',
    title: 'Storage account file share soft delete is disabled',
    description: 'Without soft delete for Azure Files a deleted share, with every file in it, cannot be recovered.',
    severity: 'medium',
    theme: ['recovery'],
    remediation: 'Enable soft delete for file shares with a retention of at least 7 days.',
    reference: 'https://learn.microsoft.com/azure/storage/files/storage-files-enable-soft-delete',
    live: {
      kinds: SA,
      check: shareSoftDelete,
      cli: 'az storage account file-service-properties update --account-name <account> --resource-group <resource-group> --enable-delete-retention true --delete-retention-days 7',
      console: 'Storage accounts → the account → Data storage → File shares → File share settings → Soft delete → Enabled → Save.',
      bad: [
        collected('azure', [arm(AZ.storage, 'sa1', {}, { fileServices: fileSvc(false) }), arm(AZ.storage, 'sa2', {}, { fileServices: fileSvc(true) })], [arm(AZ.storage, 'sa1', {}).id]),
      ],
      good: [collected('azure', [arm(AZ.storage, 'sa2', {}, { fileServices: fileSvc(true) }), arm(AZ.storage, 'blobonly1', {}, { kind: 'BlockBlobStorage' })])],
    },
  }),
];
