/**
 * The collection, the same for a live cluster and a dump: version, discovery of which kinds
 * the server serves (and in which version), every kind listed page by page across all
 * namespaces with at most `concurrency` lists in flight, objects adapted to resources, cluster
 * facts. Whatever the API answers becomes data or a gap, never an exception:
 * - an unreachable server or rejected credentials: one gap for every kind, nothing else tried;
 * - a kind the server refuses (403), that failed after the retries (429, 5xx) or whose answer
 *   was malformed: a gap for that kind, and what was read of it is discarded (a partial list
 *   would make rules pass or fail on half the objects);
 * - a required kind the server does not serve: a `not-enabled` gap; an optional one (a CRD
 *   that is not installed, PodSecurityPolicy after v1.25): nothing, there is nothing to assess;
 * - more pages than `maxPages`: a gap (the cap keeps a runaway `continue` loop finite);
 * - an expired `continue` token (410 Gone, the list outlived etcd compaction): the list is
 *   started again once, then a gap.
 */
import { isObject } from '../../attrs.js';
import type { Resource, ResourceKind } from '../../model.js';
import type { CollectionGap, CollectProgress, CollectResult } from '../types.js';
import { isResource, resourceApiVersion, splitChildren, toResource } from './adapt.js';
import type { ApiFailure, ApiGroupInfo, ApiResourceInfo, ApiResult, ClusterApi, ListTarget } from './api.js';
import { apiVersionOf, canonicalGroup, kindSpecs, resourceKindOf, type KindSpec } from './kinds.js';
import { mapLimit } from './limit.js';
import { detectPlatform, serverVersion } from './platform.js';

export interface CollectSettings {
  /** Cluster name: the target id and the `cluster/<name>/…` locations. */
  readonly cluster: string;
  readonly pageSize: number;
  readonly maxPages: number;
  readonly concurrency: number;
  readonly secrets: 'skip' | 'metadata';
  /** Keep children of collected controllers among the resources (see adapt.ts). */
  readonly keepChildren: boolean;
  readonly progress?: CollectProgress | undefined;
  /** Clock, for the duration in stats. */
  readonly now: () => number;
}

export const DEFAULT_SETTINGS = { pageSize: 500, maxPages: 2000, concurrency: 4, secrets: 'skip', keepChildren: false } as const;

export interface ClusterCollectResult extends CollectResult {
  /** Pod-bearing objects owned by a collected controller (left out of `resources`, see adapt.ts). */
  readonly children: readonly Resource[];
}

interface Planned {
  readonly spec: KindSpec;
  readonly target: ListTarget;
}

