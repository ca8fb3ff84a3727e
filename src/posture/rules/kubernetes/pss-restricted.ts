/**
 * Pod Security Standards, Restricted profile (Kubernetes v1.37): the controls Restricted adds
 * on top of Baseline. Linux-only controls skip pods with spec.os.name windows (since v1.25);
 * runAsNonRoot and runAsUser are relaxed for user-namespaced pods (hostUsers: false, v1.35).
 */
import type { Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { podRule } from './lib/define.js';
import { containers, csc, cscPath, inUserNamespace, isWindowsPod, obj, present, psc, pscPath, strings, volumes } from './lib/pod.js';
import { PSS_URL } from './pss-baseline-host.js';
import { SECCOMP_TYPES, unmaskedProc } from './pss-baseline-profiles.js';

/** Inline volume sources Restricted does not allow (all but the nine allowed ones). */
const RESTRICTED_SOURCES = [
  'hostPath', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd',
  'flexVolume', 'cinder', 'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk',
  'photonPersistentDisk', 'portworxVolume', 'scaleIO', 'storageos',
] as const;

export const pssVolumeTypes = podRule({
  id: 'VGL-K8S-013',
  title: 'Pod uses a volume type Restricted does not allow',
  description: 'Restricted allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes; host paths and in-tree network volumes are forbidden.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-restricted', control: 'Volume Types' },
    { framework: 'nist-800-53-r5', control: 'CM-7' },
  ],
  remediation: 'Use a persistentVolumeClaim (or CSI volume) for storage and configMap, secret or projected volumes for configuration.',
  fix: { kubernetes: 'volumes:\n- name: data\n  persistentVolumeClaim:\n    claimName: data' },
  references: [PSS_URL],
  checkPod(pod) {
    const out: Violation[] = [];
    for (const v of volumes(pod)) {
      for (const source of RESTRICTED_SOURCES) {
        if (present(v.volume[source])) out.push(violation([...v.path, source], `volume "${v.name}" uses restricted volume type ${source}`));
      }
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [11], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: vol\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n  volumes:\n  - name: share\n    nfs:\n      server: nfs.example.com\n      path: /exports\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: vol\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n  volumes:\n  - name: cfg\n    configMap:\n      name: app\n  - name: data\n    persistentVolumeClaim:\n      claimName: data\n' }],
  },
});

export const pssPrivilegeEscalation = podRule({
  id: 'VGL-K8S-014',
  title: 'Privilege escalation not disabled',
  description: 'Unless allowPrivilegeEscalation is false, a process in the container can gain more privileges than its parent (setuid binaries, file capabilities). Restricted requires every container to set it to false.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-restricted', control: 'Privilege Escalation' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.6' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Pod security enforcement' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  fix: { kubernetes: 'securityContext:\n  allowPrivilegeEscalation: false' },
  references: [PSS_URL],
  checkPod(pod) {
    if (isWindowsPod(pod)) return [];
    return containers(pod)
      .filter((c) => csc(c)?.['allowPrivilegeEscalation'] !== false)
      .map((c) => violation(cscPath(c, 'allowPrivilegeEscalation'), `container "${c.name}" does not set allowPrivilegeEscalation=false`));
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [9, 14], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: esc\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      runAsUser: 1000\n  - name: side\n    image: busybox:1.36\n    securityContext:\n      allowPrivilegeEscalation: true\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: esc\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      allowPrivilegeEscalation: false\n' }],
  },
});

