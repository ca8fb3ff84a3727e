/**
 * GCP REST JSON → collected resources and gaps. Pure: the item as the API returned it is the
 * attrs, sub-call answers merged under the catalog's keys, failed sub-calls in `meta.gaps`.
 */
import type { Resource } from '../../model.js';
import { collectedResource } from '../resource.js';
import type { CollectionGap, SubCallGap } from '../types.js';
import { lastSegment, type GcpKind, type GcpObject } from './catalog.js';
import type { CallFailure } from './errors.js';

export const isObject = (v: unknown): v is GcpObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A readable name: an email, the last segment of a relative name, a dataset id, else the full name's last segment. */
export function displayName(item: GcpObject, fullName: string): string {
  for (const v of [item['email'], item['projectId']]) if (typeof v === 'string' && v !== '') return v;
  const ref = item['datasetReference'];
  if (isObject(ref) && typeof ref['datasetId'] === 'string') return ref['datasetId'];
  return lastSegment(item['name']) ?? lastSegment(fullName) ?? fullName;
}

export interface GcpResourceInput {
  readonly kind: GcpKind;
  readonly project: string;
  readonly item: GcpObject;
  readonly fullName: string;
  readonly region?: string | undefined;
  readonly merged?: Readonly<Record<string, unknown>> | undefined;
  readonly gaps?: Readonly<Record<string, SubCallGap>> | undefined;
}

export function gcpResource(input: GcpResourceInput): Resource {
  return collectedResource({
    kind: input.kind,
    input: 'gcp',
    provider: 'gcp',
    id: input.fullName,
    name: displayName(input.item, input.fullName),
    account: input.project,
    region: input.region,
    attrs: input.merged ? { ...input.item, ...input.merged } : { ...input.item },
    gaps: input.gaps,
  });
}

export function subCallGap(operation: string, failure: CallFailure): SubCallGap {
  return { operation, reason: failure.reason, message: failure.message };
}

export function collectionGap(project: string, service: string, operation: string, failure: CallFailure, kinds: readonly GcpKind[]): CollectionGap {
  return { provider: 'gcp', target: project, service, operation, reason: failure.reason, message: failure.message, kinds };
}
