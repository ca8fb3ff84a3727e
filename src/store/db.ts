import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';

export interface QueryResult<R> {
  readonly rows: R[];
  readonly rowCount: number;
}

/** Anything that runs a parameterised SQL statement: a transaction handle. */
export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Bulk load: `COPY <target> FROM` rows in PostgreSQL's text format (tab-separated, `\N` for
   * null, backslash escapes). Only where the driver offers it: PGlite, which reads the rows as
   * a file of its in-memory file system, without the protocol's per-parameter costs; and a
   * server, by COPY FROM STDIN. The rows as text, or as its UTF-8 bytes (as the import worker
   * hands them over, see produce.ts).
   */
  copyFrom?(target: string, rows: string | Uint8Array): Promise<void>;
  /**
   * True when nothing else can write meanwhile (PGlite: one session), so rows known to be new
   * may be copied straight into a table with unique keys. On a server another process may
   * insert the same key: copy only into rows this transaction owns (or a staging table).
   */
  readonly exclusive?: boolean;
}

export interface PoolStats {
  readonly total: number;
  readonly idle: number;
  readonly waiting: number;
}

/**
 * The one database interface of Vigil. Two implementations: PGlite (embedded PostgreSQL
 * in WASM, the default) and a `pg` pool to a PostgreSQL server. Every statement runs in a
 * transaction opened by one of two doors:
 *
 * - `tenant(id, fn)`: `SET LOCAL ROLE vigil_app` and the tenant id set for the transaction,
 *   so row-level security limits every tenant-owned table to that tenant.
 * - `system(fn)`: the connecting role (owner), no tenant: migrations, login by email,
 *   the job queue's claim across tenants, audit chain verification.
 */
export interface Database {
  readonly kind: 'pglite' | 'postgres';
  tenant<T>(tenantId: string, fn: (q: Queryable) => Promise<T>): Promise<T>;
  system<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  stats(): PoolStats;
  /**
   * Reclaims dead rows and refreshes the planner's statistics where nothing else does: PGlite
   * runs no autovacuum (one single-user backend), so without it its tables bloat, the planner
   * guesses, and no index-only scan ever pays (the visibility map stays unset). A server's
   * autovacuum does this already: false, nothing run.
   */
  vacuum(): Promise<boolean>;
  close(): Promise<void>;
}

/** The role tenant transactions switch to; created by migration 001. */
export const APP_ROLE = 'vigil_app';
/** The custom setting read by the row-level security policies. */
export const TENANT_SETTING = 'vigil.tenant_id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function enterTenant(q: Queryable, tenantId: string): Promise<void> {
  if (!UUID.test(tenantId)) throw new Error('tenant id must be a UUID');
  await q.query(`SET LOCAL ROLE ${APP_ROLE}`);
  await q.query('SELECT set_config($1, $2, true)', [TENANT_SETTING, tenantId]);
}

/** Names the files COPY reads in PGlite (see copyFrom). */
let copies = 0;

class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  constructor(
    private readonly pg: PGlite,
    private readonly release: () => Promise<void> = async () => undefined,
  ) {}

  private static wrap(tx: Pick<PGlite, 'query' | 'exec'>, fs: PGlite['Module']['FS']): Queryable {
    return {
      async query<R>(text: string, params?: readonly unknown[]) {
        const res = await tx.query<R>(text, params as unknown[] | undefined);
        return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
      },
      async exec(sql: string) {
        await tx.exec(sql);
      },
      async copyFrom(target: string, rows: string | Uint8Array) {
        // A file of PGlite's in-memory file system (its /tmp), not its /dev/blob device: the
        // device takes a Blob (the text encoded, then copied to an ArrayBuffer) and hands it to
        // PostgreSQL byte by byte in JavaScript; a file is written and read by memcpy. On the
        // shared corpus (60 MB of rows, issue 3) that took the importing thread 0.4 to 1.7 s
        // instead of 0.25 s.
        const path = `/tmp/vigil-copy-${++copies}`;
        fs.writeFile(path, typeof rows === 'string' ? Buffer.from(rows, 'utf8') : rows);
        try {
          await tx.query(`COPY ${target} FROM '${path}'`);
        } finally {
          fs.unlink(path);
        }
      },
      exclusive: true,
    };
  }

  tenant<T>(tenantId: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction(async (tx) => {
      const q = PgliteDatabase.wrap(tx, this.pg.Module.FS);
      await enterTenant(q, tenantId);
      return fn(q);
    });
  }

  system<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.pg.transaction((tx) => fn(PgliteDatabase.wrap(tx, this.pg.Module.FS)));
  }

  async ping(): Promise<void> {
    await this.pg.query('SELECT 1');
  }

  stats(): PoolStats {
    return { total: 1, idle: 1, waiting: 0 };
  }

  async vacuum(): Promise<boolean> {
    // Outside any transaction (VACUUM refuses one); PGlite queues it behind running ones.
    await this.pg.exec('VACUUM (ANALYZE)');
    return true;
  }

  async close(): Promise<void> {
    if (!this.pg.closed) await this.pg.close();
    await this.release();
  }
}

