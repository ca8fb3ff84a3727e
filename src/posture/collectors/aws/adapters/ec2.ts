/**
 * EC2 and VPC responses → attrs (pure): security groups, volumes, snapshots (with who may
 * create volumes from them), instances (flattened out of their reservations), VPCs with their
 * flow logs, network ACLs, the region's EBS encryption-by-default setting.
 */
import { isObject } from '../../../attrs.js';
import type { AwsData } from '../api/types.js';
import type { SubCall } from '../collect/context.js';

export type Obj = Record<string, unknown>;

export function objects(items: readonly unknown[]): Obj[] {
  return items.filter(isObject);
}

/** The `Name` tag, else the fallback (an id). */
export function tagName(entry: Obj, fallback: string): string {
  const tags = Array.isArray(entry['Tags']) ? entry['Tags'] : [];
  for (const t of tags) if (isObject(t) && t['Key'] === 'Name' && typeof t['Value'] === 'string' && t['Value'] !== '') return t['Value'];
  return fallback;
}

/** DescribeInstances pages' reservations → instances, each with its reservation's owner. */
export function instancesOf(reservations: readonly unknown[]): Obj[] {
  const out: Obj[] = [];
  for (const r of reservations) {
    if (!isObject(r) || !Array.isArray(r['Instances'])) continue;
    for (const i of r['Instances']) {
      if (isObject(i) && typeof i['InstanceId'] === 'string') out.push(r['OwnerId'] === undefined ? i : { ...i, OwnerId: r['OwnerId'] });
    }
  }
  return out;
}

export function snapshotPermissionCall(snapshotId: string): SubCall {
  return {
    keys: ['CreateVolumePermissions'],
    id: 'ec2.DescribeSnapshotAttribute',
    input: { SnapshotId: snapshotId, Attribute: 'createVolumePermission' },
    pick: (d: AwsData) => ({ CreateVolumePermissions: Array.isArray(d['CreateVolumePermissions']) ? d['CreateVolumePermissions'] : [] }),
  };
}

/** Flow logs by the resource they watch (a VPC id, subnet id or ENI id). */
export function flowLogsByResource(flowLogs: readonly unknown[]): Map<string, Obj[]> {
  const by = new Map<string, Obj[]>();
  for (const f of flowLogs) {
    if (!isObject(f) || typeof f['ResourceId'] !== 'string') continue;
    const list = by.get(f['ResourceId']);
    if (list) list.push(f);
    else by.set(f['ResourceId'], [f]);
  }
  return by;
}

export function ebsDefaultAttrs(d: AwsData): Obj {
  const v = d['EbsEncryptionByDefault'];
  const out: Obj = { EbsEncryptionByDefault: typeof v === 'boolean' ? v : null };
  if (typeof d['SseType'] === 'string') out['SseType'] = d['SseType'];
  return out;
}
