/**
 * Key Vault (CIS Azure 2.1 section 8) and App Configuration: recoverability (soft delete and
 * purge protection), expiry of keys and secrets, and secret content types.
 */
import { violation } from '../../rule.js';
import { attr, lower, requireBool } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { AZURERM_DOCS, azureRule, cis } from '../shared/define.js';
import { KEYVAULT_LIVE } from './live/keyvault.js';

const vault = (body: string): string =>
  `resource "azurerm_key_vault" "kv" {\n  name                = "examplekv"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  tenant_id           = "00000000-0000-0000-0000-000000000000"\n  sku_name            = "standard"\n${body}}\n`;

export const keyVaultNotRecoverable = azureRule({
  id: 'VGL-AZURE-010',
  live: KEYVAULT_LIVE.recoverable,
  title: 'Key Vault is not protected against purge',
  description:
    'Without purge protection a deleted vault, key or secret can be purged before its soft-delete retention ends, so a mistaken or malicious deletion permanently destroys the keys that encrypt other data. Disabling soft delete (soft_delete_enabled = false, azurerm before 3.0) removes recovery entirely.',
  severity: 'medium',
  service: 'key-vault',
  types: ['azurerm_key_vault'],
  frameworks: [cis('8.5'), ...themes('recovery')],
  remediation: 'Set purge_protection_enabled = true (it cannot be turned off again) and keep soft delete on.',
  fix: 'resource "azurerm_key_vault" "kv" {\n  # …\n  purge_protection_enabled   = true\n  soft_delete_retention_days = 90\n}',
  references: [`${AZURERM_DOCS}key_vault#purge_protection_enabled`, 'https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview'],
  check(r) {
    return [
      ...requireBool(r, ['purge_protection_enabled'], true, false, 'deleted keys and secrets can be purged immediately'),
      ...requireBool(r, ['soft_delete_enabled'], true, true, 'deleted keys and secrets cannot be recovered'),
    ];
  },
  bad: [
    { text: vault(''), lines: [1] },
    { text: vault('  purge_protection_enabled = false\n'), lines: [7] },
  ],
  good: [vault('  purge_protection_enabled = true\n')],
});

export const keyVaultKeyExpiry = azureRule({
  id: 'VGL-AZURE-011',
  live: KEYVAULT_LIVE.keyExpiry,
  title: 'Key Vault key has no expiration date',
  description: 'A key without an expiration date stays usable forever, so a leaked or superseded key is never forced out of use.',
  severity: 'medium',
  service: 'key-vault',
  types: ['azurerm_key_vault_key'],
  frameworks: [cis('8.1'), cis('8.2'), ...themes('keys')],
  remediation: 'Set expiration_date on the key (and a rotation_policy that renews it before it expires).',
  fix: 'resource "azurerm_key_vault_key" "k" {\n  # …\n  expiration_date = "2026-12-31T00:00:00Z"\n  rotation_policy {\n    expire_after         = "P365D"\n    notify_before_expiry = "P30D"\n    automatic {\n      time_before_expiry = "P30D"\n    }\n  }\n}',
  references: [`${AZURERM_DOCS}key_vault_key#expiration_date`],
  check(r) {
    const v = attr(r, ['expiration_date']);
    return v === undefined || (typeof v === 'string' && v.trim() === '') ? [violation(['expiration_date'], 'the key has no expiration_date')] : [];
  },
  bad: [
    {
      text: 'resource "azurerm_key_vault_key" "k" {\n  name         = "k"\n  key_vault_id = azurerm_key_vault.kv.id\n  key_type     = "RSA"\n  key_size     = 2048\n  key_opts     = ["decrypt", "encrypt"]\n}\n',
      lines: [1],
    },
  ],
  good: [
    'resource "azurerm_key_vault_key" "k" {\n  name            = "k"\n  key_vault_id    = azurerm_key_vault.kv.id\n  key_type        = "RSA"\n  key_size        = 2048\n  key_opts        = ["decrypt", "encrypt"]\n  expiration_date = "2026-12-31T00:00:00Z"\n}\n',
  ],
});

