/**
 * RBAC bindings: cluster-admin bound outside the built-in system bindings, and roles bound to
 * a namespace's default service account (which every pod without its own account uses).
 */
import { violation, type Rule } from '../../rule.js';
import { k8sRule } from './lib/define.js';
import { obj, text } from './lib/pod.js';
import { BINDING_KINDS } from './lib/rbac.js';

const RBAC_URL = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';

export const clusterAdminBinding = k8sRule({
  id: 'VGL-K8S-051',
  title: 'Binding grants cluster-admin',
  description: 'cluster-admin is unrestricted superuser access to the whole cluster. Binding it to users, groups or service accounts (other than the built-in system bindings) makes each of them a full cluster compromise.',
  severity: 'high',
  service: 'rbac',
  kinds: BINDING_KINDS,
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '5.1.1' },
    { framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Role-based access control' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Bind a role with only the permissions needed; keep cluster-admin for break-glass access.',
  fix: { kubernetes: 'roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view' },
  references: [RBAC_URL],
  check(resource) {
    const ref = obj(resource.attrs['roleRef']);
    if (ref?.['kind'] !== 'ClusterRole' || ref['name'] !== 'cluster-admin') return [];
    // The API server's own bootstrap binding (cluster-admin to system:masters) is not a finding.
    const annotations = obj(obj(resource.attrs['metadata'])?.['annotations']);
    if (resource.name === 'cluster-admin' && annotations?.['rbac.authorization.kubernetes.io/autoupdate'] === 'true') return [];
    return [violation(['roleRef', 'name'], `the ${resource.type} grants cluster-admin`)];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [10], text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci-admin\nsubjects:\n- kind: ServiceAccount\n  name: ci\n  namespace: ci\nroleRef:\n  name: cluster-admin\n  kind: ClusterRole\n  apiGroup: rbac.authorization.k8s.io\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci-view\nsubjects:\n- kind: ServiceAccount\n  name: ci\n  namespace: ci\nroleRef:\n  name: view\n  kind: ClusterRole\n  apiGroup: rbac.authorization.k8s.io\n' }],
  },
});

export const defaultServiceAccountBinding = k8sRule({
  id: 'VGL-K8S-062',
  title: 'Role bound to a default service account',
  description: 'Every pod that does not name a service account runs as its namespace\'s default account; permissions bound to it are silently granted to all of them.',
  severity: 'medium',
  service: 'rbac',
  kinds: BINDING_KINDS,
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '5.1.5' },
    { framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Role-based access control' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Create a dedicated ServiceAccount for the workload that needs the permissions and bind the role to it.',
  fix: { kubernetes: 'subjects:\n- kind: ServiceAccount\n  name: shop-api\n  namespace: shop\n# kubectl -n shop create serviceaccount shop-api; set serviceAccountName: shop-api in the pods that need the role' },
  references: [RBAC_URL, 'https://kubernetes.io/docs/concepts/security/service-accounts/'],
  check(resource) {
    const subjects = resource.attrs['subjects'];
    if (!Array.isArray(subjects)) return [];
    return subjects.flatMap((s, i) =>
      obj(s)?.['kind'] === 'ServiceAccount' && obj(s)?.['name'] === 'default'
        ? [violation(['subjects', i, 'name'], `subject ${i} is the default service account of namespace ${(text(obj(s)?.['namespace']) || resource.namespace || 'default')}`)]
        : [],
    );
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [8], text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: read-pods\n  namespace: shop\nsubjects:\n- kind: ServiceAccount\n  name: default\n  namespace: shop\nroleRef:\n  kind: Role\n  name: pod-reader\n  apiGroup: rbac.authorization.k8s.io\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: read-pods\n  namespace: shop\nsubjects:\n- kind: ServiceAccount\n  name: shop-api\n  namespace: shop\nroleRef:\n  kind: Role\n  name: pod-reader\n  apiGroup: rbac.authorization.k8s.io\n' }],
  },
});

export const RBAC_BINDING_RULES: readonly Rule[] = [clusterAdminBinding, defaultServiceAccountBinding];
