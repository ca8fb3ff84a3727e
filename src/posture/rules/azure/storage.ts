/**
 * Azure Storage accounts and containers: anonymous blob access, secure transfer, minimum TLS
 * version and the default network rule (CIS Azure 2.1 section 3).
 */
import { violation } from '../../rule.js';
import { attr, blocksAt, forbidValues, known, lower, requireBool } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { AZURERM_DOCS, azureRule, cis } from '../shared/define.js';
import { CONTAINER_LIVE, STORAGE_LIVE } from './live/storage.js';

const ACCOUNT = 'azurerm_storage_account';
const acct = (body: string): string =>
  `resource "azurerm_storage_account" "sa" {\n  name                     = "examplesa"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n${body}}\n`;

export const storagePublicBlobAccess = azureRule({
  id: 'VGL-AZURE-001',
  live: STORAGE_LIVE.publicBlob,
  title: 'Storage account allows anonymous access to blobs',
  description:
    'When allow_nested_items_to_be_public (allow_blob_public_access before azurerm 3.0) is true, any container in the account can be made readable by anyone on the Internet without credentials. The azurerm 3.x and 4.x providers default it to true.',
  severity: 'high',
  service: 'storage',
  types: [ACCOUNT],
  frameworks: [cis('3.17'), ...themes('publicData')],
  remediation: 'Set allow_nested_items_to_be_public = false on the storage account; share data with SAS tokens or Entra ID roles instead.',
  fix: 'resource "azurerm_storage_account" "sa" {\n  # …\n  allow_nested_items_to_be_public = false\n}',
  references: [`${AZURERM_DOCS}storage_account#allow_nested_items_to_be_public`, 'https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent'],
  check(r) {
    const what = 'containers in this account can be made publicly readable';
    if (attr(r, ['allow_nested_items_to_be_public']) !== undefined) return requireBool(r, ['allow_nested_items_to_be_public'], false, undefined, what);
    if (attr(r, ['allow_blob_public_access']) !== undefined) return requireBool(r, ['allow_blob_public_access'], false, undefined, what);
    return [violation(['allow_nested_items_to_be_public'], `allow_nested_items_to_be_public is not set and defaults to true: ${what}`)];
  },
  bad: [
    { text: acct('  allow_nested_items_to_be_public = true\n'), lines: [7] },
    { text: acct(''), lines: [1] },
  ],
  good: [acct('  allow_nested_items_to_be_public = false\n'), acct('  allow_blob_public_access = false\n')],
});

export const storageContainerPublic = azureRule({
  id: 'VGL-AZURE-002',
  live: CONTAINER_LIVE,
  title: 'Storage container is publicly readable',
  description:
    'A container_access_type of "blob" lets anyone read its blobs by URL; "container" also lets anyone list them. Neither needs credentials.',
  severity: 'high',
  service: 'storage',
  types: ['azurerm_storage_container'],
  frameworks: [cis('3.17'), ...themes('publicData')],
  remediation: 'Set container_access_type = "private" (the default) and grant access with SAS tokens or Entra ID roles.',
  fix: 'resource "azurerm_storage_container" "c" {\n  name                  = "data"\n  storage_account_id    = azurerm_storage_account.sa.id\n  container_access_type = "private"\n}',
  references: [`${AZURERM_DOCS}storage_container#container_access_type`],
  check(r) {
    return forbidValues(r, ['container_access_type'], ['blob', 'container'], 'anonymous clients can read this container');
  },
  bad: [
    {
      text: 'resource "azurerm_storage_container" "c" {\n  name                  = "data"\n  storage_account_name  = "examplesa"\n  container_access_type = "container"\n}\n',
      lines: [4],
    },
  ],
  good: [
    'resource "azurerm_storage_container" "c" {\n  name                  = "data"\n  storage_account_name  = "examplesa"\n  container_access_type = "private"\n}\n',
    'resource "azurerm_storage_container" "c" {\n  name                 = "data"\n  storage_account_name = "examplesa"\n}\n',
  ],
});

