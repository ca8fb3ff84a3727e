/**
 * PodSecurityPolicy (policy/v1beta1, removed in Kubernetes 1.25 but still found in manifests
 * and older clusters): policies that admit privileged, root or host-level pods.
 */
import type { Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { k8sRule } from './lib/define.js';
import { obj, strings } from './lib/pod.js';

const PSP_URL = 'https://kubernetes.io/docs/concepts/security/pod-security-policy/';
const PSP = ['k8s:PodSecurityPolicy'] as const;
const HEAD = 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: example\nspec:\n';

function spec(attrs: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return obj(attrs['spec']) ?? {};
}

export const pspPrivileged = k8sRule({
  id: 'VGL-K8S-135',
  title: 'PodSecurityPolicy admits privileged containers',
  description: 'A PodSecurityPolicy with privileged: true lets every pod it applies to run privileged containers, with full access to the node.',
  severity: 'high',
  service: 'pod-security',
  kinds: PSP,
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.2.2' }, { framework: 'nist-800-53-r5', control: 'AC-6' }],
  remediation: 'Set privileged: false (and migrate to Pod Security Admission).',
  fix: { kubernetes: 'spec:\n  privileged: false' },
  references: [PSP_URL],
  check: (r) => (spec(r.attrs)['privileged'] === true ? [violation(['spec', 'privileged'], 'the policy allows privileged containers')] : []),
  examples: {
    bad: [{ input: 'kubernetes', lines: [6], text: `${HEAD}  privileged: true\n` }],
    good: [{ input: 'kubernetes', text: `${HEAD}  privileged: false\n` }],
  },
});

export const pspPrivilegeEscalation = k8sRule({
  id: 'VGL-K8S-136',
  title: 'PodSecurityPolicy admits privilege escalation',
  description: 'Unless allowPrivilegeEscalation is false the policy admits containers whose processes can gain more privileges (setuid binaries); the field defaults to true.',
  severity: 'medium',
  service: 'pod-security',
  kinds: PSP,
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.2.6' }, { framework: 'nist-800-53-r5', control: 'AC-6' }],
  remediation: 'Set allowPrivilegeEscalation: false.',
  fix: { kubernetes: 'spec:\n  allowPrivilegeEscalation: false' },
  references: [PSP_URL],
  check: (r) => (spec(r.attrs)['allowPrivilegeEscalation'] === false ? [] : [violation(['spec', 'allowPrivilegeEscalation'], 'the policy allows privilege escalation')]),
  examples: {
    bad: [{ input: 'kubernetes', lines: [6], text: `${HEAD}  allowPrivilegeEscalation: true\n` }],
    good: [{ input: 'kubernetes', text: `${HEAD}  allowPrivilegeEscalation: false\n` }],
  },
});

function rangesAllowZero(strategy: Record<string, unknown>): boolean {
  const ranges = strategy['ranges'];
  return Array.isArray(ranges) && ranges.some((r) => obj(r)?.['min'] === 0);
}

export const pspRootUser = k8sRule({
  id: 'VGL-K8S-137',
  title: 'PodSecurityPolicy admits containers running as root',
  description: 'runAsUser RunAsAny, or a MustRunAs range that includes UID 0, lets pods run as root.',
  severity: 'medium',
  service: 'pod-security',
  kinds: PSP,
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.2.7' }, { framework: 'nist-800-53-r5', control: 'AC-6' }],
  remediation: 'Set runAsUser.rule: MustRunAsNonRoot (or MustRunAs with ranges starting at 1 or above).',
  fix: { kubernetes: 'spec:\n  runAsUser:\n    rule: MustRunAsNonRoot' },
  references: [PSP_URL],
  check(r) {
    const s = obj(spec(r.attrs)['runAsUser']);
    if (s === undefined) return [];
    if (s['rule'] === 'RunAsAny') return [violation(['spec', 'runAsUser', 'rule'], 'runAsUser.rule is RunAsAny')];
    if (s['rule'] === 'MustRunAs' && rangesAllowZero(s)) return [violation(['spec', 'runAsUser'], 'runAsUser ranges include UID 0')];
    return [];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [7], text: `${HEAD}  runAsUser:\n    rule: RunAsAny\n` }],
    good: [{ input: 'kubernetes', text: `${HEAD}  runAsUser:\n    rule: MustRunAsNonRoot\n` }],
  },
});

