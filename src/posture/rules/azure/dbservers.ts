/**
 * Azure Database for PostgreSQL, MySQL and MariaDB (CIS Azure 2.1 sections 4.3 and 4.4): TLS
 * enforcement, firewall rules open to all Azure or Internet addresses, geo-redundant backups,
 * threat detection and the PostgreSQL logging server parameters.
 */
import { num } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import { violation, type Rule, type RuleContext } from '../../rule.js';
import { attr, blocksAt, forbidValues, known, lower, requireBool } from '../shared/attrs.js';
import { themes, type Theme } from '../shared/controls.js';
import { AZURERM_DOCS, azureRule, cis } from '../shared/define.js';
import { openRange } from './sql.js';
import { DB_LIVE } from './live/dbservers.js';
import type { LiveSpec } from '../shared/live.js';
import { SQL_LIVE } from './live/sql.js';

const SINGLE = ['azurerm_postgresql_server', 'azurerm_mysql_server', 'azurerm_mariadb_server'];
const pg = (body: string): string =>
  `resource "azurerm_postgresql_server" "pg" {\n  name                         = "pg"\n  location                     = "westeurope"\n  resource_group_name          = "rg"\n  sku_name                     = "GP_Gen5_4"\n  version                      = "11"\n  administrator_login          = "pgadmin"\n  administrator_login_password = var.pg_password\n${body}}\n`;

export const dbSslNotEnforced = azureRule({
  id: 'VGL-AZURE-021',
  live: DB_LIVE.ssl,
  title: 'Database server does not enforce TLS connections',
  description:
    'With ssl_enforcement_enabled = false (ssl_enforcement = "Disabled" on old providers) PostgreSQL, MySQL and MariaDB servers accept unencrypted client connections, exposing credentials and query results on the network.',
  severity: 'high',
  service: 'database',
  types: SINGLE,
  frameworks: [cis('4.3.1'), cis('4.4.1'), ...themes('transit')],
  remediation: 'Set ssl_enforcement_enabled = true.',
  fix: 'resource "azurerm_postgresql_server" "pg" {\n  # …\n  ssl_enforcement_enabled          = true\n  ssl_minimal_tls_version_enforced = "TLS1_2"\n}',
  references: [`${AZURERM_DOCS}postgresql_server#ssl_enforcement_enabled`, `${AZURERM_DOCS}mysql_server#ssl_enforcement_enabled`],
  check(r) {
    return [
      ...requireBool(r, ['ssl_enforcement_enabled'], true, undefined, 'clients may connect without TLS'),
      ...forbidValues(r, ['ssl_enforcement'], ['disabled'], 'clients may connect without TLS'),
    ];
  },
  bad: [{ text: pg('  ssl_enforcement_enabled      = false\n'), lines: [9] }],
  good: [pg('  ssl_enforcement_enabled      = true\n')],
});

export const dbMinTls = azureRule({
  id: 'VGL-AZURE-022',
  live: DB_LIVE.minTls,
  title: 'Database server accepts TLS older than 1.2',
  description: 'ssl_minimal_tls_version_enforced of TLS1_0, TLS1_1 or TLSEnforcementDisabled lets clients use deprecated TLS versions.',
  severity: 'medium',
  service: 'database',
  types: ['azurerm_postgresql_server', 'azurerm_mysql_server'],
  frameworks: [cis('4.4.2'), ...themes('transit')],
  remediation: 'Set ssl_minimal_tls_version_enforced = "TLS1_2" (the default).',
  fix: 'resource "azurerm_mysql_server" "db" {\n  # …\n  ssl_minimal_tls_version_enforced = "TLS1_2"\n}',
  references: [`${AZURERM_DOCS}mysql_server#ssl_minimal_tls_version_enforced`],
  check(r) {
    return forbidValues(r, ['ssl_minimal_tls_version_enforced'], ['tls1_0', 'tls1_1', 'tlsenforcementdisabled'], 'clients may use TLS versions before 1.2');
  },
  bad: [{ text: pg('  ssl_enforcement_enabled          = true\n  ssl_minimal_tls_version_enforced = "TLS1_1"\n'), lines: [10] }],
  good: [pg('  ssl_enforcement_enabled          = true\n  ssl_minimal_tls_version_enforced = "TLS1_2"\n')],
});

