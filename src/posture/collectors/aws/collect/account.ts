/**
 * One account, end to end, over any AwsApi: who we are (STS), which regions are enabled (EC2
 * DescribeRegions with opt-in status), the account-wide services once, every regional service in
 * every scanned region (regions in parallel under a limit; one at a time against recordings),
 * then the SNS topics the monitoring alarms notify.
 */
import { isObject } from '../../../attrs.js';
import type { Resource } from '../../../model.js';
import type { CollectProgress, CollectResult, CollectionGap, SubCallGap } from '../../types.js';
import { describeError } from '../api/errors.js';
import { mapLimit } from '../api/limit.js';
import type { AwsApi } from '../api/types.js';
import { ALL_AWS_KINDS, AWS_KINDS, GLOBAL_KINDS, REGIONAL_KINDS } from '../kinds.js';
import type { AwsCollectOptions, AwsServiceGroup } from '../options.js';
import { defaultGlobalRegion, GLOBAL_GROUPS, isRegionName, partitionOf, REGIONAL_GROUPS } from '../options.js';
import type { CollectContext } from './context.js';
import { addGap } from './context.js';
import { collectData } from './dispatch.js';
import { addRegions } from './detect.js';
import { collectTopics } from './logging.js';

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface RegionEntry {
  RegionName: string;
  [k: string]: unknown;
}

async function regionsToScan(ctx: CollectContext, options: AwsCollectOptions): Promise<RegionEntry[]> {
  const res = await ctx.api.call('ec2.DescribeRegions', ctx.globalRegion, { AllRegions: true });
  const wanted = options.regions?.filter((r) => isRegionName(r));
  for (const bad of options.regions?.filter((r) => !isRegionName(r)) ?? []) {
    ctx.gaps.push({ provider: 'aws', target: ctx.account, region: bad.slice(0, 40), service: 'ec2', operation: 'DescribeRegions', reason: 'error', message: `"${bad.slice(0, 40)}" is not a region name`, kinds: [] });
  }
  if (!res.ok) {
    const fallback = wanted && wanted.length > 0 ? wanted : [ctx.globalRegion];
    addGap(ctx, 'ec2.DescribeRegions', ctx.globalRegion, { ...res.error, message: `${res.error.message}; scanned ${fallback.join(', ')} only` }, wanted && wanted.length > 0 ? [] : [...REGIONAL_KINDS]);
    return fallback.map((RegionName) => ({ RegionName }));
  }
  const all = (Array.isArray(res.data['Regions']) ? res.data['Regions'] : []).filter(
    (r): r is RegionEntry => isObject(r) && typeof r['RegionName'] === 'string',
  );
  const enabled = all.filter((r) => r['OptInStatus'] !== 'not-opted-in');
  if (!wanted || wanted.length === 0) return enabled;
  const out: RegionEntry[] = [];
  for (const name of wanted) {
    const entry = all.find((r) => r.RegionName === name);
    if (entry && entry['OptInStatus'] !== 'not-opted-in') out.push(entry);
    else {
      ctx.gaps.push({
        provider: 'aws',
        target: ctx.account,
        region: name,
        service: 'ec2',
        operation: 'DescribeRegions',
        reason: entry ? 'not-enabled' : 'error',
        message: entry ? `region ${name} is not enabled (opted in) for this account` : `region ${name} is not among the account's regions`,
        kinds: [...REGIONAL_KINDS],
      });
    }
  }
  return out;
}

function selected(options: AwsCollectOptions): { global: AwsServiceGroup[]; regional: AwsServiceGroup[] } {
  const want = (g: AwsServiceGroup): boolean => !options.services || options.services.includes(g);
  return { global: GLOBAL_GROUPS.filter(want), regional: REGIONAL_GROUPS.filter(want) };
}

/**
 * Failed top-level calls on the resources account- and region-level rules hang their checks on:
 * each region resource gets `meta.gaps[kind]` for the regional kinds a call in that region (or a
 * call for every region) left unknown, the account resource for the global kinds. "GuardDuty is on
 * in every region" then reads `needs(region, kind)` and says "not assessed" rather than "off"
 * when ListDetectors was refused. DescribeRegions gaps are left out: they mean a region was not
 * scanned (and has no resource), not that a scanned region's data is missing.
 */
