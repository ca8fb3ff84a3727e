import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { feedServer, withEtag, type FeedServer, type Reply } from '../../test/helpers/feedServer.js';
import { createHttpClient } from '../feeds/http.js';
import type { FeedSettings } from '../feeds/source.js';
import { createLogger } from '../observability/logger.js';
import { FAST, harness, waitFor, type Harness } from './__fixtures__/harness.js';
import { feedHandlers, feedSchedules, FEEDS_SYNC } from './feeds.js';
import type { Job } from './queue.js';
import type { Runner } from './runner.js';

let h: Harness;
let srv: FeedServer;
let dir: string;
let runner: Runner | undefined;
let settings: FeedSettings;

const kev = JSON.stringify({
  title: 'CISA Catalog of Known Exploited Vulnerabilities',
  catalogVersion: '2025.08.25',
  dateReleased: '2025-08-25T17:00:50.6574Z',
  count: 1,
  vulnerabilities: [{ cveID: 'CVE-2024-1111', vendorProject: 'Example', product: 'Widget', vulnerabilityName: 'Widget bug', dateAdded: '2025-01-10', shortDescription: 'x', requiredAction: 'Patch', dueDate: '2025-01-31', knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: [] }],
});

before(async () => {
  srv = await feedServer();
  dir = await mkdtemp(join(tmpdir(), 'vigil-feedjob-'));
  settings = {
    cveReleasesUrl: `${srv.origin}/releases`,
    githubToken: undefined,
    osvUrl: `${srv.origin}/osv`,
    osvEcosystems: [],
    nvdUrl: `${srv.origin}/nvd`,
    nvdApiKey: undefined,
    kevUrl: `${srv.origin}/kev.json`,
    epssUrl: `${srv.origin}/epss.csv.gz`,
    feedMaxDownload: 1024 * 1024,
  };
  h = await harness((_queue, db) =>
    feedHandlers({ db, logger: createLogger('silent'), config: { ...settings, dataDir: dir, databaseUrl: undefined } }, { http: createHttpClient({ retry: { attempts: 2, baseMs: 5, maxMs: 10 } }), tmpDir: dir }),
  );
});
after(async () => {
  await h.cleanup();
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => runner?.stop());

async function finished(id: string): Promise<Job> {
  return waitFor('the job to finish', async () => {
    const j = await h.jobs.queue.get(null, id);
    return j && ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
  });
}

function start(): void {
  runner = h.jobs.runner({ concurrency: 1, ...FAST });
  runner.start();
}

test('feeds.sync runs as a job: result per source, progress, runs linked to the job', async () => {
  srv.route('/kev.json', (req) => withEtag(req, '"k1"', kev));
  start();
  const { job } = await h.jobs.enqueue(null, FEEDS_SYNC, { sources: ['kev'] });
  const done = await finished(job.id);
  assert.equal(done.status, 'succeeded', done.lastError ?? '');
  const result = done.result as { ok: boolean; sources: { source: string; status: string; records: number }[] };
  assert.equal(result.ok, true);
  assert.deepEqual(result.sources.map((s) => [s.source, s.status, s.records]), [['kev', 'updated', 1]]);
  assert.equal(done.progress?.message, 'done');
  const runs = await h.db.system((q) => q.query<{ job_id: string; mode: string }>("SELECT job_id, mode FROM feed_runs WHERE source = 'kev'"));
  assert.deepEqual(runs.rows, [{ job_id: job.id, mode: 'sync' }]);
});

test('a failing source fails the job with the URL in its error; bad payloads are refused', async () => {
  srv.route('/kev.json', () => ({ status: 502 }));
  start();
  const { job } = await h.jobs.enqueue(null, FEEDS_SYNC, { sources: ['kev'] }, { maxAttempts: 1 });
  const done = await finished(job.id);
  assert.equal(done.status, 'failed');
  assert.match(done.lastError ?? '', /feed sync failed: kev: GET http:\/\/127\.0\.0\.1:\d+\/kev\.json failed after 2 attempt\(s\): HTTP 502/);
  await assert.rejects(h.jobs.enqueue(null, FEEDS_SYNC, { sources: ['nope'] }), /invalid payload/);
});

test('cancelling the job stops the download and marks the run cancelled', async () => {
  let hung: (r: Reply) => void = () => undefined;
  srv.route('/kev.json', () => new Promise<Reply>((resolve) => (hung = resolve)));
  const seen = srv.seen('/kev.json').length;
  start();
  const { job } = await h.jobs.enqueue(null, FEEDS_SYNC, { sources: ['kev'] }, { maxAttempts: 1 });
  await waitFor('the request to arrive', async () => srv.seen('/kev.json').length > seen);
  await h.jobs.queue.cancel(null, job.id);
  const done = await finished(job.id);
  hung({ status: 503 });
  assert.equal(done.status, 'cancelled');
  const run = await h.db.system((q) => q.query<{ status: string }>("SELECT status FROM feed_runs WHERE source = 'kev' AND job_id = $1", [job.id]));
  assert.deepEqual(run.rows, [{ status: 'cancelled' }]);
});

test('no schedule unless VIGIL_FEED_SYNC_CRON is set', () => {
  assert.deepEqual(feedSchedules(undefined), []);
  assert.deepEqual(feedSchedules('17 4 * * *').map((s) => [s.name, s.cron, s.jobType]), [[FEEDS_SYNC, '17 4 * * *', FEEDS_SYNC]]);
});
