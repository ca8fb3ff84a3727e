/**
 * Pod Security Standards, Baseline profile (Kubernetes v1.37), the host-access controls:
 * HostProcess, host namespaces, privileged containers, capabilities, hostPath volumes and host
 * ports. Field lists and allowed values follow the pod-security-admission checks.
 */
import type { Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { podRule } from './lib/define.js';
import { containers, csc, cscPath, obj, present, psc, pscPath, volumes } from './lib/pod.js';

export const PSS_URL = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/';

/** Capabilities a Baseline container may add (exact names, as the API server compares them). */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD',
  'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]);

export const pssHostProcess = podRule({
  id: 'VGL-K8S-001',
  title: 'Windows HostProcess containers are used',
  description: 'A HostProcess container runs directly on the Windows node with the privileges of the node. The Baseline profile forbids it at pod and container level.',
  severity: 'high',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'HostProcess' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.11' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Remove securityContext.windowsOptions.hostProcess or set it to false on the pod and every container.',
  fix: { kubernetes: 'securityContext:\n  windowsOptions:\n    hostProcess: false' },
  references: [PSS_URL, 'https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/'],
  checkPod(pod) {
    const out: Violation[] = [];
    if (obj(psc(pod)?.['windowsOptions'])?.['hostProcess'] === true) {
      out.push(violation(pscPath(pod, 'windowsOptions', 'hostProcess'), 'the pod sets securityContext.windowsOptions.hostProcess=true'));
    }
    for (const c of containers(pod)) {
      if (obj(csc(c)?.['windowsOptions'])?.['hostProcess'] === true) {
        out.push(violation(cscPath(c, 'windowsOptions', 'hostProcess'), `container "${c.name}" sets securityContext.windowsOptions.hostProcess=true`));
      }
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [8], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: win\nspec:\n  securityContext:\n    windowsOptions:\n      hostProcess: true\n  hostNetwork: true\n  containers:\n  - name: app\n    image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: win\nspec:\n  containers:\n  - name: app\n    image: mcr.microsoft.com/windows/nanoserver:ltsc2022\n' }],
  },
});

const HOST_NAMESPACES = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

export const pssHostNamespaces = podRule({
  id: 'VGL-K8S-002',
  title: 'Pod shares host namespaces',
  description: 'hostNetwork, hostPID or hostIPC give the pod the node\'s network stack, process table or IPC objects, breaking isolation from the node and from every other pod on it.',
  severity: 'high',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'Host Namespaces' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.3' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.4' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.5' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Pod security enforcement' },
    { framework: 'nist-800-53-r5', control: 'SC-39' },
  ],
  remediation: 'Remove hostNetwork, hostPID and hostIPC from the pod spec or set them to false.',
  fix: { kubernetes: 'spec:\n  hostNetwork: false\n  hostPID: false\n  hostIPC: false' },
  references: [PSS_URL],
  checkPod(pod) {
    return HOST_NAMESPACES.filter((f) => pod.spec[f] === true).map((f) => violation([...pod.path, f], `the pod sets ${f}=true`));
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [9, 10], text: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      hostIPC: false\n      hostNetwork: true\n      hostPID: true\n      containers:\n      - name: agent\n        image: example/agent:1.0\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: agent\nspec:\n  template:\n    spec:\n      hostNetwork: false\n      containers:\n      - name: agent\n        image: example/agent:1.0\n' }],
  },
});

export const pssPrivileged = podRule({
  id: 'VGL-K8S-003',
  title: 'Privileged container',
  description: 'A privileged container has every capability and access to all host devices; it can take over the node. The Baseline profile forbids it.',
  severity: 'critical',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'Privileged Containers' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.2' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Non-root containers and rootless container engines' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Remove securityContext.privileged or set it to false; grant only the specific capabilities the workload needs.',
  fix: { kubernetes: 'securityContext:\n  privileged: false' },
  references: [PSS_URL],
  checkPod(pod) {
    return containers(pod)
      .filter((c) => csc(c)?.['privileged'] === true)
      .map((c) => violation(cscPath(c, 'privileged'), `container "${c.name}" is privileged`));
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [10], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: priv\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      privileged: true\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: priv\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      privileged: false\n' }],
  },
});