function markAnchors(resources: Resource[], gaps: readonly CollectionGap[]): void {
  const global = new Set<string>(GLOBAL_KINDS);
  for (const [i, r] of resources.entries()) {
    if (r.kind !== AWS_KINDS.region && r.kind !== AWS_KINDS.account) continue;
    const own: Record<string, SubCallGap> = {};
    for (const g of gaps) {
      if (g.operation === 'DescribeRegions') continue;
      if (r.kind === AWS_KINDS.region && g.region !== undefined && g.region !== r.region) continue;
      for (const kind of g.kinds) {
        if (global.has(kind) !== (r.kind === AWS_KINDS.account) || own[kind] !== undefined) continue;
        own[kind] = { operation: g.operation, reason: g.reason, message: g.message };
      }
    }
    if (Object.keys(own).length === 0) continue;
    const prior = (r.meta?.['gaps'] ?? {}) as Readonly<Record<string, SubCallGap>>;
    resources[i] = { ...r, meta: { ...r.meta, gaps: { ...own, ...prior } } };
  }
}

/** Scans the account whose credentials `api` carries; `label` names it if it cannot even be identified. */
export async function scanAccount(api: AwsApi, label: string, options: AwsCollectOptions, progress?: CollectProgress): Promise<CollectResult> {
  const start = Date.now();
  const globalRegion = options.globalRegion ?? defaultGlobalRegion(options.regions);
  const resources: Resource[] = [];
  const gaps: CollectionGap[] = [];
  const stats = (): CollectResult['stats'] => ({ ms: Date.now() - start, ...api.stats() });

  const who = await api.call('sts.GetCallerIdentity', globalRegion);
  let account = options.accountId ?? 'unknown';
  let partition = partitionOf(globalRegion);
  if (who.ok) {
    if (typeof who.data['Account'] === 'string') account = who.data['Account'];
    const p = typeof who.data['Arn'] === 'string' ? who.data['Arn'].split(':')[1] : undefined;
    if (p) partition = p;
  } else if (who.error.code !== 'NoRecording') {
    // Nothing can be read with credentials STS refuses: every kind is unknown for this target.
    gaps.push({ provider: 'aws', target: label, service: 'sts', operation: 'GetCallerIdentity', reason: who.error.reason, message: describeError(who.error), kinds: [...ALL_AWS_KINDS] });
    return { target: { provider: 'aws', id: label, name: label }, resources, gaps, stats: stats() };
  }

  const ctx: CollectContext = {
    api,
    account,
    partition,
    globalRegion,
    parallel: api.ordered ? 1 : Math.max(1, options.concurrency ?? 16),
    maxPages: options.maxPages ?? 1000,
    resources,
    gaps,
  };
  const { global, regional } = selected(options);
  const regions = await regionsToScan(ctx, options);
  const names = regions.map((r) => r.RegionName);
  const total = global.length + names.length * regional.length + 1;
  let done = 0;
  const tick = (what: string): void => progress?.({ done: ++done, total, label: `${account} ${what}` });

  const globalWork = async (): Promise<void> => {
    for (const group of global) {
      await collectData(ctx, group, globalRegion, names);
      tick(group);
    }
  };
  const topics: string[] = [];
  const regionalWork = (): Promise<unknown> =>
    mapLimit(names, api.ordered ? 1 : (options.regionConcurrency ?? 4), async (region) => {
      for (const group of regional) {
        topics.push(...(await collectData(ctx, group, region, names)));
        tick(`${region} ${group}`);
      }
    });
  if (api.ordered) {
    await globalWork();
    await regionalWork();
  } else {
    await Promise.all([globalWork(), regionalWork()]);
  }
  if (topics.length > 0) await collectTopics(ctx, topics);
  tick('sns topics');
  addRegions(ctx, regions);
  markAnchors(resources, gaps);

  // A stable order whatever the timing of parallel calls: by kind, then id; gaps by service, operation, region.
  resources.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.id, b.id));
  gaps.sort((a, b) => cmp(a.service, b.service) || cmp(a.operation, b.operation) || cmp(a.region ?? '', b.region ?? ''));
  const alias = resources.find((r) => r.kind === AWS_KINDS.account)?.name;
  return {
    target: { provider: 'aws', id: account, name: alias && alias !== account ? alias : account, regions: names },
    resources,
    gaps,
    stats: stats(),
  };
}
