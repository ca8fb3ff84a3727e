/**
 * Workloads of a cluster (issue 7, section 3): the pod-owning objects (Deployments,
 * StatefulSets, DaemonSets, ReplicaSets and ReplicationControllers without a collected owner,
 * Jobs, CronJobs) and bare Pods, with their container images, as of the cluster's latest scan;
 * and the findings of one workload. The pure part (`scannedResources`, `workloadsOf`) turns
 * collected resources into the minimal list a scan upload carries and that list into
 * workloads; the rest reads and writes posture_workloads. Tenant transactions only.
 */
import { isObject } from '../../posture/attrs.js';
import { containers, podSpec } from '../../posture/inputs/kubernetes/workloads.js';
import type { Resource } from '../../posture/model.js';
import type { Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';
import { storable } from './posture.js';
import { FINDING_OWNER_COLUMNS, FINDING_OWNER_JOINS, toFinding, type FindingRow, type StoredPostureFinding } from './postureQueries.js';

/** Kinds that own pods, or are pods: what `/clusters/{id}/workloads` lists. */
export const WORKLOAD_TYPES = ['Pod', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'] as const;
const WORKLOAD_SET = new Set<string>(WORKLOAD_TYPES);
/** Images kept per workload, and characters per image reference. */
export const MAX_IMAGES = 100;
export const MAX_IMAGE_LENGTH = 1000;

/** One scanned resource as a scan upload carries it: enough to count kinds and list workloads. */
export interface ScannedResource {
  readonly kind: string;
  readonly id: string;
  readonly name: string;
  readonly namespace?: string | undefined;
  /** Container images, for workloads. */
  readonly images?: readonly string[] | undefined;
}

export interface WorkloadInput {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** The resource id findings name (`Deployment/prod/web`). */
  readonly resourceId: string;
  readonly images: readonly string[];
}

/** Container images of a pod-bearing resource, in order, once each. */
export function imagesOf(resource: Resource): string[] {
  const pod = podSpec(resource);
  if (pod === undefined) return [];
  const images = new Set<string>();
  for (const c of containers(pod)) {
    const image = c.container['image'];
    if (typeof image === 'string' && image !== '') images.add(image);
  }
  return [...images];
}

/** `Kind/namespace/name` keys of the pod-bearing owners a resource names. */
function ownerKeys(r: Resource): string[] {
  const refs = isObject(r.attrs['metadata']) ? r.attrs['metadata']['ownerReferences'] : undefined;
  if (!Array.isArray(refs)) return [];
  return refs.filter(isObject).flatMap((o) => (typeof o['kind'] === 'string' && typeof o['name'] === 'string' ? [`${o['kind']}/${r.namespace ?? '-'}/${o['name']}`] : []));
}

/**
 * The minimal list of what a scan saw, for `POST /api/v1/scans`: every resource's kind, id,
 * name and namespace, and the images of Kubernetes workloads. Pure, linear.
 */
export function scannedResources(resources: readonly Resource[]): ScannedResource[] {
  return resources.map((r) => {
    const images = r.kind.startsWith('k8s:') && WORKLOAD_SET.has(r.type) ? imagesOf(r) : [];
    return { kind: r.kind, id: r.id, name: r.name, ...(r.namespace ? { namespace: r.namespace } : {}), ...(images.length > 0 ? { images } : {}) };
  });
}

/**
 * Workloads among collected Kubernetes resources: pod-owning kinds and pods, less those owned
 * by another collected workload (a Deployment's ReplicaSets and Pods, when a collector kept
 * them), so each workload appears once, as the object people edit. Pure, linear.
 */
export function workloadResources(resources: readonly Resource[]): Resource[] {
  const candidates = resources.filter((r) => r.kind.startsWith('k8s:') && WORKLOAD_SET.has(r.type));
  const ids = new Set(candidates.map((r) => `${r.type}/${r.namespace ?? '-'}/${r.name}`));
  return candidates.filter((r) => !ownerKeys(r).some((k) => ids.has(k)));
}

/** Workloads of an uploaded resource list (kinds `k8s:<workload kind>`), once per resource id. */
export function workloadsOf(resources: readonly ScannedResource[]): WorkloadInput[] {
  const out = new Map<string, WorkloadInput>();
  for (const r of resources) {
    if (!r.kind.startsWith('k8s:')) continue;
    const kind = r.kind.slice(4);
    if (!WORKLOAD_SET.has(kind) || out.has(r.id)) continue;
    const images = [...new Set((r.images ?? []).filter((i) => i !== '').map((i) => storable(i).slice(0, MAX_IMAGE_LENGTH)))].slice(0, MAX_IMAGES);
    out.set(r.id, { kind, name: storable(r.name), namespace: storable(r.namespace ?? ''), resourceId: storable(r.id), images });
  }
  return [...out.values()];
}

const CHUNK = 2000;

/**
 * The cluster's workloads become those of scan `scanId`: upserted by resource id (a workload
 * keeps its id across scans), the ones this scan did not see deleted.
 */
export async function replaceWorkloads(q: Queryable, tenantId: string, targetId: string, scanId: string, workloads: readonly WorkloadInput[]): Promise<void> {
  for (let i = 0; i < workloads.length; i += CHUNK) {
    const rows = workloads.slice(i, i + CHUNK).map((w) => ({ namespace: w.namespace, kind: w.kind, name: w.name, resource_id: w.resourceId, images: w.images }));
    await q.query(
      `INSERT INTO posture_workloads (tenant_id, target_id, scan_id, namespace, kind, name, resource_id, images)
       SELECT $1, $2, $3, x.namespace, x.kind, x.name, x.resource_id, x.images
         FROM json_to_recordset($4::json) AS x(namespace text, kind text, name text, resource_id text, images text[])
       ON CONFLICT (target_id, resource_id) DO UPDATE SET
         scan_id = EXCLUDED.scan_id, namespace = EXCLUDED.namespace, kind = EXCLUDED.kind, name = EXCLUDED.name, images = EXCLUDED.images`,
      [tenantId, targetId, scanId, JSON.stringify(rows)],
    );
  }
  await q.query('DELETE FROM posture_workloads WHERE target_id = $1 AND scan_id <> $2', [targetId, scanId]);
}

export interface StoredWorkload {
  readonly id: string;
  readonly clusterId: string;
  readonly clusterName: string;
  readonly namespace: string | null;
  readonly kind: string;
  readonly name: string;
  readonly resourceId: string;
  readonly images: readonly string[];
  readonly scanId: string;
  readonly firstSeen: string;
  /** Failed findings of the workload in the latest scan, by severity. */
  readonly failed: { readonly critical: number; readonly high: number; readonly medium: number; readonly low: number; readonly info: number };
}

interface WorkloadRow {
  id: string;
  target_id: string;
  target_name: string;
  namespace: string;
  kind: string;
  name: string;
  resource_id: string;
  images: string[];
  scan_id: string;
  created_at: Date | string;
}

type Failed = { -readonly [K in keyof StoredWorkload['failed']]: number };
const noFailures = (): Failed => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

const toWorkload = (r: WorkloadRow, failed: Failed): StoredWorkload => ({
  id: r.id,
  clusterId: r.target_id,
  clusterName: r.target_name,
  namespace: r.namespace === '' ? null : r.namespace,
  kind: r.kind,
  name: r.name,
  resourceId: r.resource_id,
  images: r.images,
  scanId: r.scan_id,
  firstSeen: new Date(r.created_at).toISOString(),
  failed,
});

/**
 * Failed findings of each workload in the scan that saw it (`scan\0resource` keys): one pass
 * over each scan's failed findings (a page's workloads share their cluster's latest scan).
 */
async function failuresOf(q: Queryable, workloads: readonly WorkloadRow[]): Promise<Map<string, Failed>> {
  const out = new Map<string, Failed>();
  const byScan = new Map<string, string[]>();
  for (const w of workloads) {
    let ids = byScan.get(w.scan_id);
    if (!ids) byScan.set(w.scan_id, (ids = []));
    ids.push(w.resource_id);
  }
  for (const [scanId, resourceIds] of byScan) {
    const { rows } = await q.query<{ resource_id: string; severity: keyof Failed; n: string }>(
      `SELECT resource_id, severity, count(*) AS n FROM posture_findings
        WHERE scan_id = $1 AND status = 'fail' AND resource_id = ANY($2::text[]) GROUP BY resource_id, severity`,
      [scanId, resourceIds],
    );
    for (const r of rows) {
      const key = `${scanId}\u0000${r.resource_id}`;
      let f = out.get(key);
      if (!f) out.set(key, (f = noFailures()));
      f[r.severity] = Number(r.n);
    }
  }
  return out;
}

export const WORKLOAD_SORT: Record<string, SortColumn> = {
  name: { column: 'w.name', cast: 'text' },
  namespace: { column: `(w.namespace || '/' || w.name)`, cast: 'text' },
  kind: { column: `(w.kind || '/' || w.name)`, cast: 'text' },
  firstSeen: { column: 'w.created_at', cast: 'timestamptz' },
};
export const WORKLOAD_SORT_FIELDS = Object.keys(WORKLOAD_SORT) as [string, ...string[]];

export interface WorkloadFilter {
  readonly namespace?: string | undefined;
  readonly kind?: readonly string[] | undefined;
  /** Substring of the name, case-insensitive. */
  readonly q?: string | undefined;
  /** Substring of an image reference (`nginx`, `registry.example.com/`). */
  readonly image?: string | undefined;
}

const likeEscape = (s: string): string => s.replace(/[\\%_]/g, '\\$&');

/** A cluster's workloads (the cluster must be visible: the caller checks), with failed findings of its latest scan. */
export async function listWorkloads(q: Queryable, clusterId: string, filter: WorkloadFilter, page: PageRequest): Promise<Page<StoredWorkload>> {
  const params: unknown[] = [clusterId];
  const p = (v: unknown) => `$${params.push(v)}`;
  const where = ['w.target_id = $1'];
  if (filter.namespace !== undefined) where.push(`w.namespace = ${p(filter.namespace)}`);
  if (filter.kind?.length) where.push(`w.kind = ANY(${p(filter.kind)}::text[])`);
  if (filter.q) where.push(`w.name ILIKE ${p(`%${likeEscape(filter.q)}%`)}`);
  if (filter.image) where.push(`EXISTS (SELECT 1 FROM unnest(w.images) AS i WHERE i ILIKE ${p(`%${likeEscape(filter.image)}%`)})`);
  const ks = keyset(page, WORKLOAD_SORT, params.length + 1, 'w.id');
  params.push(...ks.params);
  const { rows } = await q.query<WorkloadRow & { sort_key: string }>(
    `SELECT w.*, t.name AS target_name, ${ks.sortKey} AS sort_key FROM posture_workloads w JOIN posture_targets t ON t.id = w.target_id
      WHERE ${[...where, ks.where].join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
    params,
  );
  const out = toPage(rows, page, (r) => r.sort_key);
  const failures = await failuresOf(q, out.items);
  return { items: out.items.map((r) => toWorkload(r, failures.get(`${r.scan_id}\u0000${r.resource_id}`) ?? noFailures())), nextCursor: out.nextCursor };
}

/** Findings shown per workload, worst first. */
export const MAX_WORKLOAD_FINDINGS = 1000;

/** One workload, and the findings of its resource in its cluster's latest scan (worst first). */
export async function workloadPosture(q: Queryable, id: string): Promise<{ workload: StoredWorkload; findings: StoredPostureFinding[] } | undefined> {
  const { rows } = await q.query<WorkloadRow>(
    'SELECT w.*, t.name AS target_name FROM posture_workloads w JOIN posture_targets t ON t.id = w.target_id WHERE w.id = $1',
    [id],
  );
  const w = rows[0];
  if (!w) return undefined;
  const { rows: found } = await q.query<FindingRow>(
    `SELECT f.*, ${FINDING_OWNER_COLUMNS} FROM posture_findings f ${FINDING_OWNER_JOINS}
      WHERE f.scan_id = $1 AND f.resource_id = $2 ORDER BY f.severity_rank DESC, f.rule_id, f.id LIMIT ${MAX_WORKLOAD_FINDINGS}`,
    [w.scan_id, w.resource_id],
  );
  const findings = found.map(toFinding);
  const failed = noFailures();
  for (const f of findings) if (f.status === 'fail') failed[f.severity]++;
  return { workload: toWorkload(w, failed), findings };
}
