/**
 * Subscription-level logging and monitoring as collected (CIS Azure 2.1 sections 5.1, 5.2 and
 * 1.23): an activity log alert for each CIS event (a table: one rule per operation, checked on
 * the subscription anchor against the subscription's alert rules), the activity log diagnostic
 * setting and its categories, and custom subscription owner roles.
 */
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { cis, liveRule } from '../../shared/define.js';
import { collected, type LiveSpec } from '../../shared/live.js';
import { AZ, isTrue, items, low, props, sameSub, SUB, SUB_ID, subScoped, subscription, unknownKinds } from './lib.js';

interface AlertEvent {
  readonly id: string;
  readonly cis: string;
  readonly operation: string;
  readonly what: string;
}

const EVENTS: readonly AlertEvent[] = [
  { id: 'VGL-AZURE-139', cis: '5.2.1', operation: 'Microsoft.Authorization/policyAssignments/write', what: 'creating a policy assignment' },
  { id: 'VGL-AZURE-140', cis: '5.2.2', operation: 'Microsoft.Authorization/policyAssignments/delete', what: 'deleting a policy assignment' },
  { id: 'VGL-AZURE-141', cis: '5.2.3', operation: 'Microsoft.Network/networkSecurityGroups/write', what: 'creating or updating a network security group' },
  { id: 'VGL-AZURE-142', cis: '5.2.4', operation: 'Microsoft.Network/networkSecurityGroups/delete', what: 'deleting a network security group' },
  { id: 'VGL-AZURE-143', cis: '5.2.5', operation: 'Microsoft.Security/securitySolutions/write', what: 'creating or updating a security solution' },
  { id: 'VGL-AZURE-144', cis: '5.2.6', operation: 'Microsoft.Security/securitySolutions/delete', what: 'deleting a security solution' },
  { id: 'VGL-AZURE-145', cis: '5.2.7', operation: 'Microsoft.Sql/servers/firewallRules/write', what: 'creating or updating a SQL server firewall rule' },
  { id: 'VGL-AZURE-146', cis: '5.2.8', operation: 'Microsoft.Sql/servers/firewallRules/delete', what: 'deleting a SQL server firewall rule' },
  { id: 'VGL-AZURE-147', cis: '5.2.9', operation: 'Microsoft.Network/publicIPAddresses/write', what: 'creating or updating a public IP address' },
  { id: 'VGL-AZURE-148', cis: '5.2.10', operation: 'Microsoft.Network/publicIPAddresses/delete', what: 'deleting a public IP address' },
];

/** Every `{field, equals}` leaf of an alert's condition (allOf, and anyOf inside it). */
function leaves(alert: Resource): Record<string, unknown>[] {
  const all = items((props(alert)['condition'] as Record<string, unknown> | undefined)?.['allOf']);
  return all.flatMap((c) => [c, ...items(c['anyOf'])]);
}

/** An enabled alert on the subscription (or one of its resource groups) for `operation`. */
function alertsOn(alert: Resource, sub: Resource, operation: string): boolean {
  const p = props(alert);
  if (!isTrue(p['enabled'] ?? true)) return false;
  const subId = `/subscriptions/${(sub.account ?? '').toLowerCase()}`;
  const scopes = Array.isArray(p['scopes']) ? p['scopes'].map((s) => low(s) ?? '') : [];
  if (!scopes.some((s) => s === subId)) return false;
  return leaves(alert).some((l) => low(l['field']) === 'operationname' && low(l['equals']) === operation.toLowerCase());
}

function alertCheck(e: AlertEvent) {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    if (r.kind !== AZ.subscription) return [];
    const missing = unknownKinds(r, AZ.alert);
    if (missing.length > 0) return missing;
    return sameSub(ctx, r, AZ.alert).some((a) => alertsOn(a, r, e.operation)) ? [] : [violation(['activityLogAlerts'], `no enabled activity log alert on the subscription fires on ${e.operation}`)];
  };
}

export const logAlert = (name: string, operation: string, enabled = true, scope = SUB_ID): ReturnType<typeof subScoped> =>
  subScoped(AZ.alert, name, {
    enabled,
    scopes: [scope],
    condition: { allOf: [{ field: 'category', equals: 'Administrative' }, { field: 'operationName', equals: operation }] },
    actions: { actionGroups: [{ actionGroupId: `${SUB_ID}/resourceGroups/rg/providers/microsoft.insights/actionGroups/secops` }] },
  });

