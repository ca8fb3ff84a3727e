import { z } from 'zod';
import type { SyncDeps, SyncOptions, SyncReport } from '../feeds/sync.js';
import type { SyncProgress } from '../feeds/source.js';
import { FEED_IDS } from '../feeds/types.js';
import type { Schedule } from './cron.js';
import { defineHandler, JobError, type JobHandler } from './handlers.js';

export const FEEDS_SYNC = 'feeds.sync';

/** How often a sync's progress is passed on to the job (the runner also throttles its writes). */
const PROGRESS_EVERY_MS = 1000;

/** The job's result: what each source did, without the per-run detail. */
export function syncSummary(report: SyncReport) {
  return {
    ok: report.ok,
    durationMs: Math.round(report.durationMs),
    sources: report.sources.map((s) => ({
      source: s.source,
      status: s.status,
      records: s.records,
      runs: s.runs.map((r) => r.runId),
      downloads: s.downloads.length,
      notModified: s.notModified.length,
      warnings: s.warnings.length,
      ...(s.error ? { error: s.error } : {}),
    })),
  };
}

export function describeProgress(p: SyncProgress): { done: number; total?: number; message: string } {
  switch (p.phase) {
    case 'download':
      return { done: p.bytes ?? 0, ...(p.totalBytes === undefined ? {} : { total: p.totalBytes }), message: `${p.source}: downloading ${p.item}` };
    case 'ingest':
      return { done: p.records ?? 0, message: `${p.source}: ${p.records ?? 0} records from ${p.item}` };
    case 'wait':
      return { done: 0, message: `${p.source}: ${p.message ?? 'waiting'}` };
    case 'check':
      return { done: 0, message: `${p.source}: checking ${p.item}${p.message ? ` (${p.message})` : ''}` };
  }
}

/**
 * `feeds.sync`: downloads what changed in the given feeds (all when `sources` is empty) and
 * imports it, with progress and cancellation. A system job: enqueued by `VIGIL_FEED_SYNC_CRON`
 * when set, or by an operator. Idempotent and resumable: each source keeps its place in
 * feed_state, so a retry goes on where the failed attempt stopped.
 */
export function feedHandlers(deps: SyncDeps, extra: Pick<SyncOptions, 'http' | 'tmpDir' | 'nvd'> = {}): JobHandler[] {
  return [
    defineHandler({
      type: FEEDS_SYNC,
      description: 'Download what changed in the vulnerability feeds (CVE 5, OSV, NVD, KEV, EPSS) and import it',
      timeoutSeconds: 12 * 3600,
      payload: z.object({ sources: z.array(z.enum(FEED_IDS)).max(FEED_IDS.length).default([]) }).strict(),
      async run({ job, payload, signal, progress }) {
        let last = 0;
        // Loaded on first use: the sync clients (and the parsers behind them) stay out of start-up.
        const { syncFeeds } = await import('../feeds/sync.js');
        const report = await syncFeeds(deps, payload.sources, {
          ...extra,
          signal,
          jobId: job.id,
          onProgress: (p) => {
            const now = Date.now();
            if (now - last < PROGRESS_EVERY_MS) return;
            last = now;
            const d = describeProgress(p);
            void progress(d.done, d.total, d.message).catch(() => undefined);
          },
        });
        signal.throwIfAborted();
        const summary = syncSummary(report);
        if (!report.ok) {
          const failed = report.sources.filter((s) => s.status === 'failed');
          throw new JobError(`feed sync failed: ${failed.map((s) => `${s.source}: ${s.error ?? 'failed'}`).join('; ')}`, { result: summary });
        }
        await progress(report.sources.length, report.sources.length, 'done');
        return summary;
      },
    }),
  ];
}

/** The scheduled sync: none unless `VIGIL_FEED_SYNC_CRON` is set (Vigil never reaches the network unasked). */
export function feedSchedules(cron: string | undefined): Schedule[] {
  return cron ? [{ name: FEEDS_SYNC, cron, jobType: FEEDS_SYNC, description: 'Sync every feed (VIGIL_FEED_SYNC_CRON)' }] : [];
}
