/**
 * One project's collection: the project and its IAM policy, then every catalog list (through
 * parents for KMS, with details for BigQuery), each item's sub-calls and child lists, through
 * the `Gcp` layer. Failed calls become gaps; nothing here throws for what the provider answers.
 */
import type { Resource } from '../../model.js';
import type { CollectionGap, CollectProgress, SubCallGap } from '../types.js';
import { collectionGap, gcpResource, isObject, subCallGap } from './adapt.js';
import { GCP_TYPES, PROJECT, seg, type GcpChildList, type GcpKind, type GcpObject, type GcpSubCall, type GcpType } from './catalog.js';
import type { Gcp } from './client.js';
import { NOT_RECORDED, type CallFailure } from './errors.js';
import { markAnchor } from '../gaps.js';

export interface ProjectCollection {
  readonly name: string;
  readonly resources: Resource[];
  readonly gaps: CollectionGap[];
  readonly regions: string[];
}

interface Part {
  readonly resources: Resource[];
  readonly gaps: CollectionGap[];
}

/** A 404 that is a real answer ("nothing configured"), not a missing recording. */
const notFound = (f: CallFailure): boolean => f.status === 404 && f.code !== NOT_RECORDED;

const invalidItems = (n: number): CallFailure => ({ reason: 'invalid-response', message: `${n} item(s) without a usable name were skipped` });

/**
 * `listed`: the project as the project list returned it; without it the project is read.
 */
export async function collectProject(gcp: Gcp, project: string, listed?: GcpObject, progress?: CollectProgress, types: readonly GcpType[] = GCP_TYPES): Promise<ProjectCollection> {
  const total = types.length + 1;
  let done = 0;
  const tick = (label: string): void => progress?.({ done: ++done, total, label });
  const [proj, ...parts] = await Promise.all([
    collectProjectItself(gcp, project, listed).then((p) => {
      tick('project');
      return p;
    }),
    ...types.map(async (t) => {
      const part = await collectType(gcp, project, t);
      tick(t.kind);
      return part;
    }),
  ]);
  const resources = [...(proj?.resources ?? []), ...parts.flatMap((p) => p.resources)];
  const gaps = [...(proj?.gaps ?? []), ...parts.flatMap((p) => p.gaps)];
  const projectAttrs = proj?.resources[0]?.attrs;
  const display = projectAttrs?.['name'];
  const regions = new Set<string>();
  for (const r of resources) if (r.region && r.region !== 'global') regions.add(r.region);
  return { name: typeof display === 'string' && display !== '' ? display : project, resources: markAnchor(resources, PROJECT.kind, gaps), gaps, regions: [...regions].sort() };
}

async function collectProjectItself(gcp: Gcp, project: string, listed?: GcpObject): Promise<Part> {
  let item = listed;
  if (!item) {
    const path = `/v1/projects/${seg(project)}`;
    const res = await gcp.call({ method: 'GET', host: PROJECT.host, path });
    if (!res.ok) return { resources: [], gaps: [collectionGap(project, PROJECT.service, `GET ${path}`, res.failure, [PROJECT.kind])] };
    item = res.value;
  }
  const sub = await runSubCalls(gcp, project, item, PROJECT.subCalls);
  return { resources: [gcpResource({ kind: PROJECT.kind, project, item, fullName: `//cloudresourcemanager.googleapis.com/projects/${project}`, region: undefined, merged: sub.merged, gaps: sub.gaps })], gaps: [] };
}

async function listItems(gcp: Gcp, project: string, t: GcpType): Promise<{ items: unknown[]; gaps: CollectionGap[] }> {
  const kinds: GcpKind[] = [t.kind, ...(t.children ?? []).map((c) => c.kind)];
  if (!t.parents) {
    const spec = { method: 'GET' as const, host: t.host, path: t.path(project), query: t.query?.(project) };
    const res = await gcp.list(spec, t.itemsKey, t.aggregated);
    return { items: res.items, gaps: res.failure ? [collectionGap(project, t.service, `GET ${spec.path}`, res.failure, kinds)] : [] };
  }
  const parentPath = t.parents.path(project);
  const parents = await gcp.list({ method: 'GET', host: t.host, path: parentPath }, t.parents.itemsKey);
  const gaps: CollectionGap[] = parents.failure ? [collectionGap(project, t.service, `GET ${parentPath}`, parents.failure, kinds)] : [];
  const lists = await Promise.all(
    parents.items.map(async (parent) => {
      const path = isObject(parent) ? t.parents?.childPath(parent) : undefined;
      if (!path) return { items: [] as unknown[], gap: collectionGap(project, t.service, `GET ${parentPath}`, invalidItems(1), kinds) };
      const res = await gcp.list({ method: 'GET', host: t.host, path }, t.itemsKey);
      return { items: res.items, gap: res.failure ? collectionGap(project, t.service, `GET ${path}`, res.failure, kinds) : undefined };
    }),
  );
  for (const l of lists) if (l.gap) gaps.push(l.gap);
  return { items: lists.flatMap((l) => l.items), gaps };
}

