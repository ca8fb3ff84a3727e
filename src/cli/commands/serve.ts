import type { Command } from 'commander';
import { ensureFirstAdmin } from '../../app/bootstrap.js';
import { createContext } from '../../app/context.js';
import { stopTracing } from '../../observability/tracing.js';
import { buildApp } from '../../server/app.js';
import { configFor } from '../context.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the API server (and, with VIGIL_WORKER_CONCURRENCY > 0, the job runner)')
    .option('-p, --port <port>', 'HTTP port (env PORT, default 8080)')
    .option('--host <host>', 'address to listen on (env HOST, default localhost)')
    .option('--demo', 'load demo data into the default tenant first (env VIGIL_DEMO; see docs/demo.md)')
    .action(async (opts: { port?: string; host?: string; demo?: boolean }, cmd: Command) => {
      const t0 = performance.now();
      const config = await configFor(cmd, { port: opts.port, host: opts.host, ...(opts.demo ? { demo: true } : {}) });
      const ctx = await createContext(config);
      const boot = await ensureFirstAdmin(ctx.db, config);
      if (boot.created) {
        if (boot.oneTimePassword) {
          // Printed once, to the terminal only (never to the JSON log); it must be changed at first login.
          console.error(`\nvigil: created the first admin ${boot.email} with the one-time password:\n\n    ${boot.oneTimePassword}\n\nIt is shown only now and must be changed at first login (POST /api/v1/auth/password).\n`);
        } else {
          ctx.logger.info({ email: boot.email }, 'created the first admin from VIGIL_ADMIN_EMAIL / VIGIL_ADMIN_PASSWORD');
        }
      }
      if (config.demo) {
        // Only when asked (--demo or VIGIL_DEMO): loaded on first use, never otherwise.
        const { loadDemo, resolveDemoSource } = await import('../../demo/load.js');
        const where = resolveDemoSource(config.demoData);
        const say = (line: string) => console.error(`vigil: demo: ${line}`);
        const r = await loadDemo({ db: ctx.db, logger: ctx.logger, objects: ctx.objects, uploadLimit: config.uploadLimit, say }, where);
        ctx.logger.warn({ source: r.source, root: r.root, tenant: r.tenant, skipped: r.skipped, durationMs: Math.round(r.durationMs) }, 'DEMO MODE: demo data loaded into this database');
        say(`${r.skipped ? 'demo data was already loaded' : 'DEMO DATA LOADED'} into tenant "${r.tenant}" in ${(r.durationMs / 1000).toFixed(1)} s (source: ${r.source === 'builtin' ? 'built-in sample' : r.root})`);
      }
      const app = await buildApp(ctx);
      const runner = config.workerConcurrency > 0 ? ctx.jobs.runner({ concurrency: config.workerConcurrency, abortGraceMs: 2000 }) : undefined;
      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        ctx.logger.info({ signal }, 'shutting down');
        const force = setTimeout(() => process.exit(1), 10_000);
        force.unref();
        // Running jobs get 5 s to finish, then 2 s to heed their signal, within the 10 s; any
        // still running go back to the queue for the next process.
        await Promise.all([app.close(), runner?.stop(5_000)]);
        await ctx.db.close();
        await stopTracing();
        process.exit(0);
      };
      process.once('SIGINT', (s) => void shutdown(s));
      process.once('SIGTERM', (s) => void shutdown(s));
      const address = await app.listen({ port: config.port, host: config.host });
      runner?.start();
      ctx.logger.info({ address, database: ctx.db.kind, readyMs: Math.round(performance.now() - t0) }, 'vigil ready');
      console.error(`vigil: serving on ${address} (database: ${ctx.db.kind === 'pglite' ? `embedded, ${config.dataDir}` : 'PostgreSQL server'})`);
    });
}
