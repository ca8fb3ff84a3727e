/**
 * Control plane configuration files that are Kubernetes-style objects: the API server's
 * EncryptionConfiguration and audit Policy.
 */
import type { Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { k8sRule } from './lib/define.js';
import { obj, strings, text } from './lib/pod.js';

const STRONG_PROVIDERS = new Set(['kms', 'aescbc', 'secretbox']);

export const encryptionProviders = k8sRule({
  id: 'VGL-K8S-105',
  title: 'Secrets not encrypted by the first encryption provider',
  description: 'The API server encrypts new data with the first provider listed for a resource. When that is identity (or aesgcm, which needs rotation every 200,000 writes), Secrets are written to etcd unencrypted or weakly protected, whatever providers follow.',
  severity: 'high',
  service: 'control-plane',
  kinds: ['k8s:EncryptionConfiguration'],
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '1.2.28' },
    { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Encryption' },
    { framework: 'nist-800-53-r5', control: 'SC-28' },
    { framework: 'pci-dss-4.0', control: '3.5.1' },
  ],
  remediation: 'Put a kms (v2), aescbc or secretbox provider first for secrets; keep identity last only to read old data.',
  fix: { kubernetes: 'resources:\n- resources: ["secrets"]\n  providers:\n  - kms:\n      apiVersion: v2\n      name: my-kms\n      endpoint: unix:///var/run/kms.sock\n  - identity: {}' },
  references: ['https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/'],
  check(resource) {
    const entries = resource.attrs['resources'];
    if (!Array.isArray(entries)) return [violation(['resources'], 'no resources are configured for encryption')];
    const out: Violation[] = [];
    let coversSecrets = false;
    entries.forEach((e, i) => {
      const names = strings(obj(e)?.['resources']);
      if (!names.some((n) => n === 'secrets' || n === '*.*' || n === '*.')) return;
      coversSecrets = true;
      const providers = obj(e)?.['providers'];
      const first = Array.isArray(providers) ? obj(providers[0]) : undefined;
      const name = first === undefined ? undefined : Object.keys(first)[0];
      if (name === undefined || !STRONG_PROVIDERS.has(name)) {
        out.push(violation(['resources', i, 'providers', ...(first ? [0] : [])], `the first provider for ${names.join(', ')} is ${name ?? 'missing'}, not kms, aescbc or secretbox`));
      }
    });
    if (!coversSecrets) out.push(violation(['resources'], 'secrets are not covered by any encryption provider'));
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [7], text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources:\n  - secrets\n  providers:\n  - identity: {}\n  - aescbc:\n      keys:\n      - name: key1\n        secret: c2VjcmV0IGlzIHNlY3VyZSBhbmQgbG9uZyBlbm91Z2g=\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources:\n  - secrets\n  providers:\n  - aescbc:\n      keys:\n      - name: key1\n        secret: c2VjcmV0IGlzIHNlY3VyZSBhbmQgbG9uZyBlbm91Z2g=\n  - identity: {}\n' }],
  },
});

interface AuditNeed {
  readonly group: string;
  readonly resources: readonly string[];
  /** Acceptable levels for the first rule matching the resource. */
  readonly levels: readonly string[];
  readonly why: string;
}

/** What CIS 3.2.2 asks an audit policy to cover. */
const AUDIT_NEEDS: readonly AuditNeed[] = [
  { group: '', resources: ['secrets', 'configmaps'], levels: ['Metadata'], why: 'must be logged at Metadata level (not None, and not with their contents)' },
  { group: 'authentication.k8s.io', resources: ['tokenreviews'], levels: ['Metadata'], why: 'must be logged at Metadata level (not None, and not with the tokens)' },
  { group: '', resources: ['pods/exec', 'pods/attach', 'pods/portforward', 'pods/proxy', 'services/proxy'], levels: ['Metadata', 'Request', 'RequestResponse'], why: 'must be logged' },
];

