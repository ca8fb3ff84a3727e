/**
 * What the Kubernetes collector lists, and why: every kind the Kubernetes rules
 * (src/posture/rules/kubernetes) and `vigil posture netpol` read, with its API group and
 * resource name. The ClusterRole in docs/collectors/kubernetes.md is generated from this table
 * (`clusterRoleRules`), and a test keeps the two equal, so the documented permissions are
 * exactly the calls the code makes.
 *
 * Not listed, on purpose:
 * - Secrets by default: RBAC has no metadata-only verb, so `list secrets` would let the
 *   collector read every Secret's data even though it asks for metadata only. Opt in with
 *   `secrets: 'metadata'` (the list is then requested as PartialObjectMetadataList and any
 *   `data` that still arrives is dropped).
 * - CustomResourceDefinitions (large schemas; only the label-syntax rule would look at them).
 * - KubeletConfiguration, EncryptionConfiguration, audit `Policy`: files on the nodes, not API
 *   objects (reading the kubelet's live config needs `nodes/proxy`, a cluster-admin-grade right).
 */
import type { ResourceKind } from '../../model.js';

export interface KindSpec {
  readonly kind: string;
  /** API group; '' for the core group. */
  readonly group: string;
  /** Versions in the order we prefer them when the group's preferred version does not serve the kind. */
  readonly versions: readonly string[];
  /** Resource name in URLs and RBAC rules. */
  readonly plural: string;
  readonly namespaced: boolean;
  /**
   * A CRD or an API removed from recent Kubernetes (PodSecurityPolicy): its absence from
   * discovery is not a gap (there are none to assess), where a required kind's absence is.
   */
  readonly optional?: boolean;
  /** Listed as PartialObjectMetadataList (Secrets, opt-in). */
  readonly metadataOnly?: boolean;
  /** What needs it (for the documentation). */
  readonly why: string;
}

const POD_RULES = 'pod security, workload and image rules';
const LABELS = 'label syntax rule';

export const KIND_SPECS: readonly KindSpec[] = [
  { kind: 'Namespace', group: '', versions: ['v1'], plural: 'namespaces', namespaced: false, why: `${LABELS}; netpol namespace selectors` },
  { kind: 'Node', group: '', versions: ['v1'], plural: 'nodes', namespaced: false, why: 'cluster facts (node count, provider); label syntax rule' },
  { kind: 'Pod', group: '', versions: ['v1'], plural: 'pods', namespaced: true, why: `${POD_RULES} (pods without a collected controller, static control plane pods)` },
  { kind: 'PodTemplate', group: '', versions: ['v1'], plural: 'podtemplates', namespaced: true, why: POD_RULES },
  { kind: 'ReplicationController', group: '', versions: ['v1'], plural: 'replicationcontrollers', namespaced: true, why: POD_RULES },
  { kind: 'Service', group: '', versions: ['v1'], plural: 'services', namespaced: true, why: 'network exposure rules; netpol' },
  { kind: 'ServiceAccount', group: '', versions: ['v1'], plural: 'serviceaccounts', namespaced: true, why: 'service account token rules' },
  { kind: 'ConfigMap', group: '', versions: ['v1'], plural: 'configmaps', namespaced: true, why: `${LABELS}; netpol (Service names in configuration)` },
  { kind: 'Secret', group: '', versions: ['v1'], plural: 'secrets', namespaced: true, metadataOnly: true, why: `${LABELS} (opt-in, metadata only)` },
  { kind: 'PersistentVolume', group: '', versions: ['v1'], plural: 'persistentvolumes', namespaced: false, why: LABELS },
  { kind: 'PersistentVolumeClaim', group: '', versions: ['v1'], plural: 'persistentvolumeclaims', namespaced: true, why: LABELS },
  { kind: 'Deployment', group: 'apps', versions: ['v1'], plural: 'deployments', namespaced: true, why: POD_RULES },
  { kind: 'ReplicaSet', group: 'apps', versions: ['v1'], plural: 'replicasets', namespaced: true, why: POD_RULES },
  { kind: 'StatefulSet', group: 'apps', versions: ['v1'], plural: 'statefulsets', namespaced: true, why: `${POD_RULES}; PodDisruptionBudget rule` },
  { kind: 'DaemonSet', group: 'apps', versions: ['v1'], plural: 'daemonsets', namespaced: true, why: POD_RULES },
  { kind: 'Job', group: 'batch', versions: ['v1'], plural: 'jobs', namespaced: true, why: POD_RULES },
  { kind: 'CronJob', group: 'batch', versions: ['v1', 'v1beta1'], plural: 'cronjobs', namespaced: true, why: POD_RULES },
  { kind: 'NetworkPolicy', group: 'networking.k8s.io', versions: ['v1'], plural: 'networkpolicies', namespaced: true, why: 'NetworkPolicy coverage rule; netpol' },
  { kind: 'Ingress', group: 'networking.k8s.io', versions: ['v1'], plural: 'ingresses', namespaced: true, why: `${LABELS}; netpol (ingress controller → backends)` },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'roles', namespaced: true, why: 'RBAC rules' },
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'clusterroles', namespaced: false, why: 'RBAC rules' },
  { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'rolebindings', namespaced: true, why: 'RBAC rules' },
  { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', versions: ['v1'], plural: 'clusterrolebindings', namespaced: false, why: 'RBAC rules' },
  { kind: 'PodDisruptionBudget', group: 'policy', versions: ['v1', 'v1beta1'], plural: 'poddisruptionbudgets', namespaced: true, why: 'PodDisruptionBudget rule' },
  { kind: 'PodSecurityPolicy', group: 'policy', versions: ['v1beta1'], plural: 'podsecuritypolicies', namespaced: false, optional: true, why: 'PodSecurityPolicy rules (clusters before v1.25)' },
  { kind: 'HorizontalPodAutoscaler', group: 'autoscaling', versions: ['v2', 'v1'], plural: 'horizontalpodautoscalers', namespaced: true, why: LABELS },
  { kind: 'StorageClass', group: 'storage.k8s.io', versions: ['v1'], plural: 'storageclasses', namespaced: false, why: LABELS },
  { kind: 'PeerAuthentication', group: 'security.istio.io', versions: ['v1', 'v1beta1'], plural: 'peerauthentications', namespaced: true, optional: true, why: 'Istio mTLS rule (when Istio is installed)' },
  { kind: 'AuthorizationPolicy', group: 'security.istio.io', versions: ['v1', 'v1beta1'], plural: 'authorizationpolicies', namespaced: true, optional: true, why: 'Istio authorization rule (when Istio is installed)' },
  { kind: 'Service', group: 'serving.knative.dev', versions: ['v1'], plural: 'services', namespaced: true, optional: true, why: `${POD_RULES} (Knative, when installed)` },
  { kind: 'Configuration', group: 'serving.knative.dev', versions: ['v1'], plural: 'configurations', namespaced: true, optional: true, why: `${POD_RULES} (Knative, when installed)` },
  { kind: 'Revision', group: 'serving.knative.dev', versions: ['v1'], plural: 'revisions', namespaced: true, optional: true, why: `${POD_RULES} (Knative, when installed)` },
  { kind: 'ContainerSource', group: 'sources.knative.dev', versions: ['v1'], plural: 'containersources', namespaced: true, optional: true, why: `${POD_RULES} (Knative, when installed)` },
  { kind: 'Rollout', group: 'argoproj.io', versions: ['v1alpha1'], plural: 'rollouts', namespaced: true, optional: true, why: `${POD_RULES} (Argo Rollouts, when installed)` },
];

