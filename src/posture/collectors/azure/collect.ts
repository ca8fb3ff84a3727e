/**
 * One subscription's collection: the catalog's list calls, each item's sub-calls, child lists
 * (SQL databases) and the role-definition join, all through the `Arm` layer. Failed calls
 * become gaps; nothing here throws for what the provider answers.
 */
import type { Resource } from '../../model.js';
import type { CollectionGap, CollectProgress, SubCallGap } from '../types.js';
import { armIdOf, azureResource, collectionGap, isArmObject, subCallGap, type ArmObject } from './adapt.js';
import type { Arm } from './arm.js';
import { RESOURCE_TYPES, ROLE_DEFINITION_PREFIX, SUBSCRIPTION, type AzureKind, type ChildList, type ResourceType, type SubCall } from './catalog.js';
import { NOT_RECORDED, type CallFailure } from './errors.js';
import { markAnchor } from '../gaps.js';

export interface SubscriptionCollection {
  readonly name: string;
  readonly resources: Resource[];
  readonly gaps: CollectionGap[];
  readonly regions: string[];
}

interface Part {
  readonly resources: Resource[];
  readonly gaps: CollectionGap[];
}

const ROLE_ASSIGNMENTS: AzureKind = 'azure:Microsoft.Authorization/roleAssignments';
const ROLE_DEFINITIONS: AzureKind = 'azure:Microsoft.Authorization/roleDefinitions';

/** A 404 that is a real answer ("no such setting"), not a missing recording. */
const notFound = (f: CallFailure): boolean => f.status === 404 && f.code !== NOT_RECORDED;

export async function collectSubscription(arm: Arm, subscriptionId: string, progress?: CollectProgress, types: readonly ResourceType[] = RESOURCE_TYPES): Promise<SubscriptionCollection> {
  const subPath = `/subscriptions/${subscriptionId}`;
  const total = types.length + 2;
  let done = 0;
  const tick = (label: string): void => progress?.({ done: ++done, total, label });

  const subscription = await collectSubscriptionItself(arm, subscriptionId, subPath);
  tick('subscription');
  const parts = await Promise.all(
    types.map(async (t) => {
      const part = await collectType(arm, subscriptionId, subPath, t);
      tick(t.kind);
      return part;
    }),
  );
  const resources = [...subscription.resources, ...parts.flatMap((p) => p.resources)];
  const gaps = [...subscription.gaps, ...parts.flatMap((p) => p.gaps)];
  const joined = await joinRoleDefinitions(arm, subscriptionId, resources);
  tick('role definitions');

  const subItem = subscription.resources[0]?.attrs;
  const displayName = subItem?.['displayName'];
  const regions = new Set<string>();
  for (const r of joined) if (r.region) regions.add(r.region);
  return { name: typeof displayName === 'string' && displayName !== '' ? displayName : subscriptionId, resources: markAnchor(joined, SUBSCRIPTION.kind, gaps), gaps, regions: [...regions].sort() };
}

async function collectSubscriptionItself(arm: Arm, subscriptionId: string, subPath: string): Promise<Part> {
  const res = await arm.get(subPath, SUBSCRIPTION.apiVersion);
  if (!res.ok) return { resources: [], gaps: [collectionGap(subscriptionId, 'Microsoft.Resources', `GET ${subPath}`, res.failure, [SUBSCRIPTION.kind])] };
  const id = armIdOf(res.value) ?? subPath;
  return { resources: [azureResource({ kind: SUBSCRIPTION.kind, subscriptionId, item: res.value, id })], gaps: [] };
}

async function collectType(arm: Arm, subscriptionId: string, subPath: string, t: ResourceType): Promise<Part> {
  const listPath = `${subPath}${t.listPath}`;
  const res = await arm.list(listPath, t.apiVersion, t.query);
  const childKinds = (t.children ?? []).map((c) => c.kind);
  const gaps: CollectionGap[] = [];
  if (res.failure) gaps.push(collectionGap(subscriptionId, t.service, `GET ${listPath}`, res.failure, [t.kind, ...childKinds]));
  const { items, skipped } = usableItems(res.items);
  if (skipped > 0) {
    gaps.push(collectionGap(subscriptionId, t.service, `GET ${listPath}`, { reason: 'invalid-response', message: `${skipped} item(s) without an ARM id were skipped` }, [t.kind]));
  }
  const built = await Promise.all(items.map(([item, id]) => collectItem(arm, subscriptionId, t, item, id)));
  const resources: Resource[] = [];
  const children: Resource[] = [];
  for (const b of built) {
    resources.push(b.resource);
    children.push(...b.children);
    gaps.push(...b.gaps);
  }
  return { resources: [...resources, ...children], gaps };
}

