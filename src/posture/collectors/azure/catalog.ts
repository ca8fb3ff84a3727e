/**
 * What the Azure collector reads: every ARM list call, the per-resource sub-calls merged into a
 * resource's attrs, their api-versions and the RBAC action each needs. Pure data: the collector
 * (collect.ts) walks it, the least-privilege page (docs/collectors/azure.md) is generated from
 * it (docs.ts), so the documented permissions cannot drift from the calls made.
 *
 * Paths are relative: a list path to `/subscriptions/{id}`, a sub-call path to the resource's
 * ARM id. api-versions are GA versions of each resource provider's REST API.
 */
import type { ResourceKind } from '../../model.js';

export type AzureKind = ResourceKind & `azure:${string}`;

interface SubCallBase {
  /** The attrs key the answer is merged under. */
  readonly key: string;
  readonly apiVersion: string;
  /** The Azure RBAC action the call needs (all are in the built-in Reader role). */
  readonly action: string;
  /** One line for the docs: what the key holds. */
  readonly doc: string;
  /** Only for items this accepts (e.g. blob services only on storage kinds that have blobs). */
  readonly when?: (item: Readonly<Record<string, unknown>>) => boolean;
}

/**
 * - `get`: GET `{id}{path}`: the object, or `null` when the provider answers 404 (not configured).
 * - `list`: GET `{id}{path}` following `nextLink`: the array of `value` items.
 * - `named`: GET `{id}{path}/{name}` for each name: an object keyed by name (`null` on 404).
 * - `refs`: GET each ARM id found at `pointer` in the item (e.g. an NSG's flow logs): an array.
 */
export type SubCall =
  | (SubCallBase & { readonly type: 'get' | 'list'; readonly path: string })
  | (SubCallBase & { readonly type: 'named'; readonly path: string; readonly names: readonly string[] })
  | (SubCallBase & { readonly type: 'refs'; readonly pointer: readonly string[] });

/** A list of child resources under each item (SQL databases), collected as their own kind. */
export interface ChildList {
  readonly kind: AzureKind;
  readonly path: string;
  readonly apiVersion: string;
  readonly action: string;
  readonly doc: string;
  readonly subCalls: readonly SubCall[];
}

export interface ResourceType {
  readonly kind: AzureKind;
  /** Resource provider namespace, the `service` of a gap. */
  readonly service: string;
  /** Relative to `/subscriptions/{id}`. */
  readonly listPath: string;
  readonly apiVersion: string;
  readonly query?: Readonly<Record<string, string>>;
  readonly action: string;
  readonly doc: string;
  readonly subCalls: readonly SubCall[];
  readonly children?: readonly ChildList[];
}

const kind = (type: string): AzureKind => `azure:${type}`;
const str = (v: unknown): string => (typeof v === 'string' ? v.toLowerCase() : '');
const STORAGE = '2023-05-01';
const NETWORK = '2024-05-01';
const SQL = '2021-11-01';
const KEYVAULT = '2023-07-01';
const WEB = '2023-12-01';
const INSIGHTS_DIAG = '2021-05-01-preview';

/** Storage account kinds with a blob service / a file service. */
const hasBlobs = (item: Readonly<Record<string, unknown>>): boolean => str(item['kind']) !== 'filestorage';
const hasFiles = (item: Readonly<Record<string, unknown>>): boolean => !['blobstorage', 'blockblobstorage'].includes(str(item['kind']));

/** Server parameters read one by one (the full lists run to hundreds of entries per server). */
export const POSTGRES_SINGLE_PARAMETERS = ['log_checkpoints', 'log_connections', 'log_disconnections', 'connection_throttling', 'log_retention_days'] as const;
export const POSTGRES_FLEXIBLE_PARAMETERS = [
  'log_checkpoints',
  'log_connections',
  'log_disconnections',
  'connection_throttle.enable',
  'logfiles.retention_days',
  'require_secure_transport',
] as const;
export const MYSQL_SINGLE_PARAMETERS = ['audit_log_enabled', 'audit_log_events'] as const;
export const MYSQL_FLEXIBLE_PARAMETERS = ['require_secure_transport', 'tls_version', 'audit_log_enabled', 'audit_log_events'] as const;

