/**
 * App Service web and function apps (CIS Azure 2.1 section 9): authentication, HTTPS only,
 * minimum TLS, FTP deployments, remote debugging, CORS, error logging and managed identity.
 * Covers the legacy azurerm_app_service / azurerm_function_app and the 3.x+ linux/windows apps
 * and their deployment slots; `site_config` settings are read from its first block.
 */
import { num } from '../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { blocksAt, firstBlock, known, lower, show } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { AZURERM_DOCS, azureRule, cis } from '../shared/define.js';
import { APP_LIVE } from './live/appservice.js';

export const WEB_APPS = [
  'azurerm_app_service',
  'azurerm_app_service_slot',
  'azurerm_linux_web_app',
  'azurerm_windows_web_app',
  'azurerm_linux_web_app_slot',
  'azurerm_windows_web_app_slot',
];
export const FUNCTION_APPS = [
  'azurerm_function_app',
  'azurerm_function_app_slot',
  'azurerm_linux_function_app',
  'azurerm_windows_function_app',
  'azurerm_linux_function_app_slot',
  'azurerm_windows_function_app_slot',
];
const ALL_APPS = [...WEB_APPS, ...FUNCTION_APPS];

const app = (body: string): string =>
  `resource "azurerm_linux_web_app" "app" {\n  name                = "example-app"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  service_plan_id     = azurerm_service_plan.plan.id\n${body}}\n`;
const APP_DOCS = `${AZURERM_DOCS}linux_web_app`;

/** A setting of the first site_config block, with its path. */
function siteSetting(r: Resource, keys: readonly string[]): { value: unknown; path: AttrPath } | undefined {
  const site = firstBlock(r.attrs, 'site_config');
  if (site === undefined) return undefined;
  for (const key of keys) {
    if (site.block[key] !== undefined && site.block[key] !== null) return { value: site.block[key], path: [...site.path, key] };
  }
  return undefined;
}

export const appAuthDisabled = azureRule({
  id: 'VGL-AZURE-032',
  live: APP_LIVE.auth,
  title: 'App Service authentication is not enabled',
  description:
    'Without App Service Authentication (auth_settings or auth_settings_v2) anonymous requests reach the application code, which must then implement all authentication itself.',
  severity: 'medium',
  service: 'app-service',
  types: WEB_APPS,
  frameworks: [cis('9.1'), ...themes('authn')],
  remediation: 'Enable App Service Authentication with an identity provider (auth_settings_v2 { auth_enabled = true … }).',
  fix: 'auth_settings_v2 {\n  auth_enabled           = true\n  require_authentication = true\n  active_directory_v2 {\n    client_id            = var.client_id\n    tenant_auth_endpoint = "https://login.microsoftonline.com/${var.tenant_id}/v2.0"\n  }\n  login {}\n}',
  references: [`${APP_DOCS}#auth_settings_v2`, 'https://learn.microsoft.com/azure/app-service/overview-authentication-authorization'],
  check(r) {
    const settings = [
      ...blocksAt(r.attrs, 'auth_settings').map((b) => ({ ...b, key: 'enabled' })),
      ...blocksAt(r.attrs, 'auth_settings_v2').map((b) => ({ ...b, key: 'auth_enabled' })),
    ];
    const set = (v: unknown): boolean => v !== undefined && v !== null;
    // An unresolved value is unknown, and unknown passes.
    if (settings.some(({ block, key }) => set(block[key]) && (!known(block[key]) || lower(block[key]) === 'true'))) return [];
    const off = settings.find(({ block, key }) => set(block[key]));
    return [off === undefined ? violation(['auth_settings'], 'App Service Authentication is not configured') : violation([...off.path, off.key], 'App Service Authentication is disabled')];
  },
  bad: [
    { text: app('  site_config {}\n'), lines: [1] },
    { text: app('  site_config {}\n  auth_settings {\n    enabled = false\n  }\n'), lines: [8] },
  ],
  good: [app('  site_config {}\n  auth_settings_v2 {\n    auth_enabled = true\n    login {}\n  }\n')],
});

