/**
 * Azure SQL servers and databases as collected (CIS Azure 2.1 sections 4.1 and 4.2): the live
 * halves of VGL-AZURE-015…020, 025 and 058, read from the server's sub-calls (auditing settings,
 * firewall rules, Entra administrators, Defender alert policies, vulnerability assessment, TDE
 * protector) and each database's TDE state.
 */
import { num } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { collected, needs, type LiveSpec } from '../../shared/live.js';
import { ipv4 } from '../../shared/network.js';
import { arm, AZ, isTrue, items, low, props, type AzKind } from './lib.js';

const server = (name: string, extra: Record<string, unknown>): ReturnType<typeof arm> => arm(AZ.sql, name, { version: '12.0', publicNetworkAccess: 'Enabled', minimalTlsVersion: '1.2' }, extra);
const idOf = (name: string): string => server(name, {}).id;

/** A check on one sub-call answer of a SQL server (null = not configured). */
function onSubCall(key: string, test: (value: unknown) => Violation[]) {
  return (r: Resource): Violation[] => {
    if (r.kind !== AZ.sql) return [];
    const missing = needs(r, key);
    if (missing.length > 0) return missing;
    if (!(key in r.attrs)) return [];
    return test(r.attrs[key]);
  };
}

function spec(kinds: readonly AzKind[], check: LiveSpec['check'], cli: string, consoleSteps: string, bad: Record<string, unknown>[], good: Record<string, unknown>[]): LiveSpec {
  return {
    kinds,
    check,
    cli,
    console: consoleSteps,
    bad: [collected('azure', [...bad.map((b, i) => server(`bad${i + 1}`, b)), server('good1', good[0] ?? {})], bad.map((_, i) => idOf(`bad${i + 1}`)))],
    good: [collected('azure', good.map((g, i) => server(`good${i + 1}`, g)))],
  };
}

const audit = (state: string, retentionDays = 0): Record<string, unknown> => ({ auditingSettings: { name: 'Default', properties: { state, retentionDays, isAzureMonitorTargetEnabled: true } } });
const auditState = (v: unknown): string | undefined => low(props(v)['state']);

/** An IPv4 range that admits every Azure address (0.0.0.0–0.0.0.0) or the Internet. */
export function openRange(rule: Record<string, unknown>): string | undefined {
  const p = props(rule);
  const start = ipv4(p['startIpAddress']);
  const end = ipv4(p['endIpAddress']);
  if (start === undefined || end === undefined) return undefined;
  if (start === 0 && end === 0) return 'admits every Azure address, including other customers\' services (Allow Azure services)';
  if (start === 0 && end === 0xffffffff) return 'admits the whole Internet (0.0.0.0–255.255.255.255)';
  return end - start >= 0x7fffffff ? `admits half or more of the Internet (${String(p['startIpAddress'])}–${String(p['endIpAddress'])})` : undefined;
}

/** Firewall rules of a collected server (SQL, PostgreSQL, MySQL) that open it to everyone. */
export function openFirewall(r: Resource): Violation[] {
  const missing = needs(r, 'firewallRules');
  if (missing.length > 0) return missing;
  const out: Violation[] = [];
  items(r.attrs['firewallRules']).forEach((rule, i) => {
    const why = openRange(rule);
    if (why !== undefined) out.push(violation(['firewallRules', i, 'properties', 'startIpAddress'], `firewall rule ${String(rule['name'])} ${why}`));
  });
  return out;
}

export const fwRule = (name: string, start: string, end: string): Record<string, unknown> => ({ name, properties: { startIpAddress: start, endIpAddress: end } });

const AZ_SQL = 'az sql server';
const SERVER_ARGS = '--resource-group <resource-group> --server <server>';

function tdeDisabled(r: Resource): Violation[] {
  if (r.kind !== AZ.sqlDb || low(r.attrs['name']) === 'master') return [];
  const missing = needs(r, 'transparentDataEncryption');
  if (missing.length > 0) return missing;
  const p = props(r.attrs['transparentDataEncryption']);
  const state = low(p['state'] ?? p['status']);
  return state === 'disabled' ? [violation(['transparentDataEncryption', 'properties', p['state'] !== undefined ? 'state' : 'status'], 'transparent data encryption is disabled')] : [];
}

const db = (name: string, state: string | undefined): ReturnType<typeof arm> => {
  const id = `${idOf('sql1')}/databases/${name}`;
  return { type: 'Microsoft.Sql/servers/databases', id, name, account: server('sql1', {}).account, region: 'westeurope', attrs: { id, name, type: 'Microsoft.Sql/servers/databases', properties: { status: 'Online' }, ...(state === undefined ? {} : { transparentDataEncryption: { name: 'current', properties: { state } } }) } };
};

