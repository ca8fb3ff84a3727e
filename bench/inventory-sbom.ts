// The child process of bench/inventory.ts: reads one SBOM file and stores it as a project
// version, end to end, then prints one JSON line with the timings and its own peak RSS.
//   node --import tsx bench/inventory-sbom.ts FILE (PGLITE_DIR | postgres://...)
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { scanPath } from '../src/inventory/scan.js';
import { openDatabase, type Database } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { ensureProject } from '../src/store/repos/projects.js';
import { saveVersion } from '../src/store/repos/projectVersions.js';
import { createTenant } from '../src/store/repos/tenants.js';

const [file, target] = process.argv.slice(2);
if (!file || !target) {
  console.error('usage: inventory-sbom.ts FILE (PGLITE_DIR | postgres://...)');
  process.exit(2);
}

let db: Database;
let cleanup = async (): Promise<void> => undefined;
if (target.startsWith('postgres')) {
  const schema = `bench_inv_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: target });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  db = await openDatabase({ databaseUrl: target, poolSize: 2, pgOptions: `-c search_path=${schema}` });
  cleanup = async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  };
} else {
  db = await openDatabase({ dataDir: target });
}
try {
  await migrate(db);
  const tenant = await db.system((q) => createTenant(q, `bench-${randomBytes(3).toString('hex')}`, 'Bench'));
  const t0 = performance.now();
  const inv = await scanPath(file);
  const t1 = performance.now();
  const errors = inv.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`reading failed: ${errors[0]!.message}`);
  const version = await db.tenant(tenant.id, async (q) => {
    const { project } = await ensureProject(q, tenant.id, 'bench', 'application');
    return saveVersion(q, tenant.id, project.id, '1.0.0', inv);
  });
  const t2 = performance.now();
  console.log(
    JSON.stringify({ components: version.components, readMs: t1 - t0, storeMs: t2 - t1, totalMs: t2 - t0, maxRssMb: process.resourceUsage().maxRSS / 1024 }),
  );
} finally {
  await db.close();
  await cleanup();
}
