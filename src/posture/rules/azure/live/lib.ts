/**
 * What the Azure checks over collected ARM data share: the kinds (docs/collectors/azure.md), the
 * `properties` of an ARM object read without trusting its shape, the resources of a kind in the
 * same subscription as an anchor, and a builder for the common "this property must (not) have
 * this value" check together with its good and bad examples, so that each such rule is a few
 * lines of data.
 */
import { at, bool, isObject, str } from '../../../attrs.js';
import type { Resource, ResourceKind, Violation } from '../../../model.js';
import { violation, type RuleContext } from '../../../rule.js';
import type { SubCallGap } from '../../../collectors/types.js';
import { collected, needs, type ExampleResource, type LiveSpec } from '../../shared/live.js';

/** Collected kinds, `azure:<ARM type>`. */
export const AZ = {
  subscription: 'azure:Microsoft.Resources/subscriptions',
  storage: 'azure:Microsoft.Storage/storageAccounts',
  nsg: 'azure:Microsoft.Network/networkSecurityGroups',
  watcher: 'azure:Microsoft.Network/networkWatchers',
  vault: 'azure:Microsoft.KeyVault/vaults',
  sql: 'azure:Microsoft.Sql/servers',
  sqlDb: 'azure:Microsoft.Sql/servers/databases',
  pg: 'azure:Microsoft.DBforPostgreSQL/servers',
  pgFlex: 'azure:Microsoft.DBforPostgreSQL/flexibleServers',
  mysql: 'azure:Microsoft.DBforMySQL/servers',
  mysqlFlex: 'azure:Microsoft.DBforMySQL/flexibleServers',
  cosmos: 'azure:Microsoft.DocumentDB/databaseAccounts',
  alert: 'azure:Microsoft.Insights/activityLogAlerts',
  diag: 'azure:Microsoft.Insights/diagnosticSettings',
  roleDef: 'azure:Microsoft.Authorization/roleDefinitions',
  pricing: 'azure:Microsoft.Security/pricings',
  contact: 'azure:Microsoft.Security/securityContacts',
  autoProv: 'azure:Microsoft.Security/autoProvisioningSettings',
  setting: 'azure:Microsoft.Security/settings',
  vm: 'azure:Microsoft.Compute/virtualMachines',
  disk: 'azure:Microsoft.Compute/disks',
  site: 'azure:Microsoft.Web/sites',
  aks: 'azure:Microsoft.ContainerService/managedClusters',
  acr: 'azure:Microsoft.ContainerRegistry/registries',
  redis: 'azure:Microsoft.Cache/Redis',
} as const satisfies Record<string, ResourceKind>;

export type AzKind = (typeof AZ)[keyof typeof AZ];

/** The ARM type of a kind (`Microsoft.Storage/storageAccounts`). */
export const armType = (kind: AzKind): string => kind.slice('azure:'.length);

/** `properties` of an ARM object (or of a resource's attrs); `{}` when absent or not an object. */
export function props(v: unknown): Record<string, unknown> {
  const o = isObject(v) && isObject(v['attrs']) ? v['attrs'] : v;
  const p = isObject(o) ? o['properties'] : undefined;
  return isObject(p) ? p : {};
}

/** The items of an array attribute (a sub-call answer); anything else is empty. */
export function items(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isObject) : [];
}

/** Lower-cased string, undefined when not a string. */
export const low = (v: unknown): string | undefined => str(v)?.trim().toLowerCase();

export const isTrue = (v: unknown): boolean => bool(v) === true;
export const isFalse = (v: unknown): boolean => bool(v) === false;

/** Resources of `kind` in the anchor's subscription. */
export function sameSub(ctx: RuleContext, anchor: Resource, kind: ResourceKind): readonly Resource[] {
  return ctx.byKind(kind).filter((r) => r.account === anchor.account);
}

/**
 * "Not assessed" for the kinds whose listing failed, when the collector recorded that on the
 * subscription anchor (keyed by kind, as the AWS collector does on its account anchor).
 */
export const unknownKinds = (anchor: Resource, ...kinds: readonly ResourceKind[]): Violation[] => needs(anchor, ...kinds);

// Examples -----------------------------------------------------------------------------------

export const SUB = '00000000-0000-0000-0000-00000000a001';
export const LOCATION = 'westeurope';

export const armId = (kind: AzKind, name: string, rg = 'rg'): string => `/subscriptions/${SUB}/resourceGroups/${rg}/providers/${armType(kind)}/${name}`;

/** A collected ARM resource for the examples: `properties` plus other top-level keys. */
export function arm(kind: AzKind, name: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}, gaps?: Record<string, SubCallGap>): ExampleResource {
  const id = armId(kind, name);
  return { type: armType(kind), id, name, account: SUB, region: LOCATION, attrs: { id, name, type: armType(kind), location: LOCATION, properties, ...extra }, ...(gaps ? { gaps } : {}) };
}

