/** EC2 and VPC in one region: security groups, volumes and snapshots, instances, VPCs and flow logs, NACLs. */
import type { SubCallGap } from '../../types.js';
import { ebsDefaultAttrs, flowLogsByResource, instancesOf, objects, snapshotPermissionCall, tagName } from '../adapters/ec2.js';
import { AWS_KINDS } from '../kinds.js';
import type { CollectContext } from './context.js';
import { addResource, arn, arnOr, each, list, single, subCalls, subGap } from './context.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

async function securityGroups(ctx: CollectContext, region: string): Promise<void> {
  for (const sg of objects((await list(ctx, 'ec2.DescribeSecurityGroups', region)).items)) {
    const id = str(sg['GroupId']);
    if (!id) continue;
    const account = str(sg['OwnerId']) ?? ctx.account;
    addResource(ctx, {
      kind: AWS_KINDS.securityGroup,
      id: arnOr(sg['SecurityGroupArn'], `arn:${ctx.partition}:ec2:${region}:${account}:security-group/${id}`),
      name: str(sg['GroupName']) ?? id,
      region,
      account,
      attrs: sg,
      refs: str(sg['VpcId']) ? [`arn:${ctx.partition}:ec2:${region}:${account}:vpc/${sg['VpcId'] as string}`] : [],
    });
  }
}

async function volumes(ctx: CollectContext, region: string): Promise<void> {
  for (const v of objects((await list(ctx, 'ec2.DescribeVolumes', region)).items)) {
    const id = str(v['VolumeId']);
    if (!id) continue;
    addResource(ctx, { kind: AWS_KINDS.volume, id: arn(ctx, 'ec2', region, `volume/${id}`), name: tagName(v, id), region, attrs: v });
  }
  const ebs = await single(ctx, 'ec2.GetEbsEncryptionByDefault', region);
  if (ebs) addResource(ctx, { kind: AWS_KINDS.ebsDefault, id: arn(ctx, 'ec2', region, 'ebs-encryption-by-default'), name: `EBS encryption by default (${region})`, region, attrs: ebsDefaultAttrs(ebs) });
}

async function snapshots(ctx: CollectContext, region: string): Promise<void> {
  const snaps = objects((await list(ctx, 'ec2.DescribeSnapshots', region, { OwnerIds: ['self'] })).items).filter((s) => str(s['SnapshotId']));
  await each(ctx, snaps, async (s) => {
    const id = s['SnapshotId'] as string;
    const sub = await subCalls(ctx, [snapshotPermissionCall(id)], region);
    addResource(ctx, {
      kind: AWS_KINDS.snapshot,
      id: `arn:${ctx.partition}:ec2:${region}::snapshot/${id}`,
      name: tagName(s, id),
      region,
      account: str(s['OwnerId']) ?? ctx.account,
      attrs: { ...s, ...sub.attrs },
      gaps: sub.gaps,
    });
  });
}

async function instances(ctx: CollectContext, region: string): Promise<void> {
  for (const i of instancesOf((await list(ctx, 'ec2.DescribeInstances', region)).items)) {
    const id = i['InstanceId'] as string;
    addResource(ctx, { kind: AWS_KINDS.instance, id: arn(ctx, 'ec2', region, `instance/${id}`), name: tagName(i, id), region, attrs: i });
  }
}

async function vpcs(ctx: CollectContext, region: string): Promise<void> {
  const vpcList = objects((await list(ctx, 'ec2.DescribeVpcs', region)).items);
  const flow = await list(ctx, 'ec2.DescribeFlowLogs', region);
  const byResource = flowLogsByResource(flow.items);
  const flowGap: SubCallGap | undefined = flow.error ? subGap('ec2.DescribeFlowLogs', flow.error) : undefined;
  for (const v of vpcList) {
    const id = str(v['VpcId']);
    if (!id) continue;
    const account = str(v['OwnerId']) ?? ctx.account;
    addResource(ctx, {
      kind: AWS_KINDS.vpc,
      id: `arn:${ctx.partition}:ec2:${region}:${account}:vpc/${id}`,
      name: tagName(v, id),
      region,
      account,
      attrs: flowGap ? v : { ...v, FlowLogs: byResource.get(id) ?? [] },
      gaps: flowGap ? { FlowLogs: flowGap } : undefined,
    });
  }
  for (const acl of objects((await list(ctx, 'ec2.DescribeNetworkAcls', region)).items)) {
    const id = str(acl['NetworkAclId']);
    if (!id) continue;
    const account = str(acl['OwnerId']) ?? ctx.account;
    addResource(ctx, { kind: AWS_KINDS.networkAcl, id: `arn:${ctx.partition}:ec2:${region}:${account}:network-acl/${id}`, name: tagName(acl, id), region, account, attrs: acl });
  }
}

export async function collectEc2(ctx: CollectContext, region: string): Promise<void> {
  await securityGroups(ctx, region);
  await volumes(ctx, region);
  await snapshots(ctx, region);
  await instances(ctx, region);
  await vpcs(ctx, region);
}
