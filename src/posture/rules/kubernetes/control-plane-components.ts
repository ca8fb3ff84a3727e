/**
 * kube-controller-manager, kube-scheduler and etcd flags: CIS Kubernetes Benchmark v1.10
 * sections 1.3, 1.4 and 2.
 */
import type { FrameworkControl } from '../../frameworks.js';
import type { Rule } from '../../rule.js';
import { flagRule, must } from './lib/control-plane.js';
import type { Flags } from './lib/flags.js';

const CM = 'kube-controller-manager';
const S = 'kube-scheduler';
const E = 'etcd';
const CP_NSA: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Control plane hardening' };
const ETCD_NSA: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Etcd' };

const LOCALHOST = new Set(['127.0.0.1', 'localhost', '::1']);
const localBind = (f: Flags): string | undefined => {
  const v = f.get('bind-address');
  return v === undefined || LOCALHOST.has(v) ? undefined : `--bind-address is ${v || 'empty'}, not 127.0.0.1`;
};

export const terminatedPodGc = flagRule({
  id: 'VGL-K8S-110', component: CM, cis: '1.3.1', severity: 'low',
  title: 'Terminated pod garbage collection not configured',
  description: 'Without a positive --terminated-pod-gc-threshold terminated pods pile up (or, at 0 or below, are never collected), exhausting etcd and the API server.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-5' }],
  remediation: 'Set --terminated-pod-gc-threshold to a positive value suited to the cluster, for example 10 to 12500.',
  problem: (f) => {
    if (!f.has('terminated-pod-gc-threshold')) return '--terminated-pod-gc-threshold is not set';
    const n = f.num('terminated-pod-gc-threshold');
    return n !== undefined && n <= 0 ? `--terminated-pod-gc-threshold is ${n}: terminated pods are never collected` : undefined;
  },
  bad: ['--terminated-pod-gc-threshold=0'], good: ['--terminated-pod-gc-threshold=10'],
  fix: ['--terminated-pod-gc-threshold=10'],
});

export const controllerManagerProfiling = flagRule({
  id: 'VGL-K8S-111', component: CM, cis: '1.3.2', severity: 'low',
  title: 'Controller manager profiling enabled',
  description: 'Profiling endpoints expose program internals and are on by default.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'CM-7' }],
  remediation: 'Set --profiling=false.',
  problem: must.beFalse('profiling'),
  bad: ['--profiling=true'], good: ['--profiling=false'],
  fix: ['--profiling=false'],
});

