import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { download, SlidingWindowLimiter } from '../http.js';
import { FeedSyncError, readState, type SyncEnv } from '../source.js';

/**
 * Online: the NVD CVE API 2.0 (`nvdUrl`), within NVD's published limits: 5 requests per
 * rolling 30 seconds without an API key, 50 with one (`nvdApiKey`, sent as the `apiKey`
 * header), counted from when each request finished, retries included.
 *
 * First sync: every CVE, page by page (`startIndex`, `resultsPerPage` up to 2,000). Later syncs
 * (the first of them starting from when that load began): what changed since the last one, in
 * `lastModStartDate`/`lastModEndDate` windows of at most 120 days, paged the same way. Each page
 * is ingested like an imported file, and only then is the place (mode, window, next
 * startIndex) saved, so an interrupted sync resumes at the page it had not finished.
 */

export interface NvdSyncOptions {
  /** Requests per rolling window (default 5, or 50 with an API key: NVD's published limits). */
  readonly requestsPerWindow?: number;
  readonly windowMs: number;
  readonly pageSize: number;
  readonly maxWindowDays: number;
}

export const NVD_DEFAULTS: NvdSyncOptions = { windowMs: 30_000, pageSize: 2000, maxWindowDays: 120 };
export const NVD_LIMIT_WITHOUT_KEY = 5;
export const NVD_LIMIT_WITH_KEY = 50;

const PAGE_MAX_BYTES = 256 * 1024 * 1024;
const DAY_MS = 86_400_000;

const windowSchema = z.object({ start: z.string(), end: z.string() });
const nvdState = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('full'), url: z.string(), fullStartedAt: z.string(), startIndex: z.number().int().min(0) }).loose(),
  z.object({ mode: z.literal('incremental'), url: z.string(), since: z.string(), window: windowSchema.optional(), startIndex: z.number().int().min(0) }).loose(),
]);
type NvdState = z.infer<typeof nvdState>;
export type NvdWindow = z.infer<typeof windowSchema>;

const pageHead = z.object({ totalResults: z.number().int().min(0), startIndex: z.number().int().min(0), vulnerabilities: z.array(z.unknown()) }).loose();

/** NVD's date form: milliseconds and an explicit offset (it refuses dates without one). */
export const nvdDate = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

/** Splits [since, until] into consecutive windows of at most `maxDays` (each starts where the last ended). */
export function nvdWindows(sinceMs: number, untilMs: number, maxDays: number): NvdWindow[] {
  const out: NvdWindow[] = [];
  for (let start = sinceMs; start < untilMs; start = Math.min(start + maxDays * DAY_MS, untilMs)) {
    out.push({ start: nvdDate(start), end: nvdDate(Math.min(start + maxDays * DAY_MS, untilMs)) });
  }
  return out;
}

export function nvdPageUrl(base: string, startIndex: number, pageSize: number, window?: NvdWindow): string {
  const u = new URL(base);
  if (window) {
    u.searchParams.set('lastModStartDate', window.start);
    u.searchParams.set('lastModEndDate', window.end);
  }
  u.searchParams.set('resultsPerPage', String(pageSize));
  u.searchParams.set('startIndex', String(startIndex));
  return u.href;
}

export async function syncNvd(env: SyncEnv, options: Partial<NvdSyncOptions> = {}): Promise<void> {
  const o = { ...NVD_DEFAULTS, ...options };
  const key = env.settings.nvdApiKey;
  const limiter = new SlidingWindowLimiter(env.http.clock, o.requestsPerWindow ?? (key ? NVD_LIMIT_WITH_KEY : NVD_LIMIT_WITHOUT_KEY), o.windowMs);
  const base = env.settings.nvdUrl;
  const now = env.http.clock.now();
  const stored = readState(nvdState, await env.loadState());
  let state: NvdState = stored?.url === base ? stored : { mode: 'full', url: base, fullStartedAt: nvdDate(now), startIndex: 0 };
  let pageNo = 0;

  /** Fetches and ingests the pages of one query from `startIndex`, saving the place after each. */
  const pages = async (window: NvdWindow | undefined, startIndex: number, save: (next: number) => NvdState): Promise<void> => {
    for (let index = startIndex; ; ) {
      const url = nvdPageUrl(base, index, o.pageSize, window);
      env.progress({ phase: 'check', item: url, message: window ? `modified ${window.start} .. ${window.end}` : 'full load' });
      const res = await download(env.http, url, join(env.workDir, `nvd-page-${++pageNo}.json`), {
        maxBytes: Math.min(PAGE_MAX_BYTES, env.settings.feedMaxDownload),
        signal: env.signal,
        limiter,
        headers: { accept: 'application/json', ...(key ? { apiKey: key } : {}) },
        ...env.downloadProgress(url),
      });
      if (res.status === 'not-modified') throw new FeedSyncError(url, `${url}: 304 Not Modified to an unconditional request`);
      let head: z.infer<typeof pageHead>;
      try {
        const parsed = pageHead.safeParse(JSON.parse(await readFile(res.path, 'utf8')));
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'unexpected shape');
        head = parsed.data;
      } catch (err) {
        await unlink(res.path).catch(() => undefined);
        throw new FeedSyncError(url, `${url}: not an NVD CVE API 2.0 page: ${(err as Error).message}`);
      }
      try {
        await env.ingest(res.path, url, { source: 'nvd' });
      } finally {
        await unlink(res.path).catch(() => undefined);
      }
      const next = index + head.vulnerabilities.length;
      const done = next >= head.totalResults || head.vulnerabilities.length === 0;
      state = save(done ? -1 : next);
      await env.saveState(state);
      if (done) return;
      index = next;
    }
  };

  if (state.mode === 'full') {
    const started = state.fullStartedAt;
    await pages(undefined, state.startIndex, (next) =>
      next < 0 ? { mode: 'incremental', url: base, since: started, startIndex: 0 } : { mode: 'full', url: base, fullStartedAt: started, startIndex: next },
    );
  }
  if (state.mode !== 'incremental') return;
  if (state.window) {
    const w = state.window;
    await pages(w, state.startIndex, (next) => (next < 0 ? { mode: 'incremental', url: base, since: w.end, startIndex: 0 } : { mode: 'incremental', url: base, since: w.start, window: w, startIndex: next }));
  }
  if (state.mode !== 'incremental') return;
  for (const w of nvdWindows(Date.parse(state.since), now, o.maxWindowDays)) {
    await pages(w, 0, (next) => (next < 0 ? { mode: 'incremental', url: base, since: w.end, startIndex: 0 } : { mode: 'incremental', url: base, since: w.start, window: w, startIndex: next }));
  }
}
