import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHttpClient } from '../../src/feeds/http.js';
import { syncFeeds, type SourceReport, type SyncDeps, type SyncOptions } from '../../src/feeds/sync.js';
import type { FeedSettings } from '../../src/feeds/source.js';
import type { FeedId } from '../../src/feeds/types.js';
import { createLogger } from '../../src/observability/logger.js';
import { getFeedState, putFeedState } from '../../src/store/repos/feedState.js';
import { testDatabase, type TestDatabase } from '../helpers/db.js';
import { feedServer, withEtag, zipOf, type FeedServer, type Reply } from '../helpers/feedServer.js';

let t: TestDatabase;
let srv: FeedServer;
let dir: string;
let settings: FeedSettings;
const http = createHttpClient({ retry: { attempts: 3, baseMs: 5, maxMs: 20 } });
const DAY = 86_400_000;

const deps = (over: Partial<FeedSettings> = {}): SyncDeps => ({ db: t.db, logger: createLogger('silent'), config: { ...settings, ...over, dataDir: dir, databaseUrl: undefined } });
const sync = (sources: FeedId[], over: Partial<FeedSettings> = {}, opts: SyncOptions = {}) => syncFeeds(deps(over), sources, { http, tmpDir: dir, nvd: { pageSize: 2, windowMs: 1, requestsPerWindow: 100 }, ...opts });
const only = (r: { sources: readonly SourceReport[] }, id: FeedId): SourceReport => {
  const s = r.sources.find((x) => x.source === id);
  assert.ok(s, `no report for ${id}`);
  return s;
};
const count = async (sql: string, params: unknown[] = []) => Number((await t.db.system((q) => q.query<{ n: string }>(sql, params))).rows[0]!.n);
const state = (id: FeedId) => t.db.system((q) => getFeedState(q, id));
const lastRun = async (id: FeedId) =>
  (await t.db.system((q) => q.query<{ status: string; mode: string; inputs: string[]; error: string | null; new_count: number }>('SELECT * FROM feed_runs WHERE source = $1 ORDER BY started_at DESC, id DESC LIMIT 1', [id]))).rows[0]!;

// ---- fixtures -------------------------------------------------------------------------------

const kevCatalog = (version: string, ids: string[]) =>
  JSON.stringify({
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion: version,
    dateReleased: '2025-08-25T17:00:50.6574Z',
    count: ids.length,
    vulnerabilities: ids.map((cveID) => ({ cveID, vendorProject: 'Example', product: 'Widget', vulnerabilityName: 'Widget bug', dateAdded: '2025-01-10', shortDescription: 'x', requiredAction: 'Patch', dueDate: '2025-01-31', knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: [] })),
  });

