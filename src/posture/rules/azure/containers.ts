/**
 * Containers on Azure: AKS clusters (private API server, Kubernetes RBAC, Azure Policy add-on)
 * and Azure Container Registry (admin account, webhooks over plain HTTP).
 */
import type { Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { attr, blocksAt, firstBlock, known, lower, requireBool } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { AZURERM_DOCS, azureRule } from '../shared/define.js';
import { COMPUTE_LIVE } from './live/compute.js';

const AKS = 'azurerm_kubernetes_cluster';
const aks = (body: string): string =>
  `resource "azurerm_kubernetes_cluster" "aks" {\n  name                = "aks"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  dns_prefix          = "aks"\n${body}}\n`;

function hasAuthorizedRanges(attrs: Record<string, unknown>): boolean {
  const ranges = [attrs['api_server_authorized_ip_ranges'], ...blocksAt(attrs, 'api_server_access_profile').map(({ block }) => block['authorized_ip_ranges'])];
  return ranges.some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null));
}

export const aksPublicApi = azureRule({
  id: 'VGL-AZURE-042',
  live: COMPUTE_LIVE.aksPublicApi,
  title: 'AKS API server is reachable from the whole Internet',
  description:
    'An AKS cluster that is neither private (private_cluster_enabled) nor limited to authorized IP ranges exposes its Kubernetes API server to every Internet address.',
  severity: 'medium',
  service: 'aks',
  types: [AKS],
  frameworks: themes('network'),
  remediation: 'Set private_cluster_enabled = true, or restrict api_server_access_profile.authorized_ip_ranges to the addresses that administer the cluster.',
  fix: 'resource "azurerm_kubernetes_cluster" "aks" {\n  # …\n  private_cluster_enabled = true\n}',
  references: [`${AZURERM_DOCS}kubernetes_cluster#private_cluster_enabled`, 'https://learn.microsoft.com/azure/aks/private-clusters'],
  check(r) {
    if (hasAuthorizedRanges(r.attrs)) return [];
    return requireBool(r, ['private_cluster_enabled'], true, false, 'the API server has a public endpoint open to any address');
  },
  bad: [
    { text: aks(''), lines: [1] },
    { text: aks('  private_cluster_enabled = false\n'), lines: [6] },
  ],
  good: [aks('  private_cluster_enabled = true\n'), aks('  api_server_access_profile {\n    authorized_ip_ranges = ["203.0.113.0/24"]\n  }\n')],
});

export const aksRbacDisabled = azureRule({
  id: 'VGL-AZURE-043',
  live: COMPUTE_LIVE.aksRbac,
  title: 'AKS cluster has Kubernetes RBAC disabled',
  description: 'Without Kubernetes role-based access control every authenticated user and service account has full access to the cluster.',
  severity: 'high',
  service: 'aks',
  types: [AKS],
  frameworks: themes('privilege'),
  remediation: 'Remove role_based_access_control_enabled = false (RBAC is on by default); clusters must be recreated to enable it.',
  fix: 'resource "azurerm_kubernetes_cluster" "aks" {\n  # …\n  role_based_access_control_enabled = true\n}',
  references: [`${AZURERM_DOCS}kubernetes_cluster#role_based_access_control_enabled`],
  check(r) {
    const out: Violation[] = requireBool(r, ['role_based_access_control_enabled'], true, true, 'Kubernetes RBAC is disabled');
    for (const { block, path } of blocksAt(r.attrs, 'role_based_access_control')) {
      if (known(block['enabled']) && lower(block['enabled']) === 'false') out.push(violation([...path, 'enabled'], 'Kubernetes RBAC is disabled'));
    }
    return out;
  },
  bad: [{ text: aks('  role_based_access_control_enabled = false\n'), lines: [6] }],
  good: [aks(''), aks('  role_based_access_control_enabled = true\n')],
});

export const aksAzurePolicyOff = azureRule({
  id: 'VGL-AZURE-044',
  live: COMPUTE_LIVE.aksPolicy,
  title: 'AKS cluster does not use the Azure Policy add-on',
  description: 'Without the Azure Policy add-on, admission policies (no privileged pods, allowed registries, …) cannot be enforced or audited on the cluster.',
  severity: 'low',
  service: 'aks',
  types: [AKS],
  frameworks: themes('hardening'),
  remediation: 'Set azure_policy_enabled = true and assign the Kubernetes policy initiatives you need.',
  fix: 'resource "azurerm_kubernetes_cluster" "aks" {\n  # …\n  azure_policy_enabled = true\n}',
  references: [`${AZURERM_DOCS}kubernetes_cluster#azure_policy_enabled`, 'https://learn.microsoft.com/azure/governance/policy/concepts/policy-for-kubernetes'],
  check(r) {
    const flag = attr(r, ['azure_policy_enabled']);
    const addon = firstBlock(r.attrs, 'addon_profile');
    const policy = addon === undefined ? undefined : firstBlock(addon.block, 'azure_policy', addon.path);
    const on = (v: unknown): boolean => v !== undefined && v !== null && (!known(v) || lower(v) === 'true');
    if (on(flag) || (policy !== undefined && on(policy.block['enabled']))) return [];
    if (flag !== undefined && flag !== null) return [violation(['azure_policy_enabled'], 'the Azure Policy add-on is disabled')];
    if (policy !== undefined) return [violation([...policy.path, 'enabled'], 'the Azure Policy add-on is disabled')];
    if (addon !== undefined) return [violation([...addon.path, 'azure_policy'], 'addon_profile does not enable azure_policy')];
    return [violation(['azure_policy_enabled'], 'the Azure Policy add-on is not enabled')];
  },
  bad: [
    { text: aks(''), lines: [1] },
    { text: aks('  azure_policy_enabled = false\n'), lines: [6] },
  ],
  good: [aks('  azure_policy_enabled = true\n')],
});

