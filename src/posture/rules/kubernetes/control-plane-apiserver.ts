/**
 * kube-apiserver flags, authentication and authorization: CIS Kubernetes Benchmark v1.10
 * section 1.2 (first half) and removed-but-dangerous flags (basic auth, kubelet HTTP).
 */
import type { FrameworkControl } from '../../frameworks.js';
import type { Rule } from '../../rule.js';
import { flagRule, must } from './lib/control-plane.js';
import type { Flags } from './lib/flags.js';

const A = 'kube-apiserver';
const CP_NSA: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Control plane hardening' };
const AUTHN: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Authentication' };
const AUTHZ: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Role-based access control' };

export const apiserverAnonymousAuth = flagRule({
  id: 'VGL-K8S-070', component: A, cis: '1.2.1', severity: 'medium',
  title: 'API server allows anonymous requests',
  description: 'Unless --anonymous-auth=false, requests without credentials are served as system:anonymous; any RBAC grant to that user or to system:unauthenticated is then open to the network.',
  frameworks: [AUTHN, { framework: 'nist-800-53-r5', control: 'IA-2' }],
  remediation: 'Set --anonymous-auth=false (or restrict anonymous access to health endpoints with an AuthenticationConfiguration).',
  problem: must.beFalse('anonymous-auth'),
  bad: ['--authorization-mode=Node,RBAC'], good: ['--anonymous-auth=false'],
  fix: ['--anonymous-auth=false'],
});

export const apiserverTokenAuthFile = flagRule({
  id: 'VGL-K8S-071', component: A, cis: '1.2.2', severity: 'high',
  title: 'API server uses a static token file',
  description: 'Static bearer tokens (--token-auth-file) are stored in clear text, never expire and cannot be revoked without restarting the API server.',
  frameworks: [AUTHN, { framework: 'nist-800-53-r5', control: 'IA-5' }],
  remediation: 'Remove --token-auth-file and authenticate with client certificates, OIDC or service account tokens.',
  problem: must.notBeSet('token-auth-file'),
  bad: ['--token-auth-file=/etc/kubernetes/tokens.csv'], good: ['--anonymous-auth=false'],
  fix: ['# remove --token-auth-file: authenticate with client certificates, OIDC or service account tokens'],
});

export const apiserverBasicAuthFile = flagRule({
  id: 'VGL-K8S-072', component: A, severity: 'high',
  title: 'API server uses a basic authentication file',
  description: 'HTTP basic authentication (--basic-auth-file, removed in Kubernetes 1.19) keeps passwords in clear text and cannot be revoked without a restart.',
  frameworks: [AUTHN, { framework: 'nist-800-53-r5', control: 'IA-5' }],
  remediation: 'Remove --basic-auth-file and use certificate, OIDC or token based authentication.',
  problem: must.notBeSet('basic-auth-file'),
  bad: ['--basic-auth-file=/etc/kubernetes/basic.csv'], good: ['--anonymous-auth=false'],
  fix: ['# remove --basic-auth-file: authenticate with client certificates or OIDC'],
});

export const apiserverKubeletHttps = flagRule({
  id: 'VGL-K8S-073', component: A, severity: 'high',
  title: 'API server talks to kubelets over plain HTTP',
  description: '--kubelet-https=false sends exec, logs and port-forward traffic between the API server and kubelets unencrypted.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }],
  remediation: 'Remove --kubelet-https=false.',
  problem: must.notBeFalse('kubelet-https'),
  bad: ['--kubelet-https=false'], good: ['--kubelet-https=true'],
  fix: ['# remove --kubelet-https=false (HTTPS to kubelets is the default)'],
});

export const apiserverKubeletClientCert = flagRule({
  id: 'VGL-K8S-074', component: A, cis: '1.2.4', severity: 'high',
  title: 'API server has no client certificate for kubelets',
  description: 'Without --kubelet-client-certificate and --kubelet-client-key the API server cannot authenticate to kubelets, which then have to accept unauthenticated requests.',
  frameworks: [AUTHN, { framework: 'nist-800-53-r5', control: 'IA-3' }],
  remediation: 'Set --kubelet-client-certificate and --kubelet-client-key.',
  problem: must.both('kubelet-client-certificate', 'kubelet-client-key'),
  bad: ['--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt'],
  good: ['--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key'],
  fix: ['--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt', '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key'],
});

export const apiserverKubeletCa = flagRule({
  id: 'VGL-K8S-075', component: A, cis: '1.2.5', severity: 'high',
  title: 'API server does not verify kubelet certificates',
  description: 'Without --kubelet-certificate-authority the API server does not verify the kubelets it connects to, so a spoofed node receives exec and logs traffic.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-8' }],
  remediation: 'Set --kubelet-certificate-authority to the CA that signs kubelet serving certificates.',
  problem: must.beSet('kubelet-certificate-authority'),
  bad: ['--anonymous-auth=false'], good: ['--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt'],
  fix: ['--kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt'],
});

