/**
 * The NetworkPolicy generator: host references, flows, policies, schema, YAML; the real
 * Online Boutique manifests (../shared/data/k8s/manifests/microservices-demo) with the flows
 * written from reading them (each *_ADDR variable of each Deployment, the Services' target
 * ports, the frontend-external LoadBalancer).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import { parseSources } from '../analyse.js';
import type { Resource } from '../model.js';
import { hostRefs, serviceEnvRefs } from './hosts.js';
import { generateNetworkPolicies, type NetpolResult } from './index.js';
import type { NetworkPolicy, PolicyRule } from './policies.js';
import { commentLine } from './render.js';
import { networkPolicyProblems } from './validate.js';

async function resources(yaml: string): Promise<Resource[]> {
  const p = await parseSources([{ path: 'm.yaml', text: yaml }]);
  assert.deepEqual(p.problems, []);
  return p.resources;
}

const policy = (r: NetpolResult, name: string): NetworkPolicy => {
  const p = r.policies.find((x) => x.metadata.name === name);
  assert.ok(p, `policy ${name} in ${r.policies.map((x) => x.metadata.name).join(', ')}`);
  return p;
};

/** `from|to` peers and ports of rules, compact: `app=web@shop TCP/8080`. */
function compact(rules: readonly PolicyRule[] | undefined): string[] {
  return (rules ?? []).map((rule) => {
    const peers = (rule.from ?? rule.to ?? []).map((p) => {
      if (p.ipBlock) return p.ipBlock.cidr;
      const pods = p.podSelector ? Object.entries(p.podSelector.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '*' : '';
      const ns = p.namespaceSelector ? `@${Object.values(p.namespaceSelector.matchLabels ?? {}).join(',')}` : '';
      return `${pods}${ns}`;
    });
    return `${peers.join('+')} ${(rule.ports ?? []).map((p) => `${p.protocol}/${p.port}`).join(',')}`.trim();
  });
}

const deploy = (name: string, ns: string, env: Record<string, string> = {}, extra = ''): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n        pod-template-hash: abc\n    spec:\n      containers:\n      - name: main\n        image: example/${name}:1\n        ports:\n        - name: http\n          containerPort: 8080\n${Object.keys(env).length > 0 ? `        env:\n${Object.entries(env).map(([k, v]) => `        - name: ${k}\n          value: "${v}"\n`).join('')}` : ''}${extra}`;
const service = (name: string, ns: string, port: number, target: string | number, extra = ''): string =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${name}\n  ports:\n  - name: web\n    port: ${port}\n    targetPort: ${typeof target === 'string' ? target : String(target)}\n${extra}`;

describe('host references', () => {
  test('host names, ports, schemes, userinfo; bare words only when explicit', () => {
    const hosts = (s: string): string[] => hostRefs(s).map((r) => `${r.host}${r.port ? `:${r.port}` : ''}${r.explicit ? '' : '?'}`);
    assert.deepEqual(hosts('redis-cart:6379'), ['redis-cart:6379']);
    assert.deepEqual(hosts('http://api.shop.svc.cluster.local:8080/v1?x=1'), ['api.shop.svc.cluster.local:8080']);
    assert.deepEqual(hosts('postgres://user:p%40ss@db:5432/app'), ['db:5432']);
    assert.deepEqual(hosts('web'), ['web']);
    assert.deepEqual(hosts('upstream web { server web; }'), ['upstream?', 'web?', 'server?', 'web?']);
    assert.deepEqual(hosts('--upstream=grpc://cart.shop:7070,http://x'), ['cart.shop:7070', 'x']);
    assert.deepEqual(hosts('10.0.0.1:80 [::1]:80 host:99999 host:http :80 -bad-.x'), []);
    assert.deepEqual(hosts(''), []);
    assert.deepEqual(serviceEnvRefs('http://$(REDIS_MASTER_SERVICE_HOST):${REDIS_MASTER_SERVICE_PORT} $KUBERNETES_SERVICE_HOST'), ['redis-master', 'redis-master']);
  });

  test('hostile text stays linear and bounded', () => {
    const big = `${'a'.repeat(200_000)}:${'-'.repeat(100_000)}`;
    const t0 = performance.now();
    hostRefs(big);
    hostRefs(`${'a.'.repeat(100_000)}`);
    serviceEnvRefs('_SERVICE_HOST'.repeat(10_000));
    assert.ok(performance.now() - t0 < 1000);
    assert.equal(commentLine('a\nb\r\u2028c\u0007'), 'a b c ');
    assert.equal(commentLine('x'.repeat(1000)).length, 301);
  });
});

describe('generated policies', () => {
  test('default deny, DNS, clients by env and ConfigMap, cross-namespace, named ports, exposure, ingress', async () => {
    const yaml = [
      deploy('web', 'shop', { API_URL: 'http://api:8080/v1', DB: 'postgres://u:hunter2@db.data.svc.cluster.local:5432/shop', STRIPE: 'https://api.stripe.com' }, '        envFrom:\n        - configMapRef:\n            name: web-cfg\n'),
      deploy('api', 'shop', {}, ''),
      service('api', 'shop', 8080, 'http'),
      service('web', 'shop', 80, 8080, '  type: LoadBalancer\n  loadBalancerSourceRanges: ["203.0.113.0/24"]\n'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-cfg\n  namespace: shop\ndata:\n  CACHE: "cache:6379"\n',
      deploy('cache', 'shop'),
      service('cache', 'shop', 6379, 8080),
      deploy('db', 'data'),
      service('db', 'data', 5432, 8080),
      deploy('report', 'batch', { SHOP_API: 'api.shop:8080' }),
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ingress-nginx-controller\n  namespace: ingress-nginx\nspec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: ingress-nginx\n  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: ingress-nginx\n    spec:\n      containers:\n      - name: controller\n        image: registry.k8s.io/ingress-nginx/controller:v1.11.2\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: unlabelled\n  namespace: shop\nspec:\n  containers:\n  - name: c\n    image: x:1\n    env:\n    - name: K\n      value: https://kubernetes.default.svc\n',
    ].join('---\n');
    const r = generateNetworkPolicies(await resources(yaml), 'shop', { source: 'test manifests' });
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.policies.map((p) => p.metadata.name), ['default-deny-all', 'allow-dns-egress', 'allow-deployment-api', 'allow-deployment-cache', 'allow-deployment-web']);
    assert.deepEqual(policy(r, 'default-deny-all').spec, { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    assert.deepEqual(compact(policy(r, 'allow-dns-egress').spec.egress), ['k8s-app=kube-dns@kube-system UDP/53,TCP/53']);
    const api = policy(r, 'allow-deployment-api');
    assert.deepEqual(api.spec.podSelector, { matchLabels: { app: 'api' } });
    assert.deepEqual(api.spec.policyTypes, ['Ingress']);
    // The named target port `http` is resolved to the container port; the batch namespace's client by namespace label.
    assert.deepEqual(compact(api.spec.ingress), ['app=report@batch TCP/8080', 'app=web TCP/8080']);
    const web = policy(r, 'allow-deployment-web');
    assert.deepEqual(web.spec.policyTypes, ['Ingress', 'Egress']);
    assert.deepEqual(compact(web.spec.ingress), ['203.0.113.0/24 TCP/8080', 'app.kubernetes.io/name=ingress-nginx@ingress-nginx TCP/8080']);
    assert.deepEqual(compact(web.spec.egress), ['app=db@data TCP/8080', 'app=api TCP/8080', 'app=cache TCP/8080']);
    assert.deepEqual(compact(policy(r, 'allow-deployment-cache').spec.ingress), ['app=web TCP/8080']);
    for (const p of r.policies) assert.deepEqual(networkPolicyProblems(p), [], p.metadata.name);
    // Notes: the external host, the API server, the unlabelled pod; no secret from the DB URL anywhere.
    assert.ok(r.notes.some((n) => n.includes('api.stripe.com') && n.includes('env STRIPE')));
    assert.ok(r.notes.some((n) => n.includes('Pod shop/unlabelled talks to the Kubernetes API')));
    assert.ok(r.notes.some((n) => n.includes('Pod shop/unlabelled has no pod labels')));
    assert.ok(!r.yaml.includes('hunter2'));
    assert.match(r.yaml, /# from Deployment batch\/report, because:\n\s+#\s+container main env SHOP_API names api\.shop:8080 \(Service shop\/api\)/);
    assert.match(r.yaml, /ConfigMap web-cfg key CACHE names cache:6379/);
    // The YAML reads back to exactly the policies.
    const docs = parseAllDocuments(r.yaml);
    assert.ok(Array.isArray(docs));
    assert.deepEqual(docs.map((d) => d.toJS() as unknown), r.policies);
    assert.ok(docs.every((d) => d.errors.length === 0));
  });

  test('an ingress controller not in the inputs is assumed, and said so', async () => {
    const yaml = [deploy('web', 'shop'), service('web', 'shop', 80, 8080), 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: w\n  namespace: shop\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        name: web\n'].join('---\n');
    const r = generateNetworkPolicies(await resources(yaml), 'shop', { source: 't', ingressNamespace: 'traefik' });
    assert.deepEqual(compact(policy(r, 'allow-deployment-web').spec.ingress), ['@traefik TCP/8080']);
    assert.match(r.yaml, /the ingress controller \(pods of namespace traefik, ASSUMED\)/);
    assert.ok(r.notes.some((n) => n.includes('no ingress controller among the inputs')));
  });

  test('StatefulSet peers by pod DNS name, Service variables, manifests without namespace', async () => {
    const yaml = [
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels: {app: db}\n  template:\n    metadata:\n      labels: {app: db}\n    spec:\n      containers:\n      - name: db\n        image: cassandra:4\n        env:\n        - name: SEEDS\n          value: db-0.db.default.svc.cluster.local\n',
      service('db', 'default', 9042, 9042).replace('  namespace: default\n', ''),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  labels: {role: client}\nspec:\n  containers:\n  - name: c\n    image: x:1\n    command: ["sh", "-c", "connect $(DB_SERVICE_HOST)"]\n',
    ].join('---\n');
    const r = generateNetworkPolicies(await resources(yaml), 'default', { source: 't' });
    assert.deepEqual(compact(policy(r, 'allow-statefulset-db').spec.ingress), ['role=client TCP/9042', 'app=db TCP/9042']);
    assert.deepEqual(compact(policy(r, 'allow-pod-client').spec.egress), ['app=db TCP/9042']);
  });

  test('the same object twice (a manifest and a dump of it): one policy, and a note', async () => {
    const yaml = [deploy('web', 'shop', { API: 'api:80' }), deploy('api', 'shop'), service('api', 'shop', 80, 8080), deploy('api', 'shop'), service('api', 'shop', 80, 8080)].join('---\n');
    const r = generateNetworkPolicies(await resources(yaml), 'shop', { source: 't' });
    assert.deepEqual(r.policies.map((p) => p.metadata.name), ['default-deny-all', 'allow-dns-egress', 'allow-deployment-api', 'allow-deployment-web']);
    assert.deepEqual(compact(policy(r, 'allow-deployment-api').spec.ingress), ['app=web TCP/8080']);
    assert.ok(r.notes.some((n) => n === 'Deployment shop/api is in the inputs more than once: the first one was used'));
  });

  test('empty and unrelated input: only default deny and DNS', async () => {
    for (const input of [[], await resources('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n')]) {
      const r = generateNetworkPolicies(input, 'empty', { source: 't' });
      assert.deepEqual(r.policies.map((p) => p.metadata.name), ['default-deny-all', 'allow-dns-egress']);
      assert.equal(r.stats.workloads, 0);
      assert.ok(r.policies.every((p) => p.metadata.namespace === 'empty'));
    }
  });

  test('hostile names and values: valid policy names, single-line comments', async () => {
    const long = 'x'.repeat(250);
    const yaml = [deploy(long, 'shop', { 'A': 'b:80\\n# injected: true' }), service('b', 'shop', 80, 80).replace('app: b', `app: ${long}`).replace('name: b\n', 'name: b\n')].join('---\n');
    const r = generateNetworkPolicies(await resources(yaml), 'shop', { source: 'line one\nline two' });
    assert.deepEqual(r.problems, []);
    for (const p of r.policies) assert.ok(p.metadata.name.length <= 253);
    assert.ok(!r.yaml.split('\n').some((l) => l.startsWith('line two') || l.startsWith('# injected')));
    assert.ok(parseAllDocuments(r.yaml).every((d) => d.errors.length === 0));
  });
});

describe('NetworkPolicy schema', () => {
  const ok: NetworkPolicy = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a', namespace: 'n', labels: {} }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
  test('accepts the API shapes, rejects what the API server rejects', () => {
    assert.deepEqual(networkPolicyProblems(ok), []);
    const bad: [string, unknown][] = [
      ['kind', { ...ok, kind: 'Policy' }],
      ['name', { ...ok, metadata: { name: 'Bad_Name', namespace: 'n' } }],
      ['namespace', { ...ok, metadata: { name: 'a', namespace: 'a.b' } }],
      ['unknown field', { ...ok, spec: { ...ok.spec, podSelektor: {} } }],
      ['policy type', { ...ok, spec: { podSelector: {}, policyTypes: ['Inbound'] } }],
      ['repeated type', { ...ok, spec: { podSelector: {}, policyTypes: ['Ingress', 'Ingress'] } }],
      ['port 0', { ...ok, spec: { podSelector: {}, ingress: [{ ports: [{ port: 0 }] }] } }],
      ['port name', { ...ok, spec: { podSelector: {}, ingress: [{ ports: [{ port: 'Not-A-Name!' }] }] } }],
      ['protocol', { ...ok, spec: { podSelector: {}, ingress: [{ ports: [{ protocol: 'ICMP', port: 1 }] }] } }],
      ['endPort', { ...ok, spec: { podSelector: {}, ingress: [{ ports: [{ port: 'http', endPort: 90 }] }] } }],
      ['ipBlock + selector', { ...ok, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/8' }, podSelector: {} }] }] } }],
      ['empty peer', { ...ok, spec: { podSelector: {}, ingress: [{ from: [{}] }] } }],
      ['cidr', { ...ok, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: '10.0.0.0/33' } }] }] } }],
      ['label value', { ...ok, spec: { podSelector: { matchLabels: { app: 'not valid!' } } } }],
      ['operator', { ...ok, spec: { podSelector: { matchExpressions: [{ key: 'a', operator: 'Like' }] } } }],
      ['egress without Egress', { ...ok, spec: { podSelector: {}, policyTypes: ['Ingress'], egress: [{}] } }],
    ];
    for (const [what, value] of bad) assert.ok(networkPolicyProblems(value).length > 0, what);
    for (const cidr of ['0.0.0.0/0', '::/0', '2001:db8::/32', '192.168.1.0/24']) {
      assert.deepEqual(networkPolicyProblems({ ...ok, spec: { podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr } }] }] } }), [], cidr);
    }
  });
});