const DB_FIREWALLS = [
  'azurerm_postgresql_firewall_rule',
  'azurerm_postgresql_flexible_server_firewall_rule',
  'azurerm_mysql_firewall_rule',
  'azurerm_mysql_flexible_server_firewall_rule',
  'azurerm_mariadb_firewall_rule',
];

export const dbFirewallOpen = azureRule({
  id: 'VGL-AZURE-023',
  live: DB_LIVE.firewall,
  title: 'Database server firewall allows all Azure or Internet addresses',
  description:
    'A PostgreSQL, MySQL or MariaDB firewall rule from 0.0.0.0 to 255.255.255.255 admits every Internet address; 0.0.0.0 to 0.0.0.0 ("Allow access to Azure services") admits every Azure resource, including those of other tenants.',
  severity: 'high',
  service: 'database',
  types: DB_FIREWALLS,
  frameworks: [cis('4.3.7'), ...themes('network')],
  remediation: 'Replace the rule with the specific addresses that need access, or use virtual network rules or private access.',
  fix: 'resource "azurerm_postgresql_flexible_server_firewall_rule" "office" {\n  name             = "office"\n  server_id        = azurerm_postgresql_flexible_server.pg.id\n  start_ip_address = "203.0.113.0"\n  end_ip_address   = "203.0.113.255"\n}',
  references: [`${AZURERM_DOCS}postgresql_firewall_rule`, `${AZURERM_DOCS}mysql_flexible_server_firewall_rule`],
  check(r) {
    const open = openRange(attr(r, ['start_ip_address']), attr(r, ['end_ip_address']));
    return open === undefined ? [] : [violation([], `the firewall rule admits ${open}`)];
  },
  bad: [
    {
      text: 'resource "azurerm_postgresql_firewall_rule" "azure" {\n  name                = "AllowAllWindowsAzureIps"\n  resource_group_name = "rg"\n  server_name         = "pg"\n  start_ip_address    = "0.0.0.0"\n  end_ip_address      = "0.0.0.0"\n}\n',
      lines: [1],
    },
  ],
  good: [
    'resource "azurerm_postgresql_firewall_rule" "office" {\n  name                = "office"\n  resource_group_name = "rg"\n  server_name         = "pg"\n  start_ip_address    = "203.0.113.0"\n  end_ip_address      = "203.0.113.255"\n}\n',
  ],
});

export const dbGeoBackup = azureRule({
  id: 'VGL-AZURE-024',
  live: DB_LIVE.geoBackup,
  title: 'Database server backups are not geo-redundant',
  description:
    'geo_redundant_backup_enabled defaults to false: backups stay in the server\'s region, so a regional outage or disaster loses the server and its backups together.',
  severity: 'low',
  service: 'database',
  types: [...SINGLE, 'azurerm_postgresql_flexible_server', 'azurerm_mysql_flexible_server'],
  frameworks: themes('backup'),
  remediation: 'Set geo_redundant_backup_enabled = true (it can only be set when the server is created).',
  fix: 'resource "azurerm_mariadb_server" "db" {\n  # …\n  geo_redundant_backup_enabled = true\n}',
  references: [`${AZURERM_DOCS}mariadb_server#geo_redundant_backup_enabled`, `${AZURERM_DOCS}postgresql_flexible_server#geo_redundant_backup_enabled`],
  check(r) {
    return requireBool(r, ['geo_redundant_backup_enabled'], true, false, 'backups are kept in one region only');
  },
  bad: [
    { text: pg(''), lines: [1] },
    { text: pg('  geo_redundant_backup_enabled = false\n'), lines: [9] },
  ],
  good: [pg('  geo_redundant_backup_enabled = true\n')],
});

/** Databases whose threat detection is a separate alert-policy resource, and its state attribute. */
const ALERT_POLICIES: Readonly<Record<string, { readonly type: string; readonly state: string }>> = {
  azurerm_mssql_server: { type: 'azurerm_mssql_server_security_alert_policy', state: 'state' },
  azurerm_synapse_sql_pool: { type: 'azurerm_synapse_sql_pool_security_alert_policy', state: 'policy_state' },
};

