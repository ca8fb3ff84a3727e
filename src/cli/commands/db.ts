import type { Command } from 'commander';
import { ingest } from '../../feeds/ingest.js';
import { createEpssParser } from '../../feeds/epss/index.js';
import { FEED_PARSERS } from '../../feeds/registry.js';
import { FEED_IDS, type FeedId } from '../../feeds/types.js';
import { dbStatus } from '../../store/repos/feedRuns.js';
import { withContext } from '../context.js';
import { markCheckFailed, UsageError } from '../io.js';
import { progressReporter } from '../progress.js';

export function registerDb(program: Command): void {
  const db = program.command('db').description('The vulnerability database: import feeds, show status');
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
      const report = await withContext(cmd, (ctx) => ingest(ctx.db, ctx.logger, paths, { source, parsers, onProgress: (p) => progress.update(p) })).finally(() => progress.stop());
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
