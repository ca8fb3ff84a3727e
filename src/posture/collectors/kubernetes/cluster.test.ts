/**
 * Live == offline, and cluster == manifests:
 * - the same objects served by the fake API server and read back from dumps (raw API lists;
 *   `kubectl get -A -o json` and `-o yaml` made by the real kubectl against the fake server,
 *   when kubectl and openssl are installed) give the same resources, children and facts;
 * - every manifest directory of ../shared/data/k8s/manifests loaded into the fake server and
 *   collected live gives the same findings as the same objects scanned as files, minus lines.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { IncomingMessage } from 'node:http';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { parseSources } from '../../analyse.js';
import { evaluate } from '../../engine.js';
import type { PostureFinding, Resource } from '../../model.js';
import { BUILTIN_RULES } from '../../rules/registry.js';
import { collectKubernetes, type ClusterCollectResult } from './index.js';
import { groupOf, KIND_SPECS } from './kinds.js';
import { mapLimit } from './limit.js';
import { BUILTIN_RESOURCES, CRD_RESOURCES, selfSignedCert, startFakeApi, type FakeApi } from './__fixtures__/fake-api.js';

const TOKEN = 'offline-test-token';
const noSleep = (): Promise<void> => Promise.resolve();
const run = promisify(execFile);

const servers: FakeApi[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true }, env: [{ name: 'API_URL', value: 'http://api.shop.svc:8080' }] }] } };
const OBJECTS: Record<string, unknown>[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { 'kubernetes.io/metadata.name': 'shop' } } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: 'dep-1',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}', 'vigil.dev/ignore': 'VGL-K8S-020 covered by a mesh policy' },
      managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update' }],
    },
    spec: { selector: { matchLabels: { app: 'web' } }, template },
  },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-5d8f', namespace: 'shop', uid: 'rs-1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-1', controller: true }] }, spec: { template } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-5d8f-abcde', namespace: 'shop', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d8f', uid: 'rs-1', controller: true }] }, spec: template.spec },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-apiserver-cp1', namespace: 'kube-system', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'cp1', uid: 'node-1', controller: true }] }, spec: { containers: [{ name: 'kube-apiserver', image: 'registry.k8s.io/kube-apiserver:v1.31.2', command: ['kube-apiserver', '--anonymous-auth=true', '--profiling=true'] }] } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'shop' }, data: { 'app.conf': 'upstream http://api.shop.svc.cluster.local:8080' } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'too-much' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'shop' }] },
  { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'istio-system' }, spec: { mtls: { mode: 'PERMISSIVE' } } },
  { apiVersion: 'v1', kind: 'Node', metadata: { name: 'cp1', uid: 'node-1', labels: { 'kubernetes.azure.com/cluster': 'MC_rg_prod' } }, spec: { providerID: 'azure:///subscriptions/x/resourceGroups/mc/providers/Microsoft.Compute/virtualMachineScaleSets/aks-pool-1-vmss/virtualMachines/0' } },
];

/** What must be equal between two collections of the same objects. */
function shape(r: ClusterCollectResult): unknown {
  const one = (x: Resource): unknown => ({ kind: x.kind, id: x.id, name: x.name, namespace: x.namespace, file: x.file, line: x.line, input: x.input, attrs: x.attrs, meta: x.meta, suppressions: x.suppressions });
  const sort = (list: readonly Resource[]): unknown[] => [...list].sort((a, b) => (a.file + String(a.meta?.['apiVersion']) < b.file + String(b.meta?.['apiVersion']) ? -1 : 1)).map(one);
  return { target: { ...r.target, id: undefined, name: undefined }, resources: sort(r.resources), children: sort(r.children), gaps: r.gaps };
}

