/**
 * GKE clusters as collected (`locations/-/clusters`, node pools inline): the live halves of
 * VGL-GCP-032 … 036, and a table of cluster hardening checks with no Terraform rule here,
 * VGL-GCP-150 … 156 (control plane exposure, private nodes, network policy, Shielded GKE
 * nodes, Workload Identity, release channel, Secrets encryption), one builder for all.
 */
import { bool, str } from '../../../attrs.js';
import type { PostureSeverity, Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { themes, type Theme } from '../../shared/controls.js';
import { liveRule } from '../../shared/define.js';
import { collected, type ExampleResource, type LiveSpec } from '../../shared/live.js';
import { dig, gcpRes, GCP, items, PROJECT_ID } from '../lib/live.js';

const LOCATION = 'europe-west1';
const clusterId = (name: string): string => `//container.googleapis.com/projects/${PROJECT_ID}/locations/${LOCATION}/clusters/${name}`;
const NODE_SA = `gke-nodes@${PROJECT_ID}.iam.gserviceaccount.com`;

const nodePool = (name: string, config: Record<string, unknown> = {}, management: Record<string, unknown> = { autoUpgrade: true, autoRepair: true }): Record<string, unknown> => ({
  name,
  config: { machineType: 'e2-standard-4', imageType: 'COS_CONTAINERD', serviceAccount: NODE_SA, shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true }, ...config },
  management,
  status: 'RUNNING',
});

/** A collected cluster: hardened unless `attrs` says otherwise. */
function cluster(name: string, attrs: Record<string, unknown> = {}): ExampleResource {
  return gcpRes(
    GCP.cluster,
    clusterId(name),
    {
      name,
      location: LOCATION,
      status: 'RUNNING',
      currentMasterVersion: '1.31.5-gke.1000',
      loggingService: 'logging.googleapis.com/kubernetes',
      legacyAbac: {},
      masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [{ cidrBlock: '203.0.113.0/24' }] },
      privateClusterConfig: { enablePrivateNodes: true, masterIpv4CidrBlock: '172.16.0.0/28' },
      networkPolicy: { enabled: true, provider: 'CALICO' },
      shieldedNodes: { enabled: true },
      workloadIdentityConfig: { workloadPool: `${PROJECT_ID}.svc.id.goog` },
      releaseChannel: { channel: 'REGULAR' },
      databaseEncryption: { state: 'ENCRYPTED', keyName: 'projects/p/locations/europe-west1/keyRings/r/cryptoKeys/gke' },
      nodePools: [nodePool('default-pool')],
      ...attrs,
    },
    LOCATION,
  );
}

const isAutopilot = (r: Resource): boolean => bool(dig(r.attrs, 'autopilot', 'enabled')) === true;

/** One violation per node pool matching `bad`. */
function poolCheck(bad: (pool: Record<string, unknown>) => string | undefined, key: string[]) {
  return (r: Resource): Violation[] => {
    if (isAutopilot(r)) return [];
    return items(r.attrs['nodePools']).flatMap(({ item, index }) => {
      const why = bad(item);
      return why === undefined ? [] : [violation(['nodePools', index, ...key], `node pool ${str(item['name']) ?? String(index)}: ${why}`)];
    });
  };
}

export const gkeLegacyAbacLive: LiveSpec = {
  kinds: [GCP.cluster],
  check: (r) => (bool(dig(r.attrs, 'legacyAbac', 'enabled')) === true ? [violation(['legacyAbac', 'enabled'], 'legacy ABAC is enabled')] : []),
  cli: 'gcloud container clusters update <cluster> --location=<location> --no-enable-legacy-authorization',
  console: 'Kubernetes Engine → the cluster → Security → Legacy authorization → Disable → Save.',
  bad: [collected('gcp', [cluster('abac', { legacyAbac: { enabled: true } }), cluster('rbac')], [clusterId('abac')])],
  good: [collected('gcp', [cluster('rbac'), cluster('explicit', { legacyAbac: { enabled: false } })])],
};

const isDefaultSa = (sa: string | undefined): boolean => sa === undefined || sa === '' || sa === 'default' || sa.toLowerCase().endsWith('-compute@developer.gserviceaccount.com');