function alertRule(e: AlertEvent): Rule {
  const live: LiveSpec = {
    kinds: [AZ.subscription, AZ.alert],
    check: alertCheck(e),
    cli: `az monitor activity-log alert create --resource-group <resource-group> --name <alert> --scope /subscriptions/<subscription-id> --condition category=Administrative and operationName=${e.operation} --action-group <action-group-id>`,
    console: `Monitor → Alerts → Create → Alert rule → scope: the subscription → Signal: ${e.operation} (Administrative) → action group → Create.`,
    bad: [
      collected('azure', [subscription(), logAlert('other', 'Microsoft.Compute/virtualMachines/write'), logAlert('off', e.operation, false)], [SUB_ID]),
      collected('azure', [subscription(), logAlert('elsewhere', e.operation, true, '/subscriptions/11111111-1111-1111-1111-111111111111')], [SUB_ID]),
    ],
    good: [collected('azure', [subscription(), logAlert('secops', e.operation.toLowerCase())])],
  };
  return liveRule('azure', {
    id: e.id,
    title: `No activity log alert for ${e.what}`,
    description: `No enabled activity log alert on the subscription fires on ${e.operation}, so ${e.what} goes unnoticed until someone reads the activity log; such changes can open access or disable protection.`,
    severity: 'low',
    service: 'monitor',
    frameworks: [cis(e.cis), ...themes('monitoring')],
    remediation: `Create an activity log alert scoped to the subscription for operationName ${e.operation}, with an action group that notifies the security team.`,
    references: ['https://learn.microsoft.com/azure/azure-monitor/alerts/activity-log-alerts'],
    live,
  });
}

// Activity log diagnostic setting ----------------------------------------------------------------

const CATEGORIES = ['Administrative', 'Alert', 'Policy', 'Security'];

const diagSetting = (name: string, categories: readonly string[]): ReturnType<typeof subScoped> =>
  subScoped(AZ.diag, name, { workspaceId: `${SUB_ID}/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/logs`, logs: categories.map((category) => ({ category, enabled: true })) });

function diagCheck(needCategories: boolean) {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    if (r.kind !== AZ.subscription) return [];
    const missing = unknownKinds(r, AZ.diag);
    if (missing.length > 0) return missing;
    const settings = sameSub(ctx, r, AZ.diag);
    if (!needCategories) return settings.length > 0 ? [] : [violation(['diagnosticSettings'], 'no diagnostic setting exports the activity log')];
    if (settings.length === 0) return [];
    const enabled = new Set(settings.flatMap((s) => items(props(s)['logs']).filter((l) => isTrue(l['enabled'])).map((l) => low(l['category']) ?? '')));
    const lacking = CATEGORIES.filter((c) => !enabled.has(c.toLowerCase()));
    return lacking.length === 0 ? [] : [violation(['diagnosticSettings'], `no diagnostic setting exports the ${lacking.join(', ')} activity log categories`)];
  };
}

const DIAG_CLI = 'az monitor diagnostic-settings subscription create --name activity-log --location <region> --workspace <workspace-id> --logs \'[{"category":"Administrative","enabled":true},{"category":"Alert","enabled":true},{"category":"Policy","enabled":true},{"category":"Security","enabled":true}]\'';
const DIAG_CONSOLE = 'Monitor → Activity log → Export Activity Logs → the subscription → + Add diagnostic setting → Administrative, Alert, Policy, Security → destination → Save.';

