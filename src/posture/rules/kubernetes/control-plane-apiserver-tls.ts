/**
 * kube-apiserver flags, audit logging, TLS, etcd connection and encryption at rest: CIS
 * Kubernetes Benchmark v1.10 section 1.2 (second half) and removed insecure serving flags.
 */
import type { FrameworkControl } from '../../frameworks.js';
import type { Rule } from '../../rule.js';
import { flagRule, must } from './lib/control-plane.js';
import { durationSeconds } from './lib/flags.js';

const A = 'kube-apiserver';
const CP_NSA: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Control plane hardening' };
const AUDIT_NSA: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Audit logging and threat detection: Logging' };
const ETCD_NSA: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Etcd' };

export const auditLogPath = flagRule({
  id: 'VGL-K8S-086', component: A, cis: '1.2.16', severity: 'medium',
  title: 'API server audit logging disabled',
  description: 'Without --audit-log-path (or an audit webhook) there is no record of who did what in the cluster.',
  frameworks: [AUDIT_NSA, { framework: 'nist-800-53-r5', control: 'AU-2' }, { framework: 'nist-800-53-r5', control: 'AU-12' }, { framework: 'pci-dss-4.0', control: '10.2.1' }],
  remediation: 'Set --audit-log-path (and --audit-policy-file).',
  problem: must.beSet('audit-log-path'),
  bad: ['--profiling=false'], good: ['--audit-log-path=/var/log/kubernetes/audit.log'],
  fix: ['--audit-log-path=/var/log/kubernetes/audit/audit.log', '--audit-policy-file=/etc/kubernetes/audit-policy.yaml'],
});

export const auditLogMaxAge = flagRule({
  id: 'VGL-K8S-087', component: A, cis: '1.2.17', severity: 'low',
  title: 'Audit logs kept for less than 30 days',
  description: '--audit-log-maxage below 30 days (or unset) may delete audit records before an incident is investigated.',
  frameworks: [AUDIT_NSA, { framework: 'nist-800-53-r5', control: 'AU-11' }],
  remediation: 'Set --audit-log-maxage=30 or more.',
  problem: must.atLeast('audit-log-maxage', 30),
  bad: ['--audit-log-maxage=7'], good: ['--audit-log-maxage=30'],
  fix: ['--audit-log-maxage=30'],
});

export const auditLogMaxBackup = flagRule({
  id: 'VGL-K8S-088', component: A, cis: '1.2.18', severity: 'low',
  title: 'Fewer than 10 audit log files retained',
  description: '--audit-log-maxbackup below 10 (or unset) rotates audit records away quickly.',
  frameworks: [AUDIT_NSA, { framework: 'nist-800-53-r5', control: 'AU-11' }],
  remediation: 'Set --audit-log-maxbackup=10 or more.',
  problem: must.atLeast('audit-log-maxbackup', 10),
  bad: ['--audit-log-maxbackup=3'], good: ['--audit-log-maxbackup=10'],
  fix: ['--audit-log-maxbackup=10'],
});

export const auditLogMaxSize = flagRule({
  id: 'VGL-K8S-089', component: A, cis: '1.2.19', severity: 'low',
  title: 'Audit log files smaller than 100 MB',
  description: '--audit-log-maxsize below 100 MB (or unset) rotates audit files very often, so few records survive with a limited number of backups.',
  frameworks: [AUDIT_NSA, { framework: 'nist-800-53-r5', control: 'AU-4' }],
  remediation: 'Set --audit-log-maxsize=100 or more.',
  problem: must.atLeast('audit-log-maxsize', 100),
  bad: ['--audit-log-maxsize=10'], good: ['--audit-log-maxsize=100'],
  fix: ['--audit-log-maxsize=100'],
});

export const MAX_REQUEST_TIMEOUT_SECONDS = 300;

export const requestTimeout = flagRule({
  id: 'VGL-K8S-090', component: A, cis: '1.2.20', severity: 'low',
  title: 'API server request timeout longer than 5 minutes',
  description: 'A long --request-timeout keeps slow or stalled connections open and makes the API server easier to exhaust. The default is 60s; more than 300s is rarely appropriate.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-5' }],
  remediation: 'Remove --request-timeout or set it to 300s or less.',
  problem: (f) => {
    const v = f.get('request-timeout');
    const s = v === undefined ? undefined : durationSeconds(v);
    return s !== undefined && s > MAX_REQUEST_TIMEOUT_SECONDS ? `--request-timeout is ${v}, longer than ${MAX_REQUEST_TIMEOUT_SECONDS}s` : undefined;
  },
  bad: ['--request-timeout=1h'], good: ['--request-timeout=300s'],
  fix: ['--request-timeout=60s  # or remove the flag (default 60s)'],
});

