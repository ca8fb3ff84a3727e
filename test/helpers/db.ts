import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';

export interface TestDatabase {
  readonly db: Database;
  /** Drops what the test created (the schema on a server) and closes the handle. */
  cleanup(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file. With DATABASE_URL set (CI sets it) this is a
 * new schema on that real PostgreSQL server, selected through search_path, so test files run
 * in parallel without seeing each other; otherwise an in-memory PGlite.
 */
export async function testDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const url = process.env['DATABASE_URL'];
  if (!url) {
    const db = await openDatabase({ dataDir: 'memory://' });
    if (opts.migrate ?? true) await migrate(db);
    return { db, cleanup: () => db.close() };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const db = await openDatabase({ databaseUrl: url, poolSize: 4, pgOptions: `-c search_path=${schema}` });
  if (opts.migrate ?? true) await migrate(db);
  return {
    db,
    async cleanup() {
      await db.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    },
  };
}

export const usingServer = (): boolean => Boolean(process.env['DATABASE_URL']);