function dbServer(ns: 'Microsoft.DBforPostgreSQL' | 'Microsoft.DBforMySQL', type: 'servers' | 'flexibleServers', apiVersion: string, names: readonly string[]): ResourceType {
  const t = `${ns}/${type}`;
  return {
    kind: kind(t),
    service: ns,
    listPath: `/providers/${t}`,
    apiVersion,
    action: `${t}/read`,
    doc: `${ns === 'Microsoft.DBforMySQL' ? 'MySQL' : 'PostgreSQL'} ${type === 'servers' ? 'single servers' : 'flexible servers'} (\`properties.sslEnforcement\`, \`minimalTlsVersion\`, \`publicNetworkAccess\`, …).`,
    subCalls: [
      {
        type: 'named',
        key: 'configurations',
        path: '/configurations',
        names,
        apiVersion,
        action: `${t}/configurations/read`,
        doc: `Server parameters by name (${names.map((n) => `\`${n}\``).join(', ')}), each the ARM configuration object (\`properties.value\`), \`null\` when the server has no such parameter.`,
      },
      { type: 'list', key: 'firewallRules', path: '/firewallRules', apiVersion, action: `${t}/firewallRules/read`, doc: 'Firewall rules (`properties.startIpAddress`/`endIpAddress`; 0.0.0.0–0.0.0.0 allows Azure services).' },
    ],
  };
}

