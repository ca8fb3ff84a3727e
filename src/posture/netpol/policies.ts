/**
 * Inferred flows → the NetworkPolicy set of one namespace (pure): a default-deny policy for
 * ingress and egress, DNS egress to kube-dns for every pod, and one allow policy per workload
 * that receives or sends inferred traffic (ingress from its clients, the ingress controller or
 * outside sources; egress to the pods behind the Services it names). Pods are selected by
 * labels, other namespaces by the `kubernetes.io/metadata.name` label every namespace carries
 * (since v1.21). Every rule keeps the reasons it was inferred from, for the comments.
 */
import type { Flow, Inference, Labels, Peer, PortRef, Workload } from './infer.js';

export const NS_LABEL = 'kubernetes.io/metadata.name';

export interface LabelSelector {
  readonly matchLabels?: Labels;
}

export interface PolicyPeer {
  readonly podSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string };
}

export interface PolicyRule {
  readonly from?: readonly PolicyPeer[];
  readonly to?: readonly PolicyPeer[];
  readonly ports?: readonly PortRef[];
}

export interface NetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Labels };
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes: readonly ('Ingress' | 'Egress')[];
    readonly ingress?: readonly PolicyRule[];
    readonly egress?: readonly PolicyRule[];
  };
}

export interface GeneratedPolicy {
  readonly policy: NetworkPolicy;
  /** Comment lines above the policy. */
  readonly header: readonly string[];
  /** Comment lines above each ingress / egress rule, by index. */
  readonly ruleNotes: { readonly ingress: readonly (readonly string[])[]; readonly egress: readonly (readonly string[])[] };
}

const MANAGED_BY: Labels = { 'app.kubernetes.io/managed-by': 'vigil' };
const MAX_REASONS = 5;

const selector = (labels: Labels): LabelSelector => (Object.keys(labels).length === 0 ? {} : { matchLabels: sortLabels(labels) });

