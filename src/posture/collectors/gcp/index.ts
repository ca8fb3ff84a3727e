/**
 * The GCP collector (issue 7): Google Cloud REST APIs through google-auth-library's authorised
 * `request()`, live with Application Default Credentials (or a service account key file, or any
 * auth client given), offline from Cloud Custodian flight recordings replayed under the same
 * client. One CollectResult per project.
 *
 * Kinds, attrs and the least-privilege roles: docs/collectors/gcp.md (generated from
 * catalog.ts by docs.ts and checked by docs.test.ts).
 */
import { basename } from 'node:path';
import type { InputProblem } from '../../model.js';
import { readRecordingFiles } from '../lib/recordings.js';
import type { CollectionGap, Collector, CollectProgress, CollectResult } from '../types.js';
import { collectionGap, isObject } from './adapt.js';
import { gcpKinds, PROJECT, type GcpObject } from './catalog.js';
import { createGcpClient, type Gcp, type GcpRequester, type GcpRetryOptions } from './client.js';
import { collectProject } from './collect.js';
import { NOT_RECORDED } from './errors.js';
import { FlightStore, parseFlight, RECORDED_PROJECT, replayFetch } from './flights.js';

export interface GcpCollectOptions {
  /** Project ids; default every active project the credential can list (live) or the recording's (offline). */
  readonly projects?: readonly string[] | undefined;
  /** Offline: flight directories (or files) of one recorded session. Given → no network. */
  readonly recordings?: readonly string[] | undefined;
  /** Live: a service account key file; without it, Application Default Credentials. */
  readonly keyFile?: string | undefined;
  /** Live: an auth client to use as is (tests, embedding). */
  readonly requester?: GcpRequester | undefined;
  /** OAuth scopes (default cloud-platform; IAM roles bound the access). */
  readonly scopes?: readonly string[] | undefined;
  /** Base URL per API host (tests, private endpoints); default `https://<host>`. */
  readonly endpoint?: ((host: string) => string) | undefined;
  readonly concurrency?: number | undefined;
  readonly maxPages?: number | undefined;
  readonly retry?: GcpRetryOptions | undefined;
  readonly timeoutMs?: number | undefined;
}

const MAX_FLIGHT_FILES = 50_000;
const DEFAULT_SCOPES = ['https://www.googleapis.com/auth/cloud-platform'];

/** Reads flight files (folders: every `*.json` below, sorted; the first file of a name wins). */
export async function loadFlights(paths: readonly string[]): Promise<{ store: FlightStore; problems: InputProblem[]; files: number }> {
  const store = new FlightStore();
  const { problems, files } = await readRecordingFiles(paths, MAX_FLIGHT_FILES, 'flight', (file, bytes) => {
    const parsed = parseFlight(basename(file), bytes, file);
    if (!parsed.ok) return parsed.problem;
    store.add(parsed.name, parsed.index, parsed.response);
    return undefined;
  });
  return { store, problems, files };
}

async function liveRequester(options: GcpCollectOptions): Promise<GcpRequester> {
  if (options.requester) return options.requester;
  const { GoogleAuth } = await import('google-auth-library');
  return new GoogleAuth({ scopes: [...(options.scopes ?? DEFAULT_SCOPES)], ...(options.keyFile ? { keyFilename: options.keyFile } : {}) });
}

/** Offline: an OAuth2 client holding a fixed token, so the same auth client code runs without a network. */
async function offlineRequester(): Promise<GcpRequester> {
  const { OAuth2Client } = await import('google-auth-library');
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'offline-replay' });
  return client;
}

interface ProjectListing {
  readonly projects: { id: string; item?: GcpObject }[];
  readonly gap?: CollectionGap | undefined;
  readonly notRecorded?: boolean;
}

