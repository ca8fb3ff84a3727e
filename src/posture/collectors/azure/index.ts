/**
 * The Azure collector (issue 7): ARM REST through the Azure SDK's pipeline, live with
 * DefaultAzureCredential (or a client secret, or any TokenCredential given), offline from VCR
 * cassettes replayed through the same pipeline. One CollectResult per subscription.
 *
 * Kinds, attrs and the least-privilege role: docs/collectors/azure.md (generated from
 * catalog.ts by docs.ts and checked by docs.test.ts).
 */

import type { Agent } from 'node:http';
import type { TokenCredential } from '@azure/identity';
import type { InputProblem } from '../../model.js';
import { readRecordingFiles } from '../lib/recordings.js';
import type { CollectionGap, Collector, CollectProgress, CollectResult } from '../types.js';
import { collectionGap } from './adapt.js';
import { createArmClient, type Arm, type ArmRetryOptions } from './arm.js';
import { CassetteStore, parseCassette, replayHttpClient } from './cassette.js';
import { azureKinds } from './catalog.js';
import { collectSubscription } from './collect.js';

export interface AzureClientSecret {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface AzureCollectOptions {
  /** Subscription ids; default every subscription the credential sees (live) or the recordings hold (offline). */
  readonly subscriptions?: readonly string[] | undefined;
  /** Offline: cassette files or folders of them (`*.json`). Given → no network. */
  readonly recordings?: readonly string[] | undefined;
  /** Live: a credential to use as is (tests, embedding). */
  readonly credential?: TokenCredential | undefined;
  /** Live: a service principal secret; without it and without `credential`, DefaultAzureCredential. */
  readonly clientSecret?: AzureClientSecret | undefined;
  /** ARM endpoint (sovereign clouds, tests); default https://management.azure.com. */
  readonly endpoint?: string | undefined;
  /** Token scope; default `<endpoint>/.default`. */
  readonly scope?: string | undefined;
  /** Requests in flight at once (default 8). */
  readonly concurrency?: number | undefined;
  /** Pages per list call before stopping with a gap (default 500). */
  readonly maxPages?: number | undefined;
  readonly retry?: ArmRetryOptions | undefined;
  readonly timeoutMs?: number | undefined;
  readonly agent?: Agent | undefined;
}

const OFFLINE_CREDENTIAL: TokenCredential = {
  getToken: async () => ({ token: 'offline-replay', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

const MAX_CASSETTE_FILES = 10_000;

/** Reads cassette files (folders: every `*.json` below, sorted). I/O at the edge; parsing is pure. */
export async function loadCassettes(paths: readonly string[]): Promise<{ store: CassetteStore; problems: InputProblem[]; files: number }> {
  const store = new CassetteStore();
  const { problems, files } = await readRecordingFiles(paths, MAX_CASSETTE_FILES, 'cassette', (file, bytes) => {
    const parsed = parseCassette(bytes, file);
    if (!parsed.ok) return parsed.problem;
    store.add(parsed.interactions);
    return undefined;
  });
  return { store, problems, files };
}

async function liveCredential(options: AzureCollectOptions): Promise<TokenCredential> {
  if (options.credential) return options.credential;
  const identity = await import('@azure/identity');
  const s = options.clientSecret;
  return s ? new identity.ClientSecretCredential(s.tenantId, s.clientId, s.clientSecret) : new identity.DefaultAzureCredential();
}

const SUBSCRIPTIONS_API = '2022-12-01';
const UNUSABLE_STATES = new Set(['disabled', 'deleted']);

/** Lists the subscriptions the credential can read, skipping disabled and deleted ones. */
async function listSubscriptions(arm: Arm): Promise<{ ids: string[]; gap?: CollectionGap }> {
  const res = await arm.list('/subscriptions', SUBSCRIPTIONS_API);
  const ids: string[] = [];
  for (const item of res.items) {
    if (item === null || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const id = o['subscriptionId'];
    const state = typeof o['state'] === 'string' ? o['state'].toLowerCase() : '';
    if (typeof id === 'string' && !UNUSABLE_STATES.has(state)) ids.push(id);
  }
  if (res.failure) return { ids, gap: collectionGap('*', 'Microsoft.Resources', 'GET /subscriptions', res.failure, azureKinds()) };
  if (ids.length === 0) return { ids, gap: collectionGap('*', 'Microsoft.Resources', 'GET /subscriptions', { reason: 'access-denied', message: 'the credential sees no enabled subscription' }, azureKinds()) };
  return { ids };
}

const SUBSCRIPTION_ID = /^[A-Za-z0-9-]{1,64}$/;

async function collect(options: AzureCollectOptions, progress?: CollectProgress): Promise<CollectResult[]> {
  const started = Date.now();
  const offline = options.recordings !== undefined;
  const core = await import('@azure/core-rest-pipeline');
  let recordingGaps: (target: string) => CollectionGap[] = () => [];
  let recordedSubscriptions: string[] = [];
  let httpClient;
  if (offline) {
    const loaded = await loadCassettes(options.recordings ?? []);
    httpClient = replayHttpClient(loaded.store, core.createHttpHeaders);
    recordedSubscriptions = loaded.store.subscriptions();
    recordingGaps = (target) =>
      loaded.problems.map((p) => collectionGap(target, 'recordings', `read ${p.path}`, { reason: 'invalid-response', message: p.reason }, azureKinds()));
  }
  let credential: TokenCredential;
  try {
    credential = offline ? OFFLINE_CREDENTIAL : await liveCredential(options);
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return [failedTarget('*', collectionGap('*', 'Microsoft.Resources', 'credential', { reason: 'bad-credentials', message }, azureKinds()), started)];
  }
  const arm = await createArmClient({
    credential,
    httpClient,
    endpoint: options.endpoint,
    scope: options.scope,
    concurrency: options.concurrency,
    maxPages: options.maxPages,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    agent: options.agent,
  });

  let ids = options.subscriptions ? [...options.subscriptions] : offline ? recordedSubscriptions : undefined;
  if (ids === undefined) {
    const listed = await listSubscriptions(arm);
    if (listed.gap && listed.ids.length === 0) return [failedTarget('*', listed.gap, started, arm)];
    ids = listed.ids;
  }
  if (ids.length === 0) {
    const gap = collectionGap('*', 'recordings', 'subscriptions', { reason: 'unavailable', message: 'no subscription given and none in the recordings' }, azureKinds());
    return [failedTarget('*', gap, started, arm)];
  }

  const results: CollectResult[] = [];
  for (const id of ids) {
    const t0 = Date.now();
    const calls0 = arm.stats.calls;
    const attempts0 = arm.stats.attempts;
    if (!SUBSCRIPTION_ID.test(id)) {
      results.push(failedTarget(id, collectionGap(id, 'Microsoft.Resources', 'subscription', { reason: 'error', message: 'not a subscription id' }, azureKinds()), t0));
      continue;
    }
    const c = await collectSubscription(arm, id, progress ? (e) => progress({ ...e, label: `${id}: ${e.label}` }) : undefined);
    const calls = arm.stats.calls - calls0;
    results.push({
      target: { provider: 'azure', id, name: c.name, regions: c.regions },
      resources: c.resources,
      gaps: [...recordingGaps(id), ...c.gaps],
      stats: { ms: Date.now() - t0, calls, retries: Math.max(0, arm.stats.attempts - attempts0 - calls) },
    });
  }
  return results;
}

function failedTarget(id: string, gap: CollectionGap, started: number, arm?: Arm): CollectResult {
  const calls = arm?.stats.calls ?? 0;
  return {
    target: { provider: 'azure', id, name: id === '*' ? 'Azure' : id },
    resources: [],
    gaps: [gap],
    stats: { ms: Date.now() - started, calls, retries: Math.max(0, (arm?.stats.attempts ?? 0) - calls) },
  };
}

export const azureCollector: Collector<AzureCollectOptions> = { provider: 'azure', collect };

export { azureKinds } from './catalog.js';
