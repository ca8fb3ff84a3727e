import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SourceReport, SyncReport } from '../feeds/sync.js';
import type { FeedSettings } from '../feeds/source.js';
import { createHttpClient } from '../feeds/http.js';
import { createLogger } from '../observability/logger.js';
import { FAST, harness, waitFor, type Harness } from './__fixtures__/harness.js';
import { feedHandlers, FEEDS_SYNC, offlineFailure } from './feeds.js';
import { startFeedSync } from './feedSync.js';
import type { Runner } from './runner.js';

const source = (s: Partial<SourceReport> & Pick<SourceReport, 'source' | 'status'>): SourceReport => ({ runs: [], downloads: [], notModified: [], records: 0, warnings: [], durationMs: 1, ...s });
const report = (...sources: SourceReport[]): SyncReport => ({ sources, ok: sources.every((s) => s.status === 'updated' || s.status === 'unchanged'), durationMs: 1 });
const unreachable = (url: string) => `GET ${url} failed after 5 attempt(s): network error: getaddrinfo ENOTFOUND ${new URL(url).host}`;

test('offlineFailure: only when every source failed on an unreachable host', () => {
  const kev = source({ source: 'kev', status: 'failed', error: unreachable('https://www.cisa.gov/kev.json') });
  const epss = source({ source: 'epss', status: 'failed', error: unreachable('https://epss.example/x.csv.gz') });
  assert.match(offlineFailure(report(kev, epss)) ?? '', /^no feed host could be reached \(kev, epss\): this server looks offline or air-gapped/);
  // One source reached: the server is online, the usual retry applies.
  assert.equal(offlineFailure(report(kev, source({ source: 'epss', status: 'updated', records: 3 }))), undefined);
  // A host that answered badly is not "offline".
  assert.equal(offlineFailure(report(kev, source({ source: 'epss', status: 'failed', error: 'GET https://x failed: HTTP 404 Not Found' }))), undefined);
  assert.equal(offlineFailure(report(kev, source({ source: 'epss', status: 'cancelled' }))), undefined);
  assert.equal(offlineFailure(report()), undefined, 'nothing ran: nothing to say');
  assert.equal(offlineFailure(report(source({ source: 'kev', status: 'failed' }))), undefined, 'a failure without a message');
});

let h: Harness;
let dir: string;
let runner: Runner | undefined;
let closedPort = 0;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-feedsync-'));
  // A port nothing listens on: connections are refused, as on a server without a route out.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as { port: number }).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const nowhere = `http://127.0.0.1:${closedPort}`;
  const settings: FeedSettings = {
    cveReleasesUrl: `${nowhere}/releases`,
    githubToken: undefined,
    osvUrl: `${nowhere}/osv`,
    osvEcosystems: [],
    nvdUrl: `${nowhere}/nvd`,
    nvdApiKey: undefined,
    kevUrl: `${nowhere}/kev.json`,
    epssUrl: `${nowhere}/epss.csv.gz`,
    feedMaxDownload: 1024 * 1024,
  };
  h = await harness((_queue, db) =>
    feedHandlers({ db, logger: createLogger('silent'), config: { ...settings, dataDir: dir, databaseUrl: undefined } }, { http: createHttpClient({ retry: { attempts: 2, baseMs: 5, maxMs: 10 } }), tmpDir: dir }),
  );
});
after(async () => {
  await h.cleanup();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => runner?.stop());

test('feeds.sync may be started by a tenant, one at a time for the whole server', async () => {
  assert.deepEqual(h.jobs.tenantTypes(), [FEEDS_SYNC]);
  assert.equal(h.jobs.handlers.get(FEEDS_SYNC)?.maxRunning, 1);
  const first = await startFeedSync(h.jobs, h.db, h.tenantA, { sources: ['kev'] });
  assert.equal(first.created, true);
  assert.equal(first.job.tenantId, h.tenantA);
  const again = await startFeedSync(h.jobs, h.db, h.tenantA, { sources: ['epss'] });
  assert.equal(again.created, false, 'the same tenant gets its unfinished sync back');
  assert.equal(again.job.id, first.job.id);
  await assert.rejects(startFeedSync(h.jobs, h.db, h.tenantB, {}), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'conflict');
    assert.match(err.message, /a feed sync is already queued on this server \(since \d{4}-.*\); the advisory database is shared by every tenant/);
    assert.doesNotMatch(err.message, new RegExp(h.tenantA), 'whose sync it is stays hidden');
    return true;
  });
  await h.jobs.queue.cancel(h.tenantA, first.job.id);
  const theirs = await startFeedSync(h.jobs, h.db, h.tenantB, {});
  assert.equal(theirs.created, true, 'once it ended, another tenant may start one');
  await h.jobs.queue.cancel(h.tenantB, theirs.job.id);
  // A scheduled (system) sync counts too.
  const scheduled = await h.jobs.enqueue(null, FEEDS_SYNC, {});
  await assert.rejects(startFeedSync(h.jobs, h.db, h.tenantA, {}), /already queued/);
  await h.jobs.queue.cancel(null, scheduled.job.id);
  await assert.rejects(startFeedSync(h.jobs, h.db, h.tenantA, { sources: ['nope'] }), /invalid payload/);
});

test('with online sync turned off (air-gapped server) a request is refused at once and nothing is queued', async () => {
  await assert.rejects(startFeedSync(h.jobs, h.db, h.tenantA, {}, { online: false }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'conflict');
    assert.match(err.message, /VIGIL_FEED_SYNC_ONLINE=false/);
    assert.match(err.message, /vigil db import/);
    return true;
  });
  const page = await h.jobs.queue.list(h.tenantA, { type: FEEDS_SYNC, status: 'queued' }, { limit: 10, sort: '-createdAt' });
  assert.equal(page.items.length, 0);
});

test('an offline server fails the sync at once with a clear message, without retrying', async () => {
  runner = h.jobs.runner({ concurrency: 1, ...FAST });
  runner.start();
  const { job } = await startFeedSync(h.jobs, h.db, h.tenantA, { sources: ['kev', 'epss'] });
  assert.equal(job.maxAttempts, 3);
  const done = await waitFor('the sync to end', async () => {
    const j = await h.jobs.queue.get(h.tenantA, job.id);
    return j && ['succeeded', 'failed', 'cancelled'].includes(j.status) ? j : undefined;
  });
  assert.equal(done.status, 'failed');
  assert.equal(done.attempts, 1, 'not retried: it would fail the same way');
  assert.match(done.lastError ?? '', /^feed sync failed: no feed host could be reached \(kev, epss\): this server looks offline or air-gapped\. Import feed files with `vigil db import <files>`/);
  const result = done.result as { ok: boolean; sources: { source: string; status: string; error?: string }[] };
  assert.equal(result.ok, false);
  assert.deepEqual(result.sources.map((s) => [s.source, s.status]), [['kev', 'failed'], ['epss', 'failed']]);
  assert.match(result.sources[0]?.error ?? '', new RegExp(`127\\.0\\.0\\.1:${closedPort}/kev\\.json.*network error`));
});
