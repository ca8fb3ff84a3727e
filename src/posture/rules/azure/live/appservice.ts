/**
 * App Service and Function apps as collected (CIS Azure 2.1 section 9): the live halves of
 * VGL-AZURE-032…039, read from the site (`httpsOnly`, `identity`), its web configuration
 * (`config`) and its authentication settings (`authSettingsV2`), and live-only HTTP/2 and client
 * certificate rules.
 */
import { num } from '../../../attrs.js';
import type { Rule } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { cis, liveRule } from '../../shared/define.js';
import type { LiveSpec } from '../../shared/live.js';
import { AZ, isTrue, low, mustBe, valueSpec } from './lib.js';

const SITE = [AZ.site] as const;
const WEBAPP = 'az webapp config set --resource-group <resource-group> --name <app>';
const CONFIG = 'App Services → the app → Settings → Configuration → General settings →';

function tlsBelow12(v: unknown): string | undefined {
  const n = num(v);
  return n !== undefined && n < 1.2 ? `minTlsVersion is ${String(v)}: clients may use TLS before 1.2` : undefined;
}

export const APP_LIVE = {
  auth: valueSpec({
    kinds: SITE,
    path: ['authSettingsV2', 'properties', 'platform', 'enabled'],
    fails: (v) => (isTrue(v) ? undefined : 'App Service authentication is not enabled'),
    bad: [false, undefined],
    good: [true],
    cli: 'az webapp auth update --resource-group <resource-group> --name <app> --enabled true --action LoginWithAzureActiveDirectory',
    console: 'App Services → the app → Settings → Authentication → Add identity provider → Microsoft → Require authentication → Add.',
  }),
  httpsOnly: valueSpec({
    kinds: SITE,
    path: ['properties', 'httpsOnly'],
    fails: mustBe(true, 'the app serves plain HTTP', 'httpsOnly is not set: the app serves plain HTTP'),
    bad: [false, undefined],
    good: [true],
    cli: 'az webapp update --resource-group <resource-group> --name <app> --https-only true',
    console: 'App Services → the app → Settings → Configuration → General settings → HTTPS Only: On → Save.',
  }),
  minTls: valueSpec({
    kinds: SITE,
    path: ['config', 'properties', 'minTlsVersion'],
    fails: tlsBelow12,
    bad: ['1.0', '1.1'],
    good: ['1.2', '1.3'],
    cli: `${WEBAPP} --min-tls-version 1.2`,
    console: `${CONFIG} Minimum Inbound TLS Version → 1.2 → Save.`,
  }),
  ftps: valueSpec({
    kinds: SITE,
    path: ['config', 'properties', 'ftpsState'],
    fails: (v) => (low(v) === 'allallowed' ? 'ftpsState is AllAllowed: deployment credentials travel over plain FTP' : undefined),
    bad: ['AllAllowed'],
    good: ['FtpsOnly', 'Disabled'],
    cli: `${WEBAPP} --ftps-state Disabled`,
    console: `${CONFIG} FTP state → FTPS only (or Disabled) → Save.`,
  }),
  remoteDebugging: valueSpec({
    kinds: SITE,
    path: ['config', 'properties', 'remoteDebuggingEnabled'],
    fails: mustBe(false, 'remote debugging is enabled'),
    bad: [true],
    good: [false],
    cli: `${WEBAPP} --remote-debugging-enabled false`,
    console: `${CONFIG} Remote debugging → Off → Save.`,
  }),
  cors: valueSpec({
    kinds: SITE,
    path: ['config', 'properties', 'cors', 'allowedOrigins'],
    fails: (v) => (Array.isArray(v) && v.some((o) => typeof o === 'string' && o.trim() === '*') ? 'CORS allows every origin (*)' : undefined),
    bad: [['*'], ['https://a.example', '*']],
    good: [['https://app.example'], undefined],
    cli: 'az webapp cors remove --resource-group <resource-group> --name <app> --allowed-origins "*" && az webapp cors add --resource-group <resource-group> --name <app> --allowed-origins https://<trusted-origin>',
    console: 'App Services → the app → API → CORS → remove * and list the trusted origins → Save.',
  }),
  detailedErrors: valueSpec({
    kinds: SITE,
    path: ['config', 'properties', 'detailedErrorLoggingEnabled'],
    skip: (r) => (low(r.attrs['kind']) ?? '').includes('functionapp'),
    fails: mustBe(true, 'detailed error messages are not logged'),
    bad: [false],
    good: [true, undefined],
    cli: 'az webapp log config --resource-group <resource-group> --name <app> --detailed-error-messages true',
    console: 'App Services → the app → Monitoring → App Service logs → Detailed error messages: On → Save.',
  }),
  identity: valueSpec({
    kinds: SITE,
    path: ['identity', 'type'],
    fails: (v) => (v === undefined || v === null || low(v) === 'none' ? 'the app has no managed identity' : undefined),
    bad: [undefined, 'None'],
    good: ['SystemAssigned', 'UserAssigned'],
    cli: 'az webapp identity assign --resource-group <resource-group> --name <app>',
    console: 'App Services → the app → Settings → Identity → System assigned → Status: On → Save.',
  }),
} satisfies Record<string, LiveSpec>;

export const appLiveRules: readonly Rule[] = [
  liveRule('azure', {
    id: 'VGL-AZURE-119',
    title: 'App Service does not enable HTTP/2',
    description: 'HTTP/2 fixes head-of-line blocking and header compression weaknesses of HTTP/1.1 and is only offered over TLS; CIS recommends the latest HTTP version.',
    severity: 'low',
    service: 'app-service',
    frameworks: [cis('9.8'), ...themes('hardening')],
    remediation: 'Set http20Enabled to true in the site configuration.',
    references: ['https://learn.microsoft.com/azure/app-service/configure-common#configure-general-settings'],
    live: valueSpec({
      kinds: SITE,
      path: ['config', 'properties', 'http20Enabled'],
      fails: mustBe(true, 'HTTP/2 is not enabled'),
      bad: [false],
      good: [true],
      cli: `${WEBAPP} --http20-enabled true`,
      console: `${CONFIG} HTTP version → 2.0 → Save.`,
    }),
  }),
  liveRule('azure', {
    id: 'VGL-AZURE-120',
    title: 'App Service does not require client certificates',
    description: 'With incoming client certificates off, any client that reaches the app can call it; mutual TLS lets only clients holding a trusted certificate connect.',
    severity: 'low',
    service: 'app-service',
    frameworks: themes('authn'),
    remediation: 'Set clientCertEnabled to true with clientCertMode Required (exclude public paths if needed).',
    references: ['https://learn.microsoft.com/azure/app-service/app-service-web-configure-tls-mutual-auth'],
    live: valueSpec({
      kinds: SITE,
      path: ['properties', 'clientCertEnabled'],
      fails: mustBe(true, 'incoming client certificates are not required', 'clientCertEnabled is not set: client certificates are not required'),
      bad: [false, undefined],
      good: [true],
      cli: 'az webapp update --resource-group <resource-group> --name <app> --set clientCertEnabled=true clientCertMode=Required',
      console: 'App Services → the app → Settings → Configuration → General settings → Client certificate mode: Require → Save.',
    }),
  }),
];
