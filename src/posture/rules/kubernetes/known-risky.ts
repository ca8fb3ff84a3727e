/**
 * Components that are risky by themselves (Helm v2 Tiller, the Kubernetes dashboard),
 * StatefulSets without a PodDisruptionBudget and malformed metadata labels.
 */
import type { Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { k8sRule, podRule } from './lib/define.js';
import { containers, obj, podOf, strings, text, type PodSpecRef } from './lib/pod.js';
import { mapSelects, selects } from './lib/selectors.js';

function isTillerPod(pod: PodSpecRef, resourceName: string): boolean {
  const labels = obj(pod.metadata['labels']) ?? {};
  return (
    containers(pod).some((c) => text(c.container['image']).includes('tiller')) ||
    labels['app'] === 'helm' ||
    text(labels['name']).includes('tiller') ||
    (text(pod.metadata['name']) || resourceName).includes('tiller')
  );
}

const LOCAL = /^--listen=(?:localhost|127\.0\.0\.1|\[::1\]):/;

export const tillerReachable = podRule({
  id: 'VGL-K8S-041',
  title: 'Helm v2 Tiller reachable from inside the cluster',
  description: 'Tiller (Helm v2, unsupported since 2020) installs anything it is asked to with cluster-admin rights and no authentication; unless it listens only on localhost, every pod in the cluster can use it to take over the cluster.',
  severity: 'critical',
  service: 'workload',
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Role-based access control' },
    { framework: 'nist-800-53-r5', control: 'AC-3' },
    { framework: 'nist-800-53-r5', control: 'CM-7' },
  ],
  remediation: 'Remove Tiller and migrate to Helm 3; until then run it with --listen=127.0.0.1:44134.',
  fix: { kubernetes: 'args: ["--listen=127.0.0.1:44134"]' },
  references: ['https://helm.sh/docs/topics/v2_v3_migration/'],
  checkPod(pod, resource) {
    if (!isTillerPod(pod, resource.name)) return [];
    const out: Violation[] = [];
    const all = containers(pod);
    const tiller = all.filter((c) => text(c.container['image']).includes('tiller'));
    for (const c of tiller.length > 0 ? tiller : all.filter((x) => x.field === 'containers')) {
      const args = c.container['args'];
      if (args === undefined || args === null) {
        out.push(violation([...pod.path, 'containers'], `Tiller container "${c.name}" has no --listen argument and listens on all interfaces`));
      } else if (!strings(args).some((a) => LOCAL.test(a))) {
        out.push(violation([...c.path, 'args'], `Tiller container "${c.name}" does not listen on localhost only`));
      }
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [18], text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tiller-deploy\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels:\n      app: helm\n  template:\n    metadata:\n      labels:\n        app: helm\n        name: tiller\n    spec:\n      containers:\n      - name: tiller\n        args: ["--listen=0.0.0.0:44134"]\n        image: ghcr.io/helm/tiller:v2.17.0\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: tiller-deploy\n  namespace: kube-system\nspec:\n  selector:\n    matchLabels:\n      app: helm\n  template:\n    metadata:\n      labels:\n        app: helm\n        name: tiller\n    spec:\n      containers:\n      - name: tiller\n        image: ghcr.io/helm/tiller:v2.17.0\n        args: ["--listen=127.0.0.1:44134"]\n' }],
  },
});

const TILLER_LABELS = { app: 'helm', name: 'tiller' };

export const tillerService = k8sRule({
  id: 'VGL-K8S-042',
  title: 'Service exposes Helm v2 Tiller',
  description: 'A Service in front of Tiller makes its unauthenticated gRPC API reachable by every pod (or further). Helm v2 is unsupported; the Service and Tiller should be removed.',
  severity: 'high',
  service: 'workload',
  kinds: ['k8s:Service'],
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Role-based access control' },
    { framework: 'nist-800-53-r5', control: 'CM-7' },
  ],
  remediation: 'Delete the tiller-deploy Service and migrate to Helm 3.',
  fix: { kubernetes: '# Helm v2 is unsupported: migrate the releases to Helm 3, then delete Tiller and its Service\n# kubectl -n kube-system delete service/tiller-deploy deployment/tiller-deploy' },
  references: ['https://helm.sh/docs/topics/v2_v3_migration/'],
  check(resource) {
    const labels = obj(obj(resource.attrs['metadata'])?.['labels']) ?? {};
    const selector = obj(resource.attrs['spec'])?.['selector'];
    if (mapSelects(selector, TILLER_LABELS)) return [violation(['spec', 'selector'], 'the Service selects Tiller pods (app=helm, name=tiller)')];
    if (labels['app'] === 'helm' && labels['name'] === 'tiller') return [violation(['metadata', 'labels'], 'the Service is labelled as Tiller\'s')];
    return [];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [9], text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: tiller-deploy\n  namespace: kube-system\nspec:\n  ports:\n  - port: 44134\n  selector:\n    app: helm\n    name: tiller\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n  selector:\n    app: web\n' }],
  },
});