function threatDetection(r: Resource, ctx: RuleContext): Violation[] {
  const separate = ALERT_POLICIES[r.type];
  if (separate !== undefined) {
    const enabled = ctx.referrers(r, `tf:${separate.type}`).some((p) => !known(p.attrs[separate.state]) || lower(p.attrs[separate.state]) === 'enabled');
    return enabled ? [] : [violation([], 'no enabled security alert policy refers to this database')];
  }
  const policies = blocksAt(r.attrs, 'threat_detection_policy');
  if (policies.length === 0) return [violation(['threat_detection_policy'], 'no threat_detection_policy')];
  return policies.flatMap(({ block, path }) => {
    const enabled = block['enabled'];
    if (enabled === undefined) return [violation(path, 'threat_detection_policy does not set enabled = true')];
    return known(enabled) && lower(enabled) !== 'true' ? [violation([...path, 'enabled'], 'threat detection is disabled')] : [];
  });
}

export const dbThreatDetection = azureRule({
  id: 'VGL-AZURE-025',
  live: SQL_LIVE.threatDetection,
  title: 'Database threat detection is disabled',
  description:
    'Without a threat detection (security alert) policy, part of Microsoft Defender for databases, the database raises no alert on SQL injection, brute force or access from unusual locations. Read inline on PostgreSQL and MySQL servers, and from the alert-policy resources of SQL servers and Synapse SQL pools.',
  severity: 'medium',
  service: 'database',
  types: ['azurerm_postgresql_server', 'azurerm_mysql_server', ...Object.keys(ALERT_POLICIES)],
  frameworks: [cis('4.2.1'), ...themes('monitoring')],
  remediation: 'Enable the threat detection policy: a threat_detection_policy block with enabled = true, or an enabled azurerm_mssql_server_security_alert_policy / azurerm_synapse_sql_pool_security_alert_policy.',
  fix: 'resource "azurerm_postgresql_server" "pg" {\n  # …\n  threat_detection_policy {\n    enabled              = true\n    email_account_admins = true\n  }\n}',
  references: [`${AZURERM_DOCS}postgresql_server#threat_detection_policy`, `${AZURERM_DOCS}mssql_server_security_alert_policy`],
  check: threatDetection,
  bad: [
    { text: pg(''), lines: [1] },
    { text: pg('  threat_detection_policy {\n    enabled = false\n  }\n'), lines: [10] },
  ],
  good: [
    pg('  threat_detection_policy {\n    enabled = true\n  }\n'),
    'resource "azurerm_synapse_sql_pool" "pool" {\n  name                 = "pool"\n  synapse_workspace_id = azurerm_synapse_workspace.ws.id\n  sku_name             = "DW100c"\n  create_mode          = "Default"\n}\n\nresource "azurerm_synapse_sql_pool_security_alert_policy" "alerts" {\n  sql_pool_id  = azurerm_synapse_sql_pool.pool.id\n  policy_state = "Enabled"\n}\n',
  ],
});

const PG_CONFIGS = ['azurerm_postgresql_configuration', 'azurerm_postgresql_flexible_server_configuration'];
const pgConf = (name: string, value: string): string =>
  `resource "azurerm_postgresql_configuration" "p" {\n  name                = "${name}"\n  resource_group_name = "rg"\n  server_name         = "pg"\n  value               = "${value}"\n}\n`;

interface PgParam {
  readonly id: string;
  readonly names: readonly string[];
  readonly title: string;
  readonly why: string;
  readonly cis?: string;
  readonly theme: Theme;
  readonly live?: LiveSpec;
}

