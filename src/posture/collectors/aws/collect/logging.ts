/**
 * Logging and monitoring in one region: CloudTrail trails with status and event selectors,
 * CloudWatch Logs metric filters with the alarms on their metrics (the SNS topics those alarms
 * notify are collected once per account afterwards, see `collectTopics`), AWS Config
 * recorders and delivery channels.
 */
import type { SubCallGap } from '../../types.js';
import { objects } from '../adapters/ec2.js';
import { alarmTopics, alarmsForMetricCall, recorderStatusByName, topicSubCalls, trailBelongsTo, trailSubCalls } from '../adapters/regional.js';
import { AWS_KINDS } from '../kinds.js';
import type { CollectContext } from './context.js';
import { addResource, arn, arnOr, each, list, single, subCalls, subGap } from './context.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export async function collectCloudTrail(ctx: CollectContext, region: string, scanned: readonly string[]): Promise<void> {
  const res = await single(ctx, 'cloudtrail.DescribeTrails', region, { includeShadowTrails: true });
  if (!res) return;
  const trails = objects(Array.isArray(res['trailList']) ? res['trailList'] : []).filter((t) => str(t['TrailARN']) && trailBelongsTo(t, region, scanned));
  await each(ctx, trails, async (t) => {
    const trailArn = t['TrailARN'] as string;
    const sub = await subCalls(ctx, trailSubCalls(trailArn), region);
    addResource(ctx, {
      kind: AWS_KINDS.trail,
      id: trailArn,
      name: str(t['Name']) ?? trailArn,
      region: str(t['HomeRegion']) ?? region,
      account: trailArn.split(':')[4] || ctx.account,
      attrs: { ...t, ...sub.attrs },
      gaps: sub.gaps,
    });
  });
}

/** Metric filters with their alarms; returns the SNS topics the alarms notify. */
export async function collectMetricFilters(ctx: CollectContext, region: string): Promise<string[]> {
  const filters = objects((await list(ctx, 'logs.DescribeMetricFilters', region)).items).filter((f) => str(f['filterName']) && str(f['logGroupName']));
  const topics: string[] = [];
  await each(ctx, filters, async (f) => {
    const alarms: unknown[] = [];
    const gaps: Record<string, SubCallGap> = {};
    for (const t of objects(Array.isArray(f['metricTransformations']) ? f['metricTransformations'] : [])) {
      const metric = str(t['metricName']);
      const namespace = str(t['metricNamespace']);
      if (!metric || !namespace) continue;
      const sub = await subCalls(ctx, [alarmsForMetricCall(metric, namespace)], region);
      Object.assign(gaps, sub.gaps);
      const found: unknown = sub.attrs['Alarms'];
      if (Array.isArray(found)) for (const a of found as unknown[]) alarms.push(a);
    }
    topics.push(...alarmTopics(alarms));
    const group = f['logGroupName'] as string;
    const name = f['filterName'] as string;
    addResource(ctx, {
      kind: AWS_KINDS.metricFilter,
      id: arn(ctx, 'logs', region, `log-group:${group}:metric-filter:${name}`),
      name,
      region,
      attrs: gaps['Alarms'] ? f : { ...f, Alarms: alarms },
      gaps,
      refs: [arn(ctx, 'logs', region, `log-group:${group}`)],
    });
  });
  return topics;
}

/** SNS topics (once per account, in each topic's own region). */
export async function collectTopics(ctx: CollectContext, topicArns: readonly string[]): Promise<void> {
  const unique = [...new Set(topicArns)];
  await each(ctx, unique, async (topicArn) => {
    const parts = topicArn.split(':');
    const region = parts[3] || ctx.globalRegion;
    const sub = await subCalls(ctx, topicSubCalls(topicArn), region);
    addResource(ctx, { kind: AWS_KINDS.snsTopic, id: topicArn, name: parts[5] ?? topicArn, region, account: parts[4] || ctx.account, attrs: { TopicArn: topicArn, ...sub.attrs }, gaps: sub.gaps });
  });
}

export async function collectConfig(ctx: CollectContext, region: string): Promise<void> {
  const recorders = await single(ctx, 'config.DescribeConfigurationRecorders', region);
  if (recorders) {
    const list = objects(Array.isArray(recorders['ConfigurationRecorders']) ? recorders['ConfigurationRecorders'] : []);
    let statuses: Map<string, Record<string, unknown>> | undefined;
    let statusGap: SubCallGap | undefined;
    if (list.length > 0) {
      const res = await ctx.api.call('config.DescribeConfigurationRecorderStatus', region);
      if (res.ok) statuses = recorderStatusByName(Array.isArray(res.data['ConfigurationRecordersStatus']) ? res.data['ConfigurationRecordersStatus'] : []);
      else statusGap = subGap('config.DescribeConfigurationRecorderStatus', res.error);
    }
    for (const r of list) {
      const name = str(r['name']) ?? 'default';
      const attrs: Record<string, unknown> = { ...r };
      if (statuses) attrs['Status'] = statuses.get(name) ?? null;
      addResource(ctx, {
        kind: AWS_KINDS.configRecorder,
        id: arnOr(r['arn'], arn(ctx, 'config', region, `config-recorder/${name}`)),
        name,
        region,
        attrs,
        gaps: statusGap ? { Status: statusGap } : undefined,
      });
    }
  }
  const channels = await single(ctx, 'config.DescribeDeliveryChannels', region);
  if (channels) {
    for (const c of objects(Array.isArray(channels['DeliveryChannels']) ? channels['DeliveryChannels'] : [])) {
      const name = str(c['name']) ?? 'default';
      addResource(ctx, { kind: AWS_KINDS.deliveryChannel, id: arn(ctx, 'config', region, `delivery-channel/${name}`), name, region, attrs: c });
    }
  }
}

