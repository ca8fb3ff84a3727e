import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { createGzip, gzipSync } from 'node:zlib';
import tar, { type Header } from 'tar-stream';
import yazl from 'yazl';
import { analyse } from '../../src/posture/analyse.js';
import { coverage, frameworkCoverage } from '../../src/posture/coverage/coverage.js';
import { FRAMEWORK_IDS } from '../../src/posture/frameworks.js';
import type { PostureFinding } from '../../src/posture/model.js';
import { summarise } from '../../src/posture/output/report.js';
import { BUILTIN_RULES } from '../../src/posture/rules/registry.js';
import { parseSuppressionFile } from '../../src/posture/suppress/file.js';
import { runCaptured } from '../helpers/cli.js';
import { addUser, bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';
import { zipOf } from '../helpers/zip.js';

/**
 * Posture scans end to end on a real database (PGlite, or PostgreSQL with DATABASE_URL):
 * directory archives (tar, tar.gz, zip) scanned by the server and compared with what
 * analyse() finds in the same files (the built-in rules grow meanwhile, so no finding counts
 * are hard-coded), a hand-built report with known findings for exact filter, sort, paging and
 * summary assertions, latest-scan defaults, hostile archives, bad reports, permissions,
 * audit, tenant isolation and `vigil posture scan --upload`.
 */

let t: TestApp;
let admin: SeededUser;
let token: string;
let ingestKey: string;
let dir: string;

const UPLOAD_LIMIT = 8_000_000;

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: prod
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: nginx:latest
          securityContext:
            privileged: true
            allowPrivilegeEscalation: true
`;

/** The directory uploaded: IaC files, a broken manifest, a suppression file. */
const FILES: Record<string, string> = {
  'k8s/deploy.yaml': DEPLOY,
  'k8s/broken.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n',
  Dockerfile: 'FROM ubuntu:latest\nUSER root\nADD https://example.com/x.sh /x.sh\nRUN curl -s https://example.com/i.sh | sh\n',
  'cfn/template.yaml': 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Logs:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: PublicRead\n',
  'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n  acl    = "public-read"\n}\n',
  '.vigil-posture.yaml': 'suppressions:\n  - rule: VGL-K8S-002\n    file: "k8s/**"\n    reason: accepted for the test\n',
};
/** Also in the archive, never scanned. */
const IGNORED: Record<string, string> = { 'node_modules/dep/deploy.yaml': DEPLOY, 'README.md': '# readme\n', 'docs/notes.txt': 'x' };

/** What the server must find: analyse() on the same files with the same rules and suppressions. */
async function expected() {
  const sources = Object.entries(FILES)
    .filter(([p]) => p !== '.vigil-posture.yaml')
    .map(([path, text]) => ({ path, text }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const sup = parseSuppressionFile('.vigil-posture.yaml', FILES['.vigil-posture.yaml']!);
  assert.ok(sup.ok);
  const a = await analyse(sources, BUILTIN_RULES, { fileSuppressions: sup.suppressions });
  assert.ok(a.resources.length >= 3, 'the fixture yields resources (Deployment, Dockerfile stage, CloudFormation bucket)');
  return { ...a, files: sources.length - a.unrecognised.length };
}

const key = (f: Pick<PostureFinding, 'ruleId' | 'status' | 'location'> & { resource: { id: string } }) => `${f.ruleId}|${f.status}|${f.location.file}:${f.location.line}|${f.resource.id}`;

async function tarOf(entries: Record<string, string | Buffer>, extra: Partial<Header>[] = []): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of Object.entries(entries)) pack.entry({ name, type: 'file' }, Buffer.from(body));
  for (const h of extra) pack.entry(h as Header);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

const prefixed = (prefix: string, entries: Record<string, string>) => Object.fromEntries(Object.entries(entries).map(([k, v]) => [`${prefix}${k}`, v]));

const post = (query: string, body: Buffer | string, headers: Record<string, string> = {}, auth = `Bearer ${ingestKey}`) =>
  t.app.inject({ method: 'POST', url: `/api/v1/posture/scans?${query}`, headers: { authorization: auth, 'content-type': 'application/octet-stream', ...headers }, payload: body });

const get = (url: string, tok = token) => t.app.inject({ method: 'GET', url, headers: bearer(tok) });

/** Every item of a list, following nextCursor. */
async function all<T>(url: string, tok = token, size = 500): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const res = await get(`${url}${url.includes('?') ? '&' : '?'}limit=${size}${cursor ? `&cursor=${cursor}` : ''}`, tok);
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json<{ items: T[]; nextCursor: string | null }>();
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

before(async () => {
  t = await testApp({ uploadLimit: UPLOAD_LIMIT });
  admin = await seedTenant(t.ctx, 'admin');
  token = await login(t.app, admin);
  const k = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(token), payload: { name: 'ci', role: 'ingest' } });
  ingestKey = k.json().key;
  dir = await mkdtemp(join(tmpdir(), 'vigil-posture-'));
});
after(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('directory archives scanned by the server', () => {
  const cases: [string, () => Promise<Buffer>, string][] = [
    ['tar.gz', async () => gzipSync(await tarOf({ ...FILES, ...IGNORED })), ''],
    ['zip', () => zipOf({ ...FILES, ...IGNORED }), ''],
    ['tar with a top folder (strip=1)', () => tarOf(prefixed('repo-1a2b/', { ...FILES, ...IGNORED })), '&strip=1'],
  ];
  for (const [name, build, q] of cases) {
    test(`${name}: stored counts and findings agree with analyse() on the same files`, async () => {
      const want = await expected();
      const res = await post(`project=archive-${name.split(' ')[0]}&target=infra${q}`, await build());
      assert.equal(res.statusCode, 201, res.body);
      const scan = res.json();
      assert.equal(scan.source, 'archive');
      assert.equal(scan.target, 'infra');
      assert.equal(scan.projectCreated, true);
      assert.equal(scan.files, want.files);
      assert.equal(scan.resources, want.resources.length);
      assert.equal(scan.findings, want.findings.length);
      assert.deepEqual(scan.summary, summarise(want.findings));
      assert.deepEqual(scan.errors, want.problems.map((p) => ({ path: p.path, ...(p.line !== undefined ? { line: p.line } : {}), reason: p.reason })));
      assert.ok(scan.errors.some((e: { path: string }) => e.path === 'k8s/broken.yaml'), 'the broken manifest is reported');
      assert.equal(scan.errorCount, scan.errors.length);
      assert.match(scan.rulesVersion, /^vigil .+; \d+ rules; [0-9a-f]{12}$/);
      assert.match(scan.documentSha256, /^[0-9a-f]{64}$/);
      const stored = await all<PostureFinding & { scanId: string }>(`/api/v1/posture/findings?scan=${scan.id}`);
      assert.deepEqual(stored.map(key).sort(), want.findings.map(key).sort());
      assert.ok(stored.every((f) => f.scanId === scan.id && !f.location.file.startsWith('node_modules/')));
      // The suppression file applies: suppressed, never hidden.
      assert.equal(stored.filter((f) => f.status === 'suppressed').length, want.findings.filter((f) => f.status === 'suppressed').length);
      const again = await get(`/api/v1/posture/scans/${scan.id}`);
      assert.equal(again.statusCode, 200);
      const { projectCreated: _created, ...stored1 } = scan;
      assert.deepEqual(again.json(), stored1);
    });
  }

  test('an archive without IaC files is a scan of nothing, not an error', async () => {
    const res = await post('project=empty', await zipOf({ 'README.md': '# nothing here\n' }));
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().files, 0);
    assert.equal(res.json().findings, 0);
  });

  test('a bad suppression file refuses the archive, naming the problem', async () => {
    const res = await post('project=badsup', await tarOf({ 'k8s/deploy.yaml': DEPLOY, '.vigil-posture.yaml': 'suppressions:\n  - rule: VGL-K8S-002\n' }));
    assert.equal(res.statusCode, 400);
    assert.match(res.json().detail, /suppression file: .*reason/);
  });
});

describe('hostile archives', () => {
  const refused = async (name: string, body: Buffer, status: number, detail: RegExp) => {
    const res = await post(`project=hostile`, body);
    assert.equal(res.statusCode, status, `${name}: ${res.body}`);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.match(res.json().detail, detail, name);
  };

  test('path traversal and absolute paths are refused', async () => {
    await refused('tar ..', gzipSync(await tarOf({ 'ok.yaml': DEPLOY, '../../etc/evil.yaml': DEPLOY })), 400, /path traversal/);
    await refused('tar absolute', await tarOf({ '/etc/evil.yaml': DEPLOY }), 400, /absolute path/);
    const zip = await zipOf({ 'aa/evil.yaml': DEPLOY });
    await refused('zip ..', Buffer.from(zip.toString('latin1').replaceAll('aa/evil.yaml', '../evil.yaml'), 'latin1'), 400, /path traversal/);
    assert.equal((await get('/api/v1/posture/scans?limit=500')).json().items.filter((s: { projectName: string }) => s.projectName === 'hostile').length, 0, 'nothing stored');
  });

  test('links are not followed and are reported', async () => {
    const res = await post('project=links', await tarOf({ 'real.yaml': DEPLOY }, [{ name: 'link.yaml', type: 'symlink', linkname: '/etc/passwd' }, { name: 'hard.yaml', type: 'link', linkname: 'real.yaml' }]));
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(
      res.json().errors.filter((e: { reason: string }) => /link/.test(e.reason)).map((e: { path: string }) => e.path).sort(),
      ['hard.yaml', 'link.yaml'],
    );
  });

  test('too many entries', async () => {
    const z = new yazl.ZipFile();
    for (let i = 0; i <= 50_000; i++) z.addBuffer(Buffer.alloc(0), `f${i}`, { compress: false });
    z.end();
    const chunks: Buffer[] = [];
    for await (const c of z.outputStream as AsyncIterable<Buffer>) chunks.push(c);
    await refused('50,001 members', Buffer.concat(chunks), 400, /more than 50000/);
  });

  test('bombs: inflation stops at the limit', async () => {
    // 130 MiB of zeros gzipped into ~130 KB.
    const mib = Buffer.alloc(1024 * 1024);
    const gz: Buffer[] = [];
    for await (const c of Readable.from((function* () {
      for (let i = 0; i < 130; i++) yield mib;
    })()).pipe(createGzip({ level: 9 }))) gz.push(c as Buffer);
    await refused('gzip bomb', Buffer.concat(gz), 413, /expands to more than/);
    // A tar member declaring more than the limit (its data cut short): refused at the header.
    const declared = (await tarOf({ 'x.yaml': Buffer.alloc(2 * 1024 * 1024) })).subarray(0, 4096);
    declared.write('10000000000\0', 124, 'latin1'); // 1 GiB, octal
    const sum = [...declared.subarray(0, 512)].reduce((n, b, i) => n + (i >= 148 && i < 156 ? 0x20 : b), 0);
    declared.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    await refused('declared size', declared, 413, /more than \d+ bytes/);
    const zipBomb = await zipOf({ 'zeros.yaml': Buffer.alloc(129 * 1024 * 1024) });
    assert.ok(zipBomb.length < UPLOAD_LIMIT);
    await refused('zip bomb', zipBomb, 413, /more than \d+ bytes/);
  });

  test('corrupt archives, unknown bodies, empty and oversized bodies', async () => {
    await refused('corrupt gzip', gzipSync(await tarOf({ 'a.yaml': DEPLOY })).subarray(0, 40), 400, /gzip/);
    await refused('not a zip', Buffer.from('PK\x03\x04garbage garbage garbage'), 400, /zip/);
    await refused('png', Buffer.from('\x89PNG\r\n\x1a\n0000000000', 'latin1'), 415, /JSON report or a tar/);
    await refused('empty', Buffer.alloc(0), 400, /empty|no body/);
    await refused('too large', randomBytes(UPLOAD_LIMIT + 1), 413, /larger than|too large/i);
  });
});

/** A report with known findings, as `vigil posture scan --format json` writes it. */
const finding = (over: Record<string, unknown>) => ({
  ruleId: 'VGL-K8S-001',
  severity: 'critical',
  title: 'Privileged container',
  status: 'fail',
  message: 'container web is privileged',
  resource: { kind: 'k8s:Deployment', id: 'Deployment/prod/web', name: 'web', provider: 'kubernetes', account: null, region: null, namespace: 'prod' },
  location: { file: 'k8s/web.yaml', line: 12 },
  frameworks: [] as { framework: string; control: string }[],
  remediation: 'Set privileged: false',
  fix: null,
  suppression: null,
  ...over,
});
const K8S_002 = [
  { framework: 'pss-restricted', control: 'runAsNonRoot' },
  { framework: 'cis-kubernetes-1.10', control: '5.2.6' },
];
const REPORT = {
  target: 'infra',
  files: 5,
  resources: 4,
  summary: { ignored: 'recomputed by the server' },
  findings: [
    finding({ frameworks: [{ framework: 'pss-baseline', control: 'privileged' }, { framework: 'cis-kubernetes-1.10', control: '5.2.2' }, { framework: 'nist-800-53-r5', control: 'AC-6' }] }),
    finding({ ruleId: 'VGL-K8S-002', severity: 'HIGH', title: 'Runs as root', location: { file: 'k8s/web.yaml', line: 20 }, frameworks: K8S_002 }),
    finding({
      ruleId: 'VGL-K8S-002',
      severity: 'high',
      title: 'Runs as root',
      status: 'suppressed',
      resource: { kind: 'k8s:Deployment', id: 'Deployment/prod/api', name: 'api', provider: 'kubernetes', namespace: 'prod' },
      location: { file: 'k8s/api.yaml', line: 18 },
      frameworks: K8S_002,
      suppression: { reason: 'accepted', source: '.vigil-posture.yaml#0', expires: null },
    }),
    finding({
      ruleId: 'VGL-AWS-001',
      severity: 'medium',
      title: 'Bucket without encryption',
      resource: { kind: 'tf:aws_s3_bucket', id: 'aws_s3_bucket.logs', name: 'logs', provider: 'aws', account: '123456789012', region: 'eu-west-1', namespace: null },
      location: { file: 'infra/s3.tf', line: 3 },
      frameworks: [{ framework: 'cis-aws-3.0', control: '2.1.1' }, { framework: 'pci-dss-4.0', control: '3.5.1' }],
      fix: 'resource "aws_s3_bucket_server_side_encryption_configuration" "x" {}',
    }),
    finding({
      ruleId: 'VGL-AWS-002',
      severity: 'low',
      title: 'Bucket versioning',
      status: 'not-assessed',
      resource: { kind: 'tf:aws_s3_bucket', id: 'aws_s3_bucket.logs', name: 'logs', provider: 'aws', account: '123456789012', region: 'eu-west-1', namespace: null },
      location: { file: 'infra/s3.tf', line: 1 },
    }),
    finding({
      ruleId: 'VGL-DOCKER-001',
      severity: 'info',
      title: 'No HEALTHCHECK',
      resource: { kind: 'docker:stage', id: 'Dockerfile#0', name: 'build', provider: 'docker' },
      location: { file: 'Dockerfile', line: 1 },
      frameworks: [{ framework: 'cis-docker-1.6', control: '4.6' }],
    }),
  ],
  errors: [{ path: 'broken.yaml', line: 3, reason: 'YAML error' }],
};
/** Finding numbers (1-based, as in REPORT) by their location, for readable assertions. */
const NUM: Record<string, number> = { 'k8s/web.yaml:12': 1, 'k8s/web.yaml:20': 2, 'k8s/api.yaml:18': 3, 'infra/s3.tf:3': 4, 'infra/s3.tf:1': 5, 'Dockerfile:1': 6 };
const nums = (items: { location: { file: string; line: number } }[]) => items.map((f) => NUM[`${f.location.file}:${f.location.line}`]!);

describe('a hand-built report: exact filters, sorting, paging, summary', () => {
  let projectId: string;
  let firstScan: string;

  before(async () => {
    const res = await post('project=hand&kind=service&rulesVersion=vigil%20test', JSON.stringify(REPORT), { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 201, res.body);
    const scan = res.json();
    projectId = scan.projectId;
    firstScan = scan.id;
    assert.equal(scan.source, 'cli');
    assert.equal(scan.target, 'infra');
    assert.equal(scan.files, 5);
    assert.equal(scan.resources, 4);
    assert.equal(scan.findings, 6);
    assert.equal(scan.rulesVersion, 'vigil test');
    assert.deepEqual(scan.summary, { fail: { critical: 1, high: 1, medium: 1, low: 0, info: 1 }, failed: 4, suppressed: 1, notAssessed: 1 });
    assert.deepEqual(scan.errors, [{ path: 'broken.yaml', line: 3, reason: 'YAML error' }]);
    const project = (await get(`/api/v1/projects/${projectId}`)).json();
    assert.equal(project.kind, 'service');
  });

  const q = async (query: string) => nums(await all(`/api/v1/posture/findings?project=${projectId}${query ? `&${query}` : ''}`)).sort();

  test('framework and control filters', async () => {
    assert.deepEqual(await q('framework=pss-baseline'), [1]);
    assert.deepEqual(await q('framework=cis-kubernetes-1.10'), [1, 2, 3]);
    assert.deepEqual(await q('framework=cis-kubernetes-1.10&control=5.2.6'), [2, 3]);
    assert.deepEqual(await q('control=5.2.6'), [2, 3], 'a control of any framework');
    assert.deepEqual(await q('framework=pss-baseline,cis-aws-3.0'), [1, 4]);
    assert.deepEqual(await q('control=AC-6'), [1]);
    assert.deepEqual(await q('framework=cis-gcp-3.0'), []);
  });

  test('severity, status, resource, rule, kind and file filters', async () => {
    assert.deepEqual(await q('severity=high'), [2, 3], 'HIGH was normalised to high');
    assert.deepEqual(await q('severity=high&status=fail'), [2]);
    assert.deepEqual(await q('status=not-assessed'), [5]);
    const sup = await all<{ suppression: unknown; status: string }>(`/api/v1/posture/findings?project=${projectId}&status=suppressed`);
    assert.deepEqual(sup.map((f) => f.suppression), [{ reason: 'accepted', source: '.vigil-posture.yaml#0', expires: null }]);
    assert.deepEqual(await q('resource=LOGS'), [4, 5], 'substring of the name, case-insensitive');
    assert.deepEqual(await q('resource=prod%2F'), [1, 2, 3], 'substring of the id');
    assert.deepEqual(await q('resource=%25'), [], '% is literal');
    assert.deepEqual(await q('rule=VGL-K8S-002'), [2, 3]);
    assert.deepEqual(await q('rule=VGL-K8S-001,VGL-AWS-001'), [1, 4]);
    assert.deepEqual(await q('kind=tf:aws_s3_bucket'), [4, 5]);
    assert.deepEqual(await q('kind=k8s:Deployment,docker:stage'), [1, 2, 3, 6]);
    assert.deepEqual(await q('file=k8s'), [1, 2, 3], 'a folder');
    assert.deepEqual(await q('file=k8s/'), [1, 2, 3]);
    assert.deepEqual(await q('file=k8s/web.yaml'), [1, 2]);
    assert.deepEqual(await q('file=infra/s3.tf&severity=low,medium'), [4, 5]);
    const one = (await get(`/api/v1/posture/findings?project=${projectId}&rule=VGL-AWS-001`)).json().items[0];
    assert.deepEqual(one.resource, { kind: 'tf:aws_s3_bucket', id: 'aws_s3_bucket.logs', name: 'logs', provider: 'aws', account: '123456789012', region: 'eu-west-1', namespace: null });
    assert.deepEqual(one.frameworks, REPORT.findings[3]!.frameworks);
    assert.equal(one.fix, REPORT.findings[3]!.fix);
    assert.equal(one.projectName, 'hand');
  });

  test('bad filter values are 400 naming the parameter', async () => {
    for (const [query, pointer] of [
      ['severity=urgent', '/querystring/severity'],
      ['status=open', '/querystring/status'],
      ['scan=not-a-uuid', '/querystring/scan'],
      ['sort=risk', '/querystring/sort'],
      ['framework=a:b', '/querystring/framework'],
    ]) {
      const res = await get(`/api/v1/posture/findings?${query}`);
      assert.equal(res.statusCode, 400, query);
      assert.ok(res.json().errors.some((e: { pointer: string }) => e.pointer.startsWith(pointer!)), `${query}: ${res.body}`);
    }
  });

  test('sorting and cursor paging', async () => {
    const sorted = async (sort: string) => nums((await get(`/api/v1/posture/findings?project=${projectId}&sort=${sort}&limit=50`)).json().items);
    assert.deepEqual(await sorted('file'), [6, 5, 4, 3, 1, 2]);
    assert.deepEqual(await sorted('-file'), [2, 1, 3, 4, 5, 6]);
    assert.deepEqual((await sorted('-severity')).slice(0, 1), [1]);
    assert.deepEqual((await sorted('severity')).slice(0, 1), [6]);
    const rules = (await get(`/api/v1/posture/findings?project=${projectId}&sort=rule`)).json().items.map((f: { ruleId: string }) => f.ruleId);
    assert.deepEqual(rules, ['VGL-AWS-001', 'VGL-AWS-002', 'VGL-DOCKER-001', 'VGL-K8S-001', 'VGL-K8S-002', 'VGL-K8S-002']);
    // Resource order follows the database's collation (mixed case here): grouped, every finding once.
    const resources = (await get(`/api/v1/posture/findings?project=${projectId}&sort=resource`)).json().items.map((f: { resource: { id: string } }) => f.resource.id);
    assert.equal(resources.length, 6);
    assert.equal(new Set(resources).size, 4);
    assert.ok(resources.every((r: string, i: number) => i === 0 || r === resources[i - 1] || !resources.slice(0, i).includes(r)), 'same resources together');
    for (const sort of ['-severity', 'severity', 'file', 'rule', '-resource']) {
      const seen: string[] = [];
      const ranks: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await get(`/api/v1/posture/findings?project=${projectId}&sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.statusCode, 200, res.body);
        const page = res.json();
        seen.push(...page.items.map((f: { id: string }) => f.id));
        ranks.push(...page.items.map((f: { severity: string }) => ['info', 'low', 'medium', 'high', 'critical'].indexOf(f.severity)));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      assert.equal(pages, 3, sort);
      assert.equal(new Set(seen).size, 6, `${sort}: every finding once`);
      if (sort === '-severity') assert.deepEqual(ranks, [...ranks].sort((a, b) => b - a));
    }
    const bad = await get(`/api/v1/posture/findings?cursor=bm9wZQ`);
    assert.equal(bad.statusCode, 400);
  });

  test('summary: per status, severity (failed) and framework', async () => {
    const s = (await get(`/api/v1/posture/summary?project=${projectId}`)).json();
    assert.deepEqual(s, {
      scans: 1,
      projects: 1,
      total: 6,
      byStatus: { fail: 4, suppressed: 1, 'not-assessed': 1 },
      bySeverity: { critical: 1, high: 1, medium: 1, low: 0, info: 1 },
      byFramework: {
        'cis-aws-3.0': { failed: 1, controls: 1 },
        'cis-docker-1.6': { failed: 1, controls: 1 },
        'cis-kubernetes-1.10': { failed: 2, controls: 2 },
        'nist-800-53-r5': { failed: 1, controls: 1 },
        'pci-dss-4.0': { failed: 1, controls: 1 },
        'pss-baseline': { failed: 1, controls: 1 },
        'pss-restricted': { failed: 1, controls: 1 },
      },
    });
    const k8s = (await get(`/api/v1/posture/summary?project=${projectId}&framework=cis-kubernetes-1.10`)).json();
    assert.equal(k8s.total, 3);
    assert.deepEqual(k8s.byStatus, { fail: 2, suppressed: 1, 'not-assessed': 0 });
  });

  test("lists read each project's latest scan unless a scan is named", async () => {
    const second = await post('project=hand', JSON.stringify({ findings: [REPORT.findings[5]], errors: [] }), { 'content-type': 'application/json' });
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(second.json().projectCreated, false);
    assert.equal(second.json().files, 1, 'counts default to what the findings name');
    assert.equal(second.json().resources, 1);
    assert.equal(second.json().target, 'report');
    assert.deepEqual(await q(''), [6]);
    assert.deepEqual(await q(`scan=${firstScan}`), [1, 2, 3, 4, 5, 6]);
    assert.equal((await get(`/api/v1/posture/summary?project=${projectId}`)).json().total, 1);
    assert.equal((await get(`/api/v1/posture/summary?scan=${firstScan}`)).json().total, 6);
    const scans = (await get(`/api/v1/posture/scans?project=${projectId}`)).json().items;
    assert.deepEqual(scans.map((s: { id: string }) => s.id), [second.json().id, firstScan], 'newest first');
    const latest = (await get(`/api/v1/posture/scans?latest=true&project=${projectId}`)).json().items;
    assert.deepEqual(latest.map((s: { id: string }) => s.id), [second.json().id]);
  });
});

