/**
 * Key vaults as collected (CIS Azure 2.1 section 8 and 5.1.5): the live halves of
 * VGL-AZURE-010…012 (recoverability, key and secret expiry, read from the ARM key and secret
 * metadata), and live-only rules for the RBAC permission model, private endpoints, automatic key
 * rotation and audit logging.
 */
import { num } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { cis, liveRule } from '../../shared/define.js';
import { collected, needs, type LiveSpec } from '../../shared/live.js';
import { arm, AZ, isFalse, isTrue, items, low, mustBe, props, valueSpec, approvedPrivateEndpoint, APPROVED_ENDPOINT } from './lib.js';

const KV = [AZ.vault] as const;
const vault = (name: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}): ReturnType<typeof arm> =>
  arm(AZ.vault, name, { tenantId: '00000000-0000-0000-0000-0000000000aa', sku: { family: 'A', name: 'standard' }, ...properties }, extra);

function recoverable(r: Resource): Violation[] {
  if (r.kind !== AZ.vault) return [];
  const p = props(r);
  if (isFalse(p['enableSoftDelete'])) return [violation(['properties', 'enableSoftDelete'], 'soft delete is disabled: deleted keys and secrets cannot be recovered')];
  if (!isTrue(p['enablePurgeProtection'])) return [violation(['properties', 'enablePurgeProtection'], 'purge protection is not enabled: deleted keys and secrets can be purged at once')];
  return [];
}

/** Enabled objects (keys or secrets) of a vault without an expiry time. */
function noExpiry(key: 'keys' | 'secrets') {
  return (r: Resource): Violation[] => {
    if (r.kind !== AZ.vault) return [];
    const missing = needs(r, key);
    if (missing.length > 0) return missing;
    const out: Violation[] = [];
    items(r.attrs[key]).forEach((o, i) => {
      const attrs = props(o)['attributes'];
      const a = (typeof attrs === 'object' && attrs !== null ? attrs : {}) as Record<string, unknown>;
      if (isFalse(a['enabled'])) return;
      if (num(a['exp']) === undefined) out.push(violation([key, i, 'properties', 'attributes', 'exp'], `${key === 'keys' ? 'key' : 'secret'} ${String(o['name'])} has no expiration date`));
    });
    return out;
  };
}

const obj = (name: string, attributes: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ name, properties: { attributes: { enabled: true, ...attributes }, ...extra } });
const EXP = 1893456000; // 2030-01-01

function expirySpec(key: 'keys' | 'secrets'): LiveSpec {
  const noun = key === 'keys' ? 'key' : 'secret';
  return {
    kinds: KV,
    check: noExpiry(key),
    cli: `az keyvault ${noun} set-attributes --vault-name <vault> --name <${noun}> --expires <YYYY-MM-DDThh:mm:ssZ>`,
    console: `Key vaults → the vault → Objects → ${key === 'keys' ? 'Keys' : 'Secrets'} → the ${noun} → current version → Set expiration date → Save.`,
    bad: [collected('azure', [vault('kv1', {}, { [key]: [obj('a', { exp: EXP }), obj('b', {})] }), vault('kv2', {}, { [key]: [obj('c', { exp: EXP })] })], [vault('kv1', {}).id])],
    good: [collected('azure', [vault('kv2', {}, { [key]: [obj('c', { exp: EXP }), obj('disabled', { enabled: false })] }), vault('empty', {}, { [key]: [] })])],
  };
}

export const KEYVAULT_LIVE = {
  recoverable: {
    kinds: KV,
    check: recoverable,
    cli: 'az keyvault update --name <vault> --resource-group <resource-group> --enable-purge-protection true',
    console: 'Key vaults → the vault → Settings → Properties → Purge protection → Enable purge protection → Save.',
    bad: [collected('azure', [vault('kv1', { enableSoftDelete: true }), vault('kv2', { enableSoftDelete: false, enablePurgeProtection: true }), vault('kv3', { enableSoftDelete: true, enablePurgeProtection: true })], [vault('kv1', {}).id, vault('kv2', {}).id])],
    good: [collected('azure', [vault('kv3', { enableSoftDelete: true, enablePurgeProtection: true }), vault('kv4', { enablePurgeProtection: true })])],
  },
  keyExpiry: expirySpec('keys'),
  secretExpiry: expirySpec('secrets'),
} satisfies Record<string, LiveSpec>;