class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  constructor(private readonly pool: pg.Pool) {}

  private async inTx<T>(fn: (q: Queryable) => Promise<T>, tenantId?: string): Promise<T> {
    const client = await this.pool.connect();
    const q: Queryable = {
      async query<R>(text: string, params?: readonly unknown[]) {
        const res = await client.query(text, params as unknown[] | undefined);
        return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
      },
      async exec(sql: string) {
        // Without parameters pg uses the simple protocol, which runs several statements.
        await client.query(sql);
      },
      async copyFrom(target: string, rows: string | Uint8Array) {
        const { from } = await import('pg-copy-streams');
        await pipeline(Readable.from([rows]), client.query(from(`COPY ${target} FROM STDIN`)));
      },
      exclusive: false,
    };
    let broken = false;
    try {
      await client.query('BEGIN');
      if (tenantId !== undefined) await enterTenant(q, tenantId);
      const out = await fn(q);
      await client.query('COMMIT');
      return out;
    } catch (err) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      throw err;
    } finally {
      client.release(broken);
    }
  }

  tenant<T>(tenantId: string, fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.inTx(fn, tenantId);
  }

  system<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    return this.inTx(fn);
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  stats(): PoolStats {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  vacuum(): Promise<boolean> {
    return Promise.resolve(false);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export interface OpenOptions {
  /** postgres:// URL; when absent the embedded database is used. */
  readonly databaseUrl?: string | undefined;
  /** Directory for PGlite; `memory://` for a throw-away in-memory database. */
  readonly dataDir?: string;
  readonly poolSize?: number;
  /** Extra connection options for pg (e.g. `-c search_path=...` for isolated test schemas). */
  readonly pgOptions?: string;
}

/** Opens the configured database. Drivers are imported lazily: each costs start-up time. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    const { default: pgModule } = await import('pg');
    const pool = new pgModule.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 10,
      application_name: 'vigil',
      ...(opts.pgOptions ? { options: opts.pgOptions } : {}),
    });
    // An idle client losing its server must not crash the process; the pool replaces it.
    pool.on('error', () => undefined);
    return new PostgresDatabase(pool);
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const dataDir = opts.dataDir ?? './.vigil';
  if (dataDir === 'memory://') return new PgliteDatabase(await PGlite.create());
  const dir = resolve(dataDir, 'pgdata');
  await mkdir(dir, { recursive: true });
  const release = await lockDataDir(resolve(dataDir, 'vigil.pid'));
  try {
    return new PgliteDatabase(await tunedPglite(dir, (d) => PGlite.create(d)), release);
  } catch (err) {
    await release();
    throw err;
  }
}

/**
 * Server settings for the embedded database, which is one single-user backend with no
 * replication and (PGlite's own default) fsync off:
 *
 * - `wal_level = minimal` (with `max_wal_senders = 0`, which it requires): nothing ever reads
 *   the WAL but crash recovery, so it carries only what recovery needs; a table filled in the
 *   transaction that created or truncated it (the importer's staging table) is not logged at
 *   all. Without replication or archiving nothing is lost.
 * - `full_page_writes = off`: whole-page images after each checkpoint guard against a page
 *   half written when the OS or the power fails, which fsync off already leaves unguarded.
 *
 * Measured with `npm run bench:ingest` (PGlite, shared corpus, 2 cores): 1,786-1,800 records/s
 * before, 1,874-1,922 after. wal_level needs a restart: the first open of a data directory
 * sets them (ALTER SYSTEM, kept in its postgresql.auto.conf) and opens it again.
 */
export const PGLITE_SETTINGS: Readonly<Record<string, string>> = { wal_level: 'minimal', max_wal_senders: '0', full_page_writes: 'off' };

async function tunedPglite(dir: string, create: (dir: string) => Promise<PGlite>): Promise<PGlite> {
  const pg = await create(dir);
  const { rows } = await pg.query<{ name: string; setting: string }>('SELECT name, setting FROM pg_settings WHERE name = ANY($1::text[])', [Object.keys(PGLITE_SETTINGS)]);
  const current = new Map(rows.map((r) => [r.name, r.setting]));
  const differ = Object.entries(PGLITE_SETTINGS).filter(([name, value]) => current.get(name) !== value);
  if (differ.length === 0) return pg;
  // Names and values are the constants above, not input.
  for (const [name, value] of differ) await pg.exec(`ALTER SYSTEM SET ${name} = '${value}'`);
  await pg.close();
  return create(dir);
}

/** Thrown when another live process holds the embedded database. */
export class DatabaseInUseError extends Error {
  constructor(readonly pid: number, dataDir: string) {
    super(
      `the embedded database in ${dataDir} is in use by process ${pid} (a running vigil serve?). ` +
        'PGlite allows one process: stop it, use the API, or share a PostgreSQL server through DATABASE_URL',
    );
    this.name = 'DatabaseInUseError';
  }
}

/**
 * PGlite files must never be opened by two processes at once. A pid file taken with O_EXCL
 * guards the data directory; a stale one (its process gone) is taken over.
 */
async function lockDataDir(pidFile: string): Promise<() => Promise<void>> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(pidFile, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await unlink(pidFile).catch(() => undefined);
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) throw new DatabaseInUseError(pid, resolve(pidFile, '..'));
      await unlink(pidFile).catch(() => undefined);
    }
  }
  throw new Error(`could not lock ${pidFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
