/**
 * A synthetic cluster for speed and memory checks (issue 7 section 8: a 5,000-resource cluster
 * dump read and assessed in < 5 s and < 512 MB): objects shaped like a real cluster's, with
 * the bulk real dumps carry (managedFields, last-applied annotations, pod status), in apps of
 * eight objects (Deployment, ReplicaSet, two Pods, Service, ConfigMap, ServiceAccount,
 * RoleBinding) across namespaces, plus Nodes. Deterministic. Test and benchmark support.
 */

const managedFields = (manager: string): unknown[] => [
  { apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:annotations': { '.': {}, 'f:kubectl.kubernetes.io/last-applied-configuration': {} }, 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:replicas': {}, 'f:selector': {}, 'f:template': { 'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {}, 'f:ports': {}, 'f:resources': {} } } } } } }, manager, operation: 'Update', time: '2026-01-01T00:00:00Z' },
];

function podSpec(app: string, i: number): Record<string, unknown> {
  return {
    serviceAccountName: app,
    containers: [
      {
        name: 'app',
        image: `registry.example.com/team/${app}:1.${i % 20}.0`,
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
        env: [
          { name: 'DB_URL', value: `postgres://db.data.svc.cluster.local:5432/${app}` },
          { name: 'NEXT', value: `app-${i + 1}:80` },
          { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: `${app}-config`, key: 'level' } } },
        ],
        resources: i % 3 === 0 ? {} : { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
        securityContext: i % 4 === 0 ? { privileged: true } : { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
        livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 10 },
      },
    ],
    volumes: [{ name: 'config', configMap: { name: `${app}-config` } }],
  };
}

/** About `n` objects (rounded up to whole apps of eight), as `kubectl get -A -o json` prints them. */
export function syntheticCluster(n: number): { apiVersion: 'v1'; kind: 'List'; items: Record<string, unknown>[] } {
  const items: Record<string, unknown>[] = [];
  const nodes = Math.max(1, Math.floor(n / 200));
  for (let i = 0; i < nodes; i++) {
    items.push({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `node-${i}`, uid: `node-${i}`, labels: { 'kubernetes.io/hostname': `node-${i}`, 'eks.amazonaws.com/nodegroup': 'ng-1' }, managedFields: managedFields('kubelet') },
      spec: { providerID: `aws:///eu-west-1a/i-${i}` },
      status: { nodeInfo: { kubeletVersion: 'v1.31.2-eks-1' }, images: Array.from({ length: 20 }, (_, j) => ({ names: [`registry.example.com/img-${j}:1`], sizeBytes: 1000 + j })) },
    });
  }
  for (let i = 0; items.length < n; i++) {
    const app = `app-${i}`;
    const ns = `team-${i % 25}`;
    const labels = { app };
    const meta = (kind: string, name = app): Record<string, unknown> => ({
      name,
      namespace: ns,
      uid: `${kind}-${name}`,
      labels,
      resourceVersion: String(10_000 + i),
      creationTimestamp: '2026-01-01T00:00:00Z',
      annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ kind, metadata: { name, namespace: ns } }) },
      managedFields: managedFields('kubectl-client-side-apply'),
    });
    const owner = (kind: string, name: string, uid: string): unknown[] => [{ apiVersion: kind === 'ReplicaSet' || kind === 'Deployment' ? 'apps/v1' : 'v1', kind, name, uid, controller: true, blockOwnerDeletion: true }];
    items.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('Deployment'), spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec(app, i) } }, status: { replicas: 2, readyReplicas: 2 } });
    const rs = `${app}-5d8f9c`;
    items.push({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { ...meta('ReplicaSet', rs), ownerReferences: owner('Deployment', app, `Deployment-${app}`) }, spec: { replicas: 2, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: podSpec(app, i) } } });
    for (const p of ['a', 'b']) {
      items.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { ...meta('Pod', `${rs}-${p}`), ownerReferences: owner('ReplicaSet', rs, `ReplicaSet-${rs}`) },
        spec: { ...podSpec(app, i), nodeName: `node-${i % nodes}` },
        status: { phase: 'Running', podIP: `10.0.${i % 250}.${p === 'a' ? 1 : 2}`, containerStatuses: [{ name: 'app', ready: true, restartCount: 0, image: `registry.example.com/team/${app}:1.${i % 20}.0`, imageID: `registry.example.com/team/${app}@sha256:${'0'.repeat(64)}` }] },
      });
    }
    items.push({ apiVersion: 'v1', kind: 'Service', metadata: meta('Service'), spec: { type: i % 10 === 0 ? 'LoadBalancer' : 'ClusterIP', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } });
    items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('ConfigMap', `${app}-config`), data: { level: 'info', 'app.yaml': `upstream: http://app-${i + 2}.${ns}.svc:80\n` } });
    items.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('ServiceAccount') });
    items.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('RoleBinding'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: i % 7 === 0 ? 'cluster-admin' : 'view' }, subjects: [{ kind: 'ServiceAccount', name: app, namespace: ns }] });
  }
  return { apiVersion: 'v1', kind: 'List', items };
}
