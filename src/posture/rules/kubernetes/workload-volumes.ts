/**
 * Host paths that hand the node to the pod (runtime sockets, /, /etc, /proc, kubelet state)
 * and writable volumes mounted over the container's own system directories.
 */
import type { Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { podRule } from './lib/define.js';
import { containers, obj, volumes } from './lib/pod.js';

/** Host directories whose contents (or whose writability) give control over the node. */
const SENSITIVE_DIRS = [
  '/', '/etc', '/root', '/boot', '/proc', '/sys', '/dev', '/run', '/var/run', '/usr', '/bin', '/sbin', '/lib', '/home',
  '/var/lib/kubelet', '/var/lib/docker', '/var/lib/containerd', '/var/lib/etcd', '/etc/kubernetes',
];
/** …and trees whose every file is sensitive. */
const SENSITIVE_TREES = ['/etc/', '/root/', '/boot/', '/proc/', '/var/lib/kubelet/', '/var/lib/etcd/'];

export function normalisePath(p: string): string {
  const collapsed = p.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, '') : collapsed;
}

export function sensitiveHostPath(raw: string): string | undefined {
  const p = normalisePath(raw.trim());
  if (p.endsWith('.sock')) return 'a container runtime or daemon socket';
  if (SENSITIVE_DIRS.includes(p)) return `the node's ${p}`;
  const tree = SENSITIVE_TREES.find((t) => p.startsWith(t));
  return tree === undefined ? undefined : `a file under the node's ${tree}`;
}

export const sensitiveHostPathRule = podRule({
  id: 'VGL-K8S-037',
  title: 'Pod mounts a sensitive host path',
  description: 'Mounting the container runtime socket (docker.sock, containerd.sock, crio.sock), the node\'s root, /etc, /proc, /sys or kubelet state gives the pod control over the node and every pod on it.',
  severity: 'critical',
  service: 'pod-security',
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '5.2.12' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Hardening container environments' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Do not mount runtime sockets or system directories of the node; use the Kubernetes API or a dedicated agent with narrow permissions.',
  fix: { kubernetes: 'volumes:\n- name: scratch\n  emptyDir: {}' },
  references: ['https://kubernetes.io/docs/concepts/storage/volumes/#hostpath'],
  checkPod(pod) {
    const out: Violation[] = [];
    for (const v of volumes(pod)) {
      const path = obj(v.volume['hostPath'])?.['path'];
      if (typeof path !== 'string') continue;
      const what = sensitiveHostPath(path);
      if (what !== undefined) out.push(violation([...v.path, 'hostPath', 'path'], `volume "${v.name}" mounts ${what} (${path})`));
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [15], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n  - name: agent\n    image: example/agent:1.0\n    volumeMounts:\n    - name: docker\n      mountPath: /var/run/docker.sock\n  volumes:\n  - name: docker\n    hostPath:\n      path: /var/run/docker.sock\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  containers:\n  - name: agent\n    image: example/agent:1.0\n  volumes:\n  - name: logs\n    hostPath:\n      path: /var/log/pods\n' }],
  },
});

/**
 * System directories of the container image a writable volume should not replace. Only the
 * directories themselves: data directories below them (/var/lib/postgresql) are normal mounts.
 */
const OS_DIRS = [
  '/bin', '/sbin', '/boot', '/cdrom', '/dev', '/etc', '/home', '/lib', '/lib64', '/media', '/proc', '/root', '/run', '/selinux', '/srv',
  '/usr', '/usr/bin', '/usr/lib', '/usr/local', '/usr/sbin', '/var', '/var/run',
];

function isOsDir(mountPath: string): boolean {
  const p = normalisePath(mountPath.trim());
  return p === '/' || OS_DIRS.includes(p);
}

export const writableSystemMount = podRule({
  id: 'VGL-K8S-038',
  title: 'Writable volume mounted over a system directory',
  description: 'A volume mounted read-write over /, /etc, /usr, /var or another system directory itself lets whatever writes to the volume replace the container\'s binaries and configuration, and usually means a host directory is being shared.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Immutable container file systems' },
    { framework: 'nist-800-53-r5', control: 'CM-5' },
  ],
  remediation: 'Mount the volume elsewhere, or set readOnly: true on the volumeMount.',
  fix: { kubernetes: 'volumeMounts:\n- name: config\n  mountPath: /etc/app\n  readOnly: true' },
  references: ['https://kubernetes.io/docs/concepts/storage/volumes/'],
  checkPod(pod) {
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const mounts = c.container['volumeMounts'];
      if (!Array.isArray(mounts)) continue;
      mounts.forEach((m, i) => {
        const mount = obj(m);
        const mountPath = mount?.['mountPath'];
        if (mount === undefined || typeof mountPath !== 'string' || !isOsDir(mountPath) || mount['readOnly'] === true) return;
        // A mount without readOnly is named by its name, the way reviewers refer to it.
        const at = mount['readOnly'] === undefined || mount['readOnly'] === null ? 'name' : 'readOnly';
        out.push(violation([...c.path, 'volumeMounts', i, at], `container "${c.name}" mounts a writable volume at ${mountPath}`));
      });
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [11], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    volumeMounts:\n    - mountPath: /etc\n      name: host-etc\n  volumes:\n  - name: host-etc\n    emptyDir: {}\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    volumeMounts:\n    - mountPath: /etc/app\n      name: config\n      readOnly: true\n    - mountPath: /data\n      name: data\n  volumes:\n  - name: config\n    configMap:\n      name: app\n  - name: data\n    emptyDir: {}\n' }],
  },
});

export const VOLUME_RULES: readonly Rule[] = [sensitiveHostPathRule, writableSystemMount];
