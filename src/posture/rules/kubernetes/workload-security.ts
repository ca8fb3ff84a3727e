/**
 * Container hardening beyond the Pod Security Standards: read-only root file system, high
 * UIDs, SYS_ADMIN, NET_RAW, sensitive host paths and writable mounts over system directories.
 */
import type { AttrPath, Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { podRule } from './lib/define.js';
import { containers, csc, cscPath, isWindowsPod, obj, present, psc, pscPath, strings, type ContainerRef, type PodSpecRef } from './lib/pod.js';

const SC_URL = 'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/';

/** Regular and init containers (ephemeral debug containers are attached by hand, not declared). */
function declared(pod: PodSpecRef): ContainerRef[] {
  return containers(pod).filter((c) => c.field !== 'ephemeralContainers');
}

export const readOnlyRootFs = podRule({
  id: 'VGL-K8S-033',
  title: 'Root file system is writable',
  description: 'A writable root file system lets an attacker who gets code execution modify binaries and drop tools in the container. readOnlyRootFilesystem: true with emptyDir volumes for scratch space prevents it.',
  severity: 'low',
  service: 'pod-security',
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Immutable container file systems' },
    { framework: 'nist-800-53-r5', control: 'CM-5' },
  ],
  remediation: 'Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the application writes.',
  fix: { kubernetes: 'securityContext:\n  readOnlyRootFilesystem: true' },
  references: [SC_URL],
  checkPod(pod) {
    return containers(pod)
      .filter((c) => csc(c)?.['readOnlyRootFilesystem'] !== true)
      .map((c) => violation(cscPath(c, 'readOnlyRootFilesystem'), `container "${c.name}" does not set readOnlyRootFilesystem: true`));
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [10], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    securityContext:\n      readOnlyRootFilesystem: false\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    securityContext:\n      readOnlyRootFilesystem: true\n' }],
  },
});

export const MIN_UID = 10000;

export const lowUid = podRule({
  id: 'VGL-K8S-034',
  title: 'Container runs with a low or unknown UID',
  description: `UIDs below ${MIN_UID} can coincide with users of the node (root, system daemons), so a container escape lands with their rights. Each container should run as a UID of ${MIN_UID} or more, set on the container or the pod.`,
  severity: 'low',
  service: 'pod-security',
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Non-root containers and rootless container engines' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: `Set securityContext.runAsUser to ${MIN_UID} or more (and build images with such a USER).`,
  fix: { kubernetes: 'securityContext:\n  runAsUser: 10001\n  runAsGroup: 10001' },
  references: [SC_URL],
  checkPod(pod) {
    if (isWindowsPod(pod)) return [];
    const podUid = psc(pod)?.['runAsUser'];
    const out: Violation[] = [];
    for (const c of declared(pod)) {
      const own = csc(c)?.['runAsUser'];
      const [uid, path]: [unknown, AttrPath] = present(own) ? [own, cscPath(c, 'runAsUser')] : [podUid, present(podUid) ? pscPath(pod, 'runAsUser') : cscPath(c, 'runAsUser')];
      if (!present(uid)) out.push(violation(path, `container "${c.name}" does not set runAsUser`));
      else if (typeof uid === 'number' && uid < MIN_UID) out.push(violation(path, `container "${c.name}" runs as UID ${uid}`));
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [7], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  securityContext:\n    runAsUser: 1000\n  containers:\n  - name: app\n    image: example/app:1.0\n  initContainers:\n  - name: init\n    image: example/init:1.0\n    securityContext:\n      runAsUser: 20000\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  securityContext:\n    runAsUser: 10001\n  containers:\n  - name: app\n    image: example/app:1.0\n' }],
  },
});

function capList(v: unknown): string[] {
  return strings(v).map((c) => c.toUpperCase().replace(/^CAP_/, ''));
}

export const sysAdminCapability = podRule({
  id: 'VGL-K8S-035',
  title: 'Container adds CAP_SYS_ADMIN',
  description: 'SYS_ADMIN is close to full root: it allows mounting file systems, namespace manipulation and many known container escapes. Adding ALL includes it.',
  severity: 'high',
  service: 'pod-security',
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '5.2.9' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Hardening container environments' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Remove SYS_ADMIN (and ALL) from securityContext.capabilities.add; grant narrower capabilities if needed.',
  fix: { kubernetes: 'securityContext:\n  capabilities:\n    drop: ["ALL"]' },
  references: [SC_URL],
  checkPod(pod) {
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const add = obj(csc(c)?.['capabilities'])?.['add'];
      if (!Array.isArray(add)) continue;
      add.forEach((cap, i) => {
        const name = typeof cap === 'string' ? cap.toUpperCase().replace(/^CAP_/, '') : '';
        if (name === 'SYS_ADMIN' || name === 'ALL') out.push(violation(cscPath(c, 'capabilities', 'add', i), `container "${c.name}" adds ${String(cap)}`));
      });
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [11], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    securityContext:\n      capabilities:\n        add: ["SYS_ADMIN"]\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    securityContext:\n      capabilities:\n        add: ["NET_BIND_SERVICE"]\n' }],
  },
});

export const netRawNotDropped = podRule({
  id: 'VGL-K8S-036',
  title: 'NET_RAW capability not dropped',
  description: 'NET_RAW, granted by default by most runtimes, allows crafting raw packets: ARP and DNS spoofing of other pods on the node. Containers should drop it (or ALL).',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '5.2.8' },
    { framework: 'nist-800-53-r5', control: 'SC-7' },
  ],
  remediation: 'Add NET_RAW (or ALL) to securityContext.capabilities.drop.',
  fix: { kubernetes: 'securityContext:\n  capabilities:\n    drop: ["ALL"]' },
  references: [SC_URL],
  checkPod(pod) {
    return declared(pod)
      .filter((c) => {
        const drop = capList(obj(csc(c)?.['capabilities'])?.['drop']);
        return !drop.includes('ALL') && !drop.includes('NET_RAW');
      })
      .map((c) => violation(cscPath(c, 'capabilities', 'drop'), `container "${c.name}" does not drop NET_RAW`));
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [11], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    securityContext:\n      capabilities:\n        drop: ["SYS_TIME"]\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    securityContext:\n      capabilities:\n        drop: ["all"]\n' }],
  },
});

export const WORKLOAD_SECURITY_RULES: readonly Rule[] = [readOnlyRootFs, lowUid, sysAdminCapability, netRawNotDropped];
