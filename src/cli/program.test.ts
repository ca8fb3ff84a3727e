import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from './io.js';
import { runCaptured } from '../../test/helpers/cli.js';
import { usingServer } from '../../test/helpers/db.js';

const run = runCaptured;

let dir: string;
let dataArgs: string[];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-'));
  // The CLI opens the configured database; on CI's PostgreSQL run, DATABASE_URL points there.
  dataArgs = usingServer() ? [] : ['--data-dir', join(dir, 'data')];
});
after(() => rm(dir, { recursive: true, force: true }));

test('version and help exit 0', async () => {
  const v = await run(['version']);
  assert.equal(v.code, EXIT.ok);
  assert.match(v.out, /^\d+\.\d+\.\d+/);
  const h = await run(['--help']);
  assert.equal(h.code, EXIT.ok);
  assert.match(h.out, /Exit codes/);
  for (const cmd of ['serve', 'worker', 'migrate', 'user', 'apikey', 'audit', 'version']) assert.match(h.out, new RegExp(`\\b${cmd}\\b`), `help lists ${cmd}`);
  assert.equal((await run(['apikey', 'create', '--help'])).code, EXIT.ok);
});

test('usage errors exit 2', async () => {
  assert.equal((await run(['no-such-command'])).code, EXIT.usage);
  assert.equal((await run(['version', '--bogus'])).code, EXIT.usage);
  assert.equal((await run(['apikey', 'create'])).code, EXIT.usage, 'missing --name');
  const role = await run(['apikey', 'create', '--name', 'x', '--role', 'root', ...dataArgs]);
  assert.equal(role.code, EXIT.usage);
  assert.match(role.err, /--role/);
});

test('bad configuration exits 2 naming the key', async () => {
  const file = join(dir, 'bad.yaml');
  await writeFile(file, 'port: 80\nprot: 1\n');
  const r = await run(['--config', file, 'migrate', ...dataArgs]);
  assert.equal(r.code, EXIT.usage);
  assert.match(r.err, /prot/);
  const missing = await run(['--config', join(dir, 'nope.yaml'), 'migrate']);
  assert.equal(missing.code, EXIT.usage);
  assert.match(missing.err, /nope\.yaml/);
});

test('migrate, tenant, user, apikey and audit verify work end to end', async () => {
  assert.equal((await run(['migrate', ...dataArgs])).code, EXIT.ok);
  const status = await run(['migrate', '--status', ...dataArgs]);
  assert.deepEqual(JSON.parse(status.out).pending, []);
  const slug = `cli-${Date.now()}`;
  const t = await run(['tenant', 'create', slug, '--json', ...dataArgs]);
  assert.equal(t.code, EXIT.ok, t.err);
  assert.equal(JSON.parse(t.out).slug, slug);
  const u = await run(['user', 'create', '--email', `ops@${slug}.test`, '--role', 'analyst', '--tenant', slug, '--json', ...dataArgs]);
  assert.equal(u.code, EXIT.ok, u.err);
  assert.equal(JSON.parse(u.out).role, 'analyst');
  assert.match(u.err, /one-time password/);
  const k = await run(['apikey', 'create', '--name', 'ci', '--tenant', slug, ...dataArgs]);
  assert.equal(k.code, EXIT.ok, k.err);
  const key = k.out.trim();
  assert.match(key, /^vgl_[A-Za-z0-9]{12}_/);
  const list = await run(['apikey', 'list', '--tenant', slug, '--json', ...dataArgs]);
  assert.ok(!list.out.includes(key), 'list never shows the secret');
  const prefix = key.split('_').slice(0, 2).join('_');
  assert.ok(list.out.includes(prefix));
  assert.equal((await run(['apikey', 'revoke', prefix, '--tenant', slug, ...dataArgs])).code, EXIT.ok);
  assert.equal((await run(['apikey', 'revoke', 'vgl_nonexistent0', '--tenant', slug, ...dataArgs])).code, EXIT.usage);
  const v = await run(['audit', 'verify', '--json', ...dataArgs]);
  assert.equal(v.code, EXIT.ok, v.out);
  assert.equal(JSON.parse(v.out).ok, true);
});
