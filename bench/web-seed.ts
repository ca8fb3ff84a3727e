// The data set of bench/web.ts (issue 8 §5): one tenant with 1,000 projects (a version each
// with its components), ~5,000 advisories with KEV and EPSS, 100,000 findings spread over the
// projects (a few large, most small), severities, triage states, KEV and EPSS, SLA dates in the
// past and the future; posture scans of a few clusters and cloud accounts; audit records and
// finished jobs.
//
// Advisories, KEV and EPSS go through the feed importer (5,000 small OSV files take a few
// seconds, and the advisory detail page needs the exact JSON the importer stores). Projects,
// versions, components and findings are written with set-based SQL (INSERT … SELECT over
// generate_series) straight into the repositories' own tables, inside a tenant transaction so
// row-level security and every constraint apply: matching 1,000 uploaded inventories through
// the importers would take many minutes, and the benchmark measures reading, not matching.
// Posture scans go through the public API (POST /api/v1/scans), as the CLI uploads them.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { appendAudit } from '../src/audit/log.js';
import type { AppContext } from '../src/app/context.js';
import { ingest } from '../src/feeds/ingest.js';
import { FEED_PARSERS } from '../src/feeds/registry.js';
import { analyseCollected } from '../src/posture/collectors/analyse.js';
import { writeSyntheticAccount } from '../src/posture/collectors/aws/__fixtures__/synthetic.js';
import { syntheticCluster } from '../src/posture/collectors/kubernetes/__fixtures__/synthetic.js';
import { runCollectors } from '../src/posture/collectors/run.js';
import { renderPostureJson } from '../src/posture/output/json.js';
import { BUILTIN_RULES } from '../src/posture/rules/registry.js';
import { scannedResources } from '../src/store/repos/postureTargetsWorkloads.js';

export const PROJECTS = 1000;
export const ADVISORIES = 5000;
export const FINDINGS = 100_000;
/** Filler components per version besides the vulnerable packages. */
const FILLER_COMPONENTS = 30;
const AUDIT_RECORDS = 2000;
const JOBS = 300;
const CLUSTERS = 3;
const ACCOUNTS = 2;

const ECOSYSTEMS = [
  { osv: 'npm', purl: 'npm', name: (n: number) => `bench-lib-${n}` },
  { osv: 'PyPI', purl: 'pypi', name: (n: number) => `bench_py_${n}` },
  { osv: 'Go', purl: 'golang', name: (n: number) => `example.com/bench/mod${n}` },
  { osv: 'Maven', purl: 'maven', name: (n: number) => `org.bench:lib-${n}` },
  { osv: 'crates.io', purl: 'cargo', name: (n: number) => `bench-crate-${n}` },
] as const;

const VECTORS = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', // 9.8 critical
  'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', // 8.8 high
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', // 7.5 high
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', // 6.1 medium
  'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:N/A:N', // 3.7 low
  'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', // 5.5 medium
] as const;
/** How often each vector is used: many medium and high, fewer critical and low. */
const VECTOR_WEIGHTS = [1, 2, 3, 3, 1, 2];
const VECTOR_TOTAL = VECTOR_WEIGHTS.reduce((s, x) => s + x, 0);
const WORDS = ['prototype pollution', 'path traversal', 'denial of service', 'cross-site scripting', 'SQL injection', 'server-side request forgery', 'deserialization', 'regular expression', 'buffer overflow', 'open redirect'];

const GHSA_CHARS = '23456789cfghjmpqrvwx';
const ghsaPart = (n: number, len: number) => {
  let s = '';
  for (let i = 0; i < len; i++) {
    s += GHSA_CHARS[n % GHSA_CHARS.length];
    n = Math.floor(n / GHSA_CHARS.length);
  }
  return s;
};

export interface SeedAdvisory {
  readonly ghsa: string;
  readonly cve: string;
  readonly eco: string;
  readonly purlType: string;
  readonly name: string;
  readonly installed: string;
  readonly fixed: string | null;
  readonly vector: string;
}