export const apiserverAlwaysAllow = flagRule({
  id: 'VGL-K8S-076', component: A, cis: '1.2.6', severity: 'critical',
  title: 'API server authorizes every request (AlwaysAllow)',
  description: 'The AlwaysAllow authorizer lets every authenticated request do anything; RBAC is not enforced.',
  frameworks: [AUTHZ, { framework: 'nist-800-53-r5', control: 'AC-3' }],
  remediation: 'Remove AlwaysAllow from --authorization-mode; use Node,RBAC.',
  problem: (f) => (f.list('authorization-mode').includes('AlwaysAllow') ? '--authorization-mode includes AlwaysAllow' : undefined),
  bad: ['--authorization-mode=RBAC,AlwaysAllow'], good: ['--authorization-mode=Node,RBAC'],
  fix: ['--authorization-mode=Node,RBAC'],
});

export const apiserverNodeAuthorizer = flagRule({
  id: 'VGL-K8S-077', component: A, cis: '1.2.7', severity: 'medium',
  title: 'API server does not use the Node authorizer',
  description: 'Without the Node authorizer every kubelet can read all secrets and pods of the cluster instead of only those of its own pods.',
  frameworks: [AUTHZ, { framework: 'nist-800-53-r5', control: 'AC-6' }],
  remediation: 'Include Node in --authorization-mode (Node,RBAC).',
  problem: (f) => (f.list('authorization-mode').includes('Node') ? undefined : '--authorization-mode does not include Node'),
  bad: ['--authorization-mode=RBAC'], good: ['--authorization-mode=Node,RBAC'],
  fix: ['--authorization-mode=Node,RBAC'],
});

export const apiserverRbac = flagRule({
  id: 'VGL-K8S-078', component: A, cis: '1.2.8', severity: 'high',
  title: 'API server does not use RBAC',
  description: 'Without the RBAC authorizer, Roles and bindings are ignored and access falls back to the other authorizers (AlwaysAllow when none is set).',
  frameworks: [AUTHZ, { framework: 'nist-800-53-r5', control: 'AC-3' }],
  remediation: 'Include RBAC in --authorization-mode (Node,RBAC).',
  problem: (f) => (f.list('authorization-mode').includes('RBAC') ? undefined : '--authorization-mode does not include RBAC'),
  bad: ['--authorization-mode=Node'], good: ['--authorization-mode=Node,RBAC'],
  fix: ['--authorization-mode=Node,RBAC'],
});

const enabled = (f: Flags, plugin: string): boolean => f.list('enable-admission-plugins').includes(plugin);

export const eventRateLimit = flagRule({
  id: 'VGL-K8S-079', component: A, cis: '1.2.9', severity: 'low',
  title: 'EventRateLimit admission plugin not enabled',
  description: 'Without EventRateLimit a misbehaving or malicious client can flood the API server and etcd with events.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-5' }],
  remediation: 'Add EventRateLimit to --enable-admission-plugins and configure limits in --admission-control-config-file.',
  problem: (f) => (enabled(f, 'EventRateLimit') ? undefined : 'EventRateLimit is not in --enable-admission-plugins'),
  bad: ['--enable-admission-plugins=NodeRestriction'],
  good: ['--enable-admission-plugins=NodeRestriction,EventRateLimit', '--admission-control-config-file=/etc/kubernetes/admission.yaml'],
  fix: ['--enable-admission-plugins=NodeRestriction,EventRateLimit  # keep the plugins already listed', '--admission-control-config-file=/etc/kubernetes/admission.yaml  # EventRateLimit limits'],
});

export const alwaysAdmit = flagRule({
  id: 'VGL-K8S-080', component: A, cis: '1.2.10', severity: 'high',
  title: 'AlwaysAdmit admission plugin enabled',
  description: 'AlwaysAdmit accepts every request, defeating the other admission controllers (it is deprecated for that reason).',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'CM-7' }],
  remediation: 'Remove AlwaysAdmit from --enable-admission-plugins.',
  problem: (f) => (enabled(f, 'AlwaysAdmit') ? 'AlwaysAdmit is in --enable-admission-plugins' : undefined),
  bad: ['--enable-admission-plugins=AlwaysAdmit'], good: ['--enable-admission-plugins=NodeRestriction'],
  fix: ['--enable-admission-plugins=NodeRestriction  # the same list without AlwaysAdmit'],
});

export const alwaysPullImages = flagRule({
  id: 'VGL-K8S-081', component: A, cis: '1.2.11', severity: 'low',
  title: 'AlwaysPullImages admission plugin not enabled',
  description: 'Without AlwaysPullImages a pod can use a private image already cached on its node without having the credentials to pull it.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'AC-3' }],
  remediation: 'Add AlwaysPullImages to --enable-admission-plugins (on multi-tenant clusters).',
  problem: (f) => (enabled(f, 'AlwaysPullImages') ? undefined : 'AlwaysPullImages is not in --enable-admission-plugins'),
  bad: ['--enable-admission-plugins=NodeRestriction'], good: ['--enable-admission-plugins=NodeRestriction,AlwaysPullImages'],
  fix: ['--enable-admission-plugins=NodeRestriction,AlwaysPullImages  # keep the plugins already listed'],
});

