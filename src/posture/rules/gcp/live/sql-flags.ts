/**
 * Cloud SQL database flags per engine (CIS GCP 6.1.2 – 6.3.7), table-driven: one builder and one
 * row per flag, VGL-GCP-132 … 148. A row says which engine it applies to (by databaseVersion
 * prefix), the flag, the value CIS asks for, and whether the engine's default (the flag absent)
 * already satisfies it — as Prowler decides for the same checks.
 */
import { str } from '../../../attrs.js';
import type { PostureSeverity, Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { themes, type Theme } from '../../shared/controls.js';
import { liveRule } from '../../shared/define.js';
import { collected } from '../../shared/live.js';
import { cis } from '../lib/define.js';
import { dig, GCP, items } from '../lib/live.js';
import { sqlId, sqlInstance } from './sql.js';

type Engine = 'MYSQL' | 'POSTGRES' | 'SQLSERVER';

const ENGINE_NAMES: Readonly<Record<Engine, string>> = { MYSQL: 'MySQL', POSTGRES: 'PostgreSQL', SQLSERVER: 'SQL Server' };
const SAMPLE_VERSIONS: Readonly<Record<Engine, string>> = { MYSQL: 'MYSQL_8_0', POSTGRES: 'POSTGRES_15', SQLSERVER: 'SQLSERVER_2022_STANDARD' };
const OTHER_ENGINE: Readonly<Record<Engine, string>> = { MYSQL: 'POSTGRES_15', POSTGRES: 'MYSQL_8_0', SQLSERVER: 'POSTGRES_15' };

interface FlagRow {
  readonly id: string;
  readonly cis: string;
  readonly engine: Engine;
  readonly flag: string;
  /** What CIS asks, for titles and messages ("on", "-1 (disabled)"). */
  readonly want: string;
  /** True when the value (lower-cased; undefined = flag not set) satisfies the benchmark. */
  readonly ok: (value: string | undefined) => boolean;
  /** A value that satisfies it, and one that does not, for the examples. */
  readonly good: string;
  readonly bad: string;
  readonly severity: PostureSeverity;
  readonly why: string;
  readonly theme: Theme;
}

const is = (...values: string[]) => (v: string | undefined): boolean => v !== undefined && values.includes(v);
const isOrUnset = (...values: string[]) => (v: string | undefined): boolean => v === undefined || values.includes(v);
const notSet = (v: string | undefined): boolean => v === undefined;

/** PostgreSQL message levels, most verbose first. */
const PG_LEVELS = ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'info', 'notice', 'warning', 'error', 'log', 'fatal', 'panic'];
const atMost = (level: string) => (v: string | undefined): boolean => v === undefined || (PG_LEVELS.includes(v) && PG_LEVELS.indexOf(v) <= PG_LEVELS.indexOf(level));