describe('live == offline for the same objects', () => {
  test('raw API lists and kubectl dumps (JSON and YAML) give what the live collection gives', async (t) => {
    const tls = await selfSignedCert();
    const s = await startFakeApi({ token: TOKEN, objects: OBJECTS, crds: ['istio'], maxPage: 4, ...(tls ? { tls } : {}) });
    servers.push(s);
    const kubeconfig = s.kubeconfig(TOKEN, 'prod');
    const live = await collectKubernetes({ kubeconfig, sleep: noSleep });
    assert.deepEqual(live.gaps, []);
    assert.deepEqual(live.target, { provider: 'kubernetes', id: 'prod', name: 'prod', version: 'v1.31.2', platform: 'aks', nodeCount: 1 });
    assert.deepEqual(live.children.map((c) => c.id).sort(), ['Pod/shop/web-5d8f-abcde', 'ReplicaSet/shop/web-5d8f']);
    const dep = live.resources.find((r) => r.id === 'Deployment/shop/web')!;
    assert.equal((dep.attrs['metadata'] as Record<string, unknown>)['managedFields'], undefined);
    assert.deepEqual(Object.keys((dep.attrs['metadata'] as Record<string, Record<string, unknown>>)['annotations']!), ['vigil.dev/ignore']);
    assert.equal(dep.suppressions[0]?.ruleId, 'VGL-K8S-020');

    // Raw API lists, as `curl $SERVER/api/v1/pods` returns them (items without kind), one file per kind.
    const rawDir = mkdtempSync(join(tmpdir(), 'vigil-raw-'));
    const served = [...BUILTIN_RESOURCES, ...(CRD_RESOURCES['istio'] ?? [])].filter((r) => !r.plural.includes('/'));
    const request = tls ? (await import('node:https')).request : (await import('node:http')).request;
    const fetchJson = (path: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const req = request(`${s.url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` }, ...(tls ? { ca: tls.cert } : {}) }, (res: IncomingMessage) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve(body));
        });
        req.on('error', reject);
        req.end();
      });
    writeFileSync(join(rawDir, 'version.json'), await fetchJson('/version'));
    for (const spec of KIND_SPECS) {
      const r = served.find((x) => x.group === spec.group && x.plural === spec.plural && spec.versions.includes(x.version));
      if (r === undefined) continue;
      writeFileSync(join(rawDir, `${spec.plural}.${spec.group || 'core'}.json`), await fetchJson(`${r.group ? `/apis/${r.group}` : '/api'}/${r.version}/${r.plural}`));
    }
    const offline = await collectKubernetes({ snapshot: rawDir, name: 'prod' });
    assert.deepEqual(shape(offline), shape(live));
    assert.equal(offline.target.id, 'prod');

    const kubectl = await run('kubectl', ['version', '--client', '-o', 'json']).then(() => true, () => false);
    if (!kubectl || tls === undefined) {
      t.diagnostic('kubectl or openssl not installed: the kubectl-made dumps were not checked');
      return;
    }
    const kinds = KIND_SPECS.filter((k) => !k.metadataOnly).map((k) => (k.group ? `${k.plural}.${k.group}` : k.plural));
    const present = kinds.filter((k) => !k.includes('knative') && !k.includes('argoproj') && !k.includes('podsecuritypolicies'));
    const dir = mkdtempSync(join(tmpdir(), 'vigil-kubectl-'));
    const base = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, '.cache')];
    const json = await run('kubectl', [...base, 'get', present.join(','), '-A', '-o', 'json'], { maxBuffer: 64 * 1024 * 1024 });
    const yaml = await run('kubectl', [...base, 'get', present.join(','), '-A', '-o', 'yaml'], { maxBuffer: 64 * 1024 * 1024 });
    const version = await run('kubectl', [...base, 'version', '-o', 'json']);
    writeFileSync(join(dir, 'cluster.json'), json.stdout);
    writeFileSync(join(dir, 'version.json'), version.stdout);
    const fromKubectl = await collectKubernetes({ snapshot: join(dir, 'cluster.json'), name: 'prod' });
    const withVersion = await collectKubernetes({ snapshot: dir, name: 'prod' });
    assert.deepEqual(shape(withVersion), shape(live), 'kubectl get -A -o json + kubectl version -o json');
    assert.equal(fromKubectl.target.version, undefined, 'no version without the version file');
    assert.deepEqual((shape(fromKubectl) as { resources: unknown }).resources, (shape(live) as { resources: unknown }).resources);
    const ydir = mkdtempSync(join(tmpdir(), 'vigil-kubectl-yaml-'));
    writeFileSync(join(ydir, 'cluster.yaml'), yaml.stdout);
    writeFileSync(join(ydir, 'version.json'), version.stdout);
    assert.deepEqual(shape(await collectKubernetes({ snapshot: ydir, name: 'prod' })), shape(live), 'kubectl get -A -o yaml');
  });

  test('an unreadable dump is a gap for every kind; the readable files still count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-bad-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' }, spec: {} }] }));
    writeFileSync(join(dir, 'b.json'), '{"apiVersion": "v1", "kind": ');
    writeFileSync(join(dir, 'c.yaml'), Buffer.from([0xff, 0xfe, 0x00]));
    writeFileSync(join(dir, 'notes.txt'), 'ignored');
    const r = await collectKubernetes({ snapshot: dir });
    assert.equal(r.target.id, dir.split('/').pop());
    assert.deepEqual(r.resources.map((x) => x.id), ['Pod/x/p']);
    assert.deepEqual(r.gaps.map((g) => [g.service, g.reason, g.operation.replace(dir, 'DIR')]), [
      ['snapshot', 'invalid-response', 'read DIR/b.json:1'],
      ['snapshot', 'invalid-response', 'read DIR/c.yaml'],
    ]);
    assert.ok(r.gaps.every((g) => g.kinds.includes('k8s:Pod')));
    const missing = await collectKubernetes({ snapshot: join(dir, 'nope.json') });
    assert.match(missing.gaps[0]!.message, /could not be read: ENOENT/);
  });
});