// Live-only ------------------------------------------------------------------------------------

function rotation(r: Resource): Violation[] {
  if (r.kind !== AZ.vault) return [];
  const missing = needs(r, 'keys');
  if (missing.length > 0) return missing;
  const out: Violation[] = [];
  items(r.attrs['keys']).forEach((k, i) => {
    const p = props(k);
    const attrs = p['attributes'];
    if (typeof attrs === 'object' && attrs !== null && isFalse((attrs as Record<string, unknown>)['enabled'])) return;
    const policy = p['rotationPolicy'];
    const actions = typeof policy === 'object' && policy !== null ? items((policy as Record<string, unknown>)['lifetimeActions']) : [];
    const rotates = actions.some((a) => low((a['action'] as Record<string, unknown> | undefined)?.['type']) === 'rotate');
    if (!rotates) out.push(violation(['keys', i, 'properties', 'rotationPolicy'], `key ${String(k['name'])} has no automatic rotation policy`));
  });
  return out;
}

const ROTATE = { lifetimeActions: [{ trigger: { timeBeforeExpiry: 'P30D' }, action: { type: 'Rotate' } }], attributes: { expiryTime: 'P1Y' } };

const AUDIT_CATEGORIES = new Set(['auditevent', 'audit', 'alllogs']);

function logging(r: Resource): Violation[] {
  if (r.kind !== AZ.vault) return [];
  const missing = needs(r, 'diagnosticSettings');
  if (missing.length > 0) return missing;
  const ok = items(r.attrs['diagnosticSettings']).some((d) => {
    const p = props(d);
    const dest = ['storageAccountId', 'workspaceId', 'eventHubAuthorizationRuleId'].some((k) => typeof p[k] === 'string' && p[k] !== '');
    return dest && items(p['logs']).some((l) => isTrue(l['enabled']) && (AUDIT_CATEGORIES.has(low(l['category']) ?? '') || AUDIT_CATEGORIES.has(low(l['categoryGroup']) ?? '')));
  });
  return ok ? [] : [violation(['diagnosticSettings'], 'no diagnostic setting sends the AuditEvent logs of this vault anywhere')];
}

