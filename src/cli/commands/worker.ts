import type { Command } from 'commander';
import { createContext } from '../../app/context.js';
import { configFor } from '../context.js';
import { UsageError } from '../io.js';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('Run only the job runner (no HTTP): on a PostgreSQL server, as many workers as you like, on any machine')
    .option('--concurrency <n>', 'jobs run at once (env VIGIL_WORKER_CONCURRENCY, default 2)')
    .action(async (opts: { concurrency?: string }, cmd: Command) => {
      if (opts.concurrency !== undefined && !/^[1-9][0-9]{0,3}$/.test(opts.concurrency)) {
        throw new UsageError(`worker: --concurrency must be a whole number from 1 to 9999, not "${opts.concurrency}"`);
      }
      const config = await configFor(cmd, { workerConcurrency: opts.concurrency });
      if (config.workerConcurrency < 1) throw new UsageError('worker: the worker concurrency (VIGIL_WORKER_CONCURRENCY) must be at least 1');
      const ctx = await createContext(config);
      const runner = ctx.jobs.runner({ concurrency: config.workerConcurrency });
      const stopped = new Promise<string>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      runner.start();
      console.error(
        `vigil: worker ${runner.workerId} running ${config.workerConcurrency} job(s) at once (database: ${
          ctx.db.kind === 'pglite' ? `embedded, ${config.dataDir}; no other process may open it meanwhile` : 'PostgreSQL server'
        }); Ctrl-C stops it`,
      );
      const signal = await stopped;
      ctx.logger.info({ signal }, 'worker shutting down');
      // A second signal while jobs finish stops at once; their leases expire and they run again elsewhere.
      const force = () => process.exit(1);
      process.once('SIGINT', force);
      process.once('SIGTERM', force);
      await runner.stop();
      await ctx.db.close();
      process.removeListener('SIGINT', force);
      process.removeListener('SIGTERM', force);
    });
}
