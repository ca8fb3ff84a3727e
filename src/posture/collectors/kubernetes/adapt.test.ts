/**
 * Objects → resources: cleaning, identity and location, suppressions, children of collected
 * controllers, and the Kubernetes rules running unchanged on collected resources (one finding
 * per misconfiguration, on the controller, as for manifests). Real cluster objects from the
 * Kubescape regolibrary test inputs (../shared/data/k8s) give the same findings as when those
 * files are scanned as manifests.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { analyse } from '../../analyse.js';
import { evaluate } from '../../engine.js';
import type { Resource } from '../../model.js';
import { BUILTIN_RULES } from '../../rules/registry.js';
import { clean, isResource, LAST_APPLIED, splitChildren, toResource } from './adapt.js';

const res = (o: unknown, cluster = 'c1'): Resource => {
  const r = toResource(o, cluster);
  assert.ok(isResource(r), JSON.stringify(r));
  return r;
};

const template = (privileged: boolean): Record<string, unknown> => ({
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged } }] },
});

describe('cleaning', () => {
  test('managedFields, last-applied and Secret data go; the input is not modified', () => {
    const input = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', annotations: { [LAST_APPLIED]: '{"data":{"password":"c2VjcmV0"}}', keep: 'me' }, managedFields: [{ manager: 'kubectl' }] },
      data: { password: 'c2VjcmV0' },
      stringData: { token: 'abc' },
      type: 'Opaque',
    };
    const copy = structuredClone(input);
    const out = clean(input);
    assert.deepEqual(out, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', annotations: { keep: 'me' } }, type: 'Opaque' });
    assert.deepEqual(input, copy);
    // A ConfigMap keeps its data (netpol reads Service names in it); a CRD named Secret in another group is not a Secret.
    assert.deepEqual(clean({ apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: { a: 'b' } })['data'], { a: 'b' });
    assert.deepEqual(clean({ apiVersion: 'example.com/v1', kind: 'Secret', metadata: {}, data: { a: 'b' } })['data'], { a: 'b' });
  });
});

describe('resources', () => {
  test('identity, location and meta follow the manifest input', () => {
    const r = res({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop', uid: 'u1' }, spec: { template: template(false) } });
    assert.equal(r.kind, 'k8s:Deployment');
    assert.equal(r.type, 'Deployment');
    assert.equal(r.input, 'kubernetes-cluster');
    assert.equal(r.provider, 'kubernetes');
    assert.equal(r.id, 'Deployment/shop/web');
    assert.equal(r.name, 'web');
    assert.equal(r.namespace, 'shop');
    assert.equal(r.file, 'cluster/c1/shop/Deployment/web');
    assert.equal(r.line, 0);
    assert.equal(r.lineOf(['spec']), undefined);
    assert.deepEqual(r.meta, { apiVersion: 'apps/v1', podSpecPath: ['spec', 'template', 'spec'], uid: 'u1' });
    const cr = res({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'x' } });
    assert.equal(cr.id, 'ClusterRole/-/x');
    assert.equal(cr.file, 'cluster/c1/-/ClusterRole/x');
  });

  test('the vigil.dev/ignore annotation suppresses, at line 0', () => {
    const r = res({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { 'vigil.dev/ignore': 'VGL-K8S-001 host network needed; VGL-K8S-020' } }, spec: { containers: [] } });
    assert.deepEqual(r.suppressions, [
      { ruleId: 'VGL-K8S-001', reason: 'host network needed', line: 0 },
      { ruleId: 'VGL-K8S-020', reason: '', line: 0 },
    ]);
  });

  test('broken and hostile objects are problems, never exceptions', () => {
    for (const bad of [null, 42, 'Pod', [], {}, { kind: 'Pod' }, { apiVersion: 'v1', kind: '' }, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 7 } }, { apiVersion: 'v1', kind: 'Pod', metadata: 'x' }]) {
      const r = toResource(bad, 'c');
      assert.ok(!isResource(r), JSON.stringify(bad));
      assert.ok(r.message.length > 0);
    }
    const proto = res(JSON.parse('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","__proto__":{"polluted":true}}}'));
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal(proto.name, 'p');
  });
});

describe('children of collected controllers', () => {
  const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'a', uid: 'd1' }, spec: { template: template(true) } };
  const rs = (name: string, uid: string): Record<string, unknown> => ({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'a', uid, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'd1', controller: true }] },
    spec: { template: template(true) },
  });
  const podOf = (name: string, owner: Record<string, unknown> | undefined, spec = template(true)): Record<string, unknown> => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: owner?.['kind'] === 'Node' ? 'kube-system' : 'a', ...(owner ? { ownerReferences: [owner] } : {}) },
    spec: spec['spec'],
  });
  const objects = [
    dep,
    rs('web-1', 'r1'),
    rs('web-0', 'r0'),
    podOf('web-1-x', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'r1', controller: true }),
    podOf('web-1-y', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'r1', controller: true }),
    podOf('orphan-x', { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'gone', uid: 'r9', controller: true }),
    podOf('kube-apiserver-node1', { apiVersion: 'v1', kind: 'Node', name: 'node1', uid: 'n1', controller: true }),
    podOf('bare', undefined),
    { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j-1', namespace: 'a', ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'j' }] }, spec: { template: template(false) } },
    { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'j', namespace: 'a' }, spec: { jobTemplate: { spec: { template: template(false) } } } },
  ];

  test('kept: controllers, pods whose owner was not collected, static pods, bare pods', () => {
    const { kept, children } = splitChildren(objects.map((o) => res(o)));
    assert.deepEqual(kept.map((r) => r.id), ['Deployment/a/web', 'Pod/a/orphan-x', 'Pod/kube-system/kube-apiserver-node1', 'Pod/a/bare', 'CronJob/a/j']);
    assert.deepEqual(children.map((r) => r.id), ['ReplicaSet/a/web-1', 'ReplicaSet/a/web-0', 'Pod/a/web-1-x', 'Pod/a/web-1-y', 'Job/a/j-1']);
  });

  test('the rules run unchanged and report a privileged Deployment once, on the Deployment', () => {
    const { kept } = splitChildren(objects.map((o) => res(o)));
    const findings = evaluate(kept, BUILTIN_RULES).filter((f) => f.ruleId === 'VGL-K8S-003' || f.title.toLowerCase().includes('privileged'));
    const privileged = findings.filter((f) => f.message.includes('privileged'));
    assert.ok(privileged.length > 0, 'the privileged rule fires');
    const onWeb = privileged.filter((f) => f.resource.name.startsWith('web'));
    assert.deepEqual([...new Set(onWeb.map((f) => f.resource.id))], ['Deployment/a/web']);
    const f = onWeb[0]!;
    assert.deepEqual(f.location, { file: 'cluster/c1/a/Deployment/web', line: 0 });
    assert.equal(f.status, 'fail');
  });

  test('keeping the children would report the same spec on every copy', () => {
    const all = objects.map((o) => res(o));
    const ids = new Set(evaluate(all, BUILTIN_RULES).filter((f) => f.message.includes('privileged')).map((f) => f.resource.id));
    assert.ok(ids.has('ReplicaSet/a/web-0') && ids.has('Pod/a/web-1-x') && ids.has('Deployment/a/web'));
  });
});

describe('real cluster objects (Kubescape regolibrary test inputs)', () => {
  const root = sharedData('k8s', 'kubescape-regolibrary', 'rules');
  test('an API server static pod as the cluster returns it: same findings as the file, managedFields gone', { skip: root === undefined ? skipMessage('k8s/kubescape-regolibrary') : false }, async () => {
    const cases = ['k8s-audit-logs-enabled-native-cis/test/test-failed/input/apiserverpod.json', 'etcd-encryption-native/test/test-failed/input/apiserverpod.json', 'psp-enabled-native/test/test-passed/input/apiserverpod.json'];
    for (const rel of cases) {
      const text = readFileSync(`${root!}/${rel}`, 'utf8');
      const raw = JSON.parse(text) as Record<string, unknown>;
      assert.ok(Array.isArray((raw['metadata'] as Record<string, unknown>)['managedFields']), `${rel} has managedFields`);
      const r = res(raw, 'kind-cluster');
      assert.equal((r.attrs['metadata'] as Record<string, unknown>)['managedFields'], undefined);
      const { kept } = splitChildren([r]);
      assert.equal(kept.length, 1, 'a mirror pod owned by its Node is kept');
      const asFile = await analyse([{ path: 'apiserverpod.json', text }], BUILTIN_RULES);
      assert.equal(asFile.resources.length, 1);
      const key = (f: { ruleId: string; status: string; message: string }): string => `${f.ruleId} ${f.status} ${f.message}`;
      const fromCluster = evaluate(kept, BUILTIN_RULES).map(key).sort();
      assert.deepEqual(fromCluster, asFile.findings.map(key).sort(), rel);
      assert.ok(fromCluster.length > 0, `${rel}: control plane rules report on it`);
    }
  });
});
