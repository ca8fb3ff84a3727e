/** RDS instances and snapshots, and KMS keys, in one region. */
import { isObject } from '../../../attrs.js';
import { aliasesByKey, customerKeyCalls, dbSnapshotAttributesCall, describeKeyCall } from '../adapters/regional.js';
import { objects } from '../adapters/ec2.js';
import { AWS_KINDS } from '../kinds.js';
import type { CollectContext } from './context.js';
import { addResource, arn, arnOr, each, list, subCalls, subGap } from './context.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export async function collectRds(ctx: CollectContext, region: string): Promise<void> {
  for (const db of objects((await list(ctx, 'rds.DescribeDBInstances', region)).items)) {
    const id = str(db['DBInstanceIdentifier']);
    if (!id) continue;
    addResource(ctx, { kind: AWS_KINDS.dbInstance, id: arnOr(db['DBInstanceArn'], arn(ctx, 'rds', region, `db:${id}`)), name: id, region, attrs: db });
  }
  const snaps = objects((await list(ctx, 'rds.DescribeDBSnapshots', region)).items).filter((s) => str(s['DBSnapshotIdentifier']));
  await each(ctx, snaps, async (s) => {
    const id = s['DBSnapshotIdentifier'] as string;
    const sub = await subCalls(ctx, [dbSnapshotAttributesCall(id)], region);
    addResource(ctx, {
      kind: AWS_KINDS.dbSnapshot,
      id: arnOr(s['DBSnapshotArn'], arn(ctx, 'rds', region, `snapshot:${id}`)),
      name: id,
      region,
      attrs: { ...s, ...sub.attrs },
      gaps: sub.gaps,
    });
  });
}

export async function collectKms(ctx: CollectContext, region: string): Promise<void> {
  const keys = objects((await list(ctx, 'kms.ListKeys', region)).items).filter((k) => str(k['KeyId']));
  if (keys.length === 0) return;
  const aliases = await list(ctx, 'kms.ListAliases', region);
  const byKey = aliasesByKey(aliases.items);
  await each(ctx, keys, async (k) => {
    const keyId = k['KeyId'] as string;
    const described = await subCalls(ctx, [describeKeyCall(keyId)], region);
    const meta = described.attrs['KeyMetadata'];
    const more = isObject(meta) ? await subCalls(ctx, customerKeyCalls(keyId, meta), region) : { attrs: {}, gaps: {} };
    const attrs: Record<string, unknown> = { ...k, ...described.attrs, ...more.attrs };
    const gaps = { ...described.gaps, ...more.gaps };
    if (aliases.error) gaps['Aliases'] = subGap('kms.ListAliases', aliases.error);
    else attrs['Aliases'] = byKey.get(keyId) ?? [];
    const alias = str(byKey.get(keyId)?.[0]?.['AliasName']);
    addResource(ctx, { kind: AWS_KINDS.kmsKey, id: arnOr(k['KeyArn'], arn(ctx, 'kms', region, `key/${keyId}`)), name: alias ?? keyId, region, attrs, gaps });
  });
}
