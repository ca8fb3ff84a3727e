/**
 * Rules shared by many Azure platform services, each driven by a table of resource type →
 * attribute and provider default: public network access left on, key-based ("local")
 * authentication left on. Plus CDN endpoints and application gateway listeners serving plain
 * HTTP, and Defender for Cloud alert e-mails.
 */
import type { Resource, Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { blocksAt, known, lower, show } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { AZURERM_DOCS, azureRule, cis } from '../shared/define.js';
import { COMPUTE_LIVE, PUBLIC_LIVE } from './live/compute.js';
import { ALERT_MAIL_LIVE } from './live/defender.js';

interface Switch {
  /** The attribute. */
  readonly key: string;
  /** The provider default when the attribute is absent. */
  readonly fallback: boolean;
  /** True when the attribute names the opposite (`local_authentication_disabled`). */
  readonly inverted?: boolean;
}

/** Services whose public endpoint is on unless `public_network_access_enabled` (or similar) is false. */
const PUBLIC_ACCESS: Readonly<Record<string, Switch>> = {
  azurerm_machine_learning_workspace: { key: 'public_network_access_enabled', fallback: true },
  azurerm_servicebus_namespace: { key: 'public_network_access_enabled', fallback: true },
  azurerm_eventhub_namespace: { key: 'public_network_access_enabled', fallback: true },
  azurerm_eventgrid_topic: { key: 'public_network_access_enabled', fallback: true },
  azurerm_eventgrid_domain: { key: 'public_network_access_enabled', fallback: true },
  azurerm_search_service: { key: 'public_network_access_enabled', fallback: true },
  azurerm_container_registry: { key: 'public_network_access_enabled', fallback: true },
  azurerm_cognitive_account: { key: 'public_network_access_enabled', fallback: true },
  azurerm_key_vault: { key: 'public_network_access_enabled', fallback: true },
  azurerm_redis_cache: { key: 'public_network_access_enabled', fallback: true },
  azurerm_synapse_workspace: { key: 'public_network_access_enabled', fallback: true },
  azurerm_databricks_workspace: { key: 'public_network_access_enabled', fallback: true },
  azurerm_data_factory: { key: 'public_network_enabled', fallback: true },
};

/** Services that accept shared keys or SAS unless local authentication is turned off. */
const LOCAL_AUTH: Readonly<Record<string, Switch>> = {
  azurerm_app_configuration: { key: 'local_auth_enabled', fallback: true },
  azurerm_cognitive_account: { key: 'local_auth_enabled', fallback: true },
  azurerm_servicebus_namespace: { key: 'local_auth_enabled', fallback: true },
  azurerm_eventgrid_topic: { key: 'local_auth_enabled', fallback: true },
  azurerm_eventgrid_domain: { key: 'local_auth_enabled', fallback: true },
  azurerm_web_pubsub: { key: 'local_auth_enabled', fallback: true },
  azurerm_signalr_service: { key: 'local_auth_enabled', fallback: true },
  azurerm_eventhub_namespace: { key: 'local_authentication_enabled', fallback: true },
  azurerm_search_service: { key: 'local_authentication_enabled', fallback: true },
  azurerm_cosmosdb_account: { key: 'local_authentication_disabled', fallback: false, inverted: true },
};

/** Whether the switch is on (in its positive sense); undefined when unresolved. */
function switchOn(r: Resource, s: Switch): boolean | undefined {
  const v = r.attrs[s.key];
  if (v === undefined || v === null) return s.inverted === true ? !s.fallback : s.fallback;
  if (!known(v)) return undefined;
  const b = lower(v) === 'true';
  return s.inverted === true ? !b : b;
}

function switchViolation(r: Resource, s: Switch, what: string): Violation[] {
  if (switchOn(r, s) !== true) return [];
  const absent = r.attrs[s.key] === undefined || r.attrs[s.key] === null;
  return [violation([s.key], absent ? `${s.key} is not set and defaults to ${show(s.fallback)}: ${what}` : `${s.key} is ${show(!(s.inverted ?? false))}: ${what}`)];
}

/** A firewall block that denies by default (network_acls, network_rule_set, network_rules). */
function deniesByDefault(r: Resource): boolean {
  return ['network_acls', 'network_rule_set', 'network_rules'].some((k) => blocksAt(r.attrs, k).some(({ block }) => lower(block['default_action']) === 'deny'));
}

const ml = (body: string): string =>
  `resource "azurerm_machine_learning_workspace" "ml" {\n  name                    = "ml"\n  location                = "westeurope"\n  resource_group_name     = "rg"\n  application_insights_id = azurerm_application_insights.ai.id\n  key_vault_id            = azurerm_key_vault.kv.id\n  storage_account_id      = azurerm_storage_account.sa.id\n${body}  identity {\n    type = "SystemAssigned"\n  }\n}\n`;

export const publicNetworkAccess = azureRule({
  id: 'VGL-AZURE-051',
  live: PUBLIC_LIVE,
  title: 'Service is reachable from public networks',
  description:
    'The service keeps its public endpoint (public network access is on by default) and no firewall denies by default, so it accepts connections from any Internet address; only its authentication protects it.',
  severity: 'medium',
  service: 'network',
  types: Object.keys(PUBLIC_ACCESS),
  frameworks: themes('network'),
  remediation: 'Set public_network_access_enabled = false and reach the service through private endpoints, or add network rules that deny by default.',
  fix: 'resource "azurerm_servicebus_namespace" "bus" {\n  # …\n  public_network_access_enabled = false\n}',
  references: ['https://learn.microsoft.com/azure/private-link/private-endpoint-overview', `${AZURERM_DOCS}servicebus_namespace#public_network_access_enabled`],
  check(r) {
    const s = PUBLIC_ACCESS[r.type];
    if (s === undefined || deniesByDefault(r)) return [];
    return switchViolation(r, s, 'the service accepts connections from any network');
  },
  bad: [
    { text: ml(''), lines: [1] },
    { text: ml('  public_network_access_enabled = true\n'), lines: [8] },
  ],
  good: [ml('  public_network_access_enabled = false\n')],
});

const cognitive = (body: string): string =>
  `resource "azurerm_cognitive_account" "ai" {\n  name                = "ai"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  kind                = "Face"\n  sku_name            = "S0"\n${body}}\n`;

export const localAuthEnabled = azureRule({
  id: 'VGL-AZURE-052',
  live: COMPUTE_LIVE.cosmosLocalAuth,
  title: 'Service accepts key-based (local) authentication',
  description:
    'With local authentication on, the service accepts shared access keys or SAS tokens: long-lived secrets that are not tied to an identity, cannot enforce MFA or conditional access and are hard to rotate everywhere they were copied.',
  severity: 'medium',
  service: 'identity',
  types: Object.keys(LOCAL_AUTH),
  frameworks: [cis('4.5.3'), ...themes('authn')],
  remediation: 'Disable local authentication (local_auth_enabled = false, or local_authentication_disabled = true) and grant Entra ID identities data-plane roles.',
  fix: 'resource "azurerm_cognitive_account" "ai" {\n  # …\n  local_auth_enabled = false\n}',
  references: ['https://learn.microsoft.com/azure/service-bus-messaging/disable-local-authentication', `${AZURERM_DOCS}cognitive_account#local_auth_enabled`],
  check(r) {
    const s = LOCAL_AUTH[r.type];
    return s === undefined ? [] : switchViolation(r, s, 'shared keys and SAS tokens are accepted');
  },
  bad: [
    { text: cognitive(''), lines: [1] },
    { text: cognitive('  local_auth_enabled  = true\n'), lines: [7] },
  ],
  good: [
    cognitive('  local_auth_enabled  = false\n'),
    'resource "azurerm_cosmosdb_account" "db" {\n  name                          = "cosmos"\n  location                      = "westeurope"\n  resource_group_name           = "rg"\n  offer_type                    = "Standard"\n  local_authentication_disabled = true\n}\n',
  ],
});

const cdn = (body: string): string =>
  `resource "azurerm_cdn_endpoint" "cdn" {\n  name                = "cdn"\n  profile_name        = "profile"\n  location            = "westeurope"\n  resource_group_name = "rg"\n${body}  origin {\n    name      = "origin"\n    host_name = "www.example.com"\n  }\n}\n`;

export const cdnHttpAllowed = azureRule({
  id: 'VGL-AZURE-053',
  title: 'CDN endpoint serves plain HTTP',
  description: 'is_http_allowed defaults to true: the endpoint serves content over unencrypted HTTP, where it can be read or altered in transit.',
  severity: 'medium',
  service: 'cdn',
  types: ['azurerm_cdn_endpoint'],
  frameworks: themes('transit'),
  remediation: 'Set is_http_allowed = false (and redirect HTTP to HTTPS with a delivery rule if needed).',
  fix: 'resource "azurerm_cdn_endpoint" "cdn" {\n  # …\n  is_http_allowed  = false\n  is_https_allowed = true\n}',
  references: [`${AZURERM_DOCS}cdn_endpoint#is_http_allowed`],
  check(r) {
    return switchViolation(r, { key: 'is_http_allowed', fallback: true }, 'content is served over plain HTTP');
  },
  bad: [
    { text: cdn(''), lines: [1] },
    { text: cdn('  is_http_allowed     = true\n'), lines: [6] },
  ],
  good: [cdn('  is_http_allowed     = false\n')],
});

/** Names of the listeners some routing rule redirects (to HTTPS, typically). */
function redirectedListeners(r: Resource): Set<unknown> {
  const out = new Set<unknown>();
  for (const { block } of blocksAt(r.attrs, 'request_routing_rule')) {
    const redirect = block['redirect_configuration_name'];
    if (redirect !== undefined && redirect !== null) out.add(block['http_listener_name']);
  }
  return out;
}

const gatewayText = (protocol: string): string =>
  `resource "azurerm_application_gateway" "gw" {\n  name                = "gw"\n  resource_group_name = "rg"\n  location            = "westeurope"\n\n  http_listener {\n    name                           = "listener"\n    frontend_ip_configuration_name = "public"\n    frontend_port_name             = "port"\n    protocol                       = "${protocol}"\n  }\n\n  request_routing_rule {\n    name                       = "rule"\n    rule_type                  = "Basic"\n    http_listener_name         = "listener"\n    backend_address_pool_name  = "pool"\n    backend_http_settings_name = "settings"\n    priority                   = 10\n  }\n}\n`;

export const appGatewayHttpListener = azureRule({
  id: 'VGL-AZURE-054',
  title: 'Application gateway listener serves plain HTTP',
  description: 'An http_listener with protocol "Http" whose routing rule forwards to a backend (rather than redirecting to HTTPS) serves the application unencrypted.',
  severity: 'medium',
  service: 'application-gateway',
  types: ['azurerm_application_gateway'],
  frameworks: themes('transit'),
  remediation: 'Use protocol = "Https" with an ssl_certificate_name, or route the HTTP listener to a redirect_configuration that targets the HTTPS listener.',
  fix: 'http_listener {\n  name                           = "https"\n  frontend_ip_configuration_name = "public"\n  frontend_port_name             = "https"\n  protocol                       = "Https"\n  ssl_certificate_name           = "cert"\n}',
  references: [`${AZURERM_DOCS}application_gateway#http_listener`],
  check(r) {
    const redirected = redirectedListeners(r);
    // A redirect whose listener name cannot be resolved may be the one for any listener.
    if ([...redirected].some((n) => !known(n))) return [];
    return blocksAt(r.attrs, 'http_listener').flatMap(({ block, path }) =>
      lower(block['protocol']) === 'http' && !redirected.has(block['name'])
        ? [violation([...path, 'protocol'], `listener ${show(block['name'])} serves plain HTTP without redirecting to HTTPS`)]
        : [],
    );
  },
  bad: [{ text: gatewayText('Http'), lines: [10] }],
  good: [
    gatewayText('Https'),
    gatewayText('Http').replace('    backend_address_pool_name  = "pool"\n    backend_http_settings_name = "settings"\n', '    redirect_configuration_name = "to-https"\n'),
  ],
});

const contact = (alerts: string): string =>
  `resource "azurerm_security_center_contact" "contact" {\n  name                = "contact"\n  email               = "security@example.com"\n  alert_notifications = ${alerts}\n  alerts_to_admins    = true\n}\n`;

export const defenderAlertEmailsOff = azureRule({
  id: 'VGL-AZURE-055',
  live: ALERT_MAIL_LIVE,
  title: 'Defender for Cloud does not e-mail security alerts',
  description: 'With alert_notifications = false the security contact is not told about high-severity alerts, so incidents are noticed late or not at all.',
  severity: 'medium',
  service: 'defender',
  types: ['azurerm_security_center_contact'],
  frameworks: [cis('2.1.19'), ...themes('monitoring')],
  remediation: 'Set alert_notifications = true on the security contact.',
  fix: 'resource "azurerm_security_center_contact" "contact" {\n  # …\n  alert_notifications = true\n}',
  references: [`${AZURERM_DOCS}security_center_contact#alert_notifications`],
  check(r) {
    const v = r.attrs['alert_notifications'];
    return known(v) && lower(v) === 'false' ? [violation(['alert_notifications'], 'security alert e-mails are turned off')] : [];
  },
  bad: [{ text: contact('false'), lines: [4] }],
  good: [contact('true')],
});

export const PAAS_RULES = [publicNetworkAccess, localAuthEnabled, cdnHttpAllowed, appGatewayHttpListener, defenderAlertEmailsOff];
