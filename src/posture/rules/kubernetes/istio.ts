/**
 * Istio security resources: PeerAuthentication that does not enforce mutual TLS and
 * AuthorizationPolicy that allows every request.
 */
import type { Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { k8sRule } from './lib/define.js';
import { apiGroup, obj } from './lib/pod.js';

/** Istio's default root namespace: policies there without a selector apply to the whole mesh. */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';
const WEAK_MODES = new Set(['PERMISSIVE', 'DISABLE']);

function isIstioSecurity(apiVersion: string): boolean {
  return apiVersion === 'security.istio.io';
}

export const peerAuthNotStrict = k8sRule({
  id: 'VGL-K8S-142',
  title: 'Istio mutual TLS not enforced',
  description: 'A PeerAuthentication in PERMISSIVE or DISABLE mode (for the workload or for some of its ports) accepts plain-text traffic, so any pod can reach the workload unauthenticated and unencrypted. A mesh-wide policy in the root namespace without mode STRICT leaves the mesh default (PERMISSIVE) in place.',
  severity: 'high',
  service: 'istio',
  kinds: ['k8s:PeerAuthentication'],
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Encryption' },
    { framework: 'nist-800-53-r5', control: 'SC-8' },
    { framework: 'pci-dss-4.0', control: '4.2.1' },
  ],
  remediation: 'Set spec.mtls.mode: STRICT (mesh-wide in the root namespace) and remove PERMISSIVE/DISABLE port-level overrides.',
  fix: { kubernetes: 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICT' },
  references: ['https://istio.io/latest/docs/reference/config/security/peer_authentication/'],
  check(resource) {
    if (!isIstioSecurity(apiGroup(resource))) return [];
    const spec = obj(resource.attrs['spec']) ?? {};
    const out: Violation[] = [];
    const mode = obj(spec['mtls'])?.['mode'];
    if (typeof mode === 'string' && WEAK_MODES.has(mode)) out.push(violation(['spec', 'mtls', 'mode'], `mutual TLS mode is ${mode}`));
    else if (resource.namespace === ISTIO_ROOT_NAMESPACE && spec['selector'] === undefined && mode !== 'STRICT') {
      out.push(violation(['spec', 'mtls', 'mode'], 'the mesh-wide policy does not set mode STRICT (the mesh default is PERMISSIVE)'));
    }
    for (const [port, setting] of Object.entries(obj(spec['portLevelMtls']) ?? {})) {
      const m = obj(setting)?.['mode'];
      if (typeof m === 'string' && WEAK_MODES.has(m)) out.push(violation(['spec', 'portLevelMtls', port, 'mode'], `mutual TLS mode for port ${port} is ${m}`));
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [9, 12], text: 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  mtls: {mode: PERMISSIVE}\n  portLevelMtls:\n    "8080":\n      mode: DISABLE\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: istio-system\nspec:\n  mtls:\n    mode: STRICT\n' }],
  },
});

export const authorizationAllowAll = k8sRule({
  id: 'VGL-K8S-143',
  title: 'Istio AuthorizationPolicy allows every request',
  description: 'An ALLOW policy (the default action) with an empty rule ({} or a rule without from, to and when) matches every request, overriding the deny-by-default that any ALLOW policy otherwise creates. In the root namespace without a selector it opens the whole mesh.',
  severity: 'high',
  service: 'istio',
  kinds: ['k8s:AuthorizationPolicy'],
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Network policies' },
    { framework: 'nist-800-53-r5', control: 'AC-3' },
    { framework: 'nist-800-53-r5', control: 'SC-7' },
  ],
  remediation: 'Give every ALLOW rule a from (principals or namespaces), to (operations) or when condition.',
  fix: { kubernetes: 'spec:\n  action: ALLOW\n  rules:\n  - from:\n    - source:\n        principals: ["cluster.local/ns/shop/sa/frontend"]\n    to:\n    - operation:\n        methods: ["GET"]' },
  references: ['https://istio.io/latest/docs/reference/config/security/authorization-policy/'],
  check(resource) {
    if (!isIstioSecurity(apiGroup(resource))) return [];
    const spec = obj(resource.attrs['spec']) ?? {};
    const action = spec['action'] ?? 'ALLOW';
    if (action !== 'ALLOW') return [];
    const rules = spec['rules'];
    if (!Array.isArray(rules)) return [];
    const meshWide = resource.namespace === ISTIO_ROOT_NAMESPACE && spec['selector'] === undefined && spec['targetRef'] === undefined && spec['targetRefs'] === undefined;
    const scope = meshWide ? 'every workload in the mesh' : spec['selector'] === undefined ? `every workload in namespace ${resource.namespace ?? 'default'}` : 'the selected workloads';
    return rules.flatMap((r, i) => {
      const rule = obj(r);
      const constrained = rule !== undefined && ['from', 'to', 'when'].some((k) => Array.isArray(rule[k]) && rule[k].length > 0);
      return constrained || (r !== null && rule === undefined) ? [] : [violation(['spec', 'rules', i], `rule ${i} has no from, to or when: it allows any request to ${scope}`)];
    });
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [9], text: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: allow-all\n  namespace: istio-system\nspec:\n  action: ALLOW\n  rules:\n  - {}\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: frontend-to-api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  action: ALLOW\n  rules:\n  - from:\n    - source:\n        principals: ["cluster.local/ns/shop/sa/frontend"]\n' }],
  },
});

export const ISTIO_RULES: readonly Rule[] = [peerAuthNotStrict, authorizationAllowAll];
