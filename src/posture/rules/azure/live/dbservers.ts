/**
 * Azure Database for PostgreSQL and MySQL as collected (CIS Azure 2.1 sections 4.3 and 4.4):
 * the live halves of VGL-AZURE-021…024, 026…029 and 031 over single and flexible servers, and
 * the MySQL audit log rules. Server parameters are read one by one by the collector
 * (`configurations.<name>`, `null` when the server has no such parameter).
 */
import { isObject, num } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { show } from '../../shared/attrs.js';
import { themes } from '../../shared/controls.js';
import { cis, liveRule } from '../../shared/define.js';
import { collected, needs, type LiveSpec } from '../../shared/live.js';
import { arm, AZ, low, props, type AzKind } from './lib.js';
import { fwRule, openFirewall } from './sql.js';

const PG_KINDS = [AZ.pg, AZ.pgFlex] as const;
const ALL = [AZ.pg, AZ.pgFlex, AZ.mysql, AZ.mysqlFlex] as const;
const isKind = (r: Resource, kinds: readonly AzKind[]): boolean => (kinds as readonly string[]).includes(r.kind);
const single = (r: Resource): boolean => r.kind === AZ.pg || r.kind === AZ.mysql;

type Param = { readonly value: string | undefined; readonly path: (string | number)[] } | { readonly missing: Violation[] } | undefined;

/** A server parameter: its value, or the "not assessed" of a failed read, or undefined when absent. */
function param(r: Resource, name: string): Param {
  const missing = needs(r, `configurations.${name}`);
  if (missing.length > 0) return { missing };
  const all = r.attrs['configurations'];
  if (!isObject(all) || !isObject(all[name])) return undefined;
  const v = props(all[name])['value'];
  return { value: typeof v === 'string' ? v : v === undefined || v === null ? undefined : show(v), path: ['configurations', name, 'properties', 'value'] };
}

const conf = (values: Record<string, string | null>): Record<string, unknown> => ({
  configurations: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v === null ? null : { name: k, properties: { value: v } }])),
});
const srv = (kind: AzKind, name: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}): ReturnType<typeof arm> => arm(kind, name, properties, extra);

/** An on/off server parameter that must be on (PostgreSQL logging, throttling). */
function onParam(kinds: readonly AzKind[], names: Partial<Record<AzKind, string>>, what: string): LiveSpec {
  const check = (r: Resource): Violation[] => {
    const name = names[r.kind as AzKind];
    if (name === undefined || !isKind(r, kinds)) return [];
    const p = param(r, name);
    if (p === undefined) return [];
    if ('missing' in p) return p.missing;
    return low(p.value) === 'off' ? [violation(p.path, `${name} is off: ${what}`)] : [];
  };
  const [k1, k2] = [kinds[0]!, kinds[1] ?? kinds[0]!];
  const n1 = names[k1]!;
  const n2 = names[k2]!;
  return {
    kinds,
    check,
    cli: `az postgres flexible-server parameter set --resource-group <resource-group> --server-name <server> --name ${n2} --value on (single server: az postgres server configuration set … --name ${n1} --value on)`,
    console: `Azure Database for PostgreSQL → the server → Settings → Server parameters → ${n2} → ON → Save.`,
    bad: [collected('azure', [srv(k1, 'pg1', {}, conf({ [n1]: 'OFF' })), srv(k2, 'pg2', {}, conf({ [n2]: 'off' })), srv(k2, 'pg3', {}, conf({ [n2]: 'on' }))], [srv(k1, 'pg1', {}).id, srv(k2, 'pg2', {}).id])],
    good: [collected('azure', [srv(k2, 'pg3', {}, conf({ [n2]: 'on' })), srv(k1, 'pg4', {}, conf({ [n1]: 'ON' })), srv(k2, 'pg5', {}, conf({ [n2]: null }))])],
  };
}