const FLAGS: readonly FlagRow[] = [
  { id: 'VGL-GCP-132', cis: '6.1.2', engine: 'MYSQL', flag: 'skip_show_database', want: 'on', ok: is('on'), good: 'on', bad: 'off', severity: 'low', theme: 'hardening', why: 'Without it any user can run SHOW DATABASES and list every database on the server, including ones they have no privilege on.' },
  { id: 'VGL-GCP-133', cis: '6.1.3', engine: 'MYSQL', flag: 'local_infile', want: 'off', ok: is('off'), good: 'off', bad: 'on', severity: 'medium', theme: 'hardening', why: 'LOAD DATA LOCAL INFILE lets the server ask the client for any file the client can read; a rogue or compromised server (or SQL injection) can exfiltrate client files.' },
  { id: 'VGL-GCP-134', cis: '6.2.1', engine: 'POSTGRES', flag: 'log_error_verbosity', want: 'default or terse', ok: isOrUnset('default', 'terse'), good: 'default', bad: 'verbose', severity: 'low', theme: 'logging', why: 'VERBOSE error logging writes source locations and internals into the logs, filling them and exposing detail useful to an attacker.' },
  { id: 'VGL-GCP-135', cis: '6.2.2', engine: 'POSTGRES', flag: 'log_connections', want: 'on', ok: is('on'), good: 'on', bad: 'off', severity: 'medium', theme: 'logging', why: 'Without connection logging there is no record of who connected from where, so brute force and misuse go unseen.' },
  { id: 'VGL-GCP-136', cis: '6.2.3', engine: 'POSTGRES', flag: 'log_disconnections', want: 'on', ok: is('on'), good: 'on', bad: 'off', severity: 'medium', theme: 'logging', why: 'Without disconnection logging sessions have no end time or duration in the logs, which investigations need.' },
  { id: 'VGL-GCP-137', cis: '6.2.4', engine: 'POSTGRES', flag: 'log_statement', want: 'ddl (or mod / all)', ok: is('ddl', 'mod', 'all'), good: 'ddl', bad: 'none', severity: 'low', theme: 'logging', why: 'With log_statement none (the default) schema changes — dropped tables, new users, altered grants — leave no trace in the logs.' },
  { id: 'VGL-GCP-138', cis: '6.2.5', engine: 'POSTGRES', flag: 'log_min_messages', want: 'warning or more verbose', ok: atMost('warning'), good: 'warning', bad: 'fatal', severity: 'low', theme: 'logging', why: 'A threshold above WARNING drops warnings and errors from the logs, hiding failures and attack attempts.' },
  { id: 'VGL-GCP-139', cis: '6.2.6', engine: 'POSTGRES', flag: 'log_min_error_statement', want: 'error or more verbose', ok: atMost('error'), good: 'error', bad: 'panic', severity: 'low', theme: 'logging', why: 'A threshold above ERROR means statements that fail are not logged, hiding SQL injection probing.' },
  { id: 'VGL-GCP-140', cis: '6.2.7', engine: 'POSTGRES', flag: 'log_min_duration_statement', want: '-1 (disabled)', ok: isOrUnset('-1'), good: '-1', bad: '0', severity: 'low', theme: 'hardening', why: 'Logging statements by duration writes the full text of queries — including any secrets or personal data in them — into the logs.' },
  { id: 'VGL-GCP-141', cis: '6.2.8', engine: 'POSTGRES', flag: 'cloudsql.enable_pgaudit', want: 'on', ok: is('on'), good: 'on', bad: 'off', severity: 'medium', theme: 'logging', why: 'Without pgAudit, reads and writes of data (session and object audit logging) are not recorded in Cloud Audit Logs.' },
  { id: 'VGL-GCP-142', cis: '6.3.1', engine: 'SQLSERVER', flag: 'external scripts enabled', want: 'off', ok: isOrUnset('off'), good: 'off', bad: 'on', severity: 'medium', theme: 'hardening', why: 'External scripts run R or Python code on the server outside the database engine\'s security boundary.' },
  { id: 'VGL-GCP-143', cis: '6.3.2', engine: 'SQLSERVER', flag: 'cross db ownership chaining', want: 'off', ok: isOrUnset('off'), good: 'off', bad: 'on', severity: 'medium', theme: 'privilege', why: 'Cross-database ownership chaining lets a user with rights in one database reach objects in another without a permission check.' },
  { id: 'VGL-GCP-144', cis: '6.3.3', engine: 'SQLSERVER', flag: 'user connections', want: '0 (no limit)', ok: isOrUnset('0'), good: '0', bad: '10', severity: 'low', theme: 'availability', why: 'A low connection limit lets anyone who opens that many connections deny service to everyone else.' },
  { id: 'VGL-GCP-145', cis: '6.3.4', engine: 'SQLSERVER', flag: 'user options', want: 'not set', ok: notSet, good: '', bad: '32', severity: 'low', theme: 'hardening', why: 'user options changes session defaults for every user (ANSI settings, implicit transactions), which can silently change query behaviour.' },
  { id: 'VGL-GCP-146', cis: '6.3.5', engine: 'SQLSERVER', flag: 'remote access', want: 'off', ok: is('off'), good: 'off', bad: 'on', severity: 'medium', theme: 'hardening', why: 'Remote access lets stored procedures be run from, and on, other servers: a path for lateral movement and denial of service.' },
  { id: 'VGL-GCP-147', cis: '6.3.6', engine: 'SQLSERVER', flag: '3625', want: 'on', ok: is('on'), good: 'on', bad: 'off', severity: 'low', theme: 'hardening', why: 'Trace flag 3625 masks parameters in error messages shown to users who are not sysadmin, so errors do not leak data.' },
  { id: 'VGL-GCP-148', cis: '6.3.7', engine: 'SQLSERVER', flag: 'contained database authentication', want: 'off', ok: isOrUnset('off'), good: 'off', bad: 'on', severity: 'medium', theme: 'authn', why: 'Contained database users authenticate inside the database, bypassing server-level login policies, and a database owner can create them.' },
];

