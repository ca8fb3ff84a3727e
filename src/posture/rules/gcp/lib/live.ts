/**
 * What the GCP rules over collected data share (docs/collectors/gcp.md lists the kinds and their
 * attrs): the kinds, IAM policy bindings as the REST API returns them, the resources of a kind
 * in the same project as the one a project-level check hangs on, ISO times and `"7776000s"`
 * durations, and tiny builders of collected resources for the examples. Nothing here throws on
 * odd attrs: a string where a list was expected reads as no entries.
 */
import { isObject, str } from '../../../attrs.js';
import type { AttrPath, Resource, ResourceKind, Violation } from '../../../model.js';
import type { RuleContext } from '../../../rule.js';
import { needs, type ExampleResource } from '../../shared/live.js';
import type { SubCallGap } from '../../../collectors/types.js';

const k = <T extends string>(t: T): `gcp:${T}` => `gcp:${t}`;

/** The collected kinds (the Cloud Asset Inventory types the collector emits). */
export const GCP = {
  project: k('cloudresourcemanager.googleapis.com/Project'),
  serviceAccount: k('iam.googleapis.com/ServiceAccount'),
  bucket: k('storage.googleapis.com/Bucket'),
  firewall: k('compute.googleapis.com/Firewall'),
  network: k('compute.googleapis.com/Network'),
  subnetwork: k('compute.googleapis.com/Subnetwork'),
  instance: k('compute.googleapis.com/Instance'),
  sql: k('sqladmin.googleapis.com/Instance'),
  keyRing: k('cloudkms.googleapis.com/KeyRing'),
  cryptoKey: k('cloudkms.googleapis.com/CryptoKey'),
  logSink: k('logging.googleapis.com/LogSink'),
  logMetric: k('logging.googleapis.com/LogMetric'),
  alertPolicy: k('monitoring.googleapis.com/AlertPolicy'),
  dnsZone: k('dns.googleapis.com/ManagedZone'),
  dnsPolicy: k('dns.googleapis.com/Policy'),
  cluster: k('container.googleapis.com/Cluster'),
  dataset: k('bigquery.googleapis.com/Dataset'),
  apiKey: k('apikeys.googleapis.com/Key'),
} as const;

/** The objects of a list attribute, each with its index; anything else reads as none. */
export function items(v: unknown): { item: Record<string, unknown>; index: number }[] {
  if (!Array.isArray(v)) return [];
  const out: { item: Record<string, unknown>; index: number }[] = [];
  v.forEach((item, index) => {
    if (isObject(item)) out.push({ item, index });
  });
  return out;
}

/** The strings of a list attribute. */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** A value at a path of plain objects (no arrays), undefined when any step is missing. */
export function dig(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const key of path) {
    if (!isObject(cur) || !Object.hasOwn(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export interface Binding {
  readonly role: string;
  readonly members: readonly string[];
  /** Where a finding about this binding points (`[key, 'bindings', i]`). */
  readonly path: AttrPath;
}

/** The bindings of the IAM policy under `key` (`iamPolicy`), members as written. */
export function bindings(r: Resource, key = 'iamPolicy'): Binding[] {
  return items(dig(r.attrs, key, 'bindings')).flatMap(({ item, index }) => {
    const role = str(item['role']);
    return role === undefined ? [] : [{ role, members: strings(item['members']), path: [key, 'bindings', index] }];
  });
}

/** Principals meaning anyone, or anyone with a Google account. */
export const isPublicPrincipal = (m: string): boolean => {
  const s = m.trim().toLowerCase();
  return s === 'allusers' || s === 'allauthenticatedusers';
};

/** Resources of `kind` in the anchor's project. */
export function sameProject(ctx: RuleContext, anchor: Resource, kind: ResourceKind): Resource[] {
  return ctx.byKind(kind).filter((r) => r.account === anchor.account);
}

/**
 * "Not assessed" for each kind whose listing failed, when the collector records that on the
 * project (`meta.gaps[<kind>]`, as the AWS collector does on its account); the gap findings of
 * the list call itself say the same for every rule that reads the kind.
 */
export function unknownKinds(anchor: Resource, ...kinds: readonly ResourceKind[]): Violation[] {
  return needs(anchor, ...kinds);
}

/** Milliseconds of an RFC 3339 time; undefined for anything else. */
export function time(v: unknown): number | undefined {
  const s = str(v);
  if (s === undefined || s.length < 10 || s.length > 40 || !/^\d{4}-\d\d-\d\d/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

export const DAY_S = 86_400;

/** Seconds of a protobuf duration (`"7776000s"`, `"3.5s"`); undefined for anything else. */
export function durationSeconds(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{1,12})(?:\.\d{1,9})?s$/.exec(v.trim());
  return m === null ? undefined : Number(m[1]);
}

/** A metadata item (`metadata.items[] {key, value}`) as a lower-case string, undefined when absent. */
export function metadataValue(metadata: unknown, key: string): { value: string | undefined; index: number } | undefined {
  const hit = items(dig(metadata, 'items')).find(({ item }) => item['key'] === key);
  if (hit === undefined) return undefined;
  return { value: str(hit.item['value'])?.trim().toLowerCase(), index: hit.index };
}

export const isTrue = (v: string | undefined): boolean => v === 'true' || v === '1' || v === 'yes' || v === 'on';

// ---------------------------------------------------------------------------------------------
// Example builders

export const PROJECT_ID = 'example-project';
export const PROJECT_NAME = `//cloudresourcemanager.googleapis.com/projects/${PROJECT_ID}`;

/** A collected resource of the examples in the example project. */
export function gcpRes(kind: ResourceKind, id: string, attrs: Record<string, unknown>, region = 'global', gaps?: Readonly<Record<string, SubCallGap>>): ExampleResource {
  return { type: kind.slice(4), id, name: id.slice(id.lastIndexOf('/') + 1), account: PROJECT_ID, region, attrs, ...(gaps ? { gaps } : {}) };
}

/** The collected project with its sub-call answers (`iamPolicy`, `computeProject`, `essentialContacts`). */
export function projectRes(attrs: Record<string, unknown>, gaps?: Readonly<Record<string, SubCallGap>>): ExampleResource {
  return {
    type: GCP.project.slice(4),
    id: PROJECT_NAME,
    name: PROJECT_ID,
    account: PROJECT_ID,
    attrs: { projectId: PROJECT_ID, projectNumber: '123456789012', lifecycleState: 'ACTIVE', ...attrs },
    ...(gaps ? { gaps } : {}),
  };
}

/** A sub-call the permissions did not allow, as the collector records it. */
export function denied(operation: string): SubCallGap {
  return { operation, reason: 'access-denied', message: `403 PERMISSION_DENIED: the caller may not perform ${operation}` };
}

/** An IAM policy of the examples: `{role: members}`. */
export function policy(grants: Readonly<Record<string, readonly string[]>>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: 1, etag: 'BwX=', bindings: Object.entries(grants).map(([role, members]) => ({ role, members })), ...extra };
}
