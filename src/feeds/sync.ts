import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { Bus } from '../bus/types.js';
import type { Config } from '../config/config.js';
import type { Database } from '../store/db.js';
import { getFeedState, putFeedState } from '../store/repos/feedState.js';
import { emptyCounts, finishRun, relabelRunInput, startRun, type RunCounts } from '../store/repos/feedRuns.js';
import { syncCve5 } from './cve5/sync.js';
import { syncEpss } from './epss/sync.js';
import { createHttpClient, type HttpClient } from './http.js';
import { ingest, type FileError, type IngestReport } from './ingest.js';
import { syncKev } from './kev/sync.js';
import { syncNvd, type NvdSyncOptions } from './nvd/sync.js';
import { syncOsv } from './osv/sync.js';
import { FEED_PARSERS } from './registry.js';
import { FeedSyncError, type FeedSettings, type IngestPieceOptions, type SyncEnv, type SyncProgress } from './source.js';
import { FEED_IDS, type FeedId, type FeedParser } from './types.js';
import { DEFAULT_LIMITS } from './walk.js';

/**
 * Online sync of the feeds: each source's online part (`<feed>/sync.ts`) downloads what changed
 * to a temporary file and hands it to ingest(), the same path as `vigil db import` (mode `sync`),
 * so runs, counts, quarantine and idempotency are the same. A source that fails is reported
 * with the URL and status, its run is marked failed and its state is left where it was; the
 * other sources still run.
 */

export interface SyncDeps {
  readonly db: Database;
  readonly logger: Logger;
  readonly config: FeedSettings & Pick<Config, 'dataDir' | 'databaseUrl'>;
  /** The bus imports publish on (default: in-process). */
  readonly bus?: Bus | undefined;
}

export interface SyncOptions {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: SyncProgress) => void) | undefined;
  /** Default: Node's fetch with a `vigil/<version>` User-Agent and the default retries. */
  readonly http?: HttpClient | undefined;
  /** Where downloads go (default `<dataDir>/tmp`, or the system's temporary directory with a PostgreSQL server). */
  readonly tmpDir?: string | undefined;
  readonly jobId?: string | undefined;
  readonly nvd?: Partial<NvdSyncOptions> | undefined;
  readonly parsers?: readonly FeedParser[] | undefined;
}

export interface SourceReport {
  readonly source: FeedId;
  /** updated: something was ingested; unchanged: every check answered 304 or there was nothing new. */
  readonly status: 'updated' | 'unchanged' | 'failed' | 'cancelled';
  readonly runs: readonly { readonly runId: string; readonly counts: RunCounts }[];
  readonly downloads: readonly { readonly url: string; readonly bytes: number }[];
  readonly notModified: readonly string[];
  readonly records: number;
  /** Entries that could not be read, named by URL and entry. */
  readonly warnings: readonly FileError[];
  readonly error?: string | undefined;
  readonly durationMs: number;
}

export interface SyncReport {
  readonly sources: readonly SourceReport[];
  /** No source failed or was cancelled. */
  readonly ok: boolean;
  readonly durationMs: number;
}

/** Every feed's online part. The mapped type keeps it complete: a new FeedId needs its sync here. */
export const FEED_SYNCS: { readonly [K in FeedId]: (env: SyncEnv, opts: SyncOptions) => Promise<void> } = {
  cve5: (env) => syncCve5(env),
  osv: (env) => syncOsv(env),
  nvd: (env, opts) => syncNvd(env, opts.nvd),
  kev: (env) => syncKev(env),
  epss: (env) => syncEpss(env),
};

/** The URL a source starts from, for runs that never got further. */
export function sourceUrl(id: FeedId, s: FeedSettings): string {
  switch (id) {
    case 'cve5':
      return s.cveReleasesUrl;
    case 'osv':
      return s.osvUrl;
    case 'nvd':
      return s.nvdUrl;
    case 'kev':
      return s.kevUrl;
    case 'epss':
      return s.epssUrl;
  }
}

/** Where downloads are kept while they are ingested. */
export function syncTmpRoot(config: Pick<Config, 'dataDir' | 'databaseUrl'>): string {
  return config.databaseUrl || config.dataDir === 'memory://' ? tmpdir() : resolve(config.dataDir, 'tmp');
}

