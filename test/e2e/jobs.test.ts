import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createContext, type AppContext } from '../../src/app/context.js';
import { resolveConfig } from '../../src/config/config.js';
import type { Runner } from '../../src/jobs/runner.js';
import { createLogger } from '../../src/observability/logger.js';
import { buildApp } from '../../src/server/app.js';
import { addUser, login, seedTenant, type SeededUser } from '../helpers/app.js';
import { feedServer, withEtag, type FeedServer } from '../helpers/feedServer.js';
import { launchBrowser, SCREENSHOTS, skipReason } from './harness.js';
import { CLUSTER_DUMP, KEV_DOCUMENT } from '../helpers/jobs-fixtures.js';

/**
 * The Jobs page in Debian's Chromium: a cluster scan started from the page and followed to
 * "succeeded" through the event stream (the job list is not polled: requests are counted), a
 * feed sync from a local feed server (KEV), an import of a lockfile and a refused one in plain
 * words, and a viewer who sees every start button disabled with the reason. Its own server
 * (not harness.ts's) because it needs settings the shared seed does not set: a snapshot folder
 * for server-side scans, the KEV URL, and a job runner.
 */

const skip = skipReason();

interface JobsServer {
  readonly ctx: AppContext;
  readonly app: FastifyInstance;
  readonly url: string;
  readonly admin: SeededUser;
  readonly viewer: SeededUser;
  close(): Promise<void>;
}



const lockfile = JSON.stringify({
  name: 'shop',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: { '': { name: 'shop', version: '1.0.0', dependencies: { minimist: '*' } }, 'node_modules/minimist': { version: '1.2.5', resolved: 'https://registry.npmjs.org/minimist/-/minimist-1.2.5.tgz' } },
});

let feeds: FeedServer;
let dir: string;
let server: JobsServer;
let runner: Runner;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every API request the page made, as `METHOD /path`. */
const requests: string[] = [];
const pageErrors: string[] = [];

async function startJobsServer(): Promise<JobsServer> {
  const config = resolveConfig({
    flags: {
      dataDir: join(dir, 'data'),
      objectsDir: join(dir, 'objects'),
      logLevel: 'silent',
      jwtSecret: 'e2e-jobs-secret-'.padEnd(48, 'x'),
      postureSnapshotDir: join(dir, 'snapshots'),
      kevUrl: `${feeds.origin}/kev.json`,
      workerConcurrency: 0,
    },
    env: {},
  });
  const ctx = await createContext(config, { logger: createLogger('silent'), defaultMetrics: false });
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const admin = await seedTenant(ctx, 'admin', 'acme');
  const viewer = await addUser(ctx, admin.tenantId, 'viewer');
  // A cluster the server may scan itself, registered over the API as an admin would.
  const token = await login(app, admin);
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/clusters',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ provider: 'kubernetes', externalId: 'prod-eu', name: 'prod-eu', scan: { config: { provider: 'snapshot', path: 'prod-eu.json' } } }),
  });
  if (created.statusCode !== 201) throw new Error(`register cluster: ${created.statusCode} ${created.body}`);
  return {
    ctx,
    app,
    url,
    admin,
    viewer,
    async close() {
      await app.close();
      await ctx.db.close();
    },
  };
}

