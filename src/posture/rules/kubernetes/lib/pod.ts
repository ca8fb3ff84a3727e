/**
 * The pod behind a Kubernetes resource, for pod-level rules: the standard workload kinds
 * through the input's `podSpec`, plus the custom resources that embed a pod template and are
 * common in manifests (Knative Service / Configuration / Revision / ContainerSource, Argo
 * Rollout). Also the small readers every pod rule shares (securityContext, null as absent).
 */
import { at, isObject } from '../../../attrs.js';
import { containers as containersOfPod, podSpec, WORKLOAD_KINDS, type ContainerRef, type PodSpecRef } from '../../../inputs/kubernetes/workloads.js';
import type { AttrPath, Resource, ResourceKind } from '../../../model.js';
import type { RuleContext } from '../../../rule.js';

/** Custom resources with a pod template, by API group and kind. */
const TEMPLATE_CRDS: Readonly<Record<string, Readonly<Record<string, AttrPath>>>> = {
  'serving.knative.dev': { Service: ['spec', 'template', 'spec'], Configuration: ['spec', 'template', 'spec'], Revision: ['spec'] },
  'sources.knative.dev': { ContainerSource: ['spec', 'template', 'spec'] },
  'argoproj.io': { Rollout: ['spec', 'template', 'spec'] },
};

/** Every kind a pod-level rule is asked about (a CRD kind only counts in its API group). */
export const POD_KINDS: readonly ResourceKind[] = [
  ...WORKLOAD_KINDS,
  ...new Set(Object.values(TEMPLATE_CRDS).flatMap((kinds) => Object.keys(kinds).map((k) => `k8s:${k}` as ResourceKind))),
];

export function apiGroup(resource: Resource): string {
  const v = resource.attrs['apiVersion'];
  if (typeof v !== 'string') return '';
  const slash = v.indexOf('/');
  return slash < 0 ? '' : v.slice(0, slash);
}

// Every pod rule asks for the same pod and containers: computed once per resource (resources
// are not modified while rules run, and the caches go with them).
const podCache = new WeakMap<Resource, PodSpecRef | null>();
const containerCache = new WeakMap<PodSpecRef, readonly ContainerRef[]>();

function findPod(resource: Resource): PodSpecRef | undefined {
  const std = podSpec(resource);
  if (std !== undefined) return std;
  const path = TEMPLATE_CRDS[apiGroup(resource)]?.[resource.type];
  if (path === undefined) return undefined;
  const spec = at(resource.attrs, path);
  if (!isObject(spec)) return undefined;
  const metadataPath = [...path.slice(0, -1), 'metadata'];
  const metadata = at(resource.attrs, metadataPath);
  return { spec, path, metadata: isObject(metadata) ? metadata : {}, metadataPath };
}

export function podOf(resource: Resource): PodSpecRef | undefined {
  let pod = podCache.get(resource);
  if (pod === undefined) podCache.set(resource, (pod = findPod(resource) ?? null));
  return pod ?? undefined;
}

/** The init, regular and ephemeral containers of a pod with their paths (do not modify). */
export function containers(pod: PodSpecRef): readonly ContainerRef[] {
  let list = containerCache.get(pod);
  if (list === undefined) containerCache.set(pod, (list = containersOfPod(pod)));
  return list;
}

export type { ContainerRef, PodSpecRef };

/** A YAML `key:` (null) is absent, as the API server decodes it. */
export function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/** An object-valued field, or undefined (null, scalars and lists are not objects here). */
export function obj(v: unknown): Record<string, unknown> | undefined {
  return isObject(v) ? v : undefined;
}

/** The container's securityContext (undefined when absent or not an object). */
export function csc(c: ContainerRef): Record<string, unknown> | undefined {
  return obj(c.container['securityContext']);
}

/** The pod-level securityContext. */
export function psc(pod: PodSpecRef): Record<string, unknown> | undefined {
  return obj(pod.spec['securityContext']);
}

export function cscPath(c: ContainerRef, ...rest: (string | number)[]): AttrPath {
  return [...c.path, 'securityContext', ...rest];
}

export function pscPath(pod: PodSpecRef, ...rest: (string | number)[]): AttrPath {
  return [...pod.path, 'securityContext', ...rest];
}

/** `spec.os.name: windows`: Linux-only restricted checks do not apply (PSS since v1.25). */
export function isWindowsPod(pod: PodSpecRef): boolean {
  return obj(pod.spec['os'])?.['name'] === 'windows';
}

/** `hostUsers: false`: the pod runs in a user namespace (PSS relaxations since v1.35). */
export function inUserNamespace(pod: PodSpecRef): boolean {
  return pod.spec['hostUsers'] === false;
}

/** Strings of a list attribute (other items are ignored). */
export function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The volumes of a pod with their paths. */
export function volumes(pod: PodSpecRef): { volume: Record<string, unknown>; path: AttrPath; name: string }[] {
  const list = pod.spec['volumes'];
  if (!Array.isArray(list)) return [];
  const out: { volume: Record<string, unknown>; path: AttrPath; name: string }[] = [];
  list.forEach((v, i) => {
    if (isObject(v)) out.push({ volume: v, path: [...pod.path, 'volumes', i], name: typeof v['name'] === 'string' ? v['name'] : `volumes[${i}]` });
  });
  return out;
}

/** A string attribute, or '' (objects and lists are never stringified into messages or matches). */
export function text(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

const byNameCache = new WeakMap<object, Map<string, Map<string, Resource>>>();

/**
 * The resources of `kind` indexed by `namespace/name`, built once per scan (rules that look up
 * another resource for every pod stay linear).
 */
export function resourceIndex(ctx: RuleContext, kind: ResourceKind): Map<string, Resource> {
  let perKind = byNameCache.get(ctx);
  if (perKind === undefined) byNameCache.set(ctx, (perKind = new Map<string, Map<string, Resource>>()));
  let index = perKind.get(kind);
  if (index === undefined) {
    index = new Map<string, Resource>();
    for (const r of ctx.byKind(kind)) {
      const key = `${r.namespace ?? 'default'}/${r.name}`;
      if (!index.has(key)) index.set(key, r);
    }
    perKind.set(kind, index);
  }
  return index;
}
