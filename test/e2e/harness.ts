import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { createContext, type AppContext } from '../../src/app/context.js';
import { ingest } from '../../src/feeds/ingest.js';
import { FEED_PARSERS } from '../../src/feeds/registry.js';
import { analyseCollected } from '../../src/posture/collectors/analyse.js';
import { collectKubernetes } from '../../src/posture/collectors/kubernetes/index.js';
import { renderPostureJson } from '../../src/posture/output/json.js';
import { BUILTIN_RULES } from '../../src/posture/rules/registry.js';
import { buildApp } from '../../src/server/app.js';
import { DEFAULT_WEB_DIR } from '../../src/server/static.js';
import { scannedResources } from '../../src/store/repos/postureTargetsWorkloads.js';
import { resolveConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/observability/logger.js';
import { addUser, seedTenant, type SeededUser } from '../helpers/app.js';

/** Debian's Chromium (apt-get install chromium); never a downloaded browser. */
export const CHROMIUM = process.env['VIGIL_CHROMIUM'] ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/** Why the e2e suite cannot run here, or undefined when it can. */
export function skipReason(): string | undefined {
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is absent (apt-get install chromium); e2e tests skipped`;
  if (!existsSync(join(DEFAULT_WEB_DIR, 'index.html'))) return `the dashboard is not built (${DEFAULT_WEB_DIR}): run npm run build:web; e2e tests skipped`;
  return undefined;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Screenshots land in dist/e2e-screenshots (or VIGIL_E2E_SCREENSHOTS) for CI to keep. */
export const SCREENSHOTS = process.env['VIGIL_E2E_SCREENSHOTS'] ?? join(process.cwd(), 'dist', 'e2e-screenshots');

export interface Server {
  readonly ctx: AppContext;
  readonly app: FastifyInstance;
  readonly url: string;
  readonly admin: SeededUser;
  readonly viewer: SeededUser;
  /** Ids the seed created, for the assertions. */
  readonly seeded: { projectId: string; clusterId: string };
  close(): Promise<void>;
}

/**
 * A real Vigil server listening on 127.0.0.1 with PGlite in a temporary data directory, the
 * built dashboard, and seed data: advisories (OSV, KEV, EPSS) through the feed pipeline; a
 * project version and a cluster scan uploaded through the public API with an ingest key.
 */
export async function startServer(): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-e2e-'));
  const config = resolveConfig({
    flags: { dataDir: join(dir, 'data'), objectsDir: join(dir, 'objects'), logLevel: 'silent', jwtSecret: 'e2e-secret-'.padEnd(48, 'x'), uploadLimit: 4_000_000 },
    env: {},
  });
  const ctx = await createContext(config, { logger: createLogger('silent'), defaultMetrics: false });
  const app = await buildApp(ctx);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const close = async () => {
    await app.close();
    await ctx.db.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const admin = await seedTenant(ctx, 'admin', 'acme');
    const viewer = await addUser(ctx, admin.tenantId, 'viewer');
    const seeded = await seed(ctx, url, admin, dir);
    return { ctx, app, url, admin, viewer, seeded, close };
  } catch (err) {
    await close();
    throw err;
  }
}

async function http(url: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  return fetch(url, { ...init, headers });
}

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

const osv = (id: string, pkg: string, fixed: string, extra: Record<string, unknown> = {}) => ({
  schema_version: '1.6.0',
  id,
  modified: '2024-01-01T00:00:00Z',
  published: '2023-06-01T00:00:00Z',
  summary: `${pkg} is vulnerable`,
  details: `Versions of ${pkg} before ${fixed} are affected.`,
  affected: [{ package: { ecosystem: 'npm', name: pkg }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }],
  references: [{ type: 'ADVISORY', url: `https://github.com/advisories/${id}` }],
  ...extra,
});

