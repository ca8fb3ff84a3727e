/**
 * The live collector against a local fake API server (__fixtures__/fake-api.ts): the real
 * client-node kubeconfig and auth code, real HTTP, pagination with `continue`, 429 with
 * Retry-After then success, throttling that outlasts the retries, 403 on one kind, 410 on a
 * stale continue token, failing discovery, bad credentials, an unreachable server, and a
 * check that every request made is one the documented ClusterRole allows.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { collectKubernetes } from './index.js';
import { clusterRoleRules, NON_RESOURCE_URLS } from './kinds.js';
import { startFakeApi, type FakeApi, type FakeApiOptions } from './__fixtures__/fake-api.js';

const TOKEN = 'test-token-0123456789';
const noSleep = (): Promise<void> => Promise.resolve();

const pod = (name: string, ns = 'shop', extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels: { app: name } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
  ...extra,
});

const OBJECTS: Record<string, unknown>[] = [
  ...Array.from({ length: 7 }, (_, i) => pod(`p${i}`)),
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'NodePort', selector: { app: 'p0' }, ports: [{ port: 80 }] } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'admin-ish' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'shop' }, data: { password: 'c2VjcmV0' } },
  {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'n1', labels: { 'eks.amazonaws.com/nodegroup': 'ng-1' } },
    spec: { providerID: 'aws:///eu-west-1a/i-0123' },
  },
];

const servers: FakeApi[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function fake(options: Partial<FakeApiOptions> = {}): Promise<FakeApi> {
  const s = await startFakeApi({ token: TOKEN, objects: OBJECTS, ...options });
  servers.push(s);
  return s;
}

/** Every path the collector may request: discovery, /version and lists of the ClusterRole's resources. */
function allowed(path: string): boolean {
  const p = path.split('?')[0]!;
  if (NON_RESOURCE_URLS.some((u) => (u.endsWith('/*') ? p.startsWith(u.slice(0, -1)) && p.split('/').length <= (u.startsWith('/api/') ? 3 : 4) : p === u))) return true;
  for (const rule of clusterRoleRules({ secrets: 'metadata' })) {
    for (const group of rule.apiGroups ?? []) {
      for (const res of rule.resources ?? []) {
        const re = group === '' ? new RegExp(`^/api/v1/${res}$`) : new RegExp(`^/apis/${group.replaceAll('.', '\\.')}/[a-z0-9]+/${res}$`);
        if (re.test(p)) return true;
      }
    }
  }
  return false;
}