export const gkeDefaultSaLive: LiveSpec = {
  kinds: [GCP.cluster],
  check: poolCheck((p) => (isDefaultSa(str(dig(p, 'config', 'serviceAccount'))) ? 'nodes run as the Compute Engine default service account' : undefined), ['config', 'serviceAccount']),
  cli: 'gcloud container node-pools create <pool> --cluster=<cluster> --location=<location> --service-account=<sa-email>  # move workloads, then delete the old pool',
  console: 'Kubernetes Engine → the cluster → Add node pool → Security → Service account → a dedicated least-privilege account; drain and delete the old pool.',
  bad: [collected('gcp', [cluster('defaults', { nodePools: [nodePool('default-pool', { serviceAccount: 'default' }), nodePool('apps')] }), cluster('dedicated')], [clusterId('defaults')])],
  good: [collected('gcp', [cluster('dedicated'), cluster('autopilot', { autopilot: { enabled: true }, nodePools: [nodePool('pool-1', { serviceAccount: 'default' })] })])],
};

export const gkeAutoUpgradeLive: LiveSpec = {
  kinds: [GCP.cluster],
  check: poolCheck((p) => (bool(dig(p, 'management', 'autoUpgrade')) === true ? undefined : 'node auto-upgrade is off'), ['management', 'autoUpgrade']),
  cli: 'gcloud container node-pools update <pool> --cluster=<cluster> --location=<location> --enable-autoupgrade',
  console: 'Kubernetes Engine → the cluster → Nodes → the node pool → Edit → Management → Enable auto-upgrade → Save.',
  bad: [collected('gcp', [cluster('pinned', { nodePools: [nodePool('default-pool', {}, { autoUpgrade: false, autoRepair: true })] }), cluster('managed')], [clusterId('pinned')])],
  good: [collected('gcp', [cluster('managed')])],
};

export const gkeNodeImageLive: LiveSpec = {
  kinds: [GCP.cluster],
  check: poolCheck((p) => {
    const image = str(dig(p, 'config', 'imageType'))?.toUpperCase();
    return image === undefined || image.startsWith('COS') ? undefined : `node image ${image} is not Container-Optimized OS`;
  }, ['config', 'imageType']),
  cli: 'gcloud container clusters upgrade <cluster> --location=<location> --node-pool=<pool> --image-type=COS_CONTAINERD',
  console: 'Kubernetes Engine → the cluster → Nodes → the node pool → Edit → Image type → Container-Optimized OS with containerd → Save.',
  bad: [collected('gcp', [cluster('ubuntu', { nodePools: [nodePool('default-pool', { imageType: 'UBUNTU_CONTAINERD' })] }), cluster('cos')], [clusterId('ubuntu')])],
  good: [collected('gcp', [cluster('cos')])],
};

export const gkeLoggingLive: LiveSpec = {
  kinds: [GCP.cluster],
  check(r) {
    const service = str(r.attrs['loggingService']);
    if (service === 'none') return [violation(['loggingService'], 'cluster logging is disabled')];
    if (service === 'logging.googleapis.com') return [violation(['loggingService'], 'cluster logging uses the legacy Logging service')];
    return [];
  },
  cli: 'gcloud container clusters update <cluster> --location=<location> --logging=SYSTEM,WORKLOAD',
  console: 'Kubernetes Engine → the cluster → Features → Cloud Logging → Edit → System and Workloads → Save.',
  bad: [collected('gcp', [cluster('silent', { loggingService: 'none' }), cluster('legacy', { loggingService: 'logging.googleapis.com' }), cluster('logged')], [clusterId('silent'), clusterId('legacy')])],
  good: [collected('gcp', [cluster('logged')])],
};

// Cluster hardening, table-driven -------------------------------------------------------------

interface HardeningRow {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: PostureSeverity;
  readonly theme: Theme;
  readonly remediation: string;
  readonly reference: string;
  /** Why the cluster fails, with the attribute path; undefined when it passes. */
  readonly fails: (r: Resource) => { path: string[]; why: string } | undefined;
  readonly cli: string;
  readonly console: string;
  readonly bad: Record<string, unknown>;
  /** Another way to pass, besides the hardened default. */
  readonly alsoGood?: Record<string, unknown>;
}