describe('bad reports are 400 problem+json naming the field', () => {
  const bad = async (body: string, pointer: string, type = 'urn:vigil:problem:validation') => {
    const res = await post('project=bad', body, { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 400, `${body.slice(0, 80)}: ${res.body}`);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.json().type, type);
    assert.ok(res.json().errors.some((e: { pointer: string }) => e.pointer === pointer), `${pointer} in ${res.body}`);
  };
  const one = (over: Record<string, unknown>) => JSON.stringify({ findings: [finding(over)] });

  test('fields', async () => {
    await bad('{"findings": [', '/body', 'urn:vigil:problem:malformed-json');
    await bad('{}', '/body/findings');
    await bad(one({ severity: 'urgent' }), '/body/findings/0/severity');
    await bad(one({ status: 'open' }), '/body/findings/0/status');
    await bad(one({ ruleId: '' }), '/body/findings/0/ruleId');
    await bad(one({ resource: { kind: 'k8s:Pod', id: 'Pod/x', name: 'x', provider: 'ibm' } }), '/body/findings/0/resource/provider');
    await bad(one({ location: { file: 'a.yaml', line: -1 } }), '/body/findings/0/location/line');
    await bad(one({ location: { file: 'a.yaml' } }), '/body/findings/0/location/line');
    await bad(one({ frameworks: [{ framework: 'a:b', control: '1' }] }), '/body/findings/0/frameworks/0/framework');
    await bad(JSON.stringify({ findings: [], errors: [{ path: 'x' }] }), '/body/errors/0/reason');
    await bad(JSON.stringify({ findings: [finding({}), finding({ title: 'x'.repeat(2000) })] }), '/body/findings/1/title');
    const count = await get('/api/v1/posture/scans?limit=500');
    assert.ok(!count.json().items.some((s: { projectName: string }) => s.projectName === 'bad'), 'nothing stored');
  });

  test('the contract minimum is enough, and unusual text is stored safely', async () => {
    const minimal = {
      findings: [
        {
          ruleId: 'VGL-K8S-001',
          severity: 'high',
          title: 'nul \u0000 and lone \ud800 surrogate',
          status: 'fail',
          resource: { kind: 'k8s:Pod', id: 'Pod/default/x\tweird\\name', name: 'x', provider: 'kubernetes', account: null, region: null, namespace: 'default' },
          location: { file: 'a b/c.yaml', line: 1 },
          frameworks: [{ framework: 'pss-baseline', control: 'a "quoted", {braced} \\ control' }],
          remediation: 'line1\nline2',
        },
      ],
      errors: [],
    };
    const res = await post('project=minimal', JSON.stringify(minimal), { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 201, res.body);
    const f = (await get(`/api/v1/posture/findings?scan=${res.json().id}`)).json().items[0];
    assert.equal(f.title, 'nul \uFFFD and lone \uFFFD surrogate');
    assert.equal(f.message, f.title, 'message defaults to the title');
    assert.equal(f.resource.id, 'Pod/default/x\tweird\\name');
    assert.equal(f.remediation, 'line1\nline2');
    assert.deepEqual(f.frameworks, minimal.findings[0]!.frameworks);
    const c = await get(`/api/v1/posture/findings?scan=${res.json().id}&framework=pss-baseline&control=${encodeURIComponent('a "quoted", {braced} \\ control')}`);
    assert.equal(c.json().items.length, 1);
  });

  test('a gzipped report is read like a plain one', async () => {
    const res = await post('project=gz', gzipSync(JSON.stringify(REPORT)), { 'content-type': 'application/gzip' });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().findings, 6);
  });
});

