// Import throughput of `vigil db import` on the shared corpus (../shared/data/cve5 and
// ../shared/data/osv), run from the built product as users run it (dist/, built first when
// stale), against a baseline measured in the same run: merely reading every file
// and parsing it (JSON.parse; the PyPA YAML files with js-yaml, the importer's fast YAML path). Prints
// records/s into a fresh on-disk PGlite and, when DATABASE_URL is set, into a fresh schema on
// that PostgreSQL server, the ratio of each to the baseline, a re-import (nothing changes)
// and the heap after 20 % of the input against the heap at the end (flat when streaming).
// Targets (issue 3, on 2 cores): ≥ 1,500 records/s into PGlite, ≥ 5,000 into PostgreSQL,
// ingest/parse ratio ≥ 0.3, heap growth under HEAP_GROWTH_LIMIT_MB.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import pg from 'pg';
import { pino } from 'pino';
import jsyaml from 'js-yaml';
import type * as IngestModule from '../src/feeds/ingest.js';
import type { IngestReport } from '../src/feeds/ingest.js';
import type * as RegistryModule from '../src/feeds/registry.js';
import type * as DbModule from '../src/store/db.js';
import type { Database } from '../src/store/db.js';
import type * as MigrateModule from '../src/store/migrate.js';
import { sharedData } from '../test/helpers/shared.js';
import { distUrl, ensureBuilt } from './built.js';
import type { BenchResult, Figure } from './types.js';

/**
 * The import as users run it (`vigil db import` runs dist/), built first when stale. From the
 * TypeScript source through tsx, every thread would also load tsx and start its own hooks thread.
 */
interface Product {
  readonly ingest: typeof IngestModule.ingest;
  readonly FEED_PARSERS: typeof RegistryModule.FEED_PARSERS;
  readonly openDatabase: typeof DbModule.openDatabase;
  readonly migrate: typeof MigrateModule.migrate;
}

async function loadProduct(): Promise<Product> {
  ensureBuilt();
  const [ingestMod, registry, db, migrations] = await Promise.all([
    import(distUrl('feeds/ingest.js')) as Promise<typeof IngestModule>,
    import(distUrl('feeds/registry.js')) as Promise<typeof RegistryModule>,
    import(distUrl('store/db.js')) as Promise<typeof DbModule>,
    import(distUrl('store/migrate.js')) as Promise<typeof MigrateModule>,
  ]);
  return { ingest: ingestMod.ingest, FEED_PARSERS: registry.FEED_PARSERS, openDatabase: db.openDatabase, migrate: migrations.migrate };
}

export const PGLITE_TARGET = 1500;
export const POSTGRES_TARGET = 5000;
export const RATIO_TARGET = 0.3;
export const HEAP_GROWTH_LIMIT_MB = 48;

const DATA_FILE = /\.(json|ya?ml)$/i;
const YAML_FILE = /\.ya?ml$/i;
const SKIP_DIRS = new Set(['.git', 'node_modules']);

const note = (msg: string) => console.error(`bench ingest: ${msg}`);
const round = (n: number, digits = 0) => Math.round(n * 10 ** digits) / 10 ** digits;
const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

/** Data files under `dir`, sorted, as the importer's walk finds them. */
async function* dataFiles(dir: string): AsyncGenerator<string> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory() && !SKIP_DIRS.has(e.name)) yield* dataFiles(p);
    else if (e.isFile() && DATA_FILE.test(e.name)) yield p;
  }
}

interface Baseline {
  readonly files: number;
  readonly yamlFiles: number;
  readonly bytes: number;
  readonly ms: number;
}

/** Reads and parses every file, one after the other: the cost of merely looking at the input. */
async function parseBaseline(roots: readonly string[]): Promise<Baseline> {
  let files = 0;
  let yamlFiles = 0;
  let bytes = 0;
  const t0 = performance.now();
  for (const root of roots) {
    for await (const path of dataFiles(root)) {
      const text = await readFile(path, 'utf8');
      bytes += text.length;
      files++;
      if (YAML_FILE.test(path)) {
        yamlFiles++;
        jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA });
      } else {
        try {
          JSON.parse(text);
        } catch {
          // A malformed file costs its parse attempt, as it does in the importer.
        }
      }
    }
  }
  return { files, yamlFiles, bytes, ms: performance.now() - t0 };
}

