/**
 * Kubelet settings, as command-line flags of a kubelet pod and as fields of a
 * KubeletConfiguration file: CIS Kubernetes Benchmark v1.10 section 4.2. Defaults differ
 * between the two (anonymous auth and the read-only port are on by default only as flags).
 */
import { at } from '../../attrs.js';
import type { FrameworkControl } from '../../frameworks.js';
import type { Rule } from '../../rule.js';
import { flagRule, must, type ConfigProblem } from './lib/control-plane.js';
import { durationSeconds } from './lib/flags.js';
import { present, strings } from './lib/pod.js';

const K = 'kubelet';
const NODE_NSA: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Worker node segmentation' };
const AUTHN: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Authentication' };

type Attrs = Readonly<Record<string, unknown>>;

function when(cond: boolean, path: (string | number)[], message: string): ConfigProblem | undefined {
  return cond ? { path, message } : undefined;
}

export const kubeletAnonymousAuth = flagRule({
  id: 'VGL-K8S-125', component: K, cis: '4.2.1', severity: 'high',
  title: 'Kubelet allows anonymous requests',
  description: 'With anonymous authentication on, anyone who reaches the kubelet port is served as system:anonymous; with a permissive authorization mode that means running commands in every pod of the node.',
  frameworks: [AUTHN, NODE_NSA, { framework: 'nist-800-53-r5', control: 'IA-2' }],
  remediation: 'Set --anonymous-auth=false, or authentication.anonymous.enabled: false in the kubelet configuration.',
  problem: must.beFalse('anonymous-auth'),
  bad: ['--read-only-port=0'], good: ['--anonymous-auth=false'],
  fix: ['--anonymous-auth=false'],
  config: {
    problem: (a: Attrs) => when(at(a, ['authentication', 'anonymous', 'enabled']) === true, ['authentication', 'anonymous', 'enabled'], 'authentication.anonymous.enabled is true'),
    bad: 'authentication:\n  anonymous:\n    enabled: true\n', badLine: 5, good: 'authentication:\n  anonymous:\n    enabled: false\n',
  },
});

export const kubeletAlwaysAllow = flagRule({
  id: 'VGL-K8S-126', component: K, cis: '4.2.2', severity: 'critical',
  title: 'Kubelet authorizes every request (AlwaysAllow)',
  description: 'With the AlwaysAllow mode any client the kubelet authenticates (anonymous included) can exec into pods, read logs and secrets mounted on the node.',
  frameworks: [AUTHN, NODE_NSA, { framework: 'nist-800-53-r5', control: 'AC-3' }],
  remediation: 'Use --authorization-mode=Webhook (authorization.mode: Webhook).',
  problem: (f) => (f.list('authorization-mode').includes('AlwaysAllow') ? '--authorization-mode is AlwaysAllow' : undefined),
  bad: ['--authorization-mode=AlwaysAllow'], good: ['--authorization-mode=Webhook'],
  fix: ['--authorization-mode=Webhook'],
  config: {
    problem: (a: Attrs) => when(at(a, ['authorization', 'mode']) === 'AlwaysAllow', ['authorization', 'mode'], 'authorization.mode is AlwaysAllow'),
    bad: 'authorization:\n  mode: AlwaysAllow\n', badLine: 4, good: 'authorization:\n  mode: Webhook\n',
  },
});

export const kubeletClientCa = flagRule({
  id: 'VGL-K8S-127', component: K, cis: '4.2.3', severity: 'high',
  title: 'Kubelet does not authenticate client certificates',
  description: 'Without a client CA the kubelet cannot authenticate the API server (or anyone else) by certificate.',
  frameworks: [AUTHN, NODE_NSA, { framework: 'nist-800-53-r5', control: 'IA-3' }],
  remediation: 'Set --client-ca-file, or authentication.x509.clientCAFile.',
  problem: must.beSet('client-ca-file'),
  bad: ['--anonymous-auth=false'], good: ['--client-ca-file=/etc/kubernetes/pki/ca.crt'],
  fix: ['--client-ca-file=/etc/kubernetes/pki/ca.crt'],
  config: {
    problem: (a: Attrs) => {
      const v = at(a, ['authentication', 'x509', 'clientCAFile']);
      return when(!(typeof v === 'string' && v !== ''), ['authentication', 'x509', 'clientCAFile'], 'authentication.x509.clientCAFile is not set');
    },
    bad: 'authentication:\n  x509: {}\n', badLine: 4, good: 'authentication:\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\n',
  },
});