const acr = (body: string): string =>
  `resource "azurerm_container_registry" "acr" {\n  name                = "exampleacr"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  sku                 = "Premium"\n${body}}\n`;

export const acrAdminEnabled = azureRule({
  id: 'VGL-AZURE-045',
  live: COMPUTE_LIVE.acrAdmin,
  title: 'Container registry admin account is enabled',
  description: 'The admin account is a single shared user name and password with push and pull rights on the whole registry, not tied to any identity and not auditable per user.',
  severity: 'medium',
  service: 'container-registry',
  types: ['azurerm_container_registry'],
  frameworks: themes('authn'),
  remediation: 'Set admin_enabled = false (the default) and use Entra ID identities or scoped tokens.',
  fix: 'resource "azurerm_container_registry" "acr" {\n  # …\n  admin_enabled = false\n}',
  references: [`${AZURERM_DOCS}container_registry#admin_enabled`, 'https://learn.microsoft.com/azure/container-registry/container-registry-authentication#admin-account'],
  check(r) {
    return requireBool(r, ['admin_enabled'], false, false, 'the shared admin account can push and pull any image');
  },
  bad: [{ text: acr('  admin_enabled       = true\n'), lines: [6] }],
  good: [acr(''), acr('  admin_enabled       = false\n')],
});

const webhook = (uri: string): string =>
  `resource "azurerm_container_registry_webhook" "hook" {\n  name                = "hook"\n  resource_group_name = "rg"\n  registry_name       = "exampleacr"\n  location            = "westeurope"\n  service_uri         = "${uri}"\n  actions             = ["push"]\n}\n`;

export const acrWebhookHttp = azureRule({
  id: 'VGL-AZURE-046',
  title: 'Container registry webhook uses plain HTTP',
  description: 'A webhook service_uri starting with http:// sends event payloads and any custom headers (often carrying tokens) unencrypted.',
  severity: 'medium',
  service: 'container-registry',
  types: ['azurerm_container_registry_webhook'],
  frameworks: themes('transit'),
  remediation: 'Use an https:// service_uri.',
  fix: 'resource "azurerm_container_registry_webhook" "hook" {\n  # …\n  service_uri = "https://hooks.example.com/acr"\n}',
  references: [`${AZURERM_DOCS}container_registry_webhook#service_uri`],
  check(r) {
    const uri = lower(attr(r, ['service_uri']));
    return uri !== undefined && uri.startsWith('http://') ? [violation(['service_uri'], 'the webhook is called over plain HTTP')] : [];
  },
  bad: [{ text: webhook('http://hooks.example.com/acr'), lines: [6] }],
  good: [webhook('https://hooks.example.com/acr')],
});

const group = (body: string): string =>
  `resource "azurerm_container_group" "aci" {\n  name                = "aci"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  os_type             = "Linux"\n${body}  container {\n    name   = "app"\n    image  = "example/app:1.0"\n    cpu    = 1\n    memory = 1\n  }\n}\n`;

export const containerGroupNoIdentity = azureRule({
  id: 'VGL-AZURE-056',
  title: 'Container group has no managed identity',
  description:
    'A container instance without a managed identity must be given credentials (keys, connection strings, client secrets) in environment variables or mounted files to reach other Azure services.',
  severity: 'low',
  service: 'container-instances',
  types: ['azurerm_container_group'],
  frameworks: themes('authn'),
  remediation: 'Add an identity block (SystemAssigned or UserAssigned) and grant it the roles the containers need.',
  fix: 'resource "azurerm_container_group" "aci" {\n  # …\n  identity {\n    type = "SystemAssigned"\n  }\n}',
  references: [`${AZURERM_DOCS}container_group#identity`, 'https://learn.microsoft.com/azure/container-instances/container-instances-managed-identity'],
  check(r) {
    const ids = blocksAt(r.attrs, 'identity');
    if (ids.length === 0) return [violation(['identity'], 'no managed identity is assigned')];
    return ids.flatMap(({ block, path }) => (typeof block['type'] === 'string' && block['type'].trim() === '' ? [violation([...path, 'type'], 'the identity type is empty')] : []));
  },
  bad: [{ text: group(''), lines: [1] }],
  good: [group('  identity {\n    type = "SystemAssigned"\n  }\n')],
});

export const CONTAINER_RULES = [aksPublicApi, aksRbacDisabled, aksAzurePolicyOff, acrAdminEnabled, acrWebhookHttp, containerGroupNoIdentity];
