import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, SCREENSHOTS, seedHistory, skipReason, startServer, type SeededHistory, type Server } from './harness.js';

/**
 * Dashboard history and aggregates (issue 8) in Debian's Chromium: the findings trend and the
 * posture trend drawn from seeded history, a click on each landing on the filtered list or the
 * target's page, projects sorted by risk on the server, and the audit viewer filtered to one
 * finding from its page, with the actor's name in the triage history. Skips, saying so,
 * without /usr/bin/chromium or a built dashboard.
 */

const skip = skipReason();

let server: Server;
let history: SeededHistory;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function nav(name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
}

describe('dashboard history', { skip: skip ?? false }, () => {
  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = await startServer();
    history = await seedHistory(server);
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[134]/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
    });
    await page.goto(server.url);
    await page.getByLabel('Email').fill(server.admin.email);
    await page.getByLabel('Password').fill(server.admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the findings trend renders from history; clicking a severity lands on the filtered list', async () => {
    await nav('Overview');
    const chart = page.getByTestId('chart-trend');
    await chart.locator('.recharts-area-area').first().waitFor();
    // critical, high, medium, low were open in the window (the seed's and the history's).
    assert.ok((await chart.locator('.recharts-area-area').count()) >= 4);
    const legend = await page.locator('section[aria-labelledby=trend-title] .legend').innerText();
    // Today: the seed's minimist and the history's CVE-2023-1000 are critical; the low one was fixed.
    assert.match(legend, /critical\s+2 today/i);
    assert.match(legend, /low\s+0 today/i);
    await page.screenshot({ path: join(SCREENSHOTS, 'overview-trends.png'), fullPage: true });
    // The first area drawn is the critical one: a click on it opens the critical findings.
    await chart.locator('.recharts-area-area').first().dispatchEvent('click');
    await page.waitForURL(/\/findings\?severity=critical$/);
    await page.locator('table tbody tr').first().waitFor();
    const rows = await page.locator('table tbody tr').allInnerTexts();
    assert.ok(rows.length >= 1);
    for (const r of rows) assert.match(r, /\bcritical\b/i);
    assert.match(rows.join('\n'), /CVE-2023-1000/);
    // The legend is the keyboard way in.
    await nav('Overview');
    await page.getByTestId('trend-high').click();
    await page.waitForURL(/\/findings\?severity=high$/);
  });

  test('the posture trend renders; clicking the cluster line opens its posture page', async () => {
    await nav('Overview');
    const chart = page.getByTestId('chart-posture-trend');
    await chart.locator('.recharts-line-curve').first().waitFor();
    // Two older scans and the seed's two of today: three days with a point.
    assert.ok((await chart.locator('.recharts-line-dot').count()) >= 3, 'a dot per day with a scan');
    await chart.locator('.recharts-line-curve').first().dispatchEvent('click');
    await page.waitForURL(new RegExp(`/posture/clusters/${server.seeded.clusterId}`));
    await page.getByRole('heading', { name: /prod-eks/ }).waitFor();
    await nav('Overview');
    await page.getByTestId('posture-trend-target').first().click();
    await page.waitForURL(new RegExp(`/posture/clusters/${server.seeded.clusterId}`));
  });

  test('riskiest projects come from the server aggregate; the projects page sorts by risk', async () => {
    await nav('Overview');
    const risky = page.locator('section[aria-labelledby=risky-title]');
    await risky.locator('[data-testid=chart-projects] .bar').first().waitFor();
    const bars = await risky.locator('[data-testid=chart-projects] li').allInnerTexts();
    assert.match(bars[0] ?? '', new RegExp(`^${history.riskiestName}\\s+risk 28, 3 open, 1 in KEV`));
    assert.ok(bars.some((l) => /registry\.example\/web:1\.2 \(image\)\s+risk 6\.5, 1 open/.test(l)), bars.join(' | '));
    await risky.getByRole('link', { name: 'All projects by risk' }).click();
    await page.waitForURL(/\/projects\?sort=-risk/);
    await page.locator('table tbody tr').nth(2).waitFor();
    const names = await page.locator('table tbody tr td:first-child').allInnerTexts();
    const risks = (await page.getByTestId('project-risk').allInnerTexts()).map(Number);
    assert.equal(names[0], history.riskiestName);
    assert.deepEqual(risks, [...risks].sort((x, y) => y - x), 'risk descending');
    assert.equal(risks[risks.length - 1], 6.5);
    await page.screenshot({ path: join(SCREENSHOTS, 'projects-risk.png'), fullPage: true });
    // Choosing the sort in the form puts it in the URL.
    await page.getByLabel('Sort by').selectOption('name');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/sort=name/);
    await page.locator('table tbody tr').nth(2).waitFor();
    assert.deepEqual(await page.locator('table tbody tr td:first-child').allInnerTexts(), ['legacy-api', 'registry.example/web:1.2', 'shop']);
    // The project's own trend on its page, its links keeping the project filter.
    await page.getByRole('link', { name: history.riskiestName }).click();
    await page.getByTestId('chart-trend').locator('.recharts-area-area').first().waitFor();
    await page.getByTestId('trend-critical').click();
    await page.waitForURL(new RegExp(`/findings\\?severity=critical&project=${history.riskiestId}$`));
    await page.getByRole('link', { name: 'CVE-2023-1000' }).waitFor();
    assert.doesNotMatch(await page.locator('table tbody').innerText(), /CVE-2021-44906/, "the other project's critical is not listed");
  });

  test("a finding's audit entries: the viewer filtered by target, actor names in its history", async () => {
    await page.goto(`${server.url}/findings?severity=critical`);
    await page.getByRole('link', { name: 'CVE-2023-1000' }).click();
    await page.getByRole('heading', { name: 'Triage' }).waitFor();
    const findingId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByLabel('State').selectOption('in_triage');
    await page.getByRole('button', { name: 'Save triage' }).click();
    await page.getByText('Saved: now in triage.').waitFor();
    const historyText = await page.getByTestId('history').innerText();
    assert.match(historyText, new RegExp(`${server.admin.email.replace('.', '\\.')}: open → in triage`));
    assert.doesNotMatch(historyText, /user:[0-9a-f-]{36}/, 'a name, not an id');
    await page.getByTestId('audit').waitFor();
    await page.getByTestId('audit-link').click();
    await page.waitForURL(new RegExp(`/settings\\?targetType=findings&targetId=${findingId}#audit`));
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allInnerTexts();
    assert.ok(rows.length >= 1);
    for (const r of rows) assert.match(r, new RegExp(`findings ${findingId}`));
    assert.equal(await page.locator('#audit').getByLabel('Target id').inputValue(), findingId);
    await page.screenshot({ path: join(SCREENSHOTS, 'audit-by-target.png'), fullPage: true });
    // Another target: nothing recorded for the image project.
    const audit = page.locator('#audit');
    await audit.getByLabel('Target type').fill('projects');
    await audit.getByLabel('Target id').fill(history.imageId);
    await audit.getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No audit records match these filters.').waitFor();
    // The target link leads back to the finding.
    await page.goto(`${server.url}/settings?targetType=findings&targetId=${findingId}`);
    await page.getByTestId('audit-table').getByRole('link', { name: findingId }).first().click();
    await page.waitForURL(new RegExp(`/findings/${findingId}$`));
  });

  test('no script errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});
