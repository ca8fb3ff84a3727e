/**
 * Microsoft Defender for Cloud as collected (CIS Azure 2.1 section 2.1): one rule per Defender
 * plan (a table: each plan is a `pricings` resource whose tier must be Standard), the security
 * contact (e-mail to owners, additional addresses, alert notifications: the live half of
 * VGL-AZURE-055), auto-provisioning and the Defender for Cloud Apps / Endpoint integrations.
 */
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { show } from '../../shared/attrs.js';
import { themes } from '../../shared/controls.js';
import { cis, liveRule } from '../../shared/define.js';
import { collected, type LiveSpec } from '../../shared/live.js';
import { AZ, isTrue, low, props, subScoped } from './lib.js';

interface Plan {
  readonly id: string;
  /** The pricing's `name`. */
  readonly plan: string;
  readonly label: string;
  readonly cis: string;
  readonly protects: string;
}

const PLANS: readonly Plan[] = [
  { id: 'VGL-AZURE-123', plan: 'VirtualMachines', label: 'Servers', cis: '2.1.1', protects: 'virtual machines and Arc servers (EDR, vulnerability assessment, just-in-time access)' },
  { id: 'VGL-AZURE-124', plan: 'AppServices', label: 'App Service', cis: '2.1.2', protects: 'App Service apps (attacks on the apps and their hosts)' },
  { id: 'VGL-AZURE-125', plan: 'SqlServers', label: 'Azure SQL Databases', cis: '2.1.3', protects: 'Azure SQL databases (SQL injection, anomalous access, vulnerability assessment)' },
  { id: 'VGL-AZURE-126', plan: 'SqlServerVirtualMachines', label: 'SQL servers on machines', cis: '2.1.4', protects: 'SQL Server running on virtual machines' },
  { id: 'VGL-AZURE-127', plan: 'OpenSourceRelationalDatabases', label: 'open-source relational databases', cis: '2.1.5', protects: 'PostgreSQL, MySQL and MariaDB servers' },
  { id: 'VGL-AZURE-128', plan: 'CosmosDbs', label: 'Azure Cosmos DB', cis: '2.1.6', protects: 'Cosmos DB accounts (injection, anomalous access)' },
  { id: 'VGL-AZURE-129', plan: 'StorageAccounts', label: 'Storage', cis: '2.1.7', protects: 'storage accounts (malware uploads, anomalous access and exfiltration)' },
  { id: 'VGL-AZURE-130', plan: 'Containers', label: 'Containers', cis: '2.1.8', protects: 'AKS clusters and container registries (runtime threats, image vulnerabilities)' },
  { id: 'VGL-AZURE-131', plan: 'KeyVaults', label: 'Key Vault', cis: '2.1.9', protects: 'key vaults (unusual access to secrets and keys)' },
  { id: 'VGL-AZURE-132', plan: 'Dns', label: 'DNS', cis: '2.1.10', protects: 'DNS queries from Azure resources (exfiltration over DNS, malicious domains)' },
  { id: 'VGL-AZURE-133', plan: 'Arm', label: 'Resource Manager', cis: '2.1.11', protects: 'control-plane operations (suspicious management activity, credential misuse)' },
];

const pricing = (name: string, tier: string, extra: Record<string, unknown> = {}): ReturnType<typeof subScoped> => subScoped(AZ.pricing, name, { pricingTier: tier, ...extra });

function planRule(p: Plan): Rule {
  const check = (r: Resource): Violation[] => {
    if (r.kind !== AZ.pricing || low(r.attrs['name']) !== p.plan.toLowerCase() || isTrue(props(r)['deprecated'])) return [];
    return low(props(r)['pricingTier']) === 'standard' ? [] : [violation(['properties', 'pricingTier'], `Microsoft Defender for ${p.label} is off (tier ${show(props(r)['pricingTier'] ?? 'not set')})`)];
  };
  return liveRule('azure', {
    id: p.id,
    title: `Microsoft Defender for ${p.label} is not enabled`,
    description: `The ${p.plan} plan of Microsoft Defender for Cloud is on the Free tier, so threat detection for ${p.protects} is off and attacks on them raise no alert.`,
    severity: 'medium',
    service: 'defender',
    frameworks: [cis(p.cis), ...themes('monitoring')],
    remediation: `Set the ${p.plan} Defender plan to the Standard tier for the subscription.`,
    references: ['https://learn.microsoft.com/azure/defender-for-cloud/enable-enhanced-security'],
    live: {
      kinds: [AZ.pricing],
      check,
      cli: `az security pricing create --name ${p.plan} --tier Standard`,
      console: `Microsoft Defender for Cloud → Environment settings → the subscription → Defender plans → ${p.label}: On → Save.`,
      bad: [collected('azure', [pricing(p.plan, 'Free'), pricing('Other', 'Free')], [pricing(p.plan, 'Free').id])],
      good: [collected('azure', [pricing(p.plan, 'Standard'), pricing('Other', 'Free')])],
    },
  });
}

