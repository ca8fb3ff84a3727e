import type { Command } from 'commander';
import { mergedAdvisory, searchAdvisories } from '../../store/repos/advisoryQueries.js';
import { withContext } from '../context.js';
import { UsageError } from '../io.js';

export function registerAdvisory(program: Command): void {
  const adv = program.command('advisory').description('Look up vulnerabilities in the local database');
  adv
    .command('show <id>')
    .description('One vulnerability merged across its aliases (CVE, GHSA, PYSEC, GO, RUSTSEC, ALSA, ...)')
    .option('--json', 'as JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const a = await withContext(cmd, (ctx) => ctx.db.system((q) => mergedAdvisory(q, id)));
      if (!a) throw new UsageError(`no advisory ${id} in the database (import feeds with: vigil db import PATH)`);
      if (opts.json) {
        console.log(JSON.stringify(a));
        return;
      }
      const best = [...a.cvss].sort((x, y) => (y.score ?? -1) - (x.score ?? -1))[0];
      console.log(`${a.id}${a.aliases.length ? ` (${a.aliases.join(', ')})` : ''}${a.rejected ? '  [REJECTED]' : ''}${a.withdrawn ? '  [WITHDRAWN]' : ''}`);
      if (a.summary) console.log(a.summary);
      console.log(`severity: ${a.severity}${best ? `  CVSS ${best.version} ${best.score ?? '?'} ${best.vector} (${best.source})` : ''}`);
      if (a.kev) console.log(`KEV: added ${a.kev.dateAdded}, due ${a.kev.dueDate}, ransomware: ${a.kev.knownRansomwareCampaignUse}`);
      if (a.epss) console.log(`EPSS: ${a.epss.score} (percentile ${a.epss.percentile}, ${a.epss.date})`);
      if (a.cwes.length) console.log(`CWE: ${a.cwes.join(', ')}`);
      console.log(`published ${a.published ?? '?'}, modified ${a.modified}; records: ${a.records.map((r) => `${r.source}:${r.id}`).join(', ')}`);
      if (a.description && a.description !== a.summary) console.log(`\n${a.description}`);
    });

  adv
    .command('search <query>')
    .description('Full-text search over titles and descriptions (or an exact id)')
    .option('--limit <n>', 'most results', '20')
    .option('--json', 'as JSON')
    .action(async (query: string, opts: { limit: string; json?: boolean }, cmd: Command) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit: expected a whole number from 1 to 500');
      const looksLikeId = /^[A-Za-z]+-[\w.:-]+$/.test(query) && /\d/.test(query);
      const page = await withContext(cmd, (ctx) =>
        ctx.db.system((q) => searchAdvisories(q, looksLikeId ? { id: query } : { q: query }, { limit, sort: 'published', desc: true })),
      );
      if (opts.json) {
        console.log(JSON.stringify(page.items));
        return;
      }
      for (const i of page.items) {
        console.log([i.id, i.severity.padEnd(8), i.cvssScore ?? '-', i.kev ? 'KEV' : '-', i.published?.slice(0, 10) ?? '-', i.title ?? ''].join('\t'));
      }
      if (page.items.length === 0) console.error('vigil: no matches');
    });
}
