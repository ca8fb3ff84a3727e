import initSqlJs from 'sql.js';
import type { SqlJsStatic } from 'sql.js';
import type { HeaderRow } from './parse.js';

/**
 * Opens an rpmdb.sqlite image in memory with sql.js (SQLite compiled to WASM: no native
 * build, runs on Node 20) and returns the `Packages` table. Expected failures (not SQLite,
 * corrupt, no such table) are values, never exceptions.
 */
export type RowsResult = { readonly ok: true; readonly rows: HeaderRow[] } | { readonly ok: false; readonly reason: string };

const MAGIC = 'SQLite format 3\0';

let engine: Promise<SqlJsStatic> | undefined;

/** sql.js is loaded (and its WASM compiled) once, on first use. */
function sql(): Promise<SqlJsStatic> {
  engine ??= initSqlJs();
  return engine;
}

export function isSqlite(bytes: Uint8Array): boolean {
  if (bytes.length < 100) return false;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return true;
}

export async function readPackagesTable(bytes: Uint8Array): Promise<RowsResult> {
  if (!isSqlite(bytes)) return { ok: false, reason: 'not an SQLite database (no "SQLite format 3" header)' };
  let SQL: SqlJsStatic;
  try {
    SQL = await sql();
  } catch (err) {
    engine = undefined;
    return { ok: false, reason: `could not load the SQLite engine (sql.js): ${message(err)}` };
  }
  let db: InstanceType<SqlJsStatic['Database']> | undefined;
  try {
    db = new SQL.Database(bytes);
    const stmt = db.prepare('SELECT hnum, blob FROM Packages ORDER BY hnum');
    const rows: HeaderRow[] = [];
    try {
      while (stmt.step()) {
        const [hnum, blob] = stmt.get();
        rows.push({ hnum: typeof hnum === 'number' ? hnum : Number(hnum), blob: blob instanceof Uint8Array ? blob : new Uint8Array(0) });
      }
    } finally {
      stmt.free();
    }
    return { ok: true, rows };
  } catch (err) {
    return { ok: false, reason: `SQLite error: ${message(err)}` };
  } finally {
    db?.close();
  }
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
