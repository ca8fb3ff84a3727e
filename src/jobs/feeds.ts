import { z } from 'zod';
import type { SyncDeps, SyncOptions, SyncReport } from '../feeds/sync.js';
import type { SyncProgress } from '../feeds/source.js';
import { FEED_IDS } from '../feeds/types.js';
import type { Schedule } from './cron.js';
import { defineHandler, JobError, type JobHandler } from './handlers.js';

export const FEEDS_SYNC = 'feeds.sync';

/**
 * A source that failed because its host could not be reached at all (DNS, refused, unreachable,
 * timed out) rather than answering badly. The wording is feeds/http.ts's (`network error: …`).
 */
const UNREACHABLE = /network error: /;

/**
 * When every failed source failed because no host could be reached (an air-gapped or offline
 * server), a message saying so: retrying the job would fail the same way.
 */
export function offlineFailure(report: SyncReport): string | undefined {
  const failed = report.sources.filter((s) => s.status === 'failed');
  if (failed.length === 0 || failed.length < report.sources.length || !failed.every((s) => UNREACHABLE.test(s.error ?? ''))) return undefined;
  return `no feed host could be reached (${failed.map((s) => s.source).join(', ')}): this server looks offline or air-gapped. Import feed files with \`vigil db import <files>\` instead, or point VIGIL_*_URL at a reachable mirror`;
}

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
 * imports it, with progress and cancellation. Enqueued by `VIGIL_FEED_SYNC_CRON` when set (a
 * system job), by an operator, or by a tenant's admin (POST /api/v1/jobs, through
 * jobs/feedSync.ts: the advisory database is shared, so one sync at a time for the whole
 * server; `maxRunning: 1` holds that across workers too). Idempotent and resumable: each
 * source keeps its place in feed_state, so a retry goes on where the failed attempt stopped.
 * A server that reaches no feed host fails the job at once, without retries (offlineFailure).
 */
export function feedHandlers(deps: SyncDeps, extra: Pick<SyncOptions, 'http' | 'tmpDir' | 'nvd'> = {}): JobHandler[] {
  return [
    defineHandler({
      type: FEEDS_SYNC,
      description: 'Download what changed in the vulnerability feeds (CVE 5, OSV, NVD, KEV, EPSS) and import it',
      timeoutSeconds: 12 * 3600,
      maxRunning: 1,
      enqueueableByTenant: true,
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
          const offline = offlineFailure(report);
          if (offline) throw new JobError(`feed sync failed: ${offline}`, { result: summary, retryable: false });
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
