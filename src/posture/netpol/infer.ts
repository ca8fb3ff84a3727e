/**
 * What talks to what, inferred from declared configuration only (pure, linear in the size of
 * the input): workloads and the Services that select their pods; which workloads name a
 * Service (host names and Service variables in env values, args, commands and the ConfigMaps
 * they use); Ingress backends reached from the ingress controller; Services exposed outside
 * the cluster (LoadBalancer, NodePort, externalIPs). Each flow keeps the reasons it was
 * inferred from, for the comments of the generated policies. Traffic that no configuration
 * declares (addresses read from Secrets or found at run time) cannot be seen here.
 */
import { isObject } from '../attrs.js';
import { containers, podSpec, type PodSpecRef } from '../inputs/kubernetes/workloads.js';
import type { Resource } from '../model.js';
import { labelKeyProblem, labelValueProblem } from '../rules/kubernetes/known-risky.js';
import { mapSelects } from '../rules/kubernetes/lib/selectors.js';
import { hostRefs, serviceEnvRefs } from './hosts.js';

export type Labels = Readonly<Record<string, string>>;

export interface Workload {
  readonly resource: Resource;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  /** Labels of its pods. */
  readonly podLabels: Labels;
  /** Labels that select its pods in a policy (empty: it cannot be selected on its own). */
  readonly selector: Labels;
  /** Container ports by name, for resolving named target ports. */
  readonly namedPorts: ReadonlyMap<string, number>;
}

export interface PortRef {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** Port on the destination pod: a number, or a container port name that could not be resolved. */
  readonly port: number | string;
}

export interface ServiceInfo {
  readonly resource: Resource;
  readonly name: string;
  readonly namespace: string;
  readonly ports: readonly { readonly name?: string | undefined; readonly port: number; readonly targetPort: number | string; readonly protocol: PortRef['protocol'] }[];
  readonly backends: readonly Workload[];
}

export type Peer =
  | { readonly type: 'workload'; readonly workload: Workload }
  | { readonly type: 'ingress-controller'; readonly namespace: string; readonly selector?: Labels | undefined; readonly label: string; readonly assumed: boolean }
  | { readonly type: 'external'; readonly cidrs: readonly string[] };

export interface Flow {
  readonly from: Peer;
  readonly to: Workload;
  readonly ports: readonly PortRef[];
  readonly reason: string;
}

export interface Inference {
  readonly workloads: readonly Workload[];
  readonly services: readonly ServiceInfo[];
  readonly flows: readonly Flow[];
  /** Things worth saying in the output that are not flows (API server access, external hosts, an assumed ingress controller), by namespace. */
  readonly notes: readonly Note[];
}

export interface Note {
  readonly namespace: string;
  readonly text: string;
}

export interface InferOptions {
  /** Namespace of the ingress controller when none is among the inputs (default `ingress-nginx`). */
  readonly ingressNamespace?: string | undefined;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const ns = (r: Resource): string => r.namespace ?? 'default';
/** Labels the controllers add to pods, which no policy should pin. */
const VOLATILE = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'controller-uid', 'batch.kubernetes.io/controller-uid', 'job-name', 'batch.kubernetes.io/job-name', 'pod-template-generation']);
const CONTROLLER_IMAGES = ['ingress-nginx/controller', 'nginx-ingress-controller', 'nginx/nginx-ingress', 'traefik', 'haproxy-ingress', 'haproxytech/kubernetes-ingress', 'kong/kubernetes-ingress-controller', 'projectcontour/contour'];

function labelMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
  return out;
}

function toWorkload(r: Resource, pod: PodSpecRef): Workload {
  const podLabels = labelMap(pod.metadata['labels']);
  const sel = isObject(r.attrs['spec']) ? r.attrs['spec']['selector'] : undefined;
  let selector: Record<string, string> = {};
  if (r.type !== 'Pod' && isObject(sel) && isObject(sel['matchLabels']) && !Array.isArray(sel['matchExpressions'])) selector = labelMap(sel['matchLabels']);
  if (Object.keys(selector).length === 0) selector = Object.fromEntries(Object.entries(podLabels).filter(([k]) => !VOLATILE.has(k)));
  // A label the API server would refuse cannot go into a policy (the workload would not deploy either).
  selector = Object.fromEntries(Object.entries(selector).filter(([k, v]) => labelKeyProblem(k) === undefined && labelValueProblem(v) === undefined));
  const namedPorts = new Map<string, number>();
  for (const c of containers(pod)) {
    const ports = c.container['ports'];
    if (!Array.isArray(ports)) continue;
    for (const p of ports) if (isObject(p) && typeof p['name'] === 'string' && typeof p['containerPort'] === 'number') namedPorts.set(p['name'], p['containerPort']);
  }
  return { resource: r, kind: r.type, name: r.name, namespace: ns(r), podLabels, selector, namedPorts };
}

