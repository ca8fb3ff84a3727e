import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Inventory, Package } from '../../src/inventory/model.js';
import type { Database } from '../../src/store/db.js';
import { deleteProject, ensureProject } from '../../src/store/repos/projects.js';
import { saveVersion } from '../../src/store/repos/projectVersions.js';
import { createTenant } from '../../src/store/repos/tenants.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';

/**
 * Migration 011 replaced the foreign key from components to project_versions by statement-level
 * triggers: what the key gave (no component without its version, components go with their
 * version, however it is deleted) must still hold, on PGlite and on PostgreSQL.
 */

let t: TestDatabase;
let db: Database;
before(async () => {
  t = await testDatabase();
  db = t.db;
});
after(() => t.cleanup());

const pkg = (n: number): Package =>
  ({ id: `pkg:npm/p${n}@1.0.0`, name: `p${n}`, version: '1.0.0', ecosystem: 'npm', purl: `pkg:npm/p${n}@1.0.0`, direct: true, location: { file: 'package-lock.json', line: n } });
const inventory = (n: number): Inventory =>
  ({ source: { kind: 'file', name: 'package-lock.json' }, packages: Array.from({ length: n }, (_, i) => pkg(i)), edges: [], problems: [], files: [] }) as unknown as Inventory;

async function tenantWithVersion(slug: string, components: number): Promise<{ tenantId: string; projectId: string; versionId: string }> {
  const tenant = await db.system((q) => createTenant(q, slug, slug));
  return db.tenant(tenant.id, async (q) => {
    const { project } = await ensureProject(q, tenant.id, 'web', 'application');
    const v = await saveVersion(q, tenant.id, project.id, '1.0.0', inventory(components));
    return { tenantId: tenant.id, projectId: project.id, versionId: v.id };
  });
}

const count = (versionId: string): Promise<number> =>
  db.system(async (q) => Number((await q.query<{ n: string }>('SELECT count(*) AS n FROM components WHERE version_id = $1', [versionId])).rows[0]!.n));

test('components are stored with their version (COPY path) and a re-upload replaces them', async () => {
  const { tenantId, projectId, versionId } = await tenantWithVersion('check-a', 25);
  assert.equal(await count(versionId), 25);
  const again = await db.tenant(tenantId, (q) => saveVersion(q, tenantId, projectId, '1.0.0', inventory(7)));
  assert.equal(again.id, versionId);
  assert.equal(await count(versionId), 7);
});

test('a component naming a version that does not exist is refused with foreign_key_violation', async () => {
  const { tenantId } = await tenantWithVersion('check-b', 1);
  await assert.rejects(
    db.system((q) =>
      q.query(`INSERT INTO components (tenant_id, version_id, seq, ref, name, version, ecosystem, purl, file) VALUES ($1, gen_random_uuid(), 0, 'r', 'n', '1', 'npm', 'pkg:npm/n@1', 'f')`, [tenantId]),
    ),
    (err: Error & { code?: string }) => err.code === '23503',
  );
});

test("under a tenant's role a component cannot name another tenant's version", async () => {
  const a = await tenantWithVersion('check-c', 1);
  const b = await tenantWithVersion('check-d', 1);
  await assert.rejects(
    db.tenant(b.tenantId, (q) =>
      q.query(`INSERT INTO components (tenant_id, version_id, seq, ref, name, version, ecosystem, purl, file) VALUES ($1, $2, 99, 'r', 'n', '1', 'npm', 'pkg:npm/n@1', 'f')`, [b.tenantId, a.versionId]),
    ),
    (err: Error & { code?: string }) => err.code === '23503',
  );
  assert.equal(await count(a.versionId), 1);
});

test('deleting a version, its project or its tenant deletes its components', async () => {
  const v = await tenantWithVersion('check-e', 5);
  await db.tenant(v.tenantId, (q) => q.query('DELETE FROM project_versions WHERE id = $1', [v.versionId]));
  assert.equal(await count(v.versionId), 0);

  const p = await tenantWithVersion('check-f', 5);
  assert.equal(await db.tenant(p.tenantId, (q) => deleteProject(q, p.projectId)), true);
  assert.equal(await count(p.versionId), 0);

  const t2 = await tenantWithVersion('check-g', 5);
  const other = await tenantWithVersion('check-h', 3);
  await db.system((q) => q.query('DELETE FROM tenants WHERE id = $1', [t2.tenantId]));
  assert.equal(await count(t2.versionId), 0);
  assert.equal(await count(other.versionId), 3, "another tenant's components stay");
});