const secret = (body: string): string =>
  `resource "azurerm_key_vault_secret" "s" {\n  name         = "db-password"\n  value        = var.db_password\n  key_vault_id = azurerm_key_vault.kv.id\n${body}}\n`;

export const keyVaultSecretExpiry = azureRule({
  id: 'VGL-AZURE-012',
  live: KEYVAULT_LIVE.secretExpiry,
  title: 'Key Vault secret has no expiration date',
  description: 'A secret without an expiration date is never forced to rotate; a leaked credential keeps working indefinitely.',
  severity: 'medium',
  service: 'key-vault',
  types: ['azurerm_key_vault_secret'],
  frameworks: [cis('8.3'), cis('8.4'), ...themes('keys')],
  remediation: 'Set expiration_date on the secret and rotate it before that date.',
  fix: 'resource "azurerm_key_vault_secret" "s" {\n  # …\n  expiration_date = "2026-12-31T00:00:00Z"\n}',
  references: [`${AZURERM_DOCS}key_vault_secret#expiration_date`],
  check(r) {
    const v = attr(r, ['expiration_date']);
    return v === undefined || (typeof v === 'string' && v.trim() === '') ? [violation(['expiration_date'], 'the secret has no expiration_date')] : [];
  },
  bad: [{ text: secret(''), lines: [1] }],
  good: [secret('  expiration_date = "2026-12-31T00:00:00Z"\n')],
});

export const keyVaultSecretContentType = azureRule({
  id: 'VGL-AZURE-013',
  title: 'Key Vault secret has no content type',
  description:
    'content_type records what a secret is (password, connection string, certificate); without it, owners cannot tell how to rotate or revoke a secret found in the vault.',
  severity: 'low',
  service: 'key-vault',
  types: ['azurerm_key_vault_secret'],
  frameworks: themes('keys'),
  remediation: 'Set content_type to describe the secret, e.g. "password" or "connection-string".',
  fix: 'resource "azurerm_key_vault_secret" "s" {\n  # …\n  content_type = "password"\n}',
  references: [`${AZURERM_DOCS}key_vault_secret#content_type`],
  check(r) {
    const v = attr(r, ['content_type']);
    return v === undefined || (typeof v === 'string' && v.trim() === '') ? [violation(['content_type'], 'the secret has no content_type')] : [];
  },
  bad: [{ text: secret(''), lines: [1] }],
  good: [secret('  content_type = "password"\n')],
});

const appConf = (body: string): string =>
  `resource "azurerm_app_configuration" "conf" {\n  name                = "appconf"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  sku                 = "standard"\n${body}}\n`;

export const appConfigurationPurge = azureRule({
  id: 'VGL-AZURE-014',
  title: 'App Configuration store is not protected against purge',
  description:
    'Without purge protection a deleted standard-tier App Configuration store can be purged during its retention period, losing every key-value and feature flag it held.',
  severity: 'low',
  service: 'app-configuration',
  types: ['azurerm_app_configuration'],
  frameworks: themes('recovery'),
  remediation: 'Set purge_protection_enabled = true on standard-tier stores.',
  fix: 'resource "azurerm_app_configuration" "conf" {\n  # …\n  sku                      = "standard"\n  purge_protection_enabled = true\n}',
  references: [`${AZURERM_DOCS}app_configuration#purge_protection_enabled`],
  check(r) {
    // The free tier (the default sku) has neither soft delete nor purge protection.
    if ((lower(attr(r, ['sku'])) ?? 'free') === 'free') return [];
    return requireBool(r, ['purge_protection_enabled'], true, false, 'a deleted store can be purged immediately');
  },
  bad: [
    { text: appConf(''), lines: [1] },
    { text: appConf('  purge_protection_enabled = false\n'), lines: [6] },
  ],
  good: [appConf('  purge_protection_enabled = true\n')],
});

export const KEYVAULT_RULES = [keyVaultNotRecoverable, keyVaultKeyExpiry, keyVaultSecretExpiry, keyVaultSecretContentType, appConfigurationPurge];
