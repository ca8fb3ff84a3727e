/**
 * A log-based metric and an alerting policy per CIS GCP event (2.4 – 2.11), table-driven:
 * VGL-GCP-104 … 111, checked on the project. A metric counts when it is enabled and its filter
 * holds every term of the CIS filter (compared after lower-casing and removing blanks, so
 * spacing, quoting style and term order do not matter); it is alerted on when an enabled
 * alerting policy has a condition naming `logging.googleapis.com/user/<metric>`.
 */
import { bool, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { liveRule } from '../../shared/define.js';
import { collected, type ExampleResource } from '../../shared/live.js';
import { cis } from '../lib/define.js';
import { gcpRes, GCP, items, PROJECT_ID, PROJECT_NAME, projectRes, sameProject, unknownKinds } from '../lib/live.js';

interface EventRow {
  readonly id: string;
  readonly cis: string;
  /** What changes ("project ownership assignments"). */
  readonly what: string;
  /** The filter CIS gives, used in the fix and the examples. */
  readonly filter: string;
  /** Terms the metric filter must hold (lower case, no blanks). */
  readonly terms: readonly string[];
  readonly why: string;
}

const EVENTS: readonly EventRow[] = [
  {
    id: 'VGL-GCP-104',
    cis: '2.4',
    what: 'project ownership assignments and changes',
    filter:
      '(protoPayload.serviceName="cloudresourcemanager.googleapis.com") AND (ProjectOwnership OR projectOwnerInvitee) OR (protoPayload.serviceData.policyDelta.bindingDeltas.action="REMOVE" AND protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner") OR (protoPayload.serviceData.policyDelta.bindingDeltas.action="ADD" AND protoPayload.serviceData.policyDelta.bindingDeltas.role="roles/owner")',
    terms: ['cloudresourcemanager.googleapis.com', 'projectownership', 'projectownerinvitee', 'bindingdeltas.action="remove"', 'bindingdeltas.action="add"', 'bindingdeltas.role="roles/owner"'],
    why: 'A new owner controls everything in the project, including its logs.',
  },
  {
    id: 'VGL-GCP-105',
    cis: '2.5',
    what: 'audit configuration changes',
    filter: 'protoPayload.methodName="SetIamPolicy" AND protoPayload.serviceData.policyDelta.auditConfigDeltas:*',
    terms: ['methodname="setiampolicy"', 'auditconfigdeltas:*'],
    why: 'Turning audit logging down is how an intruder hides what comes next.',
  },
  {
    id: 'VGL-GCP-106',
    cis: '2.6',
    what: 'custom role changes',
    filter: 'resource.type="iam_role" AND (protoPayload.methodName="google.iam.admin.v1.CreateRole" OR protoPayload.methodName="google.iam.admin.v1.DeleteRole" OR protoPayload.methodName="google.iam.admin.v1.UpdateRole")',
    terms: ['resource.type="iam_role"', 'google.iam.admin.v1.createrole', 'google.iam.admin.v1.deleterole', 'google.iam.admin.v1.updaterole'],
    why: 'Widening a custom role silently grants its new permissions to everyone who holds it.',
  },
  {
    id: 'VGL-GCP-107',
    cis: '2.7',
    what: 'VPC firewall rule changes',
    filter: 'resource.type="gce_firewall_rule" AND (protoPayload.methodName:"compute.firewalls.patch" OR protoPayload.methodName:"compute.firewalls.insert" OR protoPayload.methodName:"compute.firewalls.delete")',
    terms: ['resource.type="gce_firewall_rule"', 'compute.firewalls.patch', 'compute.firewalls.insert', 'compute.firewalls.delete'],
    why: 'A new or widened firewall rule can open instances to the Internet.',
  },
  {
    id: 'VGL-GCP-108',
    cis: '2.8',
    what: 'VPC network route changes',
    filter: 'resource.type="gce_route" AND (protoPayload.methodName:"compute.routes.delete" OR protoPayload.methodName:"compute.routes.insert")',
    terms: ['resource.type="gce_route"', 'compute.routes.delete', 'compute.routes.insert'],
    why: 'A changed route can send traffic through an attacker-controlled instance.',
  },
  {
    id: 'VGL-GCP-109',
    cis: '2.9',
    what: 'VPC network changes',
    filter:
      'resource.type="gce_network" AND (protoPayload.methodName:"compute.networks.insert" OR protoPayload.methodName:"compute.networks.patch" OR protoPayload.methodName:"compute.networks.delete" OR protoPayload.methodName:"compute.networks.removePeering" OR protoPayload.methodName:"compute.networks.addPeering")',
    terms: ['resource.type="gce_network"', 'compute.networks.insert', 'compute.networks.patch', 'compute.networks.delete', 'compute.networks.removepeering', 'compute.networks.addpeering'],
    why: 'New networks and peerings change who can reach what.',
  },
  {
    id: 'VGL-GCP-110',
    cis: '2.10',
    what: 'Cloud Storage IAM permission changes',
    filter: 'resource.type="gcs_bucket" AND protoPayload.methodName="storage.setIamPermissions"',
    terms: ['resource.type="gcs_bucket"', 'storage.setiampermissions'],
    why: 'A bucket permission change is how data becomes public.',
  },
  {
    id: 'VGL-GCP-111',
    cis: '2.11',
    what: 'Cloud SQL instance configuration changes',
    filter: 'protoPayload.methodName="cloudsql.instances.update"',
    terms: ['cloudsql.instances.update'],
    why: 'Instance changes include authorized networks, public IP and TLS settings.',
  },
];

/** Lower case without blanks, single quotes as double: the form terms are compared in (linear). */
const squash = (s: string): string => s.toLowerCase().replace(/\s+/g, '').replace(/'/g, '"');

const metricRef = (name: string): string => `logging.googleapis.com/user/${name.toLowerCase()}`;

function eventCheck(row: EventRow) {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    const gaps = unknownKinds(r, GCP.logMetric, GCP.alertPolicy);
    if (gaps.length > 0) return gaps;
    const metrics = sameProject(ctx, r, GCP.logMetric).filter((m) => {
      const filter = str(m.attrs['filter']);
      return bool(m.attrs['disabled']) !== true && filter !== undefined && row.terms.every((t) => squash(filter).includes(t));
    });
    if (metrics.length === 0) return [violation(['logging.googleapis.com/LogMetric'], `no log-based metric filters ${row.what}`)];
    const alerted = sameProject(ctx, r, GCP.alertPolicy).some((p) => {
      if (bool(p.attrs['enabled']) === false) return false;
      const conditions = items(p.attrs['conditions']).map(({ item }) => JSON.stringify(item).toLowerCase());
      return metrics.some((m) => conditions.some((c) => c.includes(metricRef(str(m.attrs['name']) ?? ''))));
    });
    return alerted ? [] : [violation(['monitoring.googleapis.com/AlertPolicy'], `no enabled alerting policy uses the metric ${metrics.map((m) => str(m.attrs['name']) ?? '').join(', ')} for ${row.what}`)];
  };
}

const metric = (name: string, filter: string, extra: Record<string, unknown> = {}): ExampleResource =>
  gcpRes(GCP.logMetric, `//logging.googleapis.com/projects/${PROJECT_ID}/metrics/${name}`, { name, filter, metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64' }, ...extra });

const alert = (name: string, metricName: string, enabled = true): ExampleResource =>
  gcpRes(GCP.alertPolicy, `//monitoring.googleapis.com/projects/${PROJECT_ID}/alertPolicies/${name}`, {
    name: `projects/${PROJECT_ID}/alertPolicies/${name}`,
    displayName: name,
    enabled,
    combiner: 'OR',
    conditions: [{ displayName: metricName, conditionThreshold: { filter: `resource.type = "global" AND metric.type = "logging.googleapis.com/user/${metricName}"`, comparison: 'COMPARISON_GT', thresholdValue: 0, duration: '0s' } }],
    notificationChannels: [`projects/${PROJECT_ID}/notificationChannels/1`],
  });

/** The CIS filter rewritten the way people do: other line breaks and single quotes. */
const reformatted = (filter: string): string => filter.replace(/"/g, "'").replace(/ AND /g, '\nAND ');

function eventRule(row: EventRow): Rule {
  const name = `cis-${row.cis.replace('.', '-')}`;
  return liveRule('gcp', {
    id: row.id,
    title: `No log metric filter and alert for ${row.what}`,
    description: `${row.why} Without a log-based metric on ${row.what} and an alerting policy on it, nobody is told when it happens.`,
    severity: 'medium',
    service: 'logging',
    frameworks: [cis(row.cis), ...themes('monitoring', 'logging')],
    remediation: `Create a log-based metric with the CIS filter for ${row.what} and an alerting policy (threshold > 0) on it with a notification channel.`,
    references: ['https://cloud.google.com/logging/docs/logs-based-metrics', 'https://cloud.google.com/monitoring/alerts/using-alerting-ui'],
    live: {
      kinds: [GCP.project, GCP.logMetric, GCP.alertPolicy],
      check: (r, ctx) => (r.kind === GCP.project ? eventCheck(row)(r, ctx) : []),
      cli: `gcloud logging metrics create ${name} --description="CIS ${row.cis}" --log-filter='${row.filter}' && gcloud alpha monitoring policies create --policy-from-file=<policy-on-logging.googleapis.com/user/${name}>.json`,
      console: `Logging → Log-based Metrics → Create metric (Counter) with the CIS ${row.cis} filter; then ⋮ → Create alert from metric → threshold above 0 → notification channel → Save.`,
      bad: [
        collected('gcp', [projectRes({}), metric(name, row.filter)], [PROJECT_NAME]),
        collected('gcp', [projectRes({}), metric(name, row.filter), alert('disabled', name, false)], [PROJECT_NAME]),
        collected('gcp', [projectRes({}), metric('other', 'protoPayload.methodName="storage.buckets.create"'), alert('other', 'other')], [PROJECT_NAME]),
      ],
      good: [collected('gcp', [projectRes({}), metric(name, reformatted(row.filter)), alert('on-call', name)])],
    },
  });
}

export const ALERT_RULES: readonly Rule[] = EVENTS.map(eventRule);
