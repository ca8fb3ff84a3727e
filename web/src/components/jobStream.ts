import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { components } from '../api/schema';

export type Job = components['schemas']['Job'];
type JobPage = { items: Job[]; nextCursor: string | null };

/** live: the event stream is open; polling: it failed and the list is polled until it reopens. */
export type StreamMode = 'connecting' | 'live' | 'polling';

export const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);

/** How fast a job advances, from the progress events seen (per second), and when it should end. */
export interface Rate {
  readonly perSecond: number;
  readonly etaSeconds: number | null;
}

interface Sample {
  readonly done: number;
  readonly total: number | null;
  readonly at: number;
  readonly perSecond: number | null;
}

/**
 * Puts a job from the stream into every cached page of `GET /jobs`: replaces it where it is
 * (unless the cached copy is newer), or adds a new job at the top of the first page. Pages
 * filtered by status drop a job that no longer matches.
 */
export function applyJob(qc: QueryClient, job: Job): void {
  for (const [key, page] of qc.getQueriesData<JobPage>({ queryKey: ['jobs'] })) {
    if (!page) continue;
    const params = (key[1] ?? {}) as { cursor?: string; status?: string; type?: string };
    const i = page.items.findIndex((j) => j.id === job.id);
    const matches = (!params.status || params.status === job.status) && (!params.type || params.type === job.type);
    let items: Job[] | undefined;
    if (i >= 0) {
      if (page.items[i]!.updatedAt > job.updatedAt) continue;
      items = matches ? page.items.map((j, n) => (n === i ? job : j)) : page.items.filter((_, n) => n !== i);
    } else if (matches && !params.cursor) {
      items = [job, ...page.items];
    }
    if (items) qc.setQueryData<JobPage>(key, { ...page, items });
  }
}

/**
 * Follows `GET /api/v1/jobs/events` with an EventSource while `enabled`: every `job` event goes
 * into the cached job lists (no refetch), a `resync` event reloads them. When the stream fails
 * the mode turns to `polling` (the page then polls the list); the browser reconnects by itself
 * after a network error, and a stream the server refused (401 after the session expired, 429,
 * 503) is opened again after 30 s. Also keeps a rate per job from its progress events.
 */
export function useJobStream(enabled: boolean): { mode: StreamMode; rates: ReadonlyMap<string, Rate> } {
  const qc = useQueryClient();
  const [mode, setMode] = useState<StreamMode>('connecting');
  const samples = useRef(new Map<string, Sample>());
  const [rates, setRates] = useState<ReadonlyMap<string, Rate>>(new Map());

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') {
      setMode('polling');
      return;
    }
    let source: EventSource | undefined;
    let reopen: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    /** The stream failed since it last opened: the list may have missed changes. */
    let missed = false;

    const track = (job: Job): void => {
      const p = job.progress;
      const at = Date.parse(job.updatedAt);
      const prev = samples.current.get(job.id);
      if (!p || FINISHED.has(job.status)) {
        if (samples.current.delete(job.id)) setRates((r) => withoutKey(r, job.id));
        return;
      }
      let perSecond: number | null = prev?.perSecond ?? null;
      if (prev && prev.total === p.total && p.done >= prev.done && at > prev.at) {
        const now = ((p.done - prev.done) * 1000) / (at - prev.at);
        // Smoothed, so one slow batch does not swing the estimate.
        perSecond = perSecond === null ? now : 0.6 * now + 0.4 * perSecond;
      } else if (prev && (prev.total !== p.total || p.done < prev.done)) {
        perSecond = null; // a new phase (e.g. download → import): start over
      }
      samples.current.set(job.id, { done: p.done, total: p.total, at, perSecond });
      if (perSecond !== null && perSecond > 0) {
        const eta = p.total !== null && p.total >= p.done ? (p.total - p.done) / perSecond : null;
        setRates((r) => new Map(r).set(job.id, { perSecond, etaSeconds: eta }));
      }
    };

    const open = (): void => {
      if (stopped) return;
      const es = new EventSource('/api/v1/jobs/events');
      source = es;
      es.onopen = () => {
        if (missed) void qc.invalidateQueries({ queryKey: ['jobs'] });
        missed = false;
        setMode('live');
      };
      es.addEventListener('job', (e) => {
        let job: Job;
        try {
          job = JSON.parse((e as MessageEvent<string>).data) as Job;
        } catch {
          return;
        }
        applyJob(qc, job);
        track(job);
        if (FINISHED.has(job.status)) {
          // What a finished job changed: feed runs after a sync, targets after a scan.
          if (job.type === 'feeds.sync') void qc.invalidateQueries({ queryKey: ['feed-runs'] });
          if (job.type === 'posture.collect') void qc.invalidateQueries({ queryKey: ['scan-targets'] });
        }
      });
      es.addEventListener('resync', () => void qc.invalidateQueries({ queryKey: ['jobs'] }));
      es.onerror = () => {
        missed = true;
        setMode('polling');
        if (es.readyState === EventSource.CLOSED) {
          // Refused (not a dropped connection): the browser will not retry by itself.
          es.close();
          reopen = setTimeout(open, 30_000);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      if (reopen) clearTimeout(reopen);
      source?.close();
    };
  }, [enabled, qc]);

  return { mode, rates };
}

function withoutKey<V>(m: ReadonlyMap<string, V>, key: string): ReadonlyMap<string, V> {
  const next = new Map(m);
  next.delete(key);
  return next;
}

/** 95 → "1 min 35 s". */
export function fmtDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** 1234.5 → "1.2k". */
export function fmtRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n >= 10 ? n.toFixed(0) : n.toFixed(1);
}