function protocolOf(v: unknown): PortRef['protocol'] {
  return v === 'UDP' || v === 'SCTP' ? v : 'TCP';
}

function toService(r: Resource, workloads: readonly Workload[]): ServiceInfo | undefined {
  const spec = isObject(r.attrs['spec']) ? r.attrs['spec'] : {};
  const selector = spec['selector'];
  if (!isObject(selector) || Object.keys(selector).length === 0) return undefined;
  const ports: ServiceInfo['ports'][number][] = [];
  for (const p of Array.isArray(spec['ports']) ? spec['ports'] : []) {
    if (!isObject(p) || typeof p['port'] !== 'number') continue;
    const target = typeof p['targetPort'] === 'number' || typeof p['targetPort'] === 'string' ? p['targetPort'] : p['port'];
    ports.push({ name: str(p['name']), port: p['port'], targetPort: typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : target, protocol: protocolOf(p['protocol']) });
  }
  const backends = workloads.filter((w) => w.namespace === ns(r) && mapSelects(selector, w.podLabels));
  return { resource: r, name: r.name, namespace: ns(r), ports, backends };
}

/** Destination ports of a Service's backends, optionally only the Service port `only`. */
export function targetPorts(s: ServiceInfo, to: Workload, only?: { readonly number?: number | undefined; readonly name?: string | undefined }): PortRef[] {
  let chosen = s.ports;
  if (only?.number !== undefined) {
    const byPort = s.ports.filter((p) => p.port === only.number || p.targetPort === only.number);
    if (byPort.length > 0) chosen = byPort;
  } else if (only?.name !== undefined) {
    const byName = s.ports.filter((p) => p.name === only.name);
    if (byName.length > 0) chosen = byName;
  }
  return chosen.map((p) => ({ protocol: p.protocol, port: typeof p.targetPort === 'string' ? (to.namedPorts.get(p.targetPort) ?? p.targetPort) : p.targetPort }));
}

/** Configuration strings of a workload, each with where it was found (never the value itself: it may hold a secret). */
function configStrings(w: Workload, pod: PodSpecRef, configMaps: ReadonlyMap<string, Resource>): { where: string; value: string }[] {
  const out: { where: string; value: string }[] = [];
  const cmData = (name: string, key?: string): void => {
    const cm = configMaps.get(`${w.namespace}/${name}`);
    const data = cm && isObject(cm.attrs['data']) ? cm.attrs['data'] : undefined;
    if (data === undefined) return;
    for (const [k, v] of Object.entries(data)) if ((key === undefined || k === key) && typeof v === 'string') out.push({ where: `ConfigMap ${name} key ${k}`, value: v });
  };
  for (const c of containers(pod)) {
    const cname = c.name;
    for (const field of ['command', 'args'] as const) {
      const list = c.container[field];
      if (Array.isArray(list)) list.forEach((v, i) => typeof v === 'string' && out.push({ where: `container ${cname} ${field}[${i}]`, value: v }));
    }
    for (const e of Array.isArray(c.container['env']) ? c.container['env'] : []) {
      if (!isObject(e) || typeof e['name'] !== 'string') continue;
      if (typeof e['value'] === 'string') out.push({ where: `container ${cname} env ${e['name']}`, value: e['value'] });
      const ref = isObject(e['valueFrom']) && isObject(e['valueFrom']['configMapKeyRef']) ? e['valueFrom']['configMapKeyRef'] : undefined;
      if (ref && typeof ref['name'] === 'string' && typeof ref['key'] === 'string') cmData(ref['name'], ref['key']);
    }
    for (const e of Array.isArray(c.container['envFrom']) ? c.container['envFrom'] : []) {
      if (isObject(e) && isObject(e['configMapRef']) && typeof e['configMapRef']['name'] === 'string') cmData(e['configMapRef']['name']);
    }
  }
  for (const v of Array.isArray(pod.spec['volumes']) ? pod.spec['volumes'] : []) {
    if (!isObject(v)) continue;
    if (isObject(v['configMap']) && typeof v['configMap']['name'] === 'string') cmData(v['configMap']['name']);
    const sources = isObject(v['projected']) && Array.isArray(v['projected']['sources']) ? v['projected']['sources'] : [];
    for (const s of sources) if (isObject(s) && isObject(s['configMap']) && typeof s['configMap']['name'] === 'string') cmData(s['configMap']['name']);
  }
  return out;
}