export const pssRunAsNonRoot = podRule({
  id: 'VGL-K8S-015',
  title: 'Containers not required to run as non-root',
  description: 'Restricted requires runAsNonRoot: true on the pod or on every container, and forbids setting it to false anywhere; the kubelet then refuses to start a container whose user is root. Pods in a user namespace (hostUsers: false) are exempt since v1.35.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-restricted', control: 'Running as Non-root' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.7' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Non-root containers and rootless container engines' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Set securityContext.runAsNonRoot: true at pod level (and do not set it to false on any container).',
  fix: { kubernetes: 'spec:\n  securityContext:\n    runAsNonRoot: true' },
  references: [PSS_URL],
  checkPod(pod) {
    if (inUserNamespace(pod)) return [];
    const out: Violation[] = [];
    const podValue = psc(pod)?.['runAsNonRoot'];
    if (podValue === false) out.push(violation(pscPath(pod, 'runAsNonRoot'), 'the pod sets runAsNonRoot=false'));
    for (const c of containers(pod)) {
      const v = csc(c)?.['runAsNonRoot'];
      if (v === false) out.push(violation(cscPath(c, 'runAsNonRoot'), `container "${c.name}" sets runAsNonRoot=false`));
      else if (v !== true && podValue !== true) out.push(violation(cscPath(c, 'runAsNonRoot'), `neither the pod nor container "${c.name}" sets runAsNonRoot=true`));
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [7, 13], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: root\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n  - name: side\n    image: busybox:1.36\n    securityContext:\n      runAsUser: 1000\n      runAsNonRoot: false\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: root\nspec:\n  securityContext:\n    runAsNonRoot: true\n  containers:\n  - name: app\n    image: busybox:1.36\n' }],
  },
});

export const pssRunAsUser = podRule({
  id: 'VGL-K8S-016',
  title: 'Container runs as UID 0',
  description: 'runAsUser: 0 runs the container as root. Restricted forbids it on the pod and on every container (pods in a user namespace are exempt since v1.35).',
  severity: 'high',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-restricted', control: 'Running as Non-root user' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.7' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Non-root containers and rootless container engines' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Set runAsUser to a non-zero UID (or remove it and build the image with a non-root USER).',
  fix: { kubernetes: 'securityContext:\n  runAsUser: 10001' },
  references: [PSS_URL],
  checkPod(pod) {
    if (inUserNamespace(pod)) return [];
    const out: Violation[] = [];
    if (psc(pod)?.['runAsUser'] === 0) out.push(violation(pscPath(pod, 'runAsUser'), 'the pod sets runAsUser=0'));
    for (const c of containers(pod)) {
      if (csc(c)?.['runAsUser'] === 0) out.push(violation(cscPath(c, 'runAsUser'), `container "${c.name}" sets runAsUser=0`));
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [7], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: uid\nspec:\n  securityContext:\n    runAsUser: 0\n  containers:\n  - name: app\n    image: busybox:1.36\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: uid\nspec:\n  securityContext:\n    runAsUser: 10001\n  containers:\n  - name: app\n    image: busybox:1.36\n' }],
  },
});

export const pssSeccompRestricted = podRule({
  id: 'VGL-K8S-017',
  title: 'Seccomp profile not set',
  description: 'Restricted requires a RuntimeDefault or Localhost seccomp profile on the pod, or on every container when the pod sets none; without one the container may run unconfined.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-restricted', control: 'Seccomp' },
    { framework: 'cis-kubernetes-1.10', control: '5.7.2' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Hardening container environments' },
    { framework: 'nist-800-53-r5', control: 'CM-7' },
  ],
  remediation: 'Set securityContext.seccompProfile.type: RuntimeDefault at pod level.',
  fix: { kubernetes: 'spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault' },
  references: [PSS_URL, 'https://kubernetes.io/docs/tutorials/security/seccomp/'],
  checkPod(pod) {
    if (isWindowsPod(pod)) return [];
    const out: Violation[] = [];
    const podProfile = obj(psc(pod)?.['seccompProfile']);
    const podType = podProfile?.['type'];
    const podSet = typeof podType === 'string' && SECCOMP_TYPES.has(podType);
    if (podProfile !== undefined && !podSet) out.push(violation(pscPath(pod, 'seccompProfile', 'type'), `the pod sets seccompProfile.type to ${String(podType)}`));
    for (const c of containers(pod)) {
      const profile = obj(csc(c)?.['seccompProfile']);
      const type = profile?.['type'];
      if (profile !== undefined) {
        if (!(typeof type === 'string' && SECCOMP_TYPES.has(type))) out.push(violation(cscPath(c, 'seccompProfile', 'type'), `container "${c.name}" sets seccompProfile.type to ${String(type)}`));
      } else if (!podSet) {
        out.push(violation(cscPath(c, 'seccompProfile'), `neither the pod nor container "${c.name}" sets a RuntimeDefault or Localhost seccomp profile`));
      }
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [7, 13], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sc\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n  - name: side\n    image: busybox:1.36\n    securityContext:\n      seccompProfile:\n        type: Unconfined\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: sc\nspec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app\n    image: busybox:1.36\n' }],
  },
});

export const pssCapabilitiesRestricted = podRule({
  id: 'VGL-K8S-018',
  title: 'Container does not drop ALL capabilities',
  description: 'Restricted requires every container to drop ALL capabilities and to add back at most NET_BIND_SERVICE.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-restricted', control: 'Capabilities' },
    { framework: 'cis-kubernetes-1.10', control: '5.2.10' },
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Hardening container environments' },
    { framework: 'nist-800-53-r5', control: 'AC-6' },
  ],
  remediation: 'Set securityContext.capabilities.drop: ["ALL"] on every container and add only NET_BIND_SERVICE if needed.',
  fix: { kubernetes: 'securityContext:\n  capabilities:\n    drop: ["ALL"]' },
  references: [PSS_URL],
  checkPod(pod) {
    if (isWindowsPod(pod)) return [];
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const caps = obj(csc(c)?.['capabilities']);
      if (!strings(caps?.['drop']).includes('ALL')) out.push(violation(cscPath(c, 'capabilities', 'drop'), `container "${c.name}" does not drop ALL capabilities`));
      const add = caps?.['add'];
      if (!Array.isArray(add)) continue;
      add.forEach((cap, i) => {
        if (present(cap) && cap !== 'NET_BIND_SERVICE') out.push(violation(cscPath(c, 'capabilities', 'add', i), `container "${c.name}" adds capability ${String(cap)}`));
      });
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [7, 14], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: caps\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n  - name: side\n    image: busybox:1.36\n    securityContext:\n      capabilities:\n        drop: ["ALL"]\n        add: ["CHOWN"]\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: caps\nspec:\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      capabilities:\n        drop: ["ALL"]\n        add: ["NET_BIND_SERVICE"]\n' }],
  },
});