describe('rule catalogue and frameworks', () => {
  test('GET /posture/rules lists the built-in rules with framework mappings; filters and detail', async () => {
    const items = await all<{ id: string; frameworks: { framework: string; name: string; control: string }[]; severity: string; platform: string }>('/api/v1/posture/rules');
    assert.equal(items.length, BUILTIN_RULES.length);
    assert.deepEqual(items.map((r) => r.id), BUILTIN_RULES.map((r) => r.id).sort());
    // Small pages (not 1: with hundreds of rules that would outrun the 600 requests a minute limit).
    const paged = await all<{ id: string }>('/api/v1/posture/rules', token, 7);
    assert.equal(paged.length, BUILTIN_RULES.length);
    const mapped = BUILTIN_RULES.find((r) => r.frameworks.length > 0);
    if (mapped) {
      const fw = mapped.frameworks[0]!.framework;
      const byFw = (await get(`/api/v1/posture/rules?framework=${fw}`)).json().items;
      assert.equal(byFw.length, BUILTIN_RULES.filter((r) => r.frameworks.some((c) => c.framework === fw)).length);
      assert.ok(byFw.every((r: { frameworks: { framework: string }[] }) => r.frameworks.some((c) => c.framework === fw)));
      const detail = (await get(`/api/v1/posture/rules/${mapped.id}`)).json();
      assert.equal(detail.id, mapped.id);
      assert.equal(detail.remediation, mapped.remediation);
      assert.equal(detail.examples.bad.length, mapped.examples.bad.length);
      assert.ok(detail.frameworks.every((c: { name: string }) => c.name.length > 0));
      const plat = (await get(`/api/v1/posture/rules?platform=${mapped.platform}&severity=${mapped.severity}`)).json().items;
      assert.ok(plat.some((r: { id: string }) => r.id === mapped.id));
    }
    assert.equal((await get('/api/v1/posture/rules/VGL-NOPE-999')).statusCode, 404);
    assert.equal((await get('/api/v1/posture/rules?framework=nope')).statusCode, 400);
  });

  test('GET /posture/frameworks', async () => {
    const fws = (await get('/api/v1/posture/frameworks')).json().items;
    const pss = fws.find((f: { id: string }) => f.id === 'pss-baseline');
    assert.equal(pss.name, 'Kubernetes Pod Security Standards: Baseline');
    assert.equal(pss.rules, BUILTIN_RULES.filter((r) => r.frameworks.some((c) => c.framework === 'pss-baseline')).length);
    assert.equal(fws.length, FRAMEWORK_IDS.length);
    const expected = coverage(BUILTIN_RULES);
    for (const f of fws as { id: string; requirements: number; assessed: number; coverage: number }[]) {
      const c = expected.find((e) => e.framework === f.id)!;
      assert.deepEqual([f.requirements, f.assessed, f.coverage], [c.requirements, c.assessed, c.coverage], f.id);
      assert.ok(f.coverage >= 0 && f.coverage <= 100 && Math.round(f.coverage * 10) === f.coverage * 10, `${f.id}: 0–100, one decimal`);
    }
    const aws = fws.find((f: { id: string }) => f.id === 'cis-aws-3.0');
    assert.equal(aws.requirements, 62);
    assert.ok(aws.assessed > 0);
  });

  test('GET /posture/frameworks/{id}/coverage', async () => {
    const res = await get('/api/v1/posture/frameworks/cis-aws-3.0/coverage');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    const c = frameworkCoverage(BUILTIN_RULES, 'cis-aws-3.0');
    assert.equal(body.id, 'cis-aws-3.0');
    assert.equal(body.name, 'CIS Amazon Web Services Foundations Benchmark v3.0');
    assert.deepEqual([body.requirements, body.assessed, body.coverage, body.rules], [62, c.assessed, c.coverage, c.rules]);
    assert.deepEqual(body.assessedRequirements.map((r: { id: string }) => r.id), c.assessedIds);
    assert.deepEqual(body.unassessedRequirements.map((r: { id: string }) => r.id), c.unassessedIds);
    assert.equal(body.assessedRequirements.length + body.unassessedRequirements.length, 62);
    const first = body.assessedRequirements[0];
    assert.deepEqual(first.rules, c.rulesByRequirement[first.id]);
    assert.ok(first.rules.every((id: string) => BUILTIN_RULES.find((r) => r.id === id)?.frameworks.some((f) => f.framework === 'cis-aws-3.0')));
    assert.equal(body.platforms.aws.assessed, c.platforms.aws.assessed);
    assert.equal(body.collectedRules, c.collectedRules);
    assert.match(body.edition, /v3\.0/);
    const gdpr = (await get('/api/v1/posture/frameworks/gdpr/coverage')).json();
    assert.ok(gdpr.unassessedRequirements.concat(gdpr.assessedRequirements).some((r: { id: string; title: string | null }) => r.id === 'Art.32' && r.title !== null));
    assert.equal((await get('/api/v1/posture/frameworks/nope/coverage')).statusCode, 404);
    assert.equal((await get('/api/v1/posture/frameworks/__proto__/coverage')).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/api/v1/posture/frameworks/gdpr/coverage' })).statusCode, 401);
  });
});

describe('access', () => {
  test('permissions: ingest may upload only, viewers may read only', async () => {
    const viewer = await login(t.app, await addUser(t.ctx, admin.tenantId, 'viewer'));
    assert.equal((await post('project=v', JSON.stringify(REPORT), { 'content-type': 'application/json' }, `Bearer ${viewer}`)).statusCode, 403);
    assert.equal((await get('/api/v1/posture/findings', viewer)).statusCode, 200);
    assert.equal((await get('/api/v1/posture/findings', ingestKey)).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/posture/scans' })).statusCode, 401);
  });

  test('the upload is audited with what was stored', async () => {
    const res = await post('project=audited', JSON.stringify(REPORT), { 'content-type': 'application/json' });
    assert.equal(res.statusCode, 201);
    const audit = (await get('/api/v1/audit?action=posture.scans')).json().items;
    const rec = audit.find((r: { targetId: string }) => r.targetId === res.json().id);
    assert.ok(rec, JSON.stringify(audit).slice(0, 500));
    assert.equal(rec.outcome, 'success');
    assert.equal(rec.details.findings, 6);
    assert.equal(rec.details.failed, 4);
    assert.equal(rec.details.project, 'audited');
    const refused = await post('project=audited', '{}', { 'content-type': 'application/json' });
    assert.equal(refused.statusCode, 400);
    const after = (await get('/api/v1/audit?action=posture.scans')).json().items;
    assert.ok(after.some((r: { outcome: string; details: { status: number } }) => r.outcome === 'failure' && r.details.status === 400));
  });

  test("another tenant sees none of this tenant's scans or findings", async () => {
    const other = await seedTenant(t.ctx, 'admin');
    const tok = await login(t.app, other);
    const mine = (await get('/api/v1/posture/scans?limit=1')).json().items[0];
    assert.equal((await get(`/api/v1/posture/scans/${mine.id}`, tok)).statusCode, 404);
    assert.deepEqual((await get(`/api/v1/posture/findings?scan=${mine.id}`, tok)).json().items, []);
    assert.equal((await get(`/api/v1/posture/summary?scan=${mine.id}`, tok)).json().scans, 0);
    assert.deepEqual((await get('/api/v1/posture/scans', tok)).json().items, []);
    assert.deepEqual((await get('/api/v1/posture/findings', tok)).json().items, []);
  });
});

test('vigil posture scan --upload sends the JSON report with an ingest key', async () => {
  const src = join(dir, 'cli-src');
  for (const [p, text] of Object.entries({ ...FILES, ...IGNORED })) {
    await mkdir(dirname(join(src, p)), { recursive: true });
    await writeFile(join(src, p), text);
  }
  const saved = { url: process.env['VIGIL_URL'], key: process.env['VIGIL_API_KEY'] };
  try {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    process.env['VIGIL_URL'] = address;
    process.env['VIGIL_API_KEY'] = ingestKey;
    const out = join(dir, 'report.json');
    const r = await runCaptured(['posture', 'scan', src, '--format', 'json', '--output', out, '--allow-partial', '--upload', '--project', 'from-ci']);
    assert.equal(r.code, 0, r.err);
    const m = /uploaded the scan to project from-ci \(scan ([0-9a-f-]{36})\)/.exec(r.err);
    assert.ok(m, r.err);
    const report = JSON.parse(await readFile(out, 'utf8')) as { files: number; resources: number; findings: PostureFinding[]; errors: unknown[] };
    const scan = (await get(`/api/v1/posture/scans/${m[1]}`)).json();
    assert.equal(scan.source, 'cli');
    assert.equal(scan.files, report.files);
    assert.equal(scan.resources, report.resources);
    assert.equal(scan.findings, report.findings.length);
    assert.equal(scan.errorCount, report.errors.length);
    assert.match(scan.rulesVersion, /^vigil .+; \d+ rules; [0-9a-f]{12}$/);
    const stored = await all<PostureFinding>(`/api/v1/posture/findings?scan=${scan.id}`);
    assert.deepEqual(stored.map(key).sort(), report.findings.map(key).sort());
    // The same files uploaded as an archive give the same findings.
    const want = await expected();
    assert.deepEqual(report.findings.map(key).sort(), want.findings.map(key).sort());

    assert.equal((await runCaptured(['posture', 'scan', src, '--upload', '--quiet', '--allow-partial'])).code, 2, '--upload needs --project');
    process.env['VIGIL_API_KEY'] = 'vgl_wrong';
    const denied = await runCaptured(['posture', 'scan', src, '--upload', '--project', 'x', '--quiet', '--allow-partial', '--output', out]);
    assert.equal(denied.code, 2);
    assert.match(denied.err, /upload refused \(401\)/);
  } finally {
    for (const [k, v] of [['VIGIL_URL', saved.url], ['VIGIL_API_KEY', saved.key]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});
