/**
 * Kubernetes workload kinds normalised to their pod template: where each kind keeps its pod
 * spec, and the containers of a pod spec with their attribute paths, so one pod-level rule
 * checks Pods, Deployments, CronJobs … and reports the exact line in each.
 */
import { at, isObject } from '../../attrs.js';
import type { AttrPath, Resource, ResourceKind } from '../../model.js';

export const POD_SPEC_PATHS: Readonly<Record<string, AttrPath>> = {
  Pod: ['spec'],
  PodTemplate: ['template', 'spec'],
  Deployment: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export const WORKLOAD_KINDS: readonly ResourceKind[] = Object.keys(POD_SPEC_PATHS).map((k) => `k8s:${k}` as ResourceKind);

export interface PodSpecRef {
  readonly spec: Record<string, unknown>;
  readonly path: AttrPath;
  /** The pod's metadata (annotations matter for AppArmor on older clusters). */
  readonly metadata: Record<string, unknown>;
  readonly metadataPath: AttrPath;
}

export function podSpec(resource: Resource): PodSpecRef | undefined {
  const path = POD_SPEC_PATHS[resource.type];
  if (path === undefined) return undefined;
  const spec = at(resource.attrs, path);
  if (!isObject(spec)) return undefined;
  const metadataPath = [...path.slice(0, -1), 'metadata'];
  const metadata = at(resource.attrs, metadataPath);
  return { spec, path, metadata: isObject(metadata) ? metadata : {}, metadataPath };
}

export const CONTAINER_FIELDS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

export interface ContainerRef {
  readonly container: Record<string, unknown>;
  readonly path: AttrPath;
  readonly field: (typeof CONTAINER_FIELDS)[number];
  readonly name: string;
}

export function containers(pod: PodSpecRef): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const field of CONTAINER_FIELDS) {
    const list = pod.spec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((c, i) => {
      if (isObject(c)) {
        out.push({ container: c, path: [...pod.path, field, i], field, name: typeof c['name'] === 'string' ? c['name'] : `${field}[${i}]` });
      }
    });
  }
  return out;
}