const diagRules: readonly Rule[] = [
  liveRule('azure', {
    id: 'VGL-AZURE-149',
    title: 'Activity log is not exported by a diagnostic setting',
    description: 'The activity log is kept for 90 days only and cannot be queried with other logs; without a subscription diagnostic setting control-plane activity is lost for investigations.',
    severity: 'medium',
    service: 'monitor',
    frameworks: [cis('5.1.1'), ...themes('logging', 'retention')],
    remediation: 'Create a subscription diagnostic setting sending the activity log to a Log Analytics workspace or storage account.',
    references: ['https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log#export-the-activity-log-with-a-log-profile'],
    live: {
      kinds: [AZ.subscription, AZ.diag],
      check: diagCheck(false),
      cli: DIAG_CLI,
      console: DIAG_CONSOLE,
      bad: [collected('azure', [subscription()], [SUB_ID])],
      good: [collected('azure', [subscription(), diagSetting('activity', ['Administrative'])])],
    },
  }),
  liveRule('azure', {
    id: 'VGL-AZURE-150',
    title: 'Activity log diagnostic setting misses security categories',
    description: 'The activity log categories Administrative, Alert, Policy and Security record resource changes, alerts, policy decisions and Defender events; a diagnostic setting without one of them loses that evidence.',
    severity: 'low',
    service: 'monitor',
    frameworks: [cis('5.1.2'), ...themes('logging')],
    remediation: 'Enable the Administrative, Alert, Policy and Security categories in the subscription diagnostic setting.',
    references: ['https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log-schema'],
    live: {
      kinds: [AZ.subscription, AZ.diag],
      check: diagCheck(true),
      cli: DIAG_CLI,
      console: DIAG_CONSOLE,
      bad: [collected('azure', [subscription(), diagSetting('activity', ['Administrative', 'Policy'])], [SUB_ID])],
      good: [collected('azure', [subscription(), diagSetting('a', ['Administrative', 'Alert']), diagSetting('b', ['Policy', 'Security'])]), collected('azure', [subscription()])],
    },
  }),
];

// VGL-AZURE-151: custom owner roles --------------------------------------------------------------

function customOwner(r: Resource): Violation[] {
  if (r.kind !== AZ.roleDef) return [];
  const p = props(r);
  if (low(p['type']) !== 'customrole') return [];
  const scopes = Array.isArray(p['assignableScopes']) ? p['assignableScopes'].map((s) => (low(s) ?? '').replace(/\/+$/, '')) : [];
  if (!scopes.some((s) => s === '' || /^\/subscriptions\/[^/]+$/.test(s))) return [];
  const out: Violation[] = [];
  items(p['permissions']).forEach((perm, i) => {
    if (Array.isArray(perm['actions']) && perm['actions'].some((a) => typeof a === 'string' && a.trim() === '*')) {
      out.push(violation(['properties', 'permissions', i, 'actions'], `custom role ${String(p['roleName'])} allows every action ("*") at subscription scope: an owner role outside the built-in ones`));
    }
  });
  return out;
}

const role = (name: string, actions: string[], scope: string, type = 'CustomRole'): ReturnType<typeof subScoped> =>
  subScoped(AZ.roleDef, name, { roleName: name, type, assignableScopes: [scope], permissions: [{ actions, notActions: [] }] });

const ownerRoleRule = liveRule('azure', {
  id: 'VGL-AZURE-151',
  title: 'Custom subscription owner role exists',
  description: 'A custom role allowing "*" at subscription (or root) scope is an owner role that escapes the review built-in Owner assignments get; whoever holds it controls every resource and every access grant.',
  severity: 'high',
  service: 'iam',
  frameworks: [cis('1.23'), ...themes('privilege')],
  remediation: 'Delete the custom role (after moving its assignments to least-privilege built-in roles), or narrow its actions.',
  references: ['https://learn.microsoft.com/azure/role-based-access-control/custom-roles'],
  live: {
    kinds: [AZ.roleDef],
    check: customOwner,
    cli: 'az role definition delete --name <role-name> --scope /subscriptions/<subscription-id>',
    console: 'Subscriptions → the subscription → Access control (IAM) → Roles → type: Custom role → the role → Delete.',
    bad: [collected('azure', [role('superuser', ['*'], `/subscriptions/${SUB}`), role('reader-plus', ['*/read'], `/subscriptions/${SUB}`)], [role('superuser', [], '').id])],
    good: [collected('azure', [role('reader-plus', ['*/read'], `/subscriptions/${SUB}`), role('Owner', ['*'], '/', 'BuiltInRole'), role('rg-admin', ['*'], `/subscriptions/${SUB}/resourceGroups/app`)])],
  },
});

export const monitorLiveRules: readonly Rule[] = [...EVENTS.map(alertRule), ...diagRules, ownerRoleRule];