const lockfile = (deps: Record<string, string>) =>
  JSON.stringify({
    name: 'shop',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'shop', version: '1.0.0', dependencies: Object.fromEntries(Object.keys(deps).map((d) => [d, '*'])) },
      ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v, resolved: `https://registry.npmjs.org/${n}/-/${n}-${v}.tgz` }])),
    },
  });

const meta = (name: string, namespace?: string) => ({ name, ...(namespace ? { namespace } : {}), uid: `uid-${namespace ?? ''}-${name}` });
const clusterDump = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Node', metadata: meta('node-1'), spec: { providerID: 'aws:///eu-west-1a/i-0123' }, status: { nodeInfo: { kubeletVersion: 'v1.31.2-eks-1' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta('prod') },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web', 'prod'),
      spec: { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', securityContext: { privileged: true } }] } } },
    },
    { apiVersion: 'v1', kind: 'Pod', metadata: meta('debug', 'default'), spec: { containers: [{ name: 'debug', image: 'alpine:3.20', securityContext: { privileged: true } }] } },
  ],
};

async function seed(ctx: AppContext, url: string, admin: SeededUser, dir: string): Promise<{ projectId: string; clusterId: string }> {
  // Advisories through the feed pipeline, as `vigil db import` does.
  const feed = join(dir, 'osv');
  await mkdir(feed, { recursive: true });
  const records = [
    osv('GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.21', {
      aliases: ['CVE-2021-23337'],
      severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
      database_specific: { severity: 'HIGH' },
    }),
    osv('GHSA-xvch-5gv4-984h', 'minimist', '1.2.6', { aliases: ['CVE-2021-44906'], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] }),
    osv('GHSA-p6mc-m468-83gw', 'lodash.merge', '4.6.2', { aliases: ['CVE-2020-8203'], severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:H/A:H' }] }),
  ];
  for (const r of records) await writeFile(join(feed, `${r.id}.json`), JSON.stringify(r));
  await ingest(ctx.db, ctx.logger, [feed], { source: 'osv', parsers: FEED_PARSERS });
  const kev = join(dir, 'kev.json');
  await writeFile(
    kev,
    JSON.stringify({
      title: 'CISA Catalog of Known Exploited Vulnerabilities',
      catalogVersion: '2024.01.01',
      dateReleased: '2024-01-01T00:00:00.000Z',
      count: 1,
      vulnerabilities: [
        {
          cveID: 'CVE-2021-23337',
          vendorProject: 'lodash',
          product: 'lodash',
          vulnerabilityName: 'lodash command injection',
          dateAdded: '2023-12-01',
          shortDescription: 'x',
          requiredAction: 'Apply updates per vendor instructions.',
          dueDate: '2023-12-22',
          knownRansomwareCampaignUse: 'Unknown',
          notes: '',
          cwes: [],
        },
      ],
    }),
  );
  const epss = join(dir, 'epss_scores-2024-01-01.csv');
  await writeFile(epss, '#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000\ncve,epss,percentile\nCVE-2021-23337,0.5,0.99\nCVE-2021-44906,0.2,0.9\nCVE-2020-8203,0.01,0.5\n');
  await ingest(ctx.db, ctx.logger, [kev], { source: 'kev', parsers: FEED_PARSERS });
  await ingest(ctx.db, ctx.logger, [epss], { source: 'epss', parsers: FEED_PARSERS });

  // Everything else over real HTTP, as a user and a CI job would.
  const { accessToken } = await json<{ accessToken: string }>(
    await http(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.email, password: admin.password }) }),
    'login',
  );
  const { key } = await json<{ key: string }>(
    await http(`${url}/api/v1/api-keys`, { method: 'POST', token: accessToken, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'seed', role: 'ingest' }) }),
    'create ingest key',
  );
  const up = await json<{ project: { id: string } }>(
    await http(`${url}/api/v1/uploads?project=shop&version=1.0.0&filename=package-lock.json`, {
      method: 'POST',
      token: key,
      headers: { 'content-type': 'application/octet-stream' },
      body: lockfile({ lodash: '4.17.20', minimist: '1.2.5', 'lodash.merge': '4.6.1', express: '4.18.2' }),
    }),
    'upload',
  );
  const snapshot = join(dir, 'cluster.json');
  await writeFile(snapshot, JSON.stringify(clusterDump));
  const collected = await collectKubernetes({ snapshot, name: 'prod-eks' });
  const analysed = analyseCollected(collected, BUILTIN_RULES);
  const scanBody = JSON.stringify({
    target: collected.target,
    report: JSON.parse(renderPostureJson(analysed.report)) as unknown,
    resources: scannedResources(collected.resources),
    rules: BUILTIN_RULES.map((r) => r.id),
    rulesVersion: 'vigil e2e',
  });
  // Two scans of the cluster, so it has a trend.
  let scan: { target: { id: string } } | undefined;
  for (let i = 0; i < 2; i++) {
    scan = await json<{ target: { id: string } }>(
      await http(`${url}/api/v1/scans`, { method: 'POST', token: key, headers: { 'content-type': 'application/json' }, body: scanBody }),
      'cluster scan upload',
    );
  }
  if (!scan) throw new Error('no cluster scan');
  return { projectId: up.project.id, clusterId: scan.target.id };
}

