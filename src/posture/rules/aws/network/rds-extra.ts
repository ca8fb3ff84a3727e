/**
 * Live-only RDS rules (Prowler's rds_* checks with no IaC rule here yet): VGL-AWS-380 enhanced
 * monitoring, 381 no log exports, 382 default master user name, 383 default port, 384 public
 * snapshot, 385 unencrypted snapshot, 386 tags not copied to snapshots, 387 not in a VPC,
 * 388 retired CA certificate, 389 snapshot shared with another account. One table, one builder.
 */
import { isObject, num, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import type { LiveSpec } from '../../shared/live.js';
import { awsRule, csf, gdpr, hipaa, iso, nist, pci, soc2 } from '../lib/define.js';
import { engineFamily } from '../services/lib/rds.js';
import { dbLive, member, restoreValues, snapshotCheck, snapshotExamples } from './rds.js';

const MODIFY = 'aws rds modify-db-instance --db-instance-identifier <db-id> --apply-immediately --region <region>';
const CONSOLE = 'RDS → Databases → the instance → Modify →';

const LOGGING = [nist('AU-2'), nist('AU-12'), csf('DE.CM-09'), iso('A.8.15'), soc2('CC7.2'), pci('10.2.1'), hipaa('164.312(b)')];
const HARDENING = [nist('CM-6'), nist('CM-7'), csf('PR.PS-01'), iso('A.8.9'), soc2('CC6.8'), pci('2.2.2')];
const SHARING = [nist('AC-3'), nist('AC-6'), csf('PR.DS-01'), iso('A.8.3'), soc2('CC6.1'), pci('7.2.1'), hipaa('164.312(a)(1)')];

/** AWS's defaults and the most guessed administrator names (Prowler rds_instance_default_admin). */
const DEFAULT_USERS = new Set(['admin', 'postgres', 'root', 'sa', 'administrator', 'master']);
const DEFAULT_PORTS: Readonly<Record<string, number>> = { mysql: 3306, postgres: 5432, oracle: 1521, sqlserver: 1433, db2: 50000 };
const RETIRED_CAS = new Set(['rds-ca-2015', 'rds-ca-2019']);

interface RdsConcern {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: 'critical' | 'high' | 'medium' | 'low';
  readonly frameworks: Rule['frameworks'];
  readonly remediation: string;
  readonly references: readonly string[];
  readonly live: LiveSpec;
}

const port = (r: Resource): number | undefined => (isObject(r.attrs['Endpoint']) ? num(r.attrs['Endpoint']['Port']) : undefined);

const CONCERNS: readonly RdsConcern[] = [
  {
    id: 'VGL-AWS-380',
    title: 'RDS enhanced monitoring is disabled',
    description: 'Without enhanced monitoring the instance reports only hypervisor-level CloudWatch metrics; OS-level process, memory and I/O metrics that show a runaway query or a compromise are missing (Prowler rds_instance_enhanced_monitoring_enabled).',
    severity: 'low',
    frameworks: [nist('SI-4'), nist('AU-12'), csf('DE.CM-09'), iso('A.8.16'), soc2('CC7.2')],
    remediation: 'Set a monitoring interval (60 seconds or less) with a monitoring role.',
    references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.html'],
    live: dbLive({
      path: 'MonitoringInterval',
      fails: (r) => (num(r.attrs['MonitoringInterval']) === 0 ? 'enhanced monitoring is off (MonitoringInterval 0)' : undefined),
      cli: `${MODIFY} --monitoring-interval 60 --monitoring-role-arn <role-arn>`,
      console: `${CONSOLE} Monitoring → Enable Enhanced monitoring → Granularity 60 seconds → Continue.`,
      bad: { MonitoringInterval: 0 },
      good: [{}, { MonitoringInterval: 1 }],
    }),
  },
  {
    id: 'VGL-AWS-381',
    title: 'RDS instance exports no logs to CloudWatch Logs',
    description: 'The instance publishes none of its engine logs (error, general, slow query, audit, postgresql…) to CloudWatch Logs, so they stay on the instance, rotate away, and cannot be searched, kept or alerted on (Prowler rds_instance_integration_cloudwatch_logs).',
    severity: 'medium',
    frameworks: LOGGING,
    remediation: 'Enable the engine\'s log exports (audit and error for MySQL/MariaDB, postgresql for PostgreSQL, error and agent for SQL Server, alert and audit for Oracle).',
    references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html'],
    live: dbLive({
      path: 'EnabledCloudwatchLogsExports',
      skip: member,
      fails: (r) => {
        const v = r.attrs['EnabledCloudwatchLogsExports'];
        return v === undefined || (Array.isArray(v) && v.length === 0) ? 'no log type is exported to CloudWatch Logs' : undefined;
      },
      cli: `${MODIFY} --cloudwatch-logs-export-configuration '{"EnableLogTypes":["error","audit"]}'`,
      console: `${CONSOLE} Log exports → tick the engine's logs → Continue.`,
      bad: { EnabledCloudwatchLogsExports: [] },
      good: [{}, { DBClusterIdentifier: 'orders', Engine: 'aurora-mysql', EnabledCloudwatchLogsExports: [] }],
    }),
  },
  {
    id: 'VGL-AWS-382',
    title: 'RDS instance uses a default master user name',
    description: 'The master user is called admin, postgres, root, sa or similar: half of a credential attack is already known. A unique name makes brute force and credential stuffing much harder (Prowler rds_instance_default_admin).',
    severity: 'medium',
    frameworks: [nist('IA-5'), nist('AC-2'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1'), pci('2.2.2')],
    remediation: 'The master user name cannot be changed: restore a snapshot into a new instance with a unique master user name, or create named users and stop using the master one.',
    references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.MasterAccounts.html'],
    live: dbLive({
      path: 'MasterUsername',
      fails: (r) => {
        const u = str(r.attrs['MasterUsername']);
        return u !== undefined && DEFAULT_USERS.has(u.toLowerCase()) ? `the master user name is the default "${u}"` : undefined;
      },
      cli: 'aws rds restore-db-instance-from-db-snapshot --db-instance-identifier <new-db-id> --db-snapshot-identifier <snapshot-id> --region <region>  # then create a uniquely named administrator',
      console: 'RDS → Snapshots → the instance\'s snapshot → Actions → Restore snapshot → a new instance; create a uniquely named administrator and retire the default one.',
      bad: { MasterUsername: 'admin' },
      good: [{}, { MasterUsername: undefined }],
    }),
  },
  {
    id: 'VGL-AWS-383',
    title: 'RDS instance listens on the engine\'s default port',
    description: 'The instance uses its engine\'s well-known port (3306, 5432, 1521, 1433, 50000), the first one automated scans and worms try. A custom port is no access control, but it removes the instance from the cheapest attacks.',
    severity: 'low',
    frameworks: HARDENING,
    remediation: 'Move the instance to a non-default port (and update clients and security groups).',
    references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.DBInstance.Modifying.html'],
    live: dbLive({
      path: 'Endpoint',
      fails: (r) => {
        const p = port(r);
        const expected = DEFAULT_PORTS[engineFamily(r.attrs['Engine'])];
        return p !== undefined && p === expected ? `the instance listens on the default port ${p}` : undefined;
      },
      cli: `${MODIFY} --db-port-number <port>`,
      console: `${CONSOLE} Connectivity → Additional configuration → Database port → Continue.`,
      bad: { Endpoint: { Address: 'db-bad.example.eu-west-1.rds.amazonaws.com', Port: 3306 } },
      good: [{}, { Engine: 'postgres', Endpoint: { Port: 3306 } }, { Endpoint: 'odd' }],
    }),
  },
  {
    id: 'VGL-AWS-384',
    title: 'RDS snapshot is public',
    description: 'Any AWS account can restore the manual snapshot into a database of its own and read every row (Prowler rds_snapshots_public_access).',
    severity: 'critical',
    frameworks: [...SHARING, nist('SC-7')],
    remediation: 'Remove "all" from the snapshot\'s restore attribute.',
    references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html'],
    live: {
      kinds: [AWS_KINDS.dbSnapshot],
      check: snapshotCheck((r) => (restoreValues(r).includes('all') ? [violation(['DBSnapshotAttributes'], 'the snapshot can be restored by any AWS account ("all")')] : []), true),
      cli: 'aws rds modify-db-snapshot-attribute --db-snapshot-identifier <snapshot-id> --attribute-name restore --values-to-remove all --region <region>',
      console: 'RDS → Snapshots → the snapshot → Actions → Share snapshot → DB snapshot visibility: Private → Save.',
      ...snapshotExamples({ DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: ['all'] }] }, [{}, { DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: ['444455556666'] }] }]),
    },
  },
  {
    id: 'VGL-AWS-385',
    title: 'RDS snapshot is not encrypted',
    description: 'The snapshot holds the database unencrypted, and so does every instance restored from it; unencrypted snapshots can be made public (Prowler rds_snapshots_encrypted).',
    severity: 'medium',
    frameworks: [nist('SC-28'), csf('PR.DS-01'), iso('A.8.24'), soc2('CC6.1'), pci('3.5.1'), hipaa('164.312(a)(2)(iv)'), gdpr()],
    remediation: 'Copy the snapshot with a KMS key and delete the unencrypted one; encrypt the source instance.',
    references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_CopySnapshot.html'],
    live: {
      kinds: [AWS_KINDS.dbSnapshot],
      check: snapshotCheck((r) => (r.attrs['Encrypted'] === false ? [violation(['Encrypted'], 'the snapshot is not encrypted')] : []), false),
      cli: 'aws rds copy-db-snapshot --source-db-snapshot-identifier <snapshot-id> --target-db-snapshot-identifier <snapshot-id>-enc --kms-key-id <key-id> --region <region> && aws rds delete-db-snapshot --db-snapshot-identifier <snapshot-id>',
      console: 'RDS → Snapshots → the snapshot → Actions → Copy snapshot → Enable encryption → Copy; then delete the original.',
      ...snapshotExamples({ Encrypted: false }, [{}]),
    },
  },
  {
    id: 'VGL-AWS-386',
    title: 'RDS instance does not copy tags to snapshots',
    description: 'Snapshots do not inherit the instance\'s tags, so the data classification, owner and cost tags that access policies and retention rules key on are missing from every backup (Prowler rds_instance_copy_tags_to_snapshots).',
    severity: 'low',
    frameworks: [nist('CM-8'), csf('ID.AM-08'), iso('A.5.12'), soc2('CC6.1')],
    remediation: 'Turn on copy tags to snapshots.',
    references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.html#USER_Tagging.CopyTags'],
    live: dbLive({
      path: 'CopyTagsToSnapshot',
      skip: member,
      fails: (r) => (r.attrs['CopyTagsToSnapshot'] === false ? 'tags are not copied to snapshots' : undefined),
      cli: `${MODIFY} --copy-tags-to-snapshot`,
      console: `${CONSOLE} Backup → Copy tags to snapshots → Continue.`,
      bad: { CopyTagsToSnapshot: false },
      good: [{}],
    }),
  },
  {
    id: 'VGL-AWS-387',
    title: 'RDS instance not in a VPC',
    description: 'The instance has no DB subnet group in a VPC (EC2-Classic), so no VPC security group, network ACL or flow log applies to it (Prowler rds_instance_inside_vpc).',
    severity: 'medium',
    frameworks: [nist('SC-7'), csf('PR.IR-01'), iso('A.8.22'), soc2('CC6.6'), pci('1.2.1')],
    remediation: 'Move the instance into a VPC (modify it with a DB subnet group in the VPC).',
    references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.Non-VPC2VPC.html'],
    live: dbLive({
      path: 'DBSubnetGroup',
      fails: (r) => (str(isObject(r.attrs['DBSubnetGroup']) ? r.attrs['DBSubnetGroup']['VpcId'] : undefined) === undefined ? 'the instance is not in a VPC' : undefined),
      cli: `${MODIFY} --db-subnet-group-name <vpc-subnet-group>`,
      console: `${CONSOLE} Connectivity → DB subnet group in a VPC → Continue.`,
      bad: { DBSubnetGroup: undefined },
      good: [{}],
    }),
  },
  {
    id: 'VGL-AWS-388',
    title: 'RDS instance uses a retired CA certificate',
    description: 'The instance\'s server certificate is signed by rds-ca-2015 or rds-ca-2019, which expired; clients that verify the server then fail, which pushes them to turn verification off (Prowler rds_instance_certificate_expiration).',
    severity: 'medium',
    frameworks: [nist('SC-8'), nist('SC-17'), csf('PR.DS-02'), iso('A.8.24'), soc2('CC6.7'), pci('4.2.1')],
    remediation: 'Rotate the instance to rds-ca-rsa2048-g1 (or another current CA) and update the clients\' trust bundle.',
    references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL-certificate-rotation.html'],
    live: dbLive({
      path: 'CACertificateIdentifier',
      fails: (r) => {
        const ca = str(r.attrs['CACertificateIdentifier']);
        return ca !== undefined && RETIRED_CAS.has(ca) ? `the certificate authority ${ca} is retired` : undefined;
      },
      cli: `${MODIFY} --ca-certificate-identifier rds-ca-rsa2048-g1`,
      console: `${CONSOLE} Connectivity → Certificate authority: rds-ca-rsa2048-g1 → Continue.`,
      bad: { CACertificateIdentifier: 'rds-ca-2019' },
      good: [{}, { CACertificateIdentifier: 'rds-ca-ecc384-g1' }],
    }),
  },
  {
    id: 'VGL-AWS-389',
    title: 'RDS snapshot shared with another AWS account',
    description: 'Another account may restore the manual snapshot. Sharing is sometimes intended (backup or analytics accounts), but each share is a full copy of the database outside this account\'s control and should be reviewed.',
    severity: 'low',
    frameworks: SHARING,
    remediation: 'Remove accounts that no longer need the snapshot from its restore attribute.',
    references: ['https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ShareSnapshot.html'],
    live: {
      kinds: [AWS_KINDS.dbSnapshot],
      check: snapshotCheck((r: Resource): Violation[] => {
        const others = restoreValues(r).filter((v) => v !== 'all' && v !== r.account);
        return others.length === 0 ? [] : [violation(['DBSnapshotAttributes'], `the snapshot is shared with account${others.length === 1 ? '' : 's'} ${others.join(', ')}`)];
      }, true),
      cli: 'aws rds modify-db-snapshot-attribute --db-snapshot-identifier <snapshot-id> --attribute-name restore --values-to-remove <account-id> --region <region>',
      console: 'RDS → Snapshots → the snapshot → Actions → Share snapshot → remove the account → Save.',
      ...snapshotExamples({ DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: ['444455556666'] }] }, [{}, { DBSnapshotAttributes: [{ AttributeName: 'restore', AttributeValues: ['all'] }] }]),
    },
  },
];

export const rdsRules: readonly Rule[] = CONCERNS.map((c) =>
  awsRule({ id: c.id, title: c.title, description: c.description, severity: c.severity, service: 'rds', frameworks: c.frameworks, remediation: c.remediation, references: c.references, live: c.live }),
);