/** A full collection, for heap figures that do not depend on when V8 last collected. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as unknown;
  if (typeof gc !== 'function') throw new Error('cannot reach the garbage collector');
  return gc as () => void;
}

interface Run {
  readonly report: IngestReport;
  readonly ms: number;
  /** CPU time of this process (every thread: the import worker and, with PGlite, the database too). */
  readonly cpuMs: number;
  readonly peakRss: number;
  readonly peakHeap: number;
  /** Heap (this thread's, after a full collection) and resident set once 20 % of the expected records were read, and at the end. */
  readonly heapAt20: number | undefined;
  readonly heapAtEnd: number;
  readonly rssAt20: number | undefined;
  readonly rssAtEnd: number;
}

async function timedIngest(p: Product, db: Database, roots: readonly string[], expected: number): Promise<Run> {
  const gc = collector();
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 100);
  let heapAt20: number | undefined;
  let rssAt20: number | undefined;
  gc();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  try {
    const report = await p.ingest(db, pino({ level: 'silent' }), roots, {
      source: 'auto',
      parsers: p.FEED_PARSERS,
      onProgress: (p) => {
        if (heapAt20 === undefined && p.records >= expected * 0.2) {
          gc();
          ({ heapUsed: heapAt20, rss: rssAt20 } = process.memoryUsage());
        }
      },
    });
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    sample();
    gc();
    const end = process.memoryUsage();
    return { report, ms, cpuMs: (cpu.user + cpu.system) / 1000, peakRss, peakHeap, heapAt20, heapAtEnd: end.heapUsed, rssAt20, rssAtEnd: end.rss };
  } finally {
    clearInterval(sampler);
  }
}

function counted(r: IngestReport): { new: number; updated: number; unchanged: number; invalid: number } {
  const c = { new: 0, updated: 0, unchanged: 0, invalid: 0 };
  for (const run of r.runs) {
    c.new += run.counts.new;
    c.updated += run.counts.updated;
    c.unchanged += run.counts.unchanged;
    c.invalid += run.counts.invalid;
  }
  return c;
}

/** A first import and a re-import into `db`; figures named `<prefix>_…`. */
async function measure(p: Product, prefix: string, db: Database, roots: readonly string[], expected: number, figures: Figure[]): Promise<{ rate: number; growth: number | undefined }> {
  await p.migrate(db);
  const first = await timedIngest(p, db, roots, expected);
  const rate = first.report.records / (first.ms / 1000);
  const c = counted(first.report);
  note(`${prefix}: ${first.report.records} records in ${round(first.ms / 1000, 1)} s (new ${c.new}, updated ${c.updated}, unchanged ${c.unchanged}, invalid ${c.invalid})`);
  const again = await timedIngest(p, db, roots, expected);
  const c2 = counted(again.report);
  if (c2.new !== 0 || c2.updated !== 0) throw new Error(`${prefix}: re-import changed records (new ${c2.new}, updated ${c2.updated})`);
  const growth = first.heapAt20 === undefined ? undefined : first.heapAtEnd - first.heapAt20;
  figures.push(
    { name: `${prefix}_records_per_s`, value: round(rate), unit: 'records/s' },
    { name: `${prefix}_reimport_records_per_s`, value: round(again.report.records / (again.ms / 1000)), unit: 'records/s' },
    // On a shared machine wall time depends on the neighbours; CPU time much less (the server's own is not counted).
    { name: `${prefix}_process_cpu_s`, value: round(first.cpuMs / 1000, 2), unit: 's' },
    { name: `${prefix}_peak_rss_mb`, value: mb(first.peakRss), unit: 'MB' },
    { name: `${prefix}_peak_heap_mb`, value: mb(first.peakHeap), unit: 'MB' },
  );
  if (growth !== undefined) figures.push({ name: `${prefix}_heap_growth_mb`, value: mb(growth), unit: 'MB' });
  // The whole process, the import worker's heap and the database's own memory included (no target: PGlite's grows with its cache).
  if (first.rssAt20 !== undefined) figures.push({ name: `${prefix}_rss_growth_mb`, value: mb(first.rssAtEnd - first.rssAt20), unit: 'MB' });
  return { rate, growth };
}

