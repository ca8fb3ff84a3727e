import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));
const FILE = /^(\d{3,})_([a-z0-9_]+)\.sql$/;

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const out: Migration[] = [];
  for (const file of files) {
    const m = FILE.exec(file);
    if (!m?.[1] || !m[2]) throw new Error(`migration file name ${file} must look like 001_name.sql`);
    const sql = await readFile(`${dir}/${file}`, 'utf8');
    const version = Number(m[1]);
    if (out.some((x) => x.version === version)) throw new Error(`two migrations numbered ${version}`);
    out.push({ version, name: m[2], sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

export interface MigrationStatus {
  readonly applied: readonly number[];
  readonly pending: readonly number[];
}

const LOCK_KEY = 7_415_260_001; // pg_advisory_xact_lock key for "vigil migrations"

/**
 * Applies pending migrations in order, each in its own transaction under an advisory lock,
 * so that several processes starting at once apply each migration exactly once. A migration
 * whose file changed after it was applied is an error (edit a new migration instead).
 */
export async function migrate(db: Database, migrations?: readonly Migration[]): Promise<number[]> {
  const all = migrations ?? (await shippedMigrations());
  await db.system(async (q) => {
    await q.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await q.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  const applied: number[] = [];
  for (const m of all) {
    const did = await db.system(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const { rows } = await q.query<{ checksum: string }>('SELECT checksum FROM schema_migrations WHERE version = $1', [m.version]);
      if (rows[0]) {
        if (rows[0].checksum !== m.checksum) {
          throw new Error(`migration ${m.version}_${m.name} was changed after it was applied; add a new migration instead`);
        }
        return false;
      }
      await q.exec(m.sql);
      await q.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      return true;
    });
    if (did) applied.push(m.version);
  }
  return applied;
}

let shipped: Promise<Migration[]> | undefined;

/** The migrations shipped with this build, read from disk once per process. */
export function shippedMigrations(): Promise<Migration[]> {
  shipped ??= loadMigrations();
  return shipped;
}

export async function migrationStatus(db: Database, migrations?: readonly Migration[]): Promise<MigrationStatus> {
  const all = migrations ?? (await shippedMigrations());
  const done = await db.system(async (q) => {
    const exists = await q.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
    if (!exists.rows[0]?.t) return [] as number[];
    const { rows } = await q.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    return rows.map((r) => r.version);
  });
  return { applied: done, pending: all.map((m) => m.version).filter((v) => !done.includes(v)) };
}