export const kubeletReadOnlyPort = flagRule({
  id: 'VGL-K8S-128', component: K, cis: '4.2.4', severity: 'medium',
  title: 'Kubelet read-only port open',
  description: 'The read-only port serves pod and node information without any authentication.',
  frameworks: [NODE_NSA, { framework: 'nist-800-53-r5', control: 'AC-3' }],
  remediation: 'Set --read-only-port=0 (readOnlyPort: 0).',
  problem: (f) => (f.has('read-only-port') && f.num('read-only-port') !== 0 ? `--read-only-port is ${f.get('read-only-port')}` : undefined),
  bad: ['--read-only-port=10255'], good: ['--read-only-port=0'],
  fix: ['--read-only-port=0'],
  config: {
    problem: (a: Attrs) => when(present(a['readOnlyPort']) && a['readOnlyPort'] !== 0, ['readOnlyPort'], `readOnlyPort is ${String(a['readOnlyPort'])}`),
    bad: 'readOnlyPort: 10255\n', badLine: 3, good: 'readOnlyPort: 0\n',
  },
});

export const kubeletStreamingTimeout = flagRule({
  id: 'VGL-K8S-129', component: K, cis: '4.2.5', severity: 'low',
  title: 'Kubelet streaming connections never time out',
  description: 'With a streaming idle timeout of 0, exec and port-forward connections stay open forever, exhausting the node.',
  frameworks: [NODE_NSA, { framework: 'nist-800-53-r5', control: 'SC-10' }],
  remediation: 'Set --streaming-connection-idle-timeout (streamingConnectionIdleTimeout) to a non-zero duration such as 5m.',
  problem: (f) => {
    const v = f.get('streaming-connection-idle-timeout');
    return v !== undefined && durationSeconds(v) === 0 ? '--streaming-connection-idle-timeout is 0' : undefined;
  },
  bad: ['--streaming-connection-idle-timeout=0'], good: ['--streaming-connection-idle-timeout=5m'],
  fix: ['--streaming-connection-idle-timeout=5m'],
  config: {
    problem: (a: Attrs) => {
      const v = a['streamingConnectionIdleTimeout'];
      return when((typeof v === 'string' || typeof v === 'number') && durationSeconds(String(v)) === 0, ['streamingConnectionIdleTimeout'], 'streamingConnectionIdleTimeout is 0');
    },
    bad: 'streamingConnectionIdleTimeout: 0s\n', badLine: 3, good: 'streamingConnectionIdleTimeout: 5m0s\n',
  },
});

export const kubeletIptablesChains = flagRule({
  id: 'VGL-K8S-130', component: K, cis: '4.2.6', severity: 'low',
  title: 'Kubelet does not manage iptables utility chains',
  description: 'With --make-iptables-util-chains=false the kubelet does not keep the iptables chains it relies on, and networking rules can drift out of its control.',
  frameworks: [NODE_NSA, { framework: 'nist-800-53-r5', control: 'CM-6' }],
  remediation: 'Remove --make-iptables-util-chains=false (makeIPTablesUtilChains: true).',
  problem: must.notBeFalse('make-iptables-util-chains'),
  bad: ['--make-iptables-util-chains=false'], good: ['--make-iptables-util-chains=true'],
  fix: ['--make-iptables-util-chains=true'],
  config: {
    problem: (a: Attrs) => when(a['makeIPTablesUtilChains'] === false, ['makeIPTablesUtilChains'], 'makeIPTablesUtilChains is false'),
    bad: 'makeIPTablesUtilChains: false\n', badLine: 3, good: 'makeIPTablesUtilChains: true\n',
  },
});

export const kubeletHostnameOverride = flagRule({
  id: 'VGL-K8S-131', component: K, cis: '4.2.7', severity: 'low',
  title: 'Kubelet overrides its host name',
  description: '--hostname-override can make the node name differ from the name in its TLS certificate, breaking certificate verification between the API server and the kubelet.',
  frameworks: [NODE_NSA, { framework: 'nist-800-53-r5', control: 'CM-6' }],
  remediation: 'Remove --hostname-override.',
  problem: must.notBeSet('hostname-override'),
  bad: ['--hostname-override=node-1'], good: ['--read-only-port=0'],
  fix: ['# remove --hostname-override: the node registers under its own host name'],
});

