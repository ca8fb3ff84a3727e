/**
 * Virtual machines, disks, AKS, container registries, Redis and Cosmos DB as collected: the live
 * halves of VGL-AZURE-040…045 and 048…052, and live-only rules for unmanaged VM disks and
 * Cosmos DB private endpoints.
 */
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { cis, liveRule } from '../../shared/define.js';
import { collected, type LiveSpec } from '../../shared/live.js';
import { arm, AZ, isTrue, items, low, mustBe, oneOf, props, valueSpec, approvedPrivateEndpoint, APPROVED_ENDPOINT } from './lib.js';

export const COMPUTE_LIVE = {
  linuxPassword: valueSpec({
    kinds: [AZ.vm],
    path: ['properties', 'osProfile', 'linuxConfiguration', 'disablePasswordAuthentication'],
    skip: (r) => {
      const os = props(r)['osProfile'];
      return !(typeof os === 'object' && os !== null && 'linuxConfiguration' in os);
    },
    fails: mustBe(true, 'SSH password logins are allowed', 'disablePasswordAuthentication is not set: SSH password logins are allowed'),
    base: { properties: { osProfile: { computerName: 'vm', adminUsername: 'azureuser', linuxConfiguration: {} } } },
    bad: [false, undefined],
    good: [true],
    exempt: [arm(AZ.vm, 'windows1', { osProfile: { computerName: 'win', windowsConfiguration: { provisionVMAgent: true } } })],
    cli: 'az vm user update --resource-group <resource-group> --name <vm> --username <user> --ssh-key-value <public-key> (then redeploy with --authentication-type ssh)',
    console: 'Virtual machines → recreate the VM with Authentication type: SSH public key (the setting cannot be changed in place).',
  }),
  diskCmk: valueSpec({
    kinds: [AZ.disk],
    path: ['properties', 'encryption', 'type'],
    fails: (v) => (low(v)?.includes('customerkey') === true ? undefined : `${typeof v === 'string' ? v : 'no encryption type (platform-managed key)'}: the disk is not encrypted with a customer-managed key`),
    bad: ['EncryptionAtRestWithPlatformKey', undefined],
    good: ['EncryptionAtRestWithCustomerKey', 'EncryptionAtRestWithPlatformAndCustomerKeys'],
    cli: 'az disk update --resource-group <resource-group> --name <disk> --encryption-type EncryptionAtRestWithCustomerKey --disk-encryption-set <des-id>',
    console: 'Disks → the disk (VM stopped) → Settings → Encryption → Key management: Customer-managed key → disk encryption set → Save.',
  }),
  aksPublicApi: valueSpec({
    kinds: [AZ.aks],
    path: ['properties', 'apiServerAccessProfile'],
    fails: (v) => {
      const p = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
      if (isTrue(p['enablePrivateCluster'])) return undefined;
      return items(p['authorizedIPRanges']).length > 0 || (Array.isArray(p['authorizedIPRanges']) && p['authorizedIPRanges'].length > 0) ? undefined : 'the API server is public with no authorized IP ranges';
    },
    bad: [undefined, { enablePrivateCluster: false, authorizedIPRanges: [] }],
    good: [{ enablePrivateCluster: true }, { authorizedIPRanges: ['203.0.113.0/24'] }],
    cli: 'az aks update --resource-group <resource-group> --name <cluster> --api-server-authorized-ip-ranges <cidr>[,<cidr>]',
    console: 'Kubernetes services → the cluster → Settings → Networking → Set authorized IP ranges → Save.',
  }),
  aksRbac: valueSpec({
    kinds: [AZ.aks],
    path: ['properties', 'enableRBAC'],
    fails: mustBe(true, 'Kubernetes RBAC is disabled'),
    bad: [false],
    good: [true],
    cli: 'az aks create … --enable-rbac (RBAC cannot be enabled on an existing cluster: recreate it)',
    console: 'Kubernetes services → create a new cluster with Kubernetes RBAC enabled and migrate the workloads.',
  }),
  aksPolicy: valueSpec({
    kinds: [AZ.aks],
    path: ['properties', 'addonProfiles', 'azurepolicy', 'enabled'],
    fails: mustBe(true, 'the Azure Policy add-on is disabled', 'the Azure Policy add-on is not installed'),
    bad: [false, undefined],
    good: [true],
    cli: 'az aks enable-addons --resource-group <resource-group> --name <cluster> --addons azure-policy',
    console: 'Kubernetes services → the cluster → Settings → Policies → Enable add-on.',
  }),
  acrAdmin: valueSpec({
    kinds: [AZ.acr],
    path: ['properties', 'adminUserEnabled'],
    fails: mustBe(false, 'the admin account (a shared username and password with push and pull rights) is enabled'),
    bad: [true],
    good: [false, undefined],
    cli: 'az acr update --name <registry> --admin-enabled false',
    console: 'Container registries → the registry → Settings → Access keys → Admin user: off.',
  }),
  redisNonSsl: valueSpec({
    kinds: [AZ.redis],
    path: ['properties', 'enableNonSslPort'],
    fails: mustBe(false, 'the non-TLS port 6379 is open'),
    bad: [true],
    good: [false, undefined],
    cli: 'az redis update --resource-group <resource-group> --name <cache> --set enableNonSslPort=false',
    console: 'Azure Cache for Redis → the cache → Settings → Advanced settings → Allow access only via SSL: Yes → Save.',
  }),
  redisTls: valueSpec({
    kinds: [AZ.redis],
    path: ['properties', 'minimumTlsVersion'],
    fails: oneOf(['1.0', '1.1'], 'clients may use TLS before 1.2'),
    bad: ['1.0', '1.1'],
    good: ['1.2', undefined],
    cli: 'az redis update --resource-group <resource-group> --name <cache> --set minimumTlsVersion=1.2',
    console: 'Azure Cache for Redis → the cache → Settings → Advanced settings → Minimum TLS version: 1.2 → Save.',
  }),
  cosmosNetwork: valueSpec({
    kinds: [AZ.cosmos],
    path: ['properties', 'publicNetworkAccess'],
    fails: (v, r) => {
      if (low(v) === 'disabled') return undefined;
      const p = props(r);
      return isTrue(p['isVirtualNetworkFilterEnabled']) || items(p['ipRules']).length > 0 ? undefined : 'the account accepts connections from all networks';
    },
    base: { properties: { isVirtualNetworkFilterEnabled: false, ipRules: [] } },
    bad: ['Enabled', undefined],
    good: ['Disabled'],
    exempt: [arm(AZ.cosmos, 'ranged1', { publicNetworkAccess: 'Enabled', isVirtualNetworkFilterEnabled: false, ipRules: [{ ipAddressOrRange: '203.0.113.7' }] })],
    cli: 'az cosmosdb update --resource-group <resource-group> --name <account> --ip-range-filter <cidr> --enable-virtual-network true (or --public-network-access Disabled)',
    console: 'Azure Cosmos DB → the account → Settings → Networking → Public network access: Selected networks → add networks / IPs → Save.',
  }),
  cosmosLocalAuth: valueSpec({
    kinds: [AZ.cosmos],
    path: ['properties', 'disableLocalAuth'],
    fails: mustBe(true, 'account keys (local authentication) are accepted', 'disableLocalAuth is not set: account keys (local authentication) are accepted'),
    bad: [false, undefined],
    good: [true],
    cli: 'az resource update --ids <account-id> --set properties.disableLocalAuth=true --latest-include-preview',
    console: 'Azure Cosmos DB → move clients to Entra ID data-plane RBAC, then set disableLocalAuth through ARM (Portal: Keys cannot be disabled in the UI).',
  }),
} satisfies Record<string, LiveSpec>;