/** The level of the first policy rule that applies to every request on `group/resource`. */
function auditLevel(rules: readonly unknown[], group: string, resource: string): { level: string; index: number } | undefined {
  const [base, sub] = resource.split('/');
  for (const [index, raw] of rules.entries()) {
    const r = obj(raw);
    if (r === undefined) continue;
    // Rules narrowed to some users, verbs or namespaces do not decide for every request.
    if (['users', 'userGroups', 'verbs', 'namespaces', 'nonResourceURLs'].some((k) => strings(r[k]).length > 0)) continue;
    const selectors = r['resources'];
    const matches =
      !Array.isArray(selectors) || selectors.length === 0
        ? true
        : selectors.some((s) => {
            const g = obj(s)?.['group'];
            const names = strings(obj(s)?.['resources']);
            if ((g ?? '') !== group && g !== '*') return false;
            return names.length === 0 || names.includes(resource) || names.includes('*') || (sub !== undefined && (names.includes(`${base}/*`) || names.includes(`*/${sub}`)));
          });
    if (matches) return { level: typeof r['level'] === 'string' ? r['level'] : 'None', index };
  }
  return undefined;
}

export const auditPolicyCoverage = k8sRule({
  id: 'VGL-K8S-106',
  title: 'Audit policy misses key security events',
  description: 'The audit policy should record access to secrets, config maps and token reviews at Metadata level (never their contents) and record exec, attach, port-forward and proxy requests. Rules are evaluated in order and the first match decides.',
  severity: 'medium',
  service: 'control-plane',
  kinds: ['k8s:Policy'],
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '3.2.2' },
    { framework: 'nsa-cisa-k8s', control: 'Audit logging and threat detection: Logging' },
    { framework: 'nist-800-53-r5', control: 'AU-2' },
    { framework: 'pci-dss-4.0', control: '10.2.1' },
  ],
  remediation: 'Add Metadata-level rules for secrets, configmaps and tokenreviews and a rule logging pods/exec, pods/attach, pods/portforward and the proxy subresources, before any broader rule.',
  fix: { kubernetes: 'rules:\n# first in the list: the first matching rule decides\n- level: Metadata\n  resources:\n  - group: ""\n    resources: ["secrets", "configmaps"]\n  - group: authentication.k8s.io\n    resources: ["tokenreviews"]\n- level: Metadata\n  resources:\n  - group: ""\n    resources: ["pods/exec", "pods/attach", "pods/portforward", "pods/proxy", "services/proxy"]' },
  references: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy'],
  check(resource) {
    if (!text(resource.attrs['apiVersion']).startsWith('audit.k8s.io/')) return [];
    const rules = Array.isArray(resource.attrs['rules']) ? resource.attrs['rules'] : [];
    const out: Violation[] = [];
    for (const need of AUDIT_NEEDS) {
      for (const res of need.resources) {
        const found = auditLevel(rules, need.group, res);
        if (found !== undefined && need.levels.includes(found.level)) continue;
        const path = found === undefined ? ['rules'] : ['rules', found.index, 'level'];
        out.push(violation(path, `${res} ${need.why}; ${found === undefined ? 'no rule matches it' : `rule ${found.index} logs it at ${found.level}`}`));
      }
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [3, 4], text: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse\n  resources:\n  - group: ""\n    resources: ["secrets", "configmaps"]\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: ["RequestReceived"]\nrules:\n- level: Metadata\n  resources:\n  - group: ""\n    resources: ["secrets", "configmaps"]\n  - group: authentication.k8s.io\n    resources: ["tokenreviews"]\n- level: RequestResponse\n  resources:\n  - group: ""\n    resources: ["pods/exec", "pods/attach", "pods/portforward", "pods/proxy", "services/proxy"]\n- level: Metadata\n' }],
  },
});

export const CONFIG_OBJECT_RULES: readonly Rule[] = [encryptionProviders, auditPolicyCoverage];
