/**
 * Virtual machines and managed disks (CIS Azure 2.1 section 7): password logins on Linux VMs and
 * disks encrypted only with platform-managed keys.
 */
import type { Resource, Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { attr, blocksAt, known, lower } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { AZURERM_DOCS, azureRule, cis } from '../shared/define.js';
import { COMPUTE_LIVE } from './live/compute.js';

const LINUX_VMS = ['azurerm_linux_virtual_machine', 'azurerm_linux_virtual_machine_scale_set'];
const LEGACY_VMS = ['azurerm_virtual_machine', 'azurerm_virtual_machine_scale_set'];

function passwordAllowed(r: Resource): boolean {
  if (LINUX_VMS.includes(r.type)) return lower(attr(r, ['disable_password_authentication'])) === 'false';
  return blocksAt(r.attrs, 'os_profile_linux_config').some(({ block }) => lower(block['disable_password_authentication']) === 'false');
}

export const vmPasswordAuth = azureRule({
  id: 'VGL-AZURE-040',
  live: COMPUTE_LIVE.linuxPassword,
  title: 'Linux virtual machine allows password logins',
  description:
    'With disable_password_authentication = false the machine accepts SSH logins with a password, which can be guessed or reused, instead of requiring an SSH key.',
  severity: 'medium',
  service: 'compute',
  types: [...LINUX_VMS, ...LEGACY_VMS],
  frameworks: themes('authn'),
  remediation: 'Set disable_password_authentication = true and give admin_ssh_key blocks instead of an admin password.',
  fix: 'resource "azurerm_linux_virtual_machine" "vm" {\n  # …\n  disable_password_authentication = true\n  admin_ssh_key {\n    username   = "azureuser"\n    public_key = file("~/.ssh/id_ed25519.pub")\n  }\n}',
  references: [`${AZURERM_DOCS}linux_virtual_machine#disable_password_authentication`],
  check(r) {
    // The finding is reported on the machine itself, where KICS and Checkov report it too.
    return passwordAllowed(r) ? [violation([], 'password authentication is enabled for SSH logins')] : [];
  },
  bad: [
    {
      text: 'resource "azurerm_linux_virtual_machine" "vm" {\n  name                            = "vm"\n  resource_group_name             = "rg"\n  location                        = "westeurope"\n  size                            = "Standard_B2s"\n  admin_username                  = "azureuser"\n  admin_password                  = var.admin_password\n  disable_password_authentication = false\n  network_interface_ids           = [azurerm_network_interface.nic.id]\n}\n',
      lines: [1],
    },
  ],
  good: [
    'resource "azurerm_linux_virtual_machine" "vm" {\n  name                  = "vm"\n  resource_group_name   = "rg"\n  location              = "westeurope"\n  size                  = "Standard_B2s"\n  admin_username        = "azureuser"\n  network_interface_ids = [azurerm_network_interface.nic.id]\n\n  admin_ssh_key {\n    username   = "azureuser"\n    public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample user@example"\n  }\n}\n',
  ],
});

function diskEncryption(r: Resource): Violation[] {
  for (const key of ['disk_encryption_set_id', 'secure_vm_disk_encryption_set_id']) {
    if (attr(r, [key]) !== undefined) return [];
  }
  const settings = blocksAt(r.attrs, 'encryption_settings');
  if (settings.length === 0) return [violation(['encryption_settings'], 'the disk uses only platform-managed encryption keys')];
  return settings.flatMap(({ block, path }) =>
    known(block['enabled']) && lower(block['enabled']) === 'false' ? [violation([...path, 'enabled'], 'Azure Disk Encryption is disabled (encryption_settings.enabled = false)')] : [],
  );
}

const disk = (body: string): string =>
  `resource "azurerm_managed_disk" "d" {\n  name                 = "data"\n  location             = "westeurope"\n  resource_group_name  = "rg"\n  storage_account_type = "Premium_LRS"\n  create_option        = "Empty"\n  disk_size_gb         = 64\n${body}}\n`;

export const managedDiskPlatformKey = azureRule({
  id: 'VGL-AZURE-041',
  live: COMPUTE_LIVE.diskCmk,
  title: 'Managed disk is not encrypted with a customer-managed key',
  description:
    'A managed disk with neither a disk encryption set (customer-managed key) nor Azure Disk Encryption is encrypted only with a Microsoft-managed key, which the organisation cannot revoke, rotate or audit.',
  severity: 'low',
  service: 'compute',
  types: ['azurerm_managed_disk'],
  frameworks: [cis('7.3'), cis('7.4'), ...themes('atRest', 'keys')],
  remediation: 'Set disk_encryption_set_id to a disk encryption set backed by a Key Vault key (or enable Azure Disk Encryption with encryption_settings).',
  fix: 'resource "azurerm_managed_disk" "d" {\n  # …\n  disk_encryption_set_id = azurerm_disk_encryption_set.des.id\n}',
  references: [`${AZURERM_DOCS}managed_disk#disk_encryption_set_id`, 'https://learn.microsoft.com/azure/virtual-machines/disk-encryption'],
  check: diskEncryption,
  bad: [
    { text: disk(''), lines: [1] },
    { text: disk('  encryption_settings {\n    enabled = false\n  }\n'), lines: [9] },
  ],
  good: [disk('  disk_encryption_set_id = azurerm_disk_encryption_set.des.id\n')],
});

export const COMPUTE_RULES = [vmPasswordAuth, managedDiskPlatformKey];
