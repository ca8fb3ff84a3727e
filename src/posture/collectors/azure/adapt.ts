/**
 * ARM JSON → collected resources and gaps. Pure: the item as ARM returned it is the attrs, the
 * sub-call answers are merged under the catalog's keys, failed sub-calls go to `meta.gaps`.
 */
import type { Resource } from '../../model.js';
import { collectedResource } from '../resource.js';
import type { CollectionGap, SubCallGap } from '../types.js';
import type { AzureKind } from './catalog.js';
import type { CallFailure } from './errors.js';

export type ArmObject = Record<string, unknown>;

export const isArmObject = (v: unknown): v is ArmObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The ARM id of an item, when it has a usable one. */
export function armIdOf(item: unknown): string | undefined {
  if (!isArmObject(item)) return undefined;
  const id = item['id'];
  return typeof id === 'string' && id.startsWith('/') && id.length <= 4096 ? id : undefined;
}

/** ARM locations are written `eastus` or `East US`: one spelling, `eastus`. */
export function normalLocation(location: unknown): string | undefined {
  if (typeof location !== 'string' || location.trim() === '') return undefined;
  return location.toLowerCase().replace(/\s+/g, '');
}

/** `resourceGroups/<name>` segment of an ARM id (case-insensitive). */
export function resourceGroupOf(id: string): string | undefined {
  const m = /\/resourcegroups\/([^/]+)/i.exec(id);
  return m?.[1];
}

export interface AzureResourceInput {
  readonly kind: AzureKind;
  readonly subscriptionId: string;
  readonly item: ArmObject;
  readonly id: string;
  /** Sub-call answers, by attrs key, in catalog order. */
  readonly merged?: Readonly<Record<string, unknown>> | undefined;
  readonly gaps?: Readonly<Record<string, SubCallGap>> | undefined;
}

export function azureResource(input: AzureResourceInput): Resource {
  const { item, id } = input;
  const nameValue = item['name'];
  const name = typeof nameValue === 'string' && nameValue !== '' ? nameValue : (id.split('/').filter(Boolean).pop() ?? id);
  const rg = resourceGroupOf(id);
  return collectedResource({
    kind: input.kind,
    input: 'azure',
    provider: 'azure',
    id,
    name,
    account: input.subscriptionId,
    region: normalLocation(item['location']),
    attrs: input.merged ? { ...item, ...input.merged } : { ...item },
    gaps: input.gaps,
    meta: rg ? { resourceGroup: rg } : undefined,
  });
}

export function subCallGap(operation: string, failure: CallFailure): SubCallGap {
  return { operation, reason: failure.reason, message: failure.message };
}

export function collectionGap(subscriptionId: string, service: string, operation: string, failure: CallFailure, kinds: readonly AzureKind[]): CollectionGap {
  return { provider: 'azure', target: subscriptionId, service, operation, reason: failure.reason, message: failure.message, kinds };
}
