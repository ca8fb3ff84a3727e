import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { createEpssParser } from '../../src/feeds/epss/index.js';
import { ingest, type IngestReport } from '../../src/feeds/ingest.js';
import { FEED_PARSERS } from '../../src/feeds/registry.js';
import type { FeedParser } from '../../src/feeds/types.js';
import type { Database } from '../../src/store/db.js';
import { mergedAdvisory } from '../../src/store/repos/advisoryQueries.js';
import { quarantineOf } from '../../src/store/repos/feedRuns.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { sharedData, skipMessage } from '../helpers/shared.js';

// The whole shared corpus (CVE 5, OSV, KEV 2025-08-25, EPSS) into one fresh database: every
// record accounted for, alias groups across sources, KEV on its CVEs, and a re-import that
// changes nothing. Its run time is a performance check too (well under a minute on PGlite).

const inputs = [sharedData('cve5'), sharedData('osv'), sharedData('kev', '2025-08-25'), sharedData('epss')];
const missing = inputs.some((p) => p === undefined);
const paths = inputs.filter((p): p is string => p !== undefined);

// The EPSS files of the corpus carry no date of their own: they are dated by the parser.
const parsers: FeedParser[] = FEED_PARSERS.map((p) => (p.id === 'epss' ? createEpssParser({ defaultDate: '2026-08-16' }) : p));
const logger = pino({ level: 'silent' });

let t: TestDatabase;
let db: Database;
let first: IngestReport;

before(async () => {
  if (missing) return;
  t = await testDatabase();
  db = t.db;
  first = await ingest(db, logger, paths, { source: 'auto', parsers });
});
after(async () => {
  await t?.cleanup();
});

const bySource = (r: IngestReport) => Object.fromEntries(r.runs.map((x) => [x.source, x.counts]));
const count = async (sql: string, params: unknown[] = []) => (await db.system((q) => q.query<{ n: number }>(sql, params))).rows[0]!.n;

test('every record is stored or quarantined with a reason, and the counts add up', { skip: missing && skipMessage('cve5, osv, kev/2025-08-25 or epss') }, async () => {
  const c = bySource(first);
  assert.deepEqual(Object.keys(c).sort(), ['cve5', 'epss', 'kev', 'osv']);
  let total = 0;
  for (const run of first.runs) {
    const k = run.counts;
    total += k.new + k.updated + k.unchanged + k.invalid;
    if (run.source === 'kev') {
      // The catalog is there twice, as JSON and as CSV: the second copy finds every entry as the first left it.
      assert.deepEqual([k.updated, k.unchanged, k.invalid], [0, k.new, 0], JSON.stringify(k));
    } else {
      // A fresh database: a record is new unless the corpus holds the same id twice (a handful do).
      assert.ok(k.updated + k.unchanged <= k.new / 100, `${run.source}: ${JSON.stringify(k)}`);
    }
    const q = await db.system((x) => quarantineOf(x, run.runId, 100_000));
    assert.equal(q.length, k.invalid, `${run.source}: one quarantine row per invalid record`);
    for (const item of q) assert.ok(item.reason.length > 0 && item.file.length > 0, JSON.stringify(item));
  }
  assert.equal(total, first.records, 'every record the parsers yielded is counted once');
  // "New" means stored: one row per new record.
  assert.equal(await count("SELECT count(*)::int AS n FROM advisories WHERE source = 'cve5'"), c['cve5']!.new);
  assert.equal(await count("SELECT count(*)::int AS n FROM advisories WHERE source = 'osv'"), c['osv']!.new);
  assert.equal(await count('SELECT count(*)::int AS n FROM kev_entries'), c['kev']!.new);
  assert.equal(await count('SELECT count(*)::int AS n FROM epss_scores'), c['epss']!.new);
  assert.ok(c['cve5']!.new > 4000 && c['osv']!.new > 6000 && c['kev']!.new > 1000 && c['epss']!.new > 200_000, JSON.stringify(c));
  // Every advisory answers to its own id in the alias index.
  assert.equal(await count('SELECT count(*)::int AS n FROM advisories a WHERE NOT EXISTS (SELECT 1 FROM advisory_ids i WHERE i.source = a.source AND i.advisory_id = a.id AND i.vuln_id = upper(a.id))'), 0);
});

