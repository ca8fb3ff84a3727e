/**
 * Compute Engine instances as collected (`aggregated/instances`) and the project's Compute
 * settings (`computeProject`): the live halves of VGL-GCP-022 … 027 (CIS GCP 4.6, 4.1, 4.5, 4.3,
 * 4.9, 4.7) and VGL-GCP-116 default service account with full API access (4.2), 117 OS Login
 * off for the project (4.4), 118 an instance turning OS Login off (4.4), 119 Shielded VM (4.8),
 * 121 Confidential Computing (4.11). GKE nodes are managed by GKE and exempt where CIS says so.
 */
import { bool, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { liveRule } from '../../shared/define.js';
import { collected, needs, type ExampleResource, type LiveSpec } from '../../shared/live.js';
import { cis } from '../lib/define.js';
import { dig, gcpRes, GCP, isTrue, items, metadataValue, PROJECT_ID, PROJECT_NAME, projectRes, sameProject, strings } from '../lib/live.js';

const ZONE = 'europe-west1-b';
const vmId = (name: string): string => `//compute.googleapis.com/projects/${PROJECT_ID}/zones/${ZONE}/instances/${name}`;
const APP_SA = `app@${PROJECT_ID}.iam.gserviceaccount.com`;
const DEFAULT_SA_EMAIL = `123456789012-compute@developer.gserviceaccount.com`;
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';

const meta = (entries: Record<string, string>): Record<string, unknown> => ({ kind: 'compute#metadata', items: Object.entries(entries).map(([key, value]) => ({ key, value })) });

const computeProject = (entries: Record<string, string>): ExampleResource => projectRes({ computeProject: { name: PROJECT_ID, commonInstanceMetadata: meta(entries) } });

/** A collected instance: a hardened one unless `attrs` says otherwise. */
function vm(name: string, attrs: Record<string, unknown> = {}): ExampleResource {
  return gcpRes(
    GCP.instance,
    vmId(name),
    {
      kind: 'compute#instance',
      name,
      status: 'RUNNING',
      zone: `https://www.googleapis.com/compute/v1/projects/${PROJECT_ID}/zones/${ZONE}`,
      selfLink: `https://www.googleapis.com/compute/v1/projects/${PROJECT_ID}/zones/${ZONE}/instances/${name}`,
      canIpForward: false,
      networkInterfaces: [{ name: 'nic0', network: 'global/networks/app', networkIP: '10.0.0.2' }],
      disks: [{ boot: true, source: `zones/${ZONE}/disks/${name}`, diskEncryptionKey: { kmsKeyName: 'projects/p/locations/europe-west1/keyRings/r/cryptoKeys/disk/cryptoKeyVersions/1' } }],
      serviceAccounts: [{ email: APP_SA, scopes: [CLOUD_PLATFORM] }],
      metadata: meta({ 'block-project-ssh-keys': 'true' }),
      shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true },
      confidentialInstanceConfig: { enableConfidentialCompute: true },
      ...attrs,
    },
    'europe-west1',
  );
}

/** Instances GKE creates and manages for a node pool. */
export function isGkeNode(r: Resource): boolean {
  if (dig(r.attrs, 'labels', 'goog-gke-node') !== undefined) return true;
  return metadataValue(r.attrs['metadata'], 'cluster-name') !== undefined && metadataValue(r.attrs['metadata'], 'kube-env') !== undefined;
}

const GKE_NODE = { labels: { 'goog-gke-node': '' }, metadata: meta({ 'cluster-name': 'prod', 'kube-env': 'redacted' }) };

export const ipForwardingLive: LiveSpec = {
  kinds: [GCP.instance],
  check: (r) => (isGkeNode(r) || bool(r.attrs['canIpForward']) !== true ? [] : [violation(['canIpForward'], 'the instance can forward and spoof packets')]),
  cli: 'gcloud compute instances export <instance> --zone=<zone> --destination=vm.yaml  # set canIpForward: false, then: gcloud compute instances update-from-file <instance> --zone=<zone> --source=vm.yaml --most-disruptive-allowed-action=RESTART',
  console: 'IP forwarding cannot be changed on a running instance in the Console: recreate the instance with IP forwarding off.',
  bad: [collected('gcp', [vm('router', { canIpForward: true }), vm('app')], [vmId('router')])],
  good: [collected('gcp', [vm('app'), vm('gke-prod-pool-1', { canIpForward: true, ...GKE_NODE })])],
};

