/**
 * Threat detection and account settings: GuardDuty detectors, IAM Access Analyzer analyzers and
 * Security Hub per region; the account itself (aliases, security contact) and its regions.
 * Security Hub answering "not subscribed" (InvalidAccessException) is an answer, not a gap:
 * the region simply has no hub resource.
 */
import { objects } from '../adapters/ec2.js';
import { detectorCall } from '../adapters/regional.js';
import { AWS_KINDS } from '../kinds.js';
import type { CollectContext } from './context.js';
import { addResource, arn, arnOr, each, list, single, subCalls, subGap } from './context.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export async function collectGuardDuty(ctx: CollectContext, region: string): Promise<void> {
  const ids = (await list(ctx, 'guardduty.ListDetectors', region)).items.filter((x): x is string => typeof x === 'string' && x !== '');
  await each(ctx, ids, async (id) => {
    const sub = await subCalls(ctx, [detectorCall(id)], region);
    addResource(ctx, { kind: AWS_KINDS.guardDutyDetector, id: arn(ctx, 'guardduty', region, `detector/${id}`), name: id, region, attrs: { DetectorId: id, ...sub.attrs }, gaps: sub.gaps });
  });
}

export async function collectAccessAnalyzer(ctx: CollectContext, region: string): Promise<void> {
  for (const a of objects((await list(ctx, 'access-analyzer.ListAnalyzers', region)).items)) {
    const name = str(a['name']);
    if (!name) continue;
    addResource(ctx, { kind: AWS_KINDS.analyzer, id: arnOr(a['arn'], arn(ctx, 'access-analyzer', region, `analyzer/${name}`)), name, region, attrs: a });
  }
}

const HUB_ABSENT = ['InvalidAccessException', 'ResourceNotFoundException'];

export async function collectSecurityHub(ctx: CollectContext, region: string): Promise<void> {
  const hub = await single(ctx, 'securityhub.DescribeHub', region, {}, HUB_ABSENT);
  if (!hub) return;
  addResource(ctx, { kind: AWS_KINDS.securityHub, id: arnOr(hub['HubArn'], arn(ctx, 'securityhub', region, 'hub/default')), name: `Security Hub (${region})`, region, attrs: hub });
}

export async function collectAccount(ctx: CollectContext): Promise<void> {
  const g = ctx.globalRegion;
  const aliases = await list(ctx, 'iam.ListAccountAliases', g);
  const contact = await ctx.api.call('account.GetAlternateContact', g, { AlternateContactType: 'SECURITY' });
  const attrs: Record<string, unknown> = { AccountId: ctx.account, Partition: ctx.partition };
  const gaps: Record<string, ReturnType<typeof subGap>> = {};
  if (aliases.error) gaps['AccountAliases'] = subGap('iam.ListAccountAliases', aliases.error);
  else attrs['AccountAliases'] = aliases.items.filter((a) => typeof a === 'string');
  if (contact.ok) attrs['SecurityContact'] = contact.data['AlternateContact'] ?? null;
  else if (contact.error.code === 'ResourceNotFoundException') attrs['SecurityContact'] = null;
  else gaps['SecurityContact'] = subGap('account.GetAlternateContact', contact.error);
  const alias = Array.isArray(attrs['AccountAliases']) ? str(attrs['AccountAliases'][0]) : undefined;
  addResource(ctx, { kind: AWS_KINDS.account, id: `arn:${ctx.partition}:account::${ctx.account}:account`, name: alias ?? ctx.account, attrs, gaps });
}

/** One resource per scanned region: what DescribeRegions said about it. */
export function addRegions(ctx: CollectContext, regions: readonly { RegionName: string; [k: string]: unknown }[]): void {
  for (const r of regions) {
    addResource(ctx, { kind: AWS_KINDS.region, id: `arn:${ctx.partition}:ec2:${r.RegionName}:${ctx.account}:region/${r.RegionName}`, name: r.RegionName, region: r.RegionName, attrs: { ...r } });
  }
}