function usableItems(raw: readonly unknown[]): { items: [ArmObject, string][]; skipped: number } {
  const items: [ArmObject, string][] = [];
  let skipped = 0;
  for (const item of raw) {
    const id = armIdOf(item);
    if (id !== undefined && isArmObject(item)) items.push([item, id]);
    else skipped++;
  }
  return { items, skipped };
}

async function collectItem(
  arm: Arm,
  subscriptionId: string,
  t: ResourceType,
  item: ArmObject,
  id: string,
): Promise<{ resource: Resource; children: Resource[]; gaps: CollectionGap[] }> {
  const [sub, childParts] = await Promise.all([runSubCalls(arm, id, item, t.subCalls), Promise.all((t.children ?? []).map((c) => collectChildren(arm, subscriptionId, t.service, id, c)))]);
  return {
    resource: azureResource({ kind: t.kind, subscriptionId, item, id, merged: sub.merged, gaps: sub.gaps }),
    children: childParts.flatMap((p) => p.resources),
    gaps: childParts.flatMap((p) => p.gaps),
  };
}

async function collectChildren(arm: Arm, subscriptionId: string, service: string, parentId: string, c: ChildList): Promise<Part> {
  const path = `${parentId}${c.path}`;
  const res = await arm.list(path, c.apiVersion);
  const gaps: CollectionGap[] = [];
  if (res.failure) gaps.push(collectionGap(subscriptionId, service, `GET ${path}`, res.failure, [c.kind]));
  const { items, skipped } = usableItems(res.items);
  if (skipped > 0) gaps.push(collectionGap(subscriptionId, service, `GET ${path}`, { reason: 'invalid-response', message: `${skipped} item(s) without an ARM id were skipped` }, [c.kind]));
  const resources = await Promise.all(
    items.map(async ([item, id]) => {
      const sub = await runSubCalls(arm, id, item, c.subCalls);
      return azureResource({ kind: c.kind, subscriptionId, item, id, merged: sub.merged, gaps: sub.gaps });
    }),
  );
  return { resources, gaps };
}

interface SubResult {
  readonly merged: Record<string, unknown>;
  readonly gaps: Record<string, SubCallGap>;
}

async function runSubCalls(arm: Arm, id: string, item: ArmObject, calls: readonly SubCall[]): Promise<SubResult> {
  const applicable = calls.filter((c) => !c.when || c.when(item));
  const results = await Promise.all(applicable.map((c) => runSubCall(arm, id, item, c)));
  const merged: Record<string, unknown> = {};
  const gaps: Record<string, SubCallGap> = {};
  for (const [i, c] of applicable.entries()) {
    const r = results[i];
    if (!r) continue;
    if (r.has) merged[c.key] = r.value;
    Object.assign(gaps, r.gaps);
  }
  return { merged, gaps };
}

interface OneSub {
  readonly has: boolean;
  readonly value?: unknown;
  readonly gaps: Record<string, SubCallGap>;
}

async function runSubCall(arm: Arm, id: string, item: ArmObject, c: SubCall): Promise<OneSub> {
  switch (c.type) {
    case 'get': {
      const path = `${id}${c.path}`;
      const r = await arm.get(path, c.apiVersion);
      if (r.ok) return { has: true, value: r.value, gaps: {} };
      if (notFound(r.failure)) return { has: true, value: null, gaps: {} };
      return { has: false, gaps: { [c.key]: subCallGap(`GET ${path}`, r.failure) } };
    }
    case 'list': {
      const path = `${id}${c.path}`;
      const r = await arm.list(path, c.apiVersion);
      if (!r.failure) return { has: true, value: r.items, gaps: {} };
      return { has: false, gaps: { [c.key]: subCallGap(`GET ${path}`, r.failure) } };
    }
    case 'named': {
      const answers = await Promise.all(c.names.map(async (name) => [name, await arm.get(`${id}${c.path}/${name}`, c.apiVersion)] as const));
      const value: Record<string, unknown> = {};
      const gaps: Record<string, SubCallGap> = {};
      for (const [name, r] of answers) {
        if (r.ok) value[name] = r.value;
        else if (notFound(r.failure)) value[name] = null;
        else gaps[`${c.key}.${name}`] = subCallGap(`GET ${id}${c.path}/${name}`, r.failure);
      }
      return { has: true, value, gaps };
    }
    case 'refs':
      return runRefs(arm, item, c);
  }
}