export const appHttpsOnly = azureRule({
  id: 'VGL-AZURE-033',
  live: APP_LIVE.httpsOnly,
  title: 'App Service accepts plain HTTP',
  description: 'https_only defaults to false: the app answers plain HTTP requests instead of redirecting them to HTTPS, exposing session cookies and data in transit.',
  severity: 'medium',
  service: 'app-service',
  types: ALL_APPS,
  frameworks: [cis('9.2'), ...themes('transit')],
  remediation: 'Set https_only = true.',
  fix: 'resource "azurerm_linux_web_app" "app" {\n  # …\n  https_only = true\n}',
  references: [`${APP_DOCS}#https_only`],
  check(r) {
    const v = r.attrs['https_only'];
    if (v === undefined || v === null) return [violation(['https_only'], 'https_only is not set and defaults to false: plain HTTP is served')];
    return known(v) && lower(v) === 'false' ? [violation(['https_only'], 'https_only is false: plain HTTP is served')] : [];
  },
  bad: [
    { text: app('  site_config {}\n'), lines: [1] },
    { text: app('  https_only = false\n  site_config {}\n'), lines: [6] },
  ],
  good: [app('  https_only = true\n  site_config {}\n')],
});

export const appMinTls = azureRule({
  id: 'VGL-AZURE-034',
  live: APP_LIVE.minTls,
  title: 'App Service accepts TLS older than 1.2',
  description: 'A site_config minimum TLS version of 1.0 or 1.1 lets clients negotiate deprecated protocol versions.',
  severity: 'medium',
  service: 'app-service',
  types: ALL_APPS,
  frameworks: [cis('9.3'), ...themes('transit')],
  remediation: 'Set site_config.minimum_tls_version (min_tls_version for azurerm_app_service) to "1.2" or later; 1.2 is the default.',
  fix: 'site_config {\n  minimum_tls_version = "1.2"\n}',
  references: [`${APP_DOCS}#minimum_tls_version`],
  check(r) {
    const s = siteSetting(r, ['minimum_tls_version', 'min_tls_version']);
    const n = s !== undefined && known(s.value) ? num(s.value) : undefined;
    return s !== undefined && n !== undefined && n < 1.2 ? [violation(s.path, `the minimum TLS version is ${show(s.value)}`)] : [];
  },
  bad: [{ text: app('  site_config {\n    minimum_tls_version = "1.0"\n  }\n'), lines: [7] }],
  good: [app('  site_config {\n    minimum_tls_version = "1.2"\n  }\n'), app('  site_config {}\n')],
});

function siteRule(r: Resource, keys: readonly string[], bad: (v: unknown) => boolean, message: string): Violation[] {
  const s = siteSetting(r, keys);
  return s !== undefined && known(s.value) && bad(s.value) ? [violation(s.path, message)] : [];
}

export const appFtpAllowed = azureRule({
  id: 'VGL-AZURE-035',
  live: APP_LIVE.ftps,
  title: 'App Service allows unencrypted FTP deployments',
  description: 'ftps_state = "AllAllowed" accepts deployments over plain FTP, sending deployment credentials and code unencrypted.',
  severity: 'medium',
  service: 'app-service',
  types: ALL_APPS,
  frameworks: [cis('9.9'), ...themes('transit')],
  remediation: 'Set site_config.ftps_state = "Disabled" (or "FtpsOnly" when FTP deployment is required).',
  fix: 'site_config {\n  ftps_state = "Disabled"\n}',
  references: [`${APP_DOCS}#ftps_state`],
  check: (r) => siteRule(r, ['ftps_state'], (v) => lower(v) === 'allallowed', 'ftps_state is "AllAllowed": plain FTP deployments are accepted'),
  bad: [{ text: app('  site_config {\n    ftps_state = "AllAllowed"\n  }\n'), lines: [7] }],
  good: [app('  site_config {\n    ftps_state = "Disabled"\n  }\n')],
});

export const appRemoteDebugging = azureRule({
  id: 'VGL-AZURE-036',
  live: APP_LIVE.remoteDebugging,
  title: 'App Service remote debugging is enabled',
  description: 'Remote debugging opens additional ports on the app and lets anyone with publishing credentials attach a debugger to production.',
  severity: 'medium',
  service: 'app-service',
  types: ALL_APPS,
  frameworks: themes('hardening'),
  remediation: 'Set site_config.remote_debugging_enabled = false (the default).',
  fix: 'site_config {\n  remote_debugging_enabled = false\n}',
  references: [`${APP_DOCS}#remote_debugging_enabled`],
  check: (r) => siteRule(r, ['remote_debugging_enabled'], (v) => lower(v) === 'true', 'remote debugging is enabled'),
  bad: [{ text: app('  site_config {\n    remote_debugging_enabled = true\n  }\n'), lines: [7] }],
  good: [app('  site_config {\n    remote_debugging_enabled = false\n  }\n'), app('  site_config {}\n')],
});