describe('real data: Online Boutique (microservices-demo)', () => {
  const file = sharedData('k8s', 'manifests', 'microservices-demo', 'release', 'kubernetes-manifests.yaml');
  test('the flows its configuration declares', { skip: file === undefined ? skipMessage('k8s/manifests/microservices-demo') : false }, async () => {
    const r = generateNetworkPolicies(await resources(readFileSync(file!, 'utf8')), 'default', { source: 'microservices-demo' });
    assert.deepEqual(r.problems, []);
    const ingressOf = (name: string): string[] => compact(policy(r, `allow-deployment-${name}`).spec.ingress);
    const egressOf = (name: string): string[] => compact(policy(r, `allow-deployment-${name}`).spec.egress);
    assert.deepEqual(egressOf('frontend'), ['app=adservice TCP/9555', 'app=cartservice TCP/7070', 'app=checkoutservice TCP/5050', 'app=currencyservice TCP/7000', 'app=productcatalogservice TCP/3550', 'app=recommendationservice TCP/8080', 'app=shippingservice TCP/50051']);
    assert.deepEqual(egressOf('checkoutservice'), ['app=cartservice TCP/7070', 'app=currencyservice TCP/7000', 'app=emailservice TCP/8080', 'app=paymentservice TCP/50051', 'app=productcatalogservice TCP/3550', 'app=shippingservice TCP/50051']);
    assert.deepEqual(egressOf('recommendationservice'), ['app=productcatalogservice TCP/3550']);
    assert.deepEqual(egressOf('cartservice'), ['app=redis-cart TCP/6379']);
    assert.deepEqual(egressOf('loadgenerator'), ['app=frontend TCP/8080']);
    // frontend-external is a LoadBalancer without source ranges: open to any address on the target port.
    assert.deepEqual(ingressOf('frontend'), ['0.0.0.0/0+::/0 TCP/8080', 'app=loadgenerator TCP/8080']);
    assert.deepEqual(ingressOf('emailservice'), ['app=checkoutservice TCP/8080']);
    assert.deepEqual(ingressOf('productcatalogservice'), ['app=checkoutservice TCP/3550', 'app=frontend TCP/3550', 'app=recommendationservice TCP/3550']);
    assert.ok(r.notes.some((n) => n.includes('shoppingassistantservice:80')), 'a Service the manifests do not hold is named, not allowed');
    for (const p of r.policies) assert.deepEqual(networkPolicyProblems(p), []);
  });
});