export const pssCapabilitiesBaseline = podRule({
  id: 'VGL-K8S-004',
  title: 'Container adds capabilities beyond the Baseline set',
  description: 'Adding capabilities outside the container runtime\'s default set (such as SYS_ADMIN, NET_ADMIN or NET_RAW) lets a container escape its isolation. Names are compared exactly: CAP_ prefixes and lower case are not allowed.',
  severity: 'high',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'Capabilities' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.9' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Only add capabilities from AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID, SYS_CHROOT.',
  fix: { kubernetes: 'securityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]' },
  references: [PSS_URL],
  checkPod(pod) {
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const add = obj(csc(c)?.['capabilities'])?.['add'];
      if (!Array.isArray(add)) continue;
      add.forEach((cap, i) => {
        if (typeof cap === 'string' && !BASELINE_CAPABILITIES.has(cap)) {
          out.push(violation(cscPath(c, 'capabilities', 'add', i), `container "${c.name}" adds capability ${cap}`));
        }
      });
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [12], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: caps\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      capabilities:\n        add:\n        - NET_ADMIN\n        - CHOWN\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: caps\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      capabilities:\n        add: ["CHOWN", "NET_BIND_SERVICE"]\n' }],
  },
});

export const pssHostPathVolumes = podRule({
  id: 'VGL-K8S-005',
  title: 'Pod mounts a hostPath volume',
  description: 'A hostPath volume exposes the node\'s file system to the pod; with write access it leads to node compromise. The Baseline profile forbids hostPath volumes.',
  severity: 'high',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'HostPath Volumes' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.12' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes.',
  fix: { kubernetes: 'volumes:\n- name: data\n  emptyDir: {}' },
  references: [PSS_URL, 'https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
  checkPod(pod) {
    return volumes(pod)
      .filter((v) => present(v.volume['hostPath']))
      .map((v) => violation([...v.path, 'hostPath'], `volume "${v.name}" is a hostPath volume`));
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [11], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: hp\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n  volumes:\n  - name: host\n    hostPath:\n      path: /var/log\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: hp\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n  volumes:\n  - name: scratch\n    emptyDir: {}\n' }],
  },
});

export const pssHostPorts = podRule({
  id: 'VGL-K8S-006',
  title: 'Container binds a host port',
  description: 'A hostPort binds the container to a port on the node\'s own interfaces, bypassing Services and NetworkPolicies and limiting scheduling. The Baseline profile forbids non-zero host ports.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-baseline', control: 'Host Ports' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.13' },
    { framework: 'nist-800-53-r5', control: 'SC-7' },
  ],
  remediation: 'Remove hostPort from the container ports and expose the workload through a Service.',
  fix: { kubernetes: 'ports:\n- containerPort: 8080' },
  references: [PSS_URL],
  checkPod(pod) {
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const ports = c.container['ports'];
      if (!Array.isArray(ports)) continue;
      ports.forEach((p, i) => {
        const hp = obj(p)?.['hostPort'];
        if (present(hp) && hp !== 0 && hp !== '0') out.push(violation([...c.path, 'ports', i, 'hostPort'], `container "${c.name}" uses hostPort ${String(hp)}`));
      });
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [10], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: hostport\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports:\n    - hostPort: 8080\n      containerPort: 80\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: hostport\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n    ports:\n    - containerPort: 80\n      hostPort: 0\n' }],
  },
});

export const PSS_BASELINE_HOST_RULES: readonly Rule[] = [
  pssHostProcess, pssHostNamespaces, pssPrivileged, pssCapabilitiesBaseline, pssHostPathVolumes, pssHostPorts,
];