export const pspRootGroups = k8sRule({
  id: 'VGL-K8S-138',
  title: 'PodSecurityPolicy admits the root group',
  description: 'supplementalGroups or fsGroup with rule RunAsAny, or ranges that include GID 0, let pods run with the root group and own volumes as root.',
  severity: 'low',
  service: 'pod-security',
  kinds: PSP,
  frameworks: [{ framework: 'nist-800-53-r5', control: 'AC-6' }],
  remediation: 'Use rule MustRunAs with ranges starting at 1 or above for supplementalGroups and fsGroup.',
  fix: { kubernetes: 'spec:\n  supplementalGroups:\n    rule: MustRunAs\n    ranges:\n    - min: 1\n      max: 65535\n  fsGroup:\n    rule: MustRunAs\n    ranges:\n    - min: 1\n      max: 65535' },
  references: [PSP_URL],
  check(r) {
    const out: Violation[] = [];
    for (const field of ['supplementalGroups', 'fsGroup'] as const) {
      const s = obj(spec(r.attrs)[field]);
      if (s === undefined) continue;
      if (s['rule'] === 'RunAsAny') out.push(violation(['spec', field, 'rule'], `${field}.rule is RunAsAny`));
      else if (rangesAllowZero(s)) out.push(violation(['spec', field], `${field} ranges include GID 0`));
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [7, 8], text: `${HEAD}  supplementalGroups:\n    rule: RunAsAny\n  fsGroup:\n    rule: MustRunAs\n    ranges:\n    - min: 0\n      max: 65535\n` }],
    good: [{ input: 'kubernetes', text: `${HEAD}  supplementalGroups:\n    rule: MustRunAs\n    ranges:\n    - min: 1\n      max: 65535\n  fsGroup:\n    rule: MustRunAs\n    ranges:\n    - min: 1\n      max: 65535\n` }],
  },
});

export const pspUnmaskedProc = k8sRule({
  id: 'VGL-K8S-139',
  title: 'PodSecurityPolicy admits unmasked /proc',
  description: 'allowedProcMountTypes with Unmasked lets containers see the host kernel interfaces the default /proc masks hide.',
  severity: 'high',
  service: 'pod-security',
  kinds: PSP,
  frameworks: [{ framework: 'nist-800-53-r5', control: 'SC-39' }],
  remediation: 'Allow only the Default proc mount type.',
  fix: { kubernetes: 'spec:\n  allowedProcMountTypes:\n  - Default' },
  references: [PSP_URL],
  check: (r) => (strings(spec(r.attrs)['allowedProcMountTypes']).includes('Unmasked') ? [violation(['spec', 'allowedProcMountTypes'], 'the policy allows the Unmasked proc mount type')] : []),
  examples: {
    bad: [{ input: 'kubernetes', lines: [6], text: `${HEAD}  allowedProcMountTypes:\n  - Unmasked\n` }],
    good: [{ input: 'kubernetes', text: `${HEAD}  allowedProcMountTypes:\n  - Default\n` }],
  },
});

const SECCOMP_DEFAULT = 'seccomp.security.alpha.kubernetes.io/defaultProfileName';
const GOOD_SECCOMP = new Set(['runtime/default', 'docker/default']);

export const pspSeccompDefault = k8sRule({
  id: 'VGL-K8S-140',
  title: 'PodSecurityPolicy sets no default seccomp profile',
  description: 'Without the seccomp defaultProfileName annotation set to runtime/default, pods admitted by the policy run without a seccomp profile.',
  severity: 'medium',
  service: 'pod-security',
  kinds: PSP,
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.7.2' }, { framework: 'nist-800-53-r5', control: 'CM-7' }],
  remediation: `Annotate the policy with ${SECCOMP_DEFAULT}: runtime/default.`,
  fix: { kubernetes: 'metadata:\n  annotations:\n    seccomp.security.alpha.kubernetes.io/allowedProfileNames: runtime/default\n    seccomp.security.alpha.kubernetes.io/defaultProfileName: runtime/default' },
  references: [PSP_URL],
  check(r) {
    const value = obj(obj(r.attrs['metadata'])?.['annotations'])?.[SECCOMP_DEFAULT];
    return typeof value === 'string' && GOOD_SECCOMP.has(value) ? [] : [violation(['metadata', 'annotations', SECCOMP_DEFAULT], 'no runtime/default seccomp profile is applied by default')];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [3], text: 'apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: example\nspec:\n  privileged: false\n' }],
    good: [{ input: 'kubernetes', text: `apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: example\n  annotations:\n    ${SECCOMP_DEFAULT}: runtime/default\nspec:\n  privileged: false\n` }],
  },
});

export const pspHostNamespaces = k8sRule({
  id: 'VGL-K8S-141',
  title: 'PodSecurityPolicy admits host namespaces',
  description: 'hostNetwork, hostPID or hostIPC set to true in a policy lets admitted pods share the node\'s network, process or IPC namespaces.',
  severity: 'high',
  service: 'pod-security',
  kinds: PSP,
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.2.3' }, { framework: 'cis-kubernetes-1.10', control: '5.2.4' }, { framework: 'cis-kubernetes-1.10', control: '5.2.5' }, { framework: 'nist-800-53-r5', control: 'SC-39' }],
  remediation: 'Set hostNetwork, hostPID and hostIPC to false.',
  fix: { kubernetes: 'spec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false' },
  references: [PSP_URL],
  check: (r) => (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((f) => spec(r.attrs)[f] === true).map((f) => violation(['spec', f], `the policy allows ${f}`)),
  examples: {
    bad: [{ input: 'kubernetes', lines: [7], text: `${HEAD}  hostNetwork: false\n  hostPID: true\n` }],
    good: [{ input: 'kubernetes', text: `${HEAD}  hostNetwork: false\n  hostPID: false\n  hostIPC: false\n` }],
  },
});

export const PSP_RULES: readonly Rule[] = [pspPrivileged, pspPrivilegeEscalation, pspRootUser, pspRootGroups, pspUnmaskedProc, pspSeccompDefault, pspHostNamespaces];