async function listProjects(gcp: Gcp): Promise<ProjectListing> {
  const res = await gcp.list({ method: 'GET', host: PROJECT.host, path: '/v1/projects', query: { filter: 'lifecycleState:ACTIVE' } }, 'projects');
  const projects: { id: string; item: GcpObject }[] = [];
  for (const p of res.items) {
    if (!isObject(p) || typeof p['projectId'] !== 'string') continue;
    const state = p['lifecycleState'];
    if (state === undefined || state === 'ACTIVE') projects.push({ id: p['projectId'], item: p });
  }
  if (res.failure) {
    return { projects, gap: collectionGap('*', PROJECT.service, PROJECT.listCall, res.failure, gcpKinds()), notRecorded: res.failure.code === NOT_RECORDED };
  }
  if (projects.length === 0) return { projects, gap: collectionGap('*', PROJECT.service, PROJECT.listCall, { reason: 'access-denied', message: 'the credential sees no active project' }, gcpKinds()) };
  return { projects };
}

const PROJECT_ID = /^[a-z][a-z0-9.:-]{0,99}$/;

async function collect(options: GcpCollectOptions, progress?: CollectProgress): Promise<CollectResult[]> {
  const started = Date.now();
  const offline = options.recordings !== undefined;
  let fetchImplementation: typeof fetch | undefined;
  let recordingGaps: (target: string) => CollectionGap[] = () => [];
  if (offline) {
    const loaded = await loadFlights(options.recordings ?? []);
    fetchImplementation = replayFetch(loaded.store);
    recordingGaps = (target) => loaded.problems.map((p) => collectionGap(target, 'recordings', `read ${p.path}`, { reason: 'invalid-response', message: p.reason }, gcpKinds()));
  }
  let requester: GcpRequester;
  try {
    requester = offline ? await offlineRequester() : await liveRequester(options);
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return [failedTarget('*', collectionGap('*', PROJECT.service, 'credentials', { reason: 'bad-credentials', message }, gcpKinds()), started)];
  }
  const gcp = createGcpClient({
    requester,
    endpoint: options.endpoint,
    fetchImplementation,
    concurrency: options.concurrency,
    maxPages: options.maxPages,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
  });

  let targets: { id: string; item?: GcpObject | undefined }[];
  if (options.projects) targets = options.projects.map((id) => ({ id }));
  else {
    const listed = await listProjects(gcp);
    // Offline without a recorded project list: the recording's own project.
    if (offline && listed.notRecorded) targets = [{ id: RECORDED_PROJECT }];
    else if (listed.gap && listed.projects.length === 0) return [failedTarget('*', listed.gap, started, gcp)];
    else targets = listed.projects;
  }

  const results: CollectResult[] = [];
  for (const { id, item } of targets) {
    const t0 = Date.now();
    const calls0 = gcp.stats.calls;
    const retries0 = gcp.stats.retries;
    if (!PROJECT_ID.test(id)) {
      results.push(failedTarget(id, collectionGap(id, PROJECT.service, 'project', { reason: 'error', message: 'not a project id' }, gcpKinds()), t0));
      continue;
    }
    const c = await collectProject(gcp, id, item, progress ? (e) => progress({ ...e, label: `${id}: ${e.label}` }) : undefined);
    results.push({
      target: { provider: 'gcp', id, name: c.name, regions: c.regions },
      resources: c.resources,
      gaps: [...recordingGaps(id), ...c.gaps],
      stats: { ms: Date.now() - t0, calls: gcp.stats.calls - calls0, retries: gcp.stats.retries - retries0 },
    });
  }
  return results;
}

function failedTarget(id: string, gap: CollectionGap, started: number, gcp?: Gcp): CollectResult {
  return {
    target: { provider: 'gcp', id, name: id === '*' ? 'Google Cloud' : id },
    resources: [],
    gaps: [gap],
    stats: { ms: Date.now() - started, calls: gcp?.stats.calls ?? 0, retries: gcp?.stats.retries ?? 0 },
  };
}

export const gcpCollector: Collector<GcpCollectOptions> = { provider: 'gcp', collect };

export { gcpKinds } from './catalog.js';
