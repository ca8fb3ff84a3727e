/**
 * Collected RDS instances and snapshots: the live halves of ../services/rds.ts and
 * rds-access.ts (VGL-AWS-100…106; CIS 2.3.1 – 2.3.3) and the live-only VGL-AWS-380…389.
 * Aurora cluster members (`DBClusterIdentifier`) keep storage, backup, deletion protection,
 * Multi-AZ, IAM authentication and log exports on the cluster, which the collector does not
 * read yet: those checks leave members alone.
 */
import { isObject, num, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import { collected, needs, type LiveSpec } from '../../shared/live.js';
import { engineFamily } from '../services/lib/rds.js';
import { db, dbArn, dbSnapshot, dbSnapshotArn } from './examples.js';

type Attrs = Record<string, unknown>;
export const member = (r: Resource): boolean => str(r.attrs['DBClusterIdentifier']) !== undefined;
const replica = (r: Resource): boolean => str(r.attrs['ReadReplicaSourceDBInstanceIdentifier']) !== undefined;

interface DbLive {
  /** Is the instance compliant? `undefined` attrs values pass (never guessed). */
  readonly fails: (r: Resource) => string | undefined;
  readonly path: string;
  readonly skip?: (r: Resource) => boolean;
  readonly cli: string;
  readonly console: string;
  readonly bad: Attrs;
  readonly good: readonly Attrs[];
}

export function dbLive(spec: DbLive): LiveSpec {
  return {
    kinds: [AWS_KINDS.dbInstance],
    check: (r) => {
      if (spec.skip?.(r) === true) return [];
      const message = spec.fails(r);
      return message === undefined ? [] : [violation([spec.path], message)];
    },
    cli: spec.cli,
    console: spec.console,
    bad: [collected('aws', [db('db-bad', spec.bad), db('db-ok')], [dbArn('db-bad')])],
    good: [collected('aws', spec.good.map((g, i) => db(`db-good${i}`, g)))],
  };
}

const MODIFY = 'aws rds modify-db-instance --db-instance-identifier <db-id> --apply-immediately --region <region>';
const CONSOLE = 'RDS → Databases → the instance → Modify →';
const AURORA_MEMBER = { DBClusterIdentifier: 'orders', Engine: 'aurora-mysql' };

export const rdsLive = {
  public: dbLive({
    path: 'PubliclyAccessible',
    fails: (r) => (r.attrs['PubliclyAccessible'] === true ? 'the instance is publicly accessible: its endpoint resolves to a public IP' : undefined),
    cli: `${MODIFY} --no-publicly-accessible`,
    console: `${CONSOLE} Connectivity → Additional configuration → Not publicly accessible → Continue → Apply immediately.`,
    bad: { PubliclyAccessible: true },
    good: [{}, { PubliclyAccessible: undefined }],
  }),
  encryption: dbLive({
    path: 'StorageEncrypted',
    fails: (r) => (r.attrs['StorageEncrypted'] === false ? 'storage is not encrypted' : undefined),
    cli: 'aws rds create-db-snapshot --db-instance-identifier <db-id> --db-snapshot-identifier <snap> && aws rds copy-db-snapshot --source-db-snapshot-identifier <snap> --target-db-snapshot-identifier <snap>-enc --kms-key-id <key> && aws rds restore-db-instance-from-db-snapshot --db-instance-identifier <db-id>-enc --db-snapshot-identifier <snap>-enc',
    console: 'RDS → Snapshots → take a snapshot → Actions → Copy snapshot → Enable encryption → restore the copy and switch clients to it.',
    bad: { StorageEncrypted: false },
    good: [{}],
  }),
  retention: dbLive({
    path: 'BackupRetentionPeriod',
    skip: (r) => member(r) || replica(r),
    fails: (r) => {
      const days = num(r.attrs['BackupRetentionPeriod']);
      return days !== undefined && days < 7 ? (days === 0 ? 'automated backups are disabled (retention 0)' : `backup retention is ${days} day${days === 1 ? '' : 's'}, below 7`) : undefined;
    },
    cli: `${MODIFY} --backup-retention-period 7`,
    console: `${CONSOLE} Backup → Backup retention period: 7 days or more → Continue.`,
    bad: { BackupRetentionPeriod: 0 },
    good: [{ BackupRetentionPeriod: 35 }, { ...AURORA_MEMBER, BackupRetentionPeriod: 1 }, { ReadReplicaSourceDBInstanceIdentifier: 'db-main', BackupRetentionPeriod: 0 }],
  }),
  deletion: dbLive({
    path: 'DeletionProtection',
    skip: member,
    fails: (r) => (r.attrs['DeletionProtection'] === false ? 'deletion protection is not enabled' : undefined),
    cli: `${MODIFY} --deletion-protection`,
    console: `${CONSOLE} Deletion protection → Enable deletion protection → Continue.`,
    bad: { DeletionProtection: false },
    good: [{}, { ...AURORA_MEMBER, DeletionProtection: false }],
  }),
  minorUpgrade: dbLive({
    path: 'AutoMinorVersionUpgrade',
    fails: (r) => (r.attrs['AutoMinorVersionUpgrade'] === false ? 'automatic minor version upgrades are disabled' : undefined),
    cli: `${MODIFY} --auto-minor-version-upgrade`,
    console: `${CONSOLE} Maintenance → Enable auto minor version upgrade → Continue.`,
    bad: { AutoMinorVersionUpgrade: false },
    good: [{}],
  }),
  multiAz: dbLive({
    path: 'MultiAZ',
    skip: member,
    fails: (r) => (r.attrs['MultiAZ'] === false ? 'the instance is deployed in a single Availability Zone' : undefined),
    cli: `${MODIFY} --multi-az`,
    console: `${CONSOLE} Availability & durability → Create a standby instance → Continue.`,
    bad: { MultiAZ: false },
    good: [{}, { ...AURORA_MEMBER, MultiAZ: false }],
  }),
  iamAuth: dbLive({
    path: 'IAMDatabaseAuthenticationEnabled',
    skip: (r) => member(r) || !['mysql', 'postgres'].includes(engineFamily(r.attrs['Engine'])),
    fails: (r) => (r.attrs['IAMDatabaseAuthenticationEnabled'] === false ? 'IAM database authentication is not enabled' : undefined),
    cli: `${MODIFY} --enable-iam-database-authentication`,
    console: `${CONSOLE} Database authentication → Password and IAM database authentication → Continue.`,
    bad: { IAMDatabaseAuthenticationEnabled: false },
    good: [{}, { Engine: 'sqlserver-se', IAMDatabaseAuthenticationEnabled: false }],
  }),
} as const;

// Snapshots ------------------------------------------------------------------------------------

/** The `restore` attribute's values: `all` (public) and account ids. */
export function restoreValues(r: Resource): string[] {
  const attrs = Array.isArray(r.attrs['DBSnapshotAttributes']) ? (r.attrs['DBSnapshotAttributes'] as unknown[]) : [];
  const out: string[] = [];
  for (const a of attrs) {
    if (!isObject(a) || str(a['AttributeName']) !== 'restore' || !Array.isArray(a['AttributeValues'])) continue;
    for (const v of a['AttributeValues'] as unknown[]) if (typeof v === 'string') out.push(v);
  }
  return out;
}

export function snapshotCheck(test: (r: Resource) => Violation[], sub: boolean) {
  return (r: Resource): Violation[] => {
    if (sub) {
      const missing = needs(r, 'DBSnapshotAttributes');
      if (missing.length > 0) return missing;
    }
    return test(r);
  };
}

export function snapshotExamples(bad: Attrs, good: readonly Attrs[]): Pick<LiveSpec, 'bad' | 'good'> {
  return {
    bad: [collected('aws', [dbSnapshot('snap-bad', bad), dbSnapshot('snap-ok')], [dbSnapshotArn('snap-bad')])],
    good: [collected('aws', good.map((g, i) => dbSnapshot(`snap-good${i}`, g)))],
  };
}