function sslEnforced(r: Resource): Violation[] {
  if (!isKind(r, ALL)) return [];
  if (single(r)) return low(props(r)['sslEnforcement']) === 'disabled' ? [violation(['properties', 'sslEnforcement'], 'SSL connections are not enforced')] : [];
  const p = param(r, 'require_secure_transport');
  if (p === undefined) return [];
  if ('missing' in p) return p.missing;
  return low(p.value) === 'off' ? [violation(p.path, 'require_secure_transport is off: clients may connect without TLS')] : [];
}

const OLD_TLS = new Set(['tls1_0', 'tls1_1', 'tlsenforcementdisabled']);

function minTls(r: Resource): Violation[] {
  if (!isKind(r, ALL)) return [];
  if (single(r)) {
    const v = low(props(r)['minimalTlsVersion']);
    return v !== undefined && OLD_TLS.has(v) ? [violation(['properties', 'minimalTlsVersion'], `minimalTlsVersion is ${String(props(r)['minimalTlsVersion'])}: clients may use TLS before 1.2`)] : [];
  }
  if (r.kind !== AZ.mysqlFlex) return [];
  const p = param(r, 'tls_version');
  if (p === undefined) return [];
  if ('missing' in p) return p.missing;
  const versions = (low(p.value) ?? '').split(',').map((s) => s.trim());
  return versions.some((s) => s === 'tlsv1' || s === 'tlsv1.1') ? [violation(p.path, `tls_version allows ${String(p.value)}: TLS before 1.2 is accepted`)] : [];
}

function geoBackup(r: Resource): Violation[] {
  if (!isKind(r, ALL)) return [];
  const p = props(r);
  const path = single(r) ? ['storageProfile', 'geoRedundantBackup'] : ['backup', 'geoRedundantBackup'];
  const parent = p[path[0]!];
  const v = isObject(parent) ? low(parent[path[1]!]) : undefined;
  return v === 'disabled' ? [violation(['properties', ...path], 'backups are stored in one region only')] : [];
}