test('alias groups join CVE records and the OSV advisories that name them', { skip: missing && skipMessage('the corpus') }, async () => {
  // Log4Shell: the CVE record, GitHub's advisory for log4j-core, and KEV.
  const m = await db.system((q) => mergedAdvisory(q, 'GHSA-jfh8-c2jp-5v3q'));
  assert.ok(m);
  assert.equal(m.id, 'CVE-2021-44228');
  assert.ok(m.records.some((r) => r.source === 'cve5' && r.id === 'CVE-2021-44228'), JSON.stringify(m.records));
  assert.ok(m.records.some((r) => r.source === 'osv' && r.id === 'GHSA-jfh8-c2jp-5v3q'), JSON.stringify(m.records));
  assert.equal(m.kev?.dateAdded, '2021-12-10');
  assert.equal(m.severity, 'critical');
  // And generally: each ecosystem database has advisories grouped with a CVE 5 record.
  for (const prefix of ['GO', 'PYSEC', 'RUSTSEC', 'GHSA']) {
    const { rows } = await db.system((q) =>
      q.query<{ cve: string; osv: string }>(
        `SELECT c.advisory_id AS cve, o.advisory_id AS osv FROM advisory_ids c
           JOIN advisory_ids o ON o.vuln_id = c.vuln_id AND o.source = 'osv' AND o.advisory_id LIKE $1
          WHERE c.source = 'cve5' ORDER BY 1, 2 LIMIT 1`,
        [`${prefix}-%`],
      ),
    );
    const pair = rows[0];
    assert.ok(pair, `no ${prefix} advisory shares a CVE with a CVE 5 record`);
    for (const asked of [pair.osv, pair.cve]) {
      const g = await db.system((q) => mergedAdvisory(q, asked));
      assert.ok(g, asked);
      assert.ok([g.id, ...g.aliases].includes(pair.cve) && [g.id, ...g.aliases].includes(pair.osv), `${asked}: ${g.id} ${g.aliases.join(' ')}`);
      assert.ok(g.records.some((r) => r.source === 'cve5' && r.id === pair.cve) && g.records.some((r) => r.source === 'osv' && r.id === pair.osv), JSON.stringify(g.records));
    }
  }
});

test('KEV entries attach to their CVEs', { skip: missing && skipMessage('the corpus') }, async () => {
  // The CVE 5 slice was chosen to hold the CVEs of the KEV catalog of its time (286 of them are in this one).
  assert.ok(await count("SELECT count(*)::int AS n FROM kev_entries k JOIN advisories a ON a.source = 'cve5' AND a.id = k.cve_id") >= 250);
  const { rows } = await db.system((q) =>
    q.query<{ cve_id: string; date_added: string }>(
      "SELECT k.cve_id, to_char(k.date_added, 'YYYY-MM-DD') AS date_added FROM kev_entries k JOIN advisories a ON a.source = 'cve5' AND a.id = k.cve_id ORDER BY k.cve_id LIMIT 3",
    ),
  );
  for (const r of rows) {
    const m = await db.system((q) => mergedAdvisory(q, r.cve_id));
    assert.equal(m?.kev?.dateAdded, r.date_added, r.cve_id);
  }
});

test('re-importing the whole corpus changes nothing', { skip: missing && skipMessage('the corpus') }, async () => {
  const again = await ingest(db, logger, paths, { source: 'auto', parsers });
  assert.equal(again.records, first.records);
  for (const run of again.runs) {
    assert.equal(run.counts.new, 0, `${run.source} new`);
    assert.equal(run.counts.updated, 0, `${run.source} updated`);
    assert.equal(run.counts.invalid, bySource(first)[run.source]!.invalid, `${run.source} invalid`);
  }
});
