import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';

/** Projects, versions and uploads through the API: store, list, diff, download, refuse. */

let t: TestApp;
let admin: SeededUser;
let token: string;
let ingestKey: string;

const lock = (deps: Record<string, string>) =>
  JSON.stringify({
    name: 'web',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'web', version: '1.0.0', dependencies: Object.fromEntries(Object.keys(deps).map((d) => [d, '*'])) },
      ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v, resolved: `https://registry.npmjs.org/${n}/-/${n}-${v}.tgz`, license: 'MIT' }])),
    },
  });

const upload = (query: string, body: string | Buffer, auth = { authorization: `Bearer ${ingestKey}` }) =>
  t.app.inject({ method: 'POST', url: `/api/v1/uploads?${query}`, headers: { ...auth, 'content-type': 'application/octet-stream' }, payload: body });

before(async () => {
  t = await testApp({ uploadLimit: 200_000 });
  admin = await seedTenant(t.ctx, 'admin');
  token = await login(t.app, admin);
  const k = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(token), payload: { name: 'ci', role: 'ingest' } });
  ingestKey = k.json().key;
});
after(() => t.close());

test('an ingest key uploads a lockfile as a project version; the project is created on first use', async () => {
  const res = await upload('project=web&version=1.0.0&filename=package-lock.json', lock({ lodash: '4.17.20', ms: '2.1.3' }));
  assert.equal(res.statusCode, 201, res.body);
  const body = res.json();
  assert.equal(body.projectCreated, true);
  assert.equal(body.project.name, 'web');
  assert.equal(body.version.version, '1.0.0');
  assert.equal(body.version.components, 2);
  assert.equal(body.version.errors, 0);
  assert.equal(body.version.document.name, 'package-lock.json');
  // The ingest role pushes data in but reads nothing back.
  const list = await t.app.inject({ url: '/api/v1/projects', headers: { authorization: `Bearer ${ingestKey}` } });
  assert.equal(list.statusCode, 403);
});

test('versions, components with filters and paging, diff and the original document', async () => {
  const second = await upload('project=web&version=1.1.0&filename=package-lock.json', lock({ lodash: '4.17.21', 'left-pad': '1.3.0' }));
  assert.equal(second.statusCode, 201, second.body);
  assert.equal(second.json().projectCreated, false);
  const projects = (await t.app.inject({ url: '/api/v1/projects?q=we', headers: bearer(token) })).json();
  assert.equal(projects.items.length, 1);
  const project = projects.items[0];
  assert.equal(project.latestVersion.version, '1.1.0');
  const versions = (await t.app.inject({ url: `/api/v1/projects/${project.id}/versions`, headers: bearer(token) })).json();
  assert.deepEqual(versions.items.map((v: { version: string }) => v.version), ['1.1.0', '1.0.0']);
  const v11 = versions.items[0].id as string;

  const comps = (q: string) => t.app.inject({ url: `/api/v1/projects/${project.id}/versions/${v11}/components?${q}`, headers: bearer(token) }).then((r) => r.json());
  const all = await comps('');
  assert.deepEqual(all.items.map((c: { name: string }) => c.name), ['left-pad', 'lodash']);
  const lodash = all.items.find((c: { name: string }) => c.name === 'lodash');
  assert.equal(lodash.purl, 'pkg:npm/lodash@4.17.21');
  assert.equal(lodash.direct, true);
  assert.equal(lodash.location.file, 'package-lock.json');
  assert.ok(lodash.location.line > 0);
  assert.deepEqual((await comps('q=left')).items.map((c: { name: string }) => c.name), ['left-pad']);
  const page1 = await comps('limit=1');
  assert.equal(page1.items.length, 1);
  const page2 = await comps(`limit=1&cursor=${page1.nextCursor}`);
  assert.equal(page2.items[0].name, 'lodash');
  assert.equal(page2.nextCursor, null);

  const diff = (await t.app.inject({ url: `/api/v1/projects/${project.id}/diff?from=1.0.0&to=1.1.0`, headers: bearer(token) })).json();
  assert.deepEqual(diff.added.map((c: { name: string }) => c.name), ['left-pad']);
  assert.deepEqual(diff.removed.map((c: { name: string }) => c.name), ['ms']);
  assert.deepEqual(diff.changed, [{ ecosystem: 'npm', name: 'lodash', from: ['4.17.20'], to: ['4.17.21'] }]);

  const doc = await t.app.inject({ url: `/api/v1/projects/${project.id}/versions/${v11}/document`, headers: bearer(token) });
  assert.equal(doc.statusCode, 200);
  assert.equal(doc.body, lock({ lodash: '4.17.21', 'left-pad': '1.3.0' }));
});