const diag = (category: Record<string, unknown>, enabled = true): Record<string, unknown>[] => [{ name: 'audit', properties: { workspaceId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/logs', logs: [{ ...category, enabled }] } }];

const kvRule = (id: string, title: string, description: string, severity: Rule['severity'], control: string | undefined, theme: Parameters<typeof themes>, remediation: string, reference: string, live: LiveSpec): Rule =>
  liveRule('azure', { id, title, description, severity, service: 'key-vault', frameworks: [...(control === undefined ? [] : [cis(control)]), ...themes(...theme)], remediation, references: [reference], live });

export const keyVaultLiveRules: readonly Rule[] = [
  kvRule(
    'VGL-AZURE-113',
    'Key Vault uses access policies instead of Azure RBAC',
    'The legacy access policy model grants all-or-nothing permissions per object type and cannot be governed with Privileged Identity Management; Azure RBAC gives per-vault or per-object roles that can be reviewed and made just-in-time.',
    'medium',
    '8.6',
    ['privilege'],
    'Recreate the access needed as role assignments (Key Vault Secrets User, Crypto User…), then switch the vault to the Azure RBAC permission model.',
    'https://learn.microsoft.com/azure/key-vault/general/rbac-migration',
    valueSpec({
      kinds: KV,
      path: ['properties', 'enableRbacAuthorization'],
      fails: mustBe(true, 'the vault uses the access policy permission model', 'enableRbacAuthorization is not set: the vault uses access policies'),
      bad: [false, undefined],
      good: [true],
      cli: 'az keyvault update --name <vault> --resource-group <resource-group> --enable-rbac-authorization true',
      console: 'Key vaults → the vault → Settings → Access configuration → Permission model: Azure role-based access control → Apply.',
    }),
  ),
  kvRule(
    'VGL-AZURE-114',
    'Key Vault has no private endpoint',
    'Without a private endpoint the vault is reached over its public endpoint; a private endpoint keeps secret and key traffic on the virtual network and allows the public endpoint to be closed.',
    'low',
    '8.7',
    ['network'],
    'Create a private endpoint for the vault and disable public network access.',
    'https://learn.microsoft.com/azure/key-vault/general/private-link-service',
    valueSpec({
      kinds: KV,
      path: ['properties', 'privateEndpointConnections'],
      fails: approvedPrivateEndpoint,
      bad: [[], undefined],
      good: [APPROVED_ENDPOINT],
      cli: 'az network private-endpoint create --name <endpoint> --resource-group <resource-group> --vnet-name <vnet> --subnet <subnet> --private-connection-resource-id <vault-id> --group-id vault --connection-name <connection>',
      console: 'Key vaults → the vault → Settings → Networking → Private endpoint connections → + Create.',
    }),
  ),
  kvRule(
    'VGL-AZURE-115',
    'Key Vault key does not rotate automatically',
    'A key without a rotation policy keeps the same key material until someone rotates it by hand; automatic rotation limits how much data one key version protects and how long a leaked version is useful.',
    'low',
    '8.8',
    ['keys'],
    'Give every key a rotation policy with a Rotate lifetime action (for example 30 days before a one-year expiry).',
    'https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation',
    {
      kinds: KV,
      check: rotation,
      cli: 'az keyvault key rotation-policy update --vault-name <vault> --name <key> --value <policy.json>',
      console: 'Key vaults → the vault → Objects → Keys → the key → Rotation policy → Enable auto rotation → Save.',
      bad: [collected('azure', [vault('kv1', {}, { keys: [obj('a', {}, { rotationPolicy: ROTATE }), obj('b', {})] }), vault('kv2', {}, { keys: [obj('c', {}, { rotationPolicy: ROTATE })] })], [vault('kv1', {}).id])],
      good: [collected('azure', [vault('kv2', {}, { keys: [obj('c', {}, { rotationPolicy: ROTATE }), obj('off', { enabled: false })] }), vault('empty', {}, { keys: [] })])],
    },
  ),
  kvRule(
    'VGL-AZURE-116',
    'Key Vault audit logging is not enabled',
    'Without a diagnostic setting exporting the AuditEvent category, nobody can tell who read which secret or used which key, and when.',
    'medium',
    '5.1.5',
    ['logging'],
    'Add a diagnostic setting on the vault sending the audit category group (AuditEvent) to a Log Analytics workspace or storage account.',
    'https://learn.microsoft.com/azure/key-vault/general/howto-logging',
    {
      kinds: KV,
      check: logging,
      cli: 'az monitor diagnostic-settings create --name audit --resource <vault-id> --workspace <workspace-id> --logs \'[{"categoryGroup":"audit","enabled":true}]\'',
      console: 'Key vaults → the vault → Monitoring → Diagnostic settings → + Add diagnostic setting → audit → destination → Save.',
      bad: [
        collected('azure', [vault('kv1', {}, { diagnosticSettings: [] }), vault('kv2', {}, { diagnosticSettings: diag({ category: 'AuditEvent' }, false) }), vault('kv3', {}, { diagnosticSettings: diag({ category: 'AuditEvent' }) })], [vault('kv1', {}).id, vault('kv2', {}).id]),
      ],
      good: [collected('azure', [vault('kv3', {}, { diagnosticSettings: diag({ category: 'AuditEvent' }) }), vault('kv4', {}, { diagnosticSettings: diag({ categoryGroup: 'allLogs' }) })])],
    },
  ),
];