export const serviceAccountCredentials = flagRule({
  id: 'VGL-K8S-112', component: CM, cis: '1.3.3', severity: 'medium',
  title: 'Controllers share the controller manager\'s credentials',
  description: 'Unless --use-service-account-credentials=true every controller runs with the controller manager\'s own broad permissions instead of its own narrow service account.',
  frameworks: [{ framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Role-based access control' }, { framework: 'nist-800-53-r5', control: 'AC-6' }],
  remediation: 'Set --use-service-account-credentials=true.',
  problem: must.beTrue('use-service-account-credentials'),
  bad: ['--profiling=false'], good: ['--use-service-account-credentials=true'],
  fix: ['--use-service-account-credentials=true'],
});

export const serviceAccountPrivateKey = flagRule({
  id: 'VGL-K8S-113', component: CM, cis: '1.3.4', severity: 'medium',
  title: 'No service account signing key',
  description: 'Without --service-account-private-key-file service account tokens cannot be signed with a dedicated, rotatable key.',
  frameworks: [{ framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Authentication' }, { framework: 'nist-800-53-r5', control: 'IA-5' }],
  remediation: 'Set --service-account-private-key-file.',
  problem: must.beSet('service-account-private-key-file'),
  bad: ['--profiling=false'], good: ['--service-account-private-key-file=/etc/kubernetes/pki/sa.key'],
  fix: ['--service-account-private-key-file=/etc/kubernetes/pki/sa.key'],
});

export const rootCaFile = flagRule({
  id: 'VGL-K8S-114', component: CM, cis: '1.3.5', severity: 'medium',
  title: 'No root CA file for service account tokens',
  description: 'Without --root-ca-file pods do not receive the API server\'s CA and cannot verify they are talking to the real API server.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }],
  remediation: 'Set --root-ca-file to the cluster CA bundle.',
  problem: must.beSet('root-ca-file'),
  bad: ['--profiling=false'], good: ['--root-ca-file=/etc/kubernetes/pki/ca.crt'],
  fix: ['--root-ca-file=/etc/kubernetes/pki/ca.crt'],
});

const rotateGate = (f: Flags): string | undefined =>
  f.gates().get('RotateKubeletServerCertificate') === 'false' ? '--feature-gates sets RotateKubeletServerCertificate=false' : undefined;

export const rotateServerCertificates = flagRule({
  id: 'VGL-K8S-115', component: CM, cis: '1.3.6', severity: 'medium',
  title: 'Kubelet serving certificate rotation disabled',
  description: 'RotateKubeletServerCertificate=false stops the controller manager from approving rotated kubelet serving certificates, leaving long-lived certificates in place.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-17' }],
  remediation: 'Remove RotateKubeletServerCertificate=false from --feature-gates.',
  problem: rotateGate,
  bad: ['--feature-gates=RotateKubeletServerCertificate=false'], good: ['--feature-gates=RotateKubeletServerCertificate=true'],
  fix: ['# remove RotateKubeletServerCertificate=false from --feature-gates'],
});

export const controllerManagerBind = flagRule({
  id: 'VGL-K8S-116', component: CM, cis: '1.3.7', severity: 'medium',
  title: 'Controller manager listens beyond localhost',
  description: 'The controller manager\'s health and metrics endpoints need no network exposure; binding to another address widens the attack surface.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-7' }],
  remediation: 'Set --bind-address=127.0.0.1.',
  problem: localBind,
  bad: ['--bind-address=0.0.0.0'], good: ['--bind-address=127.0.0.1'],
  fix: ['--bind-address=127.0.0.1'],
});

export const schedulerProfiling = flagRule({
  id: 'VGL-K8S-117', component: S, cis: '1.4.1', severity: 'low',
  title: 'Scheduler profiling enabled',
  description: 'Profiling endpoints expose program internals and are on by default.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'CM-7' }],
  remediation: 'Set --profiling=false.',
  problem: must.beFalse('profiling'),
  bad: ['--profiling=true'], good: ['--profiling=false'],
  fix: ['--profiling=false'],
});

export const schedulerBind = flagRule({
  id: 'VGL-K8S-118', component: S, cis: '1.4.2', severity: 'medium',
  title: 'Scheduler listens beyond localhost',
  description: 'The scheduler\'s health and metrics endpoints need no network exposure; binding to another address widens the attack surface.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-7' }],
  remediation: 'Set --bind-address=127.0.0.1.',
  problem: localBind,
  bad: ['--bind-address=0.0.0.0'], good: ['--bind-address=127.0.0.1'],
  fix: ['--bind-address=127.0.0.1'],
});

export const etcdServerCert = flagRule({
  id: 'VGL-K8S-119', component: E, cis: '2.1', severity: 'high',
  title: 'etcd serves without TLS',
  description: 'Without --cert-file and --key-file etcd serves clients, including the API server, over plain HTTP: every Secret crosses the network in clear text.',
  frameworks: [ETCD_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }],
  remediation: 'Set --cert-file and --key-file.',
  problem: must.both('cert-file', 'key-file'),
  bad: ['--cert-file=/etc/kubernetes/pki/etcd/server.crt'],
  good: ['--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--key-file=/etc/kubernetes/pki/etcd/server.key'],
  fix: ['--cert-file=/etc/kubernetes/pki/etcd/server.crt', '--key-file=/etc/kubernetes/pki/etcd/server.key'],
});

