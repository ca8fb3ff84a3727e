import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, SCREENSHOTS, skipReason, startServer, type Server } from './harness.js';
import { initialJs, INITIAL_JS_BUDGET } from './initialJs.js';

/**
 * The web dashboard in Debian's Chromium (playwright-core), against a real Vigil server on
 * PGlite with seed data: sign in, the overview charts, advisory search and detail, findings
 * triage with its audit entry, bulk triage, an API key used over HTTP, the posture drill-down.
 * Skips, saying so, without /usr/bin/chromium or a built dashboard (`npm run test:e2e`
 * builds it and fails instead of skipping).
 */

const skip = skipReason();

let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const pageErrors: string[] = [];

/** Follows a link of the main navigation. */
async function nav(name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('web dashboard', { skip: skip ?? false }, () => {
  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the app is served with a CSP that allows it, and client routes survive a reload', async () => {
    const res = await fetch(`${server.url}/findings?severity=high`);
    assert.equal(res.status, 200);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    // Plain HTTP (no VIGIL_COOKIE_SECURE): the browser must not be told to upgrade to HTTPS.
    assert.doesNotMatch(csp, /upgrade-insecure-requests/);
    const html = await res.text();
    assert.match(html, /<div id="root">/);
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    // Initial JS (the index's scripts and the chunks it preloads, before any route chunk)
    // within the budget of 500 KB gzipped.
    const initial = await initialJs(server.url, html);
    assert.ok(initial.scripts.length > 0);
    for (const s of initial.scripts) {
      assert.equal(s.status, 200, s.src);
      assert.match(s.cacheControl, /immutable/, s.src);
    }
    console.log(`initial JS: ${(initial.gzipBytes / 1024).toFixed(0)} KB gzipped in ${initial.scripts.length} files`);
    assert.ok(initial.gzipBytes < INITIAL_JS_BUDGET, `initial JS is ${initial.gzipBytes} bytes gzipped`);
    const api = await fetch(`${server.url}/api/v1/nope`);
    assert.equal(api.status, 404);
    assert.equal(api.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  });

  test('a wrong password is explained in plain words; then signing in with the keyboard works', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(server.admin.email);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /Invalid email or password/);
    await page.getByLabel('Password').fill(server.admin.password);
    await page.getByLabel('Password').press('Enter');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.match(await page.locator('header').innerText(), /acme/);
    assert.match(await page.locator('header').innerText(), new RegExp(server.admin.email));
  });

  test('overview charts render with data and link to the filtered list', async () => {
    await nav('Overview');
    await page.locator('[data-testid=chart-severity] .bar').first().waitFor();
    assert.ok((await page.locator('[data-testid=chart-severity] .bar').count()) >= 2);
    await page.locator('[data-testid=chart-projects] .bar').first().waitFor();
    await page.locator('[data-testid=chart-compliance] .bar').first().waitFor();
    assert.match(await page.getByTestId('open-total').innerText(), /3 open · 1 in KEV · 3 with a fix/);
    const hot = await page.locator('section[aria-labelledby=hot-title]').innerText();
    assert.match(hot, /CVE-2021-23337/);
    await shot('overview');
    // Every bar is a link to the list behind it.
    await page.getByTestId('chart-severity').getByRole('link', { name: /high/ }).click();
    await page.waitForURL(/\/findings\?severity=high$/);
    await page.locator('table tbody tr').first().waitFor();
    // lodash (CVSS 7.2) and lodash.merge (7.4) are high; minimist (9.8) is critical.
    assert.equal(await page.locator('table tbody tr').count(), 2);
    assert.match(await page.locator('table tbody').innerText(), /CVE-2021-23337/);
    assert.doesNotMatch(await page.locator('table tbody').innerText(), /minimist/);
  });

  test('search an advisory and open it: CVSS explained metric by metric, KEV, EPSS, my projects', async () => {
    await nav('Advisories');
    await page.getByLabel('Id or alias').fill('GHSA-xvch-5gv4-984h');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/advisories\?id=GHSA-xvch-5gv4-984h/);
    const link = page.locator('table tbody a').first();
    await link.waitFor();
    const id = await link.innerText();
    assert.match(id, /CVE-2021-44906|GHSA-xvch-5gv4-984h/);
    await link.click();
    await page.getByRole('heading', { name: 'CVSS', exact: true }).waitFor();
    const body = await page.locator('main').innerText();
    assert.match(body, /Attack Vector \(AV\)\s+Network \(N\)/);
    assert.match(body, /Privileges Required \(PR\)\s+None \(N\)/);
    assert.match(body, /EPSS\s+20\.0%/);
    assert.match(body, /Not in CISA KEV/);
    assert.match(body, /npm minimist/);
    assert.match(body, /fixed in 1\.2\.6/);
    assert.match(body, /My affected projects\s+shop: minimist@1\.2\.5/);
    await shot('advisory');
  });

  test('open a finding, triage it, and see the history and the audit entry', async () => {
    await page.goto(`${server.url}/findings?sort=-risk`);
    await page.locator('table tbody tr').first().waitFor();
    assert.equal(await page.locator('table tbody tr').count(), 3);
    // Filters live in the URL; sorting is by column header.
    await page.getByLabel('Project').selectOption({ label: 'shop' });
    await page.waitForURL(new RegExp(`project=${server.seeded.projectId}`));
    await page.getByRole('button', { name: 'EPSS' }).click();
    await page.waitForURL(/sort=-epss/);
    await page.locator('table tbody tr').nth(2).waitFor();
    assert.match(await page.locator('table tbody tr').first().innerText(), /CVE-2021-23337/);
    assert.match(await page.locator('table tbody tr').last().innerText(), /CVE-2020-8203/);
    await shot('findings');
    await page.getByRole('link', { name: 'CVE-2021-23337' }).click();
    await page.getByRole('heading', { name: 'Triage' }).waitFor();
    assert.equal(await page.getByTestId('finding-state').innerText(), 'open');
    await page.getByLabel('State').selectOption('accepted_risk');
    await page.getByLabel('Expires on').fill('2099-12-31');
    await page.getByLabel('Comment').fill('Not reachable from the public API; upgrade planned');
    await page.getByRole('button', { name: 'Save triage' }).click();
    await page.getByText('Saved: now accepted risk.').waitFor();
    await page.getByTestId('history').waitFor();
    assert.equal(await page.getByTestId('finding-state').innerText(), 'accepted risk');
    assert.match(await page.getByTestId('history').innerText(), /open → accepted risk — “Not reachable from the public API; upgrade planned”, expires/);
    await page.getByTestId('audit').waitFor();
    assert.match(await page.getByTestId('audit').innerText(), /findings?\.\w+ by .*@acme\.test · success/);
    await shot('finding');
  });

  test('bulk triage of many findings from the table', async () => {
    await nav('Findings');
    await page.locator('table tbody tr').first().waitFor();
    assert.equal(await page.locator('table tbody tr').count(), 2, 'the accepted risk left the open list');
    await page.getByLabel('Select all on this page').check();
    await page.getByRole('heading', { name: 'Triage 2 selected' }).waitFor();
    await page.locator('.bulk').getByLabel('State').selectOption('not_affected');
    await page.locator('.bulk').getByLabel('Justification').selectOption('vulnerable_code_not_in_execute_path');
    await page.getByRole('button', { name: 'Triage 2' }).click();
    await page.getByText('2 findings triaged.').waitFor();
    await page.getByText('No open findings.').waitFor();
    assert.match(await page.locator('main').innerText(), /npm run vigil -- sbom \. --upload/);
  });

  test('create an API key in Settings; it works in a real HTTP request', async () => {
    await nav('Settings');
    await page.getByLabel('Key name').fill('dashboard-e2e');
    await page.getByLabel('Key role').selectOption('viewer');
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.getByTestId('new-key').innerText()).trim();
    assert.match(key, /^vgl_/);
    await shot('settings');
    const findings = await fetch(`${server.url}/api/v1/findings?includeClosed=true`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(findings.status, 200);
    assert.equal(((await findings.json()) as { items: unknown[] }).items.length, 3);
    // A viewer key may not write: the refusal is problem+json.
    const denied = await fetch(`${server.url}/api/v1/projects`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"name":"x"}' });
    assert.equal(denied.status, 403);
    await page.getByRole('row', { name: /dashboard-e2e/ }).waitFor();
  });

  test('project detail: versions, components, SBOM download links', async () => {
    await nav('Projects');
    await page.getByRole('link', { name: 'shop' }).click();
    await page.getByRole('heading', { name: 'Components' }).waitFor();
    await page.getByRole('cell', { name: 'lodash', exact: true }).waitFor();
    const href = await page.getByRole('link', { name: 'CycloneDX' }).getAttribute('href');
    assert.ok(href);
    const sbom = await page.request.get(`${server.url}${href}`);
    assert.equal(sbom.status(), 200);
    assert.equal(((await sbom.json()) as { bomFormat: string }).bomFormat, 'CycloneDX');
    await shot('project');
  });

  test('posture: cluster → framework compliance → control → failing resources → fix with a copy button', async () => {
    await nav('Posture');
    await page.getByRole('link', { name: 'prod-eks' }).click();
    await page.getByRole('tablist', { name: 'Frameworks' }).waitFor();
    // Two equal scans draw flat lines (zero height, so "attached" rather than "visible").
    const curve = page.locator('[data-testid=chart-trend] path.recharts-line-curve').first();
    await curve.waitFor({ state: 'attached' });
    assert.match((await curve.getAttribute('d')) ?? '', /^M[\d.]+,[\d.]+L[\d.]+,[\d.]+/);
    const failing = page.locator('button.status-fail').first();
    await failing.waitFor();
    await failing.click();
    await page.waitForURL(/control=/);
    await page.getByRole('heading', { name: /^Failing resources for/ }).waitFor();
    const list = page.locator('.card').filter({ hasText: 'Failing resources for' });
    await list.locator('li').first().waitFor();
    const showFix = list.getByRole('button', { name: 'Show fix' }).first();
    if ((await showFix.count()) > 0) {
      await showFix.click();
      await list.getByRole('button', { name: 'Copy fix' }).first().waitFor();
      assert.ok((await list.locator('.snippet pre').first().innerText()).length > 0);
    }
    await shot('posture');
  });

  test('every page loads without script errors, and signing out returns to the login form', async () => {
    for (const path of ['/', '/findings', '/advisories', '/projects', '/posture', '/jobs', '/settings']) {
      await page.goto(`${server.url}${path}`);
      await page.locator('main h1').first().waitFor();
    }
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Vigil' }).waitFor();
    assert.deepEqual(pageErrors, []);
  });

  test('a viewer signs in and reads; triage is refused in plain words', async () => {
    await page.getByLabel('Email').fill(server.viewer.email);
    await page.getByLabel('Password').fill(server.viewer.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    assert.match(await page.locator('header').innerText(), /acme[\s\S]*viewer/);
    await page.goto(`${server.url}/findings?includeClosed=true`);
    await page.getByRole('link', { name: 'CVE-2021-44906' }).click();
    await page.getByRole('button', { name: 'Save triage' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /You are not allowed to do this: Role "viewer" may not write\./);
    await nav('Settings');
    await page.getByText('Users, API keys and the audit log are for admins').waitFor();
  });
});