/** The kinds listed for a run (Secrets only when asked for). */
export function kindSpecs(options: { readonly secrets?: 'skip' | 'metadata' | undefined } = {}): readonly KindSpec[] {
  return options.secrets === 'metadata' ? KIND_SPECS : KIND_SPECS.filter((k) => !k.metadataOnly);
}

export const resourceKindOf = (spec: Pick<KindSpec, 'kind'>): ResourceKind => `k8s:${spec.kind}`;

/** `group/version` as in `apiVersion` (`v1` for the core group). */
export const apiVersionOf = (group: string, version: string): string => (group === '' ? version : `${group}/${version}`);

/** The API group of an `apiVersion` string ('' for the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
  readonly verbs: readonly string[];
}

/** Discovery and version endpoints the collector reads (granted to every authenticated user by `system:discovery`). */
export const NON_RESOURCE_URLS = ['/version', '/api', '/api/*', '/apis', '/apis/*'] as const;

/** The ClusterRole rules the collector needs: `list` on every kind it lists, `get` on discovery. */
export function clusterRoleRules(options: { readonly secrets?: 'skip' | 'metadata' | undefined } = {}): PolicyRule[] {
  const byGroup = new Map<string, Set<string>>();
  for (const spec of kindSpecs(options)) {
    let set = byGroup.get(spec.group);
    if (set === undefined) byGroup.set(spec.group, (set = new Set()));
    set.add(spec.plural);
  }
  const rules: PolicyRule[] = [...byGroup].map(([group, plurals]) => ({ apiGroups: [group], resources: [...plurals].sort(), verbs: ['list'] }));
  rules.push({ nonResourceURLs: [...NON_RESOURCE_URLS], verbs: ['get'] });
  return rules;
}

/** The ClusterRole as YAML (what the documentation shows). */
export function clusterRoleYaml(options: { readonly secrets?: 'skip' | 'metadata' | undefined } = {}): string {
  const q = (s: string): string => JSON.stringify(s);
  const lines = ['apiVersion: rbac.authorization.k8s.io/v1', 'kind: ClusterRole', 'metadata:', '  name: vigil-posture-reader', 'rules:'];
  for (const r of clusterRoleRules(options)) {
    if (r.apiGroups) lines.push(`- apiGroups: [${r.apiGroups.map(q).join(', ')}]`, `  resources: [${(r.resources ?? []).map(q).join(', ')}]`);
    else lines.push(`- nonResourceURLs: [${(r.nonResourceURLs ?? []).map(q).join(', ')}]`);
    lines.push(`  verbs: [${r.verbs.map(q).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The kubectl command that dumps what the collector lists (built-in kinds; kubectl refuses a
 * kind the server does not serve, so the optional ones are added only when installed).
 */
export function dumpCommand(): string {
  const kinds = KIND_SPECS.filter((k) => !k.optional && !k.metadataOnly).map((k) => (k.group ? `${k.plural}.${k.group}` : k.plural));
  return `kubectl get ${kinds.join(',')} -A -o json > cluster.json`;
}

/** Kinds old clusters (and so old dumps) served in the `extensions` group, by the group they moved to. */
const LEGACY_GROUPS: Readonly<Record<string, string>> = {
  'extensions/Deployment': 'apps',
  'extensions/DaemonSet': 'apps',
  'extensions/ReplicaSet': 'apps',
  'extensions/Ingress': 'networking.k8s.io',
  'extensions/NetworkPolicy': 'networking.k8s.io',
  'extensions/PodSecurityPolicy': 'policy',
};

/** The group a kind is listed under (`extensions/v1beta1` Deployments count as `apps`). */
export function canonicalGroup(apiVersion: string, kind: string): string {
  const group = groupOf(apiVersion);
  return LEGACY_GROUPS[`${group}/${kind}`] ?? group;
}
