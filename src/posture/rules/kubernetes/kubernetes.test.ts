/**
 * Kubernetes rules beyond their own examples: helpers, rules that look across resources
 * (NetworkPolicy coverage, PodDisruptionBudgets), control plane flag forms, Istio scope, and
 * malformed manifests that must never make a rule throw.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyse } from '../../analyse.js';
import { RULE_BY_ID } from '../registry.js';
import { kubernetesRules } from './index.js';
import { labelKeyProblem, labelValueProblem } from './known-risky.js';
import { looksLikeSecretName, parseImage } from './workload-images.js';
import { normalisePath, sensitiveHostPath } from './workload-volumes.js';

async function run(ids: string[], text: string): Promise<{ rule: string; line: number; message: string; status: string }[]> {
  const rules = ids.map((id) => RULE_BY_ID.get(id)!);
  const a = await analyse([{ path: 'manifest.yaml', text }], rules);
  return a.findings.map((f) => ({ rule: f.ruleId, line: f.location.line, message: f.message, status: f.status }));
}

describe('helpers', () => {
  test('image references', () => {
    assert.deepEqual(parseImage('nginx'), { tag: undefined, digest: undefined });
    assert.deepEqual(parseImage('registry:5000/team/app'), { tag: undefined, digest: undefined });
    assert.deepEqual(parseImage('registry:5000/team/app:1.2'), { tag: '1.2', digest: undefined });
    assert.deepEqual(parseImage('app:1@sha256:abc'), { tag: '1', digest: 'sha256:abc' });
  });
  test('secret-looking environment names', () => {
    for (const n of ['DB_PASSWORD', 'GITHUB_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'api-key', 'PASSWD', 'client_secret']) assert.equal(looksLikeSecretName(n), true, n);
    for (const n of ['PASSWORD_FILE', 'TOKEN_URL', 'SECRET_NAME', 'KEYCLOAK_HOST', 'MONKEY', 'TOKENIZER_MODEL', 'ACCESS_KEY_ID']) assert.equal(looksLikeSecretName(n), false, n);
  });
  test('label syntax', () => {
    assert.equal(labelKeyProblem('app.kubernetes.io/name'), undefined);
    assert.match(labelKeyProblem('Bad_Prefix/x') ?? '', /prefix/);
    assert.match(labelKeyProblem('a'.repeat(64)) ?? '', /name/);
    assert.equal(labelValueProblem(''), undefined);
    assert.match(labelValueProblem(true) ?? '', /not a string/);
    assert.match(labelValueProblem('-x') ?? '', /value/);
  });
  test('host paths', () => {
    assert.equal(normalisePath('//var//run/'), '/var/run');
    assert.equal(normalisePath('/'), '/');
    assert.match(sensitiveHostPath('/run/containerd/containerd.sock') ?? '', /socket/);
    assert.match(sensitiveHostPath('/etc/kubernetes/pki') ?? '', /\/etc\//);
    assert.equal(sensitiveHostPath('/var/log'), undefined);
    assert.equal(sensitiveHostPath('/data/etc'), undefined);
  });
});

describe('NetworkPolicy coverage (VGL-K8S-020)', () => {
  test('per namespace, with selectors', async () => {
    const text = [
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: a\nspec:\n  podSelector: {}',
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web\n  namespace: b\nspec:\n  podSelector:\n    matchExpressions:\n    - {key: app, operator: In, values: [web]}',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p1\n  namespace: a\nspec:\n  containers: [{name: c, image: x:1}]',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p2\n  namespace: b\n  labels: {app: web}\nspec:\n  containers: [{name: c, image: x:1}]',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p3\n  namespace: b\n  labels: {app: api}\nspec:\n  containers: [{name: c, image: x:1}]',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p4\nspec:\n  containers: [{name: c, image: x:1}]',
    ].join('\n---\n');
    const f = await run(['VGL-K8S-020'], text);
    assert.deepEqual(f.map((x) => x.message).sort(), [
      'no NetworkPolicy in namespace b selects this workload\'s pods',
      'no NetworkPolicy in namespace default selects this workload\'s pods',
    ]);
  });
});

describe('StatefulSet PodDisruptionBudget (VGL-K8S-044)', () => {
  const sts = (ns: string) => `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\n  namespace: ${ns}\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db, tier: data}\n    spec:\n      containers: [{name: db, image: postgres:17}]`;
  const pdb = 'apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: db\n  namespace: x\nspec:\n  maxUnavailable: 1\n  selector:\n    matchLabels: {tier: data}';
  test('a PDB in the same namespace selecting the pods covers it', async () => {
    assert.equal((await run(['VGL-K8S-044'], `${pdb}\n---\n${sts('x')}`)).length, 0);
    assert.equal((await run(['VGL-K8S-044'], `${pdb}\n---\n${sts('y')}`)).length, 1);
  });
});

describe('control plane flags', () => {
  test('`--flag value` in args and shell-free commands', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: kube-apiserver\nspec:\n  containers:\n  - name: api\n    image: k8s/kube-apiserver:1\n    command: ["/usr/local/bin/kube-apiserver"]\n    args: ["--audit-log-maxage", "7", "--authorization-mode", "Node,RBAC"]\n';
    const f = await run(['VGL-K8S-087', 'VGL-K8S-077', 'VGL-K8S-078'], text);
    assert.deepEqual(f.map((x) => [x.rule, x.line]), [['VGL-K8S-087', 9]]);
    assert.match(f[0]!.message, /--audit-log-maxage is 7/);
  });
  test('other containers are not mistaken for control plane components', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: app:1\n    command: ["sh", "-c", "echo kube-apiserver"]\n';
    assert.deepEqual(await run(['VGL-K8S-086'], text), []);
  });
});

describe('Istio', () => {
  test('mesh-wide PeerAuthentication without STRICT, namespace one inherits', async () => {
    const mesh = 'apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec: {}\n';
    const ns = 'apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: shop\nspec: {}\n';
    assert.equal((await run(['VGL-K8S-142'], mesh)).length, 1);
    assert.equal((await run(['VGL-K8S-142'], ns)).length, 0);
  });
  test('AuthorizationPolicy: DENY and rule-less ALLOW policies are not allow-all', async () => {
    const deny = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: d\nspec:\n  action: DENY\n  rules: [{}]\n';
    const allowNothing = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: n\nspec: {}\n';
    const allowAll = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: a\n  namespace: shop\nspec:\n  rules:\n  - to: []\n';
    assert.equal((await run(['VGL-K8S-143'], deny)).length, 0);
    assert.equal((await run(['VGL-K8S-143'], allowNothing)).length, 0);
    assert.match((await run(['VGL-K8S-143'], allowAll))[0]?.message ?? '', /every workload in namespace shop/);
  });
});

describe('malformed manifests never make a rule throw', () => {
  const docs = [
    'apiVersion: v1\nkind: Pod\nmetadata: []\nspec: []',
    'apiVersion: v1\nkind: Pod\nspec:\n  containers: "x"\n  volumes: {a: 1}\n  securityContext: [1]',
    'apiVersion: v1\nkind: Pod\nspec:\n  securityContext: {sysctls: "x", seccompProfile: "y", seLinuxOptions: [], windowsOptions: 1}\n  containers:\n  - null\n  - 42\n  - name: [1]\n    image: {a: b}\n    env: {a: b}\n    ports: "80"\n    command: "kube-apiserver"\n    args: [1, null, {x: y}]\n    securityContext: {capabilities: "ALL", runAsUser: "0", procMount: [], appArmorProfile: "x"}\n    resources: [1]\n    volumeMounts: [null, {mountPath: 1}]\n    livenessProbe: {httpGet: "x", tcpSocket: {host: 1}}\n    lifecycle: []',
    'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template: {metadata: {labels: [], annotations: "x"}, spec: {containers: [{securityContext: null}]}}',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nrules: {a: 1}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nrules: [null, 1, {verbs: "*", resources: [1, "*"]}]',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nsubjects: "x"\nroleRef: []',
    'apiVersion: v1\nkind: Service\nspec: {type: [LoadBalancer], loadBalancerSourceRanges: "x", selector: [1]}',
    'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nspec: {mtls: [], portLevelMtls: [1]}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nspec: {rules: [null, [], "x"]}',
    'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication: []\ntlsCipherSuites: "x"',
    'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources: [null, {resources: secrets, providers: {}}]\n---\napiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [null, {resources: "x"}]',
    'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nspec: {runAsUser: [], fsGroup: {ranges: "x"}, allowedProcMountTypes: {}}',
    'apiVersion: apps/v1\nkind: StatefulSet\nspec: {replicas: 3, template: []}\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nspec: []',
  ];
  for (const [i, text] of docs.entries()) {
    test(`document set ${i}`, async () => {
      const a = await analyse([{ path: 'bad.yaml', text }], kubernetesRules);
      const errors = a.findings.filter((f) => f.message.startsWith('rule error'));
      assert.deepEqual(errors.map((f) => `${f.ruleId}: ${f.message}`), []);
    });
  }
});