const DASHBOARD_IMAGE = /(?:^|\/)(?:kubernetes-dashboard[^/:@]*|dashboard)(?:[:@]|$)/;

export const kubernetesDashboard = podRule({
  id: 'VGL-K8S-043',
  title: 'Kubernetes dashboard deployed',
  description: 'The Kubernetes dashboard is a web UI with broad API access and a long history of being exposed without authentication; it is rarely needed in production clusters.',
  severity: 'medium',
  service: 'workload',
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Authentication' },
    { framework: 'nist-800-53-r5', control: 'CM-7' },
  ],
  remediation: 'Remove the dashboard, or restrict it to a read-only service account behind authenticated access.',
  fix: { kubernetes: '# remove the dashboard (kubectl -n kubernetes-dashboard get all lists what it installed)\n# kubectl delete namespace kubernetes-dashboard' },
  references: ['https://github.com/kubernetes/dashboard'],
  checkPod(pod, resource) {
    for (const c of containers(pod)) {
      const image = text(c.container['image']);
      if (DASHBOARD_IMAGE.test(image) && (image.includes('kubernetes-dashboard') || image.includes('kubernetesui/'))) {
        return [violation([...c.path, 'image'], `container "${c.name}" runs the Kubernetes dashboard (${image})`)];
      }
    }
    for (const [path, meta] of [[pod.metadataPath, pod.metadata], [['metadata'], obj(resource.attrs['metadata']) ?? {}]] as const) {
      const labels = obj(meta['labels']) ?? {};
      for (const key of ['app', 'k8s-app'] as const) {
        if (labels[key] === 'kubernetes-dashboard') return [violation([...path, 'labels', key], `the workload is labelled ${key}=kubernetes-dashboard`)];
      }
    }
    return [];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [16], text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dashboard\nspec:\n  selector:\n    matchLabels:\n      k8s-app: ui\n  template:\n    metadata:\n      labels:\n        k8s-app: ui\n    spec:\n      containers:\n      - name: dashboard\n        image: kubernetesui/dashboard:v2.7.0\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n' }],
  },
});

