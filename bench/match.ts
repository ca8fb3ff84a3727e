// Matching speed (issue 5). Imports ../shared/data/osv and ../shared/data/cve5 into a fresh
// on-disk PGlite, then:
//  - cold (CLI): `vigil scan FILE --format json` in a new process per file (the built CLI in
//    dist/ when present), for every real lockfile in ../shared/data/lockfiles/real-world;
//  - warm (API): POST /api/v1/scan on a running app for the same files, a generated
//    2,000-package package-lock.json and generated 10,000-component CycloneDX SBOMs (10 % of
//    the components with advisories, as the target's; and all of them, as a stress figure);
//  - re-matching: 100 projects uploaded, then (a) an advisory import touching some of them
//    and (b) every project re-matched, as findings/s.
// Targets: 2,000-package lockfile < 300 ms warm; 10,000-component SBOM < 1 s warm;
// re-matching 100 projects after a feed update < 10 s.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createContext } from '../src/app/context.js';
import { hashPassword } from '../src/auth/passwords.js';
import { resolveConfig } from '../src/config/config.js';
import { ingest } from '../src/feeds/ingest.js';
import { FEED_PARSERS } from '../src/feeds/registry.js';
import { INVENTORY_READERS } from '../src/inventory/registry.js';
import { readerForPath } from '../src/inventory/walk/run.js';
import { rematchChanged } from '../src/match/project.js';
import { buildApp } from '../src/server/app.js';
import { openDatabase } from '../src/store/db.js';
import { migrate } from '../src/store/migrate.js';
import { createTenant } from '../src/store/repos/tenants.js';
import { insertUser } from '../src/store/repos/users.js';
import { sharedData } from '../test/helpers/shared.js';
import type { BenchResult, Figure } from './types.js';

export const LOCKFILE_2K_TARGET_MS = 300;
export const SBOM_10K_TARGET_MS = 1000;
export const REMATCH_100_TARGET_S = 10;

const note = (msg: string) => console.error(`bench match: ${msg}`);
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

