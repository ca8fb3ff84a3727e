/**
 * Azure SQL (CIS Azure 2.1 section 4.1): server auditing and its retention, transparent data
 * encryption and its customer-managed protector, Entra ID administrators and firewall rules that
 * open the server to every Azure or Internet address. Server-level settings may be inline on the
 * server or separate resources that refer to it (found with ctx.referrers).
 */
import { num } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import { violation, type RuleContext } from '../../rule.js';
import { attr, blocksAt, known, lower, requireBool, show } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { AZURERM_DOCS, azureRule, cis } from '../shared/define.js';
import { ipv4 } from '../shared/network.js';
import { SQL_LIVE } from './live/sql.js';

const SERVERS = ['azurerm_mssql_server', 'azurerm_sql_server'];
const server = (type: string, body: string): string =>
  `resource "${type}" "sql" {\n  name                         = "sqlserver"\n  resource_group_name          = "rg"\n  location                     = "westeurope"\n  version                      = "12.0"\n  administrator_login          = "sqladmin"\n  administrator_login_password = var.sql_password\n${body}}\n`;

const AUDIT_POLICY = 'azurerm_mssql_server_extended_auditing_policy';

function audited(r: Resource, ctx: RuleContext): boolean {
  if (blocksAt(r.attrs, 'extended_auditing_policy').some(({ block }) => lower(block['enabled']) !== 'false')) return true;
  return ctx.referrers(r, `tf:${AUDIT_POLICY}`).some((p) => lower(p.attrs['enabled']) !== 'false');
}

export const sqlAuditingDisabled = azureRule({
  id: 'VGL-AZURE-015',
  live: SQL_LIVE.auditing,
  title: 'SQL server auditing is not enabled',
  description:
    'Without server-level auditing no record is kept of logins, queries or permission changes on any database of the server, so misuse cannot be detected or investigated.',
  severity: 'medium',
  service: 'sql',
  types: SERVERS,
  frameworks: [cis('4.1.1'), ...themes('logging')],
  remediation: 'Enable auditing for the server: an azurerm_mssql_server_extended_auditing_policy referring to it (or an inline extended_auditing_policy block on older providers).',
  fix: 'resource "azurerm_mssql_server_extended_auditing_policy" "audit" {\n  server_id                  = azurerm_mssql_server.sql.id\n  storage_endpoint           = azurerm_storage_account.audit.primary_blob_endpoint\n  storage_account_access_key = azurerm_storage_account.audit.primary_access_key\n  retention_in_days          = 90\n}',
  references: [`${AZURERM_DOCS}mssql_server_extended_auditing_policy`, 'https://learn.microsoft.com/azure/azure-sql/database/auditing-overview'],
  check(r, ctx) {
    return audited(r, ctx) ? [] : [violation(['extended_auditing_policy'], 'no auditing policy is configured for this server')];
  },
  bad: [{ text: server('azurerm_mssql_server', ''), lines: [1] }],
  good: [
    `${server('azurerm_mssql_server', '')}\nresource "azurerm_mssql_server_extended_auditing_policy" "audit" {\n  server_id         = azurerm_mssql_server.sql.id\n  retention_in_days = 90\n}\n`,
    server('azurerm_sql_server', '  extended_auditing_policy {\n    retention_in_days = 120\n  }\n'),
  ],
});

function shortRetention(days: unknown): boolean {
  const n = known(days) ? num(days) : undefined;
  return n !== undefined && n > 0 && n < 90;
}