const osv = (id: string, ecosystem: string) =>
  JSON.stringify({
    schema_version: '1.6.0',
    id,
    modified: '2024-03-01T00:00:00Z',
    summary: `Bug in ${id}`,
    affected: [{ package: { ecosystem, name: 'widget' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.2.3' }] }] }],
  });

const cve5 = (id: string, updated: string) =>
  JSON.stringify({
    dataType: 'CVE_RECORD',
    dataVersion: '5.1',
    cveMetadata: { cveId: id, assignerOrgId: '00000000-0000-4000-8000-000000000000', state: 'PUBLISHED', datePublished: '2024-01-01T00:00:00.000Z', dateUpdated: updated },
    containers: { cna: { providerMetadata: { orgId: '00000000-0000-4000-8000-000000000000', shortName: 'example' }, descriptions: [{ lang: 'en', value: `Description of ${id}.` }], affected: [{ vendor: 'example', product: 'widget', versions: [{ version: '1.0', status: 'affected' }] }], references: [{ url: 'https://example.test/' }] } },
  });

let nvdTemplate: Record<string, unknown>;

/** An NVD API stand-in over `records`: filters by lastMod window, pages by startIndex. */
function nvdRoute(records: { id: string; lastModified: number }[], hook?: (url: URL, req: IncomingMessage) => Reply | Promise<Reply> | undefined) {
  return async (req: IncomingMessage, url: URL): Promise<Reply> => {
    const hooked = await hook?.(url, req);
    if (hooked) return hooked;
    const p = url.searchParams;
    const start = p.get('lastModStartDate');
    const end = p.get('lastModEndDate');
    const hit = records
      .filter((r) => !start || !end || (r.lastModified >= Date.parse(start) && r.lastModified <= Date.parse(end)))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    const index = Number(p.get('startIndex') ?? 0);
    const page = hit.slice(index, index + Number(p.get('resultsPerPage') ?? 2000));
    const vulnerabilities = page.map((r) => ({ cve: { ...(nvdTemplate['cve'] as object), id: r.id, lastModified: new Date(r.lastModified).toISOString().slice(0, 23) } }));
    return { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ resultsPerPage: page.length, startIndex: index, totalResults: hit.length, format: 'NVD_CVE', version: '2.0', timestamp: '2024-06-01T12:00:00.000', vulnerabilities }) };
  };
}

before(async () => {
  t = await testDatabase();
  srv = await feedServer();
  dir = await mkdtemp(join(tmpdir(), 'vigil-sync-'));
  const page = JSON.parse(await readFile(new URL('../../src/feeds/nvd/__fixtures__/page.json', import.meta.url), 'utf8')) as { vulnerabilities: Record<string, unknown>[] };
  nvdTemplate = page.vulnerabilities[2]!;
  settings = {
    cveReleasesUrl: `${srv.origin}/repos/CVEProject/cvelistV5/releases`,
    githubToken: 'ghp_test_token',
    osvUrl: `${srv.origin}/osv`,
    osvEcosystems: ['npm', 'Rocky Linux'],
    nvdUrl: `${srv.origin}/nvd`,
    nvdApiKey: undefined,
    kevUrl: `${srv.origin}/kev.json`,
    epssUrl: `${srv.origin}/epss_scores-current.csv.gz`,
    feedMaxDownload: 10 * 1024 * 1024,
  };
});
after(async () => {
  await srv.close();
  await t.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('kev, epss and osv', () => {
  test('the first sync imports; the next sends If-None-Match, gets 304 and downloads nothing', async () => {
    let kev = { etag: '"kev-1"', body: kevCatalog('2025.08.25', ['CVE-2024-1111']) };
    srv.route('/kev.json', (req) => withEtag(req, kev.etag, kev.body));
    const epss = gzipSync('#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000\ncve,epss,percentile\nCVE-2024-1111,0.91234,0.99500\nCVE-2024-2222,0.1,0.5\n');
    srv.route('/epss_scores-current.csv.gz', (req) => withEtag(req, '"epss-1"', epss, { 'content-type': 'application/gzip' }));
    const npm = await zipOf({
      'GHSA-aaaa-bbbb-cccc.json': osv('GHSA-aaaa-bbbb-cccc', 'npm'),
      'GHSA-dddd-eeee-ffff.json': osv('GHSA-dddd-eeee-ffff', 'npm'),
      'GHSA-broken.json': '{"schema_version":"1.6.0","id":"GHSA-broken","modified":',
    });
    srv.route('/osv/npm/all.zip', (req) => withEtag(req, '"npm-1"', npm));
    const rocky = await zipOf({ 'RLSA-2024:0001.json': osv('RLSA-2024:0001', 'Rocky Linux:9') });
    srv.route('/osv/Rocky%20Linux/all.zip', (req) => withEtag(req, '"rocky-1"', rocky));

    const first = await sync(['kev', 'epss', 'osv']);
    assert.equal(first.ok, true, JSON.stringify(first));
    for (const id of ['kev', 'epss', 'osv'] as const) assert.equal(only(first, id).status, 'updated', id);
    assert.equal(only(first, 'osv').runs.length, 2, 'one run per ecosystem zip');
    assert.equal(await count('SELECT count(*) AS n FROM kev_entries'), 1);
    assert.equal(await count('SELECT count(*) AS n FROM epss_scores'), 2);
    assert.equal(await count("SELECT count(*) AS n FROM advisories WHERE source = 'osv'"), 3);
    const run = await lastRun('kev');
    assert.deepEqual([run.status, run.mode, run.inputs], ['succeeded', 'sync', [settings.kevUrl]], 'the run names the URL, not the temporary file');
    const bad = await t.db.system((q) => q.query<{ file: string; entry: string }>("SELECT file, entry FROM feed_quarantine WHERE source = 'osv'"));
    assert.deepEqual(bad.rows, [{ file: `${settings.osvUrl}/npm/all.zip`, entry: 'GHSA-broken.json' }], 'quarantine names the URL and the entry');
    assert.deepEqual(await state('kev'), { url: settings.kevUrl, etag: '"kev-1"', syncedAt: (await state('kev') as { syncedAt: string }).syncedAt });
    assert.deepEqual(((await state('osv')) as { ecosystems: Record<string, { etag: string }> }).ecosystems['Rocky Linux']?.etag, '"rocky-1"');

    const before = srv.requests.length;
    const second = await sync(['kev', 'epss', 'osv']);
    assert.equal(second.ok, true);
    for (const id of ['kev', 'epss', 'osv'] as const) {
      const s = only(second, id);
      assert.equal(s.status, 'unchanged', id);
      assert.deepEqual(s.downloads, [], id);
    }
    const again = srv.requests.slice(before);
    assert.equal(again.length, 4, 'one conditional request per file');
    assert.deepEqual(again.map((r) => r.headers['if-none-match']).sort(), ['"epss-1"', '"kev-1"', '"npm-1"', '"rocky-1"']);
    const unchanged = await lastRun('kev');
    assert.deepEqual([unchanged.status, unchanged.new_count, unchanged.inputs], ['succeeded', 0, [settings.kevUrl]], 'the check is recorded');

    kev = { etag: '"kev-2"', body: kevCatalog('2025.08.26', ['CVE-2024-1111', 'CVE-2024-3333']) };
    const third = await sync(['kev', 'epss']);
    assert.deepEqual(third.sources.map((s) => s.status), ['updated', 'unchanged']);
    assert.equal(await count('SELECT count(*) AS n FROM kev_entries'), 2);
    assert.equal(((await state('kev')) as { etag: string }).etag, '"kev-2"');
    assert.deepEqual((await readdir(dir)).filter((n) => n.startsWith('sync-')), [], 'work directories are removed');
  });

  test('a URL that keeps failing: clear error naming it, run failed, state not advanced', async () => {
    srv.route('/kev-broken.json', () => ({ status: 500 }));
    const kevBefore = await state('kev');
    const url = `${srv.origin}/kev-broken.json`;
    const r = await sync(['kev'], { kevUrl: url });
    assert.equal(r.ok, false);
    const s = only(r, 'kev');
    assert.equal(s.status, 'failed');
    assert.match(s.error ?? '', new RegExp(`GET ${url} failed after 3 attempt\\(s\\): HTTP 500`));
    assert.equal(srv.seen('/kev-broken.json').length, 3, 'bounded retries');
    const run = await lastRun('kev');
    assert.equal(run.status, 'failed');
    assert.deepEqual(run.inputs, [url]);
    assert.match(run.error ?? '', /HTTP 500/);
    assert.deepEqual(await state('kev'), kevBefore);
  });

  test('one OSV ecosystem failing does not stop the others; the sync fails naming it', async () => {
    srv.route('/osv/Go/all.zip', () => ({ status: 404 }));
    const pypi = await zipOf({ 'PYSEC-2024-1.json': osv('PYSEC-2024-1', 'PyPI') });
    srv.route('/osv/PyPI/all.zip', (req) => withEtag(req, '"pypi-1"', pypi));
    const r = await sync(['osv'], { osvEcosystems: ['Go', 'PyPI'] });
    const s = only(r, 'osv');
    assert.equal(s.status, 'failed');
    assert.match(s.error ?? '', /1 of 2 ecosystem\(s\) failed: GET .*\/osv\/Go\/all\.zip failed: HTTP 404/);
    assert.equal(await count("SELECT count(*) AS n FROM advisories WHERE id = 'PYSEC-2024-1'"), 1);
    assert.equal(((await state('osv')) as { ecosystems: Record<string, unknown> }).ecosystems['PyPI'] !== undefined, true);
  });
});

describe('cve5', () => {
  const releasesPath = '/repos/CVEProject/cvelistV5/releases';
  const dl = (name: string) => `${srv.origin}/dl/${name}`;
  const release = (tag: string, names: string[]) => ({ tag_name: tag, published_at: '2024-01-03T01:00:00Z', assets: names.map((name) => ({ name, browser_download_url: dl(name), size: 1 })), body: 'notes' });

  test('the baseline (a zip in a zip) is applied once, then only newer deltas', async () => {
    const cvesZip = await zipOf({
      'cves/2024/1xxx/CVE-2024-1000.json': cve5('CVE-2024-1000', '2024-01-01T00:00:00.000Z'),
      'cves/2024/1xxx/CVE-2024-1001.json': cve5('CVE-2024-1001', '2024-01-01T00:00:00.000Z'),
      'cves/2024/1xxx/CVE-2024-1999.json': '{"dataType":"CVE_RECORD","dataVersion":"5.1","cveMetadata":',
      'cves/delta.json': '{"fetchTime":"2024-01-02T00:00:00Z","numberOfChanges":0,"new":[],"updated":[],"error":[]}',
      'cves/deltaLog.json': '[]',
    });
    const assets: Record<string, Buffer> = {
      '2024-01-02_all_CVEs_at_midnight.zip.zip': await zipOf({ 'cves.zip': cvesZip }),
      '2024-01-02_delta_CVEs_at_0100Z.zip': await zipOf({ 'deltaCves/CVE-2024-1001.json': cve5('CVE-2024-1001', '2024-01-02T00:30:00.000Z') }),
      '2024-01-02_delta_CVEs_at_end_of_day.zip': await zipOf({ 'deltaCves/CVE-2024-1001.json': cve5('CVE-2024-1001', '2024-01-02T00:30:00.000Z'), 'deltaCves/CVE-2024-1002.json': cve5('CVE-2024-1002', '2024-01-02T20:00:00.000Z') }),
      '2024-01-03_all_CVEs_at_midnight.zip.zip': await zipOf({ 'cves.zip': cvesZip }),
      '2024-01-03_delta_CVEs_at_0100Z.zip': await zipOf({ 'deltaCves/CVE-2024-1003.json': cve5('CVE-2024-1003', '2024-01-03T00:10:00.000Z') }),
    };
    for (const [name, body] of Object.entries(assets)) srv.route(`/dl/${name}`, () => ({ headers: { 'content-length': String(body.length) }, body }));
    // v1: one release. v2: two pages (newest first), linked by a `Link: rel="next"` header.
    let version = 1;
    srv.route(releasesPath, (req, url) => {
      if (version === 1) return withEtag(req, '"rel-1"', JSON.stringify([release('cve_2024-01-02_0100Z', ['2024-01-02_delta_CVEs_at_0100Z.zip', '2024-01-02_all_CVEs_at_midnight.zip.zip'])]));
      if (url.searchParams.get('page') === '2') return { body: JSON.stringify([release('cve_2024-01-02_at_end_of_day', ['2024-01-02_delta_CVEs_at_end_of_day.zip'])]) };
      return withEtag(req, '"rel-2"', JSON.stringify([release('cve_2024-01-03_0100Z', ['2024-01-03_delta_CVEs_at_0100Z.zip', '2024-01-03_all_CVEs_at_midnight.zip.zip', 'release_notes.md'])]), {
        link: `<${srv.origin}${releasesPath}?per_page=100&page=2>; rel="next"`,
      });
    });
    const baselineHits = () => srv.seen('/dl/2024-01-02_all_CVEs_at_midnight.zip.zip').length;

    const first = await sync(['cve5']);
    const s1 = only(first, 'cve5');
    assert.equal(s1.status, 'updated', s1.error);
    assert.deepEqual(s1.downloads.map((d) => d.url), [dl('2024-01-02_all_CVEs_at_midnight.zip.zip'), dl('2024-01-02_delta_CVEs_at_0100Z.zip')]);
    assert.deepEqual(s1.warnings, [], 'delta.json and deltaLog.json are expected side files');
    const bad = await t.db.system((q) => q.query<{ file: string; entry: string }>("SELECT file, entry FROM feed_quarantine WHERE source = 'cve5'"));
    assert.deepEqual(bad.rows, [{ file: `${dl('2024-01-02_all_CVEs_at_midnight.zip.zip')}!cves.zip`, entry: 'cves/2024/1xxx/CVE-2024-1999.json' }]);
    assert.equal(await count("SELECT count(*) AS n FROM advisories WHERE source = 'cve5'"), 2);
    assert.equal(await count("SELECT count(*) AS n FROM advisories WHERE source = 'cve5' AND id = 'CVE-2024-1001' AND modified = '2024-01-02T00:30:00Z'"), 1, 'the delta updated the baseline record');
    assert.deepEqual(await state('cve5'), { url: settings.cveReleasesUrl, applied: '2024-01-02T0100', baselineDay: '2024-01-02', releasesEtag: '"rel-1"' });

    const second = await sync(['cve5']);
    assert.equal(only(second, 'cve5').status, 'unchanged');
    assert.deepEqual(only(second, 'cve5').downloads, []);
    assert.equal(srv.seen(releasesPath).at(-1)!.headers['if-none-match'], '"rel-1"');
    assert.equal(srv.seen(releasesPath).at(-1)!.headers['authorization'], 'Bearer ghp_test_token', 'VIGIL_GITHUB_TOKEN goes to the releases API');
    assert.equal(baselineHits() > 0 && srv.seen('/dl/2024-01-02_all_CVEs_at_midnight.zip.zip')[0]!.headers['authorization'], undefined, 'and not to downloads');

    version = 2;
    const third = await sync(['cve5']);
    const s3 = only(third, 'cve5');
    assert.equal(s3.status, 'updated', s3.error);
    assert.deepEqual(s3.downloads.map((d) => d.url), [dl('2024-01-02_delta_CVEs_at_end_of_day.zip'), dl('2024-01-03_delta_CVEs_at_0100Z.zip')], 'no baseline again, only newer deltas');
    assert.equal(baselineHits(), 1);
    assert.equal(srv.seen('/dl/2024-01-03_all_CVEs_at_midnight.zip.zip').length, 0);
    assert.equal(await count("SELECT count(*) AS n FROM advisories WHERE source = 'cve5'"), 4);
    assert.deepEqual(await state('cve5'), { url: settings.cveReleasesUrl, applied: '2024-01-03T0100', baselineDay: '2024-01-02', releasesEtag: '"rel-2"' });
  });

  test('too far behind for the deltas listed: a newer baseline bridges the gap', async () => {
    // The routes of the last test still serve the two-page (v2) list.
    await t.db.system((q) => putFeedState(q, 'cve5', { url: settings.cveReleasesUrl, applied: '2023-12-30T0500' }));
    const r = await sync(['cve5']);
    const s = only(r, 'cve5');
    assert.equal(s.status, 'updated', s.error);
    assert.deepEqual(s.downloads.map((d) => d.url), [dl('2024-01-03_all_CVEs_at_midnight.zip.zip'), dl('2024-01-03_delta_CVEs_at_0100Z.zip')]);
    assert.deepEqual(await state('cve5'), { url: settings.cveReleasesUrl, applied: '2024-01-03T0100', baselineDay: '2024-01-03', releasesEtag: '"rel-2"' });
  });
});

describe('nvd', () => {
  const now = Date.now();
  const records = (n: number, from: number, step: number) => Array.from({ length: n }, (_, i) => ({ id: `CVE-2024-${20000 + i}`, lastModified: from + i * step }));

  test('first sync pages through everything; a later one asks for windows of at most 120 days', async () => {
    const data = records(5, now - 400 * DAY, 90 * DAY);
    srv.route('/nvd', nvdRoute(data));
    const r = await sync(['nvd']);
    assert.equal(only(r, 'nvd').status, 'updated', only(r, 'nvd').error);
    const full = srv.seen('/nvd').map((q) => q.url.searchParams);
    assert.deepEqual(full.map((p) => p.get('startIndex')), ['0', '2', '4']);
    assert.ok(full.every((p) => !p.has('lastModStartDate') && p.get('resultsPerPage') === '2'));
    assert.equal(await count("SELECT count(*) AS n FROM advisories WHERE source = 'nvd'"), 5);
    const st = (await state('nvd')) as { mode: string; since: string };
    assert.equal(st.mode, 'incremental');

    // Pretend the last sync was 300 days ago.
    await t.db.system((q) => putFeedState(q, 'nvd', { mode: 'incremental', url: settings.nvdUrl, since: new Date(now - 300 * DAY).toISOString(), startIndex: 0 }));
    const seenBefore = srv.seen('/nvd').length;
    const r2 = await sync(['nvd']);
    assert.equal(only(r2, 'nvd').status, 'updated', only(r2, 'nvd').error);
    const windows = srv.seen('/nvd').slice(seenBefore).map((q) => [q.url.searchParams.get('lastModStartDate')!, q.url.searchParams.get('lastModEndDate')!, q.url.searchParams.get('startIndex')!] as const);
    const starts = [...new Set(windows.map((w) => w[0]))];
    assert.equal(starts.length, 3, `300 days in 120-day windows: ${JSON.stringify(windows)}`);
    for (const [a, b] of windows) assert.ok(Date.parse(b) - Date.parse(a) <= 120 * DAY && Date.parse(b) > Date.parse(a));
    assert.equal(Date.parse(windows[0]![0]), now - 300 * DAY);
    for (let i = 1; i < starts.length; i++) assert.ok(windows.some((w) => w[1] === starts[i]), 'each window starts where the last ended');
    assert.ok(windows.every((w) => /\+00:00$/.test(w[0]) && /\+00:00$/.test(w[1])));
    const after = (await state('nvd')) as { mode: string; since: string; window?: unknown };
    assert.equal(after.window, undefined);
    assert.ok(Date.parse(after.since) >= now - 1000, 'caught up to the start of the sync');
  });

  test('a crash mid-window resumes at the saved startIndex', async () => {
    const data = records(5, now - 5 * DAY, 3_600_000);
    const ctl = new AbortController();
    let crash = true;
    srv.route('/nvd', nvdRoute(data, (url) => {
      if (crash && url.searchParams.get('startIndex') === '2') {
        ctl.abort(new Error('power cut'));
        return new Promise<Reply>((resolve) => setTimeout(() => resolve({ status: 503 }), 100));
      }
      return undefined;
    }));
    const since = new Date(now - 10 * DAY).toISOString();
    await t.db.system((q) => putFeedState(q, 'nvd', { mode: 'incremental', url: settings.nvdUrl, since, startIndex: 0 }));
    const r = await sync(['nvd'], {}, { signal: ctl.signal });
    assert.equal(only(r, 'nvd').status, 'cancelled');
    assert.equal((await lastRun('nvd')).status, 'cancelled');
    const saved = (await state('nvd')) as { window: { start: string; end: string }; startIndex: number };
    assert.equal(saved.startIndex, 2, 'the first page was ingested and its place saved');
    assert.equal(Date.parse(saved.window.start), Date.parse(since));

    crash = false;
    const seenBefore = srv.seen('/nvd').length;
    const r2 = await sync(['nvd']);
    assert.equal(only(r2, 'nvd').status, 'updated', only(r2, 'nvd').error);
    const resumed = srv.seen('/nvd').slice(seenBefore).map((q) => q.url.searchParams);
    assert.equal(resumed[0]!.get('startIndex'), '2', 'the second run starts at the saved startIndex');
    assert.equal(resumed[0]!.get('lastModStartDate'), saved.window.start);
    assert.equal(resumed[0]!.get('lastModEndDate'), saved.window.end);
    assert.equal(await count("SELECT count(*) AS n FROM advisories WHERE source = 'nvd' AND id = ANY($1)", [data.map((d) => d.id)]), 5);
    assert.equal(Date.parse(((await state('nvd')) as { since: string }).since) >= Date.parse(saved.window.end), true);
  });

  test('never more than the limit per rolling window, retries on 403/503, API key sent as a header', async () => {
    const data = records(7, now - 2 * DAY, 60_000);
    let n = 0;
    srv.route('/nvd', nvdRoute(data, () => {
      n++;
      if (n === 2) return { status: 403 };
      if (n === 4) return { status: 503, headers: { 'retry-after': '0' } };
      return undefined;
    }));
    await t.db.system((q) => putFeedState(q, 'nvd', { mode: 'incremental', url: settings.nvdUrl, since: new Date(now - 3 * DAY).toISOString(), startIndex: 0 }));
    const seenBefore = srv.seen('/nvd').length;
    const r = await sync(['nvd'], { nvdApiKey: 'secret-key' }, { nvd: { pageSize: 2, windowMs: 250, requestsPerWindow: 2 } });
    assert.equal(only(r, 'nvd').status, 'updated', only(r, 'nvd').error);
    const reqs = srv.seen('/nvd').slice(seenBefore);
    assert.equal(reqs.length, 6, '4 pages and 2 retries');
    assert.ok(reqs.every((q) => q.headers['apikey'] === 'secret-key'));
    for (let i = 0; i + 2 < reqs.length; i++) assert.ok(reqs[i + 2]!.at - reqs[i]!.at >= 250, `requests ${i} and ${i + 2} came ${reqs[i + 2]!.at - reqs[i]!.at} ms apart`);
  });

  test('500 forever mid-way: the error names the URL, the run fails, the state stays at the last page ingested', async () => {
    const data = records(5, now - 2 * DAY, 60_000);
    srv.route('/nvd', nvdRoute(data, (url) => (url.searchParams.get('startIndex') === '4' ? { status: 500 } : undefined)));
    const since = new Date(now - 3 * DAY).toISOString();
    await t.db.system((q) => putFeedState(q, 'nvd', { mode: 'incremental', url: settings.nvdUrl, since, startIndex: 0 }));
    const r = await sync(['nvd']);
    const s = only(r, 'nvd');
    assert.equal(s.status, 'failed');
    assert.match(s.error ?? '', /GET http:\/\/127\.0\.0\.1:\d+\/nvd\?lastModStartDate=.*startIndex=4 failed after 3 attempt\(s\): HTTP 500/);
    assert.equal((await lastRun('nvd')).status, 'failed');
    const saved = (await state('nvd')) as { startIndex: number; since: string };
    assert.equal(saved.startIndex, 4);
    assert.equal(Date.parse(saved.since), Date.parse(since));
  });
});