/** The advisory set: one package each (packages shared by a few advisories), CVSS v3, a fix for most. */
export function seedAdvisories(n = ADVISORIES): SeedAdvisory[] {
  const out: SeedAdvisory[] = [];
  for (let i = 0; i < n; i++) {
    const e = ECOSYSTEMS[i % ECOSYSTEMS.length]!;
    const pkg = Math.floor(i / 3);
    const minor = i % 7;
    let w = i % VECTOR_TOTAL;
    let v = 0;
    while (w >= VECTOR_WEIGHTS[v]!) w -= VECTOR_WEIGHTS[v++]!;
    out.push({
      ghsa: `GHSA-${ghsaPart(i * 7919 + 11, 4)}-${ghsaPart(i * 104729 + 3, 4)}-${ghsaPart(i + 1, 4)}`,
      cve: `CVE-${2018 + (i % 7)}-${String(10000 + i).padStart(5, '0')}`,
      eco: e.osv,
      purlType: e.purl,
      name: e.name(pkg),
      installed: `1.${minor}.0`,
      fixed: i % 10 < 7 ? `1.${minor}.1` : null,
      vector: VECTORS[v]!,
    });
  }
  return out;
}

function osvRecord(a: SeedAdvisory, i: number): Record<string, unknown> {
  const day = new Date(Date.UTC(2019, 0, 1) + (i * 37 % 2400) * 86_400_000).toISOString();
  const what = WORDS[i % WORDS.length]!;
  return {
    schema_version: '1.6.0',
    id: a.ghsa,
    aliases: [a.cve],
    modified: day,
    published: day,
    summary: `${what} in ${a.name}`,
    details: `Versions of ${a.name} before ${a.fixed ?? 'any fix'} allow ${what} through crafted input (benchmark advisory ${i}).`,
    severity: [{ type: 'CVSS_V3', score: a.vector }],
    affected: [{ package: { ecosystem: a.eco, name: a.name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, a.fixed ? { fixed: a.fixed } : { last_affected: a.installed }] }] }],
    references: [{ type: 'ADVISORY', url: `https://github.com/advisories/${a.ghsa}` }, { type: 'WEB', url: `https://example.com/security/${i}` }],
  };
}

const ms = (t0: number) => Math.round(performance.now() - t0);

/** Advisories, KEV and EPSS through the feed importer. */
async function seedFeeds(ctx: AppContext, dir: string, advisories: readonly SeedAdvisory[]): Promise<void> {
  const osv = join(dir, 'osv');
  await mkdir(osv, { recursive: true });
  await Promise.all(advisories.map((a, i) => writeFile(join(osv, `${a.ghsa}.json`), JSON.stringify(osvRecord(a, i)))));
  await ingest(ctx.db, ctx.logger, [osv], { source: 'osv', parsers: FEED_PARSERS });
  // 3 % in KEV; EPSS for every CVE, most tiny, a tail above 10 %.
  const kev = advisories.filter((_, i) => i % 33 === 0).map((a, i) => ({
    cveID: a.cve,
    vendorProject: 'bench',
    product: a.name,
    vulnerabilityName: `${a.name} vulnerability`,
    dateAdded: '2024-03-01',
    shortDescription: 'Benchmark entry.',
    requiredAction: 'Apply updates per vendor instructions.',
    dueDate: '2024-03-22',
    knownRansomwareCampaignUse: i % 4 === 0 ? 'Known' : 'Unknown',
    notes: '',
    cwes: [],
  }));
  const kevFile = join(dir, 'kev.json');
  await writeFile(kevFile, JSON.stringify({ title: 'CISA Catalog of Known Exploited Vulnerabilities', catalogVersion: '2024.03.01', dateReleased: '2024-03-01T00:00:00.000Z', count: kev.length, vulnerabilities: kev }));
  await ingest(ctx.db, ctx.logger, [kevFile], { source: 'kev', parsers: FEED_PARSERS });
  const lines = advisories.map((a, i) => {
    const epss = i % 50 === 0 ? 0.1 + (i % 9) / 10 : ((i * 7) % 1000) / 40_000;
    return `${a.cve},${epss.toFixed(5)},${Math.min(1, epss * 3 + 0.2).toFixed(5)}`;
  });
  const epssFile = join(dir, 'epss_scores-2024-03-01.csv');
  await writeFile(epssFile, `#model_version:v2023.03.01,score_date:2024-03-01T00:00:00+0000\ncve,epss,percentile\n${lines.join('\n')}\n`);
  await ingest(ctx.db, ctx.logger, [epssFile], { source: 'epss', parsers: FEED_PARSERS });
}

