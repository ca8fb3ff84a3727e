/**
 * A local fake of the Kubernetes API server for tests (node:http on 127.0.0.1, random port):
 * bearer-token authentication, `/version`, legacy discovery (`/api`, `/apis`, `/api/v1`,
 * `/apis/<g>/<v>`, with sub-resources and kinds the collector does not list, as a real server
 * shows them), list calls across all namespaces or in one, paginated with `limit` and
 * opaque `continue` tokens (items without kind/apiVersion, as the API sends them),
 * PartialObjectMetadataList when asked for it, Status objects for errors, and injectable
 * faults (the first N matching calls answer 429 with Retry-After, 403, 410, 500 …).
 * Objects are stored as given plus what the server would add (namespace `default`, uid,
 * resourceVersion, creationTimestamp). Test support only: never imported by product code.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface ServedResource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

const R = (gv: string, plural: string, kind: string, namespaced: boolean): ServedResource => {
  const [group, version] = gv.includes('/') ? (gv.split('/') as [string, string]) : ['', gv];
  return { group, version, plural, kind, namespaced };
};

/** What a v1.31 API server serves (abridged), plus sub-resources. */
export const BUILTIN_RESOURCES: readonly ServedResource[] = [
  R('v1', 'pods', 'Pod', true),
  R('v1', 'pods/log', 'Pod', true),
  R('v1', 'pods/status', 'Pod', true),
  R('v1', 'services', 'Service', true),
  R('v1', 'endpoints', 'Endpoints', true),
  R('v1', 'events', 'Event', true),
  R('v1', 'namespaces', 'Namespace', false),
  R('v1', 'nodes', 'Node', false),
  R('v1', 'configmaps', 'ConfigMap', true),
  R('v1', 'secrets', 'Secret', true),
  R('v1', 'serviceaccounts', 'ServiceAccount', true),
  R('v1', 'replicationcontrollers', 'ReplicationController', true),
  R('v1', 'podtemplates', 'PodTemplate', true),
  R('v1', 'persistentvolumes', 'PersistentVolume', false),
  R('v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true),
  R('v1', 'limitranges', 'LimitRange', true),
  R('v1', 'resourcequotas', 'ResourceQuota', true),
  R('apps/v1', 'deployments', 'Deployment', true),
  R('apps/v1', 'deployments/scale', 'Scale', true),
  R('apps/v1', 'replicasets', 'ReplicaSet', true),
  R('apps/v1', 'statefulsets', 'StatefulSet', true),
  R('apps/v1', 'daemonsets', 'DaemonSet', true),
  R('apps/v1', 'controllerrevisions', 'ControllerRevision', true),
  R('batch/v1', 'jobs', 'Job', true),
  R('batch/v1', 'cronjobs', 'CronJob', true),
  R('networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy', true),
  R('networking.k8s.io/v1', 'ingresses', 'Ingress', true),
  R('networking.k8s.io/v1', 'ingressclasses', 'IngressClass', false),
  R('rbac.authorization.k8s.io/v1', 'roles', 'Role', true),
  R('rbac.authorization.k8s.io/v1', 'clusterroles', 'ClusterRole', false),
  R('rbac.authorization.k8s.io/v1', 'rolebindings', 'RoleBinding', true),
  R('rbac.authorization.k8s.io/v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  R('policy/v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true),
  R('autoscaling/v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true),
  R('autoscaling/v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true),
  R('storage.k8s.io/v1', 'storageclasses', 'StorageClass', false),
  R('storage.k8s.io/v1', 'csidrivers', 'CSIDriver', false),
  R('apiextensions.k8s.io/v1', 'customresourcedefinitions', 'CustomResourceDefinition', false),
];

/** CRD groups a test may install. */
export const CRD_RESOURCES: Readonly<Record<string, readonly ServedResource[]>> = {
  istio: [
    R('security.istio.io/v1', 'peerauthentications', 'PeerAuthentication', true),
    R('security.istio.io/v1', 'authorizationpolicies', 'AuthorizationPolicy', true),
    R('security.istio.io/v1', 'requestauthentications', 'RequestAuthentication', true),
    R('security.istio.io/v1beta1', 'peerauthentications', 'PeerAuthentication', true),
    R('security.istio.io/v1beta1', 'authorizationpolicies', 'AuthorizationPolicy', true),
  ],
  openshift: [R('config.openshift.io/v1', 'clusterversions', 'ClusterVersion', false)],
};

export interface Fault {
  /** Path (with query) substring the fault applies to. */
  readonly match: string;
  readonly status: number;
  /** How many matching calls fail (then they succeed). */
  times: number;
  readonly retryAfter?: string;
  /** Only calls carrying a `continue` token. */
  readonly onContinue?: boolean;
}

export interface FakeApiOptions {
  readonly token: string;
  readonly objects?: readonly Record<string, unknown>[];
  /** `/version` answer. */
  readonly version?: Record<string, unknown>;
  /** CRD groups installed (keys of CRD_RESOURCES). */
  readonly crds?: readonly (keyof typeof CRD_RESOURCES)[];
  /** Largest page the server returns whatever `limit` asks (to force pagination). */
  readonly maxPage?: number;
  readonly faults?: Fault[];
  /** Serve HTTPS with this certificate (PEM) instead of plain HTTP (kubectl sends no token over HTTP). */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export interface RequestRecord {
  readonly path: string;
  readonly accept: string;
  readonly authorized: boolean;
}

export interface FakeApi {
  readonly url: string;
  readonly port: number;
  readonly requests: RequestRecord[];
  /** Objects refused because no served kind matches them. */
  readonly refused: Record<string, unknown>[];
  /** Writes a kubeconfig pointing at the server (its CA over HTTPS, insecure-skip-tls-verify over plain HTTP) and returns its path. */
  kubeconfig(token?: string, context?: string): string;
  close(): Promise<void>;
}

const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

function status(res: ServerResponse, code: number, reason: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }));
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startFakeApi(options: FakeApiOptions): Promise<FakeApi> {
  const served = [...BUILTIN_RESOURCES, ...(options.crds ?? []).flatMap((c) => CRD_RESOURCES[c] ?? [])];
  const store = new Map<string, Record<string, unknown>[]>();
  const refused: Record<string, unknown>[] = [];
  let uid = 0;
  for (const o of options.objects ?? []) {
    const apiVersion = typeof o['apiVersion'] === 'string' ? o['apiVersion'] : '';
    const res = served.find((r) => r.kind === o['kind'] && r.group === groupOf(apiVersion) && !r.plural.includes('/'));
    if (res === undefined) {
      refused.push(o);
      continue;
    }
    const meta = { ...((o['metadata'] ?? {}) as Record<string, unknown>) };
    if (res.namespaced && typeof meta['namespace'] !== 'string') meta['namespace'] = 'default';
    if (!res.namespaced) delete meta['namespace'];
    meta['uid'] ??= `00000000-0000-4000-8000-${String(++uid).padStart(12, '0')}`;
    meta['resourceVersion'] ??= String(1000 + uid);
    meta['creationTimestamp'] ??= '2026-01-01T00:00:00Z';
    const key = `${res.group}/${res.plural}`;
    let list = store.get(key);
    if (list === undefined) store.set(key, (list = []));
    // A later object with the same namespace/name replaces the earlier one (as `kubectl apply` would).
    const at = list.findIndex((x) => {
      const m = x['metadata'] as Record<string, unknown>;
      return m['name'] === meta['name'] && m['namespace'] === meta['namespace'];
    });
    const stored = { ...o, metadata: meta };
    if (at >= 0) list[at] = stored;
    else list.push(stored);
  }
  const requests: RequestRecord[] = [];
  const faults = options.faults ?? [];
  const version = options.version ?? { major: '1', minor: '31', gitVersion: 'v1.31.2', platform: 'linux/amd64' };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const accept = String(req.headers['accept'] ?? '');
    const authorized = req.headers['authorization'] === `Bearer ${options.token}`;
    requests.push({ path: url.pathname + url.search, accept, authorized });
    if (!authorized) return status(res, 401, 'Unauthorized', 'Unauthorized');
    const fault = faults.find((f) => f.times > 0 && (url.pathname + url.search).includes(f.match) && (!f.onContinue || url.searchParams.has('continue')));
    if (fault !== undefined) {
      fault.times--;
      const reason = fault.status === 429 ? 'TooManyRequests' : fault.status === 403 ? 'Forbidden' : fault.status === 410 ? 'Expired' : 'InternalError';
      const message =
        fault.status === 403
          ? `${url.pathname.split('/').pop() ?? ''} is forbidden: User "system:serviceaccount:vigil:reader" cannot list resource at the cluster scope`
          : fault.status === 429
            ? 'Too many requests, please try again later.'
            : `fault ${fault.status}`;
      return status(res, fault.status, reason, message, fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {});
    }
    const parts = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/version') return json(res, version);
    if (url.pathname === '/api') return json(res, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/apis') {
      const groups = new Map<string, string[]>();
      for (const r of served) {
        if (r.group === '') continue;
        const list = groups.get(r.group) ?? [];
        if (!list.includes(r.version)) list.push(r.version);
        groups.set(r.group, list);
      }
      return json(res, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [...groups].map(([name, versions]) => ({
          name,
          versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
          preferredVersion: { groupVersion: `${name}/${versions[0]!}`, version: versions[0]! },
        })),
      });
    }
    // Discovery of one group version.
    const gvDiscovery = parts[0] === 'api' && parts.length === 2 ? { group: '', version: parts[1]! } : parts[0] === 'apis' && parts.length === 3 ? { group: parts[1]!, version: parts[2]! } : undefined;
    if (gvDiscovery !== undefined) {
      const rs = served.filter((r) => r.group === gvDiscovery.group && r.version === gvDiscovery.version);
      if (rs.length === 0) return status(res, 404, 'NotFound', 'the server could not find the requested resource');
      return json(res, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: gvDiscovery.group ? `${gvDiscovery.group}/${gvDiscovery.version}` : gvDiscovery.version,
        resources: rs.map((r) => ({ name: r.plural, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: r.plural.includes('/') ? ['get'] : ['get', 'list', 'watch'] })),
      });
    }
    // Lists: /api/v1/<plural>, /api/v1/namespaces/<ns>/<plural>, /apis/<g>/<v>/… likewise.
    const rest = parts[0] === 'api' ? parts.slice(2) : parts.slice(3);
    const group = parts[0] === 'api' ? '' : (parts[1] ?? '');
    const ver = parts[0] === 'api' ? parts[1] : parts[2];
    const namespace = rest[0] === 'namespaces' && rest.length === 3 ? rest[1] : undefined;
    const plural = namespace !== undefined ? rest[2] : rest.length === 1 ? rest[0] : undefined;
    const resource = served.find((r) => r.group === group && r.version === ver && r.plural === plural);
    if (resource === undefined || req.method !== 'GET') return status(res, 404, 'NotFound', 'the server could not find the requested resource');
    let items = store.get(`${resource.group}/${resource.plural}`) ?? [];
    if (namespace !== undefined) items = items.filter((o) => (o['metadata'] as Record<string, unknown>)['namespace'] === namespace);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? items.length) || items.length, options.maxPage ?? Number.MAX_SAFE_INTEGER);
    const token = url.searchParams.get('continue');
    let from = 0;
    if (token !== null) {
      const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
      from = typeof decoded.offset === 'number' ? decoded.offset : 0;
    }
    const page = items.slice(from, from + Math.max(1, limit));
    const next = from + page.length < items.length ? Buffer.from(JSON.stringify({ offset: from + page.length, rv: 1 })).toString('base64') : undefined;
    const partial = accept.includes('as=PartialObjectMetadataList');
    const apiVersion = resource.group ? `${resource.group}/${resource.version}` : resource.version;
    return json(res, {
      kind: partial ? 'PartialObjectMetadataList' : `${resource.kind}List`,
      apiVersion: partial ? 'meta.k8s.io/v1' : apiVersion,
      metadata: { resourceVersion: '5000', ...(next !== undefined ? { continue: next, remainingItemCount: items.length - from - page.length } : {}) },
      items: page.map((o) => {
        if (partial) return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o['metadata'] };
        const copy = { ...o };
        delete copy['kind'];
        delete copy['apiVersion'];
        return copy;
      }),
    });
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      handle(req, res);
    } catch (err) {
      status(res, 500, 'InternalError', (err as Error).message);
    }
  };
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    url,
    port,
    requests,
    refused,
    kubeconfig(token = options.token, context = 'fake') {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-kube-'));
      const path = join(dir, 'config');
      writeFileSync(
        path,
        [
          'apiVersion: v1',
          'kind: Config',
          `current-context: ${context}`,
          'clusters:',
          `- name: fake-cluster`,
          '  cluster:',
          `    server: ${url}`,
          options.tls ? `    certificate-authority-data: ${Buffer.from(options.tls.cert).toString('base64')}` : '    insecure-skip-tls-verify: true',
          'users:',
          '- name: reader',
          '  user:',
          `    token: ${token}`,
          'contexts:',
          `- name: ${context}`,
          '  context:',
          '    cluster: fake-cluster',
          '    user: reader',
          '',
        ].join('\n'),
      );
      return path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A throw-away self-signed certificate for 127.0.0.1 made with `openssl`, or undefined when it is not installed. */
export async function selfSignedCert(): Promise<{ cert: string; key: string } | undefined> {
  const { execFile } = await import('node:child_process');
  const { readFileSync } = await import('node:fs');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cert-'));
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
  const ok = await new Promise<boolean>((resolve) => execFile('openssl', args, (err) => resolve(err === null)));
  if (!ok) return undefined;
  return { cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8') };
}
