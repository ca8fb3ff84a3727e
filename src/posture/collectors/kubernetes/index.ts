/**
 * The Kubernetes cluster collector (issue 7): a live cluster through a kubeconfig context, or
 * a `kubectl get -A -o json` dump, read by the same collection code (collect.ts) through one
 * small API interface (api.ts; live.ts and snapshot.ts implement it) and adapted to the same
 * `k8s:<Kind>` resources as manifests (adapt.ts). Permissions: docs/collectors/kubernetes.md.
 */
import type { ResourceKind } from '../../model.js';
import type { CollectProgress, Collector } from '../types.js';
import { collectCluster, DEFAULT_SETTINGS, type ClusterCollectResult, type CollectSettings } from './collect.js';
import { kindSpecs, resourceKindOf } from './kinds.js';
import type { LiveOptions } from './live.js';
import { readSnapshot, snapshotApi, snapshotName } from './snapshot.js';

export interface CommonOptions {
  /** Cluster name (target id and locations); default the context name, or the dump's file name. */
  readonly name?: string | undefined;
  /** Items per list page (`limit`), default 500. */
  readonly pageSize?: number | undefined;
  /** Pages per kind before giving up with a gap, default 2000. */
  readonly maxPages?: number | undefined;
  /** Lists in flight at once, default 4. */
  readonly concurrency?: number | undefined;
  /** `metadata` also lists Secrets, metadata only (needs `list secrets`, see kinds.ts); default `skip`. */
  readonly secrets?: 'skip' | 'metadata' | undefined;
  /** Keep Pods/ReplicaSets/Jobs owned by a collected controller among the resources (default: set aside). */
  readonly keepChildren?: boolean | undefined;
  readonly now?: (() => number) | undefined;
}

export interface LiveCollectOptions extends CommonOptions, LiveOptions {
  readonly snapshot?: undefined;
}

export interface SnapshotCollectOptions extends CommonOptions {
  /** A dump file or a directory of dumps. */
  readonly snapshot: string;
}

export type KubernetesCollectorOptions = LiveCollectOptions | SnapshotCollectOptions;

export type { ClusterCollectResult } from './collect.js';

function settings(o: CommonOptions, cluster: string, progress: CollectProgress | undefined): CollectSettings {
  return {
    cluster,
    pageSize: Math.max(1, Math.min(o.pageSize ?? DEFAULT_SETTINGS.pageSize, 10_000)),
    maxPages: Math.max(1, o.maxPages ?? DEFAULT_SETTINGS.maxPages),
    concurrency: Math.max(1, Math.min(o.concurrency ?? DEFAULT_SETTINGS.concurrency, 64)),
    secrets: o.secrets ?? DEFAULT_SETTINGS.secrets,
    keepChildren: o.keepChildren ?? DEFAULT_SETTINGS.keepChildren,
    progress,
    now: o.now ?? Date.now,
  };
}

const allKinds = (o: CommonOptions): ResourceKind[] => [...new Set(kindSpecs({ secrets: o.secrets }).map(resourceKindOf))];

/** Collects one cluster (live or from a dump); never throws for what the cluster or the dump holds. */
export async function collectKubernetes(options: KubernetesCollectorOptions, progress?: CollectProgress): Promise<ClusterCollectResult> {
  if (options.snapshot !== undefined) {
    const cluster = options.name ?? snapshotName(options.snapshot);
    const snap = await readSnapshot(options.snapshot);
    const result = await collectCluster(snapshotApi(snap), settings(options, cluster, progress));
    const kinds = allKinds(options);
    const problems = snap.problems.map((p) => ({
      provider: 'kubernetes' as const,
      target: cluster,
      service: 'snapshot',
      operation: `read ${p.path}${p.line !== undefined ? `:${p.line}` : ''}`,
      reason: 'invalid-response' as const,
      message: p.reason,
      kinds,
    }));
    return { ...result, gaps: [...problems, ...result.gaps] };
  }
  const { connect } = await import('./live.js');
  const started = (options.now ?? Date.now)();
  const conn = await connect(options);
  if (!conn.ok) {
    const cluster = options.name ?? options.context ?? 'kubernetes';
    return {
      target: { provider: 'kubernetes', id: cluster, name: cluster },
      resources: [],
      children: [],
      gaps: [{ provider: 'kubernetes', target: cluster, service: 'kubeconfig', operation: 'load kubeconfig', reason: 'bad-credentials', message: conn.message, kinds: allKinds(options) }],
      stats: { ms: (options.now ?? Date.now)() - started, calls: 0, retries: 0 },
    };
  }
  return collectCluster(conn.value.api, settings(options, options.name ?? conn.value.context, progress));
}

export const kubernetesCollector: Collector<KubernetesCollectorOptions> = {
  provider: 'kubernetes',
  async collect(options, progress) {
    return [await collectKubernetes(options, progress)];
  },
};
