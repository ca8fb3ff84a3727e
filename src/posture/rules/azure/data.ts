/**
 * Azure Cache for Redis and Cosmos DB: firewall rules admitting public addresses, the non-TLS
 * port, minimum TLS and Cosmos DB accounts open to every network (CIS Azure 2.1 4.5.1).
 */
import { violation } from '../../rule.js';
import { attr, blocksAt, forbidValues, known, lower, requireBool, show } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { AZURERM_DOCS, azureRule, cis } from '../shared/define.js';
import { ipv4, isPrivateRange } from '../shared/network.js';
import { COMPUTE_LIVE } from './live/compute.js';

const fw = (start: string, end: string): string =>
  `resource "azurerm_redis_firewall_rule" "fw" {\n  name                = "fw"\n  redis_cache_name    = "cache"\n  resource_group_name = "rg"\n  start_ip            = "${start}"\n  end_ip              = "${end}"\n}\n`;

export const redisFirewallPublic = azureRule({
  id: 'VGL-AZURE-047',
  title: 'Redis firewall rule admits public addresses',
  description:
    'A Redis firewall rule whose range is not inside a private (RFC 1918) network opens the cache to Internet addresses; 0.0.0.0 rules admit anything. Redis is a frequent target for data theft and remote code execution through exposed instances.',
  severity: 'high',
  service: 'redis',
  types: ['azurerm_redis_firewall_rule'],
  frameworks: themes('network'),
  remediation: 'Limit the rule to the private ranges of the clients, or reach the cache through a private endpoint with public network access disabled.',
  fix: 'resource "azurerm_redis_firewall_rule" "app" {\n  # …\n  start_ip = "10.0.1.4"\n  end_ip   = "10.0.1.20"\n}',
  references: [`${AZURERM_DOCS}redis_firewall_rule`],
  check(r) {
    const start = ipv4(attr(r, ['start_ip']));
    const end = ipv4(attr(r, ['end_ip']));
    if (start === undefined || end === undefined || isPrivateRange(start, end)) return [];
    return [violation(['start_ip'], `the range ${show(attr(r, ['start_ip']))} - ${show(attr(r, ['end_ip']))} includes public addresses`)];
  },
  bad: [
    { text: fw('0.0.0.0', '0.0.0.0'), lines: [5] },
    { text: fw('1.2.3.4', '2.3.4.5'), lines: [5] },
  ],
  good: [fw('10.2.3.4', '10.3.4.5')],
});

const redis = (body: string): string =>
  `resource "azurerm_redis_cache" "cache" {\n  name                = "cache"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  capacity            = 1\n  family              = "C"\n  sku_name            = "Standard"\n${body}}\n`;

export const redisNonTlsPort = azureRule({
  id: 'VGL-AZURE-048',
  live: COMPUTE_LIVE.redisNonSsl,
  title: 'Redis cache accepts unencrypted connections',
  description: 'The non-TLS port (6379) lets clients send the access key and data in clear text.',
  severity: 'medium',
  service: 'redis',
  types: ['azurerm_redis_cache'],
  frameworks: themes('transit'),
  remediation: 'Set non_ssl_port_enabled = false (enable_non_ssl_port before azurerm 4.0); it is the default.',
  fix: 'resource "azurerm_redis_cache" "cache" {\n  # …\n  non_ssl_port_enabled = false\n  minimum_tls_version  = "1.2"\n}',
  references: [`${AZURERM_DOCS}redis_cache#non_ssl_port_enabled`],
  check(r) {
    const what = 'the cache accepts connections on the non-TLS port';
    return [...requireBool(r, ['enable_non_ssl_port'], false, false, what), ...requireBool(r, ['non_ssl_port_enabled'], false, false, what)];
  },
  bad: [{ text: redis('  enable_non_ssl_port = true\n'), lines: [8] }],
  good: [redis(''), redis('  non_ssl_port_enabled = false\n')],
});

export const redisMinTls = azureRule({
  id: 'VGL-AZURE-049',
  live: COMPUTE_LIVE.redisTls,
  title: 'Redis cache accepts TLS older than 1.2',
  description: 'minimum_tls_version "1.0" or "1.1" lets clients negotiate deprecated TLS versions.',
  severity: 'medium',
  service: 'redis',
  types: ['azurerm_redis_cache'],
  frameworks: themes('transit'),
  remediation: 'Set minimum_tls_version = "1.2" (the default since azurerm 3.0).',
  fix: 'resource "azurerm_redis_cache" "cache" {\n  # …\n  minimum_tls_version = "1.2"\n}',
  references: [`${AZURERM_DOCS}redis_cache#minimum_tls_version`],
  check: (r) => forbidValues(r, ['minimum_tls_version'], ['1.0', '1.1'], 'clients may use TLS versions before 1.2'),
  bad: [{ text: redis('  minimum_tls_version = "1.0"\n'), lines: [8] }],
  good: [redis('  minimum_tls_version = "1.2"\n')],
});