/** Syncs the given sources (all when empty) one after the other. */
export async function syncFeeds(deps: SyncDeps, sources: readonly FeedId[], opts: SyncOptions = {}): Promise<SyncReport> {
  const started = performance.now();
  const wanted = sources.length === 0 ? FEED_IDS : FEED_IDS.filter((id) => sources.includes(id));
  const root = opts.tmpDir ?? syncTmpRoot(deps.config);
  await mkdir(root, { recursive: true });
  const http = opts.http ?? createHttpClient();
  const reports: SourceReport[] = [];
  for (const id of wanted) {
    if (opts.signal?.aborted) break;
    const r = await syncOne(deps, id, { ...opts, http }, root);
    reports.push(r);
    if (r.status === 'failed') deps.logger.error({ source: id, error: r.error }, 'feed sync failed');
    else deps.logger.info({ source: id, status: r.status, records: r.records, runs: r.runs.length }, 'feed synced');
  }
  const ok = reports.length === wanted.length && reports.every((r) => r.status === 'updated' || r.status === 'unchanged');
  return { sources: reports, ok, durationMs: performance.now() - started };
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** True for a file error about the downloaded archive as a whole (or an archive inside it), not one entry. */
function wholeFileError(e: FileError, path: string): boolean {
  if (e.path === path) return true;
  if (!e.path.startsWith(`${path}!`)) return false;
  const rest = e.path.slice(path.length + 1);
  return /^[^!]+\.zip$/i.test(rest) && !rest.includes('/');
}

async function syncOne(deps: SyncDeps, id: FeedId, opts: SyncOptions & { readonly http: HttpClient }, root: string): Promise<SourceReport> {
  const started = performance.now();
  const workDir = await mkdtemp(join(root, `sync-${id}-`));
  const runs: { runId: string; counts: RunCounts }[] = [];
  const downloads: { url: string; bytes: number }[] = [];
  const notModified: string[] = [];
  const warnings: FileError[] = [];
  let records = 0;
  let lastUrl = sourceUrl(id, deps.config);
  /** Set when ingest() threw: it marks its own runs failed or cancelled. */
  let ingestThrew = false;
  const progress = (p: Omit<SyncProgress, 'source'>) => opts.onProgress?.({ source: id, ...p });

  const ingestPiece = async (path: string, label: string, o: IngestPieceOptions) => {
    const bytes = (await stat(path)).size;
    downloads.push({ url: label, bytes });
    let report: IngestReport;
    try {
      report = await ingest(deps.db, deps.logger, [path], {
        source: o.source,
        parsers: opts.parsers ?? FEED_PARSERS,
        mode: 'sync',
        jobId: opts.jobId,
        signal: opts.signal,
        bus: deps.bus,
        limits: { ...DEFAULT_LIMITS, tmpDir: workDir },
        onProgress: (p) => progress({ phase: 'ingest', item: label, records: p.records, invalid: p.invalid }),
      });
    } catch (err) {
      ingestThrew = true;
      throw err;
    }
    await deps.db.system(async (q) => {
      for (const r of report.runs) await relabelRunInput(q, r.runId, path, label);
    });
    runs.push(...report.runs.map((r) => ({ runId: r.runId, counts: r.counts })));
    records += report.records;
    const shown = (p: string) => (p.startsWith(path) ? `${label}${p.slice(path.length)}` : p);
    const whole = report.fileErrors.find((e) => wholeFileError(e, path));
    for (const e of report.fileErrors) {
      if (e === whole || wholeFileError(e, path)) continue;
      if (o.ignoreEntries?.test(e.path.slice(e.path.lastIndexOf('!') + 1))) continue;
      warnings.push({ path: shown(e.path), reason: e.reason });
    }
    if (whole) throw new FeedSyncError(label, `${shown(whole.path)}: ${whole.reason}`);
    return { records: report.records, invalid: report.runs.reduce((n, r) => n + r.counts.invalid, 0) };
  };

  const env: SyncEnv = {
    http: opts.http,
    settings: deps.config,
    signal: opts.signal,
    workDir,
    progress,
    downloadProgress: (url) => {
      lastUrl = url;
      return {
        onBytes: (bytes, total) => progress({ phase: 'download', item: url, bytes, totalBytes: total }),
        onWait: (ms, why) => progress({ phase: 'wait', item: url, message: `${why}: waiting ${Math.ceil(ms / 1000)} s` }),
      };
    },
    loadState: () => deps.db.system((q) => getFeedState(q, id)),
    saveState: (state) => deps.db.system((q) => putFeedState(q, id, state)),
    ingest: ingestPiece,
    notModified: (url) => {
      notModified.push(url);
    },
  };

  const report = (status: SourceReport['status'], error?: string): SourceReport => ({
    source: id,
    status,
    runs,
    downloads,
    notModified,
    records,
    warnings,
    error,
    durationMs: performance.now() - started,
  });

  try {
    await FEED_SYNCS[id](env, opts);
    if (runs.length > 0) return report('updated');
    // Nothing new: still record the sync, so `db status` shows when each source was last checked.
    const inputs = notModified.length > 0 ? notModified : [lastUrl];
    await deps.db.system(async (q) => finishRun(q, await startRun(q, id, 'sync', inputs, opts.jobId), 'succeeded', performance.now() - started, undefined, emptyCounts()));
    return report('unchanged');
  } catch (err) {
    const cancelled = opts.signal?.aborted === true;
    const message = cancelled ? `cancelled: ${errorText(opts.signal?.reason)}` : errorText(err);
    if (!ingestThrew) {
      await deps.db.system(async (q) => finishRun(q, await startRun(q, id, 'sync', [lastUrl], opts.jobId), cancelled ? 'cancelled' : 'failed', performance.now() - started, message, emptyCounts()));
    }
    return report(cancelled ? 'cancelled' : 'failed', message);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