/** The Service a host name means, seen from namespace `from`. */
function resolveHost(host: string, from: string, explicit: boolean, services: ReadonlyMap<string, ServiceInfo>): ServiceInfo | undefined {
  const parts = host.split('.');
  if (parts.length === 1) return explicit ? services.get(`${from}/${parts[0]!}`) : undefined;
  // service.namespace[.svc[.cluster-domain]]
  if (parts.length === 2 || parts[2] === 'svc') {
    const s = services.get(`${parts[1]!}/${parts[0]!}`);
    if (s !== undefined) return s;
  }
  // pod.service.namespace.svc[.cluster-domain] (StatefulSet pod names)
  if (parts.length >= 4 && parts[3] === 'svc') return services.get(`${parts[2]!}/${parts[1]!}`);
  return undefined;
}

export function infer(resources: readonly Resource[], options: InferOptions = {}): Inference {
  const workloads: Workload[] = [];
  const pods = new Map<Workload, PodSpecRef>();
  const configMaps = new Map<string, Resource>();
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const r of resources) {
    if (r.kind === 'k8s:ConfigMap' && !configMaps.has(`${ns(r)}/${r.name}`)) configMaps.set(`${ns(r)}/${r.name}`, r);
    const pod = podSpec(r);
    if (pod === undefined) continue;
    // The same object in two input files (a manifest and a dump of it): the first one counts.
    const key = `${r.type}/${ns(r)}/${r.name}`;
    if (seen.has(key)) {
      duplicates.add(key);
      continue;
    }
    seen.add(key);
    const w = toWorkload(r, pod);
    workloads.push(w);
    pods.set(w, pod);
  }
  const services: ServiceInfo[] = [];
  const byName = new Map<string, ServiceInfo>();
  for (const r of resources) {
    if (r.kind !== 'k8s:Service' || (r.meta?.['apiVersion'] ?? 'v1') !== 'v1' || byName.has(`${ns(r)}/${r.name}`)) continue;
    const s = toService(r, workloads);
    if (s === undefined) continue;
    services.push(s);
    byName.set(`${s.namespace}/${s.name}`, s);
  }
  const flows: Flow[] = [];
  const notes: Note[] = [];
  for (const d of duplicates) {
    const [kind, namespace, ...name] = d.split('/');
    notes.push({ namespace: namespace!, text: `${kind!} ${namespace!}/${name.join('/')} is in the inputs more than once: the first one was used` });
  }

  for (const w of workloads) {
    const seenExternal = new Set<string>();
    for (const { where, value } of configStrings(w, pods.get(w)!, configMaps)) {
      for (const ref of hostRefs(value)) {
        if (ref.host === 'kubernetes.default' || ref.host.startsWith('kubernetes.default.svc')) {
          notes.push({ namespace: w.namespace, text: `${w.kind} ${w.namespace}/${w.name} talks to the Kubernetes API (${where}): allow egress to the API server's address with an ipBlock` });
          continue;
        }
        const s = resolveHost(ref.host, w.namespace, ref.explicit, byName);
        if (s === undefined) {
          if ((ref.scheme || ref.port !== undefined) && !seenExternal.has(ref.host)) {
            seenExternal.add(ref.host);
            notes.push({ namespace: w.namespace, text: `${w.kind} ${w.namespace}/${w.name} names ${ref.host}${ref.port ? `:${ref.port}` : ''} (${where}), not a Service of the input: egress to it is not allowed (NetworkPolicy cannot name hosts; add an ipBlock)` });
          }
          continue;
        }
        for (const to of s.backends) {
          flows.push({ from: { type: 'workload', workload: w }, to, ports: targetPorts(s, to, { number: ref.port }), reason: `${where} names ${ref.host}${ref.port ? `:${ref.port}` : ''} (Service ${s.namespace}/${s.name})` });
        }
      }
      for (const name of serviceEnvRefs(value)) {
        const s = byName.get(`${w.namespace}/${name}`);
        if (s === undefined) continue;
        for (const to of s.backends) flows.push({ from: { type: 'workload', workload: w }, to, ports: targetPorts(s, to), reason: `${where} uses the variables of Service ${s.namespace}/${s.name}` });
      }
    }
  }

  ingressFlows(resources, workloads, byName, options, flows, notes);
  for (const s of services) {
    const spec = isObject(s.resource.attrs['spec']) ? s.resource.attrs['spec'] : {};
    const type = spec['type'];
    const externalIPs = Array.isArray(spec['externalIPs']) && spec['externalIPs'].length > 0;
    if (type !== 'LoadBalancer' && type !== 'NodePort' && !externalIPs) continue;
    const ranges = Array.isArray(spec['loadBalancerSourceRanges']) ? spec['loadBalancerSourceRanges'].filter((x): x is string => typeof x === 'string') : [];
    const cidrs = type === 'LoadBalancer' && ranges.length > 0 ? ranges : ['0.0.0.0/0', '::/0'];
    for (const to of s.backends) {
      flows.push({ from: { type: 'external', cidrs }, to, ports: targetPorts(s, to), reason: `Service ${s.namespace}/${s.name} is ${externalIPs && type !== 'LoadBalancer' && type !== 'NodePort' ? 'exposed on externalIPs' : `of type ${String(type)}`}${ranges.length > 0 ? ' with loadBalancerSourceRanges' : ''}` });
    }
  }
  return { workloads, services, flows, notes };
}