// Security contact ---------------------------------------------------------------------------

const contact = (properties: Record<string, unknown>): ReturnType<typeof subScoped> => subScoped(AZ.contact, 'default', properties);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

function contactCheck(test: (p: Record<string, unknown>) => { path: string[]; message: string } | undefined) {
  return (r: Resource): Violation[] => {
    if (r.kind !== AZ.contact) return [];
    const bad = test(props(r));
    return bad === undefined ? [] : [violation(['properties', ...bad.path], bad.message)];
  };
}

const CONTACT_CLI = 'az security contact create --name default --email <security@example.com> --alert-notifications on --alerts-admins on';
const CONTACT_CONSOLE = 'Microsoft Defender for Cloud → Environment settings → the subscription → Email notifications →';
const GOOD_CONTACT = { emails: 'security@example.com', notificationsByRole: { state: 'On', roles: ['Owner'] }, alertNotifications: { state: 'On', minimalSeverity: 'High' } };

function contactSpec(test: Parameters<typeof contactCheck>[0], bad: Record<string, unknown>, step: string): LiveSpec {
  return {
    kinds: [AZ.contact],
    check: contactCheck(test),
    cli: CONTACT_CLI,
    console: `${CONTACT_CONSOLE} ${step} → Save.`,
    bad: [collected('azure', [contact({ ...GOOD_CONTACT, ...bad })], [contact({}).id])],
    good: [collected('azure', [contact(GOOD_CONTACT)])],
  };
}

const SEVERITY_OK = new Set(['high', 'medium', 'low']);

/** VGL-AZURE-055 on collected data: alert e-mails on, for High severity or lower. */
export const ALERT_MAIL_LIVE = contactSpec(
  (p) => {
    const a = obj(p['alertNotifications']);
    if (low(a['state']) !== 'on') return { path: ['alertNotifications', 'state'], message: 'security alert e-mail notifications are not turned on' };
    return SEVERITY_OK.has(low(a['minimalSeverity']) ?? 'high') ? undefined : { path: ['alertNotifications', 'minimalSeverity'], message: `alerts are e-mailed only from severity ${String(a['minimalSeverity'])}` };
  },
  { alertNotifications: { state: 'Off' } },
  'Notify about alerts with the following severity (or higher): High',
);

const contactRules: readonly Rule[] = [
  liveRule('azure', {
    id: 'VGL-AZURE-134',
    title: 'Defender for Cloud does not e-mail subscription owners',
    description: 'When "All users with the following roles" does not include Owner, the people accountable for the subscription do not hear about high-severity security alerts.',
    severity: 'low',
    service: 'defender',
    frameworks: [cis('2.1.17'), ...themes('monitoring')],
    remediation: 'Enable notifications by role for Owner in the Defender for Cloud e-mail settings.',
    references: ['https://learn.microsoft.com/azure/defender-for-cloud/configure-email-notifications'],
    live: contactSpec(
      (p) => {
        const n = obj(p['notificationsByRole']);
        const roles = Array.isArray(n['roles']) ? n['roles'].map((x) => low(x)) : [];
        return low(n['state']) === 'on' && roles.includes('owner') ? undefined : { path: ['notificationsByRole'], message: 'security alerts are not e-mailed to subscription owners' };
      },
      { notificationsByRole: { state: 'On', roles: ['Admin'] } },
      'All users with the following roles: Owner',
    ),
  }),
  liveRule('azure', {
    id: 'VGL-AZURE-135',
    title: 'Defender for Cloud has no security contact e-mail',
    description: 'Without additional e-mail addresses, security alerts reach only role holders, not the security team that should act on them.',
    severity: 'low',
    service: 'defender',
    frameworks: [cis('2.1.18'), ...themes('monitoring')],
    remediation: 'Add the security team\'s address to "Additional email addresses".',
    references: ['https://learn.microsoft.com/azure/defender-for-cloud/configure-email-notifications'],
    live: contactSpec(
      (p) => {
        const e = p['emails'] ?? p['email'];
        return typeof e === 'string' && e.includes('@') ? undefined : { path: ['emails'], message: 'no additional e-mail address receives security alerts' };
      },
      { emails: '' },
      'Additional email addresses: the security team',
    ),
  }),
];