export const SQL_LIVE = {
  auditing: spec(
    [AZ.sql],
    onSubCall('auditingSettings', (v) => (auditState(v) === 'enabled' ? [] : [violation(['auditingSettings', 'properties', 'state'], 'server auditing is not enabled')])),
    `${AZ_SQL} audit-policy update ${SERVER_ARGS} --state Enabled --lats Enabled --lawri <workspace-id>`,
    'SQL servers → the server → Security → Auditing → Enable Azure SQL Auditing → choose a destination → Save.',
    [audit('Disabled'), { auditingSettings: null }],
    [audit('Enabled'), audit('Enabled', 120)],
  ),
  retention: spec(
    [AZ.sql],
    onSubCall('auditingSettings', (v) => {
      if (auditState(v) !== 'enabled') return [];
      const days = num(props(v)['retentionDays']);
      return days !== undefined && days > 0 && days < 90 ? [violation(['auditingSettings', 'properties', 'retentionDays'], `audit logs are kept ${days} days (less than 90)`)] : [];
    }),
    `${AZ_SQL} audit-policy update ${SERVER_ARGS} --state Enabled --retention-days 90`,
    'SQL servers → the server → Security → Auditing → storage destination → Advanced properties → Retention (days) ≥ 90 → Save.',
    [audit('Enabled', 30)],
    [audit('Enabled', 90), audit('Enabled', 0), audit('Disabled', 7)],
  ),
  tde: {
    kinds: [AZ.sqlDb],
    check: tdeDisabled,
    cli: 'az sql db tde set --resource-group <resource-group> --server <server> --database <database> --status Enabled',
    console: 'SQL databases → the database → Security → Transparent data encryption → Data encryption: On → Save.',
    bad: [collected('azure', [db('app', 'Disabled'), db('other', 'Enabled')], [db('app', 'Disabled').id])],
    good: [collected('azure', [db('other', 'Enabled'), db('master', 'Disabled')])],
  },
  firewall: spec(
    [AZ.sql],
    (r) => (r.kind === AZ.sql ? openFirewall(r) : []),
    `az sql server firewall-rule delete ${SERVER_ARGS} --name <rule>`,
    'SQL servers → the server → Security → Networking → remove the 0.0.0.0 rules and uncheck Allow Azure services and resources to access this server → Save.',
    [{ firewallRules: [fwRule('AllowAllWindowsAzureIps', '0.0.0.0', '0.0.0.0')] }, { firewallRules: [fwRule('any', '0.0.0.0', '255.255.255.255')] }],
    [{ firewallRules: [fwRule('office', '203.0.113.0', '203.0.113.255')] }, { firewallRules: [] }],
  ),
  entraAdmin: spec(
    [AZ.sql],
    onSubCall('administrators', (v) => (items(v).length > 0 ? [] : [violation(['administrators'], 'no Microsoft Entra administrator is configured: only SQL logins can administer the server')])),
    `az sql server ad-admin create ${SERVER_ARGS} --display-name <group> --object-id <group-object-id>`,
    'SQL servers → the server → Settings → Microsoft Entra ID → Set admin → Save.',
    [{ administrators: [] }],
    [{ administrators: [{ name: 'ActiveDirectory', properties: { administratorType: 'ActiveDirectory', login: 'dba-group' } }] }],
  ),
  cmk: spec(
    [AZ.sql],
    onSubCall('encryptionProtector', (v) =>
      v === null || low(props(v)['serverKeyType']) === 'azurekeyvault' ? [] : [violation(['encryptionProtector', 'properties', 'serverKeyType'], 'the TDE protector is a service-managed key, not a customer-managed key')],
    ),
    `${AZ_SQL} tde-key set ${SERVER_ARGS} --server-key-type AzureKeyVault --kid <key-vault-key-uri>`,
    'SQL servers → the server → Security → Transparent data encryption → Customer-managed key → select the key → Save.',
    [{ encryptionProtector: { name: 'current', properties: { serverKeyType: 'ServiceManaged', serverKeyName: 'ServiceManaged' } } }],
    [{ encryptionProtector: { name: 'current', properties: { serverKeyType: 'AzureKeyVault', uri: 'https://kv.vault.azure.net/keys/tde/1' } } }],
  ),
  threatDetection: spec(
    [AZ.sql],
    onSubCall('securityAlertPolicies', (v) => (items(v).some((p) => low(props(p)['state']) === 'enabled') ? [] : [violation(['securityAlertPolicies'], 'Microsoft Defender for SQL threat detection is not enabled on the server')])),
    `${AZ_SQL} threat-policy update ${SERVER_ARGS} --state Enabled (or: az sql server advanced-threat-protection-setting update ${SERVER_ARGS} --state Enabled)`,
    'SQL servers → the server → Security → Microsoft Defender for Cloud → Enable Microsoft Defender for SQL.',
    [{ securityAlertPolicies: [{ name: 'Default', properties: { state: 'Disabled' } }] }, { securityAlertPolicies: [] }],
    [{ securityAlertPolicies: [{ name: 'Default', properties: { state: 'Enabled' } }] }],
  ),
  vaScans: spec(
    [AZ.sql],
    onSubCall('vulnerabilityAssessments', (v) =>
      items(v).some((a) => isTrue((props(a)['recurringScans'] as Record<string, unknown> | undefined)?.['isEnabled'])) ? [] : [violation(['vulnerabilityAssessments'], 'vulnerability assessment recurring scans are off')],
    ),
    'az sql server va-setting update (Azure PowerShell: Update-AzSqlServerVulnerabilityAssessmentSetting -ResourceGroupName <resource-group> -ServerName <server> -RecurringScansInterval Weekly)',
    'SQL servers → the server → Security → Microsoft Defender for Cloud → Configure → Vulnerability assessment settings → Periodic recurring scans: On → Save.',
    [{ vulnerabilityAssessments: [{ name: 'Default', properties: { recurringScans: { isEnabled: false } } }] }],
    [{ vulnerabilityAssessments: [{ name: 'Default', properties: { recurringScans: { isEnabled: true, emails: ['sec@example.com'] } } }] }],
  ),
} satisfies Record<string, LiveSpec>;