export const appCorsWildcard = azureRule({
  id: 'VGL-AZURE-037',
  live: APP_LIVE.cors,
  title: 'App Service CORS allows every origin',
  description: 'A CORS allowed_origins of "*" lets scripts on any web site call the app from a visitor\'s browser and read the responses.',
  severity: 'medium',
  service: 'app-service',
  types: ALL_APPS,
  frameworks: themes('hardening'),
  remediation: 'List only the origins that need cross-origin access in site_config.cors.allowed_origins.',
  fix: 'site_config {\n  cors {\n    allowed_origins = ["https://app.example.com"]\n  }\n}',
  references: [`${APP_DOCS}#cors`],
  check(r) {
    const site = firstBlock(r.attrs, 'site_config');
    if (site === undefined) return [];
    return blocksAt(site.block, 'cors', site.path).flatMap(({ block, path }) => {
      const origins = block['allowed_origins'];
      return Array.isArray(origins) && origins.some((o) => typeof o === 'string' && o.trim() === '*') ? [violation([...path, 'allowed_origins'], 'CORS allows any origin ("*")')] : [];
    });
  },
  bad: [{ text: app('  site_config {\n    cors {\n      allowed_origins = ["*"]\n    }\n  }\n'), lines: [8] }],
  good: [app('  site_config {\n    cors {\n      allowed_origins = ["https://app.example.com"]\n    }\n  }\n')],
});

export const appDetailedErrors = azureRule({
  id: 'VGL-AZURE-038',
  live: APP_LIVE.detailedErrors,
  title: 'App Service does not log detailed error messages',
  description: 'Without detailed error logging (logs.detailed_error_messages) failed requests leave no server-side record to investigate attacks or faults with.',
  severity: 'low',
  service: 'app-service',
  types: ['azurerm_app_service', 'azurerm_linux_web_app', 'azurerm_windows_web_app'],
  frameworks: themes('logging'),
  remediation: 'Add a logs block with detailed_error_messages = true (detailed_error_messages_enabled for azurerm_app_service).',
  fix: 'logs {\n  detailed_error_messages = true\n  failed_request_tracing  = true\n}',
  references: [`${APP_DOCS}#detailed_error_messages`],
  check(r) {
    const logs = firstBlock(r.attrs, 'logs');
    if (logs === undefined) return [violation(['logs'], 'no logs block: detailed error messages are not logged')];
    const key = logs.block['detailed_error_messages'] !== undefined ? 'detailed_error_messages' : 'detailed_error_messages_enabled';
    const v = logs.block[key];
    if (v === undefined || v === null) return [violation([...logs.path, key], 'detailed error messages are not logged')];
    return known(v) && lower(v) !== 'true' ? [violation([...logs.path, key], 'detailed error messages are not logged')] : [];
  },
  bad: [
    { text: app('  site_config {}\n'), lines: [1] },
    { text: app('  site_config {}\n  logs {\n    detailed_error_messages = false\n  }\n'), lines: [8] },
  ],
  good: [app('  site_config {}\n  logs {\n    detailed_error_messages = true\n  }\n')],
});

export const appNoManagedIdentity = azureRule({
  id: 'VGL-AZURE-039',
  live: APP_LIVE.identity,
  title: 'App Service has no managed identity',
  description: 'Without a managed identity the app must keep credentials for other Azure services (storage keys, connection strings with passwords) in its configuration.',
  severity: 'low',
  service: 'app-service',
  types: ALL_APPS,
  frameworks: [cis('9.4'), ...themes('authn')],
  remediation: 'Add an identity block (SystemAssigned or UserAssigned) and grant it the roles the app needs.',
  fix: 'identity {\n  type = "SystemAssigned"\n}',
  references: [`${APP_DOCS}#identity`, 'https://learn.microsoft.com/azure/app-service/overview-managed-identity'],
  check(r) {
    return blocksAt(r.attrs, 'identity').length > 0 ? [] : [violation(['identity'], 'no managed identity is assigned')];
  },
  bad: [{ text: app('  site_config {}\n'), lines: [1] }],
  good: [app('  site_config {}\n  identity {\n    type = "SystemAssigned"\n  }\n')],
});

export const APP_SERVICE_RULES: readonly Rule[] = [
  appAuthDisabled,
  appHttpsOnly,
  appMinTls,
  appFtpAllowed,
  appRemoteDebugging,
  appCorsWildcard,
  appDetailedErrors,
  appNoManagedIdentity,
];
