/**
 * Builder for control plane flag rules: one check of a component's flags (and, for the
 * kubelet, of the same setting in a KubeletConfiguration file), with examples generated as
 * kubeadm-style static pod manifests.
 */
import type { FrameworkControl } from '../../../frameworks.js';
import type { AttrPath, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { k8sRule } from './define.js';
import { componentContainers, type Component, type Flags } from './flags.js';
import { podOf, POD_KINDS } from './pod.js';

export const CIS_VERSION = 'cis-kubernetes-1.10' as const;

export interface ConfigProblem {
  readonly path: AttrPath;
  readonly message: string;
}

export interface FlagRuleDef {
  readonly id: string;
  readonly component: Component;
  readonly title: string;
  readonly description: string;
  readonly severity: Rule['severity'];
  /** CIS Kubernetes Benchmark v1.10 section, when the benchmark has one. */
  readonly cis?: string;
  readonly frameworks: readonly FrameworkControl[];
  readonly remediation: string;
  /** What is wrong with these flags, or undefined when they are fine. */
  readonly problem: (flags: Flags) => string | undefined;
  /** Flags (after the command) of a failing and of a passing example. */
  readonly bad: readonly string[];
  readonly good: readonly string[];
  /**
   * The fix, as lines under the component's command: flags to set (`--profiling=false`), or
   * a `# remove …` comment for a flag to drop. Kubelet rules with `config` show the
   * KubeletConfiguration fields (`config.good`) and name these flags as the alternative.
   */
  readonly fix: readonly string[];
  /** The same setting in a KubeletConfiguration (kubelet rules only). */
  readonly config?: {
    readonly problem: (attrs: Readonly<Record<string, unknown>>) => ConfigProblem | undefined;
    /** YAML lines after `kind: KubeletConfiguration`, and the line the bad one fails at. */
    readonly bad: string;
    readonly badLine: number;
    readonly good: string;
  };
  readonly references?: readonly string[];
}

const IMAGES: Readonly<Record<Component, string>> = {
  'kube-apiserver': 'registry.k8s.io/kube-apiserver:v1.31.0',
  'kube-controller-manager': 'registry.k8s.io/kube-controller-manager:v1.31.0',
  'kube-scheduler': 'registry.k8s.io/kube-scheduler:v1.31.0',
  etcd: 'registry.k8s.io/etcd:3.5.15-0',
  kubelet: 'registry.k8s.io/kubelet:v1.31.0',
};

/** A static pod running `component` with `flags`; its command key is on line 10. */
export function staticPod(component: Component, flags: readonly string[]): string {
  const args = flags.map((f) => `    - ${f}\n`).join('');
  return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${component}\n  namespace: kube-system\nspec:\n  containers:\n  - name: ${component}\n    image: ${IMAGES[component]}\n    command:\n    - ${component}\n${args}`;
}

const KUBELET_CONFIG_HEAD = 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n';

const DOCS: Readonly<Record<Component, string>> = {
  'kube-apiserver': 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/',
  'kube-controller-manager': 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-controller-manager/',
  'kube-scheduler': 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-scheduler/',
  etcd: 'https://etcd.io/docs/v3.5/op-guide/security/',
  kubelet: 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/',
};

const MANIFESTS: Readonly<Record<Component, string>> = {
  'kube-apiserver': '# /etc/kubernetes/manifests/kube-apiserver.yaml (the kubelet restarts the static pod on save)',
  'kube-controller-manager': '# /etc/kubernetes/manifests/kube-controller-manager.yaml (the kubelet restarts the static pod on save)',
  'kube-scheduler': '# /etc/kubernetes/manifests/kube-scheduler.yaml (the kubelet restarts the static pod on save)',
  etcd: '# /etc/kubernetes/manifests/etcd.yaml (the kubelet restarts the static pod on save)',
  kubelet: '# the kubelet\'s flags (its pod, or KUBELET_EXTRA_ARGS in its systemd drop-in), then: systemctl restart kubelet',
};

/** `fix.kubernetes` of a flag rule: the patched command of the component's container, or the kubelet configuration. */
export function flagFix(component: Component, fix: readonly string[], configGood?: string): string {
  if (configGood !== undefined) {
    const flags = fix.filter((l) => !l.startsWith('#')).map((l) => l.replace(/\s+#.*$/, ''));
    const alt = flags.length > 0 ? `# or the kubelet flag${flags.length > 1 ? 's' : ''} ${flags.join(' ')}` : fix.join('\n');
    return `# /var/lib/kubelet/config.yaml\n${KUBELET_CONFIG_HEAD}${configGood.trimEnd()}\n${alt}; then: systemctl restart kubelet`;
  }
  const lines = fix.map((l) => (l.startsWith('#') ? `    ${l}` : `    - ${l}`)).join('\n');
  return `${MANIFESTS[component]}\nspec:\n  containers:\n  - name: ${component}\n    command:\n    - ${component}\n${lines}`;
}

