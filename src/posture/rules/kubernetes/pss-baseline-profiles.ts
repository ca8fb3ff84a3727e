/**
 * Pod Security Standards, Baseline profile (Kubernetes v1.37), the remaining controls: host
 * probes / lifecycle hooks, AppArmor, SELinux, /proc mount type, seccomp and sysctls.
 */
import type { AttrPath } from '../../model.js';
import type { Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { podRule } from './lib/define.js';
import { containers, csc, cscPath, inUserNamespace, obj, present, psc, pscPath, text, type PodSpecRef } from './lib/pod.js';
import { PSS_URL } from './pss-baseline-host.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HOOKS = ['postStart', 'preStop'] as const;
const HANDLERS = ['httpGet', 'tcpSocket'] as const;

export const pssHostProbes = podRule({
  id: 'VGL-K8S-007',
  title: 'Probe or lifecycle hook targets another host',
  description: 'The host field of an httpGet or tcpSocket probe or lifecycle handler makes the kubelet connect to an arbitrary address from the node, a server-side request forgery path. Baseline (since v1.34) allows only an empty host.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'Host Probes / Lifecycle Hooks' },
    { framework: 'nist-800-53-r5', control: 'SC-7' },
  ],
  remediation: 'Remove the host field from probes and lifecycle handlers; the kubelet then targets the pod IP.',
  fix: { kubernetes: 'livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080' },
  references: [PSS_URL, 'https://github.com/kubernetes/enhancements/issues/4940'],
  checkPod(pod) {
    const out: Violation[] = [];
    const check = (handler: unknown, path: AttrPath, what: string, name: string): void => {
      for (const h of HANDLERS) {
        const host = obj(obj(handler)?.[h])?.['host'];
        if (typeof host === 'string' && host !== '') out.push(violation([...path, h, 'host'], `container "${name}" ${what} ${h} targets host ${host}`));
      }
    };
    for (const c of containers(pod)) {
      for (const p of PROBES) check(c.container[p], [...c.path, p], p, c.name);
      const lifecycle = obj(c.container['lifecycle']);
      for (const h of HOOKS) check(lifecycle?.[h], [...c.path, 'lifecycle', h], `lifecycle ${h}`, c.name);
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [11], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    livenessProbe:\n      httpGet:\n        host: 169.254.169.254\n        port: 80\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    livenessProbe:\n      httpGet:\n        path: /healthz\n        port: 80\n' }],
  },
});

const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
const APPARMOR_TYPES = new Set(['RuntimeDefault', 'Localhost']);

function profileType(
  profile: unknown,
  path: AttrPath,
  allowed: ReadonlySet<string>,
  who: string,
  field: string,
): Violation | undefined {
  const p = obj(profile);
  if (p === undefined) return undefined;
  const type = p['type'];
  if (typeof type === 'string' && allowed.has(type)) return undefined;
  return violation(present(type) ? [...path, 'type'] : path, `${who} sets ${field}.type to ${typeof type === 'string' ? type : 'nothing'}`);
}

export const pssAppArmor = podRule({
  id: 'VGL-K8S-008',
  title: 'AppArmor profile disabled or overridden',
  description: 'An Unconfined AppArmor profile removes the mandatory access control the runtime applies by default. Baseline allows only RuntimeDefault or Localhost profiles, in the appArmorProfile fields and in the legacy container.apparmor.security.beta.kubernetes.io annotations.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'AppArmor' },
    { framework: 'nist-800-53-r5', control: 'AC-3' },
  ],
  remediation: 'Set securityContext.appArmorProfile.type to RuntimeDefault (or Localhost with a profile) and remove unconfined annotations.',
  fix: { kubernetes: 'securityContext:\n  appArmorProfile:\n    type: RuntimeDefault' },
  references: [PSS_URL, 'https://kubernetes.io/docs/tutorials/security/apparmor/'],
  checkPod(pod) {
    const out: Violation[] = [];
    const p = profileType(psc(pod)?.['appArmorProfile'], pscPath(pod, 'appArmorProfile'), APPARMOR_TYPES, 'the pod', 'appArmorProfile');
    if (p) out.push(p);
    for (const c of containers(pod)) {
      const v = profileType(csc(c)?.['appArmorProfile'], cscPath(c, 'appArmorProfile'), APPARMOR_TYPES, `container "${c.name}"`, 'appArmorProfile');
      if (v) out.push(v);
    }
    const annotations = obj(pod.metadata['annotations']) ?? {};
    for (const [key, value] of Object.entries(annotations)) {
      if (!key.startsWith(APPARMOR_PREFIX)) continue;
      const ok = value === null || value === '' || value === 'runtime/default' || (typeof value === 'string' && value.startsWith('localhost/'));
      if (!ok) out.push(violation([...pod.metadataPath, 'annotations', key], `annotation ${key} sets AppArmor profile ${text(value)}`));
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [6, 15], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: aa\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: unconfined\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n  - name: side\n    image: busybox:1.36\n    securityContext:\n      appArmorProfile:\n        type: Unconfined\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: aa\n  annotations:\n    container.apparmor.security.beta.kubernetes.io/app: localhost/k8s-app\nspec:\n  securityContext:\n    appArmorProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app\n    image: busybox:1.36\n' }],
  },
});

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);