export const DB_LIVE = {
  ssl: {
    kinds: ALL,
    check: sslEnforced,
    cli: 'az postgres server update --resource-group <resource-group> --name <server> --ssl-enforcement Enabled (flexible: az postgres flexible-server parameter set … --name require_secure_transport --value ON)',
    console: 'Azure Database for PostgreSQL / MySQL → the server → Settings → Connection security (or Server parameters → require_secure_transport) → Enforce SSL connection: ENABLED → Save.',
    bad: [collected('azure', [srv(AZ.pg, 'pg1', { sslEnforcement: 'Disabled' }), srv(AZ.mysqlFlex, 'my1', {}, conf({ require_secure_transport: 'OFF' })), srv(AZ.mysql, 'my2', { sslEnforcement: 'Enabled' })], [srv(AZ.pg, 'pg1', {}).id, srv(AZ.mysqlFlex, 'my1', {}).id])],
    good: [collected('azure', [srv(AZ.mysql, 'my2', { sslEnforcement: 'Enabled' }), srv(AZ.pgFlex, 'pg2', {}, conf({ require_secure_transport: 'ON' }))])],
  },
  minTls: {
    kinds: ALL,
    check: minTls,
    cli: 'az mysql flexible-server parameter set --resource-group <resource-group> --server-name <server> --name tls_version --value TLSv1.2 (single server: az mysql server update … --minimal-tls-version TLS1_2)',
    console: 'Azure Database for MySQL → the server → Settings → Server parameters → tls_version → TLSv1.2 → Save.',
    bad: [collected('azure', [srv(AZ.mysql, 'my1', { minimalTlsVersion: 'TLS1_0' }), srv(AZ.mysqlFlex, 'my2', {}, conf({ tls_version: 'TLSv1.1,TLSv1.2' })), srv(AZ.pg, 'pg1', { minimalTlsVersion: 'TLS1_2' })], [srv(AZ.mysql, 'my1', {}).id, srv(AZ.mysqlFlex, 'my2', {}).id])],
    good: [collected('azure', [srv(AZ.pg, 'pg1', { minimalTlsVersion: 'TLS1_2' }), srv(AZ.mysqlFlex, 'my3', {}, conf({ tls_version: 'TLSv1.2,TLSv1.3' }))])],
  },
  firewall: {
    kinds: ALL,
    check: (r) => (isKind(r, ALL) ? openFirewall(r) : []),
    cli: 'az postgres flexible-server firewall-rule delete --resource-group <resource-group> --name <server> --rule-name <rule>',
    console: 'Azure Database for PostgreSQL / MySQL → the server → Settings → Networking → remove the 0.0.0.0 rules and uncheck Allow public access from any Azure service → Save.',
    bad: [collected('azure', [srv(AZ.pgFlex, 'pg1', {}, { firewallRules: [fwRule('AllowAllAzureServicesAndResourcesWithinAzureIps', '0.0.0.0', '0.0.0.0')] }), srv(AZ.mysql, 'my1', {}, { firewallRules: [fwRule('office', '203.0.113.1', '203.0.113.9')] })], [srv(AZ.pgFlex, 'pg1', {}).id])],
    good: [collected('azure', [srv(AZ.mysql, 'my1', {}, { firewallRules: [fwRule('office', '203.0.113.1', '203.0.113.9')] }), srv(AZ.pg, 'pg2', {}, { firewallRules: [] })])],
  },
  geoBackup: {
    kinds: ALL,
    check: geoBackup,
    cli: 'az postgres flexible-server create … --geo-redundant-backup Enabled (set at creation: restore the server into a new one with geo-redundant backups)',
    console: 'Azure Database for PostgreSQL / MySQL → create (or restore to) a server with Backup redundancy: Geo-redundant.',
    bad: [collected('azure', [srv(AZ.pg, 'pg1', { storageProfile: { geoRedundantBackup: 'Disabled' } }), srv(AZ.mysqlFlex, 'my1', { backup: { geoRedundantBackup: 'Disabled' } }), srv(AZ.pgFlex, 'pg2', { backup: { geoRedundantBackup: 'Enabled' } })], [srv(AZ.pg, 'pg1', {}).id, srv(AZ.mysqlFlex, 'my1', {}).id])],
    good: [collected('azure', [srv(AZ.pgFlex, 'pg2', { backup: { geoRedundantBackup: 'Enabled' } }), srv(AZ.pg, 'pg3', {})])],
  },
  logCheckpoints: onParam(PG_KINDS, { [AZ.pg]: 'log_checkpoints', [AZ.pgFlex]: 'log_checkpoints' }, 'checkpoints are not logged'),
  logConnections: onParam(PG_KINDS, { [AZ.pg]: 'log_connections', [AZ.pgFlex]: 'log_connections' }, 'connection attempts are not logged'),
  logDisconnections: onParam(PG_KINDS, { [AZ.pg]: 'log_disconnections', [AZ.pgFlex]: 'log_disconnections' }, 'session ends are not logged'),
  throttling: onParam(PG_KINDS, { [AZ.pg]: 'connection_throttling', [AZ.pgFlex]: 'connection_throttle.enable' }, 'repeated failed logins are not slowed down'),
  retentionDays: {
    kinds: PG_KINDS,
    check(r) {
      const name = r.kind === AZ.pg ? 'log_retention_days' : r.kind === AZ.pgFlex ? 'logfiles.retention_days' : undefined;
      if (name === undefined) return [];
      const p = param(r, name);
      if (p === undefined) return [];
      if ('missing' in p) return p.missing;
      const n = num(p.value);
      return n !== undefined && n <= 3 ? [violation(p.path, `${name} is ${n}: server logs are kept 3 days or less`)] : [];
    },
    cli: 'az postgres flexible-server parameter set --resource-group <resource-group> --server-name <server> --name logfiles.retention_days --value 7',
    console: 'Azure Database for PostgreSQL → the server → Settings → Server parameters → log_retention_days / logfiles.retention_days → 4–7 → Save.',
    bad: [collected('azure', [srv(AZ.pg, 'pg1', {}, conf({ log_retention_days: '3' })), srv(AZ.pgFlex, 'pg2', {}, conf({ 'logfiles.retention_days': '7' }))], [srv(AZ.pg, 'pg1', {}).id])],
    good: [collected('azure', [srv(AZ.pgFlex, 'pg2', {}, conf({ 'logfiles.retention_days': '7' })), srv(AZ.pg, 'pg3', {}, conf({ log_retention_days: null }))])],
  },
} satisfies Record<string, LiveSpec>;