export const storageHttpsOnly = azureRule({
  id: 'VGL-AZURE-003',
  live: STORAGE_LIVE.httpsOnly,
  title: 'Storage account accepts unencrypted HTTP',
  description:
    'With secure transfer disabled (enable_https_traffic_only, https_traffic_only_enabled in azurerm 4.x, set to false) the account accepts requests over plain HTTP and SMB without encryption, exposing data and shared keys on the wire.',
  severity: 'high',
  service: 'storage',
  types: [ACCOUNT],
  frameworks: [cis('3.1'), ...themes('transit')],
  remediation: 'Leave secure transfer required on: remove the attribute or set it to true.',
  fix: 'resource "azurerm_storage_account" "sa" {\n  # …\n  https_traffic_only_enabled = true # enable_https_traffic_only before azurerm 4.0\n}',
  references: [`${AZURERM_DOCS}storage_account#https_traffic_only_enabled`, 'https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer'],
  check(r) {
    const what = 'the account accepts unencrypted requests';
    return [
      ...requireBool(r, ['enable_https_traffic_only'], true, true, what),
      ...requireBool(r, ['https_traffic_only_enabled'], true, true, what),
    ];
  },
  bad: [
    { text: acct('  enable_https_traffic_only = false\n'), lines: [7] },
    { text: acct('  https_traffic_only_enabled = false\n'), lines: [7] },
  ],
  good: [acct(''), acct('  https_traffic_only_enabled = true\n')],
});

export const storageMinTls = azureRule({
  id: 'VGL-AZURE-004',
  live: STORAGE_LIVE.minTls,
  title: 'Storage account accepts TLS older than 1.2',
  description: 'A min_tls_version of TLS1_0 or TLS1_1 lets clients negotiate deprecated protocol versions with known weaknesses.',
  severity: 'medium',
  service: 'storage',
  types: [ACCOUNT],
  frameworks: [cis('3.15'), ...themes('transit')],
  remediation: 'Set min_tls_version = "TLS1_2" (the default since azurerm 3.0).',
  fix: 'resource "azurerm_storage_account" "sa" {\n  # …\n  min_tls_version = "TLS1_2"\n}',
  references: [`${AZURERM_DOCS}storage_account#min_tls_version`],
  check(r) {
    return forbidValues(r, ['min_tls_version'], ['tls1_0', 'tls1_1'], 'clients may use TLS versions before 1.2');
  },
  bad: [{ text: acct('  min_tls_version = "TLS1_0"\n'), lines: [7] }],
  good: [acct(''), acct('  min_tls_version = "TLS1_2"\n')],
});

const RULES_TYPE = 'azurerm_storage_account_network_rules';

export const storageDefaultNetworkAllow = azureRule({
  id: 'VGL-AZURE-005',
  live: STORAGE_LIVE.defaultAllow,
  title: 'Storage account accepts traffic from any network',
  description:
    'A storage account reachable over its public endpoint whose network rules do not default to Deny (or that has no network rules at all) accepts connections from every network; only keys or tokens stand between the Internet and the data.',
  severity: 'medium',
  service: 'storage',
  types: [ACCOUNT, RULES_TYPE],
  frameworks: [cis('3.8'), ...themes('network')],
  remediation:
    'Add network rules with default_action = "Deny" and allow only the required subnets and addresses (or disable public network access and use private endpoints).',
  fix: 'resource "azurerm_storage_account" "sa" {\n  # …\n  network_rules {\n    default_action             = "Deny"\n    bypass                     = ["AzureServices"]\n    virtual_network_subnet_ids = [azurerm_subnet.app.id]\n  }\n}',
  references: [`${AZURERM_DOCS}storage_account#network_rules`, `${AZURERM_DOCS}storage_account_network_rules`],
  check(r, ctx) {
    const what = 'connections from any network are accepted';
    if (r.type === RULES_TYPE) return forbidValues(r, ['default_action'], ['allow'], what);
    const inline = blocksAt(r.attrs, 'network_rules');
    if (inline.length > 0) return inline.flatMap(({ block, path }) => (lower(block['default_action']) === 'allow' ? [violation([...path, 'default_action'], `default_action is "Allow": ${what}`)] : []));
    if (ctx.referrers(r, `tf:${RULES_TYPE}`).length > 0) return [];
    const pna = attr(r, ['public_network_access_enabled']);
    if (pna !== undefined && (!known(pna) || lower(pna) === 'false')) return [];
    return [violation(['public_network_access_enabled'], `public network access is enabled and no network rules restrict it: ${what}`)];
  },
  bad: [
    { text: acct('  network_rules {\n    default_action = "Allow"\n  }\n'), lines: [8] },
    { text: acct(''), lines: [1] },
  ],
  good: [
    acct('  network_rules {\n    default_action = "Deny"\n    ip_rules       = ["203.0.113.10"]\n  }\n'),
    acct('  public_network_access_enabled = false\n'),
    `${acct('')}\nresource "azurerm_storage_account_network_rules" "r" {\n  storage_account_id = azurerm_storage_account.sa.id\n  default_action     = "Deny"\n}\n`,
  ],
});

export const STORAGE_RULES = [storagePublicBlobAccess, storageContainerPublic, storageHttpsOnly, storageMinTls, storageDefaultNetworkAllow];