function seLinux(opts: unknown, path: AttrPath, who: string): Violation[] {
  const o = obj(opts);
  if (o === undefined) return [];
  const out: Violation[] = [];
  const type = o['type'];
  if (present(type) && !(typeof type === 'string' && SELINUX_TYPES.has(type))) out.push(violation([...path, 'type'], `${who} sets SELinux type ${String(type)}`));
  for (const f of ['user', 'role'] as const) {
    const v = o[f];
    if (present(v) && v !== '') out.push(violation([...path, f], `${who} sets SELinux ${f} ${String(v)}`));
  }
  return out;
}

export const pssSeLinux = podRule({
  id: 'VGL-K8S-009',
  title: 'Custom SELinux user, role or type',
  description: 'Setting a custom SELinux user or role, or a type other than the container types, can give a container the host\'s SELinux context. Baseline allows only the container_t, container_init_t, container_kvm_t and container_engine_t types.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'SELinux' },
    { framework: 'nist-800-53-r5', control: 'AC-3' },
  ],
  remediation: 'Remove seLinuxOptions.user and seLinuxOptions.role and use one of the container SELinux types (or none).',
  fix: { kubernetes: 'securityContext:\n  seLinuxOptions:\n    level: "s0:c123,c456"' },
  references: [PSS_URL],
  checkPod(pod) {
    return [
      ...seLinux(psc(pod)?.['seLinuxOptions'], pscPath(pod, 'seLinuxOptions'), 'the pod'),
      ...containers(pod).flatMap((c) => seLinux(csc(c)?.['seLinuxOptions'], cscPath(c, 'seLinuxOptions'), `container "${c.name}"`)),
    ];
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [8, 9], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: se\nspec:\n  securityContext:\n    seLinuxOptions:\n      type: spc_t\n      user: system_u\n  containers:\n  - name: app\n    image: busybox:1.36\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: se\nspec:\n  securityContext:\n    seLinuxOptions:\n      type: container_t\n      level: "s0:c1,c2"\n  containers:\n  - name: app\n    image: busybox:1.36\n' }],
  },
});

/** Containers whose procMount is set to anything but Default. */
export function unmaskedProc(pod: PodSpecRef): Violation[] {
  return containers(pod)
    .filter((c) => present(csc(c)?.['procMount']) && csc(c)?.['procMount'] !== 'Default')
    .map((c) => violation(cscPath(c, 'procMount'), `container "${c.name}" sets procMount ${String(csc(c)?.['procMount'])}`));
}

export const pssProcMountBaseline = podRule({
  id: 'VGL-K8S-010',
  title: 'Container unmasks /proc',
  description: 'The default /proc masks hide kernel interfaces from the container. Baseline requires the Default proc mount type, except in pods that run in a user namespace (hostUsers: false), where Unmasked is allowed since v1.35.',
  severity: 'high',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: '/proc Mount Type' },
    { framework: 'nist-800-53-r5', control: 'SC-39' },
  ],
  remediation: 'Remove securityContext.procMount or set it to Default.',
  fix: { kubernetes: 'securityContext:\n  procMount: Default' },
  references: [PSS_URL],
  checkPod(pod) {
    return inUserNamespace(pod) ? [] : unmaskedProc(pod);
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [10], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: proc\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      procMount: Unmasked\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: proc\nspec:\n  hostUsers: false\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      procMount: Unmasked\n' }],
  },
});

