/**
 * What `vigil posture scan --aws / --azure / --gcp / --kubeconfig / --snapshot` runs: which
 * collectors, with which options, and what kind of recording a `--snapshot` holds when no
 * provider flag says. Each collector is imported lazily, so a file scan never loads a cloud SDK.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CollectProgress, CollectResult, CollectorProvider } from './types.js';

export interface CollectRequest {
  /** Recorded responses or a cluster dump (file or directory). */
  readonly snapshot?: string | undefined;
  /** Which provider the snapshot is from, when detection should not guess. */
  readonly snapshotProvider?: CollectorProvider | undefined;
  readonly aws?: { readonly profile?: string | undefined; readonly regions?: readonly string[] | undefined; readonly roleArns?: readonly string[] | undefined; readonly externalId?: string | undefined } | undefined;
  readonly azure?: { readonly subscriptions?: readonly string[] | undefined } | undefined;
  readonly gcp?: { readonly projects?: readonly string[] | undefined; readonly keyFile?: string | undefined } | undefined;
  readonly kubernetes?: { readonly kubeconfig?: string | undefined; readonly context?: string | undefined } | undefined;
}

export class CollectUsageError extends Error {}

export const wantsCollection = (r: CollectRequest): boolean => Boolean(r.snapshot ?? r.aws ?? r.azure ?? r.gcp ?? r.kubernetes);

/** Placebo file names: `s3.ListBuckets_1.json`, `iam.GetCredentialReport_2.json`. */
const PLACEBO = /^[a-z0-9-]+\.[A-Z][A-Za-z0-9]*_\d+\.json$/;
/** Flight file names: `get-storage-v1-b_1.json`, `post-compute-v1-projects-…_2.json`. */
const FLIGHT = /^(get|post|put|patch|delete)-.+_\d+\.json$/;

/**
 * What a snapshot path holds, from its file names and the first bytes of a JSON file: AWS placebo
 * recordings, Azure VCR cassettes, GCP flights, or (anything else) a Kubernetes dump.
 */
export async function detectSnapshot(path: string): Promise<CollectorProvider> {
  const names: string[] = [];
  const info = await stat(path);
  if (info.isDirectory()) {
    const queue = [path];
    while (queue.length > 0 && names.length < 2000) {
      const dir = queue.shift()!;
      for (const e of await readdir(dir, { withFileTypes: true })) {
        if (e.isDirectory()) queue.push(join(dir, e.name));
        else names.push(join(dir, e.name));
      }
    }
  } else names.push(path);
  const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
  if (names.some((n) => PLACEBO.test(base(n)))) return 'aws';
  if (names.some((n) => FLIGHT.test(base(n)))) return 'gcp';
  for (const n of names.filter((x) => x.endsWith('.json')).slice(0, 20)) {
    const head = (await readFile(n, 'utf8').catch(() => '')).slice(0, 4096);
    if (/"interactions"\s*:/.test(head)) return 'azure';
  }
  return 'kubernetes';
}

/** Runs the requested collectors one after the other (each is concurrent inside). */
export async function runCollectors(req: CollectRequest, progress?: CollectProgress): Promise<CollectResult[]> {
  const out: CollectResult[] = [];
  if (req.snapshot !== undefined) {
    const provider = req.snapshotProvider ?? (await detectSnapshot(req.snapshot).catch((err: unknown) => {
      throw new CollectUsageError(`--snapshot ${req.snapshot}: ${(err as Error).message}`);
    }));
    out.push(...(await collectOne(provider, req, req.snapshot, progress)));
  }
  const live: CollectorProvider[] = [];
  if (req.aws && req.snapshotProvider !== 'aws') live.push('aws');
  if (req.azure && req.snapshotProvider !== 'azure') live.push('azure');
  if (req.gcp && req.snapshotProvider !== 'gcp') live.push('gcp');
  if (req.kubernetes && req.snapshotProvider !== 'kubernetes') live.push('kubernetes');
  for (const p of live) out.push(...(await collectOne(p, req, undefined, progress)));
  return out;
}

async function collectOne(provider: CollectorProvider, req: CollectRequest, recordings: string | undefined, progress?: CollectProgress): Promise<CollectResult[]> {
  switch (provider) {
    case 'aws': {
      const { collectAws } = await import('./aws/index.js');
      const a = req.aws ?? {};
      return collectAws(
        {
          ...(recordings !== undefined ? { recordings } : {}),
          profile: a.profile,
          regions: a.regions,
          roles: a.roleArns?.map((arn) => ({ arn, externalId: a.externalId })),
        },
        progress,
      );
    }
    case 'azure': {
      const { azureCollector } = await import('./azure/index.js');
      return azureCollector.collect({ ...(recordings !== undefined ? { recordings: [recordings] } : {}), subscriptions: req.azure?.subscriptions }, progress);
    }
    case 'gcp': {
      const { gcpCollector } = await import('./gcp/index.js');
      return gcpCollector.collect({ ...(recordings !== undefined ? { recordings: [recordings] } : {}), projects: req.gcp?.projects, keyFile: req.gcp?.keyFile }, progress);
    }
    case 'kubernetes': {
      const { collectKubernetes } = await import('./kubernetes/index.js');
      const k = req.kubernetes ?? {};
      return [await (recordings !== undefined ? collectKubernetes({ snapshot: recordings }, progress) : collectKubernetes({ kubeconfig: k.kubeconfig, context: k.context }, progress))];
    }
  }
}