/** Projects, one version each, components and findings, set-based in one tenant transaction. */
async function seedInventory(ctx: AppContext, tenantId: string, advisories: readonly SeedAdvisory[]): Promise<void> {
  const meta = JSON.stringify(advisories.map((a, n) => ({ n, ghsa: a.ghsa, cve: a.cve, eco: a.eco, purl_type: a.purlType, name: a.name, installed: a.installed, fixed: a.fixed, vector: a.vector })));
  await ctx.db.tenant(tenantId, async (q) => {
    await q.query(
      `INSERT INTO projects (tenant_id, name, kind, criticality, description, created_at, updated_at)
       SELECT $1, format('%s-%s', (ARRAY['payments', 'web', 'api', 'worker', 'auth', 'search', 'billing', 'mobile-bff'])[1 + i % 8], lpad(i::text, 4, '0')),
              (ARRAY['application', 'service', 'image'])[1 + i % 3], (ARRAY['critical', 'high', 'medium', 'medium', 'low'])[1 + i % 5],
              CASE WHEN i % 4 = 0 THEN 'Benchmark project' END, now() - make_interval(days => i % 400), now() - make_interval(days => i % 30)
         FROM generate_series(0, $2 - 1) i`,
      [tenantId, PROJECTS],
    );
    await q.query(
      `INSERT INTO project_versions (tenant_id, project_id, version, source_kind, source_name, component_count, created_by, created_at)
       SELECT $1, p.id, format('1.%s.0', row_number() OVER (ORDER BY p.name)), 'sbom', p.name || '.cdx.json', 0, 'bench', p.updated_at FROM projects p`,
      [tenantId],
    );
    // Findings: project n (by name) gets a share that falls with n (the first project ~3,000,
    // the last ~50); within a project the k-th finding takes advisory (7k + 37n) mod 5,000, so
    // (project, package, version, vulnerability) stays unique.
    await q.query(
      `WITH adv AS (
              SELECT m.*, a.severity, a.cvss_score, a.title, a.published, k.cve_id IS NOT NULL AS kev, k.date_added, k.due_date,
                     k.known_ransomware_campaign_use AS ransomware, e.epss, e.percentile, e.score_date
                FROM json_to_recordset($2::json) AS m(n int, ghsa text, cve text, eco text, purl_type text, name text, installed text, fixed text, vector text)
                JOIN advisories a ON a.source = 'osv' AND a.id = m.ghsa
                LEFT JOIN kev_entries k ON k.cve_id = m.cve
                LEFT JOIN epss_scores e ON e.cve_id = m.cve),
            proj AS (
              SELECT row_number() OVER (ORDER BY p.name) - 1 AS n, p.id, p.criticality, v.id AS version_id
                FROM projects p JOIN project_versions v ON v.project_id = p.id),
            f0 AS (SELECT i, least($3 - 1, floor($3 * power(i::float8 / $4, 2)))::int AS pn FROM generate_series(0, $4 - 1) i),
            f1 AS (SELECT i, pn, row_number() OVER (PARTITION BY pn ORDER BY i) - 1 AS k FROM f0),
            f AS (
              SELECT f1.i, f1.k, proj.id AS project_id, proj.version_id, proj.criticality, adv.*,
                     CASE WHEN f1.i % 100 < 82 THEN 'open' WHEN f1.i % 100 < 88 THEN 'in_triage' WHEN f1.i % 100 < 92 THEN 'accepted_risk'
                          WHEN f1.i % 100 < 94 THEN 'false_positive' WHEN f1.i % 100 < 96 THEN 'not_affected' ELSE 'fixed' END AS state,
                     now() - make_interval(days => (f1.i * 13) % 200, hours => f1.i % 24) AS first_seen,
                     coalesce(adv.cvss_score, 5.0) AS score
                FROM f1 JOIN proj ON proj.n = f1.pn JOIN adv ON adv.n = (f1.k * 7 + f1.pn * 37) % $5),
            g AS (
              SELECT f.*, vigil_package_key(f.eco, f.name) AS pkey,
                     format('pkg:%s/%s@%s', f.purl_type, CASE WHEN f.purl_type = 'maven' THEN replace(f.name, ':', '/') ELSE f.name END, f.installed) AS purl,
                     least(10.0, round((f.score * 0.6 + coalesce(f.epss, 0) * 20 + CASE WHEN f.kev THEN 2 ELSE 0 END + CASE WHEN f.fixed IS NOT NULL THEN 0.5 ELSE 0 END)::numeric, 1)) AS risk,
                     CASE WHEN f.state IN ('open', 'in_triage') THEN f.first_seen + make_interval(days =>
                       CASE WHEN f.kev THEN 14 ELSE CASE f.severity WHEN 'critical' THEN 15 WHEN 'high' THEN 30 WHEN 'medium' THEN 90 WHEN 'low' THEN 180 ELSE 365 END END) END AS due
                FROM f)
       INSERT INTO findings (tenant_id, project_id, version_id, vuln_id, ids, package_key, package_name, package_version, package_purl, ecosystem,
                             severity, severity_rank, cvss_score, kev, epss, risk, fixed_version, direct, confidence, state, triage_state, justification,
                             triage_reason, triage_by, triage_at, published, first_seen_at, last_seen_at, fixed_at, sla_due_at, sla_breached_at, data)
       SELECT $1, g.project_id, g.version_id, g.cve, ARRAY[g.cve, g.ghsa], g.pkey, g.name, g.installed, g.purl, g.eco,
              g.severity, CASE g.severity WHEN 'critical' THEN 5 WHEN 'high' THEN 4 WHEN 'medium' THEN 3 WHEN 'low' THEN 2 WHEN 'none' THEN 1 ELSE 0 END,
              g.cvss_score, g.kev, g.epss, g.risk, g.fixed, g.k % 3 = 0, 'high', g.state,
              CASE WHEN g.state <> 'open' THEN g.state END,
              CASE WHEN g.state = 'not_affected' THEN 'vulnerable_code_not_in_execute_path' END,
              CASE WHEN g.state NOT IN ('open', 'fixed') THEN 'Benchmark triage' END,
              CASE WHEN g.state <> 'open' THEN 'analyst@bench.test' END,
              CASE WHEN g.state <> 'open' THEN g.first_seen + interval '2 days' END,
              g.published, g.first_seen, now() - make_interval(hours => g.i % 48),
              CASE WHEN g.state = 'fixed' THEN g.first_seen + interval '20 days' END,
              g.due, CASE WHEN g.due < now() THEN g.due END,
              jsonb_build_object(
                'id', g.cve, 'aliases', jsonb_build_array(g.ghsa), 'advisories', jsonb_build_array('osv:' || g.ghsa), 'title', g.title,
                'published', to_char(g.published AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                'package', jsonb_build_object('id', g.purl, 'name', g.name, 'version', g.installed, 'purl', g.purl, 'ecosystem', g.eco,
                                              'location', jsonb_build_object('file', 'bom.cdx.json'), 'direct', g.k % 3 = 0),
                'severity', g.severity, 'sourceSeverity', NULL,
                'cvss', CASE WHEN g.cvss_score IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(jsonb_build_object('version', '3.1', 'vector', g.vector, 'score', g.cvss_score, 'severity', g.severity, 'source', 'osv:' || g.ghsa)) END,
                'fixedVersions', CASE WHEN g.fixed IS NULL THEN '[]'::jsonb ELSE jsonb_build_array(g.fixed) END,
                'kev', CASE WHEN g.kev THEN jsonb_build_object('dateAdded', g.date_added::text, 'dueDate', g.due_date::text, 'knownRansomwareCampaignUse', g.ransomware) END,
                'epss', CASE WHEN g.epss IS NOT NULL THEN jsonb_build_object('score', g.epss, 'percentile', g.percentile, 'date', g.score_date::text) END,
                'path', '[]'::jsonb, 'matchedBy', 'ecosystem', 'confidence', 'high',
                'risk', jsonb_build_object('score', g.risk, 'contributions', jsonb_build_array(
                  jsonb_build_object('factor', 'cvss', 'input', g.cvss_score, 'effect', round(g.score * 0.6, 1), 'explanation', 'CVSS base score'))))
         FROM g`,
      [tenantId, meta, PROJECTS, FINDINGS, advisories.length],
    );
    // Components: every vulnerable package of the version, then filler packages.
    await q.query(
      `INSERT INTO components (tenant_id, version_id, seq, ref, name, version, ecosystem, purl, direct, file, licenses)
       SELECT $1, c.version_id, row_number() OVER (PARTITION BY c.version_id ORDER BY c.purl) - 1, c.purl, c.name, c.version, c.ecosystem, c.purl, c.direct,
              'bom.cdx.json', ARRAY[(ARRAY['MIT', 'Apache-2.0', 'BSD-3-Clause', 'ISC'])[1 + abs(hashtext(c.purl)) % 4]]
         FROM (SELECT DISTINCT ON (f.version_id, f.package_purl) f.version_id, f.package_purl AS purl, f.package_name AS name, f.package_version AS version, f.ecosystem, f.direct
                 FROM findings f
               UNION ALL
               SELECT v.id, format('pkg:npm/bench-util-%s@2.%s.0', j, j % 5), format('bench-util-%s', j), format('2.%s.0', j % 5), 'npm', j % 2 = 0
                 FROM project_versions v, generate_series(0, $2 - 1) j) c`,
      [tenantId, FILLER_COMPONENTS],
    );
    await q.query(`UPDATE project_versions v SET component_count = (SELECT count(*) FROM components c WHERE c.version_id = v.id)`);
    // Finished jobs of the kinds the server runs (feed syncs, matching, scans).
    await q.query(
      `INSERT INTO jobs (tenant_id, type, payload, status, attempts, progress, result, created_at, started_at, finished_at, updated_at)
       SELECT $1, (ARRAY['feeds.sync', 'findings.rematch', 'posture.scan'])[1 + i % 3], '{}'::jsonb, CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'succeeded' END, 1,
              jsonb_build_object('done', 100, 'total', 100, 'message', NULL), '{}'::jsonb,
              now() - make_interval(mins => i * 30), now() - make_interval(mins => i * 30), now() - make_interval(mins => i * 30 - 2), now() - make_interval(mins => i * 30 - 2)
         FROM generate_series(1, $2) i`,
      [tenantId, JOBS],
    );
  });
  // The installation has already matched what it holds: without the watermark the every-minute
  // re-match job would re-match all 1,000 projects while pages are measured.
  await ctx.db.system((q) =>
    q.query(
      `INSERT INTO match_state (singleton, advisories_seen_at, updated_at)
       SELECT true, greatest((SELECT max(updated_at) FROM advisories), (SELECT max(updated_at) FROM kev_entries), (SELECT max(updated_at) FROM epss_scores)), now()
       ON CONFLICT (singleton) DO UPDATE SET advisories_seen_at = EXCLUDED.advisories_seen_at, updated_at = now()`,
    ),
  );
}

