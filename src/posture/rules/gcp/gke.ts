/**
 * Google Kubernetes Engine clusters and node pools: legacy ABAC, nodes running as the Compute
 * Engine default service account, node auto-upgrade, node images other than Container-Optimized
 * OS and cluster logging. Node settings are read from the cluster's own node_config (its default
 * pool, unless remove_default_node_pool), its inline node_pool blocks and google_container_node_pool.
 */
import type { Resource } from '../../model.js';
import { violation } from '../../rule.js';
import { blocksAt, firstBlock, known, lower, requireBool, show, type Located } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { GOOGLE_DOCS, gcpRule } from './lib/define.js';
import { gkeAutoUpgradeLive, gkeDefaultSaLive, gkeLegacyAbacLive, gkeLoggingLive, gkeNodeImageLive } from './live/gke.js';

const CLUSTER = 'google_container_cluster';
const POOL = 'google_container_node_pool';
const CLUSTER_DOCS = `${GOOGLE_DOCS}container_cluster`;
const POOL_DOCS = `${GOOGLE_DOCS}container_node_pool`;

const cluster = (body: string): string =>
  `resource "google_container_cluster" "gke" {\n  name               = "gke"\n  location           = "europe-west1"\n  initial_node_count = 1\n${body}}\n`;
const pool = (body: string): string =>
  `resource "google_container_node_pool" "pool" {\n  name       = "pool"\n  cluster    = google_container_cluster.gke.id\n  node_count = 1\n${body}}\n`;

/** Node pools a resource defines: a node pool itself, or a cluster's inline pools (and default pool). */
function pools(r: Resource): { pool: Located; isDefault: boolean }[] {
  if (r.type === POOL) return [{ pool: { block: r.attrs, path: [] }, isDefault: false }];
  if (lower(r.attrs['enable_autopilot']) === 'true') return [];
  const inline = blocksAt(r.attrs, 'node_pool').map((pool) => ({ pool, isDefault: false }));
  if (inline.length > 0) return inline;
  // remove_default_node_pool = true (or unknown): the cluster's own node_config is not used.
  const removed = r.attrs['remove_default_node_pool'];
  if (removed !== undefined && removed !== null && (!known(removed) || lower(removed) === 'true')) return [];
  return [{ pool: { block: r.attrs, path: [] }, isDefault: true }];
}

export const gkeLegacyAbac = gcpRule({
  id: 'VGL-GCP-032',
  title: 'GKE cluster has legacy ABAC enabled',
  description: 'Legacy attribute-based access control grants broad, static permissions that bypass Kubernetes RBAC; with it on, RBAC restrictions are not enforced.',
  severity: 'high',
  service: 'gke',
  types: [CLUSTER],
  frameworks: themes('privilege'),
  remediation: 'Set enable_legacy_abac = false (the default) and manage access with RBAC.',
  fix: 'resource "google_container_cluster" "gke" {\n  # …\n  enable_legacy_abac = false\n}',
  references: [`${CLUSTER_DOCS}#enable_legacy_abac`],
  live: gkeLegacyAbacLive,
  check: (r) => requireBool(r, ['enable_legacy_abac'], false, false, 'legacy ABAC bypasses RBAC'),
  bad: [{ text: cluster('  enable_legacy_abac = true\n'), lines: [5] }],
  good: [cluster(''), cluster('  enable_legacy_abac = false\n')],
});

const DEFAULT_SA = /-compute@developer\.gserviceaccount\.com$/i;

export const gkeDefaultServiceAccount = gcpRule({
  id: 'VGL-GCP-033',
  title: 'GKE nodes run as the Compute Engine default service account',
  description:
    'Nodes without node_config.service_account use the Compute Engine default service account, which holds the Editor role on the project by default: any pod that reaches the metadata server inherits it.',
  severity: 'medium',
  service: 'gke',
  types: [CLUSTER, POOL],
  frameworks: themes('privilege'),
  remediation: 'Create a minimally privileged service account (roles/container.defaultNodeServiceAccount) and set node_config.service_account to it.',
  fix: 'node_config {\n  service_account = google_service_account.gke_nodes.email\n  oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]\n}',
  references: [`${CLUSTER_DOCS}#service_account`, 'https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa'],
  live: gkeDefaultSaLive,
  check(r) {
    return pools(r).flatMap(({ pool: p }) => {
      const cfg = firstBlock(p.block, 'node_config', p.path);
      if (cfg === undefined) return [violation([...p.path, 'node_config'], 'no node_config: nodes run as the default service account')];
      const sa = cfg.block['service_account'];
      if (sa === undefined || sa === null) return [violation([...cfg.path, 'service_account'], 'nodes run as the default service account')];
      return typeof sa === 'string' && (sa.trim() === 'default' || DEFAULT_SA.test(sa.trim())) ? [violation([...cfg.path, 'service_account'], 'nodes run as the default service account')] : [];
    });
  },
  bad: [{ text: pool('  node_config {\n    machine_type = "e2-standard-4"\n  }\n'), lines: [5] }],
  good: [
    pool('  node_config {\n    machine_type    = "e2-standard-4"\n    service_account = google_service_account.nodes.email\n  }\n'),
    cluster('  remove_default_node_pool = true\n'),
  ],
});

