/**
 * Cluster facts from what the API shows (pure): the server version from `/version`, and the
 * distribution from the strongest evidence available:
 * 1. the version string: managed control planes tag their builds (`v1.30.4-eks-a737599`,
 *    `v1.30.3-gke.1639000`);
 * 2. API groups only a distribution serves (OpenShift's `config.openshift.io`);
 * 3. node labels the distribution sets (`eks.amazonaws.com/nodegroup`,
 *    `cloud.google.com/gke-nodepool`, `kubernetes.azure.com/cluster`, `node.openshift.io/os_id`);
 * 4. node `spec.providerID` only for AKS (`azure://…/virtualMachineScaleSets/aks-…`): an
 *    `aws://` or `gce://` provider id alone also fits self-managed clusters on those clouds.
 * Anything else (kind, minikube, k3s, kubeadm, Rancher …) is `other`.
 */
import { isObject } from '../../attrs.js';

export const PLATFORMS = ['eks', 'gke', 'aks', 'openshift', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** `gitVersion` of a `/version` answer (or of `kubectl version -o json`'s `serverVersion`). */
export function serverVersion(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  const v = isObject(body['serverVersion']) ? body['serverVersion'] : body;
  const git = v['gitVersion'];
  if (typeof git === 'string' && git !== '') return git.slice(0, 100);
  if (typeof v['major'] === 'string' && typeof v['minor'] === 'string') return `v${v['major']}.${v['minor'].replace(/\+$/, '')}`;
  return undefined;
}

const LABEL_HINTS: readonly (readonly [string, Platform])[] = [
  ['eks.amazonaws.com/', 'eks'],
  ['cloud.google.com/gke-', 'gke'],
  ['kubernetes.azure.com/', 'aks'],
  ['node.openshift.io/', 'openshift'],
];

function labelsOf(node: unknown): Record<string, unknown> {
  const meta = isObject(node) && isObject(node['metadata']) ? node['metadata'] : {};
  return isObject(meta['labels']) ? meta['labels'] : {};
}

export function detectPlatform(input: { readonly version?: string | undefined; readonly groups?: readonly string[]; readonly nodes?: readonly unknown[] }): Platform {
  const v = input.version ?? '';
  if (/-eks-/.test(v)) return 'eks';
  if (/-gke\./.test(v)) return 'gke';
  if ((input.groups ?? []).some((g) => g === 'config.openshift.io' || g === 'route.openshift.io')) return 'openshift';
  const votes = new Map<Platform, number>();
  for (const node of input.nodes ?? []) {
    const keys = Object.keys(labelsOf(node));
    for (const [prefix, platform] of LABEL_HINTS) {
      if (keys.some((k) => k.startsWith(prefix))) votes.set(platform, (votes.get(platform) ?? 0) + 1);
    }
    const spec = isObject(node) && isObject(node['spec']) ? node['spec'] : {};
    const providerId = typeof spec['providerID'] === 'string' ? spec['providerID'] : '';
    if (providerId.startsWith('azure://') && /\/aks-/i.test(providerId)) votes.set('aks', (votes.get('aks') ?? 0) + 1);
  }
  let best: Platform = 'other';
  let most = 0;
  for (const [platform, n] of votes) {
    if (n > most) [best, most] = [platform, n];
  }
  return best;
}
