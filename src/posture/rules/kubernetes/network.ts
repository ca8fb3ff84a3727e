/**
 * Network exposure: workloads no NetworkPolicy selects, and Services reachable from outside
 * the cluster (NodePort, LoadBalancer without source ranges).
 */
import type { Resource, Violation } from '../../model.js';
import { violation, type Rule, type RuleContext } from '../../rule.js';
import { k8sRule } from './lib/define.js';
import { obj, podOf, POD_KINDS, strings } from './lib/pod.js';
import { selects } from './lib/selectors.js';

const NETPOL_URL = 'https://kubernetes.io/docs/concepts/services-networking/network-policies/';

function namespaceOf(r: Resource): string {
  return r.namespace ?? 'default';
}

export const networkPolicyCoverage = k8sRule({
  id: 'VGL-K8S-020',
  title: 'Workload not selected by any NetworkPolicy',
  description: 'Pods that no NetworkPolicy selects accept traffic from, and send traffic to, anything in the cluster: one compromised pod can reach them all. Reported on each workload of a namespace (from the scanned manifests) that no NetworkPolicy of that namespace selects.',
  severity: 'medium',
  service: 'network',
  kinds: [...POD_KINDS, 'k8s:NetworkPolicy'],
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '5.3.2' },
    { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Network policies' },
    { framework: 'nist-800-53-r5', control: 'SC-7' },
    { framework: 'pci-dss-4.0', control: '1.3.1' },
  ],
  remediation: 'Add a default-deny NetworkPolicy (podSelector: {}) to every namespace and allow the flows each workload needs.',
  fix: { kubernetes: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  podSelector: {}\n  policyTypes: ["Ingress", "Egress"]' },
  references: [NETPOL_URL],
  checkScan(ctx: RuleContext) {
    const policies = new Map<string, unknown[]>();
    for (const np of ctx.byKind('k8s:NetworkPolicy')) {
      const ns = namespaceOf(np);
      let list = policies.get(ns);
      if (list === undefined) policies.set(ns, (list = []));
      list.push(obj(np.attrs['spec'])?.['podSelector']);
    }
    const out: Violation[] = [];
    for (const kind of POD_KINDS) {
      for (const r of ctx.byKind(kind)) {
        const pod = podOf(r);
        if (pod === undefined) continue;
        const labels = obj(pod.metadata['labels']) ?? {};
        if ((policies.get(namespaceOf(r)) ?? []).some((sel) => selects(sel, labels))) continue;
        out.push({ ...violation([...pod.metadataPath, 'labels'], `no NetworkPolicy in namespace ${namespaceOf(r)} selects this workload's pods`), resource: r });
      }
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [20], text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-only\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: api\n        image: example/api:1.0\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  podSelector: {}\n  policyTypes: ["Ingress"]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector:\n    matchLabels:\n      app: api\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: api\n        image: example/api:1.0\n' }],
  },
});

export const nodePortService = k8sRule({
  id: 'VGL-K8S-039',
  title: 'Service exposed on every node (NodePort)',
  description: 'A NodePort Service opens the port on every node\'s addresses, reachable by anything that can reach a node and bypassing ingress controls.',
  severity: 'medium',
  service: 'network',
  kinds: ['k8s:Service'],
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Network policies' },
    { framework: 'nist-800-53-r5', control: 'SC-7' },
  ],
  remediation: 'Use type ClusterIP behind an Ingress or Gateway, or restrict access to node ports with firewall rules.',
  fix: { kubernetes: 'spec:\n  type: ClusterIP' },
  references: ['https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport'],
  check(resource) {
    return obj(resource.attrs['spec'])?.['type'] === 'NodePort' ? [violation(['spec', 'type'], 'the Service is of type NodePort')] : [];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [6], text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n    nodePort: 30080\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIP\n  selector:\n    app: web\n  ports:\n  - port: 80\n' }],
  },
});

/** Annotations that make a cloud load balancer internal (not reachable from the internet). */
const INTERNAL_LB: Readonly<Record<string, readonly string[]>> = {
  'service.beta.kubernetes.io/aws-load-balancer-internal': ['true', '0.0.0.0/0'],
  'service.beta.kubernetes.io/aws-load-balancer-scheme': ['internal'],
  'service.beta.kubernetes.io/azure-load-balancer-internal': ['true'],
  'networking.gke.io/load-balancer-type': ['Internal'],
  'cloud.google.com/load-balancer-type': ['Internal'],
  'service.beta.kubernetes.io/oci-load-balancer-internal': ['true'],
};

export const publicLoadBalancer = k8sRule({
  id: 'VGL-K8S-040',
  title: 'LoadBalancer Service open to any source',
  description: 'A LoadBalancer Service without loadBalancerSourceRanges (and not marked internal) is reachable from the internet on every port it exposes.',
  severity: 'medium',
  service: 'network',
  kinds: ['k8s:Service'],
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Network policies' },
    { framework: 'nist-800-53-r5', control: 'SC-7' },
    { framework: 'pci-dss-4.0', control: '1.3.1' },
  ],
  remediation: 'Set spec.loadBalancerSourceRanges to the client ranges, mark the load balancer internal, or expose the workload through an Ingress with authentication.',
  fix: { kubernetes: 'spec:\n  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 203.0.113.0/24' },
  references: ['https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer'],
  check(resource) {
    const spec = obj(resource.attrs['spec']);
    if (spec?.['type'] !== 'LoadBalancer') return [];
    if (strings(spec['loadBalancerSourceRanges']).some((r) => r !== '0.0.0.0/0' && r !== '::/0')) return [];
    const annotations = obj(obj(resource.attrs['metadata'])?.['annotations']) ?? {};
    if (Object.entries(INTERNAL_LB).some(([k, vals]) => vals.includes(String(annotations[k])))) return [];
    return [violation(['spec', 'type'], 'the LoadBalancer Service accepts traffic from any source')];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [6], text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  selector:\n    app: web\n  ports:\n  - port: 443\n' }],
    good: [
      { input: 'kubernetes', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 203.0.113.0/24\n  selector:\n    app: web\n  ports:\n  - port: 443\n' },
      { input: 'kubernetes', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations:\n    networking.gke.io/load-balancer-type: Internal\nspec:\n  type: LoadBalancer\n  selector:\n    app: web\n  ports:\n  - port: 443\n' },
    ],
  },
});

export const NETWORK_RULES: readonly Rule[] = [networkPolicyCoverage, nodePortService, publicLoadBalancer];
