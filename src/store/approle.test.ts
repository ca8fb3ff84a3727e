// Migration 001 lets the migrating role switch to vigil_app. PostgreSQL 15 (CI's server run,
// as a non-superuser) covers the old rules; this covers those of PostgreSQL 16+, where the
// non-superuser who creates a role holds it WITH ADMIN but not SET. PGlite is PostgreSQL 18.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { MIGRATIONS_DIR } from './migrate.js';

test('a non-superuser CREATEROLE role that runs migration 001 can SET ROLE vigil_app', async () => {
  const sql = await readFile(`${MIGRATIONS_DIR}/001_foundation.sql`, 'utf8');
  const pg = await PGlite.create();
  try {
    await pg.exec('CREATE ROLE migrator NOLOGIN CREATEROLE; GRANT CREATE ON SCHEMA public TO migrator; SET ROLE migrator');
    await pg.exec(sql);
    // Again in a second schema, with vigil_app already there (one schema per test file on a server).
    await pg.exec('RESET ROLE; CREATE SCHEMA second AUTHORIZATION migrator; SET ROLE migrator; SET search_path = second');
    await pg.exec(sql);
    await pg.exec('RESET ROLE');
    const { rows } = await pg.query<{ set: boolean; superuser: boolean }>(
      "SELECT pg_has_role('migrator', 'vigil_app', 'SET') AS set, (SELECT rolsuper FROM pg_roles WHERE rolname = 'migrator') AS superuser",
    );
    assert.deepEqual(rows[0], { set: true, superuser: false });
  } finally {
    await pg.close();
  }
});