const HARDENING: readonly HardeningRow[] = [
  {
    id: 'VGL-GCP-150',
    title: 'GKE control plane endpoint is open to the Internet',
    description: 'Without authorized networks (or a private endpoint) the Kubernetes API server answers every address on the Internet; one leaked credential or API server flaw is then exploitable from anywhere.',
    severity: 'high',
    theme: 'network',
    remediation: 'Enable control plane authorized networks with only the ranges that administer the cluster, or use a private endpoint.',
    reference: 'https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks',
    fails: (r) =>
      bool(dig(r.attrs, 'masterAuthorizedNetworksConfig', 'enabled')) === true || bool(dig(r.attrs, 'privateClusterConfig', 'enablePrivateEndpoint')) === true
        ? undefined
        : { path: ['masterAuthorizedNetworksConfig'], why: 'the control plane endpoint accepts connections from any address' },
    cli: 'gcloud container clusters update <cluster> --location=<location> --enable-master-authorized-networks --master-authorized-networks=<cidr>[,…]',
    console: 'Kubernetes Engine → the cluster → Networking → Control plane authorized networks → Edit → Enable → add ranges → Save.',
    bad: { masterAuthorizedNetworksConfig: {} },
    alsoGood: { masterAuthorizedNetworksConfig: {}, privateClusterConfig: { enablePrivateNodes: true, enablePrivateEndpoint: true } },
  },
  {
    id: 'VGL-GCP-151',
    title: 'GKE nodes have public IP addresses',
    description: 'Without private nodes every node gets an external address, reachable from the Internet wherever firewall rules allow (NodePorts, kubelet, SSH).',
    severity: 'medium',
    theme: 'network',
    remediation: 'Create the cluster (or new node pools) with private nodes and reach the Internet through Cloud NAT.',
    reference: 'https://cloud.google.com/kubernetes-engine/docs/how-to/private-clusters',
    fails: (r) =>
      bool(dig(r.attrs, 'privateClusterConfig', 'enablePrivateNodes')) === true || bool(dig(r.attrs, 'networkConfig', 'defaultEnablePrivateNodes')) === true
        ? undefined
        : { path: ['privateClusterConfig', 'enablePrivateNodes'], why: 'nodes have external IP addresses' },
    cli: 'gcloud container clusters update <cluster> --location=<location> --enable-private-nodes',
    console: 'Kubernetes Engine → the cluster → Networking → Private nodes → Enable (new node pools) → Save.',
    bad: { privateClusterConfig: undefined },
    alsoGood: { privateClusterConfig: undefined, networkConfig: { defaultEnablePrivateNodes: true } },
  },
  {
    id: 'VGL-GCP-152',
    title: 'GKE cluster does not enforce network policies',
    description: 'Without network policy enforcement every pod can reach every other pod and namespace; a compromised pod moves laterally freely.',
    severity: 'medium',
    theme: 'network',
    remediation: 'Enable GKE Dataplane V2 (which enforces NetworkPolicy) or the network policy add-on, then write policies.',
    reference: 'https://cloud.google.com/kubernetes-engine/docs/how-to/network-policy',
    fails: (r) =>
      bool(dig(r.attrs, 'networkPolicy', 'enabled')) === true || str(dig(r.attrs, 'networkConfig', 'datapathProvider')) === 'ADVANCED_DATAPATH' || isAutopilot(r)
        ? undefined
        : { path: ['networkPolicy'], why: 'network policies are not enforced' },
    cli: 'gcloud container clusters update <cluster> --location=<location> --update-addons=NetworkPolicy=ENABLED && gcloud container clusters update <cluster> --location=<location> --enable-network-policy',
    console: 'Kubernetes Engine → the cluster → Networking → Network policy → Enable → Save.',
    bad: { networkPolicy: undefined, networkConfig: { datapathProvider: 'LEGACY_DATAPATH' } },
    alsoGood: { networkPolicy: undefined, networkConfig: { datapathProvider: 'ADVANCED_DATAPATH' } },
  },
  {
    id: 'VGL-GCP-153',
    title: 'GKE cluster does not use Shielded GKE Nodes',
    description: 'Shielded GKE Nodes give nodes a verifiable identity and integrity; without them an attacker who takes a pod can impersonate a node to the control plane and read its secrets.',
    severity: 'medium',
    theme: 'hardening',
    remediation: 'Enable Shielded GKE Nodes on the cluster.',
    reference: 'https://cloud.google.com/kubernetes-engine/docs/how-to/shielded-gke-nodes',
    fails: (r) => (bool(dig(r.attrs, 'shieldedNodes', 'enabled')) === true ? undefined : { path: ['shieldedNodes', 'enabled'], why: 'Shielded GKE Nodes are off' }),
    cli: 'gcloud container clusters update <cluster> --location=<location> --enable-shielded-nodes',
    console: 'Kubernetes Engine → the cluster → Security → Shielded GKE Nodes → Enable → Save.',
    bad: { shieldedNodes: { enabled: false } },
  },
  {
    id: 'VGL-GCP-154',
    title: 'GKE cluster does not use Workload Identity',
    description: 'Without Workload Identity pods use the node\'s service account (and can read the node metadata server), so every pod on a node holds the same — usually broad — Google Cloud credentials.',
    severity: 'medium',
    theme: 'privilege',
    remediation: 'Enable Workload Identity Federation for GKE on the cluster and node pools, and map Kubernetes service accounts to IAM principals.',
    reference: 'https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity',
    fails: (r) => ((str(dig(r.attrs, 'workloadIdentityConfig', 'workloadPool')) ?? '') !== '' ? undefined : { path: ['workloadIdentityConfig'], why: 'Workload Identity is not enabled' }),
    cli: 'gcloud container clusters update <cluster> --location=<location> --workload-pool=<project>.svc.id.goog',
    console: 'Kubernetes Engine → the cluster → Security → Workload Identity → Enable → Save.',
    bad: { workloadIdentityConfig: undefined },
  },
  {
    id: 'VGL-GCP-155',
    title: 'GKE cluster is not enrolled in a release channel',
    description: 'Outside a release channel the control plane and nodes are upgraded only when someone remembers to, so security patches arrive late or never.',
    severity: 'low',
    theme: 'patching',
    remediation: 'Enrol the cluster in the Regular or Stable release channel.',
    reference: 'https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels',
    fails: (r) => {
      const channel = str(dig(r.attrs, 'releaseChannel', 'channel'));
      return channel !== undefined && channel !== 'UNSPECIFIED' ? undefined : { path: ['releaseChannel'], why: 'the cluster is not in a release channel' };
    },
    cli: 'gcloud container clusters update <cluster> --location=<location> --release-channel=regular',
    console: 'Kubernetes Engine → the cluster → Details → Release channel → Edit → Regular → Save.',
    bad: { releaseChannel: { channel: 'UNSPECIFIED' } },
  },
  {
    id: 'VGL-GCP-156',
    title: 'GKE Secrets are not encrypted with a customer-managed key',
    description: 'Without application-layer Secrets encryption, Kubernetes Secrets in etcd are protected only by Google-managed storage encryption; a Cloud KMS key adds envelope encryption the organisation controls and can revoke.',
    severity: 'low',
    theme: 'atRest',
    remediation: 'Enable application-layer Secrets encryption with a Cloud KMS key.',
    reference: 'https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets',
    fails: (r) => (str(dig(r.attrs, 'databaseEncryption', 'state')) === 'ENCRYPTED' ? undefined : { path: ['databaseEncryption', 'state'], why: 'Secrets are not encrypted with a Cloud KMS key' }),
    cli: 'gcloud container clusters update <cluster> --location=<location> --database-encryption-key=projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>',
    console: 'Kubernetes Engine → the cluster → Security → Application-layer secrets encryption → Edit → Enable → the key → Save.',
    bad: { databaseEncryption: { state: 'DECRYPTED' } },
  },
];

function hardeningRule(row: HardeningRow): Rule {
  return liveRule('gcp', {
    id: row.id,
    title: row.title,
    description: row.description,
    severity: row.severity,
    service: 'gke',
    frameworks: themes(row.theme),
    remediation: row.remediation,
    references: [row.reference],
    live: {
      kinds: [GCP.cluster],
      check(r) {
        const f = row.fails(r);
        return f === undefined ? [] : [violation(f.path, f.why)];
      },
      cli: row.cli,
      console: row.console,
      bad: [collected('gcp', [cluster('weak', row.bad), cluster('hardened')], [clusterId('weak')])],
      good: [collected('gcp', [cluster('hardened'), ...(row.alsoGood ? [cluster('other-way', row.alsoGood)] : [])])],
    },
  });
}

export const GKE_LIVE_RULES: readonly Rule[] = HARDENING.map(hardeningRule);