const isDefaultSa = (email: string | undefined): boolean => email !== undefined && email.toLowerCase().endsWith('-compute@developer.gserviceaccount.com');

export const defaultServiceAccountLive: LiveSpec = {
  kinds: [GCP.instance],
  check(r) {
    if (isGkeNode(r)) return [];
    return items(r.attrs['serviceAccounts']).flatMap(({ item, index }) => (isDefaultSa(str(item['email'])) ? [violation(['serviceAccounts', index, 'email'], 'the instance runs as the Compute Engine default service account')] : []));
  },
  cli: 'gcloud compute instances stop <instance> --zone=<zone> && gcloud compute instances set-service-account <instance> --zone=<zone> --service-account=<sa-email> --scopes=cloud-platform',
  console: 'Compute Engine → VM instances → the instance → Stop → Edit → Service account → a dedicated account → Save.',
  bad: [collected('gcp', [vm('legacy', { serviceAccounts: [{ email: DEFAULT_SA_EMAIL, scopes: ['https://www.googleapis.com/auth/devstorage.read_only'] }] }), vm('app')], [vmId('legacy')])],
  good: [collected('gcp', [vm('app'), vm('no-sa', { serviceAccounts: [] }), vm('gke-prod-pool-1', { ...GKE_NODE, serviceAccounts: [{ email: DEFAULT_SA_EMAIL, scopes: [CLOUD_PLATFORM] }] })])],
};

export const defaultServiceAccountFullAccess = liveRule('gcp', {
  id: 'VGL-GCP-116',
  title: 'Instance uses the default service account with full access to all Cloud APIs',
  description:
    'The Compute Engine default service account holds Editor on the project; with the cloud-platform scope nothing narrows it, so any process on the instance (or anyone who reaches its metadata server) can change almost everything in the project.',
  severity: 'high',
  service: 'compute',
  frameworks: [cis('4.2'), ...themes('privilege')],
  remediation: 'Run the instance as a dedicated service account with only the roles it needs (or at least narrow the scopes of the default one).',
  references: ['https://cloud.google.com/compute/docs/access/service-accounts#default_service_account'],
  live: {
    kinds: [GCP.instance],
    check(r) {
      if (isGkeNode(r)) return [];
      return items(r.attrs['serviceAccounts']).flatMap(({ item, index }) =>
        isDefaultSa(str(item['email'])) && strings(item['scopes']).includes(CLOUD_PLATFORM) ? [violation(['serviceAccounts', index, 'scopes'], 'the default service account has the cloud-platform scope: full access to all Cloud APIs')] : [],
      );
    },
    cli: 'gcloud compute instances stop <instance> --zone=<zone> && gcloud compute instances set-service-account <instance> --zone=<zone> --service-account=<sa-email> --scopes=cloud-platform',
    console: 'Compute Engine → VM instances → the instance → Stop → Edit → Service account → a dedicated account (or Access scopes → Set access for each API) → Save.',
    bad: [collected('gcp', [vm('legacy', { serviceAccounts: [{ email: DEFAULT_SA_EMAIL, scopes: [CLOUD_PLATFORM] }] }), vm('app')], [vmId('legacy')])],
    good: [collected('gcp', [vm('app'), vm('scoped', { serviceAccounts: [{ email: DEFAULT_SA_EMAIL, scopes: ['https://www.googleapis.com/auth/logging.write'] }] })])],
  },
});

/** The serial port setting an instance inherits from the project metadata (the instance's own key wins). */
function inheritedSerialPort(r: Resource, ctx: RuleContext): Violation[] {
  const project = sameProject(ctx, r, GCP.project)[0];
  if (project === undefined) return [];
  const missing = needs(project, 'computeProject');
  if (missing.length > 0) return missing.map((v) => ({ ...v, message: `${v.message} (the project metadata may enable the serial console for this instance)` }));
  const inherited = metadataValue(dig(project.attrs, 'computeProject', 'commonInstanceMetadata'), 'serial-port-enable');
  return inherited !== undefined && isTrue(inherited.value) ? [violation(['metadata'], 'the project metadata enables the interactive serial console and the instance does not turn it off')] : [];
}