export const pssProcMountRestricted = podRule({
  id: 'VGL-K8S-019',
  title: 'Container unmasks /proc in a user-namespaced pod',
  description: 'Restricted (since v1.35) requires the Default proc mount type on every container, also in pods that run in a user namespace where Baseline allows Unmasked.',
  severity: 'medium',
  service: 'pod-security',
  frameworks: [
    { framework: 'pss-restricted', control: '/proc Mount Type' },
    { framework: 'nist-800-53-r5', control: 'SC-39' },
  ],
  remediation: 'Remove securityContext.procMount or set it to Default.',
  fix: { kubernetes: 'securityContext:\n  procMount: Default' },
  references: [PSS_URL],
  checkPod: unmaskedProc,
  examples: {
    bad: [{ input: 'kubernetes', lines: [11], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: proc\nspec:\n  hostUsers: false\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      procMount: Unmasked\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: proc\nspec:\n  hostUsers: false\n  containers:\n  - name: app\n    image: busybox:1.36\n    securityContext:\n      procMount: Default\n' }],
  },
});

export const PSS_RESTRICTED_RULES: readonly Rule[] = [
  pssVolumeTypes, pssPrivilegeEscalation, pssRunAsNonRoot, pssRunAsUser, pssSeccompRestricted, pssCapabilitiesRestricted, pssProcMountRestricted,
];
