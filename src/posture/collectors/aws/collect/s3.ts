/**
 * S3 (account-wide): ListBuckets once, then per bucket its location (asked in the global
 * region) and the configuration calls in the bucket's own region; and the account-level Block
 * Public Access from S3 Control.
 */
import { isObject } from '../../../attrs.js';
import { accountPublicAccessBlockAttrs, bucketBase, bucketLocationCall, bucketSubCalls } from '../adapters/s3.js';
import { AWS_KINDS } from '../kinds.js';
import type { CollectContext } from './context.js';
import { addResource, each, list, single, subCalls } from './context.js';

export async function collectS3(ctx: CollectContext): Promise<void> {
  const { items } = await list(ctx, 's3.ListBuckets', ctx.globalRegion);
  const buckets = items.filter((b): b is Record<string, unknown> => isObject(b) && typeof b['Name'] === 'string' && b['Name'] !== '');
  await each(ctx, buckets, async (b) => {
    const name = b['Name'] as string;
    const located = await subCalls(ctx, [bucketLocationCall(name, ctx.globalRegion)], ctx.globalRegion);
    const region = typeof located.attrs['Location'] === 'string' ? located.attrs['Location'] : ctx.globalRegion;
    const rest = await subCalls(ctx, bucketSubCalls(name), region);
    addResource(ctx, {
      kind: AWS_KINDS.bucket,
      id: `arn:${ctx.partition}:s3:::${name}`,
      name,
      region: typeof located.attrs['Location'] === 'string' ? region : undefined,
      attrs: { ...bucketBase(b), ...located.attrs, ...rest.attrs },
      gaps: { ...located.gaps, ...rest.gaps },
    });
  });

  if (!/^\d{12}$/.test(ctx.account)) {
    ctx.gaps.push({
      provider: 'aws',
      target: ctx.account,
      service: 's3-control',
      operation: 'GetPublicAccessBlock',
      reason: 'error',
      message: 'the account id is unknown, so the account-level Block Public Access cannot be asked for',
      kinds: [AWS_KINDS.accountPublicAccessBlock],
    });
    return;
  }
  const pab = await single(ctx, 's3-control.GetPublicAccessBlock', ctx.globalRegion, { AccountId: ctx.account }, ['NoSuchPublicAccessBlockConfiguration']);
  if (pab !== undefined) {
    addResource(ctx, {
      kind: AWS_KINDS.accountPublicAccessBlock,
      id: `arn:${ctx.partition}:s3::${ctx.account}:account-public-access-block`,
      name: 'account public access block',
      attrs: accountPublicAccessBlockAttrs(pab),
    });
  }
}