async function collectType(gcp: Gcp, project: string, t: GcpType): Promise<Part> {
  const { items, gaps } = await listItems(gcp, project, t);
  let skipped = 0;
  const built = await Promise.all(
    items.map(async (raw) => {
      if (!isObject(raw)) {
        skipped++;
        return undefined;
      }
      const { item, detailGaps } = await withDetail(gcp, project, t, raw);
      const fullName = t.fullName(item, project);
      if (!fullName) {
        skipped++;
        return undefined;
      }
      const [sub, children] = await Promise.all([runSubCalls(gcp, project, item, t.subCalls), Promise.all((t.children ?? []).map((c) => collectChildren(gcp, project, t.service, item, c)))]);
      return {
        resource: gcpResource({ kind: t.kind, project, item, fullName, region: t.region(item), merged: sub.merged, gaps: { ...detailGaps, ...sub.gaps } }),
        children,
      };
    }),
  );
  if (skipped > 0) gaps.push(collectionGap(project, t.service, t.call, invalidItems(skipped), [t.kind]));
  const resources: Resource[] = [];
  const childResources: Resource[] = [];
  for (const b of built) {
    if (!b) continue;
    resources.push(b.resource);
    for (const c of b.children) {
      childResources.push(...c.resources);
      gaps.push(...c.gaps);
    }
  }
  return { resources: [...resources, ...childResources], gaps };
}

/** BigQuery datasets: the list holds references; the full dataset replaces it when it can be read. */
async function withDetail(gcp: Gcp, project: string, t: GcpType, item: GcpObject): Promise<{ item: GcpObject; detailGaps: Record<string, SubCallGap> }> {
  if (!t.detail) return { item, detailGaps: {} };
  const path = t.detail.path(item, project);
  if (!path) return { item, detailGaps: { access: { operation: t.detail.call, reason: 'invalid-response', message: 'the list entry has no dataset id' } } };
  const res = await gcp.call({ method: 'GET', host: t.host, path });
  if (res.ok) return { item: { ...item, ...res.value }, detailGaps: {} };
  const gap = subCallGap(`GET ${path}`, res.failure);
  return { item, detailGaps: { access: gap, defaultEncryptionConfiguration: gap } };
}

async function collectChildren(gcp: Gcp, project: string, service: string, parent: GcpObject, c: GcpChildList): Promise<Part> {
  const path = c.path(parent);
  if (!path) return { resources: [], gaps: [collectionGap(project, service, c.call, invalidItems(1), [c.kind])] };
  const res = await gcp.list({ method: 'GET', host: c.host, path }, c.itemsKey);
  const gaps: CollectionGap[] = res.failure ? [collectionGap(project, service, `GET ${path}`, res.failure, [c.kind])] : [];
  let skipped = 0;
  const resources = await Promise.all(
    res.items.map(async (raw) => {
      const fullName = isObject(raw) ? c.fullName(raw, project) : undefined;
      if (!isObject(raw) || !fullName) {
        skipped++;
        return undefined;
      }
      const sub = await runSubCalls(gcp, project, raw, c.subCalls);
      return gcpResource({ kind: c.kind, project, item: raw, fullName, region: c.region(raw), merged: sub.merged, gaps: sub.gaps });
    }),
  );
  if (skipped > 0) gaps.push(collectionGap(project, service, `GET ${path}`, invalidItems(skipped), [c.kind]));
  return { resources: resources.filter((r): r is Resource => r !== undefined), gaps };
}

interface SubResult {
  readonly merged: Record<string, unknown>;
  readonly gaps: Record<string, SubCallGap>;
}

async function runSubCalls(gcp: Gcp, project: string, item: GcpObject, calls: readonly GcpSubCall[]): Promise<SubResult> {
  const results = await Promise.all(calls.map((c) => runSubCall(gcp, project, item, c)));
  const merged: Record<string, unknown> = {};
  const gaps: Record<string, SubCallGap> = {};
  for (const [i, c] of calls.entries()) {
    const r = results[i];
    if (!r) continue;
    if ('gap' in r) gaps[c.key] = r.gap;
    else merged[c.key] = r.value;
  }
  return { merged, gaps };
}

async function runSubCall(gcp: Gcp, project: string, item: GcpObject, c: GcpSubCall): Promise<{ value: unknown } | { gap: SubCallGap }> {
  const path = c.path(item, project);
  if (!path) return { gap: { operation: c.call, reason: 'invalid-response', message: 'the item lacks the name this call needs' } };
  const spec = { method: c.method, host: c.host, path, query: c.query, body: c.body };
  const operation = `${c.method} ${path}`;
  if (c.itemsKey) {
    const r = await gcp.list(spec, c.itemsKey);
    return r.failure ? { gap: subCallGap(operation, r.failure) } : { value: r.items };
  }
  const r = await gcp.call(spec);
  if (r.ok) return { value: r.value };
  return notFound(r.failure) ? { value: null } : { gap: subCallGap(operation, r.failure) };
}