async function signIn(u: SeededUser): Promise<void> {
  await page.goto(`${server.url}/jobs`);
  await page.getByLabel('Email').fill(u.email);
  await page.getByLabel('Password').fill(u.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
}

const jobListRequests = (): number => requests.filter((r) => /^GET \/api\/v1\/jobs(\?|$)/.test(r)).length;

describe('Jobs page', { skip: skip ?? false }, () => {
  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    dir = await mkdtemp(join(tmpdir(), 'vigil-e2e-jobs-'));
    await mkdir(join(dir, 'snapshots'), { recursive: true });
    await writeFile(join(dir, 'snapshots', 'prod-eu.json'), JSON.stringify(CLUSTER_DUMP));
    feeds = await feedServer();
    feeds.route('/kev.json', (r) => withEtag(r, '"k1"', KEV_DOCUMENT));
    server = await startJobsServer();
    runner = server.ctx.jobs.runner({ concurrency: 2, pollIntervalMs: 50, recoverIntervalMs: 0, schedules: false });
    runner.start();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith('/api/')) requests.push(`${r.method()} ${u.pathname}${u.search}`);
    });
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[0134]/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await runner?.stop();
    await server?.close();
    await feeds?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('a scan started from the page reaches "succeeded" through the event stream, without polling', async () => {
    await signIn(server.admin);
    await page.locator('[data-stream=live]').waitFor();
    assert.ok(requests.some((r) => r === 'GET /api/v1/jobs/events'), 'the page opened the event stream');
    const listsBefore = jobListRequests();
    await page.getByLabel('Target').selectOption({ label: 'Cluster prod-eu (kubernetes)' });
    const [res] = await Promise.all([page.waitForResponse((r) => /\/api\/v1\/clusters\/[^/]+\/scan$/.test(r.url())), page.getByRole('button', { name: 'Scan now' }).click()]);
    assert.equal(res.status(), 202);
    const job = (await res.json()) as { id: string };
    const row = page.locator(`tr[data-job="${job.id}"]`);
    await row.waitFor();
    await page.locator(`tr[data-job="${job.id}"][data-status=succeeded]`).waitFor({ timeout: 60_000 });
    assert.match(await row.innerText(), /posture\.collect\s+succeeded/);
    assert.equal(jobListRequests(), listsBefore, `the job list was not fetched again while the scan ran: ${requests.join(', ')}`);
    assert.equal(requests.filter((r) => r === 'GET /api/v1/jobs/events').length, 1, 'one stream, not reconnected');
    await page.screenshot({ path: join(SCREENSHOTS, 'jobs.png'), fullPage: true });
  });

  test('a feed sync of KEV from a local feed server, shown live and in the feed runs', async () => {
    const listsBefore = jobListRequests();
    await page.getByRole('checkbox', { name: /kev/ }).check();
    const [res] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/jobs') && r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Start feed sync' }).click(),
    ]);
    assert.equal(res.status(), 201);
    const job = (await res.json()) as { id: string; type: string; payload: unknown };
    assert.equal(job.type, 'feeds.sync');
    assert.deepEqual(job.payload, { sources: ['kev'] });
    await page.locator(`tr[data-job="${job.id}"][data-status=succeeded]`).waitFor({ timeout: 60_000 });
    assert.equal(jobListRequests(), listsBefore, 'no polling while the sync ran');
    // The finished sync refreshes the feed runs below.
    await page.locator('section[aria-labelledby=runs-title] td', { hasText: 'kev' }).first().waitFor();
    assert.equal(feeds.seen('/kev.json').length, 1);
  });

  test('an import shows its result; an unreadable file is refused in plain words', async () => {
    await page.getByLabel('Project', { exact: true }).fill('shop-e2e');
    await page.getByLabel('Version', { exact: true }).fill('1.0.0');
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'package-lock.json', mimeType: 'application/json', buffer: Buffer.from(lockfile) });
    await page.getByRole('button', { name: 'Import' }).click();
    const ok = page.locator('form[aria-labelledby=import-title] [role=status]');
    await ok.waitFor();
    assert.match(await ok.innerText(), /Imported shop-e2e 1\.0\.0 \(new project\): 1 components/);
    await page.getByLabel('Version', { exact: true }).fill('1.0.1');
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'package-lock.json', mimeType: 'application/json', buffer: Buffer.from('{ this is not json') });
    await page.getByRole('button', { name: 'Import' }).click();
    const alert = page.locator('form[aria-labelledby=import-title] [role=alert]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /nothing could be read from the upload/);
  });

  test('a viewer sees the start buttons disabled, with the reason', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(server.viewer);
    await page.locator('[data-stream=live]').waitFor();
    for (const name of ['Start feed sync', 'Scan now', 'Import']) {
      assert.equal(await page.getByRole('button', { name }).isDisabled(), true, `${name} is disabled for a viewer`);
    }
    const text = await page.locator('section[aria-labelledby=start-title]').innerText();
    assert.match(text, /Only an admin can start this \(you are a viewer\)\./);
    assert.match(text, /Only an admin or an analyst can import \(you are a viewer\)\./);
    // The API refuses too, in the words the page would show.
    const token = await login(server.app, server.viewer);
    const res = await server.app.inject({ method: 'POST', url: '/api/v1/jobs', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"type":"feeds.sync"}' });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(pageErrors, []);
  });
});