export function flagRule(def: FlagRuleDef): Rule {
  const config = def.config;
  return k8sRule({
    id: def.id,
    title: def.title,
    description: def.description,
    severity: def.severity,
    service: 'control-plane',
    kinds: config ? [...POD_KINDS, 'k8s:KubeletConfiguration'] : POD_KINDS,
    frameworks: [...(def.cis ? [{ framework: CIS_VERSION, control: def.cis }] : []), ...def.frameworks],
    remediation: def.remediation,
    fix: { kubernetes: flagFix(def.component, def.fix, config?.good) },
    references: [DOCS[def.component], ...(def.references ?? [])],
    check(resource) {
      if (resource.type === 'KubeletConfiguration') {
        const p = config?.problem(resource.attrs);
        return p === undefined ? [] : [violation(p.path, p.message)];
      }
      const pod = podOf(resource);
      if (pod === undefined) return [];
      const out: Violation[] = [];
      for (const cc of componentContainers(pod, def.component)) {
        const p = def.problem(cc.flags);
        if (p !== undefined) out.push(violation(cc.path, `${def.component} (container "${cc.container.name}"): ${p}`));
      }
      return out;
    },
    examples: {
      bad: [
        { input: 'kubernetes', lines: [10], text: staticPod(def.component, def.bad) },
        ...(config ? [{ input: 'kubernetes' as const, file: 'kubelet-config.yaml', lines: [config.badLine], text: `${KUBELET_CONFIG_HEAD}${config.bad}` }] : []),
      ],
      good: [
        { input: 'kubernetes', text: staticPod(def.component, def.good) },
        ...(config ? [{ input: 'kubernetes' as const, file: 'kubelet-config.yaml', text: `${KUBELET_CONFIG_HEAD}${config.good}` }] : []),
      ],
    },
  });
}

/** Convenience checks shared by many flag rules. */
export const must = {
  beSet: (name: string) => (f: Flags) => (f.isSet(name) ? undefined : `--${name} is not set`),
  notBeSet: (name: string) => (f: Flags) => (f.has(name) ? `--${name} is set` : undefined),
  beFalse: (name: string) => (f: Flags) => (f.bool(name) === false ? undefined : `--${name} is ${f.has(name) ? `set to ${f.get(name) || 'true'}` : 'not set to false (default true)'}`),
  notBeFalse: (name: string) => (f: Flags) => (f.bool(name) === false ? `--${name} is set to false` : undefined),
  notBeTrue: (name: string) => (f: Flags) => (f.bool(name) === true ? `--${name} is set to true` : undefined),
  beTrue: (name: string) => (f: Flags) => (f.bool(name) === true ? undefined : `--${name} is ${f.has(name) ? `set to ${f.get(name)}` : 'not set to true'}`),
  atLeast: (name: string, min: number) => (f: Flags) => {
    const n = f.num(name);
    return n !== undefined && n >= min ? undefined : f.has(name) ? `--${name} is ${f.get(name)}, below ${min}` : `--${name} is not set (${min} or more expected)`;
  },
  both: (a: string, b: string) => (f: Flags) => {
    const missing = [a, b].filter((n) => !f.isSet(n));
    return missing.length === 0 ? undefined : `${missing.map((n) => `--${n}`).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not set`;
  },
};
