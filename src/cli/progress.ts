import cliProgress from 'cli-progress';
import type { IngestProgress } from '../feeds/ingest.js';

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
  const bar = new cliProgress.SingleBar(
    { stream, format: '{records} records | {files} files | {rate} records/s | {invalid} invalid | {current}', hideCursor: true, clearOnComplete: true, fps: 5 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(p) {
      const payload = { records: p.records, files: p.files, rate: rate(p), invalid: p.invalid, current: p.current.length > 60 ? `…${p.current.slice(-59)}` : p.current };
      if (!started) {
        bar.start(0, 0, payload);
        started = true;
      } else bar.update(0, payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