/** Manifest directories → groups of files. */
function manifestGroups(root: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/i.test(name)) {
        const list = groups.get(dir) ?? [];
        list.push(full);
        groups.set(dir, list);
      }
    }
  };
  walk(root);
  return groups;
}

const SERVED = new Set([...BUILTIN_RESOURCES, ...Object.values(CRD_RESOURCES).flat()].map((r) => `${r.group ? `${r.group}/` : ''}${r.version}|${r.kind}`));
const LISTED = new Set(KIND_SPECS.map((k) => `${k.group}|${k.kind}`));
const NAMESPACED = new Map(KIND_SPECS.map((k) => [`${k.group}|${k.kind}`, k.namespaced]));

function findingKey(f: PostureFinding): string {
  const namespaced = [...NAMESPACED].some(([k, ns]) => ns && k.endsWith(`|${f.resource.kind.slice(4)}`));
  return [f.ruleId, f.status, f.resource.kind, namespaced ? (f.resource.namespace ?? 'default') : '-', f.resource.name, f.message].join(' | ');
}

describe('cluster == manifests on real data', () => {
  const root = sharedData('k8s', 'manifests');
  test('each manifest folder, served by the fake API and collected live, gives the file scan\'s findings', { skip: root === undefined ? skipMessage('k8s/manifests') : false, timeout: 300_000 }, async (t) => {
    let groups = 0;
    let compared = 0;
    let findings = 0;
    let excluded = 0;
    const disagreements: string[] = [];
    // Folders run a few at a time: the time goes in waiting for local HTTP round trips.
    await mapLimit([...manifestGroups(root!)], 6, async ([dir, files]) => {
      const parsed = await parseSources(files.map((f) => ({ path: relative(root!, f), text: readFileSync(f, 'utf8') })));
      // Objects a cluster would hold: kinds the collector lists, in versions a current server serves, named.
      const byKey = new Map<string, Resource>();
      for (const r of parsed.resources) {
        if (r.input !== 'kubernetes') continue;
        const apiVersion = typeof r.meta?.['apiVersion'] === 'string' ? r.meta['apiVersion'] : '';
        const ok = LISTED.has(`${groupOf(apiVersion)}|${r.type}`) && SERVED.has(`${apiVersion}|${r.type}`) && r.name !== '' && !r.name.endsWith('*');
        if (!ok) {
          excluded++;
          continue;
        }
        const namespaced = NAMESPACED.get(`${groupOf(apiVersion)}|${r.type}`) === true;
        byKey.set(`${groupOf(apiVersion)}|${r.type}|${namespaced ? (r.namespace ?? 'default') : '-'}|${r.name}`, r);
      }
      if (byKey.size === 0) return;
      groups++;
      const manifests = [...byKey.values()];
      const s = await startFakeApi({ token: TOKEN, objects: manifests.map((r) => r.attrs as Record<string, unknown>), crds: ['istio'] });
      const live = await collectKubernetes({ kubeconfig: s.kubeconfig(), sleep: noSleep, secrets: 'metadata' });
      await s.close();
      assert.deepEqual(live.gaps, [], dir);
      assert.deepEqual(s.refused, [], dir);
      assert.equal(live.resources.length + live.children.length, manifests.length, dir);
      compared += manifests.length;
      const expected = evaluate(manifests, BUILTIN_RULES).map(findingKey).sort();
      const actual = evaluate(live.resources, BUILTIN_RULES).map(findingKey).sort();
      findings += expected.length;
      const missing = expected.filter((k) => !actual.includes(k));
      const extra = actual.filter((k) => !expected.includes(k));
      for (const m of missing) disagreements.push(`${relative(root!, dir)}: only in files: ${m}`);
      for (const e of extra) disagreements.push(`${relative(root!, dir)}: only in cluster: ${e}`);
    });
    t.diagnostic(`${groups} folders, ${compared} objects compared (${excluded} not cluster objects or old API versions), ${findings} findings`);
    assert.ok(groups > 50 && findings > 500, `${groups} groups, ${findings} findings`);
    assert.deepEqual(disagreements, []);
  });
});
