/**
 * Building a `Resource` from collected data (see types.ts for the conventions): no source file,
 * so line 0 and no attribute lines.
 */
import type { InputType, Provider, Resource, ResourceKind } from '../model.js';
import type { SubCallGap } from './types.js';

export interface CollectedResourceFields {
  readonly kind: ResourceKind;
  readonly input: InputType;
  readonly provider: Provider;
  /** Stable identity: ARN, ARM id, GCP full resource name, `Kind/namespace/name`. */
  readonly id: string;
  readonly name: string;
  /** Where people find it: the ARN / ARM id / GCP name / `cluster/<name>/…`; defaults to `id`. */
  readonly location?: string | undefined;
  readonly account?: string | undefined;
  readonly region?: string | undefined;
  readonly namespace?: string | undefined;
  readonly attrs: Record<string, unknown>;
  readonly refs?: readonly string[] | undefined;
  /** Sub-calls that failed, by the attribute key they would have filled. */
  readonly gaps?: Readonly<Record<string, SubCallGap>> | undefined;
  readonly meta?: Readonly<Record<string, unknown>> | undefined;
}

const noLine = (): undefined => undefined;

export function collectedResource(f: CollectedResourceFields): Resource {
  const gaps = f.gaps && Object.keys(f.gaps).length > 0 ? f.gaps : undefined;
  const meta = gaps || f.meta ? { ...f.meta, ...(gaps ? { gaps } : {}) } : undefined;
  return {
    kind: f.kind,
    input: f.input,
    provider: f.provider,
    type: f.kind.slice(f.kind.indexOf(':') + 1),
    id: f.id,
    name: f.name,
    namespace: f.namespace,
    account: f.account,
    region: f.region,
    file: f.location ?? f.id,
    line: 0,
    endLine: 0,
    attrs: f.attrs,
    lineOf: noLine,
    refs: f.refs ?? [],
    suppressions: [],
    meta,
  };
}