async function seedAudit(ctx: AppContext, tenantId: string, actor: { id: string; email: string }): Promise<void> {
  const actions = ['auth.login', 'findings.triage', 'api-keys.create', 'projects.update', 'sla.policy.update', 'users.create'];
  await ctx.db.system(async (q) => {
    const t0 = Date.now() - AUDIT_RECORDS * 60_000;
    for (let i = 0; i < AUDIT_RECORDS; i++) {
      await appendAudit(
        q,
        { tenantId, actorType: 'user', actorId: actor.id, actorLabel: actor.email, action: actions[i % actions.length]!, targetType: 'finding', targetId: `bench-${i}`, outcome: i % 17 === 0 ? 'failure' : 'success', details: { n: i } },
        new Date(t0 + i * 60_000),
      );
    }
  });
}

async function postScan(url: string, key: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}/api/v1/scans`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`scan upload: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
}

/** Cluster and cloud-account scans from the collectors' synthetic fixtures, uploaded twice each (a trend). */
export async function seedPosture(url: string, ingestKey: string, dir: string): Promise<void> {
  for (let c = 0; c < CLUSTERS; c++) {
    const file = join(dir, `cluster-${c}.json`);
    await writeFile(file, JSON.stringify(syntheticCluster(400 + c * 200)));
    const [collected] = await runCollectors({ snapshot: file, snapshotProvider: 'kubernetes' });
    if (!collected) throw new Error('no cluster collected');
    const analysed = analyseCollected(collected, BUILTIN_RULES);
    const body = {
      target: { ...collected.target, name: `bench-cluster-${c}`, id: `bench-cluster-${c}` },
      report: JSON.parse(renderPostureJson(analysed.report)) as unknown,
      resources: scannedResources(collected.resources),
      rules: BUILTIN_RULES.map((r) => r.id),
      rulesVersion: 'vigil bench',
    };
    for (let i = 0; i < 2; i++) await postScan(url, ingestKey, body);
  }
  for (let a = 0; a < ACCOUNTS; a++) {
    const acct = join(dir, `account-${a}`);
    await mkdir(acct, { recursive: true });
    await writeSyntheticAccount(acct, 600);
    for (const collected of await runCollectors({ snapshot: acct, snapshotProvider: 'aws' })) {
      const analysed = analyseCollected(collected, BUILTIN_RULES);
      const body = {
        target: { ...collected.target, name: `bench-account-${a}`, id: `1234567890${String(a).padStart(2, '0')}` },
        report: JSON.parse(renderPostureJson(analysed.report)) as unknown,
        resources: scannedResources(collected.resources),
        rules: BUILTIN_RULES.map((r) => r.id),
        rulesVersion: 'vigil bench',
      };
      for (let i = 0; i < 2; i++) await postScan(url, ingestKey, body);
    }
  }
}

export interface SeedTimes {
  readonly feedsMs: number;
  readonly inventoryMs: number;
  readonly auditMs: number;
}

/** Everything but posture (which needs the running server): returns the time of each part. */
export async function seedDatabase(ctx: AppContext, tenantId: string, actor: { id: string; email: string }, dir: string): Promise<SeedTimes> {
  const advisories = seedAdvisories();
  let t0 = performance.now();
  await seedFeeds(ctx, dir, advisories);
  const feedsMs = ms(t0);
  t0 = performance.now();
  await seedInventory(ctx, tenantId, advisories);
  const inventoryMs = ms(t0);
  t0 = performance.now();
  await seedAudit(ctx, tenantId, actor);
  return { feedsMs, inventoryMs, auditMs: ms(t0) };
}