export const SECCOMP_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** Seccomp profiles set to something other than RuntimeDefault or Localhost. */
export function badSeccomp(pod: PodSpecRef): Violation[] {
  const out: Violation[] = [];
  const p = profileType(psc(pod)?.['seccompProfile'], pscPath(pod, 'seccompProfile'), SECCOMP_TYPES, 'the pod', 'seccompProfile');
  if (p) out.push(p);
  for (const c of containers(pod)) {
    const v = profileType(csc(c)?.['seccompProfile'], cscPath(c, 'seccompProfile'), SECCOMP_TYPES, `container "${c.name}"`, 'seccompProfile');
    if (v) out.push(v);
  }
  return out;
}

export const pssSeccompBaseline = podRule({
  id: 'VGL-K8S-011',
  title: 'Seccomp explicitly disabled',
  description: 'An Unconfined seccomp profile lets the container call every system call of the host kernel. Baseline forbids setting the profile to anything but RuntimeDefault or Localhost.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'Seccomp' },
    { framework: 'cis-kubernetes-1.10', control: '5.7.2' },
    { framework: 'nist-800-53-r5', control: 'CM-7' },
  ],
  remediation: 'Set seccompProfile.type to RuntimeDefault (or Localhost with a profile).',
  fix: { kubernetes: 'securityContext:\n  seccompProfile:\n    type: RuntimeDefault' },
  references: [PSS_URL, 'https://kubernetes.io/docs/tutorials/security/seccomp/'],
  checkPod: badSeccomp,
  examples: {
    bad: [{ input: 'kubernetes', lines: [8], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sc\nspec:\n  securityContext:\n    seccompProfile:\n      type: Unconfined\n  containers:\n  - name: app\n    image: busybox:1.36\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sc\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      seccompProfile:\n        type: Localhost\n        localhostProfile: profiles/app.json\n' }],
  },
});

/** Namespaced sysctls isolated from other pods: the Pod Security Standards safe set as of v1.37. */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.ip_local_reserved_ports', // v1.27
  'net.ipv4.tcp_keepalive_time', // v1.29
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
  'net.ipv4.tcp_rmem', // v1.32
  'net.ipv4.tcp_wmem',
  'net.ipv4.tcp_slow_start_after_idle', // v1.37
  'net.ipv4.tcp_notsent_lowat',
]);

export const pssSysctls = podRule({
  id: 'VGL-K8S-012',
  title: 'Unsafe sysctl set',
  description: 'Sysctls outside the safe, namespaced set can disable kernel protections or affect every pod on the node. Names are compared exactly (the slash-separated form is not in the safe set).',
  severity: 'high',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'Sysctls' },
    { framework: 'nist-800-53-r5', control: 'CM-7' },
  ],
  remediation: 'Only set sysctls from the Pod Security Standards safe set, or run the workload on dedicated nodes under a privileged policy.',
  fix: { kubernetes: 'securityContext:\n  sysctls:\n  - name: net.ipv4.ip_local_port_range\n    value: "1024 65535"' },
  references: [PSS_URL, 'https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/'],
  checkPod(pod) {
    const list = psc(pod)?.['sysctls'];
    if (!Array.isArray(list)) return [];
    const out: Violation[] = [];
    list.forEach((s, i) => {
      const name = obj(s)?.['name'];
      if (present(name) && !(typeof name === 'string' && SAFE_SYSCTLS.has(name))) out.push(violation(pscPath(pod, 'sysctls', i, 'name'), `sysctl ${String(name)} is not in the safe set`));
    });
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [10], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sys\nspec:\n  securityContext:\n    sysctls:\n    - name: kernel.shm_rmid_forced\n      value: "0"\n    - name: net.core.somaxconn\n      value: "1024"\n  containers:\n  - name: app\n    image: busybox:1.36\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sys\nspec:\n  securityContext:\n    sysctls:\n    - name: net.ipv4.tcp_keepalive_time\n      value: "600"\n  containers:\n  - name: app\n    image: busybox:1.36\n' }],
  },
});

export const PSS_BASELINE_PROFILE_RULES: readonly Rule[] = [
  pssHostProbes, pssAppArmor, pssSeLinux, pssProcMountBaseline, pssSeccompBaseline, pssSysctls,
];