export const serialPortLive: LiveSpec = {
  kinds: [GCP.instance],
  check(r, ctx) {
    const v = metadataValue(r.attrs['metadata'], 'serial-port-enable');
    if (v === undefined) return inheritedSerialPort(r, ctx);
    return isTrue(v.value) ? [violation(['metadata', 'items', v.index, 'value'], 'the interactive serial console is enabled')] : [];
  },
  cli: 'gcloud compute instances add-metadata <instance> --zone=<zone> --metadata=serial-port-enable=FALSE  # and: gcloud compute project-info remove-metadata --keys=serial-port-enable',
  console: 'Compute Engine → VM instances → the instance → Edit → Remote access → clear "Enable connecting to serial ports" → Save.',
  bad: [
    collected('gcp', [vm('debug', { metadata: meta({ 'serial-port-enable': 'TRUE', 'block-project-ssh-keys': 'true' }) }), vm('app')], [vmId('debug')]),
    collected('gcp', [computeProject({ 'serial-port-enable': 'true' }), vm('inherits'), vm('opts-out', { metadata: meta({ 'serial-port-enable': 'false' }) })], [vmId('inherits')]),
  ],
  good: [collected('gcp', [vm('app'), vm('off', { metadata: meta({ 'serial-port-enable': '0' }) }), vm('bare', { metadata: { kind: 'compute#metadata' } }), computeProject({ 'enable-oslogin': 'TRUE' })])],
};

export const projectSshKeysLive: LiveSpec = {
  kinds: [GCP.instance],
  check(r) {
    if (isGkeNode(r)) return [];
    const v = metadataValue(r.attrs['metadata'], 'block-project-ssh-keys');
    if (v !== undefined && isTrue(v.value)) return [];
    return [violation(v === undefined ? ['metadata'] : ['metadata', 'items', v.index, 'value'], 'project-wide SSH keys can log in to this instance')];
  },
  cli: 'gcloud compute instances add-metadata <instance> --zone=<zone> --metadata=block-project-ssh-keys=TRUE',
  console: 'Compute Engine → VM instances → the instance → Edit → SSH Keys → check "Block project-wide SSH keys" → Save.',
  bad: [collected('gcp', [vm('open', { metadata: { kind: 'compute#metadata' } }), vm('unblocked', { metadata: meta({ 'block-project-ssh-keys': 'false' }) }), vm('app')], [vmId('open'), vmId('unblocked')])],
  good: [collected('gcp', [vm('app'), vm('gke-prod-pool-1', GKE_NODE)])],
};

export const publicIpLive: LiveSpec = {
  kinds: [GCP.instance],
  check(r) {
    if (isGkeNode(r)) return [];
    return items(r.attrs['networkInterfaces']).flatMap(({ item, index }) =>
      ['accessConfigs', 'ipv6AccessConfigs'].flatMap((key) => items(item[key]).map((a) => violation(['networkInterfaces', index, key, a.index], `the network interface has an external IP address${str(a.item['natIP']) ? ` (${String(a.item['natIP'])})` : ''}`))),
    );
  },
  cli: 'gcloud compute instances delete-access-config <instance> --zone=<zone> --access-config-name="<access-config-name>"',
  console: 'Compute Engine → VM instances → the instance → Edit → Network interfaces → External IPv4 address → None → Save.',
  bad: [collected('gcp', [vm('web', { networkInterfaces: [{ name: 'nic0', networkIP: '10.0.0.3', accessConfigs: [{ type: 'ONE_TO_ONE_NAT', name: 'External NAT', natIP: '203.0.113.7' }] }] }), vm('app')], [vmId('web')])],
  good: [collected('gcp', [vm('app'), vm('gke-prod-pool-1', { ...GKE_NODE, networkInterfaces: [{ name: 'nic0', accessConfigs: [{ type: 'ONE_TO_ONE_NAT', natIP: '203.0.113.8' }] }] })])],
};