// MySQL audit logs (live-only) -----------------------------------------------------------------

function auditParam(want: (value: string) => string | undefined, name: string) {
  return (r: Resource): Violation[] => {
    if (r.kind !== AZ.mysql && r.kind !== AZ.mysqlFlex) return [];
    const p = param(r, name);
    if (p === undefined) return [];
    if ('missing' in p) return p.missing;
    const why = want(low(p.value) ?? '');
    return why === undefined ? [] : [violation(p.path, why)];
  };
}

const MYSQL_CLI = 'az mysql flexible-server parameter set --resource-group <resource-group> --server-name <server>';

export const mysqlLiveRules: readonly Rule[] = [
  liveRule('azure', {
    id: 'VGL-AZURE-117',
    title: 'MySQL audit logging is disabled',
    description: 'With audit_log_enabled OFF the server records no connections, queries or administrative actions, so misuse of the database cannot be detected or investigated.',
    severity: 'medium',
    service: 'database',
    frameworks: [cis('4.4.3'), ...themes('logging')],
    remediation: 'Set the audit_log_enabled server parameter to ON and send the MySqlAuditLogs category to a Log Analytics workspace.',
    references: ['https://learn.microsoft.com/azure/mysql/flexible-server/concepts-audit-logs'],
    live: {
      kinds: [AZ.mysql, AZ.mysqlFlex],
      check: auditParam((v) => (v === 'on' ? undefined : 'audit_log_enabled is OFF: no audit log is written'), 'audit_log_enabled'),
      cli: `${MYSQL_CLI} --name audit_log_enabled --value ON`,
      console: 'Azure Database for MySQL → the server → Settings → Server parameters → audit_log_enabled → ON → Save.',
      bad: [collected('azure', [srv(AZ.mysqlFlex, 'my1', {}, conf({ audit_log_enabled: 'OFF' })), srv(AZ.mysql, 'my2', {}, conf({ audit_log_enabled: 'ON' }))], [srv(AZ.mysqlFlex, 'my1', {}).id])],
      good: [collected('azure', [srv(AZ.mysql, 'my2', {}, conf({ audit_log_enabled: 'ON' })), srv(AZ.mysql, 'my3', {}, conf({ audit_log_enabled: null }))])],
    },
  }),
  liveRule('azure', {
    id: 'VGL-AZURE-118',
    title: 'MySQL audit log does not record connections',
    description: 'An audit_log_events setting without CONNECTION does not record logins and failed logins, the first evidence of password guessing or stolen credentials.',
    severity: 'low',
    service: 'database',
    frameworks: [cis('4.4.4'), ...themes('logging')],
    remediation: 'Include CONNECTION in the audit_log_events server parameter.',
    references: ['https://learn.microsoft.com/azure/mysql/flexible-server/concepts-audit-logs#configure-audit-logging'],
    live: {
      kinds: [AZ.mysql, AZ.mysqlFlex],
      check: auditParam((v) => (v.split(',').some((e) => e.trim() === 'connection') ? undefined : 'audit_log_events does not include CONNECTION'), 'audit_log_events'),
      cli: `${MYSQL_CLI} --name audit_log_events --value CONNECTION,ADMIN,DDL`,
      console: 'Azure Database for MySQL → the server → Settings → Server parameters → audit_log_events → add CONNECTION → Save.',
      bad: [collected('azure', [srv(AZ.mysqlFlex, 'my1', {}, conf({ audit_log_events: 'DDL,DML' })), srv(AZ.mysql, 'my2', {}, conf({ audit_log_events: 'CONNECTION,DDL' }))], [srv(AZ.mysqlFlex, 'my1', {}).id])],
      good: [collected('azure', [srv(AZ.mysql, 'my2', {}, conf({ audit_log_events: 'CONNECTION,DDL' })), srv(AZ.mysqlFlex, 'my3', {}, conf({ audit_log_events: 'connection' }))])],
    },
  }),
];