export const sqlAuditRetention = azureRule({
  id: 'VGL-AZURE-016',
  live: SQL_LIVE.retention,
  title: 'SQL auditing keeps logs for less than 90 days',
  description: 'An audit retention_in_days between 1 and 89 deletes audit records before most incidents are even discovered (0 means keep forever).',
  severity: 'low',
  service: 'sql',
  types: [...SERVERS, AUDIT_POLICY, 'azurerm_mssql_database_extended_auditing_policy'],
  frameworks: [cis('4.1.6'), ...themes('retention')],
  remediation: 'Set retention_in_days to 90 or more, or 0 to keep audit logs indefinitely.',
  fix: 'resource "azurerm_mssql_server_extended_auditing_policy" "audit" {\n  # …\n  retention_in_days = 90\n}',
  references: [`${AZURERM_DOCS}mssql_server_extended_auditing_policy#retention_in_days`],
  check(r) {
    const found = SERVERS.includes(r.type) ? blocksAt(r.attrs, 'extended_auditing_policy') : [{ block: r.attrs, path: [] }];
    return found.flatMap(({ block, path }): Violation[] =>
      shortRetention(block['retention_in_days']) ? [violation([...path, 'retention_in_days'], `audit logs are kept for ${show(block['retention_in_days'])} days`)] : [],
    );
  },
  bad: [
    {
      text: 'resource "azurerm_mssql_server_extended_auditing_policy" "audit" {\n  server_id         = azurerm_mssql_server.sql.id\n  retention_in_days = 6\n}\n',
      lines: [3],
    },
  ],
  good: [
    'resource "azurerm_mssql_server_extended_auditing_policy" "audit" {\n  server_id         = azurerm_mssql_server.sql.id\n  retention_in_days = 0\n}\n',
    'resource "azurerm_mssql_server_extended_auditing_policy" "audit" {\n  server_id         = azurerm_mssql_server.sql.id\n  retention_in_days = 365\n}\n',
  ],
});

const database = (body: string): string => `resource "azurerm_mssql_database" "db" {\n  name      = "appdb"\n  server_id = azurerm_mssql_server.sql.id\n${body}}\n`;

export const sqlDatabaseTdeDisabled = azureRule({
  id: 'VGL-AZURE-017',
  live: SQL_LIVE.tde,
  title: 'SQL database transparent data encryption is disabled',
  description: 'With transparent_data_encryption_enabled = false the database files, backups and logs are stored unencrypted.',
  severity: 'high',
  service: 'sql',
  types: ['azurerm_mssql_database'],
  frameworks: [cis('4.1.5'), ...themes('atRest')],
  remediation: 'Remove transparent_data_encryption_enabled or set it to true (the default).',
  fix: 'resource "azurerm_mssql_database" "db" {\n  # …\n  transparent_data_encryption_enabled = true\n}',
  references: [`${AZURERM_DOCS}mssql_database#transparent_data_encryption_enabled`],
  check(r) {
    return requireBool(r, ['transparent_data_encryption_enabled'], true, true, 'the database is stored unencrypted');
  },
  bad: [{ text: database('  transparent_data_encryption_enabled = false\n'), lines: [4] }],
  good: [database(''), database('  transparent_data_encryption_enabled = true\n')],
});

const ANY = ipv4('0.0.0.0')!;
const ALL = ipv4('255.255.255.255')!;

/** What a firewall range opens, or undefined when it is narrower than all Azure / all Internet. */
export function openRange(start: unknown, end: unknown): string | undefined {
  const s = ipv4(start);
  const e = ipv4(end);
  if (s !== ANY || e === undefined) return undefined;
  if (e === ANY) return 'every Azure service, including other customers\' resources (0.0.0.0 - 0.0.0.0)';
  return e === ALL ? 'every Internet address (0.0.0.0 - 255.255.255.255)' : undefined;
}

const SQL_FIREWALLS = ['azurerm_mssql_firewall_rule', 'azurerm_sql_firewall_rule'];
const fw = (type: string, server: string, start: string, end: string): string =>
  `resource "${type}" "fw" {\n  name             = "fw"\n  ${server}\n  start_ip_address = "${start}"\n  end_ip_address   = "${end}"\n}\n`;