export const diskCmekLive: LiveSpec = {
  kinds: [GCP.instance],
  check(r) {
    return items(r.attrs['disks']).flatMap(({ item, index }) => {
      const key = item['diskEncryptionKey'];
      const named = str(dig(key, 'kmsKeyName')) ?? str(dig(key, 'sha256')) ?? str(dig(key, 'rsaEncryptedKey'));
      return named !== undefined && named !== '' ? [] : [violation(['disks', index], `disk ${str(item['deviceName']) ?? String(index)} is encrypted with a Google-managed key`)];
    });
  },
  cli: 'gcloud compute disks create <disk> --zone=<zone> --source-snapshot=<snapshot> --kms-key=projects/<project>/locations/<location>/keyRings/<ring>/cryptoKeys/<key>  # then attach it in place of the old disk',
  console: 'Compute Engine → Disks → Create disk → Encryption → Customer-managed (or -supplied) key; move the data and attach it in place of the old disk.',
  bad: [collected('gcp', [vm('plain', { disks: [{ boot: true, deviceName: 'plain' }] }), vm('app')], [vmId('plain')])],
  good: [collected('gcp', [vm('app'), vm('csek', { disks: [{ boot: true, diskEncryptionKey: { sha256: 'base64-hash=' } }] }), vm('diskless', { disks: [] })])],
};

// OS Login (4.4) ------------------------------------------------------------------------------


export const projectOsLogin = liveRule('gcp', {
  id: 'VGL-GCP-117',
  title: 'OS Login is not enabled for the project',
  description:
    'Without OS Login, SSH access to instances rests on keys pasted into metadata: they are not tied to IAM, do not expire and survive the departure of their owner. OS Login binds SSH to Google identities, IAM roles and 2-step verification.',
  severity: 'medium',
  service: 'compute',
  frameworks: [cis('4.4'), ...themes('authn')],
  remediation: 'Set the project metadata enable-oslogin=TRUE (and grant roles/compute.osLogin or osAdminLogin to those who need SSH).',
  references: ['https://cloud.google.com/compute/docs/oslogin/set-up-oslogin'],
  live: {
    kinds: [GCP.project],
    check(r) {
      const missing = needs(r, 'computeProject');
      if (missing.length > 0) return missing;
      if (r.attrs['computeProject'] === null || r.attrs['computeProject'] === undefined) return []; // Compute Engine not in use.
      const v = metadataValue(dig(r.attrs, 'computeProject', 'commonInstanceMetadata'), 'enable-oslogin');
      return v !== undefined && isTrue(v.value) ? [] : [violation(['computeProject', 'commonInstanceMetadata'], v === undefined ? 'enable-oslogin is not set in the project metadata' : 'enable-oslogin is off in the project metadata')];
    },
    cli: 'gcloud compute project-info add-metadata --project=<project> --metadata=enable-oslogin=TRUE',
    console: 'Compute Engine → Settings → Metadata → Edit → Add item enable-oslogin = TRUE → Save.',
    bad: [collected('gcp', [computeProject({ 'ssh-keys': 'alice:ssh-ed25519 AAAA…' })], [PROJECT_NAME]), collected('gcp', [computeProject({ 'enable-oslogin': 'FALSE' })], [PROJECT_NAME])],
    good: [collected('gcp', [computeProject({ 'enable-oslogin': 'TRUE' })]), collected('gcp', [projectRes({ computeProject: null })])],
  },
});

export const instanceOsLoginOff = liveRule('gcp', {
  id: 'VGL-GCP-118',
  title: 'Instance turns OS Login off',
  description: 'Instance metadata enable-oslogin=FALSE overrides the project setting: the instance falls back to metadata SSH keys, outside IAM.',
  severity: 'medium',
  service: 'compute',
  frameworks: [cis('4.4'), ...themes('authn')],
  remediation: 'Remove the enable-oslogin key from the instance metadata (or set it to TRUE).',
  references: ['https://cloud.google.com/compute/docs/oslogin/set-up-oslogin'],
  live: {
    kinds: [GCP.instance],
    check(r) {
      if (isGkeNode(r)) return [];
      const v = metadataValue(r.attrs['metadata'], 'enable-oslogin');
      return v !== undefined && v.value !== undefined && !isTrue(v.value) ? [violation(['metadata', 'items', v.index, 'value'], 'enable-oslogin is off on the instance')] : [];
    },
    cli: 'gcloud compute instances remove-metadata <instance> --zone=<zone> --keys=enable-oslogin',
    console: 'Compute Engine → VM instances → the instance → Edit → Metadata → delete enable-oslogin → Save.',
    bad: [collected('gcp', [vm('legacy', { metadata: meta({ 'enable-oslogin': 'false', 'block-project-ssh-keys': 'true' }) }), vm('app')], [vmId('legacy')])],
    good: [collected('gcp', [vm('app'), vm('on', { metadata: meta({ 'enable-oslogin': 'TRUE' }) })])],
  },
});

