import type { Command } from 'commander';
import { verifyAuditChain } from '../../audit/verify.js';
import { withContext } from '../context.js';
import { markCheckFailed } from '../io.js';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('Audit log');
  audit
    .command('verify')
    .description('Check the audit hash chain; exit 1 if any record was changed, removed or cut off')
    .option('--checkpoint', 'when the chain is intact, record its head so a later cut-off tail is detected')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { checkpoint?: boolean; json?: boolean }, cmd: Command) => {
      const result = await withContext(cmd, (ctx) => verifyAuditChain(ctx.db, { checkpoint: opts.checkpoint ?? false }));
      if (opts.json) console.log(JSON.stringify(result));
      else if (result.ok) console.log(`audit chain intact: ${result.checked} records${result.head ? `, head #${result.head.seq} ${result.head.hash}` : ''}`);
      else {
        console.log(`audit chain BROKEN: ${result.problems.length} problem(s) in ${result.checked} records`);
        for (const p of result.problems) console.log(`  #${p.seq}: ${p.reason}`);
      }
      if (!result.ok) markCheckFailed();
    });
}