// Auto-provisioning and integrations --------------------------------------------------------

const autoProvRule = liveRule('azure', {
  id: 'VGL-AZURE-136',
  title: 'Defender for Cloud auto-provisioning is off',
  description: 'With auto-provisioning off, new virtual machines do not get the monitoring agent, so Defender for Cloud collects no security data from them.',
  severity: 'low',
  service: 'defender',
  frameworks: [cis('2.1.14'), ...themes('monitoring')],
  remediation: 'Turn auto-provisioning on.',
  references: ['https://learn.microsoft.com/azure/defender-for-cloud/monitoring-components'],
  live: {
    kinds: [AZ.autoProv],
    check: (r) => (r.kind === AZ.autoProv && low(props(r)['autoProvision']) !== 'on' ? [violation(['properties', 'autoProvision'], `auto-provisioning is ${show(props(r)['autoProvision'] ?? 'not set')}`)] : []),
    cli: 'az security auto-provisioning-setting update --name default --auto-provision On',
    console: 'Microsoft Defender for Cloud → Environment settings → the subscription → Settings & monitoring → Log Analytics agent / Azure Monitor Agent: On → Continue.',
    bad: [collected('azure', [subScoped(AZ.autoProv, 'default', { autoProvision: 'Off' })], [subScoped(AZ.autoProv, 'default', {}).id])],
    good: [collected('azure', [subScoped(AZ.autoProv, 'default', { autoProvision: 'On' })])],
  },
});

interface Integration {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly cis: string;
  readonly why: string;
}

const INTEGRATIONS: readonly Integration[] = [
  { id: 'VGL-AZURE-137', name: 'MCAS', label: 'Microsoft Defender for Cloud Apps', cis: '2.1.20', why: 'cloud app discovery and session signals are not shared with Defender for Cloud' },
  { id: 'VGL-AZURE-138', name: 'WDATP', label: 'Microsoft Defender for Endpoint', cis: '2.1.21', why: 'servers are not onboarded to endpoint detection and response' },
];

const integrationRules = INTEGRATIONS.map((g) =>
  liveRule('azure', {
    id: g.id,
    title: `${g.label} integration is disabled`,
    description: `The ${g.name} setting of Defender for Cloud is off: ${g.why}.`,
    severity: 'low',
    service: 'defender',
    frameworks: [cis(g.cis), ...themes('monitoring')],
    remediation: `Enable the ${g.label} integration in the Defender for Cloud settings.`,
    references: ['https://learn.microsoft.com/azure/defender-for-cloud/integration-defender-for-endpoint'],
    live: {
      kinds: [AZ.setting],
      check: (r: Resource): Violation[] => (r.kind === AZ.setting && r.attrs['name'] === g.name && !isTrue(props(r)['enabled']) ? [violation(['properties', 'enabled'], `${g.label} integration is disabled`)] : []),
      cli: `az security setting update --name ${g.name} --enabled true`,
      console: `Microsoft Defender for Cloud → Environment settings → the subscription → Integrations → Allow ${g.label} to access my data → Save.`,
      bad: [collected('azure', [subScoped(AZ.setting, g.name, { enabled: false }, { kind: 'DataExportSettings' }), subScoped(AZ.setting, 'Sentinel', { enabled: false })], [subScoped(AZ.setting, g.name, {}).id])],
      good: [collected('azure', [subScoped(AZ.setting, g.name, { enabled: true }, { kind: 'DataExportSettings' })])],
    },
  }),
);

export const defenderLiveRules: readonly Rule[] = [...PLANS.map(planRule), ...contactRules, autoProvRule, ...integrationRules];