describe('live collection through the fake API server', () => {
  test('everything listed, paginated with continue, facts recorded, only allowed calls made', async () => {
    const s = await fake({ maxPage: 3 });
    const [r] = await Promise.all([collectKubernetes({ kubeconfig: s.kubeconfig(), sleep: noSleep, pageSize: 500 })]);
    assert.deepEqual(r.gaps, []);
    assert.deepEqual(r.target, { provider: 'kubernetes', id: 'fake', name: 'fake', version: 'v1.31.2', platform: 'eks', nodeCount: 1 });
    const pods = r.resources.filter((x) => x.kind === 'k8s:Pod');
    assert.equal(pods.length, 7);
    const podCalls = s.requests.filter((q) => q.path.startsWith('/api/v1/pods?'));
    assert.equal(podCalls.length, 3, 'three pages of at most 3');
    assert.equal(podCalls.filter((q) => q.path.includes('continue=')).length, 2);
    assert.ok(podCalls.every((q) => q.path.includes('limit=500')));
    const p0 = pods.find((x) => x.name === 'p0')!;
    assert.equal(p0.input, 'kubernetes-cluster');
    assert.equal(p0.id, 'Pod/shop/p0');
    assert.equal(p0.file, 'cluster/fake/shop/Pod/p0');
    assert.equal(p0.line, 0);
    assert.equal(p0.attrs['kind'], 'Pod', 'kind set on list items');
    assert.equal(p0.attrs['apiVersion'], 'v1');
    assert.deepEqual(p0.meta?.['podSpecPath'], ['spec']);
    assert.ok(r.resources.some((x) => x.id === 'ClusterRole/-/admin-ish'));
    assert.ok(!r.resources.some((x) => x.kind === 'k8s:Secret'), 'Secrets are not listed by default');
    assert.ok(!s.requests.some((q) => q.path.includes('/secrets')), 'no request for Secrets');
    assert.ok(s.requests.every((q) => q.authorized), 'the bearer token from the kubeconfig was sent');
    const stray = s.requests.filter((q) => !allowed(q.path));
    assert.deepEqual(stray, [], 'every request is covered by the documented ClusterRole');
    assert.equal(r.stats.calls, s.requests.length);
    assert.equal(r.stats.retries, 0);
  });

  test('a 429 with Retry-After is retried and then succeeds', async () => {
    const s = await fake({ faults: [{ match: '/api/v1/pods', status: 429, times: 2, retryAfter: '1' }] });
    const pauses: number[] = [];
    const r = await collectKubernetes({ kubeconfig: s.kubeconfig(), sleep: (ms) => (pauses.push(ms), Promise.resolve()) });
    assert.deepEqual(r.gaps, []);
    assert.equal(r.resources.filter((x) => x.kind === 'k8s:Pod').length, 7);
    assert.equal(r.stats.retries, 2);
    assert.deepEqual(pauses, [1000, 1000], "the server's Retry-After is honoured");
  });

  test('throttling that outlasts the retries is a throttled gap for that kind only', async () => {
    const s = await fake({ faults: [{ match: '/apis/apps/v1/deployments', status: 429, times: 100 }] });
    const r = await collectKubernetes({ kubeconfig: s.kubeconfig(), sleep: noSleep, retries: 3 });
    assert.equal(r.gaps.length, 1);
    const g = r.gaps[0]!;
    assert.equal(g.reason, 'throttled');
    assert.deepEqual(g.kinds, ['k8s:Deployment']);
    assert.equal(g.service, 'apps');
    assert.equal(g.operation, 'list deployments');
    assert.match(g.message, /^429 TooManyRequests: .*after 3 retries/);
    assert.equal(s.requests.filter((q) => q.path.startsWith('/apis/apps/v1/deployments')).length, 4);
    assert.equal(r.resources.filter((x) => x.kind === 'k8s:Pod').length, 7, 'the rest is collected');
  });

  test('a 403 on one kind is an access-denied gap naming it; the rest is collected', async () => {
    const s = await fake({ faults: [{ match: '/clusterroles', status: 403, times: 100 }] });
    const r = await collectKubernetes({ kubeconfig: s.kubeconfig(), sleep: noSleep });
    assert.equal(r.gaps.length, 1);
    assert.equal(r.gaps[0]!.reason, 'access-denied');
    assert.deepEqual(r.gaps[0]!.kinds, ['k8s:ClusterRole']);
    assert.match(r.gaps[0]!.message, /^403 Forbidden: clusterroles is forbidden/);
    assert.ok(!r.gaps[0]!.message.includes(TOKEN));
    assert.ok(r.resources.some((x) => x.kind === 'k8s:Service'));
    assert.equal(r.stats.retries, 0, 'a 403 is not retried');
  });

  test('an expired continue token restarts the list once', async () => {
    const s = await fake({ maxPage: 2, faults: [{ match: '/api/v1/pods', status: 410, times: 1, onContinue: true }] });
    const r = await collectKubernetes({ kubeconfig: s.kubeconfig(), sleep: noSleep });
    assert.deepEqual(r.gaps, []);
    assert.deepEqual(r.resources.filter((x) => x.kind === 'k8s:Pod').map((x) => x.name).sort(), ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
  });

  test('a 500 on discovery of a group is a gap for that group\'s kinds', async () => {
    const s = await fake({ faults: [{ match: '/apis/rbac.authorization.k8s.io/v1', status: 500, times: 100 }] });
    const r = await collectKubernetes({ kubeconfig: s.kubeconfig(), sleep: noSleep, retries: 1 });
    assert.deepEqual(r.gaps.map((g) => g.kinds[0]).sort(), ['k8s:ClusterRole', 'k8s:ClusterRoleBinding', 'k8s:Role', 'k8s:RoleBinding']);
    assert.ok(r.gaps.every((g) => g.reason === 'unavailable'));
    assert.ok(r.resources.some((x) => x.kind === 'k8s:Pod'));
  });

  test('Secrets opt-in: metadata only, asked for as PartialObjectMetadataList', async () => {
    const s = await fake();
    const r = await collectKubernetes({ kubeconfig: s.kubeconfig(), sleep: noSleep, secrets: 'metadata' });
    const call = s.requests.find((q) => q.path.startsWith('/api/v1/secrets'))!;
    assert.match(call.accept, /as=PartialObjectMetadataList;g=meta\.k8s\.io;v=v1/);
    const secret = r.resources.find((x) => x.kind === 'k8s:Secret')!;
    assert.equal(secret.id, 'Secret/shop/s');
    assert.equal(secret.attrs['kind'], 'Secret');
    assert.equal(secret.attrs['apiVersion'], 'v1');
    assert.equal(secret.attrs['data'], undefined);
  });

  test('CRDs: Istio kinds listed when installed, no gap when not', async () => {
    const pa = { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'PERMISSIVE' } } };
    const with_ = await fake({ objects: [...OBJECTS, pa], crds: ['istio'] });
    const r1 = await collectKubernetes({ kubeconfig: with_.kubeconfig(), sleep: noSleep });
    assert.deepEqual(r1.gaps, []);
    assert.ok(r1.resources.some((x) => x.id === 'PeerAuthentication/istio-system/default' && x.attrs['apiVersion'] === 'security.istio.io/v1'));
    const without = await fake();
    const r2 = await collectKubernetes({ kubeconfig: without.kubeconfig(), sleep: noSleep });
    assert.deepEqual(r2.gaps, []);
    assert.ok(!without.requests.some((q) => q.path.includes('istio')));
  });

  test('OpenShift is told by its API groups', async () => {
    const s = await fake({ crds: ['openshift'], objects: OBJECTS.filter((o) => o['kind'] !== 'Node'), version: { major: '1', minor: '29', gitVersion: 'v1.29.8+f10c92d' } });
    const r = await collectKubernetes({ kubeconfig: s.kubeconfig(), sleep: noSleep });
    assert.equal(r.target.platform, 'openshift');
    assert.equal(r.target.nodeCount, 0);
  });

  test('a wrong token is one bad-credentials gap for every kind, nothing else tried', async () => {
    const s = await fake();
    const r = await collectKubernetes({ kubeconfig: s.kubeconfig('wrong-token'), sleep: noSleep });
    assert.equal(r.gaps.length, 1);
    assert.equal(r.gaps[0]!.reason, 'bad-credentials');
    assert.equal(r.gaps[0]!.operation, 'GET /version');
    assert.match(r.gaps[0]!.message, /^401 Unauthorized/);
    assert.ok(r.gaps[0]!.kinds.includes('k8s:Pod') && r.gaps[0]!.kinds.includes('k8s:ClusterRoleBinding'));
    assert.ok(!r.gaps[0]!.message.includes('wrong-token'));
    assert.equal(s.requests.length, 1);
    assert.deepEqual(r.resources, []);
  });

  test('an unreachable API server is one unavailable gap, no crash', async () => {
    const s = await fake();
    const kubeconfig = s.kubeconfig();
    await s.close();
    servers.splice(servers.indexOf(s), 1);
    let pauses = 0;
    const r = await collectKubernetes({ kubeconfig, sleep: () => (pauses++, Promise.resolve()), retries: 2 });
    assert.equal(r.gaps.length, 1);
    assert.equal(r.gaps[0]!.reason, 'unavailable');
    assert.match(r.gaps[0]!.message, /ECONNREFUSED/);
    assert.equal(pauses, 2, 'a refused connection is retried before giving up');
    assert.deepEqual(r.resources, []);
  });

  test('kubeconfig problems are gaps with the reason, not exceptions', async () => {
    const r1 = await collectKubernetes({ kubeconfig: '/nonexistent/kubeconfig', sleep: noSleep });
    assert.equal(r1.gaps.length, 1);
    assert.equal(r1.gaps[0]!.operation, 'load kubeconfig');
    assert.match(r1.gaps[0]!.message, /kubeconfig could not be read/);
    const s = await fake();
    const r2 = await collectKubernetes({ kubeconfig: s.kubeconfig(), context: 'prod', sleep: noSleep });
    assert.match(r2.gaps[0]!.message, /no context "prod" \(contexts: fake\)/);
    assert.equal(r2.target.id, 'prod');
  });

  test('the context chooses the cluster name; an explicit name wins', async () => {
    const s = await fake();
    const r = await collectKubernetes({ kubeconfig: s.kubeconfig(TOKEN, 'staging'), context: 'staging', name: 'eu-staging', sleep: noSleep });
    assert.equal(r.target.id, 'eu-staging');
    assert.ok(r.resources.every((x) => x.file.startsWith('cluster/eu-staging/')));
  });
});
