import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseInUseError, openDatabase, PGLITE_SETTINGS } from './db.js';

test('the embedded database refuses a second process and takes over a stale lock', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-db-'));
  try {
    // A live process that is not us holds the lock.
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    try {
      await writeFile(join(dir, 'vigil.pid'), String(holder.pid));
      await assert.rejects(openDatabase({ dataDir: dir }), (e: unknown) => e instanceof DatabaseInUseError && e.pid === holder.pid && /in use by process/.test(e.message));
    } finally {
      holder.kill();
    }
    // A pid that no longer exists: stale, taken over.
    await writeFile(join(dir, 'vigil.pid'), '2147483646');
    const db = await openDatabase({ dataDir: dir });
    await db.ping();
    assert.equal(db.kind, 'pglite');
    await db.close();
    // Closing releases the lock: opening again works.
    const again = await openDatabase({ dataDir: dir });
    await again.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an on-disk embedded database runs with the single-user WAL settings, kept across opens, and keeps its data', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-db-'));
  try {
    const settings = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
      Object.fromEntries(
        (await db.system((q) => q.query<{ name: string; setting: string }>('SELECT name, setting FROM pg_settings WHERE name = ANY($1::text[])', [Object.keys(PGLITE_SETTINGS)]))).rows.map((r) => [r.name, r.setting]),
      );
    const db = await openDatabase({ dataDir: dir });
    assert.deepEqual(await settings(db), PGLITE_SETTINGS);
    await db.system(async (q) => {
      await q.query('CREATE TABLE kept (n int)');
      await q.query('INSERT INTO kept VALUES (1), (2)');
    });
    await db.close();
    const again = await openDatabase({ dataDir: dir });
    assert.deepEqual(await settings(again), PGLITE_SETTINGS);
    assert.equal((await again.system((q) => q.query<{ n: number }>('SELECT sum(n)::int AS n FROM kept'))).rows[0]!.n, 3);
    await again.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
