/**
 * The one small interface between the collection logic (collect.ts) and where objects come
 * from: the live API server (live.ts) or a `kubectl get -o json` dump (snapshot.ts). Both
 * answer the same calls with the API's own JSON, so the same objects give the same resources.
 * Also the mapping of API answers to gap reasons (pure).
 */
import { isObject } from '../../attrs.js';
import type { GapReason } from '../types.js';

export interface ApiFailure {
  /** HTTP status when the server answered. */
  readonly status?: number | undefined;
  readonly reason: GapReason;
  /** What the server said (status, reason and message of its Status object), never a credential. */
  readonly message: string;
}

export type ApiResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly failure: ApiFailure };

export interface ApiGroupInfo {
  readonly group: string;
  readonly preferredVersion: string;
  readonly versions: readonly string[];
}

export interface ApiResourceInfo {
  readonly kind: string;
  /** Resource name (`pods`); sub-resources (`pods/log`) are left out. */
  readonly name: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export interface ListTarget {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly metadataOnly: boolean;
}

export interface ListPage {
  readonly items: readonly unknown[];
  /** The `continue` token of the next page; undefined or '' on the last page. */
  readonly continue?: string | undefined;
}

export interface ApiCounters {
  calls: number;
  retries: number;
}

export interface ClusterApi {
  /** `GET /version`. */
  version(): Promise<ApiResult<Record<string, unknown>>>;
  /** Served API groups (`GET /api` + `GET /apis`); the core group is `''`. */
  groups(): Promise<ApiResult<readonly ApiGroupInfo[]>>;
  /** Resources of one group version (`GET /api/v1`, `GET /apis/<group>/<version>`). */
  resources(group: string, version: string): Promise<ApiResult<readonly ApiResourceInfo[]>>;
  /** One page of a list across all namespaces. */
  list(target: ListTarget, page: { readonly limit: number; readonly continue?: string | undefined }): Promise<ApiResult<ListPage>>;
  readonly counters: ApiCounters;
}

const MAX_MESSAGE = 500;

/** Truncated, single-line text for a gap message. */
export function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > MAX_MESSAGE ? `${one.slice(0, MAX_MESSAGE)}…` : one;
}

/** The gap reason for an HTTP status the server answered with. */
export function reasonForStatus(status: number): GapReason {
  if (status === 401) return 'bad-credentials';
  if (status === 403) return 'access-denied';
  if (status === 404) return 'not-enabled';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'unavailable';
  return 'error';
}

/** Whether a call that got `status` is worth repeating after a pause. */
export const retryableStatus = (status: number): boolean => status === 429 || status === 500 || status === 502 || status === 503 || status === 504;

/** `403 Forbidden: pods is forbidden: User "x" cannot list …` from a Status body, else `HTTP 403`. */
export function statusMessage(status: number, body: unknown): string {
  if (isObject(body) && body['kind'] === 'Status') {
    const reason = typeof body['reason'] === 'string' ? body['reason'] : '';
    const message = typeof body['message'] === 'string' ? body['message'] : '';
    return clip(`${status}${reason ? ` ${reason}` : ''}${message ? `: ${message}` : ''}`);
  }
  return `HTTP ${status}`;
}

export function failure(reason: GapReason, message: string, status?: number): { ok: false; failure: ApiFailure } {
  return { ok: false, failure: { reason, message: clip(message), ...(status !== undefined ? { status } : {}) } };
}

/** Group list of `GET /apis` (APIGroupList), tolerant of missing fields. */
export function parseGroupList(body: unknown): ApiGroupInfo[] | undefined {
  if (!isObject(body) || !Array.isArray(body['groups'])) return undefined;
  const out: ApiGroupInfo[] = [];
  for (const g of body['groups']) {
    if (!isObject(g) || typeof g['name'] !== 'string' || !Array.isArray(g['versions'])) continue;
    const versions = g['versions'].map((v) => (isObject(v) && typeof v['version'] === 'string' ? v['version'] : '')).filter((v) => v !== '');
    const pref = isObject(g['preferredVersion']) && typeof g['preferredVersion']['version'] === 'string' ? g['preferredVersion']['version'] : versions[0];
    if (pref !== undefined) out.push({ group: g['name'], preferredVersion: pref, versions });
  }
  return out;
}

/** Resources of `GET /apis/<g>/<v>` (APIResourceList), sub-resources left out. */
export function parseResourceList(body: unknown): ApiResourceInfo[] | undefined {
  if (!isObject(body) || !Array.isArray(body['resources'])) return undefined;
  const out: ApiResourceInfo[] = [];
  for (const r of body['resources']) {
    if (!isObject(r) || typeof r['name'] !== 'string' || typeof r['kind'] !== 'string' || r['name'].includes('/')) continue;
    const verbs = Array.isArray(r['verbs']) ? r['verbs'].filter((v): v is string => typeof v === 'string') : [];
    out.push({ kind: r['kind'], name: r['name'], namespaced: r['namespaced'] === true, verbs });
  }
  return out;
}

/** A list response (`PodList`, `PartialObjectMetadataList`): its items and continue token. */
export function parseListPage(body: unknown): ListPage | undefined {
  if (!isObject(body) || !Array.isArray(body['items'])) return undefined;
  const meta = isObject(body['metadata']) ? body['metadata'] : {};
  const cont = typeof meta['continue'] === 'string' && meta['continue'] !== '' ? meta['continue'] : undefined;
  return { items: body['items'] as unknown[], continue: cont };
}
