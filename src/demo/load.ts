/**
 * Demo mode (`VIGIL_DEMO=1 npm start`, `vigil serve --demo`): fills the `default` tenant (the
 * first admin's) with advisories, projects with findings, posture scans, clusters and cloud
 * accounts, so a newcomer sees a populated dashboard. Real public data from a `shared/data`
 * folder when there is one, else the built-in sample. Idempotent: every step skips what is
 * already stored, and a marker in system_settings makes a second start skip the whole load.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { DEFAULT_TENANT } from '../app/bootstrap.js';
import { ConfigError } from '../core/errors.js';
import type { Database } from '../store/db.js';
import type { ObjectStore } from '../store/objects.js';
import { checkSla } from '../store/repos/slaCheck.js';
import { createTenant, findTenantBySlug } from '../store/repos/tenants.js';
import { loadAdvisories, type AdvisoryCounts } from './load-advisories.js';
import { loadPosture, type PostureCounts } from './load-posture.js';
import { loadProjects, type ProjectCounts } from './load-projects.js';
import { builtinPlan, sampleDir } from './plan-builtin.js';
import type { DemoPlan, DemoSource } from './plan.js';
import { sharedPlan } from './plan-shared.js';

/** Bumped when what the demo loads changes, so an older marker no longer skips the load. */
export const DEMO_DATA_VERSION = 1;
const MARKER = 'demo.loaded';

export interface DemoDeps {
  readonly db: Database;
  readonly logger: Logger;
  readonly objects: ObjectStore;
  readonly uploadLimit: number;
  /** Progress lines (stderr in `vigil serve`). */
  readonly say?: ((line: string) => void) | undefined;
  readonly now?: Date | undefined;
}

export interface DemoReport {
  readonly source: DemoSource;
  readonly root: string;
  readonly tenant: string;
  /** true when a marker showed the same demo data already loaded: nothing was read. */
  readonly skipped: boolean;
  readonly advisories?: AdvisoryCounts;
  readonly projects?: ProjectCounts;
  readonly posture?: PostureCounts;
  readonly slaBreached?: number;
  readonly durationMs: number;
}

/**
 * Where the demo data comes from: `demoData` (VIGIL_DEMO_DATA; `builtin` forces the sample),
 * else VIGIL_SHARED_DATA, else `../shared/data` beside the checkout or the working directory
 * when it exists, else the built-in sample.
 */
export function resolveDemoSource(demoData: string | undefined, env: NodeJS.ProcessEnv = process.env): { source: DemoSource; root: string } {
  const builtin = (): { source: DemoSource; root: string } => {
    const root = sampleDir();
    if (!root) throw new ConfigError('VIGIL_DEMO', 'the built-in demo sample (src/demo/sample) is missing from this installation; set VIGIL_DEMO_DATA to a shared/data folder');
    return { source: 'builtin', root };
  };
  if (demoData === 'builtin') return builtin();
  if (demoData !== undefined) {
    const root = resolve(demoData);
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new ConfigError('VIGIL_DEMO_DATA', `${root} is not a folder (expected a shared/data folder, or "builtin")`);
    return { source: 'shared', root };
  }
  const checkout = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'data');
  const candidates = [env['VIGIL_SHARED_DATA'], checkout, resolve('..', 'shared', 'data')].filter((c): c is string => Boolean(c));
  const found = candidates.map((c) => resolve(c)).find((c) => existsSync(c) && statSync(c).isDirectory());
  return found ? { source: 'shared', root: found } : builtin();
}

const fingerprint = (source: DemoSource, root: string): string => createHash('sha256').update(`${DEMO_DATA_VERSION}\n${source}\n${root}`).digest('hex');

async function demoTenant(db: Database): Promise<string> {
  return db.system(async (q) => {
    const t = (await findTenantBySlug(q, DEFAULT_TENANT)) ?? (await createTenant(q, DEFAULT_TENANT, 'Default'));
    return t.id;
  });
}

async function markerOf(db: Database, tenantId: string): Promise<string | undefined> {
  return db.system(async (q) => {
    const { rows } = await q.query<{ value: string }>('SELECT value FROM system_settings WHERE key = $1', [`${MARKER}:${tenantId}`]);
    if (!rows[0]) return undefined;
    try {
      return (JSON.parse(rows[0].value) as { fingerprint?: string }).fingerprint;
    } catch {
      return undefined;
    }
  });
}

async function setMarker(db: Database, tenantId: string, value: Record<string, unknown>): Promise<void> {
  await db.system((q) =>
    q.query('INSERT INTO system_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value', [`${MARKER}:${tenantId}`, JSON.stringify(value)]),
  );
}

/** Loads the demo data (see the file comment). `source` as resolveDemoSource returns it. */
export async function loadDemo(deps: DemoDeps, where: { source: DemoSource; root: string }): Promise<DemoReport> {
  const t0 = performance.now();
  const say = deps.say ?? (() => undefined);
  const tenantId = await demoTenant(deps.db);
  const fp = fingerprint(where.source, where.root);
  if ((await markerOf(deps.db, tenantId)) === fp) {
    say(`demo data from ${where.root} already loaded; nothing to do`);
    return { ...where, tenant: DEFAULT_TENANT, skipped: true, durationMs: performance.now() - t0 };
  }
  say(`loading demo data (${where.source === 'builtin' ? 'built-in sample' : 'real public data'}) from ${where.root} into tenant "${DEFAULT_TENANT}"`);
  let t = performance.now();
  const lap = () => {
    const ms = performance.now() - t;
    t = performance.now();
    return `${(ms / 1000).toFixed(1)} s`;
  };
  const plan: DemoPlan = where.source === 'builtin' ? builtinPlan(where.root) : await sharedPlan(where.root);
  say(`plan: ${plan.advisories.length} advisory file(s), ${plan.projects.length} project(s), ${plan.postureScans.length} posture scan(s), ${plan.targets.length} cluster/account source(s) (${lap()})`);
  const advisories = await loadAdvisories(deps.db, deps.logger, plan);
  say(`advisories: ${advisories.records} record(s) read, ${advisories.new} new or updated, ${advisories.unchanged} unchanged, ${advisories.invalid} invalid (${lap()})`);
  const projects = await loadProjects({ db: deps.db, objects: deps.objects, uploadLimit: deps.uploadLimit, say, now: deps.now }, tenantId, plan);
  say(`projects: ${projects.projects}, ${projects.versions} version(s) stored (${projects.skippedVersions} already there), ${projects.findingsCreated} finding(s) created, ${projects.triaged} triaged (${lap()})`);
  // What the hourly sla.check job would find: findings first seen long ago are past due.
  const sla = await deps.db.system((q) => checkSla(q));
  const posture = await loadPosture(deps.db, tenantId, plan, say);
  say(`posture: ${posture.scans} project scan(s) and ${posture.targetScans} cluster/account scan(s) stored, ${posture.targets} target(s) (${lap()})`);
  const durationMs = performance.now() - t0;
  await setMarker(deps.db, tenantId, { fingerprint: fp, source: where.source, root: where.root, loadedAt: new Date().toISOString() });
  return { ...where, tenant: DEFAULT_TENANT, skipped: false, advisories, projects, posture, slaBreached: sla.breached, durationMs };
}
