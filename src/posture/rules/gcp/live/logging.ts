/**
 * Cloud Logging as collected, on the project: VGL-GCP-100 Data Access audit logs for all
 * services (CIS GCP 2.1), 101 no exempted members (2.1), 102 a sink exporting every entry
 * (2.2), 103 the Cloud Storage bucket a sink exports to has a locked retention policy (2.3).
 * The metric filter + alert rules per CIS event (2.4 – 2.11) are in alerts.ts.
 */
import { bool, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { liveRule } from '../../shared/define.js';
import { collected, needs, type ExampleResource } from '../../shared/live.js';
import { cis } from '../lib/define.js';
import { dig, gcpRes, GCP, items, PROJECT_ID, PROJECT_NAME, projectRes, sameProject, strings, unknownKinds } from '../lib/live.js';
import { liveBucket } from './storage.js';

const auditProject = (auditConfigs: unknown[] | undefined): ExampleResource =>
  projectRes({ iamPolicy: { version: 1, bindings: [{ role: 'roles/owner', members: ['group:admins@example.com'] }], ...(auditConfigs ? { auditConfigs } : {}) } });

const ALL_DATA = { service: 'allServices', auditLogConfigs: [{ logType: 'ADMIN_READ' }, { logType: 'DATA_READ' }, { logType: 'DATA_WRITE' }] };
const REQUIRED = ['DATA_READ', 'DATA_WRITE'];

function auditLogging(r: Resource): Violation[] {
  const missing = needs(r, 'iamPolicy');
  if (missing.length > 0) return missing;
  const all = items(dig(r.attrs, 'iamPolicy', 'auditConfigs')).find(({ item }) => str(item['service']) === 'allServices');
  if (all === undefined) return [violation(['iamPolicy', 'auditConfigs'], 'Data Access audit logs are not enabled for all services')];
  const types = new Set(items(all.item['auditLogConfigs']).map(({ item }) => str(item['logType'])));
  const absent = REQUIRED.filter((t) => !types.has(t));
  return absent.length > 0 ? [violation(['iamPolicy', 'auditConfigs', all.index, 'auditLogConfigs'], `allServices does not log ${absent.join(' or ')}`)] : [];
}

export const auditLogs = liveRule('gcp', {
  id: 'VGL-GCP-100',
  title: 'Data Access audit logs are not enabled for all services',
  description:
    'Admin Activity logs are always on, but reads and writes of data (DATA_READ, DATA_WRITE) are logged only when an audit config asks for them. Without one for allServices nobody can tell who read or changed which data.',
  severity: 'medium',
  service: 'logging',
  frameworks: [cis('2.1'), ...themes('logging')],
  remediation: 'Add an auditConfigs entry for allServices with DATA_READ and DATA_WRITE (and ADMIN_READ) to the project IAM policy.',
  references: ['https://cloud.google.com/logging/docs/audit/configure-data-access'],
  live: {
    kinds: [GCP.project],
    check: auditLogging,
    cli: 'gcloud projects get-iam-policy <project> --format=json > policy.json  # add {"service":"allServices","auditLogConfigs":[{"logType":"ADMIN_READ"},{"logType":"DATA_READ"},{"logType":"DATA_WRITE"}]} to auditConfigs, then: gcloud projects set-iam-policy <project> policy.json',
    console: 'IAM & Admin → Audit Logs → Default configuration → Admin Read, Data Read, Data Write → Save.',
    bad: [collected('gcp', [auditProject(undefined)], [PROJECT_NAME]), collected('gcp', [auditProject([{ service: 'allServices', auditLogConfigs: [{ logType: 'DATA_WRITE' }] }])], [PROJECT_NAME])],
    good: [collected('gcp', [auditProject([ALL_DATA, { service: 'storage.googleapis.com', auditLogConfigs: [{ logType: 'DATA_READ' }] }])])],
  },
});

export const auditExemptions = liveRule('gcp', {
  id: 'VGL-GCP-101',
  title: 'Audit logging exempts some principals',
  description: 'exemptedMembers in an audit config turn Data Access logging off for those principals: exactly the accounts whose actions then leave no trail.',
  severity: 'medium',
  service: 'logging',
  frameworks: [cis('2.1'), ...themes('logging')],
  remediation: 'Remove every exemptedMembers entry from the project audit configs.',
  references: ['https://cloud.google.com/logging/docs/audit/configure-data-access#exempted-principals'],
  live: {
    kinds: [GCP.project],
    check(r) {
      const missing = needs(r, 'iamPolicy');
      if (missing.length > 0) return missing;
      return items(dig(r.attrs, 'iamPolicy', 'auditConfigs')).flatMap(({ item, index }) =>
        items(item['auditLogConfigs']).flatMap(({ item: c, index: j }) => {
          const who = strings(c['exemptedMembers']);
          return who.length > 0 ? [violation(['iamPolicy', 'auditConfigs', index, 'auditLogConfigs', j, 'exemptedMembers'], `${str(item['service']) ?? 'a service'} ${str(c['logType']) ?? ''} logs exempt ${who.join(', ')}`)] : [];
        }),
      );
    },
    cli: 'gcloud projects get-iam-policy <project> --format=json > policy.json  # delete every "exemptedMembers", then: gcloud projects set-iam-policy <project> policy.json',
    console: 'IAM & Admin → Audit Logs → each service → Exempted principals → remove them → Save.',
    bad: [collected('gcp', [auditProject([{ service: 'allServices', auditLogConfigs: [{ logType: 'DATA_READ', exemptedMembers: ['user:batch@example.com'] }, { logType: 'DATA_WRITE' }] }])], [PROJECT_NAME])],
    good: [collected('gcp', [auditProject([ALL_DATA])]), collected('gcp', [auditProject(undefined)])],
  },
});

// Sinks ---------------------------------------------------------------------------------------

const sinkId = (name: string): string => `//logging.googleapis.com/projects/${PROJECT_ID}/sinks/${name}`;
const sink = (name: string, attrs: Record<string, unknown>): ExampleResource =>
  gcpRes(GCP.logSink, sinkId(name), { name, writerIdentity: `serviceAccount:service-123@gcp-sa-logging.iam.gserviceaccount.com`, createTime: '2025-01-01T00:00:00Z', ...attrs });

/** Sinks that export every entry: enabled, with no filter (exclusions aside). */
const exportsAll = (s: Resource): boolean => bool(s.attrs['disabled']) !== true && (str(s.attrs['filter']) ?? '').trim() === '';

function sinkForAll(r: Resource, ctx: RuleContext): Violation[] {
  const gaps = unknownKinds(r, GCP.logSink);
  if (gaps.length > 0) return gaps;
  return sameProject(ctx, r, GCP.logSink).some(exportsAll) ? [] : [violation(['logging.googleapis.com/LogSink'], 'no enabled sink without a filter exports every log entry')];
}

export const sinkAllEntries = liveRule('gcp', {
  id: 'VGL-GCP-102',
  title: 'No log sink exports all log entries',
  description:
    'Cloud Logging keeps most logs for 30 days (audit logs 400 days) in the project itself; without a sink that exports every entry to storage the project controls, older logs are lost and anyone who can delete the project deletes its trail.',
  severity: 'medium',
  service: 'logging',
  frameworks: [cis('2.2'), ...themes('logging', 'retention')],
  remediation: 'Create a sink with an empty filter to a Cloud Storage bucket, BigQuery dataset or Pub/Sub topic (ideally in a separate logging project, or an aggregated sink at organisation level).',
  references: ['https://cloud.google.com/logging/docs/export/configure_export_v2'],
  live: {
    kinds: [GCP.project, GCP.logSink],
    check: (r, ctx) => (r.kind === GCP.project ? sinkForAll(r, ctx) : []),
    cli: 'gcloud logging sinks create <sink> storage.googleapis.com/<bucket>  # no --log-filter: every entry; then grant the sink writer identity roles/storage.objectCreator on the bucket',
    console: 'Logging → Log Router → Create sink → destination → leave the inclusion filter empty → Create.',
    bad: [
      collected('gcp', [projectRes({}), sink('errors', { destination: 'storage.googleapis.com/example-logs', filter: 'severity>=ERROR' }), sink('off', { destination: 'storage.googleapis.com/example-logs', disabled: true })], [PROJECT_NAME]),
      collected('gcp', [projectRes({})], [PROJECT_NAME]),
    ],
    good: [collected('gcp', [projectRes({}), sink('everything', { destination: 'storage.googleapis.com/example-logs' }), sink('errors', { destination: 'bigquery.googleapis.com/projects/p/datasets/d', filter: 'severity>=ERROR' })])],
  },
});

const STORAGE_PREFIX = 'storage.googleapis.com/';

function lockedDestination(r: Resource, ctx: RuleContext): Violation[] {
  const dest = str(r.attrs['destination']) ?? '';
  if (!dest.startsWith(STORAGE_PREFIX) || bool(r.attrs['disabled']) === true) return [];
  const name = dest.slice(STORAGE_PREFIX.length).split('/')[0] ?? '';
  const b = ctx.byKind(GCP.bucket).find((x) => str(x.attrs['name']) === name);
  if (b === undefined) return [{ path: ['destination'], message: `not assessed: the destination bucket ${name} is not in this scan (another project, or not readable)`, notAssessed: true }];
  const period = Number(str(dig(b.attrs, 'retentionPolicy', 'retentionPeriod')) ?? '0');
  if (!(period > 0)) return [violation(['destination'], `the destination bucket ${name} has no retention policy`)];
  return bool(dig(b.attrs, 'retentionPolicy', 'isLocked')) === true ? [] : [violation(['destination'], `the retention policy of the destination bucket ${name} is not locked`)];
}

const KEPT = { retentionPolicy: { retentionPeriod: '31536000', effectiveTime: '2025-01-01T00:00:00Z', isLocked: true } };

export const sinkBucketLocked = liveRule('gcp', {
  id: 'VGL-GCP-103',
  title: 'Log sink bucket has no locked retention policy',
  description:
    'Exported logs in a bucket without a locked retention policy can be deleted or overwritten by anyone with storage admin rights — including an intruder covering their tracks. A locked policy makes the logs undeletable for the period.',
  severity: 'medium',
  service: 'logging',
  frameworks: [cis('2.3'), ...themes('retention')],
  remediation: 'Set a retention policy on the sink\'s destination bucket and lock it (locking cannot be undone).',
  references: ['https://cloud.google.com/storage/docs/bucket-lock'],
  live: {
    kinds: [GCP.logSink],
    check: lockedDestination,
    cli: 'gcloud storage buckets update gs://<bucket> --retention-period=<seconds>s && gcloud storage buckets update gs://<bucket> --lock-retention-period',
    console: 'Cloud Storage → the sink\'s bucket → Protection → Bucket retention policy → Set, then Lock.',
    bad: [
      collected(
        'gcp',
        [
          sink('unlocked', { destination: 'storage.googleapis.com/logs-unlocked' }),
          sink('bare', { destination: 'storage.googleapis.com/logs-bare' }),
          sink('locked', { destination: 'storage.googleapis.com/logs-locked' }),
          liveBucket('logs-unlocked', { retentionPolicy: { retentionPeriod: '31536000', effectiveTime: '2025-01-01T00:00:00Z' } }),
          liveBucket('logs-bare', {}),
          liveBucket('logs-locked', KEPT),
        ],
        [sinkId('unlocked'), sinkId('bare')],
      ),
    ],
    good: [
      collected('gcp', [
        sink('locked', { destination: 'storage.googleapis.com/logs-locked' }),
        sink('bq', { destination: 'bigquery.googleapis.com/projects/p/datasets/logs' }),
        sink('default', { destination: `logging.googleapis.com/projects/${PROJECT_ID}/locations/global/buckets/_Default` }),
        liveBucket('logs-locked', KEPT),
      ]),
    ],
  },
});

export const LOGGING_LIVE_RULES: readonly Rule[] = [auditLogs, auditExemptions, sinkAllEntries, sinkBucketLocked];