async function* walk(dir: string): AsyncGenerator<string> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/** Names of real packages with advisories in the slice, per ecosystem, so generated inputs match something. */
async function advisoryNames(osvRoot: string): Promise<Map<string, string[]>> {
  const out = new Map<string, Set<string>>();
  for await (const f of walk(osvRoot)) {
    if (!f.endsWith('.json') || f.includes('querybatch')) continue;
    try {
      const doc = JSON.parse(await readFile(f, 'utf8')) as { affected?: { package?: { ecosystem?: string; name?: string } }[] };
      for (const a of doc.affected ?? []) {
        const eco = a.package?.ecosystem;
        const name = a.package?.name;
        if (!eco || !name || eco.includes(':')) continue;
        let s = out.get(eco);
        if (!s) out.set(eco, (s = new Set()));
        s.add(name);
      }
    } catch {
      // not a record
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

function packageLock(n: number, names: readonly string[]): string {
  const packages: Record<string, unknown> = { '': { name: 'bench', version: '1.0.0', dependencies: {} } };
  for (let i = 0; i < n; i++) {
    const name = i < names.length ? names[i]! : `bench-pkg-${i}`;
    packages[`node_modules/${name}`] = { version: `1.${i % 7}.${i % 13}` };
  }
  return JSON.stringify({ name: 'bench', version: '1.0.0', lockfileVersion: 3, requires: true, packages });
}

const PURL_TYPE: Record<string, string> = { npm: 'npm', PyPI: 'pypi', Go: 'golang', 'crates.io': 'cargo', Maven: 'maven', NuGet: 'nuget' };

/**
 * A CycloneDX SBOM of `n` components over npm, PyPI, Go, crates.io, Maven and NuGet. A share
 * `vulnerable` of them are packages the slice has advisories for, at versions inside their
 * ranges; the rest are packages without advisories (synthetic names), as in a real SBOM where
 * most components have no known vulnerability.
 */
function sbom(n: number, names: Map<string, string[]>, vulnerable: number): string {
  const ecos = [...names.keys()].filter((e) => PURL_TYPE[e]);
  const components = [];
  const every = vulnerable > 0 ? Math.round(1 / vulnerable) : Infinity;
  for (let i = 0; i < n; i++) {
    const eco = ecos[i % ecos.length]!;
    const list = names.get(eco)!;
    const version = `${i % 5}.${i % 11}.${i % 3}`;
    const withAdvisory = i % every === 0;
    const raw = withAdvisory ? list[Math.floor(i / ecos.length) % list.length]! : eco === 'Maven' ? `org.bench:component-${i}` : eco === 'Go' ? `example.com/bench/component${i}` : `bench-component-${i}`;
    let purl: string;
    if (eco === 'Maven' && raw.includes(':')) {
      const [g, a] = raw.split(':');
      purl = `pkg:maven/${g}/${a}@${version}`;
    } else if (eco === 'Go') purl = `pkg:golang/${raw}@v${version}`;
    else purl = `pkg:${PURL_TYPE[eco]}/${encodeURIComponent(raw).replace(/%2F/g, '/')}@${version}`;
    components.push({ type: 'library', 'bom-ref': `c${i}`, name: raw, version, purl });
  }
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79', metadata: { component: { type: 'application', name: 'bench', 'bom-ref': 'root' } }, components });
}

export async function benchMatch(): Promise<BenchResult> {
  const osvRoot = sharedData('osv');
  const cve5Root = sharedData('cve5');
  const realWorld = sharedData('lockfiles', 'real-world');
  if (!osvRoot || !cve5Root || !realWorld) {
    note('shared data (osv, cve5, lockfiles/real-world) not found: skipped (set VIGIL_SHARED_DATA)');
    return { figures: [], failures: [] };
  }
  const figures: Figure[] = [];
  const failures: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-match-'));
  const dataDir = join(dir, 'data');
  const logger = pino({ level: 'silent' });
  try {
    // 1. The advisory database.
    let t0 = performance.now();
    {
      const db = await openDatabase({ dataDir });
      await migrate(db);
      const r = await ingest(db, logger, [osvRoot, cve5Root], { source: 'auto', parsers: FEED_PARSERS });
      note(`imported ${r.records} records in ${round((performance.now() - t0) / 1000, 1)} s`);
      await db.close();
    }
    const names = await advisoryNames(osvRoot);
    const inputs: { name: string; file: string }[] = [];
    for await (const f of walk(realWorld)) if (readerForPath(INVENTORY_READERS, relative(realWorld, f))) inputs.push({ name: relative(realWorld, f), file: f });
    inputs.sort((a, b) => (a.name < b.name ? -1 : 1));
    await mkdir(join(dir, 'gen'));
    const lock2k = join(dir, 'gen', 'package-lock.json');
    await writeFile(lock2k, packageLock(2000, names.get('npm') ?? []));
    const sbom10k = join(dir, 'gen', 'bench-10k.cdx.json');
    await writeFile(sbom10k, sbom(10_000, names, 0.1));
    const sbomAll = join(dir, 'gen', 'bench-10k-all.cdx.json');
    await writeFile(sbomAll, sbom(10_000, names, 1));
    const generated = [
      { name: 'generated 2,000-package package-lock.json', file: lock2k, key: 'lockfile_2k' },
      { name: 'generated 10,000-component CycloneDX (10 % with advisories)', file: sbom10k, key: 'sbom_10k' },
      { name: 'generated 10,000-component CycloneDX (every component with advisories: stress)', file: sbomAll, key: 'sbom_10k_all_vulnerable' },
    ];

    // 2. Cold: a new CLI process per scan.
    const dist = join(ROOT, 'dist', 'cli', 'main.js');
    const built = existsSync(dist) && existsSync(join(ROOT, 'dist', 'cli', 'commands', 'scan.js'));
    const cli = built ? [dist] : ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')];
    if (!built) note('dist/ not built (or older than vigil scan): cold figures include TypeScript compilation (run npm run build)');
    const cold: number[] = [];
    for (const input of [...inputs, ...generated]) {
      const start = performance.now();
      const res = spawnSync(process.execPath, [...cli, 'scan', input.file, '--format', 'json', '-q', '--allow-partial', '--data-dir', dataDir], {
        encoding: 'utf8',
        env: { ...process.env, DATABASE_URL: '', VIGIL_LOG_LEVEL: 'silent' },
        maxBuffer: 256 * 1024 * 1024,
      });
      const ms = performance.now() - start;
      if (res.status !== 0 && res.status !== 1) throw new Error(`vigil scan ${input.name} exited ${res.status}: ${res.stderr.slice(0, 500)}`);
      const doc = JSON.parse(res.stdout) as { packages: number; findings: unknown[] };
      cold.push(ms);
      note(`cold ${input.name}: ${doc.packages} packages, ${doc.findings.length} findings, ${round(ms)} ms`);
      if ('key' in input) figures.push({ name: `match_cold_${(input as { key: string }).key}_ms`, value: round(ms), unit: 'ms' });
    }
    figures.push({ name: 'match_cold_real_lockfile_median_ms', value: round(median(cold.slice(0, inputs.length))), unit: 'ms' });

    // 3. Warm: the API of a running app.
    const config = resolveConfig({ flags: { dataDir, logLevel: 'silent', jwtSecret: 'bench-secret-'.padEnd(48, 'x'), uploadLimit: 512 * 1024 * 1024 }, env: {} });
    const ctx = await createContext(config, { logger, defaultMetrics: false });
    const app = await buildApp(ctx);
    await app.ready();
    try {
      const tenant = await ctx.db.system((q) => createTenant(q, 'bench', 'bench'));
      const password = 'bench-password-long-enough';
      await ctx.db.tenant(tenant.id, async (q) => insertUser(q, { tenantId: tenant.id, email: 'bench@bench.test', passwordHash: await hashPassword(password), role: 'admin' }));
      const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'bench@bench.test', password } });
      const auth = { authorization: `Bearer ${login.json<{ accessToken: string }>().accessToken}`, 'content-type': 'application/octet-stream' };
      const scan = async (file: string) => {
        const body = await readFile(file);
        const start = performance.now();
        const res = await app.inject({ method: 'POST', url: `/api/v1/scan?filename=${encodeURIComponent(basename(file))}`, headers: auth, payload: body });
        const ms = performance.now() - start;
        if (res.statusCode !== 200) throw new Error(`POST /scan ${file}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        return { ms, doc: res.json<{ packages: number; findings: unknown[] }>() };
      };
      const warm: number[] = [];
      for (const input of [...inputs, ...generated]) {
        await scan(input.file);
        await scan(input.file);
        const runs: number[] = [];
        let doc = { packages: 0, findings: [] as unknown[] };
        for (let i = 0; i < 5; i++) {
          const r = await scan(input.file);
          runs.push(r.ms);
          doc = r.doc;
        }
        const ms = median(runs);
        note(`warm ${input.name}: ${doc.packages} packages, ${doc.findings.length} findings, ${round(ms, 1)} ms`);
        if ('key' in input) {
          const key = (input as { key: string }).key;
          figures.push({ name: `match_warm_${key}_ms`, value: round(ms, 1), unit: 'ms' });
          const target = key === 'lockfile_2k' ? LOCKFILE_2K_TARGET_MS : key === 'sbom_10k' ? SBOM_10K_TARGET_MS : undefined;
          if (target !== undefined && ms >= target) failures.push(`${input.name} scanned in ${round(ms)} ms warm (target < ${target} ms)`);
        } else warm.push(ms);
      }
      figures.push({ name: 'match_warm_real_lockfile_median_ms', value: round(median(warm), 1), unit: 'ms' });
      figures.push({ name: 'match_warm_real_lockfile_max_ms', value: round(Math.max(...warm), 1), unit: 'ms' });

      // 4. Re-matching: 100 projects, then a feed update, then everything.
      const pool = [...inputs, generated[0]!];
      const uploads: number[] = [];
      for (let i = 0; i < 100; i++) {
        const input = pool[i % pool.length]!;
        const start = performance.now();
        const res = await app.inject({ method: 'POST', url: `/api/v1/uploads?project=p${i}&version=1&filename=${encodeURIComponent(basename(input.file))}`, headers: auth, payload: await readFile(input.file) });
        if (res.statusCode !== 201) throw new Error(`upload ${input.name}: ${res.statusCode} ${res.body.slice(0, 300)}`);
        uploads.push(performance.now() - start);
      }
      figures.push({ name: 'match_upload_and_match_median_ms', value: round(median(uploads), 1), unit: 'ms' });
      await rematchChanged(ctx.db, logger); // the watermark after the initial import
      // (a) A feed update: 300 npm/PyPI advisories modified again.
      const update = join(dir, 'update');
      await mkdir(update);
      let n = 0;
      for await (const f of walk(join(osvRoot, 'ghsa-osv-export-sample'))) {
        if (!f.endsWith('.json') || n >= 300) continue;
        const doc = JSON.parse(await readFile(f, 'utf8')) as { modified: string };
        doc.modified = new Date(Date.parse(doc.modified) + 86_400_000).toISOString();
        await writeFile(join(update, `${n++}.json`), JSON.stringify(doc));
      }
      await ingest(ctx.db, logger, [update], { source: 'osv', parsers: FEED_PARSERS });
      t0 = performance.now();
      const upd = await rematchChanged(ctx.db, logger);
      const updS = (performance.now() - t0) / 1000;
      note(`feed update (${n} advisories): ${upd.projects} projects re-matched in ${round(updS, 2)} s`);
      figures.push({ name: 'match_rematch_after_update_s', value: round(updS, 2), unit: 's' }, { name: 'match_rematch_after_update_projects', value: upd.projects, unit: 'projects' });
      // (b) Every project: the watermark back to the start.
      await ctx.db.system((q) => q.query('UPDATE match_state SET advisories_seen_at = NULL'));
      t0 = performance.now();
      const all = await rematchChanged(ctx.db, logger);
      const allS = (performance.now() - t0) / 1000;
      const { rows } = await ctx.db.system((q) => q.query<{ n: string }>(`SELECT count(*) AS n FROM findings WHERE state <> 'fixed'`));
      const findings = Number(rows[0]?.n ?? 0);
      note(`all ${all.projects} projects re-matched in ${round(allS, 2)} s (${findings} findings)`);
      figures.push(
        { name: 'match_rematch_all_projects', value: all.projects, unit: 'projects' },
        { name: 'match_rematch_all_s', value: round(allS, 2), unit: 's' },
        { name: 'match_rematch_findings_per_s', value: round(findings / allS), unit: 'findings/s' },
      );
      if (Math.max(allS, updS) >= REMATCH_100_TARGET_S) failures.push(`re-matching 100 projects took ${round(Math.max(allS, updS), 1)} s (target < ${REMATCH_100_TARGET_S} s)`);
    } finally {
      await app.close();
      await ctx.db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { figures, failures };
}
