/**
 * Service account use by workloads: running as the namespace's default account, the default
 * account mounting its token, and pods mounting a token they may not need.
 */
import { violation, type Rule } from '../../rule.js';
import { k8sRule, podRule } from './lib/define.js';
import { present, resourceIndex, text } from './lib/pod.js';

const SA_URL = 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/';

export const defaultServiceAccountUsed = podRule({
  id: 'VGL-K8S-021',
  title: 'Workload runs as the default service account',
  description: 'A pod without serviceAccountName (or with an empty one, or "default") runs as its namespace\'s default service account, which every other such pod shares; any permission granted to it is granted to all of them.',
  severity: 'medium',
  service: 'rbac',
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '5.1.5' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Protecting Pod service account tokens' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Create a dedicated ServiceAccount for the workload and set spec.serviceAccountName to it.',
  fix: { kubernetes: 'spec:\n  serviceAccountName: my-app' },
  references: [SA_URL],
  checkPod(pod) {
    // The deprecated serviceAccount field is copied into serviceAccountName by the API server.
    const key = present(pod.spec['serviceAccountName']) ? 'serviceAccountName' : present(pod.spec['serviceAccount']) ? 'serviceAccount' : undefined;
    if (key === undefined) return [violation(pod.path, 'no serviceAccountName: the pod runs as the default service account')];
    const name = pod.spec[key];
    if (name === '' || name === 'default') return [violation([...pod.path, key], `${key} is ${name === '' ? 'empty' : '"default"'}: the pod runs as the default service account`)];
    return [];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [5], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n' },
      { input: 'kubernetes', lines: [6], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  serviceAccountName: ""\n  containers:\n  - name: app\n    image: example/app:1.0\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  serviceAccountName: app\n  containers:\n  - name: app\n    image: example/app:1.0\n' }],
  },
});

export const defaultServiceAccountToken = k8sRule({
  id: 'VGL-K8S-022',
  title: 'Default service account mounts its token',
  description: 'Unless the default ServiceAccount sets automountServiceAccountToken: false, every pod that does not choose an account gets an API token mounted, usable by anyone who compromises the pod.',
  severity: 'medium',
  service: 'rbac',
  kinds: ['k8s:ServiceAccount'],
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '5.1.5' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Protecting Pod service account tokens' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Set automountServiceAccountToken: false on the default ServiceAccount of every namespace.',
  fix: { kubernetes: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\nautomountServiceAccountToken: false' },
  references: [SA_URL],
  check(resource) {
    if (resource.name !== 'default') return [];
    const v = resource.attrs['automountServiceAccountToken'];
    return v === false ? [] : [violation(['automountServiceAccountToken'], 'the default service account does not set automountServiceAccountToken: false')];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [6], text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\nautomountServiceAccountToken: true\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\nautomountServiceAccountToken: false\n' }],
  },
});

export const podTokenAutomount = podRule({
  id: 'VGL-K8S-023',
  title: 'Service account token mounted automatically',
  description: 'Pods get an API token mounted unless they (or their service account, when it is in the scanned manifests) opt out. Workloads that do not call the Kubernetes API should not carry a credential for it.',
  severity: 'low',
  service: 'rbac',
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '5.1.6' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Protecting Pod service account tokens' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Set spec.automountServiceAccountToken: false unless the workload talks to the Kubernetes API.',
  fix: { kubernetes: 'spec:\n  automountServiceAccountToken: false' },
  references: [SA_URL],
  checkPod(pod, resource, ctx) {
    const own = pod.spec['automountServiceAccountToken'];
    if (own === false) return [];
    if (own !== true) {
      // The pod inherits its service account's setting when it sets none.
      const name = text(pod.spec['serviceAccountName']) || text(pod.spec['serviceAccount']) || 'default';
      const ns = resource.namespace ?? 'default';
      const account = resourceIndex(ctx, 'k8s:ServiceAccount').get(`${ns}/${name}`);
      if (account?.attrs['automountServiceAccountToken'] === false) return [];
    }
    return [violation([...pod.path, 'automountServiceAccountToken'], 'automountServiceAccountToken is not false (on the pod or its service account)')];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [6], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  automountServiceAccountToken: true\n  serviceAccountName: app\n  containers:\n  - name: app\n    image: example/app:1.0\n' }],
    good: [
      { input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  automountServiceAccountToken: false\n  containers:\n  - name: app\n    image: example/app:1.0\n' },
      { input: 'kubernetes', text: 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\nautomountServiceAccountToken: false\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  serviceAccountName: app\n  containers:\n  - name: app\n    image: example/app:1.0\n' },
    ],
  },
});

export const SERVICE_ACCOUNT_RULES: readonly Rule[] = [defaultServiceAccountUsed, defaultServiceAccountToken, podTokenAutomount];