function pgParamRule(p: PgParam): Rule {
  const name = p.names[0]!;
  return azureRule({
    id: p.id,
    ...(p.live ? { live: p.live } : {}),
    title: `PostgreSQL server parameter ${name} is off`,
    description: `${p.title}. ${p.why}`,
    severity: p.theme === 'logging' ? 'low' : 'medium',
    service: 'database',
    types: PG_CONFIGS,
    frameworks: [...(p.cis === undefined ? [] : [cis(p.cis)]), ...themes(p.theme)],
    remediation: `Set the ${name} server parameter to "on".`,
    fix: `resource "azurerm_postgresql_configuration" "${name.replace(/\W/g, '_')}" {\n  name                = "${name}"\n  resource_group_name = azurerm_resource_group.rg.name\n  server_name         = azurerm_postgresql_server.pg.name\n  value               = "on"\n}`,
    references: [`${AZURERM_DOCS}postgresql_configuration`, 'https://learn.microsoft.com/azure/postgresql/single-server/concepts-server-parameters'],
    check(r) {
      const n = lower(attr(r, ['name']));
      if (n === undefined || !p.names.includes(n)) return [];
      return lower(attr(r, ['value'])) === 'off' ? [violation(['value'], `${n} is off`)] : [];
    },
    bad: [{ text: pgConf(name, 'off'), lines: [5] }],
    good: [pgConf(name, 'on'), pgConf('log_min_messages', 'off')],
  });
}

export const pgLogCheckpoints = pgParamRule({
  id: 'VGL-AZURE-026',
  live: DB_LIVE.logCheckpoints,
  names: ['log_checkpoints'],
  title: 'Checkpoints are not logged',
  why: 'Checkpoint logs help diagnose performance problems and reconstruct database activity.',
  cis: '4.3.2',
  theme: 'logging',
});
export const pgLogConnections = pgParamRule({
  id: 'VGL-AZURE-027',
  live: DB_LIVE.logConnections,
  names: ['log_connections'],
  title: 'Connection attempts are not logged',
  why: 'Without them, brute-force attempts and unexpected clients go unnoticed.',
  cis: '4.3.3',
  theme: 'logging',
});
export const pgLogDisconnections = pgParamRule({
  id: 'VGL-AZURE-028',
  live: DB_LIVE.logDisconnections,
  names: ['log_disconnections'],
  title: 'Session ends are not logged',
  why: 'Session durations cannot be reconstructed when investigating access.',
  cis: '4.3.4',
  theme: 'logging',
});
export const pgConnectionThrottling = pgParamRule({
  id: 'VGL-AZURE-029',
  live: DB_LIVE.throttling,
  names: ['connection_throttling', 'connection_throttle.enable'],
  title: 'Connection throttling is disabled',
  why: 'Repeated failed logins from one address are not slowed down, which helps password guessing and denial of service.',
  cis: '4.3.5',
  theme: 'hardening',
});
export const pgLogRetention = pgParamRule({
  id: 'VGL-AZURE-030',
  names: ['log_retention'],
  title: 'Server log retention is disabled',
  why: 'Server logs are not kept for later review.',
  theme: 'retention',
});

export const pgLogRetentionDays = azureRule({
  id: 'VGL-AZURE-031',
  live: DB_LIVE.retentionDays,
  title: 'PostgreSQL keeps server logs for 3 days or less',
  description: 'log_retention_days of 3 or less (the default is 3) deletes query and error logs before most problems are investigated.',
  severity: 'low',
  service: 'database',
  types: PG_CONFIGS,
  frameworks: [cis('4.3.6'), ...themes('retention')],
  remediation: 'Set the log_retention_days server parameter to a value from 4 to 7.',
  fix: 'resource "azurerm_postgresql_configuration" "log_retention_days" {\n  name                = "log_retention_days"\n  resource_group_name = azurerm_resource_group.rg.name\n  server_name         = azurerm_postgresql_server.pg.name\n  value               = "7"\n}',
  references: [`${AZURERM_DOCS}postgresql_configuration`],
  check(r) {
    if (lower(attr(r, ['name'])) !== 'log_retention_days') return [];
    const v = attr(r, ['value']);
    const n = known(v) ? num(v) : undefined;
    return n !== undefined && n <= 3 ? [violation(['value'], `logs are kept for ${n} days`)] : [];
  },
  bad: [{ text: pgConf('log_retention_days', '3'), lines: [5] }],
  good: [pgConf('log_retention_days', '7')],
});

export const DB_SERVER_RULES = [
  dbSslNotEnforced,
  dbMinTls,
  dbFirewallOpen,
  dbGeoBackup,
  dbThreatDetection,
  pgLogCheckpoints,
  pgLogConnections,
  pgLogDisconnections,
  pgConnectionThrottling,
  pgLogRetention,
  pgLogRetentionDays,
];