function sortLabels(l: Labels): Labels {
  return Object.fromEntries(Object.entries(l).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A DNS-1123 subdomain from free text (policy names). */
export function policyName(...parts: string[]): string {
  const s = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 253)
    .replace(/[^a-z0-9]+$/, '');
  return s || 'policy';
}

function peersOf(peer: Peer, namespace: string): readonly PolicyPeer[] {
  switch (peer.type) {
    case 'workload': {
      const pods = { podSelector: selector(peer.workload.selector) };
      return [peer.workload.namespace === namespace ? pods : { namespaceSelector: { matchLabels: { [NS_LABEL]: peer.workload.namespace } }, ...pods }];
    }
    case 'ingress-controller': {
      const pods = peer.selector ? { podSelector: selector(peer.selector) } : {};
      return [peer.namespace === namespace && peer.selector ? pods : { namespaceSelector: { matchLabels: { [NS_LABEL]: peer.namespace } }, ...pods }];
    }
    case 'external':
      return peer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
  }
}

function peerKey(peer: Peer): string {
  switch (peer.type) {
    case 'workload':
      return `w:${peer.workload.namespace}/${peer.workload.kind}/${peer.workload.name}`;
    case 'ingress-controller':
      return `i:${peer.namespace}/${peer.label}`;
    case 'external':
      return `e:${peer.cidrs.join(',')}`;
  }
}

const workloadLabel = (w: Workload): string => `${w.kind} ${w.namespace}/${w.name}`;

function peerLabel(peer: Peer): string {
  switch (peer.type) {
    case 'workload':
      return workloadLabel(peer.workload);
    case 'ingress-controller':
      return `the ingress controller (${peer.label}${peer.assumed ? ', ASSUMED' : ''})`;
    case 'external':
      return `outside the cluster (${peer.cidrs.join(', ')})`;
  }
}

interface Group {
  readonly peers: readonly PolicyPeer[];
  readonly label: string;
  readonly ports: Map<string, PortRef>;
  readonly reasons: Set<string>;
}

function addTo(groups: Map<string, Group>, key: string, peers: readonly PolicyPeer[], label: string, flow: Flow): void {
  let g = groups.get(key);
  if (g === undefined) groups.set(key, (g = { peers, label, ports: new Map(), reasons: new Set() }));
  for (const p of flow.ports) g.ports.set(`${p.protocol}/${p.port}`, p);
  g.reasons.add(flow.reason);
}

function rulesOf(groups: Map<string, Group>, direction: 'from' | 'to'): { rules: PolicyRule[]; notes: string[][] } {
  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  const rules: PolicyRule[] = [];
  const notes: string[][] = [];
  for (const g of sorted) {
    const ports = [...g.ports.values()].sort((a, b) => (a.protocol + String(a.port) < b.protocol + String(b.port) ? -1 : 1));
    rules.push({ [direction]: g.peers, ...(ports.length > 0 ? { ports } : {}) });
    const reasons = [...g.reasons].sort();
    notes.push([
      `${direction} ${g.label}${ports.length === 0 ? ' (the Service declares no ports: all ports)' : ''}, because:`,
      ...reasons.slice(0, MAX_REASONS).map((r) => `  ${r}`),
      ...(reasons.length > MAX_REASONS ? [`  … and ${reasons.length - MAX_REASONS} more`] : []),
    ]);
  }
  return { rules, notes };
}

export function policiesFor(namespace: string, inference: Inference): { policies: GeneratedPolicy[]; notes: string[] } {
  const notes: string[] = [];
  const policies: GeneratedPolicy[] = [
    {
      policy: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'default-deny-all', namespace, labels: MANAGED_BY },
        spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
      },
      header: ['Deny all ingress and egress for every pod of the namespace; the policies below allow what was inferred.'],
      ruleNotes: { ingress: [], egress: [] },
    },
    {
      policy: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'allow-dns-egress', namespace, labels: MANAGED_BY },
        spec: {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [
            {
              to: [{ namespaceSelector: { matchLabels: { [NS_LABEL]: 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
              ports: [
                { protocol: 'UDP', port: 53 },
                { protocol: 'TCP', port: 53 },
              ],
            },
          ],
        },
      },
      header: ['DNS: every pod may query the cluster DNS (CoreDNS / kube-dns pods, label k8s-app=kube-dns, in kube-system). Always allowed.', 'With NodeLocal DNSCache, also allow its address (169.254.20.10 by default) with an ipBlock.'],
      ruleNotes: { ingress: [], egress: [['to the cluster DNS, because: name resolution is always needed']] },
    },
  ];

  const local = inference.workloads.filter((w) => w.namespace === namespace).sort((a, b) => (workloadLabel(a) < workloadLabel(b) ? -1 : 1));
  for (const w of local) {
    if (Object.keys(w.selector).length === 0) {
      notes.push(`${workloadLabel(w)} has no pod labels: no policy can select it alone, so only default-deny and DNS apply to it`);
      continue;
    }
    const ingress = new Map<string, Group>();
    const egress = new Map<string, Group>();
    for (const f of inference.flows) {
      if (f.to === w) {
        if (f.from.type === 'workload' && Object.keys(f.from.workload.selector).length === 0) {
          notes.push(`${workloadLabel(f.from.workload)} reaches ${workloadLabel(w)} but has no pod labels to select it by: not allowed`);
          continue;
        }
        addTo(ingress, peerKey(f.from), peersOf(f.from, namespace), peerLabel(f.from), f);
      }
      if (f.from.type === 'workload' && f.from.workload === w && Object.keys(f.to.selector).length > 0) {
        const to: Peer = { type: 'workload', workload: f.to };
        addTo(egress, peerKey(to), peersOf(to, namespace), peerLabel(to), f);
      }
    }
    if (ingress.size === 0 && egress.size === 0) continue;
    const inRules = rulesOf(ingress, 'from');
    const outRules = rulesOf(egress, 'to');
    policies.push({
      policy: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: policyName('allow', w.kind, w.name), namespace, labels: MANAGED_BY },
        spec: {
          podSelector: selector(w.selector),
          policyTypes: [...(ingress.size > 0 ? (['Ingress'] as const) : []), ...(egress.size > 0 ? (['Egress'] as const) : [])],
          ...(ingress.size > 0 ? { ingress: inRules.rules } : {}),
          ...(egress.size > 0 ? { egress: outRules.rules } : {}),
        },
      },
      header: [`Traffic of ${workloadLabel(w)} (pods with ${Object.entries(w.selector).map(([k, v]) => `${k}=${v}`).join(', ')}).`],
      ruleNotes: { ingress: inRules.notes, egress: outRules.notes },
    });
  }
  return { policies, notes };
}
