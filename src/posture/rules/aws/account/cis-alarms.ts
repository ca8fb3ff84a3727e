/**
 * CIS AWS Foundations 4.1–4.15, one rule per row of cis-alarm-table.ts (VGL-AWS-270…284), all
 * built here: the account passes when a logging trail delivers to a CloudWatch Logs group that
 * has a metric filter containing the CIS pattern's comparisons (filter-pattern.ts says what
 * counts as the same pattern), with an enabled alarm that notifies an SNS topic; a topic that
 * was collected must have at least one confirmed subscription (CIS asks for a subscriber).
 *
 * Like Prowler, any logging trail with a log group counts (CIS speaks of the multi-region trail:
 * VGL-AWS-250 checks that one exists). A failed listing of trails or metric filters in a region,
 * or a matching filter whose alarms could not be read, gives "not assessed", never a fail.
 */
import { at, isObject, list, num, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { collected, needs, type ExampleResource } from '../../shared/live.js';
import { awsRule, cis, csf, iso, nist, pci, soc2 } from '../lib/define.js';
import { CIS_EVENTS, type CisEvent } from './cis-alarm-table.js';
import { filterTerms, patternCovers } from './filter-pattern.js';
import { ACCOUNT, accountArn, accountRes, AWS_KINDS, REGION, regional, regionRes, sameScope, trail, unknownInRegions } from './lib.js';

interface LogGroup {
  readonly name: string;
  readonly region: string;
}

/** `arn:aws:logs:<region>:<account>:log-group:<name>:*` → name and region. */
function logGroup(arn: unknown): LogGroup | undefined {
  const parts = (str(arn) ?? '').split(':');
  return parts.length >= 7 && parts[2] === 'logs' && parts[5] === 'log-group' && parts[6] !== '' ? { name: parts[6]!, region: parts[3]! } : undefined;
}

/** Does the alarm notify an SNS topic that (when collected) has a confirmed subscription? */
function notifies(alarm: unknown, ctx: RuleContext): boolean {
  if (!isObject(alarm) || alarm['ActionsEnabled'] === false) return false;
  return list(alarm['AlarmActions']).some((a) => {
    if (typeof a !== 'string' || !/^arn:aws[a-z-]*:sns:/.test(a)) return false;
    const topic = ctx.byId(a);
    const subs = topic?.attrs['Subscriptions'];
    if (Array.isArray(subs)) return subs.some((s) => isObject(s) && str(s['SubscriptionArn']) !== undefined && str(s['SubscriptionArn']) !== 'PendingConfirmation');
    // Subscriptions not read: GetTopicAttributes' count of confirmed ones, else the topic is taken as subscribed.
    const confirmed = num(at(topic?.attrs, ['Attributes', 'SubscriptionsConfirmed']));
    return confirmed === undefined || confirmed > 0;
  });
}

function alarmCheck(e: CisEvent) {
  const wanted = filterTerms(e.pattern);
  return (r: Resource, ctx: RuleContext): Violation[] => {
    if (r.kind !== AWS_KINDS.account) return [];
    const groups = sameScope(ctx, r, AWS_KINDS.trail)
      .filter((t) => isObject(t.attrs['Status']) && t.attrs['Status']['IsLogging'] === true)
      .flatMap((t) => logGroup(t.attrs['CloudWatchLogsLogGroupArn']) ?? []);
    const filters = sameScope(ctx, r, AWS_KINDS.metricFilter).filter(
      (f) => groups.some((g) => g.name === str(f.attrs['logGroupName']) && g.region === f.region) && patternCovers(str(f.attrs['filterPattern']) ?? '', wanted),
    );
    const unread: Violation[] = [];
    for (const f of filters) {
      const missing = needs(f, 'Alarms');
      if (missing.length > 0) unread.push(...missing);
      else if (list(f.attrs['Alarms']).some((a) => notifies(a, ctx))) return [];
    }
    const unknown = [...unknownInRegions(ctx, r, AWS_KINDS.trail), ...unknownInRegions(ctx, r, AWS_KINDS.metricFilter), ...unread];
    if (unknown.length > 0) return unknown.slice(0, 1);
    if (groups.length === 0) return [violation([], `no logging trail delivers to CloudWatch Logs, so nothing can alarm on ${e.what}`)];
    if (filters.length === 0) return [violation([], `no metric filter on the trail log group (${groups.map((g) => g.name).join(', ')}) matches the CIS ${e.control} pattern for ${e.what}`)];
    return [violation([], `the metric filter ${filters[0]!.name} for ${e.what} has no enabled alarm notifying a subscribed SNS topic`)];
  };
}

// Examples ------------------------------------------------------------------------------------

const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:security-alerts`;

function filter(e: CisEvent, pattern: string, alarms: unknown[], group = 'trail'): ExampleResource {
  return regional('AWS::Logs::MetricFilter', `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:metric-filter:${e.metric}`, {
    filterName: e.metric,
    filterPattern: pattern,
    logGroupName: group,
    metricTransformations: [{ metricName: e.metric, metricNamespace: 'CISBenchmark', metricValue: '1' }],
    Alarms: alarms,
  });
}

const alarm = (e: CisEvent, topic = TOPIC): Record<string, unknown> => ({ AlarmName: `cis-${e.metric}`, ActionsEnabled: true, AlarmActions: [topic], MetricName: e.metric, Namespace: 'CISBenchmark' });

function topic(subscribed: boolean): ExampleResource {
  return regional('AWS::SNS::Topic', TOPIC, {
    TopicArn: TOPIC,
    Attributes: { SubscriptionsConfirmed: subscribed ? '1' : '0' },
    Subscriptions: subscribed ? [{ SubscriptionArn: `${TOPIC}:5f1c`, Protocol: 'email', Endpoint: 'security@example.com' }] : [],
  });
}

const base = (): ExampleResource[] => [accountRes(), regionRes(), trail('main')];

/** The CIS pattern written differently: no spaces around operators, plus an extra exclusion (CIS 3.0 style). */
function equivalent(pattern: string): string {
  const compact = pattern.replace(/ = /g, '=').replace(/ != /g, '!=');
  const close = compact.lastIndexOf('}');
  return `${compact.slice(0, close)} && ($.sourceIPAddress != "delivery.logs.amazonaws.com") }`;
}

function cisAlarmRule(e: CisEvent, index: number): Rule {
  const other = CIS_EVENTS[(index + 1) % CIS_EVENTS.length]!;
  return awsRule({
    id: e.id,
    title: `No CloudWatch alarm for ${e.what}`,
    description: `No metric filter and alarm watch the CloudTrail log group for ${e.what}. ${e.why} Without an alarm the event is only found by someone searching the logs later (CIS AWS Foundations ${e.control}).`,
    severity: 'medium',
    service: 'cloudwatch',
    frameworks: [cis(e.control), nist('AU-6'), nist('SI-4'), csf('DE.CM-01'), csf('DE.AE-02'), iso('A.8.16'), soc2('CC7.2'), pci('10.4.1')],
    remediation: `Add a metric filter with the CIS ${e.control} pattern on the trail's log group, an alarm on its metric (≥ 1 in 5 minutes) and an SNS topic with a subscriber. Pattern: ${e.pattern}`,
    references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html', 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html'],
    live: {
      kinds: [AWS_KINDS.account, AWS_KINDS.trail, AWS_KINDS.metricFilter],
      check: alarmCheck(e),
      cli: `aws logs put-metric-filter --log-group-name <trail-log-group> --filter-name ${e.metric} --metric-transformations metricName=${e.metric},metricNamespace=CISBenchmark,metricValue=1 --filter-pattern '${e.pattern}' && aws cloudwatch put-metric-alarm --alarm-name cis-${e.metric} --metric-name ${e.metric} --namespace CISBenchmark --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --alarm-actions <sns-topic-arn>`,
      console: 'CloudWatch → Log groups → the trail log group → Metric filters → Create metric filter (the CIS pattern) → then Create alarm on the metric → notify an SNS topic with a subscriber.',
      bad: [
        collected('aws', [...base(), filter(other, other.pattern, [alarm(other)]), topic(true)], [accountArn()]),
        collected('aws', [...base(), filter(e, e.pattern, [alarm(e)]), topic(false)], [accountArn()]),
        collected('aws', [...base(), filter(e, e.pattern, [alarm(e)], 'application'), topic(true)], [accountArn()]),
      ],
      good: [
        collected('aws', [...base(), filter(e, e.pattern, [alarm(e)]), topic(true)]),
        collected('aws', [...base(), filter(e, equivalent(e.pattern), [alarm(e, `arn:aws:sns:${REGION}:${ACCOUNT}:not-collected`)])]),
      ],
    },
  });
}

export const cisAlarmRules: readonly Rule[] = CIS_EVENTS.map(cisAlarmRule);