function ingressFlows(resources: readonly Resource[], workloads: readonly Workload[], services: ReadonlyMap<string, ServiceInfo>, options: InferOptions, flows: Flow[], notes: Note[]): void {
  const ingresses = resources.filter((r) => r.kind === 'k8s:Ingress');
  if (ingresses.length === 0) return;
  const controller = workloads.find((w) => {
    const pod = podSpec(w.resource);
    return pod !== undefined && containers(pod).some((c) => CONTROLLER_IMAGES.some((img) => (str(c.container['image']) ?? '').toLowerCase().includes(img)));
  });
  const peer: Peer = controller
    ? { type: 'ingress-controller', namespace: controller.namespace, selector: controller.selector, label: `${controller.kind} ${controller.namespace}/${controller.name}`, assumed: false }
    : { type: 'ingress-controller', namespace: options.ingressNamespace ?? 'ingress-nginx', label: `pods of namespace ${options.ingressNamespace ?? 'ingress-nginx'}`, assumed: true };
  if (!controller) {
    for (const n of new Set(ingresses.map(ns))) {
      notes.push({ namespace: n, text: `no ingress controller among the inputs: traffic from Ingresses is allowed from every pod of namespace ${options.ingressNamespace ?? 'ingress-nginx'} (assumed; set --ingress-namespace)` });
    }
  }
  for (const ing of ingresses) {
    const spec = isObject(ing.attrs['spec']) ? ing.attrs['spec'] : {};
    const backends: unknown[] = [spec['defaultBackend'], spec['backend']];
    for (const rule of Array.isArray(spec['rules']) ? spec['rules'] : []) {
      const paths = isObject(rule) && isObject(rule['http']) && Array.isArray(rule['http']['paths']) ? rule['http']['paths'] : [];
      for (const p of paths) if (isObject(p)) backends.push(p['backend']);
    }
    for (const b of backends) {
      if (!isObject(b)) continue;
      const svc = isObject(b['service']) ? b['service'] : undefined;
      const name = svc ? str(svc['name']) : str(b['serviceName']);
      if (name === undefined) continue;
      const port = svc && isObject(svc['port']) ? svc['port'] : undefined;
      const number = port && typeof port['number'] === 'number' ? port['number'] : typeof b['servicePort'] === 'number' ? b['servicePort'] : undefined;
      const portName = port && typeof port['name'] === 'string' ? port['name'] : typeof b['servicePort'] === 'string' ? b['servicePort'] : undefined;
      const s = services.get(`${ns(ing)}/${name}`);
      if (s === undefined) continue;
      for (const to of s.backends) flows.push({ from: peer, to, ports: targetPorts(s, to, { number, name: portName }), reason: `Ingress ${ns(ing)}/${ing.name} routes to Service ${s.namespace}/${s.name}` });
    }
  }
}
