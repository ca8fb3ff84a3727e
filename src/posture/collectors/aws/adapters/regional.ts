/**
 * Sub-call answers → attrs (pure) for the regional services: RDS snapshot attributes,
 * CloudTrail status and event selectors, KMS key metadata / rotation / policy / aliases,
 * metric-filter alarms, SNS topic attributes and subscriptions, Config recorder status,
 * GuardDuty detectors.
 */
import { isObject } from '../../../attrs.js';
import type { AwsData } from '../api/types.js';
import type { SubCall } from '../collect/context.js';
import { invalid } from '../collect/context.js';
import { parsePolicyDocument } from './policy-doc.js';

type Obj = Record<string, unknown>;
const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function dbSnapshotAttributesCall(snapshotId: string): SubCall {
  return {
    keys: ['DBSnapshotAttributes'],
    id: 'rds.DescribeDBSnapshotAttributes',
    input: { DBSnapshotIdentifier: snapshotId },
    pick: (d: AwsData) => {
      const res = isObject(d['DBSnapshotAttributesResult']) ? d['DBSnapshotAttributesResult'] : {};
      return { DBSnapshotAttributes: listOf(res['DBSnapshotAttributes']) };
    },
  };
}

export function trailSubCalls(trailArn: string): SubCall[] {
  return [
    {
      keys: ['Status'],
      id: 'cloudtrail.GetTrailStatus',
      input: { Name: trailArn },
      pick: (d: AwsData) => ({ Status: d }),
    },
    {
      keys: ['EventSelectors', 'AdvancedEventSelectors'],
      id: 'cloudtrail.GetEventSelectors',
      input: { TrailName: trailArn },
      pick: (d: AwsData) => ({ EventSelectors: listOf(d['EventSelectors']), AdvancedEventSelectors: listOf(d['AdvancedEventSelectors']) }),
    },
  ];
}

/** Is `trail` reported from `region`? Its home region; a trail homed in a region not scanned is reported from the first scanned region. */
export function trailBelongsTo(trail: Obj, region: string, scanned: readonly string[]): boolean {
  const home = typeof trail['HomeRegion'] === 'string' ? trail['HomeRegion'] : undefined;
  if (home === undefined || home === region) return true;
  return !scanned.includes(home) && scanned[0] === region;
}

export function describeKeyCall(keyId: string): SubCall {
  return {
    keys: ['KeyMetadata'],
    id: 'kms.DescribeKey',
    input: { KeyId: keyId },
    pick: (d: AwsData) => (isObject(d['KeyMetadata']) ? { KeyMetadata: d['KeyMetadata'] } : invalid('DescribeKey answered without KeyMetadata')),
  };
}

const NO_ROTATION_STATES = new Set(['PendingDeletion', 'PendingReplicaDeletion', 'Unavailable', 'PendingImport']);

/** Rotation and key policy are asked for customer-managed keys only (AWS rotates its own keys; their policies are AWS's). */
export function customerKeyCalls(keyId: string, meta: Obj): SubCall[] {
  if (meta['KeyManager'] !== 'CUSTOMER') return [];
  const calls: SubCall[] = [];
  const state = typeof meta['KeyState'] === 'string' ? meta['KeyState'] : '';
  const spec = meta['KeySpec'] ?? meta['CustomerMasterKeySpec'] ?? 'SYMMETRIC_DEFAULT';
  if (spec === 'SYMMETRIC_DEFAULT' && meta['Origin'] !== 'EXTERNAL' && !NO_ROTATION_STATES.has(state)) {
    calls.push({
      keys: ['KeyRotationEnabled', 'RotationPeriodInDays'],
      id: 'kms.GetKeyRotationStatus',
      input: { KeyId: keyId },
      pick: (d: AwsData) =>
        typeof d['KeyRotationEnabled'] === 'boolean'
          ? { KeyRotationEnabled: d['KeyRotationEnabled'], RotationPeriodInDays: d['RotationPeriodInDays'] ?? null }
          : invalid('GetKeyRotationStatus answered without KeyRotationEnabled'),
    });
  }
  calls.push({
    keys: ['Policy'],
    id: 'kms.GetKeyPolicy',
    input: { KeyId: keyId, PolicyName: 'default' },
    pick: (d: AwsData) => {
      const p = parsePolicyDocument(d['Policy']);
      return p.ok ? { Policy: p.value } : invalid(`key policy: ${p.message}`);
    },
  });
  return calls;
}

/** ListAliases → alias entries by the key they point at. */
export function aliasesByKey(aliases: readonly unknown[]): Map<string, Obj[]> {
  const by = new Map<string, Obj[]>();
  for (const a of aliases) {
    if (!isObject(a) || typeof a['TargetKeyId'] !== 'string') continue;
    const list = by.get(a['TargetKeyId']);
    if (list) list.push(a);
    else by.set(a['TargetKeyId'], [a]);
  }
  return by;
}

/** DescribeAlarmsForMetric for one metric transformation of a metric filter. */
export function alarmsForMetricCall(metricName: string, namespace: string): SubCall {
  return {
    keys: ['Alarms'],
    id: 'monitoring.DescribeAlarmsForMetric',
    input: { MetricName: metricName, Namespace: namespace },
    pick: (d: AwsData) => ({ Alarms: listOf(d['MetricAlarms']) }),
  };
}

/** SNS topic ARNs among alarms' actions. */
export function alarmTopics(alarms: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const a of alarms) {
    if (!isObject(a)) continue;
    for (const action of listOf(a['AlarmActions'])) if (typeof action === 'string' && action.startsWith('arn:') && action.split(':')[2] === 'sns') out.push(action);
  }
  return out;
}

export function topicSubCalls(topicArn: string): SubCall[] {
  return [
    { keys: ['Attributes'], id: 'sns.GetTopicAttributes', input: { TopicArn: topicArn }, pick: (d: AwsData) => ({ Attributes: isObject(d['Attributes']) ? d['Attributes'] : {} }) },
    { keys: ['Subscriptions'], id: 'sns.ListSubscriptionsByTopic', input: { TopicArn: topicArn }, pick: (d: AwsData) => ({ Subscriptions: listOf(d['Subscriptions']) }) },
  ];
}

export function detectorCall(detectorId: string): SubCall {
  return {
    keys: ['Detector'],
    id: 'guardduty.GetDetector',
    input: { DetectorId: detectorId },
    pick: (d: AwsData) => ({ Detector: d }),
  };
}

/** Config recorder statuses by recorder name. */
export function recorderStatusByName(statuses: readonly unknown[]): Map<string, Obj> {
  const by = new Map<string, Obj>();
  for (const s of statuses) if (isObject(s) && typeof s['name'] === 'string') by.set(s['name'], s);
  return by;
}