export async function collectCluster(api: ClusterApi, s: CollectSettings): Promise<ClusterCollectResult> {
  const started = s.now();
  const specs = kindSpecs({ secrets: s.secrets });
  const gaps: CollectionGap[] = [];
  const gap = (service: string, operation: string, f: ApiFailure, kinds: readonly ResourceKind[]): void => {
    gaps.push({ provider: 'kubernetes', target: s.cluster, service, operation, reason: f.reason, message: f.message, kinds });
  };
  const allKinds = [...new Set(specs.map(resourceKindOf))];
  const finish = (resources: Resource[], children: Resource[], facts: { version?: string | undefined; platform?: string | undefined; nodeCount?: number | undefined }): ClusterCollectResult => ({
    target: { provider: 'kubernetes', id: s.cluster, name: s.cluster, ...facts },
    resources,
    children,
    gaps,
    stats: { ms: s.now() - started, calls: api.counters.calls, retries: api.counters.retries },
  });

  const version = await api.version();
  if (!version.ok && (version.failure.status === undefined || version.failure.reason === 'bad-credentials')) {
    // Nothing answered, or the credentials were refused: every later call would fail the same way.
    gap('kubernetes', 'GET /version', version.failure, allKinds);
    return finish([], [], {});
  }
  if (!version.ok) gap('kubernetes', 'GET /version', version.failure, []);
  const gitVersion = version.ok ? serverVersion(version.value) : undefined;

  const groups = await api.groups();
  if (!groups.ok) {
    gap('kubernetes', 'GET /apis', groups.failure, allKinds);
    return finish([], [], { version: gitVersion });
  }
  const planned = await plan(api, specs, groups.value, gap);

  let done = 0;
  const lists = await mapLimit(planned, s.concurrency, async (p) => {
    const r = await listAll(api, p.target, s);
    s.progress?.({ done: ++done, total: planned.length, label: p.target.group ? `${p.target.plural}.${p.target.group}` : p.target.plural });
    return r;
  });

  const resources: Resource[] = [];
  const seen = new Set<string>();
  const nodes: unknown[] = [];
  let nodesListed = false;
  planned.forEach((p, i) => {
    const r = lists[i]!;
    const kind = resourceKindOf(p.spec);
    if (!r.ok) {
      gap(p.spec.group || 'core', `list ${p.target.plural}`, r.failure, [kind]);
      return;
    }
    if (p.spec.kind === 'Node' && p.spec.group === '') nodesListed = true;
    let bad = 0;
    let firstProblem = '';
    for (const raw of r.value) {
      const item = typed(raw, p.target);
      const res = toResource(item, s.cluster);
      if (!isResource(res)) {
        bad++;
        firstProblem ||= res.message;
        continue;
      }
      const key = `${canonicalGroup(resourceApiVersion(res), res.type)}/${res.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (p.spec.kind === 'Node' && p.spec.group === '') nodes.push(item);
      resources.push(res);
    }
    if (bad > 0) {
      gap(p.spec.group || 'core', `list ${p.target.plural}`, { reason: 'invalid-response', message: `${bad} item(s) could not be read: ${firstProblem}` }, [kind]);
    }
  });

  const { kept, children } = s.keepChildren ? { kept: resources, children: [] } : splitChildren(resources);
  return finish(kept, children, {
    version: gitVersion,
    platform: detectPlatform({ version: gitVersion, groups: groups.value.map((g) => g.group), nodes }),
    nodeCount: nodesListed ? nodes.length : undefined,
  });
}

/** List items carry no kind/apiVersion on the wire (kubectl adds them): set them from what was listed. */
function typed(raw: unknown, t: ListTarget): unknown {
  if (!isObject(raw)) return raw;
  const own = typeof raw['apiVersion'] === 'string' ? raw['apiVersion'] : '';
  const apiVersion = own !== '' && canonicalGroup(own, t.kind) === t.group && !t.metadataOnly ? own : apiVersionOf(t.group, t.version);
  if (raw['kind'] === t.kind && raw['apiVersion'] === apiVersion) return raw;
  return { ...raw, apiVersion, kind: t.kind };
}

type Gap = (service: string, operation: string, f: ApiFailure, kinds: readonly ResourceKind[]) => void;

/** Which version of each wanted kind to list, from discovery. */
async function plan(api: ClusterApi, specs: readonly KindSpec[], served: readonly ApiGroupInfo[], gap: Gap): Promise<Planned[]> {
  const byGroup = new Map(served.map((g) => [g.group, g]));
  const cache = new Map<string, Promise<ApiResult<readonly ApiResourceInfo[]>>>();
  const resourcesOf = (group: string, version: string): Promise<ApiResult<readonly ApiResourceInfo[]>> => {
    const key = apiVersionOf(group, version);
    let p = cache.get(key);
    if (p === undefined) cache.set(key, (p = api.resources(group, version)));
    return p;
  };
  const failedGroups = new Set<string>();
  const out: Planned[] = [];
  for (const spec of specs) {
    const info = byGroup.get(spec.group);
    const kind = resourceKindOf(spec);
    if (info === undefined) {
      if (!spec.optional) gap(spec.group || 'core', 'discovery', { reason: 'not-enabled', message: `the API server does not serve the ${spec.group || 'core'} API group` }, [kind]);
      continue;
    }
    const candidates = [info.preferredVersion, ...spec.versions.filter((v) => v !== info.preferredVersion && info.versions.includes(v))];
    let found: { version: string; res: ApiResourceInfo } | undefined;
    let failed: ApiFailure | undefined;
    for (const version of candidates) {
      const r = await resourcesOf(spec.group, version);
      if (!r.ok) {
        failed ??= r.failure;
        continue;
      }
      const res = r.value.find((x) => x.kind === spec.kind && x.name === spec.plural) ?? r.value.find((x) => x.kind === spec.kind);
      if (res !== undefined) {
        found = { version, res };
        break;
      }
    }
    if (found === undefined) {
      if (failed !== undefined) {
        const key = spec.group || 'core';
        gap(key, `GET /${spec.group ? `apis/${spec.group}` : 'api'}/${info.preferredVersion}`, failed, [kind]);
        failedGroups.add(key);
      } else if (!spec.optional) {
        gap(spec.group || 'core', 'discovery', { reason: 'not-enabled', message: `the API server does not serve ${spec.kind} in ${spec.group || 'the core group'} (${candidates.join(', ')})` }, [kind]);
      }
      continue;
    }
    out.push({
      spec,
      target: { group: spec.group, version: found.version, plural: found.res.name, kind: spec.kind, namespaced: found.res.namespaced, metadataOnly: spec.metadataOnly === true },
    });
  }
  return out;
}

/** Every page of one list, or the failure that stopped it. */
async function listAll(api: ClusterApi, target: ListTarget, s: CollectSettings): Promise<ApiResult<unknown[]>> {
  let restarted = false;
  let items: unknown[] = [];
  let cont: string | undefined;
  let pages = 0;
  for (;;) {
    if (++pages > s.maxPages) {
      return { ok: false, failure: { reason: 'error', message: `more than ${s.maxPages} pages of ${s.pageSize}; the list was not finished` } };
    }
    const r = await api.list(target, { limit: s.pageSize, continue: cont });
    if (!r.ok) {
      if (r.failure.status === 410 && !restarted) {
        restarted = true;
        items = [];
        cont = undefined;
        pages = 0;
        continue;
      }
      return r;
    }
    for (const item of r.value.items) items.push(item);
    cont = r.value.continue;
    if (cont === undefined || cont === '') return { ok: true, value: items };
  }
}