export const RESOURCE_TYPES: readonly ResourceType[] = [
  {
    kind: kind('Microsoft.Storage/storageAccounts'),
    service: 'Microsoft.Storage',
    listPath: '/providers/Microsoft.Storage/storageAccounts',
    apiVersion: STORAGE,
    action: 'Microsoft.Storage/storageAccounts/read',
    doc: 'Storage accounts (`properties.supportsHttpsTrafficOnly`, `minimumTlsVersion`, `allowBlobPublicAccess`, `allowSharedKeyAccess`, `networkAcls`, `encryption`, `publicNetworkAccess`, `keyPolicy`).',
    subCalls: [
      {
        type: 'get',
        key: 'blobServiceProperties',
        path: '/blobServices/default',
        apiVersion: STORAGE,
        action: 'Microsoft.Storage/storageAccounts/blobServices/read',
        doc: 'Blob service properties (`properties.deleteRetentionPolicy`, `containerDeleteRetentionPolicy`, `isVersioningEnabled`).',
        when: hasBlobs,
      },
      {
        type: 'list',
        key: 'containers',
        path: '/blobServices/default/containers',
        apiVersion: STORAGE,
        action: 'Microsoft.Storage/storageAccounts/blobServices/containers/read',
        doc: 'Blob containers (`properties.publicAccess`: `None`, `Blob` or `Container`).',
        when: hasBlobs,
      },
      {
        type: 'list',
        key: 'fileServices',
        path: '/fileServices',
        apiVersion: STORAGE,
        action: 'Microsoft.Storage/storageAccounts/fileServices/read',
        doc: 'File service properties (`properties.shareDeleteRetentionPolicy`, `protocolSettings.smb`).',
        when: hasFiles,
      },
    ],
  },
  {
    kind: kind('Microsoft.Network/networkSecurityGroups'),
    service: 'Microsoft.Network',
    listPath: '/providers/Microsoft.Network/networkSecurityGroups',
    apiVersion: NETWORK,
    action: 'Microsoft.Network/networkSecurityGroups/read',
    doc: 'Network security groups (`properties.securityRules[].properties`: `direction`, `access`, `protocol`, `sourceAddressPrefix(es)`, `destinationPortRange(s)`; `defaultSecurityRules`).',
    subCalls: [
      {
        type: 'refs',
        key: 'flowLogs',
        pointer: ['properties', 'flowLogs'],
        apiVersion: NETWORK,
        action: 'Microsoft.Network/networkWatchers/flowLogs/read',
        doc: 'The flow logs attached to the group (each referenced in `properties.flowLogs[].id`): `properties.enabled`, `retentionPolicy.days`.',
      },
    ],
  },
  {
    kind: kind('Microsoft.Network/networkWatchers'),
    service: 'Microsoft.Network',
    listPath: '/providers/Microsoft.Network/networkWatchers',
    apiVersion: NETWORK,
    action: 'Microsoft.Network/networkWatchers/read',
    doc: 'Network Watchers, one per region where enabled (`location`, `properties.provisioningState`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.KeyVault/vaults'),
    service: 'Microsoft.KeyVault',
    listPath: '/providers/Microsoft.KeyVault/vaults',
    apiVersion: KEYVAULT,
    action: 'Microsoft.KeyVault/vaults/read',
    doc: 'Key vaults (`properties.enableSoftDelete`, `enablePurgeProtection`, `enableRbacAuthorization`, `networkAcls`, `publicNetworkAccess`, `accessPolicies`).',
    subCalls: [
      {
        type: 'list',
        key: 'keys',
        path: '/keys',
        apiVersion: KEYVAULT,
        action: 'Microsoft.KeyVault/vaults/keys/read',
        doc: 'Key metadata through ARM, never key material (`properties.attributes.enabled`, `exp`, `properties.rotationPolicy`).',
      },
      {
        type: 'list',
        key: 'secrets',
        path: '/secrets',
        apiVersion: KEYVAULT,
        action: 'Microsoft.KeyVault/vaults/secrets/read',
        doc: 'Secret metadata through ARM, never values (`properties.attributes.enabled`, `exp`).',
      },
      {
        type: 'list',
        key: 'diagnosticSettings',
        path: '/providers/Microsoft.Insights/diagnosticSettings',
        apiVersion: INSIGHTS_DIAG,
        action: 'Microsoft.Insights/diagnosticSettings/read',
        doc: 'Diagnostic settings of the vault (`properties.logs[].categoryGroup`/`category`, `enabled`).',
      },
    ],
  },
  {
    kind: kind('Microsoft.Sql/servers'),
    service: 'Microsoft.Sql',
    listPath: '/providers/Microsoft.Sql/servers',
    apiVersion: SQL,
    action: 'Microsoft.Sql/servers/read',
    doc: 'Azure SQL logical servers (`properties.publicNetworkAccess`, `minimalTlsVersion`, `administrators`).',
    subCalls: [
      { type: 'get', key: 'auditingSettings', path: '/auditingSettings/default', apiVersion: SQL, action: 'Microsoft.Sql/servers/auditingSettings/read', doc: 'Server auditing policy (`properties.state`, `retentionDays`, `isAzureMonitorTargetEnabled`).' },
      { type: 'list', key: 'firewallRules', path: '/firewallRules', apiVersion: SQL, action: 'Microsoft.Sql/servers/firewallRules/read', doc: 'Firewall rules (`properties.startIpAddress`, `endIpAddress`).' },
      { type: 'list', key: 'administrators', path: '/administrators', apiVersion: SQL, action: 'Microsoft.Sql/servers/administrators/read', doc: 'Microsoft Entra administrators (empty when none is set).' },
      { type: 'list', key: 'securityAlertPolicies', path: '/securityAlertPolicies', apiVersion: SQL, action: 'Microsoft.Sql/servers/securityAlertPolicies/read', doc: 'Microsoft Defender for SQL threat detection (`properties.state`, `emailAddresses`).' },
      { type: 'list', key: 'vulnerabilityAssessments', path: '/vulnerabilityAssessments', apiVersion: SQL, action: 'Microsoft.Sql/servers/vulnerabilityAssessments/read', doc: 'Vulnerability assessment settings (`properties.recurringScans`).' },
      { type: 'get', key: 'encryptionProtector', path: '/encryptionProtector/current', apiVersion: SQL, action: 'Microsoft.Sql/servers/encryptionProtector/read', doc: 'TDE protector (`properties.serverKeyType`: `ServiceManaged` or `AzureKeyVault`).' },
    ],
    children: [
      {
        kind: kind('Microsoft.Sql/servers/databases'),
        path: '/databases',
        apiVersion: SQL,
        action: 'Microsoft.Sql/servers/databases/read',
        doc: 'Databases of each SQL server (the `master` database included, as ARM lists it).',
        subCalls: [
          {
            type: 'get',
            key: 'transparentDataEncryption',
            path: '/transparentDataEncryption/current',
            apiVersion: SQL,
            action: 'Microsoft.Sql/servers/databases/transparentDataEncryption/read',
            doc: 'Transparent data encryption (`properties.state`: `Enabled`/`Disabled`; `properties.status` in older API versions).',
          },
        ],
      },
    ],
  },
  dbServer('Microsoft.DBforPostgreSQL', 'servers', '2017-12-01', POSTGRES_SINGLE_PARAMETERS),
  dbServer('Microsoft.DBforPostgreSQL', 'flexibleServers', '2022-12-01', POSTGRES_FLEXIBLE_PARAMETERS),
  dbServer('Microsoft.DBforMySQL', 'servers', '2017-12-01', MYSQL_SINGLE_PARAMETERS),
  dbServer('Microsoft.DBforMySQL', 'flexibleServers', '2021-05-01', MYSQL_FLEXIBLE_PARAMETERS),
  {
    kind: kind('Microsoft.DocumentDB/databaseAccounts'),
    service: 'Microsoft.DocumentDB',
    listPath: '/providers/Microsoft.DocumentDB/databaseAccounts',
    apiVersion: '2023-04-15',
    action: 'Microsoft.DocumentDB/databaseAccounts/read',
    doc: 'Cosmos DB accounts (`properties.publicNetworkAccess`, `isVirtualNetworkFilterEnabled`, `ipRules`, `disableLocalAuth`, `keyVaultKeyUri`). Keys are never listed.',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Insights/activityLogAlerts'),
    service: 'Microsoft.Insights',
    listPath: '/providers/Microsoft.Insights/activityLogAlerts',
    apiVersion: '2020-10-01',
    action: 'Microsoft.Insights/activityLogAlerts/read',
    doc: 'Activity log alert rules (`properties.enabled`, `scopes`, `condition.allOf[]` with `field`/`equals` such as `operationName`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Insights/diagnosticSettings'),
    service: 'Microsoft.Insights',
    listPath: '/providers/Microsoft.Insights/diagnosticSettings',
    apiVersion: INSIGHTS_DIAG,
    action: 'Microsoft.Insights/diagnosticSettings/read',
    doc: 'Subscription diagnostic settings, which export the activity log (`properties.logs[]` with `category` and `enabled`, `storageAccountId`, `workspaceId`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Insights/logprofiles'),
    service: 'Microsoft.Insights',
    listPath: '/providers/Microsoft.Insights/logprofiles',
    apiVersion: '2016-03-01',
    action: 'Microsoft.Insights/LogProfiles/Read',
    doc: 'Legacy activity log profiles (`properties.retentionPolicy`, `categories`, `locations`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Authorization/roleAssignments'),
    service: 'Microsoft.Authorization',
    listPath: '/providers/Microsoft.Authorization/roleAssignments',
    apiVersion: '2022-04-01',
    action: 'Microsoft.Authorization/roleAssignments/read',
    doc: 'Role assignments visible at the subscription (`properties.roleDefinitionId`, `principalId`, `principalType`, `scope`), each with its role definition merged under `roleDefinition` (`properties.roleName`, `type`, `permissions`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Authorization/roleDefinitions'),
    service: 'Microsoft.Authorization',
    listPath: '/providers/Microsoft.Authorization/roleDefinitions',
    apiVersion: '2022-04-01',
    query: { $filter: "type eq 'CustomRole'" },
    action: 'Microsoft.Authorization/roleDefinitions/read',
    doc: 'Custom role definitions, plus every built-in role a collected assignment refers to (`properties.roleName`, `type`, `assignableScopes`, `permissions[].actions`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Authorization/policyAssignments'),
    service: 'Microsoft.Authorization',
    listPath: '/providers/Microsoft.Authorization/policyAssignments',
    apiVersion: '2022-06-01',
    action: 'Microsoft.Authorization/policyAssignments/read',
    doc: 'Policy assignments (`properties.displayName`, `policyDefinitionId`, `enforcementMode`, `parameters`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Security/pricings'),
    service: 'Microsoft.Security',
    listPath: '/providers/Microsoft.Security/pricings',
    apiVersion: '2024-01-01',
    action: 'Microsoft.Security/pricings/read',
    doc: 'Microsoft Defender for Cloud plans, one per resource type (`name` such as `VirtualMachines`, `SqlServers`, `StorageAccounts`; `properties.pricingTier`: `Free`/`Standard`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Security/securityContacts'),
    service: 'Microsoft.Security',
    listPath: '/providers/Microsoft.Security/securityContacts',
    apiVersion: '2020-01-01-preview',
    action: 'Microsoft.Security/securityContacts/read',
    doc: 'Defender for Cloud security contacts (`properties.emails`, `notificationsByRole`, `alertNotifications`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Security/autoProvisioningSettings'),
    service: 'Microsoft.Security',
    listPath: '/providers/Microsoft.Security/autoProvisioningSettings',
    apiVersion: '2017-08-01-preview',
    action: 'Microsoft.Security/autoProvisioningSettings/read',
    doc: 'Defender for Cloud auto-provisioning (`properties.autoProvision`: `On`/`Off`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Security/settings'),
    service: 'Microsoft.Security',
    listPath: '/providers/Microsoft.Security/settings',
    apiVersion: '2022-05-01',
    action: 'Microsoft.Security/settings/read',
    doc: 'Defender for Cloud integrations (`name` `MCAS`, `WDATP`, `Sentinel`; `properties.enabled`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Compute/virtualMachines'),
    service: 'Microsoft.Compute',
    listPath: '/providers/Microsoft.Compute/virtualMachines',
    apiVersion: '2024-07-01',
    action: 'Microsoft.Compute/virtualMachines/read',
    doc: 'Virtual machines (`properties.storageProfile.osDisk.managedDisk`, `osProfile`, `securityProfile`, `identity`).',
    subCalls: [
      {
        type: 'list',
        key: 'extensions',
        path: '/extensions',
        apiVersion: '2024-07-01',
        action: 'Microsoft.Compute/virtualMachines/extensions/read',
        doc: 'Installed VM extensions (`properties.publisher`, `type`, `provisioningState`).',
      },
    ],
  },
  {
    kind: kind('Microsoft.Compute/disks'),
    service: 'Microsoft.Compute',
    listPath: '/providers/Microsoft.Compute/disks',
    apiVersion: '2024-03-02',
    action: 'Microsoft.Compute/disks/read',
    doc: 'Managed disks (`properties.encryption.type`, `diskState`, `networkAccessPolicy`, `publicNetworkAccess`, `managedBy`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Web/sites'),
    service: 'Microsoft.Web',
    listPath: '/providers/Microsoft.Web/sites',
    apiVersion: WEB,
    action: 'Microsoft.Web/sites/Read',
    doc: 'App Service and Function apps (`properties.httpsOnly`, `clientCertEnabled`, `identity`).',
    subCalls: [
      {
        type: 'get',
        key: 'config',
        path: '/config/web',
        apiVersion: WEB,
        action: 'Microsoft.Web/sites/config/Read',
        doc: 'Site configuration (`properties.minTlsVersion`, `ftpsState`, `http20Enabled`, `remoteDebuggingEnabled`, `linuxFxVersion`, `phpVersion`, …).',
      },
      {
        type: 'get',
        key: 'authSettingsV2',
        path: '/config/authsettingsV2',
        apiVersion: WEB,
        action: 'Microsoft.Web/sites/config/Read',
        doc: 'App Service authentication, read without secrets (`properties.platform.enabled`, `globalValidation`).',
      },
    ],
  },
  {
    kind: kind('Microsoft.ContainerService/managedClusters'),
    service: 'Microsoft.ContainerService',
    listPath: '/providers/Microsoft.ContainerService/managedClusters',
    apiVersion: '2024-05-01',
    action: 'Microsoft.ContainerService/managedClusters/read',
    doc: 'AKS clusters (`properties.kubernetesVersion`, `enableRBAC`, `aadProfile`, `apiServerAccessProfile`, `networkProfile.networkPolicy`, `addonProfiles`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.ContainerRegistry/registries'),
    service: 'Microsoft.ContainerRegistry',
    listPath: '/providers/Microsoft.ContainerRegistry/registries',
    apiVersion: '2023-07-01',
    action: 'Microsoft.ContainerRegistry/registries/read',
    doc: 'Container registries (`properties.adminUserEnabled`, `publicNetworkAccess`, `networkRuleSet`).',
    subCalls: [],
  },
  {
    kind: kind('Microsoft.Cache/Redis'),
    service: 'Microsoft.Cache',
    listPath: '/providers/Microsoft.Cache/Redis',
    apiVersion: '2024-03-01',
    action: 'Microsoft.Cache/redis/read',
    doc: 'Azure Cache for Redis (`properties.enableNonSslPort`, `minimumTlsVersion`, `publicNetworkAccess`).',
    subCalls: [],
  },
];

/** The subscription itself: the anchor for subscription-level checks. */
export const SUBSCRIPTION = {
  kind: kind('Microsoft.Resources/subscriptions'),
  apiVersion: '2022-12-01',
  action: 'Microsoft.Resources/subscriptions/read',
  doc: 'The subscription (`displayName`, `state`, `subscriptionPolicies`), an anchor for subscription-level checks.',
} as const;

/** Role definitions referenced by assignments are read one by one (same action as the list). */
export const ROLE_DEFINITION_PREFIX = '/providers/Microsoft.Authorization/roleDefinitions/';

/** Every kind the collector can produce, in catalog order. */
export function azureKinds(): AzureKind[] {
  const out: AzureKind[] = [SUBSCRIPTION.kind];
  for (const t of RESOURCE_TYPES) {
    out.push(t.kind);
    for (const c of t.children ?? []) out.push(c.kind);
  }
  return out;
}