const cosmos = (body: string): string =>
  `resource "azurerm_cosmosdb_account" "db" {\n  name                = "cosmos"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  offer_type          = "Standard"\n${body}}\n`;

function nonEmpty(v: unknown): boolean {
  if (!known(v)) return v !== undefined && v !== null;
  return Array.isArray(v) ? v.length > 0 : typeof v === 'string' && v.trim() !== '';
}

export const cosmosAllNetworks = azureRule({
  id: 'VGL-AZURE-050',
  live: COMPUTE_LIVE.cosmosNetwork,
  title: 'Cosmos DB account accepts connections from all networks',
  description:
    'A Cosmos DB account with public network access and neither an IP range filter nor virtual network rules accepts requests from any address; only the account keys protect the data.',
  severity: 'high',
  service: 'cosmos-db',
  types: ['azurerm_cosmosdb_account'],
  frameworks: [cis('4.5.1'), ...themes('network')],
  remediation: 'Set ip_range_filter to the client addresses, add virtual_network_rule blocks with is_virtual_network_filter_enabled = true, or disable public network access.',
  fix: 'resource "azurerm_cosmosdb_account" "db" {\n  # …\n  ip_range_filter                   = ["203.0.113.10"]\n  is_virtual_network_filter_enabled = true\n  virtual_network_rule {\n    id = azurerm_subnet.app.id\n  }\n}',
  references: [`${AZURERM_DOCS}cosmosdb_account#ip_range_filter`, 'https://learn.microsoft.com/azure/cosmos-db/how-to-configure-firewall'],
  check(r) {
    const pna = attr(r, ['public_network_access_enabled']);
    if (pna !== undefined && (!known(pna) || lower(pna) === 'false')) return [];
    if (nonEmpty(attr(r, ['ip_range_filter']))) return [];
    const vnet = attr(r, ['is_virtual_network_filter_enabled']);
    if ((lower(vnet) === 'true' || (vnet !== undefined && !known(vnet))) && blocksAt(r.attrs, 'virtual_network_rule').length > 0) return [];
    return [violation(['ip_range_filter'], 'no IP range filter or virtual network rule restricts access')];
  },
  bad: [{ text: cosmos('  is_virtual_network_filter_enabled = true\n'), lines: [1] }],
  good: [cosmos('  ip_range_filter = ["203.0.113.10"]\n'), cosmos('  public_network_access_enabled = false\n')],
});

const workspace = (body: string): string =>
  `resource "azurerm_databricks_workspace" "dbw" {\n  name                = "dbw"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  sku                 = "premium"\n${body}}\n`;

export const databricksRootCmk = azureRule({
  id: 'VGL-AZURE-057',
  title: 'Databricks workspace root storage is not encrypted with a customer-managed key',
  description:
    'Without customer_managed_key_enabled and an azurerm_databricks_workspace_root_dbfs_customer_managed_key, the workspace\'s root DBFS storage (libraries, notebooks results, temporary data) is encrypted only with a Microsoft-managed key.',
  severity: 'low',
  service: 'databricks',
  types: ['azurerm_databricks_workspace'],
  frameworks: themes('atRest', 'keys'),
  remediation: 'Set customer_managed_key_enabled = true and add an azurerm_databricks_workspace_root_dbfs_customer_managed_key with a Key Vault key.',
  fix: 'resource "azurerm_databricks_workspace_root_dbfs_customer_managed_key" "dbfs" {\n  workspace_id     = azurerm_databricks_workspace.dbw.id\n  key_vault_key_id = azurerm_key_vault_key.dbfs.id\n}',
  references: [`${AZURERM_DOCS}databricks_workspace_root_dbfs_customer_managed_key`],
  check(r, ctx) {
    if (ctx.referrers(r, 'tf:azurerm_databricks_workspace_root_dbfs_customer_managed_key').length > 0) return [];
    return [violation(['customer_managed_key_enabled'], 'the root DBFS storage uses a Microsoft-managed key')];
  },
  bad: [{ text: workspace(''), lines: [1] }],
  good: [
    `${workspace('  customer_managed_key_enabled = true\n')}\nresource "azurerm_databricks_workspace_root_dbfs_customer_managed_key" "dbfs" {\n  workspace_id     = azurerm_databricks_workspace.dbw.id\n  key_vault_key_id = azurerm_key_vault_key.dbfs.id\n}\n`,
  ],
});

export const DATA_RULES = [redisFirewallPublic, redisNonTlsPort, redisMinTls, cosmosAllNetworks, databricksRootCmk];
