import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isResource, toResource } from '../../posture/collectors/kubernetes/adapt.js';
import type { Resource } from '../../posture/model.js';
import { imagesOf, scannedResources, workloadResources, workloadsOf } from './postureTargetsWorkloads.js';

const obj = (kind: string, name: string, namespace: string | undefined, spec: Record<string, unknown>, owner?: { kind: string; name: string }) => {
  const apiVersion = { Deployment: 'apps/v1', ReplicaSet: 'apps/v1', CronJob: 'batch/v1', Job: 'batch/v1' }[kind] ?? 'v1';
  const r = toResource(
    { apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', ...owner }] } : {}) }, spec },
    'c1',
  );
  assert.ok(isResource(r));
  return r;
};
const pod = (...images: unknown[]) => ({ initContainers: [{ name: 'init', image: images[0] }], containers: images.slice(1).map((image, i) => ({ name: `c${i}`, image })) });

const RESOURCES: Resource[] = [
  obj('Deployment', 'web', 'prod', { template: { spec: pod('busybox:1.36', 'nginx:1.25', 'nginx:1.25', 'envoy:1.30') } }),
  obj('ReplicaSet', 'web-1', 'prod', { template: { spec: pod('busybox:1.36', 'nginx:1.25') } }, { kind: 'Deployment', name: 'web' }),
  obj('Pod', 'web-1-x', 'prod', pod('busybox:1.36', 'nginx:1.25'), { kind: 'ReplicaSet', name: 'web-1' }),
  obj('Pod', 'bare', 'default', pod('redis:7')),
  obj('Pod', 'orphan', 'prod', pod('a:1'), { kind: 'ReplicaSet', name: 'gone' }),
  obj('CronJob', 'backup', 'ops', { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'b', image: 'restic:0.16' }, { name: 'no-image' }, 'junk'] } } } } }),
  obj('Service', 'web', 'prod', { ports: [{ port: 80 }] }),
  obj('PodTemplate', 'tpl', 'prod', {}),
];

test('images: init and app containers, in order, once each; nothing for kinds without a pod spec', () => {
  assert.deepEqual(imagesOf(RESOURCES[0]!), ['busybox:1.36', 'nginx:1.25', 'envoy:1.30']);
  assert.deepEqual(imagesOf(RESOURCES[5]!), ['restic:0.16'], 'a container without an image and a non-object entry are skipped');
  assert.deepEqual(imagesOf(RESOURCES[6]!), []);
});

test('workload resources leave out those owned by a collected workload', () => {
  assert.deepEqual(workloadResources(RESOURCES).map((r) => r.id), ['Deployment/prod/web', 'Pod/default/bare', 'Pod/prod/orphan', 'CronJob/ops/backup']);
  assert.deepEqual(workloadResources([]), []);
});

test('the upload list carries every resource, images for workloads only; workloads come back from it', () => {
  const list = scannedResources(RESOURCES);
  assert.equal(list.length, RESOURCES.length);
  assert.deepEqual(list[0], { kind: 'k8s:Deployment', id: 'Deployment/prod/web', name: 'web', namespace: 'prod', images: ['busybox:1.36', 'nginx:1.25', 'envoy:1.30'] });
  assert.deepEqual(list[6], { kind: 'k8s:Service', id: 'Service/prod/web', name: 'web', namespace: 'prod' });
  const w = workloadsOf(list);
  assert.deepEqual(w.map((x) => x.resourceId), ['Deployment/prod/web', 'ReplicaSet/prod/web-1', 'Pod/prod/web-1-x', 'Pod/default/bare', 'Pod/prod/orphan', 'CronJob/ops/backup']);
  assert.deepEqual(w[0], { kind: 'Deployment', name: 'web', namespace: 'prod', resourceId: 'Deployment/prod/web', images: ['busybox:1.36', 'nginx:1.25', 'envoy:1.30'] });
  assert.deepEqual(workloadsOf(scannedResources(workloadResources(RESOURCES))).length, 4);
});

test('hostile lists: non-Kubernetes kinds ignored, duplicates once, images capped and made storable', () => {
  const w = workloadsOf([
    { kind: 'aws:AWS::EC2::Instance', id: 'i-1', name: 'i-1' },
    { kind: 'k8s:Pod', id: 'Pod/x/a', name: 'a\u0000b', namespace: 'x', images: ['', 'a', 'a', ...Array.from({ length: 200 }, (_, i) => `img${i}`)] },
    { kind: 'k8s:Pod', id: 'Pod/x/a', name: 'dup' },
    { kind: 'k8s:Secret', id: 'Secret/x/s', name: 's' },
  ]);
  assert.equal(w.length, 1);
  assert.equal(w[0]!.name, 'a\uFFFDb');
  assert.equal(w[0]!.namespace, 'x');
  assert.equal(w[0]!.images.length, 100);
  assert.equal(w[0]!.images[0], 'a');
  assert.deepEqual(workloadsOf([]), []);
});