export const sqlFirewallOpen = azureRule({
  id: 'VGL-AZURE-018',
  live: SQL_LIVE.firewall,
  title: 'SQL server firewall allows all Azure or Internet addresses',
  description:
    'A firewall rule from 0.0.0.0 to 255.255.255.255 admits every Internet address; 0.0.0.0 to 0.0.0.0 ("Allow Azure services") admits every Azure resource, including those of other tenants. Either leaves only the login between attackers and the data.',
  severity: 'high',
  service: 'sql',
  types: SQL_FIREWALLS,
  frameworks: [cis('4.1.2'), ...themes('network')],
  remediation: 'Replace the rule with the specific addresses that need access, or use virtual network rules or private endpoints.',
  fix: 'resource "azurerm_mssql_firewall_rule" "office" {\n  name             = "office"\n  server_id        = azurerm_mssql_server.sql.id\n  start_ip_address = "203.0.113.0"\n  end_ip_address   = "203.0.113.255"\n}',
  references: [`${AZURERM_DOCS}mssql_firewall_rule`, 'https://learn.microsoft.com/azure/azure-sql/database/firewall-configure'],
  check(r) {
    const open = openRange(attr(r, ['start_ip_address']), attr(r, ['end_ip_address']));
    return open === undefined ? [] : [violation([], `the firewall rule admits ${open}`)];
  },
  bad: [
    { text: fw('azurerm_mssql_firewall_rule', 'server_id        = azurerm_mssql_server.sql.id', '0.0.0.0', '255.255.255.255'), lines: [1] },
    { text: fw('azurerm_sql_firewall_rule', 'server_name      = "sqlserver"', '0.0.0.0', '0.0.0.0'), lines: [1] },
  ],
  good: [fw('azurerm_mssql_firewall_rule', 'server_id        = azurerm_mssql_server.sql.id', '203.0.113.0', '203.0.113.255')],
});

const AD_ADMIN = 'azurerm_sql_active_directory_administrator';

function hasAdAdmin(r: Resource, ctx: RuleContext): boolean {
  if (blocksAt(r.attrs, 'azuread_administrator').length > 0) return true;
  if (ctx.referrers(r, `tf:${AD_ADMIN}`).length > 0) return true;
  // The administrator may name the server by a literal rather than a reference.
  const name = attr(r, ['name']);
  return !known(name) || ctx.byKind(`tf:${AD_ADMIN}`).some((a) => a.attrs['server_name'] === name || !known(a.attrs['server_name']));
}

export const sqlNoEntraAdmin = azureRule({
  id: 'VGL-AZURE-019',
  live: SQL_LIVE.entraAdmin,
  title: 'SQL server has no Microsoft Entra ID administrator',
  description:
    'Without an Entra ID (Azure AD) administrator the server only supports SQL logins: passwords managed per server, no MFA, no central revocation when people leave.',
  severity: 'medium',
  service: 'sql',
  types: SERVERS,
  frameworks: [cis('4.1.4'), ...themes('authn')],
  remediation: 'Configure an Entra ID administrator (azuread_administrator block on azurerm_mssql_server, or azurerm_sql_active_directory_administrator for azurerm_sql_server).',
  fix: 'resource "azurerm_mssql_server" "sql" {\n  # …\n  azuread_administrator {\n    login_username = "sql-admins"\n    object_id      = var.sql_admins_group_id\n  }\n}',
  references: [`${AZURERM_DOCS}mssql_server#azuread_administrator`, `${AZURERM_DOCS}sql_active_directory_administrator`],
  check(r, ctx) {
    return hasAdAdmin(r, ctx) ? [] : [violation(['azuread_administrator'], 'no Entra ID administrator is configured for this server')];
  },
  bad: [{ text: server('azurerm_mssql_server', ''), lines: [1] }],
  good: [
    server('azurerm_mssql_server', '  azuread_administrator {\n    login_username = "sql-admins"\n    object_id      = "00000000-0000-0000-0000-000000000000"\n  }\n'),
    `${server('azurerm_sql_server', '')}\nresource "azurerm_sql_active_directory_administrator" "admin" {\n  server_name         = "sqlserver"\n  resource_group_name = "rg"\n  login               = "sql-admins"\n  tenant_id           = "00000000-0000-0000-0000-000000000000"\n  object_id           = "00000000-0000-0000-0000-000000000000"\n}\n`,
  ],
});

/** Server type → the separate resources that set a customer-managed key for it. */
const CMK_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  azurerm_mssql_server: ['azurerm_mssql_server_transparent_data_encryption'],
  azurerm_mysql_server: ['azurerm_mysql_server_key'],
  azurerm_postgresql_server: ['azurerm_postgresql_server_key'],
};

function hasCustomerKey(r: Resource, ctx: RuleContext): boolean {
  if (attr(r, ['transparent_data_encryption_key_vault_key_id']) !== undefined) return true;
  if (blocksAt(r.attrs, 'customer_managed_key').length > 0) return true;
  return (CMK_RESOURCES[r.type] ?? []).some((t) =>
    ctx.referrers(r, `tf:${t}`).some((k) => t !== 'azurerm_mssql_server_transparent_data_encryption' || k.attrs['key_vault_key_id'] !== undefined || k.attrs['managed_hsm_key_id'] !== undefined),
  );
}

