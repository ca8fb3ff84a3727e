/**
 * Every Kubernetes rule carries a fix (`fix.kubernetes`): a YAML snippet of the patched part
 * of the object (comment lines allowed), and that snippet, merged into a minimal object of the
 * rule's kind, passes the rule's own check through the real input and engine. Fixes made only
 * of comments (`# kubectl …`, for components that should be deleted) must name a command.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseDocument, stringify } from 'yaml';
import { analyse } from '../../analyse.js';
import type { Rule } from '../../rule.js';
import { BUILTIN_RULES } from '../registry.js';

const K8S_RULES: readonly Rule[] = BUILTIN_RULES.filter((r) => r.kinds.some((k) => k.startsWith('k8s:')));

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The smallest object of each kind a fix is merged into (metadata and required fields). */
function base(kind: string): Obj {
  const meta = { name: 'fix', namespace: 'kube-system' };
  switch (kind) {
    case 'Pod':
      return { apiVersion: 'v1', kind, metadata: meta, spec: { containers: [{ name: 'app', image: 'example/app:1.0' }] } };
    case 'Service':
      return { apiVersion: 'v1', kind, metadata: meta, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
    case 'Role':
    case 'ClusterRole':
      return { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: meta, rules: [] };
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      return { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: meta, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } };
    case 'PodSecurityPolicy':
      return { apiVersion: 'policy/v1beta1', kind, metadata: { name: 'fix' }, spec: { privileged: false, allowPrivilegeEscalation: false } };
    case 'Policy':
      return { apiVersion: 'audit.k8s.io/v1', kind, rules: [] };
    case 'EncryptionConfiguration':
      return { apiVersion: 'apiserver.config.k8s.io/v1', kind };
    case 'AuthorizationPolicy':
      return { apiVersion: 'security.istio.io/v1', kind, metadata: meta, spec: {} };
    default:
      throw new Error(`no base object for kind ${kind}`);
  }
}

const OBJECT_KEYS = new Set(['apiVersion', 'kind', 'metadata', 'spec']);

/**
 * A pod rule's fix may be a container's fields (`securityContext:`, `resources:`) or a pod
 * spec's (`volumes:`): place it where it belongs before merging.
 */
function asObjectPatch(kind: string, patch: Obj): Obj {
  if (kind !== 'Pod' || Object.keys(patch).some((k) => OBJECT_KEYS.has(k))) return patch;
  const { volumes, ...container } = patch;
  const spec: Obj = volumes === undefined ? {} : { volumes };
  if (Object.keys(container).length > 0) spec['containers'] = [{ name: 'app', image: 'example/app:1.0', ...container }];
  return { spec };
}

/** Deep merge of mappings; sequences and scalars of the patch replace the base's. */
function merge(into: Obj, patch: Obj): Obj {
  const out: Obj = { ...into };
  for (const [k, v] of Object.entries(patch)) out[k] = isObj(v) && isObj(out[k]) ? merge(out[k], v) : v;
  return out;
}

function parseFix(snippet: string): { value: unknown; errors: string[] } {
  const doc = parseDocument(snippet, { prettyErrors: false });
  return { value: doc.toJS() as unknown, errors: [...doc.errors, ...doc.warnings].map((e) => e.message) };
}

test('the Kubernetes rule set is the one this test was written for', () => {
  assert.ok(K8S_RULES.length >= 130, `only ${K8S_RULES.length} Kubernetes rules`);
});

describe('every Kubernetes rule has a fix that parses as YAML', () => {
  for (const rule of K8S_RULES) {
    test(rule.id, () => {
      const snippet = rule.fix?.kubernetes ?? '';
      assert.notEqual(snippet.trim(), '', `${rule.id} has no fix.kubernetes`);
      assert.ok(snippet.length <= 2000, `${rule.id}: the fix is ${snippet.length} characters, not a short snippet`);
      const { value, errors } = parseFix(snippet);
      assert.deepEqual(errors, [], `${rule.id}: the fix is not valid YAML`);
      if (value === null || value === undefined) {
        assert.match(snippet, /^# (kubectl|helm) /m, `${rule.id}: a fix made of comments only must give the command`);
      } else {
        assert.ok(isObj(value), `${rule.id}: the fix is not a YAML mapping`);
      }
    });
  }
});

describe('every fix, applied to an object of the rule\'s kind, passes the rule', () => {
  for (const rule of K8S_RULES) {
    const { value } = parseFix(rule.fix?.kubernetes ?? '');
    if (!isObj(value)) continue;
    test(rule.id, async () => {
      const kind = typeof value['kind'] === 'string' ? value['kind'] : rule.kinds[0]!.slice('k8s:'.length);
      const object = typeof value['kind'] === 'string' ? value : merge(base(kind), asObjectPatch(kind, value));
      const text = stringify(object);
      const a = await analyse([{ path: 'fixed.yaml', text }], [rule]);
      assert.ok(a.resources.some((r) => r.type === kind), `${rule.id}: the fixed ${kind} was not read:\n${text}`);
      const failed = a.findings.filter((f) => f.status === 'fail').map((f) => `line ${f.location.line}: ${f.message}`);
      assert.deepEqual(failed, [], `${rule.id}: the fixed object still fails:\n${text}`);
    });
  }
});

describe('control plane fixes are static pod or kubelet configuration patches', () => {
  for (const rule of K8S_RULES.filter((r) => r.service === 'control-plane' && r.kinds.includes('k8s:Pod'))) {
    test(rule.id, () => {
      const snippet = rule.fix?.kubernetes ?? '';
      assert.match(snippet, /(?:^# \/etc\/kubernetes\/manifests\/[a-z-]+\.yaml|^kind: KubeletConfiguration$|^# the kubelet's flags)/m, rule.id);
    });
  }
});