export const gkeAutoUpgradeOff = gcpRule({
  id: 'VGL-GCP-034',
  title: 'GKE node pool does not auto-upgrade',
  description: 'Without management.auto_upgrade, nodes keep running old Kubernetes and node-image versions after security fixes are released.',
  severity: 'medium',
  service: 'gke',
  types: [CLUSTER, POOL],
  frameworks: themes('patching'),
  remediation: 'Add management { auto_upgrade = true } to every node pool (and enroll the cluster in a release channel).',
  fix: 'management {\n  auto_repair  = true\n  auto_upgrade = true\n}',
  references: [`${POOL_DOCS}#auto_upgrade`, 'https://cloud.google.com/kubernetes-engine/docs/how-to/node-auto-upgrades'],
  live: gkeAutoUpgradeLive,
  check(r) {
    // The default pool's management settings are not configurable on the cluster resource.
    return pools(r).flatMap(({ pool: p, isDefault }) => {
      if (isDefault) return [];
      const m = firstBlock(p.block, 'management', p.path);
      if (m === undefined) return [violation([...p.path, 'management'], 'auto-upgrade is not enabled')];
      const v = m.block['auto_upgrade'];
      if (v === undefined || v === null) return [violation([...m.path, 'auto_upgrade'], 'auto-upgrade is not enabled')];
      return known(v) && lower(v) === 'false' ? [violation([...m.path, 'auto_upgrade'], 'auto-upgrade is disabled')] : [];
    });
  },
  bad: [
    { text: pool(''), lines: [1] },
    { text: pool('  management {\n    auto_upgrade = false\n  }\n'), lines: [6] },
  ],
  good: [pool('  management {\n    auto_upgrade = true\n  }\n')],
});

export const gkeNodeImage = gcpRule({
  id: 'VGL-GCP-035',
  title: 'GKE nodes do not use Container-Optimized OS',
  description: 'Container-Optimized OS is a minimal, read-only, automatically patched image hardened for running containers; other node images carry a larger attack surface.',
  severity: 'low',
  service: 'gke',
  types: [CLUSTER, POOL],
  frameworks: themes('hardening'),
  remediation: 'Set node_config.image_type = "COS_CONTAINERD" (the default).',
  fix: 'node_config {\n  image_type = "COS_CONTAINERD"\n}',
  references: [`${CLUSTER_DOCS}#image_type`, 'https://cloud.google.com/kubernetes-engine/docs/concepts/node-images'],
  live: gkeNodeImageLive,
  check(r) {
    return pools(r).flatMap(({ pool: p }) => {
      const cfg = firstBlock(p.block, 'node_config', p.path);
      const image = lower(cfg?.block['image_type']);
      return cfg !== undefined && image !== undefined && !image.startsWith('cos') ? [violation([...cfg.path, 'image_type'], `node image ${show(cfg.block['image_type'])} is not Container-Optimized OS`)] : [];
    });
  },
  bad: [{ text: pool('  node_config {\n    image_type = "UBUNTU_CONTAINERD"\n  }\n'), lines: [6] }],
  good: [pool('  node_config {\n    image_type = "COS_CONTAINERD"\n  }\n'), pool('')],
});

/** logging_service values that send nothing to Cloud Logging's Kubernetes integration. */
const WEAK_LOGGING = new Set(['none', 'logging.googleapis.com']);

export const gkeLoggingOff = gcpRule({
  id: 'VGL-GCP-036',
  title: 'GKE cluster logging is disabled or legacy',
  description:
    'logging_service "none" sends no cluster or workload logs to Cloud Logging; "logging.googleapis.com" is the decommissioned legacy agent. Either way there is no log trail of cluster activity.',
  severity: 'medium',
  service: 'gke',
  types: [CLUSTER],
  frameworks: themes('logging'),
  remediation: 'Set logging_service = "logging.googleapis.com/kubernetes" (the default), or configure logging_config components.',
  fix: 'resource "google_container_cluster" "gke" {\n  # …\n  logging_service = "logging.googleapis.com/kubernetes"\n}',
  references: [`${CLUSTER_DOCS}#logging_service`],
  live: gkeLoggingLive,
  check(r) {
    const v = lower(r.attrs['logging_service']);
    return v !== undefined && WEAK_LOGGING.has(v) ? [violation(['logging_service'], `logging_service is "${show(r.attrs['logging_service'])}"`)] : [];
  },
  bad: [{ text: cluster('  logging_service = "none"\n'), lines: [5] }],
  good: [cluster(''), cluster('  logging_service = "logging.googleapis.com/kubernetes"\n')],
});

export const GKE_RULES = [gkeLegacyAbac, gkeDefaultServiceAccount, gkeAutoUpgradeOff, gkeNodeImage, gkeLoggingOff];
