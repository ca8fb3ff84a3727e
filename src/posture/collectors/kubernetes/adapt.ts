/**
 * Cluster objects → `k8s:<Kind>` resources, the same kinds, ids and meta as the manifest input
 * (src/posture/inputs/kubernetes/parse.ts), so every Kubernetes rule runs on a live cluster
 * unchanged; input `kubernetes-cluster`, no source lines, `file` = `cluster/<name>/<ns>/<Kind>/<name>`.
 *
 * Cleaning: `metadata.managedFields` and the `kubectl.kubernetes.io/last-applied-configuration`
 * annotation are dropped (bulky, and the annotation copies a Secret's data in clear), so are a
 * Secret's `data` / `stringData` (Secrets are only ever collected as metadata).
 *
 * Controllers and their children: the API holds a Deployment, its ReplicaSets (old revisions
 * included) and their Pods, all with the same pod spec, and every pod rule checks every
 * pod-bearing kind, so keeping them all would report one misconfiguration three or more times.
 * As Kubescape does for cluster scans (`filterOutChildResources`: objects whose owner kind the
 * rule also matches are left out), a pod-bearing object owned by another pod-bearing object
 * that was collected is set aside as a child: findings land on the controller, the object
 * people edit, exactly as a manifest scan reports them. Unlike Kubescape, the owner must have
 * been collected: when listing ReplicaSets was denied, their Pods stay and are still assessed.
 * Pods owned by something else (static pods mirrored by their Node, operator-owned pods) stay.
 * Pure.
 */
import { isObject } from '../../attrs.js';
import { POD_SPEC_PATHS } from '../../inputs/kubernetes/workloads.js';
import type { InlineSuppression, Resource, ResourceKind } from '../../model.js';
import { parseIgnoreAnnotation } from '../../suppress/inline.js';
import { collectedResource } from '../resource.js';
import { groupOf } from './kinds.js';

/** The annotation the manifest input reads suppressions from (src/posture/inputs/kubernetes/parse.ts). */
export const IGNORE_ANNOTATION = 'vigil.dev/ignore';
export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Kinds that carry a pod template, by `group/kind`: their children repeat their pod spec. */
const POD_BEARING = new Set([
  '/Pod',
  '/PodTemplate',
  '/ReplicationController',
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'batch/Job',
  'batch/CronJob',
  'serving.knative.dev/Service',
  'serving.knative.dev/Configuration',
  'serving.knative.dev/Revision',
  'sources.knative.dev/ContainerSource',
  'argoproj.io/Rollout',
]);

/** The `apiVersion` a resource was read with ('' when unknown). */
export const resourceApiVersion = (r: Resource): string => (typeof r.meta?.['apiVersion'] === 'string' ? r.meta['apiVersion'] : '');

export const isPodBearing = (apiVersion: string, kind: string): boolean => POD_BEARING.has(`${groupOf(apiVersion)}/${kind}`);

/** A copy of `obj` without managedFields, the last-applied annotation and Secret data. */
export function clean(obj: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...obj };
  if (isObject(obj['metadata'])) {
    const meta: Record<string, unknown> = { ...obj['metadata'] };
    delete meta['managedFields'];
    if (isObject(meta['annotations']) && Object.hasOwn(meta['annotations'], LAST_APPLIED)) {
      const annotations = { ...meta['annotations'] };
      delete annotations[LAST_APPLIED];
      meta['annotations'] = annotations;
    }
    out['metadata'] = meta;
  }
  if (obj['kind'] === 'Secret' && groupOf(typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '') === '') {
    delete out['data'];
    delete out['stringData'];
  }
  return out;
}

export interface AdaptProblem {
  readonly kind?: string | undefined;
  readonly message: string;
}

/** One cleaned object → a resource, or the reason it is not a Kubernetes object. */
export function toResource(raw: unknown, cluster: string): Resource | AdaptProblem {
  if (!isObject(raw)) return { message: 'list item is not an object' };
  const kind = raw['kind'];
  const apiVersion = raw['apiVersion'];
  if (typeof kind !== 'string' || kind === '' || typeof apiVersion !== 'string' || apiVersion === '') {
    return { message: 'object without string apiVersion and kind' };
  }
  const metadata = isObject(raw['metadata']) ? raw['metadata'] : undefined;
  const name = typeof metadata?.['name'] === 'string' ? metadata['name'] : '';
  if (name === '') return { kind, message: `${kind} without metadata.name` };
  const namespace = typeof metadata?.['namespace'] === 'string' && metadata['namespace'] !== '' ? metadata['namespace'] : undefined;
  const attrs = clean(raw);
  const podSpecPath = POD_SPEC_PATHS[kind];
  const uid = typeof metadata?.['uid'] === 'string' ? metadata['uid'] : undefined;
  const resource = collectedResource({
    kind: `k8s:${kind}` as ResourceKind,
    input: 'kubernetes-cluster',
    provider: 'kubernetes',
    id: `${kind}/${namespace ?? '-'}/${name}`,
    name,
    namespace,
    location: `cluster/${cluster}/${namespace ?? '-'}/${kind}/${name}`,
    attrs,
    meta: { apiVersion, ...(podSpecPath ? { podSpecPath } : {}), ...(uid ? { uid } : {}) },
  });
  const annotations = metadata?.['annotations'];
  const suppressions: InlineSuppression[] =
    isObject(annotations) && typeof annotations[IGNORE_ANNOTATION] === 'string' ? parseIgnoreAnnotation(annotations[IGNORE_ANNOTATION], 0) : [];
  return suppressions.length > 0 ? { ...resource, suppressions } : resource;
}

export const isResource = (r: Resource | AdaptProblem): r is Resource => 'id' in r;

interface OwnerRef {
  readonly key: string;
  readonly uid: string | undefined;
}

function ownerRefs(r: Resource): OwnerRef[] {
  const refs = (r.attrs['metadata'] as Record<string, unknown> | undefined)?.['ownerReferences'];
  if (!Array.isArray(refs)) return [];
  const out: OwnerRef[] = [];
  for (const ref of refs) {
    if (!isObject(ref) || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string') continue;
    const apiVersion = typeof ref['apiVersion'] === 'string' ? ref['apiVersion'] : '';
    if (!isPodBearing(apiVersion, ref['kind'])) continue;
    out.push({ key: `${groupOf(apiVersion)}/${ref['kind']}/${r.namespace ?? '-'}/${ref['name']}`, uid: typeof ref['uid'] === 'string' ? ref['uid'] : undefined });
  }
  return out;
}

const keyOf = (r: Resource): string => `${groupOf(resourceApiVersion(r))}/${r.type}/${r.namespace ?? '-'}/${r.name}`;

/**
 * Splits resources into those rules see and the children of collected controllers (see the
 * header). Linear: one pass to index pod-bearing resources, one to test owners.
 */
export function splitChildren(resources: readonly Resource[]): { kept: Resource[]; children: Resource[] } {
  const uids = new Set<string>();
  const keys = new Set<string>();
  for (const r of resources) {
    if (!isPodBearing(resourceApiVersion(r), r.type)) continue;
    keys.add(keyOf(r));
    const uid = r.meta?.['uid'];
    if (typeof uid === 'string') uids.add(uid);
  }
  const kept: Resource[] = [];
  const children: Resource[] = [];
  for (const r of resources) {
    const child =
      isPodBearing(resourceApiVersion(r), r.type) &&
      ownerRefs(r).some((o) => (o.uid !== undefined && uids.has(o.uid)) || keys.has(o.key));
    (child ? children : kept).push(r);
  }
  return { kept, children };
}