export const etcdClientCertAuth = flagRule({
  id: 'VGL-K8S-120', component: E, cis: '2.2', severity: 'high',
  title: 'etcd does not require client certificates',
  description: 'Unless --client-cert-auth=true anyone who can reach etcd can read and write the whole cluster state.',
  frameworks: [ETCD_NSA, { framework: 'nist-800-53-r5', control: 'IA-3' }],
  remediation: 'Set --client-cert-auth=true and --trusted-ca-file.',
  problem: must.beTrue('client-cert-auth'),
  bad: ['--client-cert-auth=false'], good: ['--client-cert-auth=true'],
  fix: ['--client-cert-auth=true'],
});

export const etcdAutoTls = flagRule({
  id: 'VGL-K8S-121', component: E, cis: '2.3', severity: 'medium',
  title: 'etcd uses self-signed client certificates',
  description: '--auto-tls=true makes etcd generate self-signed certificates that clients cannot verify.',
  frameworks: [ETCD_NSA, { framework: 'nist-800-53-r5', control: 'SC-17' }],
  remediation: 'Remove --auto-tls or set it to false, and configure real certificates.',
  problem: must.notBeTrue('auto-tls'),
  bad: ['--auto-tls=true'], good: ['--auto-tls=false'],
  fix: ['--auto-tls=false  # use --cert-file and --key-file from the cluster CA'],
});

export const etcdPeerCert = flagRule({
  id: 'VGL-K8S-122', component: E, cis: '2.4', severity: 'high',
  title: 'etcd peers communicate without TLS',
  description: 'Without --peer-cert-file and --peer-key-file etcd members replicate the cluster state over plain HTTP.',
  frameworks: [ETCD_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }],
  remediation: 'Set --peer-cert-file and --peer-key-file.',
  problem: must.both('peer-cert-file', 'peer-key-file'),
  bad: ['--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt'],
  good: ['--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key'],
  fix: ['--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt', '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key'],
});

export const etcdPeerClientCertAuth = flagRule({
  id: 'VGL-K8S-123', component: E, cis: '2.5', severity: 'high',
  title: 'etcd does not authenticate its peers',
  description: 'Unless --peer-client-cert-auth=true any host that reaches the peer port can join or impersonate an etcd member.',
  frameworks: [ETCD_NSA, { framework: 'nist-800-53-r5', control: 'IA-3' }],
  remediation: 'Set --peer-client-cert-auth=true and --peer-trusted-ca-file.',
  problem: must.beTrue('peer-client-cert-auth'),
  bad: ['--peer-client-cert-auth=false'], good: ['--peer-client-cert-auth=true'],
  fix: ['--peer-client-cert-auth=true'],
});

export const etcdPeerAutoTls = flagRule({
  id: 'VGL-K8S-124', component: E, cis: '2.6', severity: 'medium',
  title: 'etcd peers use self-signed certificates',
  description: '--peer-auto-tls=true makes etcd members use self-signed certificates that cannot be verified.',
  frameworks: [ETCD_NSA, { framework: 'nist-800-53-r5', control: 'SC-17' }],
  remediation: 'Remove --peer-auto-tls or set it to false.',
  problem: must.notBeTrue('peer-auto-tls'),
  bad: ['--peer-auto-tls=true'], good: ['--peer-auto-tls=false'],
  fix: ['--peer-auto-tls=false  # use --peer-cert-file and --peer-key-file from the etcd CA'],
});

export const COMPONENT_RULES: readonly Rule[] = [
  terminatedPodGc, controllerManagerProfiling, serviceAccountCredentials, serviceAccountPrivateKey, rootCaFile, rotateServerCertificates,
  controllerManagerBind, schedulerProfiling, schedulerBind, etcdServerCert, etcdClientCertAuth, etcdAutoTls, etcdPeerCert,
  etcdPeerClientCertAuth, etcdPeerAutoTls,
];
