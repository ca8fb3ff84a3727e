import { basename, join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/config.js';
import { download, type DownloadResult, type HttpClient, type Validators } from './http.js';
import type { FeedId } from './types.js';

/**
 * The contract between the sync orchestrator (sync.ts) and each feed's online part
 * (`<feed>/sync.ts`). A feed's sync only talks HTTP through `env.http`, keeps its place through
 * `loadState`/`saveState`, and hands every downloaded file to `env.ingest`, the same pipeline
 * as `vigil db import`. It saves its state only after the piece it describes was ingested, so
 * a sync interrupted anywhere resumes where it left off.
 */

/** The settings the online parts read (URLs, key, limits). */
export type FeedSettings = Pick<Config, 'cveReleasesUrl' | 'githubToken' | 'osvUrl' | 'osvEcosystems' | 'nvdUrl' | 'nvdApiKey' | 'kevUrl' | 'epssUrl' | 'feedMaxDownload'>;

export interface SyncProgress {
  readonly source: FeedId;
  /** check: asking whether something changed; download: bytes arriving; ingest: records; wait: rate limit or backoff. */
  readonly phase: 'check' | 'download' | 'ingest' | 'wait';
  /** The URL (or file) being worked on. */
  readonly item: string;
  readonly bytes?: number | undefined;
  readonly totalBytes?: number | undefined;
  readonly records?: number | undefined;
  readonly invalid?: number | undefined;
  readonly message?: string | undefined;
}

export interface IngestPieceOptions {
  /** The parser to use, or `auto` to recognise each file (cvelistV5 zips also hold side files). */
  readonly source: FeedId | 'auto';
  /** Entries that are not records and are expected (cvelistV5's delta.json, deltaLog.json): not reported. */
  readonly ignoreEntries?: RegExp | undefined;
}

export interface PieceResult {
  readonly records: number;
  readonly invalid: number;
}

export interface SyncEnv {
  readonly http: HttpClient;
  readonly settings: FeedSettings;
  readonly signal: AbortSignal | undefined;
  /** A fresh directory for this source's downloads, deleted when its sync ends. */
  readonly workDir: string;
  progress(p: Omit<SyncProgress, 'source'>): void;
  /** Progress callbacks for a download of `url`, ready to pass to http.download(). */
  downloadProgress(url: string): { onBytes: (bytes: number, total: number | undefined) => void; onWait: (ms: number, why: string) => void };
  loadState(): Promise<unknown>;
  saveState(state: unknown): Promise<void>;
  /**
   * Ingests a downloaded file (mode `sync`), naming it by `label` (its URL) in the run and in
   * quarantine. Throws when the file as a whole could not be read: a damaged download must
   * not advance the state. Unreadable entries become warnings of the sync.
   */
  ingest(path: string, label: string, opts: IngestPieceOptions): Promise<PieceResult>;
  /** Records a URL that answered 304 Not Modified. */
  notModified(url: string): void;
}

/** A downloaded piece that could not be used (an unreadable archive, an unexpected answer). */
export class FeedSyncError extends Error {
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'FeedSyncError';
  }
}

/** One feed's online part. */
export type FeedSyncFn = (env: SyncEnv) => Promise<void>;

/** What a single-file source keeps: the validators of the copy it ingested, for that URL. */
export const fileStateSchema = z
  .object({ url: z.string(), etag: z.string().optional(), lastModified: z.string().optional(), syncedAt: z.string().optional() })
  .loose();
export type FileState = z.infer<typeof fileStateSchema>;

/** Reads a stored state with its schema; a missing or unreadable one means "start afresh". */
export function readState<T>(schema: z.ZodType<T>, raw: unknown): T | undefined {
  if (raw === undefined || raw === null) return undefined;
  const r = schema.safeParse(raw);
  return r.success ? r.data : undefined;
}

/** The file name to save a URL as: its own last path segment when it matches `expected`, else `fallback`. */
export function fileNameFor(url: string, expected: RegExp, fallback: string): string {
  let name: string;
  try {
    name = decodeURIComponent(basename(new URL(url).pathname));
  } catch {
    return fallback;
  }
  return expected.test(name) && /^[\w.@ -]+$/.test(name) ? name : fallback;
}

/**
 * Downloads `url` into the work directory unless the copy described by `previous` (for the
 * same URL) is still current: a conditional GET, so an unchanged file is not sent again.
 */
export async function fetchIfChanged(env: SyncEnv, url: string, fileName: string, previous: Validators | undefined): Promise<DownloadResult> {
  env.progress({ phase: 'check', item: url });
  const res = await download(env.http, url, join(env.workDir, fileName), {
    maxBytes: env.settings.feedMaxDownload,
    validators: previous,
    signal: env.signal,
    ...env.downloadProgress(url),
  });
  if (res.status === 'not-modified') env.notModified(url);
  return res;
}
