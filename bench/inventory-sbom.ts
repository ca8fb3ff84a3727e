// The child process of bench/inventory.ts: reads one SBOM file and stores it as a project
// version, end to end (file read, JSON parse, schema validation with the validator compiled in
// this process, mapping, COPY into the database, commit), then prints one JSON line with the
// timings, its own peak RSS and its RSS before reading.
//   node --import tsx bench/inventory-sbom.ts FILE (PGLITE_DIR | postgres://...)
//   node --import tsx bench/inventory-sbom.ts --setup PGLITE_DIR
// `--setup` creates and migrates the PGlite database in a process of its own, as installing
// Vigil does: creating a PGlite cluster (initdb) alone peaks near 900 MB RSS, which is not
// what reading an SBOM into an existing database costs.
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
  console.error('usage: inventory-sbom.ts FILE (PGLITE_DIR | postgres://...) | --setup PGLITE_DIR');
  process.exit(2);
}
if (file === '--setup') {
  const setup = await openDatabase({ dataDir: target });
  await migrate(setup);
  await setup.close();
  process.exit(0);
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
  const rssBeforeMb = process.memoryUsage().rss / 1024 / 1024;
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
    JSON.stringify({ components: version.components, readMs: t1 - t0, storeMs: t2 - t1, totalMs: t2 - t0, maxRssMb: process.resourceUsage().maxRSS / 1024, rssBeforeMb }),
  );
} finally {
  await db.close();
  await cleanup();
}
