import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabase } from '../../test/helpers/db.js';
import { loadMigrations, migrate, migrationStatus } from './migrate.js';

test('migrations apply once, in order, and report status', async () => {
  const t = await testDatabase({ migrate: false });
  try {
    const all = await loadMigrations();
    assert.ok(all.length >= 2);
    assert.deepEqual(all.map((m) => m.version), [...all.map((m) => m.version)].sort((a, b) => a - b));
    const before = await migrationStatus(t.db);
    assert.deepEqual(before.applied, []);
    const first = await migrate(t.db);
    assert.deepEqual(first, all.map((m) => m.version));
    assert.deepEqual(await migrate(t.db), [], 'idempotent');
    const after = await migrationStatus(t.db);
    assert.deepEqual(after.pending, []);
  } finally {
    await t.cleanup();
  }
});

test('an edited, already-applied migration is an error', async () => {
  const t = await testDatabase({ migrate: false });
  try {
    const all = await loadMigrations();
    await migrate(t.db, all);
    const edited = all.map((m, i) => (i === 0 ? { ...m, checksum: 'different' } : m));
    await assert.rejects(migrate(t.db, edited), /changed after it was applied/);
  } finally {
    await t.cleanup();
  }
});

test('a failing migration rolls back and is not recorded', async () => {
  const t = await testDatabase({ migrate: false });
  try {
    const all = await loadMigrations();
    const bad = { version: 999, name: 'bad', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();', checksum: 'x' };
    await assert.rejects(migrate(t.db, [...all, bad]), /no_such_function/);
    const s = await migrationStatus(t.db, [...all, bad]);
    assert.deepEqual(s.pending, [999]);
    const exists = await t.db.system(async (q) => (await q.query<{ t: string | null }>("SELECT to_regclass('half_done')::text AS t")).rows[0]?.t);
    assert.equal(exists, null);
  } finally {
    await t.cleanup();
  }
});

test('migration files must be numbered', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-mig-'));
  await writeFile(join(dir, 'create_things.sql'), 'SELECT 1');
  await assert.rejects(loadMigrations(dir), /must look like 001_name.sql/);
});
