import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { detectPlatform, serverVersion } from './platform.js';

const node = (labels: Record<string, string>, providerID?: string): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'n', labels },
  spec: providerID ? { providerID } : {},
});

describe('cluster facts', () => {
  test('server version from /version and from kubectl version -o json', () => {
    assert.equal(serverVersion({ major: '1', minor: '31', gitVersion: 'v1.31.2' }), 'v1.31.2');
    assert.equal(serverVersion({ clientVersion: { gitVersion: 'v1.32.0' }, serverVersion: { gitVersion: 'v1.29.1-gke.1589017' } }), 'v1.29.1-gke.1589017');
    assert.equal(serverVersion({ major: '1', minor: '28+' }), 'v1.28');
    assert.equal(serverVersion({}), undefined);
    assert.equal(serverVersion('v1.2'), undefined);
    assert.equal(serverVersion({ gitVersion: 'v'.repeat(1000) })?.length, 100);
  });

  test('platform: version strings, API groups, node labels, AKS provider ids', () => {
    assert.equal(detectPlatform({ version: 'v1.30.4-eks-a737599' }), 'eks');
    assert.equal(detectPlatform({ version: 'v1.30.3-gke.1639000' }), 'gke');
    assert.equal(detectPlatform({ version: 'v1.29.8+f10c92d', groups: ['apps', 'route.openshift.io'] }), 'openshift');
    assert.equal(detectPlatform({ version: 'v1.29.2', nodes: [node({ 'kubernetes.azure.com/cluster': 'MC_rg_aks_westeurope' })] }), 'aks');
    assert.equal(detectPlatform({ nodes: [node({}, 'azure:///subscriptions/s/resourceGroups/mc_rg/providers/Microsoft.Compute/virtualMachineScaleSets/aks-nodepool1-123-vmss/virtualMachines/0')] }), 'aks');
    assert.equal(detectPlatform({ nodes: [node({ 'eks.amazonaws.com/nodegroup': 'ng' }, 'aws:///eu-west-1a/i-1')] }), 'eks');
    assert.equal(detectPlatform({ nodes: [node({ 'cloud.google.com/gke-nodepool': 'default-pool' })] }), 'gke');
    assert.equal(detectPlatform({ nodes: [node({ 'node.openshift.io/os_id': 'rhcos' })] }), 'openshift');
    // A provider id alone also fits self-managed clusters on that cloud (kops, kubeadm).
    assert.equal(detectPlatform({ version: 'v1.31.0', nodes: [node({}, 'aws:///eu-west-1a/i-1'), node({}, 'gce://p/z/vm')] }), 'other');
    assert.equal(detectPlatform({}), 'other');
    assert.equal(detectPlatform({ nodes: [null, 'x', { metadata: 'y' }, { spec: { providerID: 7 } }] }), 'other');
  });

  const root = sharedData('k8s', 'kubescape-regolibrary', 'rules');
  test('real nodes: a kind cluster and minikube are "other"', { skip: root === undefined ? skipMessage('k8s/kubescape-regolibrary') : false }, () => {
    for (const rel of ['outdated-k8s-version/test/fail2/input/node.json', 'alert-fargate-not-in-use/test/success/input/node_fargate.json']) {
      const n = JSON.parse(readFileSync(`${root!}/${rel}`, 'utf8')) as unknown;
      assert.equal(detectPlatform({ nodes: [n] }), 'other', rel);
    }
  });
});