export const kubeletServingCert = flagRule({
  id: 'VGL-K8S-132', component: K, cis: '4.2.9', severity: 'medium',
  title: 'Kubelet serving certificate not configured',
  description: 'Without a serving certificate (or serving certificate bootstrap) the kubelet uses a self-signed certificate the API server cannot verify.',
  frameworks: [NODE_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }],
  remediation: 'Set --tls-cert-file and --tls-private-key-file, or enable serverTLSBootstrap (--rotate-server-certificates).',
  problem: (f) => (f.bool('rotate-server-certificates') === true ? undefined : must.both('tls-cert-file', 'tls-private-key-file')(f)),
  bad: ['--tls-cert-file=/var/lib/kubelet/pki/kubelet.crt'], good: ['--rotate-server-certificates=true'],
  fix: ['--rotate-server-certificates=true  # then approve the kubelet serving CSRs'],
  config: {
    problem: (a: Attrs) => {
      if (a['serverTLSBootstrap'] === true) return undefined;
      const missing = ['tlsCertFile', 'tlsPrivateKeyFile'].filter((k) => !(typeof a[k] === 'string' && a[k] !== ''));
      return when(missing.length > 0, [missing[0]!], `${missing.join(' and ')} not set and serverTLSBootstrap is not true`);
    },
    bad: 'tlsCertFile: /var/lib/kubelet/pki/kubelet.crt\n', badLine: 1, good: 'serverTLSBootstrap: true\n',
  },
});

export const kubeletRotateCertificates = flagRule({
  id: 'VGL-K8S-133', component: K, cis: '4.2.10', severity: 'medium',
  title: 'Kubelet client certificate rotation disabled',
  description: 'With certificate rotation off the kubelet keeps its client certificate until it expires and then loses access, or operators issue long-lived certificates.',
  frameworks: [NODE_NSA, { framework: 'nist-800-53-r5', control: 'SC-17' }],
  remediation: 'Remove --rotate-certificates=false (rotateCertificates: true).',
  problem: must.notBeFalse('rotate-certificates'),
  bad: ['--rotate-certificates=false'], good: ['--rotate-certificates=true'],
  fix: ['--rotate-certificates=true'],
  config: {
    problem: (a: Attrs) => when(a['rotateCertificates'] === false, ['rotateCertificates'], 'rotateCertificates is false'),
    bad: 'rotateCertificates: false\n', badLine: 3, good: 'rotateCertificates: true\n',
  },
});

/** Cipher suites the CIS benchmark accepts for the kubelet. */
export const STRONG_KUBELET_CIPHERS: ReadonlySet<string> = new Set([
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305', 'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_RSA_WITH_AES_256_GCM_SHA384', 'TLS_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
]);

export const kubeletWeakCiphers = flagRule({
  id: 'VGL-K8S-134', component: K, cis: '4.2.12', severity: 'medium',
  title: 'Kubelet allows weak TLS cipher suites',
  description: 'CBC, RC4 and 3DES cipher suites are broken or weak. When the kubelet\'s cipher suites are set they should list only AEAD suites (the Go defaults are strong).',
  frameworks: [NODE_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }, { framework: 'nist-800-53-r5', control: 'SC-13' }],
  remediation: 'List only GCM or ChaCha20-Poly1305 suites in --tls-cipher-suites (tlsCipherSuites), or remove the setting.',
  problem: (f) => {
    const weak = f.list('tls-cipher-suites').filter((c) => !STRONG_KUBELET_CIPHERS.has(c));
    return weak.length > 0 ? `--tls-cipher-suites includes ${weak.join(', ')}` : undefined;
  },
  bad: ['--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256'], good: ['--tls-cipher-suites=TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
  fix: ['--tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'],
  config: {
    problem: (a: Attrs) => {
      const weak = strings(a['tlsCipherSuites']).filter((c) => !STRONG_KUBELET_CIPHERS.has(c));
      return when(weak.length > 0, ['tlsCipherSuites'], `tlsCipherSuites includes ${weak.join(', ')}`);
    },
    bad: 'tlsCipherSuites: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"]\n', badLine: 3,
    good: 'tlsCipherSuites: ["TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"]\n',
  },
});

export const KUBELET_RULES: readonly Rule[] = [
  kubeletAnonymousAuth, kubeletAlwaysAllow, kubeletClientCa, kubeletReadOnlyPort, kubeletStreamingTimeout, kubeletIptablesChains,
  kubeletHostnameOverride, kubeletServingCert, kubeletRotateCertificates, kubeletWeakCiphers,
];
