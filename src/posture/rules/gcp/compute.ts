/**
 * Compute Engine instances, templates and disks (CIS GCP 3.0 section 4): IP forwarding, the
 * default service account, serial port access, project-wide SSH keys, public IP addresses and
 * disks without customer-supplied or customer-managed keys.
 */
import type { Resource, Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { attr, blocksAt, firstBlock, known, lower, requireBool } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { cis, GOOGLE_DOCS, gcpRule } from './lib/define.js';
import { defaultServiceAccountLive, diskCmekLive, ipForwardingLive, projectSshKeysLive, publicIpLive, serialPortLive } from './live/compute.js';

const VMS = ['google_compute_instance', 'google_compute_instance_template', 'google_compute_region_instance_template'];
const DOCS = `${GOOGLE_DOCS}compute_instance`;
const vm = (body: string): string =>
  `resource "google_compute_instance" "vm" {\n  name         = "vm"\n  machine_type = "e2-medium"\n  zone         = "europe-west1-b"\n${body}  boot_disk {\n    initialize_params {\n      image = "debian-cloud/debian-12"\n    }\n  }\n  network_interface {\n    network = "default"\n  }\n}\n`;

export const ipForwarding = gcpRule({
  id: 'VGL-GCP-022',
  title: 'Instance can forward IP packets',
  description:
    'With can_ip_forward = true the instance may send and receive packets with any source or destination address, letting a compromised machine route or spoof traffic inside the VPC.',
  severity: 'medium',
  service: 'compute',
  types: VMS,
  frameworks: [cis('4.6'), ...themes('network')],
  remediation: 'Set can_ip_forward = false (the default) unless the instance is a dedicated router or NAT appliance.',
  fix: 'resource "google_compute_instance" "vm" {\n  # …\n  can_ip_forward = false\n}',
  references: [`${DOCS}#can_ip_forward`],
  live: ipForwardingLive,
  check: (r) => requireBool(r, ['can_ip_forward'], false, false, 'the instance can forward and spoof packets'),
  bad: [{ text: vm('  can_ip_forward = true\n'), lines: [5] }],
  good: [vm(''), vm('  can_ip_forward = false\n')],
});

const DEFAULT_SA = /-compute@developer\.gserviceaccount\.com$/i;

export const defaultServiceAccount = gcpRule({
  id: 'VGL-GCP-023',
  title: 'Instance runs as the Compute Engine default service account',
  description:
    'The default service account holds the Editor role on the project by default; every process on the instance can use it to read and change almost everything in the project.',
  severity: 'medium',
  service: 'compute',
  types: VMS,
  frameworks: [cis('4.1'), ...themes('privilege')],
  remediation: 'Create a dedicated service account with only the roles the workload needs and set service_account.email to it.',
  fix: 'resource "google_compute_instance" "vm" {\n  # …\n  service_account {\n    email  = google_service_account.app.email\n    scopes = ["cloud-platform"]\n  }\n}',
  references: [`${DOCS}#service_account`, 'https://cloud.google.com/compute/docs/access/service-accounts#default_service_account'],
  live: defaultServiceAccountLive,
  check(r) {
    return blocksAt(r.attrs, 'service_account').flatMap(({ block, path }): Violation[] => {
      const email = block['email'];
      if (email === undefined || email === null) return [violation([...path, 'email'], 'no email: the instance runs as the default service account')];
      return typeof email === 'string' && DEFAULT_SA.test(email.trim()) ? [violation([...path, 'email'], 'the instance runs as the default service account')] : [];
    });
  },
  bad: [{ text: vm('  service_account {\n    scopes = ["cloud-platform"]\n  }\n'), lines: [5] }],
  good: [vm('  service_account {\n    email  = "app@example-project.iam.gserviceaccount.com"\n    scopes = ["cloud-platform"]\n  }\n')],
});

/** The value of a metadata key (`metadata = { key = … }`), with its path. */
function metadata(r: Resource, key: string): { value: unknown; present: boolean } {
  const v = attr(r, ['metadata', key]);
  return { value: v, present: v !== undefined && v !== null };
}

export const serialPortEnabled = gcpRule({
  id: 'VGL-GCP-024',
  title: 'Instance serial port access is enabled',
  description:
    'With serial-port-enable = true the instance\'s interactive serial console is reachable through Google\'s gateway from any address; it does not honour IP-based firewall rules.',
  severity: 'medium',
  service: 'compute',
  types: VMS,
  frameworks: [cis('4.5'), ...themes('network')],
  remediation: 'Remove the serial-port-enable metadata key or set it to "false".',
  fix: 'resource "google_compute_instance" "vm" {\n  # …\n  metadata = {\n    serial-port-enable = "false"\n  }\n}',
  references: [`${DOCS}#metadata`, 'https://cloud.google.com/compute/docs/troubleshooting/troubleshooting-using-serial-console'],
  live: serialPortLive,
  check(r) {
    const m = metadata(r, 'serial-port-enable');
    return m.present && known(m.value) && ['true', '1'].includes(lower(m.value) ?? '') ? [violation(['metadata', 'serial-port-enable'], 'the interactive serial console is enabled')] : [];
  },
  bad: [{ text: vm('  metadata = {\n    serial-port-enable = "true"\n  }\n'), lines: [6] }],
  good: [vm(''), vm('  metadata = {\n    serial-port-enable = "false"\n  }\n')],
});

export const projectSshKeys = gcpRule({
  id: 'VGL-GCP-025',
  title: 'Instance accepts project-wide SSH keys',
  description:
    'Unless block-project-ssh-keys is true, every SSH key in the project metadata can log in to the instance, so one leaked key opens every machine in the project.',
  severity: 'low',
  service: 'compute',
  types: VMS,
  frameworks: [cis('4.3'), ...themes('authn')],
  remediation: 'Set the block-project-ssh-keys metadata key to "true" and use instance-level keys or OS Login.',
  fix: 'resource "google_compute_instance" "vm" {\n  # …\n  metadata = {\n    block-project-ssh-keys = "true"\n  }\n}',
  references: [`${DOCS}#metadata`, 'https://cloud.google.com/compute/docs/connect/restrict-ssh-keys'],
  live: projectSshKeysLive,
  check(r) {
    const meta = attr(r, ['metadata']);
    if (meta !== undefined && !known(meta)) return [];
    const m = metadata(r, 'block-project-ssh-keys');
    if (m.present && (!known(m.value) || ['true', '1'].includes(lower(m.value) ?? ''))) return [];
    return [violation(['metadata', 'block-project-ssh-keys'], 'project-wide SSH keys can log in to this instance')];
  },
  bad: [{ text: vm(''), lines: [1] }],
  good: [vm('  metadata = {\n    block-project-ssh-keys = "true"\n  }\n')],
});

export const instancePublicIp = gcpRule({
  id: 'VGL-GCP-026',
  title: 'Instance has a public IP address',
  description: 'An access_config block in a network interface gives the instance an external IP address, reachable from the Internet wherever firewall rules allow.',
  severity: 'medium',
  service: 'compute',
  types: VMS,
  frameworks: [cis('4.9'), ...themes('network')],
  remediation: 'Remove access_config; reach the Internet through Cloud NAT and administer the instance through IAP.',
  fix: 'network_interface {\n  subnetwork = google_compute_subnetwork.app.id\n  # no access_config: no external IP\n}',
  references: [`${DOCS}#access_config`],
  live: publicIpLive,
  check(r) {
    return blocksAt(r.attrs, 'network_interface').flatMap(({ block, path }) =>
      blocksAt(block, 'access_config', path).map(({ path: p }) => violation(p, 'the network interface has an external IP address')),
    );
  },
  bad: [
    {
      text: 'resource "google_compute_instance" "vm" {\n  name         = "vm"\n  machine_type = "e2-medium"\n  zone         = "europe-west1-b"\n  boot_disk {\n    initialize_params {\n      image = "debian-cloud/debian-12"\n    }\n  }\n  network_interface {\n    network = "default"\n    access_config {}\n  }\n}\n',
      lines: [12],
    },
  ],
  good: [vm('')],
});

const KEY_FIELDS = ['raw_key', 'rsa_encrypted_key', 'kms_key_self_link'];

export const diskWithoutCustomerKey = gcpRule({
  id: 'VGL-GCP-027',
  title: 'Persistent disk is not encrypted with a customer-supplied or customer-managed key',
  description:
    'A disk without disk_encryption_key (raw_key, rsa_encrypted_key or kms_key_self_link) is encrypted only with a Google-managed key, which the organisation cannot revoke or rotate itself.',
  severity: 'low',
  service: 'compute',
  types: ['google_compute_disk', 'google_compute_region_disk'],
  frameworks: [cis('4.7'), ...themes('atRest', 'keys')],
  remediation: 'Create the disk with disk_encryption_key { kms_key_self_link = … } (CMEK) or a customer-supplied key.',
  fix: 'resource "google_compute_disk" "d" {\n  # …\n  disk_encryption_key {\n    kms_key_self_link = google_kms_crypto_key.disk.id\n  }\n}',
  references: [`${GOOGLE_DOCS}compute_disk#disk_encryption_key`, 'https://cloud.google.com/compute/docs/disks/customer-supplied-encryption'],
  live: diskCmekLive,
  check(r) {
    const key = firstBlock(r.attrs, 'disk_encryption_key');
    if (key === undefined) return [violation(['disk_encryption_key'], 'the disk uses a Google-managed key')];
    const field = KEY_FIELDS.find((f) => key.block[f] !== undefined && key.block[f] !== null);
    if (field === undefined) return [violation([...key.path, 'raw_key'], 'disk_encryption_key names no key')];
    const v = key.block[field];
    return typeof v === 'string' && v.trim() === '' ? [violation([...key.path, field], `${field} is empty`)] : [];
  },
  bad: [{ text: 'resource "google_compute_disk" "d" {\n  name = "data"\n  type = "pd-ssd"\n  zone = "europe-west1-b"\n}\n', lines: [1] }],
  good: ['resource "google_compute_disk" "d" {\n  name = "data"\n  type = "pd-ssd"\n  zone = "europe-west1-b"\n  disk_encryption_key {\n    kms_key_self_link = google_kms_crypto_key.disk.id\n  }\n}\n'],
});

export const COMPUTE_RULES = [ipForwarding, defaultServiceAccount, serialPortEnabled, projectSshKeys, instancePublicIp, diskWithoutCustomerKey];