export const statefulSetWithoutPdb = k8sRule({
  id: 'VGL-K8S-044',
  title: 'Replicated StatefulSet without a PodDisruptionBudget',
  description: 'Without a PodDisruptionBudget a node drain or cluster upgrade may evict several replicas of a StatefulSet at once and lose quorum. Checked against the PodDisruptionBudgets in the scanned manifests (same namespace, selector matching the pod template labels).',
  severity: 'low',
  service: 'availability',
  kinds: ['k8s:StatefulSet'],
  frameworks: [
    { framework: 'nist-800-53-r5', control: 'CP-10' },
    { framework: 'soc2', control: 'A1.2' },
  ],
  remediation: 'Add a PodDisruptionBudget (maxUnavailable: 1) whose selector matches the StatefulSet\'s pods.',
  fix: { kubernetes: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: db' },
  references: ['https://kubernetes.io/docs/tasks/run-application/configure-pdb/'],
  check(resource, ctx) {
    const spec = obj(resource.attrs['spec']);
    const replicas = spec?.['replicas'];
    if (typeof replicas !== 'number' || replicas <= 1) return [];
    const pod = podOf(resource);
    const labels = obj(pod?.metadata['labels']) ?? {};
    const ns = resource.namespace ?? 'default';
    const covered = ctx
      .byKind('k8s:PodDisruptionBudget')
      .some((pdb) => (pdb.namespace ?? 'default') === ns && selects(obj(pdb.attrs['spec'])?.['selector'], labels));
    return covered ? [] : [violation(['spec', 'selector', 'matchLabels'], 'no PodDisruptionBudget selects the StatefulSet\'s pods')];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [8], text: 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: db\n  serviceName: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: postgres:17\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: db\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: db\n  serviceName: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: postgres:17\n' }],
  },
});

/** A label name or value segment: alphanumeric ends, `-_.` inside, at most 63 characters. */
const SEGMENT = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;
/** A DNS subdomain label prefix (`example.com`), at most 253 characters. */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !prefix.split('.').every((l) => DNS_LABEL.test(l))) return `prefix "${prefix}" is not a DNS subdomain`;
  }
  return SEGMENT.test(name) ? undefined : `name "${name}" is not 1-63 alphanumeric characters, '-', '_' or '.' with alphanumeric ends`;
}

export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `value ${JSON.stringify(value)} is not a string`;
  return value === '' || SEGMENT.test(value) ? undefined : `value "${value}" is not 0-63 alphanumeric characters, '-', '_' or '.' with alphanumeric ends`;
}

const LABELLED_KINDS = [
  'Pod', 'PodTemplate', 'Deployment', 'ReplicaSet', 'ReplicationController', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob',
  'Service', 'ConfigMap', 'Secret', 'Namespace', 'ServiceAccount', 'Ingress', 'NetworkPolicy', 'PersistentVolumeClaim',
  'PersistentVolume', 'StorageClass', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'Role', 'ClusterRole', 'RoleBinding',
  'ClusterRoleBinding', 'CustomResourceDefinition', 'Node',
] as const;

export const invalidLabels = k8sRule({
  id: 'VGL-K8S-045',
  title: 'Invalid metadata label',
  description: 'Label keys and values must follow the Kubernetes syntax; the API server rejects an object with an invalid label, so the manifest does not deploy and label-based policies (NetworkPolicy, PodDisruptionBudget) silently miss it.',
  severity: 'low',
  service: 'workload',
  kinds: LABELLED_KINDS.map((k) => `k8s:${k}` as const),
  frameworks: [{ framework: 'nist-800-53-r5', control: 'CM-6' }],
  remediation: 'Use label values of at most 63 characters: letters, digits, "-", "_" and ".", starting and ending with a letter or digit (quote numbers and booleans).',
  fix: { kubernetes: 'metadata:\n  labels:\n    app.kubernetes.io/name: my-app\n    version: "1.0"' },
  references: ['https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set'],
  check(resource) {
    const out: Violation[] = [];
    const pod = podOf(resource);
    const places = [{ path: ['metadata'] as const, meta: obj(resource.attrs['metadata']) }, ...(pod && pod.metadataPath.length > 1 ? [{ path: pod.metadataPath, meta: pod.metadata }] : [])];
    for (const { path, meta } of places) {
      for (const [key, value] of Object.entries(obj(meta?.['labels']) ?? {})) {
        const problem = labelKeyProblem(key) ?? labelValueProblem(value);
        if (problem !== undefined) out.push(violation([...path, 'labels', key], `label ${key}: ${problem}`));
      }
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [6], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  labels:\n    app: my app!\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n  labels:\n    app.kubernetes.io/name: my-app\n    version: "1.0"\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n' }],
  },
});

export const KNOWN_RISKY_RULES: readonly Rule[] = [tillerReachable, tillerService, kubernetesDashboard, statefulSetWithoutPdb, invalidLabels];
