/**
 * One shape for AWS responses whatever their source, so the adapters never see the difference
 * between the AWS SDK v3 and a botocore recording:
 * - timestamps become ISO 8601 UTC strings (`2016-08-30T17:37:35.000Z`): SDK `Date`s and the
 *   placebo `{"__class__": "datetime", year, …, microsecond}` objects alike (placebo wrote
 *   them without a zone; they are read as UTC, as custodian's replay does);
 *   strings written by Python's isoformat with an offset (`2024-01-30T10:33:22.036000+00:00`,
 *   found in hand-made recordings) under a key that names a time (`…Time`, `…Date`,
 *   `…Timestamp`, `…At`, `LastModified`) become the same ISO UTC form (a tag `Value` that
 *   looks like a date is left alone: only time-named keys are touched, in both paths alike);
 * - blobs (SDK `Uint8Array`, placebo `StreamingBody` objects) become UTF-8 text: the only blob
 *   the collector reads is the IAM credential report, which is CSV;
 * - `ResponseMetadata` (botocore) and `$metadata` (SDK) are dropped, as are `undefined` fields;
 * - keys are copied as own data properties (a `__proto__` key stays a plain key).
 * Bounded: nesting deeper than MAX_DEPTH or more than MAX_NODES values is an invalid response.
 */
import { isObject } from '../../../attrs.js';

export const MAX_DEPTH = 64;
export const MAX_NODES = 5_000_000;

export class NormaliseError extends Error {}

const decoder = new TextDecoder('utf-8');

function placeboDate(o: Record<string, unknown>): string | undefined {
  const n = (k: string): number => {
    const x = o[k];
    return typeof x === 'number' ? x : 0;
  };
  if (typeof o['year'] !== 'number') return undefined;
  const ms = Date.UTC(n('year'), n('month') - 1, n('day') || 1, n('hour'), n('minute'), n('second'), Math.floor(n('microsecond') / 1000));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const TIME_KEY = /(?:Time|Date|Timestamp|At|Modified)$/;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?[+-]\d{2}:\d{2}$/;

function isoString(key: string, v: string): string {
  if (!TIME_KEY.test(key) || !ISO_WITH_OFFSET.test(v)) return v;
  const ms = Date.parse(v.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1'));
  return Number.isFinite(ms) ? new Date(ms).toISOString() : v;
}

export function normalise(value: unknown): Record<string, unknown> {
  let nodes = 0;
  const walk = (v: unknown, depth: number, key = ''): unknown => {
    if (++nodes > MAX_NODES) throw new NormaliseError(`response has more than ${MAX_NODES} values`);
    if (depth > MAX_DEPTH) throw new NormaliseError(`response nests deeper than ${MAX_DEPTH} levels`);
    if (typeof v === 'string') return isoString(key, v);
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    if (v instanceof Uint8Array) return decoder.decode(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1, key));
    if (isObject(v)) {
      const cls = v['__class__'];
      if (cls === 'datetime') return placeboDate(v) ?? null;
      if (cls === 'StreamingBody') return typeof v['body'] === 'string' ? v['body'] : '';
      const entries: [string, unknown][] = [];
      for (const key of Object.keys(v)) {
        const x = v[key];
        if (x === undefined || typeof x === 'function') continue;
        entries.push([key, walk(x, depth + 1, key)]);
      }
      return Object.fromEntries(entries);
    }
    return undefined;
  };
  if (!isObject(value)) return {};
  const out: [string, unknown][] = [];
  for (const key of Object.keys(value)) {
    if (key === 'ResponseMetadata' || key === '$metadata') continue;
    const x = value[key];
    if (x === undefined || typeof x === 'function') continue;
    out.push([key, walk(x, 1, key)]);
  }
  return Object.fromEntries(out);
}