const flagsOf = (settings: Record<string, string>): Record<string, unknown> => ({ databaseFlags: Object.entries(settings).map(([name, value]) => ({ name, value })) });

function flagCheck(row: FlagRow) {
  return (r: Resource): Violation[] => {
    const version = str(r.attrs['databaseVersion'])?.toUpperCase() ?? '';
    if (!version.startsWith(`${row.engine}_`)) return [];
    const hit = items(dig(r.attrs, 'settings', 'databaseFlags')).find(({ item }) => str(item['name'])?.trim().toLowerCase() === row.flag);
    const value = hit === undefined ? undefined : (str(hit.item['value'])?.trim().toLowerCase() ?? '');
    if (row.ok(value)) return [];
    const path = hit === undefined ? ['settings', 'databaseFlags'] : ['settings', 'databaseFlags', hit.index, 'value'];
    return [violation(path, hit === undefined ? `the ${row.flag} flag is not set (CIS asks for ${row.want})` : `the ${row.flag} flag is ${value ?? ''} (CIS asks for ${row.want})`)];
  };
}

function flagRule(row: FlagRow): Rule {
  const engine = ENGINE_NAMES[row.engine];
  const version = { databaseVersion: SAMPLE_VERSIONS[row.engine] };
  const goodFlags = row.ok(undefined) ? {} : flagsOf({ [row.flag]: row.good });
  const flagArg = row.want === 'not set' ? `--clear-database-flags  # or list the other flags without "${row.flag}"` : `--database-flags="${row.flag}=${row.good}"  # repeat every other flag already set: the list replaces them`;
  return liveRule('gcp', {
    id: row.id,
    title: row.want === 'not set' ? `Cloud SQL ${engine} flag ${row.flag} is set` : `Cloud SQL ${engine} flag ${row.flag} is not ${row.want}`,
    description: `${row.why} CIS asks for ${row.flag} = ${row.want} on every ${engine} instance.`,
    severity: row.severity,
    service: 'cloud-sql',
    frameworks: [cis(row.cis), ...themes(row.theme)],
    remediation: `Set the database flag ${row.flag} to ${row.want} on the instance.`,
    references: [`https://cloud.google.com/sql/docs/${row.engine === 'MYSQL' ? 'mysql' : row.engine === 'POSTGRES' ? 'postgres' : 'sqlserver'}/flags`],
    live: {
      kinds: [GCP.sql],
      check: flagCheck(row),
      cli: `gcloud sql instances patch <instance> ${flagArg}`,
      console: `SQL → the instance → Edit → Flags → ${row.want === 'not set' ? `remove ${row.flag}` : `${row.flag} = ${row.good}`} → Save.`,
      bad: [
        collected('gcp', [sqlInstance('bad', flagsOf({ [row.flag]: row.bad }), version), sqlInstance('good', goodFlags, version)], [sqlId('bad')]),
        ...(row.ok(undefined) ? [] : [collected('gcp', [sqlInstance('unset', {}, version)], [sqlId('unset')])]),
      ],
      good: [collected('gcp', [sqlInstance('good', goodFlags, version), sqlInstance('other-engine', flagsOf({ [row.flag]: row.bad }), { databaseVersion: OTHER_ENGINE[row.engine] })])],
    },
  });
}

export const SQL_FLAG_RULES: readonly Rule[] = FLAGS.map(flagRule);
