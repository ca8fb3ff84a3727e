import cliProgress from 'cli-progress';
import type { IngestProgress } from '../feeds/ingest.js';
import type { SyncProgress } from '../feeds/source.js';

/**
 * Progress for long imports on stderr: a live bar with records/s on a terminal, plain
 * periodic lines otherwise (CI logs), nothing with --quiet.
 */
export interface ProgressReporter {
  update(p: IngestProgress): void;
  stop(): void;
}

export function progressReporter(opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): ProgressReporter {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { update: () => undefined, stop: () => undefined };
  const rate = (p: IngestProgress) => Math.round(p.records / Math.max(p.elapsedMs / 1000, 0.001));
  if (!stream.isTTY) {
    let last = 0;
    return {
      update(p) {
        if (p.elapsedMs - last < 5000) return;
        last = p.elapsedMs;
        stream.write(`vigil: ${p.records} records (${p.invalid} invalid) from ${p.files} files, ${rate(p)} records/s, reading ${p.current}\n`);
      },
      stop: () => undefined,
    };
  }
  const current = (c: string) => (c.length > 60 ? `…${c.slice(-59)}` : c);
  return liveBar<IngestProgress>(stream, '{records} records | {files} files | {rate} records/s | {invalid} invalid | {current}', (p) => ({
    records: p.records, files: p.files, rate: rate(p), invalid: p.invalid, current: current(p.current),
  }));
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** One line about a sync's progress: the source, what it does and how far it got. */
export function syncProgressLine(p: SyncProgress): string {
  const item = p.item.length > 70 ? `…${p.item.slice(-69)}` : p.item;
  switch (p.phase) {
    case 'check':
      return `${p.source}: checking ${item}${p.message ? ` (${p.message})` : ''}`;
    case 'download':
      return `${p.source}: downloading ${item}: ${mib(p.bytes ?? 0)}${p.totalBytes ? ` of ${mib(p.totalBytes)}` : ''}`;
    case 'ingest':
      return `${p.source}: ${p.records ?? 0} records (${p.invalid ?? 0} invalid) from ${item}`;
    case 'wait':
      return `${p.source}: ${p.message ?? 'waiting'}`;
  }
}

export interface SyncProgressReporter {
  update(p: SyncProgress): void;
  stop(): void;
}

/**
 * Progress of `vigil db sync` on stderr: one live line on a terminal, a line every few
 * seconds (and at each change of phase) otherwise, nothing with --quiet.
 */
export function syncProgressReporter(opts: { quiet?: boolean; stream?: NodeJS.WriteStream; intervalMs?: number } = {}): SyncProgressReporter {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { update: () => undefined, stop: () => undefined };
  if (!stream.isTTY) {
    let last = 0;
    let lastKey = '';
    return {
      update(p) {
        const now = Date.now();
        const key = `${p.source}:${p.phase}:${p.item}`;
        if (key === lastKey && now - last < (opts.intervalMs ?? 5000)) return;
        last = now;
        lastKey = key;
        stream.write(`vigil: ${syncProgressLine(p)}\n`);
      },
      stop: () => undefined,
    };
  }
  return liveBar<SyncProgress>(stream, '{line}', (p) => ({ line: syncProgressLine(p) }));
}

/** A live one-line bar on a terminal, started on the first update. */
function liveBar<P>(stream: NodeJS.WriteStream, format: string, payload: (p: P) => Record<string, unknown>): { update(p: P): void; stop(): void } {
  const bar = new cliProgress.SingleBar({ stream, format, hideCursor: true, clearOnComplete: true, fps: 5 }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(p) {
      if (!started) {
        bar.start(0, 0, payload(p));
        started = true;
      } else bar.update(0, payload(p));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