/** A subscription-scoped object (Defender plan, contact, alert, diagnostic setting). */
export function subScoped(kind: AzKind, name: string, properties: Record<string, unknown>, extra: Record<string, unknown> = {}): ExampleResource {
  const id = `/subscriptions/${SUB}/providers/${armType(kind)}/${name}`;
  return { type: armType(kind), id, name, account: SUB, attrs: { id, name, type: armType(kind), properties, ...extra } };
}

export const SUB_ID = `/subscriptions/${SUB}`;

/** The subscription anchor. */
export function subscription(gaps?: Record<string, SubCallGap>): ExampleResource {
  return { type: armType(AZ.subscription), id: SUB_ID, name: 'prod', account: SUB, attrs: { id: SUB_ID, subscriptionId: SUB, displayName: 'prod', state: 'Enabled' }, ...(gaps ? { gaps } : {}) };
}

export const denied = (operation: string): SubCallGap => ({ operation, reason: 'access-denied', message: 'AuthorizationFailed: the client does not have authorization' });

/** An object with `value` set at `path` (`undefined` leaves the key out). */
export function setAt(path: readonly string[], value: unknown): Record<string, unknown> {
  if (value === undefined || path.length === 0) return {};
  let out: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) out = { [path[i]!]: out };
  return out as Record<string, unknown>;
}

/** Deep merge of plain objects (examples only). */
export function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? merge(prev, v) : v;
  }
  return out;
}

// The common check: one value of the ARM object ---------------------------------------------

export interface ValueCheck {
  readonly kinds: readonly AzKind[];
  /** Path in attrs (`['properties', 'supportsHttpsTrafficOnly']`, `['config', 'properties', 'ftpsState']`). */
  readonly path: readonly string[];
  /** The message when the value (undefined when absent) is wrong; undefined when it is right. */
  readonly fails: (value: unknown, r: Resource) => string | undefined;
  /** Resources the check does not apply to. */
  readonly skip?: (r: Resource) => boolean;
  /** Values (undefined = absent) that fail / pass, one example resource each. */
  readonly bad: readonly unknown[];
  readonly good: readonly unknown[];
  /** Other attrs of the example resources. */
  readonly base?: Record<string, unknown>;
  /** Extra good resources (exempt ones). */
  readonly exempt?: readonly ExampleResource[];
  readonly cli: string;
  readonly console: string;
}

/** The sub-call key a path reads (`config`), when it is not the item itself. */
const subCallKey = (path: readonly string[]): string | undefined => (path[0] === 'properties' || path.length < 2 ? undefined : path[0]);

export function valueCheck(c: ValueCheck): (r: Resource) => Violation[] {
  return (r) => {
    if (!(c.kinds as readonly string[]).includes(r.kind) || c.skip?.(r) === true) return [];
    const key = subCallKey(c.path);
    if (key !== undefined) {
      const missing = needs(r, key);
      if (missing.length > 0) return missing;
    }
    const message = c.fails(at(r.attrs, c.path), r);
    return message === undefined ? [] : [violation(c.path, message)];
  };
}

export function valueSpec(c: ValueCheck): LiveSpec {
  const kind = c.kinds[0]!;
  const build = (v: unknown, i: number, tag: string): ExampleResource => {
    const attrs = merge(c.base ?? {}, setAt(c.path, v));
    const { properties, ...extra } = attrs;
    return arm(kind, `${tag}${i + 1}`, isObject(properties) ? properties : {}, extra);
  };
  const bad = c.bad.map((v, i) => build(v, i, 'bad'));
  const good = c.good.map((v, i) => build(v, i, 'good'));
  return {
    kinds: c.kinds,
    check: valueCheck(c),
    cli: c.cli,
    console: c.console,
    bad: [collected('azure', [...bad, ...good.slice(0, 1)], bad.map((b) => b.id))],
    good: [collected('azure', [...good, ...(c.exempt ?? [])])],
  };
}

/** Fails when the lower-cased value is one of `values` (absent passes unless `absent` says). */
export function oneOf(values: readonly string[], what: string, absent?: string): (v: unknown) => string | undefined {
  return (v) => {
    if (v === undefined || v === null) return absent;
    const s = low(v);
    return s !== undefined && values.includes(s) ? `"${str(v) ?? ''}": ${what}` : undefined;
  };
}

/** Fails unless the value is boolean `want` (absent fails with `absent`, or passes when undefined). */
export function mustBe(want: boolean, what: string, absent?: string): (v: unknown) => string | undefined {
  return (v) => {
    if (v === undefined || v === null) return absent;
    const b = bool(v);
    return b === undefined || b === want ? undefined : what;
  };
}

/** Private endpoint connections (`properties.privateEndpointConnections`): fails unless one is approved. */
export function approvedPrivateEndpoint(v: unknown): string | undefined {
  const approved = items(v).some((c) => {
    const state = props(c)['privateLinkServiceConnectionState'];
    return isObject(state) && low(state['status']) === 'approved';
  });
  return approved ? undefined : 'no approved private endpoint connection';
}

export const APPROVED_ENDPOINT = [{ properties: { privateLinkServiceConnectionState: { status: 'Approved' } } }];