async function onPglite(p: Product, roots: readonly string[], expected: number, figures: Figure[]) {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-ingest-'));
  try {
    const db = await p.openDatabase({ dataDir: dir });
    try {
      return await measure(p, 'ingest_pglite', db, roots, expected, figures);
    } finally {
      await db.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function onPostgres(p: Product, url: string, roots: readonly string[], expected: number, figures: Figure[]) {
  const schema = `bench_ingest_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      const db = await p.openDatabase({ databaseUrl: url, poolSize: 4, pgOptions: `-c search_path=${schema}` });
      try {
        return await measure(p, 'ingest_postgres', db, roots, expected, figures);
      } finally {
        await db.close();
      }
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    }
  } finally {
    await admin.end();
  }
}

export async function benchIngest(): Promise<BenchResult> {
  const cve5 = sharedData('cve5');
  const osv = sharedData('osv');
  if (!cve5 || !osv) {
    note('shared data cve5/osv not found (set VIGIL_SHARED_DATA to the shared/data folder); skipped');
    return { figures: [], failures: [] };
  }
  const roots = [cve5, osv];
  const figures: Figure[] = [];
  const failures: string[] = [];

  // The baseline runs before and after the imports; the faster run counts, so that a busy
  // machine during one of them does not flatter the ratio.
  const base1 = await parseBaseline(roots);
  note(`baseline: ${base1.files} files (${base1.yamlFiles} YAML parsed with js-yaml, the rest with JSON.parse), ${mb(base1.bytes)} MB`);

  const product = await loadProduct();
  const pglite = await onPglite(product, roots, base1.files, figures);
  const url = process.env['DATABASE_URL'];
  const server = url ? await onPostgres(product, url, roots, base1.files, figures) : undefined;
  if (!url) note('DATABASE_URL not set: PostgreSQL server not measured');

  const base2 = await parseBaseline(roots);
  const baseMs = Math.min(base1.ms, base2.ms);
  const baseRate = base1.files / (baseMs / 1000);
  figures.push(
    { name: 'parse_baseline_records_per_s', value: round(baseRate), unit: 'records/s' },
    { name: 'parse_baseline_yaml_files', value: base1.yamlFiles, unit: 'files' },
    { name: 'ingest_parse_ratio', value: round(pglite.rate / baseRate, 3), unit: 'ratio' },
  );
  if (server) figures.push({ name: 'ingest_postgres_parse_ratio', value: round(server.rate / baseRate, 3), unit: 'ratio' });
  if (pglite.growth !== undefined) figures.push({ name: 'ingest_heap_growth_mb', value: mb(Math.max(pglite.growth, server?.growth ?? -Infinity)), unit: 'MB' });

  if (pglite.rate < PGLITE_TARGET) failures.push(`PGlite import ${round(pglite.rate)} records/s, target ≥ ${PGLITE_TARGET}`);
  if (server && server.rate < POSTGRES_TARGET) failures.push(`PostgreSQL import ${round(server.rate)} records/s, target ≥ ${POSTGRES_TARGET}`);
  if (pglite.rate / baseRate < RATIO_TARGET) failures.push(`ingest/parse ratio ${round(pglite.rate / baseRate, 3)}, target ≥ ${RATIO_TARGET}`);
  for (const [name, g] of [['PGlite', pglite.growth], ['PostgreSQL', server?.growth]] as const) {
    if (g === undefined) {
      if (name === 'PGlite' || server) failures.push(`${name}: no heap sample at 20 % of the input (progress not reported?)`);
    } else if (g / 1024 / 1024 > HEAP_GROWTH_LIMIT_MB) {
      failures.push(`${name}: heap grew ${mb(g)} MB between 20 % of the input and the end, limit ${HEAP_GROWTH_LIMIT_MB} MB (not streaming?)`);
    }
  }
  return { figures, failures };
}