export const dbServerWithoutCmk = azureRule({
  id: 'VGL-AZURE-020',
  live: SQL_LIVE.cmk,
  title: 'Database server data is not encrypted with a customer-managed key',
  description:
    'The server encrypts data with a Microsoft-managed key, so the organisation cannot revoke access to the data by disabling its key, rotate it on its own schedule or prove key custody.',
  severity: 'low',
  service: 'sql',
  types: ['azurerm_mssql_server', 'azurerm_mysql_server', 'azurerm_postgresql_server'],
  frameworks: [cis('4.1.3'), ...themes('atRest', 'keys')],
  remediation:
    'Use a Key Vault key as the encryption protector: azurerm_mssql_server_transparent_data_encryption with key_vault_key_id, azurerm_mysql_server_key or azurerm_postgresql_server_key.',
  fix: 'resource "azurerm_mssql_server_transparent_data_encryption" "tde" {\n  server_id        = azurerm_mssql_server.sql.id\n  key_vault_key_id = azurerm_key_vault_key.tde.id\n}',
  references: [`${AZURERM_DOCS}mssql_server_transparent_data_encryption`, `${AZURERM_DOCS}mysql_server_key`, `${AZURERM_DOCS}postgresql_server_key`],
  check(r, ctx) {
    return hasCustomerKey(r, ctx) ? [] : [violation([], 'no customer-managed key protects this server\'s data')];
  },
  bad: [{ text: server('azurerm_mssql_server', ''), lines: [1] }],
  good: [
    `${server('azurerm_mssql_server', '')}\nresource "azurerm_mssql_server_transparent_data_encryption" "tde" {\n  server_id        = azurerm_mssql_server.sql.id\n  key_vault_key_id = azurerm_key_vault_key.tde.id\n}\n`,
  ],
});

const assessment = (scans: string): string =>
  `resource "azurerm_mssql_server_vulnerability_assessment" "va" {\n  server_security_alert_policy_id = azurerm_mssql_server_security_alert_policy.alerts.id\n  storage_container_path          = "https://examplesa.blob.core.windows.net/va/"\n${scans}}\n`;

export const sqlVaNoRecurringScans = azureRule({
  id: 'VGL-AZURE-058',
  live: SQL_LIVE.vaScans,
  title: 'SQL vulnerability assessment does not scan periodically',
  description: 'A vulnerability assessment without recurring_scans { enabled = true } only runs when started by hand, so new misconfigurations and missing patches go unnoticed.',
  severity: 'low',
  service: 'sql',
  types: ['azurerm_mssql_server_vulnerability_assessment'],
  frameworks: [cis('4.2.3'), ...themes('monitoring')],
  remediation: 'Add recurring_scans { enabled = true } with e-mail recipients for the reports.',
  fix: 'resource "azurerm_mssql_server_vulnerability_assessment" "va" {\n  # …\n  recurring_scans {\n    enabled                   = true\n    email_subscription_admins = true\n    emails                    = ["security@example.com"]\n  }\n}',
  references: [`${AZURERM_DOCS}mssql_server_vulnerability_assessment#recurring_scans`],
  check(r) {
    const scans = blocksAt(r.attrs, 'recurring_scans');
    if (scans.length === 0) return [violation(['recurring_scans'], 'no recurring scans are configured')];
    return scans.flatMap(({ block, path }) => {
      const v = block['enabled'];
      if (v === undefined || v === null) return [violation([...path, 'enabled'], 'recurring scans are not enabled')];
      return known(v) && lower(v) !== 'true' ? [violation([...path, 'enabled'], 'recurring scans are disabled')] : [];
    });
  },
  bad: [
    { text: assessment(''), lines: [1] },
    { text: assessment('  recurring_scans {\n    enabled = false\n  }\n'), lines: [5] },
  ],
  good: [assessment('  recurring_scans {\n    enabled = true\n    emails  = ["security@example.com"]\n  }\n')],
});

export const SQL_RULES = [sqlAuditingDisabled, sqlAuditRetention, sqlDatabaseTdeDisabled, sqlFirewallOpen, sqlNoEntraAdmin, dbServerWithoutCmk, sqlVaNoRecurringScans];
