import type { Command } from 'commander';
import { openDatabase } from '../../store/db.js';
import { migrate, migrationStatus } from '../../store/migrate.js';
import { configFor } from '../context.js';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (serve and worker also do this at start)')
    .option('--status', 'only list applied and pending migrations')
    .action(async (opts: { status?: boolean }, cmd: Command) => {
      const config = await configFor(cmd);
      const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
      try {
        if (opts.status) {
          const s = await migrationStatus(db);
          console.log(JSON.stringify(s));
          return;
        }
        const applied = await migrate(db);
        console.error(applied.length ? `vigil: applied migrations ${applied.join(', ')}` : 'vigil: database is up to date');
      } finally {
        await db.close();
      }
    });
}