async function runRefs(arm: Arm, item: ArmObject, c: SubCall & { type: 'refs' }): Promise<OneSub> {
  let node: unknown = item;
  for (const k of c.pointer) node = isArmObject(node) ? node[k] : undefined;
  if (node === undefined || node === null) return { has: true, value: [], gaps: {} };
  if (!Array.isArray(node)) return { has: false, gaps: { [c.key]: { operation: `read ${c.pointer.join('.')}`, reason: 'invalid-response', message: `${c.pointer.join('.')} is not an array` } } };
  const ids = node.map((ref) => armIdOf(ref)).filter((x): x is string => x !== undefined);
  const answers = await Promise.all(ids.map((refId) => arm.get(refId, c.apiVersion)));
  const value: unknown[] = [];
  for (const [i, r] of answers.entries()) {
    if (r.ok) value.push(r.value);
    else if (!notFound(r.failure)) return { has: false, gaps: { [c.key]: subCallGap(`GET ${ids[i] ?? ''}`, r.failure) } };
  }
  return { has: true, value, gaps: {} };
}

/**
 * Merges each assignment's role definition under `roleDefinition`, reading the built-in ones
 * the custom-role list did not return, and adds those to the role definitions collected.
 */
async function joinRoleDefinitions(arm: Arm, subscriptionId: string, resources: Resource[]): Promise<Resource[]> {
  const definitions = new Map<string, Resource>();
  for (const r of resources) if (r.kind === ROLE_DEFINITIONS) definitions.set(r.id.toLowerCase(), r);
  const wanted = new Set<string>();
  for (const r of resources) {
    if (r.kind !== ROLE_ASSIGNMENTS) continue;
    const ref = roleDefinitionRef(r.attrs);
    if (ref && !definitions.has(ref.toLowerCase())) wanted.add(ref);
  }
  const failures = new Map<string, SubCallGap>();
  const deleted = new Set<string>();
  const fetched: Resource[] = [];
  const ids = [...wanted].sort();
  const answers = await Promise.all(ids.map((ref) => (isRoleDefinitionPath(ref, subscriptionId) ? arm.get(ref, '2022-04-01') : Promise.resolve(undefined))));
  for (const [i, ref] of ids.entries()) {
    const r = answers[i];
    if (r === undefined) failures.set(ref.toLowerCase(), { operation: `GET ${ref}`, reason: 'invalid-response', message: 'roleDefinitionId is not a role definition path' });
    else if (r.ok) {
      const def = azureResource({ kind: ROLE_DEFINITIONS, subscriptionId, item: r.value, id: armIdOf(r.value) ?? ref });
      definitions.set(ref.toLowerCase(), def);
      fetched.push(def);
    } else if (notFound(r.failure)) deleted.add(ref.toLowerCase());
    else failures.set(ref.toLowerCase(), subCallGap(`GET ${ref}`, r.failure));
  }
  const out: Resource[] = [];
  for (const r of resources) {
    if (r.kind !== ROLE_ASSIGNMENTS) {
      out.push(r);
      continue;
    }
    const ref = roleDefinitionRef(r.attrs)?.toLowerCase();
    const def = ref ? definitions.get(ref) : undefined;
    const failure = ref ? failures.get(ref) : undefined;
    out.push(
      azureResource({
        kind: ROLE_ASSIGNMENTS,
        subscriptionId,
        item: { ...r.attrs },
        id: r.id,
        merged: def ? { roleDefinition: def.attrs } : ref !== undefined && deleted.has(ref) ? { roleDefinition: null } : {},
        gaps: failure ? { roleDefinition: failure } : undefined,
      }),
    );
  }
  return insertAfterKind(out, ROLE_DEFINITIONS, fetched);
}

function roleDefinitionRef(attrs: Readonly<Record<string, unknown>>): string | undefined {
  const props = attrs['properties'];
  const ref = isArmObject(props) ? props['roleDefinitionId'] : undefined;
  return typeof ref === 'string' && ref !== '' ? ref : undefined;
}

function isRoleDefinitionPath(ref: string, subscriptionId: string): boolean {
  const lc = ref.toLowerCase();
  const prefix = ROLE_DEFINITION_PREFIX.toLowerCase();
  const rest = lc.startsWith(prefix) ? lc.slice(prefix.length) : lc.startsWith(`/subscriptions/${subscriptionId.toLowerCase()}${prefix}`) ? lc.slice(`/subscriptions/${subscriptionId}${prefix}`.length) : undefined;
  return rest !== undefined && /^[0-9a-z-]{1,64}$/.test(rest);
}

/** Puts `extra` after the last resource of `kind` (else after the last role assignment, else at the end). */
function insertAfterKind(list: Resource[], kind: AzureKind, extra: Resource[]): Resource[] {
  if (extra.length === 0) return list;
  let at = -1;
  let assignments = -1;
  for (const [i, r] of list.entries()) {
    if (r.kind === kind) at = i;
    if (r.kind === ROLE_ASSIGNMENTS) assignments = i;
  }
  if (at < 0) at = assignments >= 0 ? assignments : list.length - 1;
  return [...list.slice(0, at + 1), ...extra, ...list.slice(at + 1)];
}