// Shielded VM and Confidential Computing ------------------------------------------------------

export const shieldedVm = liveRule('gcp', {
  id: 'VGL-GCP-119',
  title: 'Instance is not a Shielded VM',
  description: 'Without Secure Boot, vTPM and integrity monitoring the instance cannot prove its boot chain: boot-level rootkits and tampered kernels go undetected.',
  severity: 'medium',
  service: 'compute',
  frameworks: [cis('4.8'), ...themes('hardening')],
  remediation: 'Stop the instance and turn on Secure Boot, vTPM and integrity monitoring (the image must support Shielded VM).',
  references: ['https://cloud.google.com/compute/shielded-vm/docs/shielded-vm'],
  live: {
    kinds: [GCP.instance],
    check(r) {
      const missing = ['enableSecureBoot', 'enableVtpm', 'enableIntegrityMonitoring'].filter((k) => bool(dig(r.attrs, 'shieldedInstanceConfig', k)) !== true);
      return missing.length > 0 ? [violation(['shieldedInstanceConfig'], `${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} off`)] : [];
    },
    cli: 'gcloud compute instances stop <instance> --zone=<zone> && gcloud compute instances update <instance> --zone=<zone> --shielded-secure-boot --shielded-vtpm --shielded-integrity-monitoring',
    console: 'Compute Engine → VM instances → the instance → Stop → Edit → Shielded VM → turn on Secure Boot, vTPM and integrity monitoring → Save.',
    bad: [collected('gcp', [vm('unshielded', { shieldedInstanceConfig: { enableSecureBoot: false, enableVtpm: true, enableIntegrityMonitoring: true } }), vm('old', { shieldedInstanceConfig: undefined }), vm('app')], [vmId('unshielded'), vmId('old')])],
    good: [collected('gcp', [vm('app')])],
  },
});

export const confidentialVm = liveRule('gcp', {
  id: 'VGL-GCP-121',
  title: 'Instance does not use Confidential Computing',
  description: 'Confidential VMs keep memory encrypted with keys the host never sees, protecting data in use from the hypervisor and from cold-boot or DMA attacks on the host.',
  severity: 'low',
  service: 'compute',
  frameworks: [cis('4.11'), ...themes('atRest')],
  remediation: 'Recreate sensitive workloads as Confidential VMs (an N2D, C2D or C3 machine type with Confidential Computing on).',
  references: ['https://cloud.google.com/confidential-computing/confidential-vm/docs/about-cvm'],
  live: {
    kinds: [GCP.instance],
    check(r) {
      if (bool(dig(r.attrs, 'confidentialInstanceConfig', 'enableConfidentialCompute')) === true) return [];
      const type = str(dig(r.attrs, 'confidentialInstanceConfig', 'confidentialInstanceType'));
      return type !== undefined && type !== 'CONFIDENTIAL_INSTANCE_TYPE_UNSPECIFIED' ? [] : [violation(['confidentialInstanceConfig'], 'Confidential Computing is off')];
    },
    cli: 'gcloud compute instances create <instance> --zone=<zone> --machine-type=n2d-standard-2 --confidential-compute-type=SEV --maintenance-policy=TERMINATE',
    console: 'Compute Engine → Create instance → Security → Confidential VM service → Enable; move the workload to it.',
    bad: [collected('gcp', [vm('plain', { confidentialInstanceConfig: { enableConfidentialCompute: false } }), vm('app')], [vmId('plain')])],
    good: [collected('gcp', [vm('app'), vm('tdx', { confidentialInstanceConfig: { confidentialInstanceType: 'TDX' } })])],
  },
});

export const COMPUTE_LIVE_RULES: readonly Rule[] = [defaultServiceAccountFullAccess, projectOsLogin, instanceOsLoginOff, shieldedVm, confidentialVm];