/** Services whose public endpoint is open unless public network access is Disabled or the firewall denies by default. */
const PUBLIC_KINDS = [AZ.acr, AZ.vault, AZ.redis, AZ.sql] as const;

function publicEndpoint(r: Resource): Violation[] {
  if (!(PUBLIC_KINDS as readonly string[]).includes(r.kind)) return [];
  const p = props(r);
  if (low(p['publicNetworkAccess']) === 'disabled') return [];
  const acl = p['networkAcls'] ?? p['networkRuleSet'];
  if (typeof acl === 'object' && acl !== null && low((acl as Record<string, unknown>)['defaultAction']) === 'deny') return [];
  return [violation(['properties', 'publicNetworkAccess'], 'public network access is enabled and no firewall denies other networks by default')];
}

export const PUBLIC_LIVE: LiveSpec = {
  kinds: PUBLIC_KINDS,
  check: publicEndpoint,
  cli: 'az acr update --name <registry> --public-network-enabled false (az keyvault update … --public-network-access Disabled; az redis update … --set publicNetworkAccess=Disabled; az sql server update … --enable-public-network false)',
  console: 'The resource → Networking → Public network access: Disabled (or Selected networks with a deny-by-default firewall) → Save.',
  bad: [
    collected('azure', [arm(AZ.acr, 'acr1', { publicNetworkAccess: 'Enabled' }), arm(AZ.sql, 'sql1', { publicNetworkAccess: 'Enabled' }), arm(AZ.vault, 'kv1', { publicNetworkAccess: 'Disabled' })], [arm(AZ.acr, 'acr1', {}).id, arm(AZ.sql, 'sql1', {}).id]),
  ],
  good: [collected('azure', [arm(AZ.vault, 'kv1', { publicNetworkAccess: 'Disabled' }), arm(AZ.vault, 'kv2', { networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' } }), arm(AZ.redis, 'cache1', { publicNetworkAccess: 'Disabled' })])],
};

export const computeLiveRules: readonly Rule[] = [
  liveRule('azure', {
    id: 'VGL-AZURE-121',
    title: 'Virtual machine uses unmanaged (VHD) disks',
    description: 'Unmanaged disks are page blobs in a storage account the customer manages: they are exposed through that account\'s keys and network rules and cannot use disk encryption sets; managed disks are encrypted and isolated by default.',
    severity: 'medium',
    service: 'compute',
    frameworks: [cis('7.2'), ...themes('atRest')],
    remediation: 'Convert the VM to managed disks.',
    references: ['https://learn.microsoft.com/azure/virtual-machines/windows/convert-unmanaged-to-managed-disks'],
    live: valueSpec({
      kinds: [AZ.vm],
      path: ['properties', 'storageProfile', 'osDisk'],
      fails: (v) => (typeof v === 'object' && v !== null && 'vhd' in v && !('managedDisk' in v) ? 'the OS disk is an unmanaged VHD in a storage account' : undefined),
      bad: [{ name: 'os', vhd: { uri: 'https://sa.blob.core.windows.net/vhds/os.vhd' } }],
      good: [{ name: 'os', managedDisk: { id: '/subscriptions/x/disks/os' } }],
      cli: 'az vm deallocate --resource-group <resource-group> --name <vm> && az vm convert --resource-group <resource-group> --name <vm>',
      console: 'Virtual machines → the VM → Stop → Disks → Migrate to managed disks → Migrate.',
    }),
  }),
  liveRule('azure', {
    id: 'VGL-AZURE-122',
    title: 'Cosmos DB account has no private endpoint',
    description: 'Without a private endpoint the account is reached over its public endpoint; a private endpoint keeps database traffic on the virtual network.',
    severity: 'low',
    service: 'cosmos-db',
    frameworks: [cis('4.5.2'), ...themes('network')],
    remediation: 'Create a private endpoint for the account and restrict public network access.',
    references: ['https://learn.microsoft.com/azure/cosmos-db/how-to-configure-private-endpoints'],
    live: valueSpec({
      kinds: [AZ.cosmos],
      path: ['properties', 'privateEndpointConnections'],
      fails: approvedPrivateEndpoint,
      bad: [[], undefined],
      good: [APPROVED_ENDPOINT],
      cli: 'az network private-endpoint create --name <endpoint> --resource-group <resource-group> --vnet-name <vnet> --subnet <subnet> --private-connection-resource-id <account-id> --group-id Sql --connection-name <connection>',
      console: 'Azure Cosmos DB → the account → Settings → Networking → Private access → + Private endpoint.',
    }),
  }),
];
