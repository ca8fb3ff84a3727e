/**
 * What every service gatherer shares for one account: the API, where resources and gaps go,
 * and the three ways of calling: `single` (one response), `list` (every page), and `subCalls`
 * (per-resource calls merged under documented attrs keys, failures recorded as SubCallGaps).
 * A failed top-level call becomes a CollectionGap naming the kinds it leaves unknown.
 */
import type { Resource, ResourceKind } from '../../../model.js';
import { collectedResource } from '../../resource.js';
import type { CollectionGap, SubCallGap } from '../../types.js';
import { describeError } from '../api/errors.js';
import { mapLimit } from '../api/limit.js';
import { listAll } from '../api/paginate.js';
import type { AwsApi, AwsCallError, AwsData } from '../api/types.js';
import { operationSpec } from '../operations.js';
import type { AwsOperationId } from '../operations.js';

export interface CollectContext {
  readonly api: AwsApi;
  readonly account: string;
  /** `aws`, `aws-us-gov`, `aws-cn`. */
  readonly partition: string;
  /** Where account-wide (global) calls go: us-east-1 in the commercial partition. */
  readonly globalRegion: string;
  /** Resources worked on at once within one list (1 against recordings: order matters). */
  readonly parallel: number;
  readonly maxPages: number;
  readonly resources: Resource[];
  readonly gaps: CollectionGap[];
}

export function addGap(ctx: CollectContext, id: AwsOperationId, region: string | undefined, error: AwsCallError, kinds?: readonly ResourceKind[]): void {
  const spec = operationSpec(id);
  ctx.gaps.push({
    provider: 'aws',
    target: ctx.account,
    region: spec.scope === 'global' ? undefined : region,
    service: spec.service,
    operation: spec.operation,
    reason: error.reason,
    message: describeError(error),
    kinds: kinds ?? spec.kinds,
  });
}

/** One call; undefined (and a gap) when it fails, unless `absent` lists the error code as "not configured" (then null). */
export async function single(
  ctx: CollectContext,
  id: AwsOperationId,
  region: string,
  input: Readonly<Record<string, unknown>> = {},
  absent: readonly string[] = [],
): Promise<AwsData | null | undefined> {
  const res = await ctx.api.call(id, region, input);
  if (res.ok) return res.data;
  if (absent.includes(res.error.code)) return null;
  addGap(ctx, id, region, res.error);
  return undefined;
}

/** Every page of a list; what was read is returned even when a page failed (the gap says so). */
export async function list(ctx: CollectContext, id: AwsOperationId, region: string, input: Readonly<Record<string, unknown>> = {}): Promise<{ items: unknown[]; failed: boolean; error?: AwsCallError | undefined; first?: AwsData | undefined }> {
  const res = await listAll(ctx.api, id, region, input, ctx.maxPages);
  if (res.error) addGap(ctx, id, region, res.error);
  return { items: res.items, failed: res.error !== undefined, error: res.error, first: res.first };
}

/** A per-resource call whose answer is merged into the resource's attrs under `keys`. */
export interface SubCall {
  readonly keys: readonly string[];
  readonly id: AwsOperationId;
  readonly input: Readonly<Record<string, unknown>>;
  /** Region to call in (defaults to the resource's). */
  readonly region?: string | undefined;
  /**
   * Pure: the response (for a list operation, its first page with every page's items) → values
   * of `keys`, or `invalid(reason)` when the answer cannot be used (a policy that is not JSON).
   */
  readonly pick: (data: AwsData) => Picked;
  /** Error codes meaning "not configured": every key is null (S3 NoSuchBucketPolicy). */
  readonly absent?: readonly string[] | undefined;
}

export interface PickInvalid {
  readonly $invalid: string;
}
export type Picked = Readonly<Record<string, unknown>> | PickInvalid;

export function invalid(message: string): PickInvalid {
  return { $invalid: message };
}

function isInvalid(p: Picked): p is PickInvalid {
  return typeof (p as Record<string, unknown>)['$invalid'] === 'string';
}

export interface SubCallResult {
  readonly attrs: Record<string, unknown>;
  readonly gaps: Record<string, SubCallGap>;
}

export function subGap(id: AwsOperationId, error: AwsCallError): SubCallGap {
  return { operation: operationSpec(id).operation, reason: error.reason, message: describeError(error) };
}

async function runOne(ctx: CollectContext, call: SubCall, region: string, into: SubCallResult): Promise<void> {
  const spec = operationSpec(call.id);
  const where = call.region ?? region;
  let data: AwsData | undefined;
  let error: AwsCallError | undefined;
  if (spec.page) {
    const res = await listAll(ctx.api, call.id, where, call.input, ctx.maxPages);
    if (res.error) error = res.error;
    else data = { ...res.first, [spec.page.items]: res.items };
  } else {
    const res = await ctx.api.call(call.id, where, call.input);
    if (res.ok) data = res.data;
    else error = res.error;
  }
  if (error) {
    if (call.absent?.includes(error.code)) for (const k of call.keys) into.attrs[k] = null;
    else for (const k of call.keys) into.gaps[k] = subGap(call.id, error);
    return;
  }
  const values = call.pick(data ?? {});
  if (isInvalid(values)) {
    const gap: SubCallGap = { operation: spec.operation, reason: 'invalid-response', message: values.$invalid };
    for (const k of call.keys) into.gaps[k] = gap;
    return;
  }
  for (const k of call.keys) if (values[k] !== undefined) into.attrs[k] = values[k];
}

/** Runs the sub-calls of one resource one after another (their order is fixed, for replay). */
export async function subCalls(ctx: CollectContext, calls: readonly SubCall[], region: string): Promise<SubCallResult> {
  const into: SubCallResult = { attrs: {}, gaps: {} };
  for (const call of calls) await runOne(ctx, call, region, into);
  return into;
}

export function each<T, R>(ctx: CollectContext, items: readonly T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  return mapLimit(items, ctx.api.ordered ? 1 : ctx.parallel, fn);
}

export interface AwsResourceFields {
  readonly kind: ResourceKind;
  /** The ARN (or, for account-level settings, a stable Vigil id). */
  readonly id: string;
  readonly name: string;
  readonly region?: string | undefined;
  readonly attrs: Record<string, unknown>;
  readonly gaps?: Readonly<Record<string, SubCallGap>> | undefined;
  readonly refs?: readonly string[] | undefined;
  readonly account?: string | undefined;
}

export function addResource(ctx: CollectContext, f: AwsResourceFields): Resource {
  const r = collectedResource({
    kind: f.kind,
    input: 'aws',
    provider: 'aws',
    id: f.id,
    name: f.name,
    account: f.account ?? ctx.account,
    region: f.region,
    attrs: f.attrs,
    refs: f.refs,
    gaps: f.gaps,
  });
  ctx.resources.push(r);
  return r;
}

export function arn(ctx: CollectContext, service: string, region: string, resource: string): string {
  return `arn:${ctx.partition}:${service}:${region}:${ctx.account}:${resource}`;
}

/** `v` when it is an ARN, else the ARN built by the caller (recordings hold placeholders like "string"). */
export function arnOr(v: unknown, fallback: string): string {
  return typeof v === 'string' && v.startsWith('arn:') && v.length <= 2048 ? v : fallback;
}