const disabled = (name: string) => (f: Flags) =>
  f.list('disable-admission-plugins').includes(name) ? `${name} is in --disable-admission-plugins` : undefined;

export const serviceAccountPlugin = flagRule({
  id: 'VGL-K8S-082', component: A, cis: '1.2.12', severity: 'medium',
  title: 'ServiceAccount admission plugin disabled',
  description: 'The ServiceAccount admission plugin assigns service accounts and validates their use; disabling it breaks token and service account isolation.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'AC-3' }],
  remediation: 'Remove ServiceAccount from --disable-admission-plugins.',
  problem: disabled('ServiceAccount'),
  bad: ['--disable-admission-plugins=ServiceAccount'], good: ['--disable-admission-plugins=DefaultStorageClass'],
  fix: ['# remove ServiceAccount from --disable-admission-plugins'],
});

export const namespaceLifecyclePlugin = flagRule({
  id: 'VGL-K8S-083', component: A, cis: '1.2.13', severity: 'medium',
  title: 'NamespaceLifecycle admission plugin disabled',
  description: 'Without NamespaceLifecycle objects can be created in namespaces that are being deleted or do not exist, escaping namespace-scoped controls.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'CM-7' }],
  remediation: 'Remove NamespaceLifecycle from --disable-admission-plugins.',
  problem: disabled('NamespaceLifecycle'),
  bad: ['--disable-admission-plugins=NamespaceLifecycle'], good: ['--disable-admission-plugins=DefaultStorageClass'],
  fix: ['# remove NamespaceLifecycle from --disable-admission-plugins'],
});

export const nodeRestrictionPlugin = flagRule({
  id: 'VGL-K8S-084', component: A, cis: '1.2.14', severity: 'medium',
  title: 'NodeRestriction admission plugin not enabled',
  description: 'NodeRestriction limits each kubelet to modifying its own Node and its own pods; without it a compromised node can tamper with the whole cluster.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'AC-6' }],
  remediation: 'Add NodeRestriction to --enable-admission-plugins.',
  problem: (f) => (enabled(f, 'NodeRestriction') ? undefined : 'NodeRestriction is not in --enable-admission-plugins'),
  bad: ['--enable-admission-plugins=EventRateLimit'], good: ['--enable-admission-plugins=NodeRestriction'],
  fix: ['--enable-admission-plugins=NodeRestriction  # keep the plugins already listed'],
});

export const apiserverProfiling = flagRule({
  id: 'VGL-K8S-085', component: A, cis: '1.2.15', severity: 'low',
  title: 'API server profiling enabled',
  description: 'Profiling endpoints (/debug/pprof) expose detailed program internals and are a denial-of-service vector; they are on by default.',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'CM-7' }],
  remediation: 'Set --profiling=false.',
  problem: must.beFalse('profiling'),
  bad: ['--profiling=true'], good: ['--profiling=false'],
  fix: ['--profiling=false'],
});

export const denyServiceExternalIps = flagRule({
  id: 'VGL-K8S-099', component: A, cis: '1.2.3', severity: 'low',
  title: 'DenyServiceExternalIPs admission plugin not enabled',
  description: 'Services with externalIPs let any user who can create a Service intercept traffic to arbitrary IP addresses (CVE-2020-8554).',
  frameworks: [CP_NSA, { framework: 'nist-800-53-r5', control: 'SC-7' }],
  remediation: 'Add DenyServiceExternalIPs to --enable-admission-plugins unless externalIPs are needed.',
  problem: (f) => (enabled(f, 'DenyServiceExternalIPs') ? undefined : 'DenyServiceExternalIPs is not in --enable-admission-plugins'),
  bad: ['--enable-admission-plugins=NodeRestriction'], good: ['--enable-admission-plugins=NodeRestriction,DenyServiceExternalIPs'],
  fix: ['--enable-admission-plugins=NodeRestriction,DenyServiceExternalIPs  # keep the plugins already listed'],
});

export const APISERVER_AUTH_RULES: readonly Rule[] = [
  apiserverAnonymousAuth, apiserverTokenAuthFile, apiserverBasicAuthFile, apiserverKubeletHttps, apiserverKubeletClientCert,
  apiserverKubeletCa, apiserverAlwaysAllow, apiserverNodeAuthorizer, apiserverRbac, eventRateLimit, alwaysAdmit,
  alwaysPullImages, serviceAccountPlugin, namespaceLifecyclePlugin, nodeRestrictionPlugin, apiserverProfiling, denyServiceExternalIps,
];
