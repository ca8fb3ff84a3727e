import type { Command } from 'commander';
import { ingest } from '../../feeds/ingest.js';
import { createEpssParser } from '../../feeds/epss/index.js';
import { FEED_PARSERS } from '../../feeds/registry.js';
import { syncFeeds, type SyncReport } from '../../feeds/sync.js';
import { FEED_IDS, type FeedId } from '../../feeds/types.js';
import { dbStatus } from '../../store/repos/feedRuns.js';
import { withContext } from '../context.js';
import { markCheckFailed, UsageError } from '../io.js';
import { progressReporter, syncProgressReporter } from '../progress.js';

/** `--source cve5 --source nvd` or `--source cve5,nvd`: checked against the feed ids. */
export function parseSources(values: readonly string[] | undefined): FeedId[] {
  const out: FeedId[] = [];
  for (const v of (values ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!(FEED_IDS as readonly string[]).includes(v)) throw new UsageError(`--source: expected one or more of ${FEED_IDS.join(', ')}, got "${v}"`);
    if (!out.includes(v as FeedId)) out.push(v as FeedId);
  }
  return out;
}

function printSyncReport(report: SyncReport): void {
  for (const s of report.sources) {
    const counts = s.runs.reduce((c, r) => ({ new: c.new + r.counts.new, updated: c.updated + r.counts.updated, invalid: c.invalid + r.counts.invalid }), { new: 0, updated: 0, invalid: 0 });
    const what =
      s.status === 'updated'
        ? `${s.records} records from ${s.downloads.length} download(s): ${counts.new} new, ${counts.updated} updated, ${counts.invalid} invalid`
        : s.status === 'unchanged'
          ? `unchanged${s.notModified.length > 0 ? ' (not modified since the last sync)' : ''}`
          : `${s.status.toUpperCase()}: ${s.error ?? ''}`;
    console.log(`${s.source}: ${what}`);
    for (const w of s.warnings) console.error(`vigil: warning: ${w.path}: ${w.reason}`);
  }
  console.error(`vigil: sync finished in ${(report.durationMs / 1000).toFixed(1)} s`);
}

export function registerDb(program: Command): void {
  const db = program.command('db').description('The vulnerability database: import or sync feeds, show status');
  db.command('import <paths...>')
    .description('Import CVE 5, OSV, NVD, KEV or EPSS files, directories and zip archives (formats auto-detected)')
    .option('--source <source>', `auto or one of ${FEED_IDS.join(', ')}`, 'auto')
    .option('--strict', 'exit 1 when any record or file was invalid')
    .option('--json', 'print the result as JSON on stdout')
    .option('--epss-date <date>', 'score date (YYYY-MM-DD) for EPSS files that carry none in a header or their name')
    .option('-q, --quiet', 'no progress output')
    .action(async (paths: string[], opts: { source: string; strict?: boolean; json?: boolean; quiet?: boolean; epssDate?: string }, cmd: Command) => {
      if (opts.epssDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(opts.epssDate)) throw new UsageError(`--epss-date: expected YYYY-MM-DD, got "${opts.epssDate}"`);
      const epssDate = opts.epssDate;
      const parsers = epssDate ? FEED_PARSERS.map((p) => (p.id === 'epss' ? createEpssParser({ defaultDate: epssDate }) : p)) : FEED_PARSERS;
      if (opts.source !== 'auto' && !(FEED_IDS as readonly string[]).includes(opts.source)) {
        throw new UsageError(`--source: expected auto or one of ${FEED_IDS.join(', ')}, got "${opts.source}"`);
      }
      const source = opts.source as FeedId | 'auto';
      const progress = progressReporter({ quiet: opts.quiet || opts.json });
      const report = await withContext(cmd, (ctx) => ingest(ctx.db, ctx.logger, paths, { source, parsers, bus: ctx.bus, onProgress: (p) => progress.update(p) })).finally(() => progress.stop());
      const invalid = report.runs.reduce((n, r) => n + r.counts.invalid, 0);
      const warnings = invalid + report.fileErrors.length;
      if (opts.json) {
        console.log(JSON.stringify({ ...report, warnings }));
      } else {
        for (const r of report.runs) {
          const c = r.counts;
          console.log(`${r.source}: ${c.new} new, ${c.updated} updated, ${c.unchanged} unchanged, ${c.rejected} rejected/withdrawn, ${c.invalid} invalid (run ${r.runId})`);
        }
        for (const e of report.fileErrors) console.error(`vigil: warning: ${e.path}: ${e.reason}`);
        console.error(`vigil: ${report.records} records from ${report.files} files in ${(report.durationMs / 1000).toFixed(1)} s` + (warnings ? `, ${warnings} warning(s): invalid records are listed by GET /api/v1/feeds/runs/{id}` : ''));
      }
      if (opts.strict && warnings > 0) markCheckFailed();
    });

  db.command('sync')
    .description('Download what changed in the feeds from their configured URLs and import it (resumes where the last sync stopped)')
    .option('--source <source...>', `only these sources (${FEED_IDS.join(', ')}); default all`)
    .option('--json', 'print the result as JSON on stdout')
    .option('-q, --quiet', 'no progress output')
    .action(async (opts: { source?: string[]; json?: boolean; quiet?: boolean }, cmd: Command) => {
      const sources = parseSources(opts.source);
      const progress = syncProgressReporter({ quiet: opts.quiet || opts.json });
      // Ctrl-C stops the sync cleanly (runs marked cancelled, state kept); a second one kills.
      const controller = new AbortController();
      const onSigint = () => controller.abort(new Error('interrupted'));
      process.once('SIGINT', onSigint);
      const report = await withContext(cmd, (ctx) => syncFeeds(ctx, sources, { signal: controller.signal, onProgress: (p) => progress.update(p) })).finally(() => {
        process.off('SIGINT', onSigint);
        progress.stop();
      });
      if (opts.json) console.log(JSON.stringify(report));
      else printSyncReport(report);
      if (!report.ok) {
        const failed = report.sources.filter((s) => s.status !== 'updated' && s.status !== 'unchanged').map((s) => `${s.source} (${s.status})`);
        throw new Error(`sync did not complete${failed.length > 0 ? ` for ${failed.join(', ')}` : ''}; the next sync resumes where it stopped`);
      }
    });

  db.command('status')
    .description('Record counts per source and the last run of each')
    .option('--json', 'as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const s = await withContext(cmd, (ctx) => ctx.db.system(dbStatus));
      if (opts.json) {
        console.log(JSON.stringify(s));
        return;
      }
      for (const src of ['cve5', 'osv', 'nvd']) console.log(`${src.padEnd(5)} ${String(s.advisories[src] ?? 0).padStart(8)} advisories`);
      console.log(`kev   ${String(s.kev).padStart(8)} entries`);
      console.log(`epss  ${String(s.epss).padStart(8)} scores${s.epssDate ? ` (${s.epssDate})` : ''}`);
      for (const r of s.lastRuns) console.log(`last ${r.source} ${r.mode}: ${r.status} at ${r.startedAt}, ${r.new} new, ${r.updated} updated, ${r.invalid} invalid`);
    });
}