export const serviceAccountLookup = flagRule({
  id: 'VGL-K8S-091', component: A, cis: '1.2.21', severity: 'medium',
  title: 'Service account tokens not checked against etcd',
  description: 'With --service-account-lookup=false a token of a deleted service account stays valid until it expires.',
  frameworks: [{ framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Authentication' }, { framework: 'nist-800-53-r5', control: 'IA-5' }],
  remediation: 'Remove --service-account-lookup=false (the default is true).',
  problem: must.notBeFalse('service-account-lookup'),
  bad: ['--service-account-lookup=false'], good: ['--service-account-lookup=true'],
  fix: ['--service-account-lookup=true'],
});

export const serviceAccountKeyFile = flagRule({
  id: 'VGL-K8S-092', component: A, cis: '1.2.22', severity: 'medium',
  title: 'No service account public key file',
  description: 'Without --service-account-key-file the API server verifies service account tokens with its TLS key, so the keys cannot be rotated independently.',
  frameworks: [{ framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Authentication' }, { framework: 'nist-800-53-r5', control: 'IA-5' }],
  remediation: 'Set --service-account-key-file to the public key matching the controller manager\'s --service-account-private-key-file.',
  problem: must.beSet('service-account-key-file'),
  bad: ['--profiling=false'], good: ['--service-account-key-file=/etc/kubernetes/pki/sa.pub'],
  fix: ['--service-account-key-file=/etc/kubernetes/pki/sa.pub'],
});

export const etcdClientCert = flagRule({
  id: 'VGL-K8S-093', component: A, cis: '1.2.23', severity: 'high',
  title: 'API server has no client certificate for etcd',
  description: 'Without --etcd-certfile and --etcd-keyfile the API server cannot authenticate to etcd, which then has to accept unauthenticated clients.',
  frameworks: [ETCD_NSA, { framework: 'nist-800-53-r5', control: 'IA-3' }],
  remediation: 'Set --etcd-certfile and --etcd-keyfile.',
  problem: must.both('etcd-certfile', 'etcd-keyfile'),
  bad: ['--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt'],
  good: ['--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt', '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key'],
  fix: ['--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt', '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key'],
});

export const apiserverTlsCert = flagRule({
  id: 'VGL-K8S-094', component: A, cis: '1.2.24', severity: 'high',
  title: 'API server serving certificate not configured',
  description: 'Without --tls-cert-file and --tls-private-key-file the API server serves a self-signed certificate clients cannot verify.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }],
  remediation: 'Set --tls-cert-file and --tls-private-key-file.',
  problem: must.both('tls-cert-file', 'tls-private-key-file'),
  bad: ['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt'],
  good: ['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key'],
  fix: ['--tls-cert-file=/etc/kubernetes/pki/apiserver.crt', '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key'],
});

export const apiserverClientCa = flagRule({
  id: 'VGL-K8S-095', component: A, cis: '1.2.25', severity: 'high',
  title: 'API server client certificate authentication not configured',
  description: 'Without --client-ca-file client certificates (used by kubelets, controllers and administrators) are not accepted or verified.',
  frameworks: [{ framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Authentication' }, { framework: 'nist-800-53-r5', control: 'IA-2' }],
  remediation: 'Set --client-ca-file.',
  problem: must.beSet('client-ca-file'),
  bad: ['--profiling=false'], good: ['--client-ca-file=/etc/kubernetes/pki/ca.crt'],
  fix: ['--client-ca-file=/etc/kubernetes/pki/ca.crt'],
});

export const etcdCaFile = flagRule({
  id: 'VGL-K8S-096', component: A, cis: '1.2.26', severity: 'high',
  title: 'API server does not verify etcd\'s certificate',
  description: 'Without --etcd-cafile the API server cannot verify it is talking to the real etcd.',
  frameworks: [ETCD_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }],
  remediation: 'Set --etcd-cafile to the etcd CA certificate.',
  problem: must.beSet('etcd-cafile'),
  bad: ['--profiling=false'], good: ['--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt'],
  fix: ['--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt'],
});

export const encryptionProviderConfig = flagRule({
  id: 'VGL-K8S-097', component: A, cis: '1.2.27', severity: 'medium',
  title: 'Secrets not encrypted at rest in etcd',
  description: 'Without --encryption-provider-config, Secrets are stored in etcd (and its backups) in clear text.',
  frameworks: [ETCD_NSA, { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Encryption' }, { framework: 'nist-800-53-r5', control: 'SC-28' }, { framework: 'pci-dss-4.0', control: '3.5.1' }],
  remediation: 'Set --encryption-provider-config to an EncryptionConfiguration using kms, aescbc or secretbox.',
  problem: must.beSet('encryption-provider-config'),
  bad: ['--profiling=false'], good: ['--encryption-provider-config=/etc/kubernetes/encryption.yaml'],
  fix: ['--encryption-provider-config=/etc/kubernetes/enc/encryption.yaml  # an EncryptionConfiguration with kms, aescbc or secretbox first for secrets'],
});

/** TLS 1.2 cipher suites the CIS benchmark accepts for the API server (TLS 1.3 suites are not configurable). */
export const STRONG_APISERVER_CIPHERS: ReadonlySet<string> = new Set([
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
]);

export const apiserverWeakCiphers = flagRule({
  id: 'VGL-K8S-098', component: A, cis: '1.2.29', severity: 'medium',
  title: 'API server allows weak TLS cipher suites',
  description: 'Cipher suites with RC4, 3DES, CBC-SHA256 or static RSA key exchange are broken or lack forward secrecy. When --tls-cipher-suites is set it should list only strong suites (the Go defaults are strong).',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }, { framework: 'nist-800-53-r5', control: 'SC-13' }, { framework: 'pci-dss-4.0', control: '4.2.1' }],
  remediation: 'List only ECDHE suites with AES-GCM or ChaCha20-Poly1305 in --tls-cipher-suites, or remove the flag.',
  problem: (f) => {
    const weak = f.list('tls-cipher-suites').filter((c) => !STRONG_APISERVER_CIPHERS.has(c));
    return weak.length > 0 ? `--tls-cipher-suites includes ${weak.join(', ')}` : undefined;
  },
  bad: ['--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_RC4_128_SHA'],
  good: ['--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  fix: ['--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256'],
});

export const insecureBindAddress = flagRule({
  id: 'VGL-K8S-100', component: A, severity: 'high',
  title: 'API server insecure bind address set',
  description: '--insecure-bind-address (removed in 1.24) serves the API over plain HTTP without authentication or authorization.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }],
  remediation: 'Remove --insecure-bind-address.',
  problem: must.notBeSet('insecure-bind-address'),
  bad: ['--insecure-bind-address=0.0.0.0'], good: ['--bind-address=0.0.0.0'],
  fix: ['# remove --insecure-bind-address: serve only on the secure port'],
});

export const insecurePort = flagRule({
  id: 'VGL-K8S-101', component: A, severity: 'high',
  title: 'API server insecure port open',
  description: 'A non-zero --insecure-port (removed in 1.24) serves the API over plain HTTP without authentication or authorization.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'AC-3' }],
  remediation: 'Remove --insecure-port or set it to 0.',
  problem: (f) => (f.has('insecure-port') && f.num('insecure-port') !== 0 ? `--insecure-port is ${f.get('insecure-port')}` : undefined),
  bad: ['--insecure-port=8080'], good: ['--insecure-port=0'],
  fix: ['# remove --insecure-port (removed in 1.24; --insecure-port=0 on older releases)'],
});

export const securePortZero = flagRule({
  id: 'VGL-K8S-102', component: A, severity: 'high',
  title: 'API server secure port disabled',
  description: '--secure-port=0 turns off HTTPS serving: clients can only reach the API insecurely, if at all.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }],
  remediation: 'Remove --secure-port=0 (the default is 6443).',
  problem: (f) => (f.num('secure-port') === 0 ? '--secure-port is 0' : undefined),
  bad: ['--secure-port=0'], good: ['--secure-port=6443'],
  fix: ['--secure-port=6443'],
});

export const imagePolicyWebhook = flagRule({
  id: 'VGL-K8S-103', component: A, cis: '5.5.1', severity: 'low',
  title: 'ImagePolicyWebhook admission plugin not enabled',
  description: 'Without an image admission policy (ImagePolicyWebhook or an equivalent policy engine) any image from any registry can run in the cluster.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'CM-7' }, { framework: 'nist-800-53-r5', control: 'SI-7' }],
  remediation: 'Add ImagePolicyWebhook to --enable-admission-plugins with an --admission-control-config-file, or enforce image provenance with a policy engine.',
  problem: (f) => (f.list('enable-admission-plugins').includes('ImagePolicyWebhook') ? undefined : 'ImagePolicyWebhook is not in --enable-admission-plugins'),
  bad: ['--enable-admission-plugins=NodeRestriction'],
  good: ['--enable-admission-plugins=NodeRestriction,ImagePolicyWebhook', '--admission-control-config-file=/etc/kubernetes/admission.yaml'],
  fix: ['--enable-admission-plugins=NodeRestriction,ImagePolicyWebhook  # keep the plugins already listed', '--admission-control-config-file=/etc/kubernetes/admission.yaml  # the ImagePolicyWebhook backend'],
});

export const auditPolicyFile = flagRule({
  id: 'VGL-K8S-104', component: A, cis: '3.2.1', severity: 'medium',
  title: 'No audit policy configured',
  description: 'Without --audit-policy-file the API server records no audit events, even when an audit log path is set.',
  frameworks: [AUDIT_NSA, { framework: 'nist-800-53-r5', control: 'AU-2' }],
  remediation: 'Set --audit-policy-file to a policy that records at least metadata for all requests.',
  problem: must.beSet('audit-policy-file'),
  bad: ['--audit-log-path=/var/log/kubernetes/audit.log'], good: ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml'],
  fix: ['--audit-policy-file=/etc/kubernetes/audit-policy.yaml'],
});

export const APISERVER_TLS_RULES: readonly Rule[] = [
  auditLogPath, auditLogMaxAge, auditLogMaxBackup, auditLogMaxSize, requestTimeout, serviceAccountLookup, serviceAccountKeyFile,
  etcdClientCert, apiserverTlsCert, apiserverClientCa, etcdCaFile, encryptionProviderConfig, apiserverWeakCiphers, insecureBindAddress,
  insecurePort, securePortZero, imagePolicyWebhook, auditPolicyFile,
];