/** What `seedHistory` added, for the assertions. */
export interface SeededHistory {
  /** A project with findings opened on past days, riskier than the default seed's `shop`. */
  readonly riskiestId: string;
  readonly riskiestName: string;
  /** A container image project with one open finding. */
  readonly imageId: string;
}

/**
 * Opt-in history for the trend tests (the default seed stays as it is for the other suites):
 * findings of two more projects first seen on past days, some fixed or triaged since, and two
 * older scans of the seeded cluster, all with explicit timestamps (the API only writes "now").
 */
export async function seedHistory(server: Server): Promise<SeededHistory> {
  const { createProject } = await import('../../src/store/repos/projects.js');
  const { daysAgo, insertChange, insertFinding, insertScan } = await import('../integration/historySeed.js');
  const { ctx, admin } = server;
  const tenant = admin.tenantId;
  const project = async (name: string, kind: 'application' | 'image') => (await ctx.db.tenant(tenant, (q) => createProject(q, tenant, { name, kind })))!.id;
  const riskiestName = 'legacy-api';
  const riskiestId = await project(riskiestName, 'application');
  const imageId = await project('registry.example/web:1.2', 'image');
  const sevs = ['critical', 'high', 'high', 'medium', 'medium', 'low'] as const;
  for (let i = 0; i < sevs.length; i++) {
    const id = await insertFinding(ctx, tenant, { projectId: riskiestId, vulnId: `CVE-2023-10${i}0`, severity: sevs[i]!, firstSeen: daysAgo(40 - i * 6), risk: 10 - i * 0.5, kev: i === 0, epss: i === 0 ? 0.7 : 0.01 });
    // Two of them fixed, one accepted, on later days: the trend steps down.
    if (i === 2 || i === 5) await insertChange(ctx, tenant, id, daysAgo(8 - i), 'open', 'fixed');
    if (i === 4) await insertChange(ctx, tenant, id, daysAgo(3), 'open', 'accepted_risk', `user:${admin.userId}`);
  }
  await insertFinding(ctx, tenant, { projectId: imageId, vulnId: 'CVE-2024-20001', severity: 'high', firstSeen: daysAgo(12), risk: 6.5, pkg: 'openssl' });
  await insertScan(ctx, tenant, { targetId: server.seeded.clusterId, at: daysAgo(20), risk: 7.5, failed: 9 });
  await insertScan(ctx, tenant, { targetId: server.seeded.clusterId, at: daysAgo(10), risk: 6.2, failed: 7 });
  return { riskiestId, riskiestName, imageId };
}
