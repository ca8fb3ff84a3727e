import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaptured } from '../helpers/cli.js';
import { bearer, login, seedTenant, testApp, type TestApp } from '../helpers/app.js';

/** `vigil sbom`: a directory in, CycloneDX / SPDX out, unreadable files reported, upload to a server. */

let dir: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-sbom-'));
  await mkdir(join(dir, 'web'));
  await mkdir(join(dir, 'api'));
  await mkdir(join(dir, 'node_modules', 'x'), { recursive: true });
  await writeFile(
    join(dir, 'web', 'package-lock.json'),
    JSON.stringify({ name: 'web', lockfileVersion: 3, packages: { '': { name: 'web', dependencies: { ms: '*' } }, 'node_modules/ms': { version: '2.1.3' } } }),
  );
  await writeFile(join(dir, 'api', 'requirements.txt'), 'requests==2.31.0\nurllib3==2.2.1 ; python_version >= "3.8"\n');
  await writeFile(join(dir, 'node_modules', 'x', 'package-lock.json'), '{"skipped": true}');
  await writeFile(join(dir, 'Cargo.lock'), '[[package]]\nname = "serde"\nversion = ');
});
after(() => rm(dir, { recursive: true, force: true }));

test('a directory with an unreadable lockfile: the SBOM is written, the file named on stderr, exit 2', async () => {
  const out = join(dir, 'bom.json');
  const r = await runCaptured(['sbom', dir, '--output', out, '--quiet']);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /Cargo\.lock/);
  assert.match(r.err, /--allow-partial/);
  const bom = JSON.parse(await readFile(out, 'utf8')) as { bomFormat: string; components: { purl: string }[]; metadata: { properties?: { name: string; value: string }[] } };
  assert.equal(bom.bomFormat, 'CycloneDX');
  assert.deepEqual(bom.components.map((c) => c.purl).sort(), ['pkg:npm/ms@2.1.3', 'pkg:pypi/requests@2.31.0', 'pkg:pypi/urllib3@2.2.1']);
  assert.ok(JSON.stringify(bom).includes('Cargo.lock'), 'the problem is recorded in the SBOM');
  const partial = await runCaptured(['sbom', dir, '--output', out, '--allow-partial', '--quiet']);
  assert.equal(partial.code, 0, partial.err);
});

test('SPDX to stdout for a single lockfile; bad usage exits 2', async () => {
  const r = await runCaptured(['sbom', join(dir, 'api', 'requirements.txt'), '--format', 'spdx', '--quiet']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as { spdxVersion: string; packages: { name: string }[] };
  assert.equal(doc.spdxVersion, 'SPDX-2.3');
  assert.ok(doc.packages.some((p) => p.name === 'requests'));
  assert.equal((await runCaptured(['sbom', dir, '--format', 'csv'])).code, 2);
  assert.equal((await runCaptured(['sbom', join(dir, 'missing')])).code, 2);
  assert.equal((await runCaptured(['sbom', dir, '--upload'])).code, 2, '--upload needs --project and --version');
});

test('--upload sends the inventory to a server as a project version with an ingest key', async () => {
  const t: TestApp = await testApp();
  const saved = { url: process.env['VIGIL_URL'], key: process.env['VIGIL_API_KEY'] };
  try {
    const admin = await seedTenant(t.ctx, 'admin');
    const token = await login(t.app, admin);
    const key = (await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(token), payload: { name: 'ci', role: 'ingest' } })).json().key as string;
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    process.env['VIGIL_URL'] = address;
    process.env['VIGIL_API_KEY'] = key;
    const r = await runCaptured(['sbom', join(dir, 'web'), '--upload', '--project', 'web', '--version', '2.0.0', '--quiet', '--output', join(dir, 'web.cdx.json')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.err, /uploaded 1 components as web 2\.0\.0/);
    const projects = (await t.app.inject({ url: '/api/v1/projects', headers: bearer(token) })).json();
    assert.equal(projects.items[0].latestVersion.version, '2.0.0');
    process.env['VIGIL_API_KEY'] = 'vgl_wrong';
    const denied = await runCaptured(['sbom', join(dir, 'web'), '--upload', '--project', 'web', '--version', '2.0.1', '--quiet', '--output', join(dir, 'web.cdx.json')]);
    assert.equal(denied.code, 2);
    assert.match(denied.err, /upload refused \(401\)/);
  } finally {
    for (const [k, v] of [['VIGIL_URL', saved.url], ['VIGIL_API_KEY', saved.key]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await t.close();
  }
});