test('SBOM download in CycloneDX JSON and XML and SPDX, re-uploadable as an SBOM (recognised by content)', async () => {
  const project = (await t.app.inject({ url: '/api/v1/projects?q=web', headers: bearer(token) })).json().items[0];
  const v = project.latestVersion.id as string;
  const get = (format: string) => t.app.inject({ url: `/api/v1/projects/${project.id}/versions/${v}/sbom?format=${format}`, headers: bearer(token) });
  const cdx = await get('cyclonedx');
  assert.equal(cdx.statusCode, 200, cdx.body);
  assert.match(cdx.headers['content-type'] as string, /application\/vnd\.cyclonedx\+json/);
  const bom = cdx.json();
  assert.equal(bom.bomFormat, 'CycloneDX');
  assert.equal(bom.specVersion, '1.6');
  assert.deepEqual(bom.components.map((c: { purl: string }) => c.purl).sort(), ['pkg:npm/left-pad@1.3.0', 'pkg:npm/lodash@4.17.21']);
  // The project's direct dependencies survive the store as dependency edges.
  const deps = bom.dependencies as { ref: string; dependsOn?: string[] }[];
  assert.ok(deps.some((d) => (d.dependsOn ?? []).some((x) => x.includes('lodash'))), JSON.stringify(deps));
  const xml = await get('cyclonedx-xml');
  assert.match(xml.body, /<bom xmlns="http:\/\/cyclonedx\.org\/schema\/bom\/1\.6"/);
  const spdx = (await get('spdx')).json();
  assert.equal(spdx.spdxVersion, 'SPDX-2.3');
  assert.ok(spdx.packages.some((p: { name: string }) => p.name === 'lodash'));

  const again = await upload('project=web-from-sbom&version=1', cdx.body);
  assert.equal(again.statusCode, 201, again.body);
  assert.equal(again.json().version.source.kind, 'sbom');
  assert.equal(again.json().version.components, 2);
});

test('bad uploads: unreadable content is refused with the reason and nothing stored; too large is 413', async () => {
  const junk = await upload('project=junk&version=1&filename=package-lock.json', '{"lockfileVersion": 3, "packages": ');
  assert.equal(junk.statusCode, 400, junk.body);
  assert.equal(junk.json().type, 'urn:vigil:problem:bad-request');
  assert.match(junk.json().errors[0].detail, /package-lock\.json/);
  const unknown = await upload('project=junk&version=1', 'hello');
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.json().detail, /not recognised/);
  const big = await upload('project=junk&version=1&filename=package-lock.json', Buffer.alloc(300_000, 0x20));
  assert.equal(big.statusCode, 413, big.body);
  const projects = (await t.app.inject({ url: '/api/v1/projects?q=junk', headers: bearer(token) })).json();
  assert.equal(projects.items.length, 0, 'a refused upload creates nothing');
  const missing = await t.app.inject({ method: 'POST', url: '/api/v1/uploads?version=1', headers: { authorization: `Bearer ${ingestKey}` }, payload: 'x' });
  assert.equal(missing.statusCode, 400);
});

test('project CRUD: create, conflict, rename, delete', async () => {
  const created = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer(token), payload: { name: 'svc', kind: 'service' } });
  assert.equal(created.statusCode, 201, created.body);
  const dup = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer(token), payload: { name: 'svc' } });
  assert.equal(dup.statusCode, 409);
  const id = created.json().id as string;
  const renamed = await t.app.inject({ method: 'PATCH', url: `/api/v1/projects/${id}`, headers: bearer(token), payload: { name: 'svc2', description: 'payments' } });
  assert.equal(renamed.json().name, 'svc2');
  assert.equal(renamed.json().description, 'payments');
  assert.equal((await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${id}`, headers: bearer(token) })).statusCode, 204);
  assert.equal((await t.app.inject({ url: `/api/v1/projects/${id}`, headers: bearer(token) })).statusCode, 404);
});

test('with VIGIL_S3_BUCKET the uploaded document lives in an S3-compatible bucket', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-s3-'));
  const s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir, configureBuckets: [{ name: 'uploads', configs: [] }] });
  const addr = (await s3.run()) as { address: string; port: number };
  const saved = [process.env['AWS_ACCESS_KEY_ID'], process.env['AWS_SECRET_ACCESS_KEY']];
  process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'S3RVER';
  const s3app = await testApp({ s3Bucket: 'uploads', s3Endpoint: `http://${addr.address}:${addr.port}`, s3Prefix: 'vigil/' });
  try {
    const u = await seedTenant(s3app.ctx, 'admin');
    const tok = await login(s3app.app, u);
    const body = lock({ ms: '2.1.3' });
    const up = await s3app.app.inject({ method: 'POST', url: '/api/v1/uploads?project=s3&version=1&filename=package-lock.json', headers: { ...bearer(tok), 'content-type': 'application/octet-stream' }, payload: body });
    assert.equal(up.statusCode, 201, up.body);
    const { project, version } = up.json();
    const doc = await s3app.app.inject({ url: `/api/v1/projects/${project.id}/versions/${version.id}/document`, headers: bearer(tok) });
    assert.equal(doc.statusCode, 200);
    assert.equal(doc.body, body);
  } finally {
    await s3app.close();
    await s3.close();
    await rm(dir, { recursive: true, force: true });
    for (const [k, v] of [['AWS_ACCESS_KEY_ID', saved[0]], ['AWS_SECRET_ACCESS_KEY', saved[1]]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
