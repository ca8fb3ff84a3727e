/**
 * RBAC Roles and ClusterRoles that grant more than they should: wildcards, secrets, exec into
 * pods, privilege escalation verbs (escalate, bind, impersonate), certificate approval, webhook
 * configuration, the nodes/proxy subresource, pod and token creation.
 */
import type { Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import type { FrameworkControl } from '../../frameworks.js';
import { k8sRule } from './lib/define.js';
import { grantsAny, policyRules, RBAC_KINDS, WRITE_VERBS, type PolicyRule } from './lib/rbac.js';

const RBAC_URL = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';
const RBAC_NSA: FrameworkControl = { framework: 'nsa-cisa-k8s', control: 'Authentication and authorization: Role-based access control' };

export const rbacWildcard = k8sRule({
  id: 'VGL-K8S-050',
  title: 'RBAC rule uses a wildcard',
  description: 'A * in apiGroups, resources or verbs grants everything that exists now and everything added later (new resources, CRDs, subresources), far beyond what the role was written for.',
  severity: 'high',
  service: 'rbac',
  kinds: RBAC_KINDS,
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.3' }, RBAC_NSA, { framework: 'nist-800-53-r5', control: 'AC-6' }],
  remediation: 'List the API groups, resources and verbs the role needs explicitly.',
  fix: { kubernetes: 'rules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get", "list", "watch"]' },
  references: [RBAC_URL],
  check(resource) {
    const out: Violation[] = [];
    for (const r of policyRules(resource)) {
      for (const field of ['apiGroups', 'resources', 'verbs'] as const) {
        if (r[field].includes('*')) out.push(violation([...r.path, field], `rule ${r.index} grants * in ${field}`));
      }
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [9, 10], text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ops\nrules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get"]\n- apiGroups: ["*"]\n  resources: ["*"]\n  verbs: ["get"]\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ops\nrules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get", "list"]\n' }],
  },
});

interface PermissionDef {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: Rule['severity'];
  readonly frameworks: readonly FrameworkControl[];
  readonly remediation: string;
  /** What a matching rule grants, for the message. */
  readonly grantsWhat: string;
  readonly matches: (rule: PolicyRule) => boolean;
  /** One policy rule (YAML list item) that matches, and one that does not. */
  readonly bad: string;
  readonly good: string;
  /** The fix: the narrowed policy rules (YAML list items under `rules:`), passing `matches`. */
  readonly fix: string;
}

const ROLE_HEAD = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: example\nrules:\n';

/** A rule about one permission: every policy rule that grants it is reported at its verbs. */
function permissionRule(def: PermissionDef): Rule {
  return k8sRule({
    id: def.id,
    title: def.title,
    description: def.description,
    severity: def.severity,
    service: 'rbac',
    kinds: RBAC_KINDS,
    frameworks: [...def.frameworks, RBAC_NSA, { framework: 'nist-800-53-r5', control: 'AC-6' }],
    remediation: def.remediation,
    fix: { kubernetes: `rules:\n${def.fix.trimEnd()}` },
    references: [RBAC_URL, 'https://kubernetes.io/docs/reference/access-authn-authz/rbac/'],
    check(resource) {
      return policyRules(resource)
        .filter(def.matches)
        .map((r) => violation([...r.path, 'verbs'], `rule ${r.index} grants ${def.grantsWhat}`));
    },
    examples: {
      bad: [{ input: 'kubernetes', lines: [8], text: `${ROLE_HEAD}${def.bad}` }],
      good: [{ input: 'kubernetes', text: `${ROLE_HEAD}${def.good}` }],
    },
  });
}

const CORE = [''];
const RBAC_GROUP = ['rbac.authorization.k8s.io'];

export const secretsRead = permissionRule({
  id: 'VGL-K8S-052',
  title: 'Role can read Secrets',
  description: 'get, list or watch on secrets reveals every credential in scope: service account tokens, TLS keys, database passwords. list and watch return the contents too.',
  severity: 'high',
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.2' }],
  remediation: 'Grant access to specific secrets with resourceNames, or read secrets through a mounted volume instead of the API.',
  grantsWhat: 'read access to secrets',
  matches: (r) => grantsAny(r, CORE, ['secrets'], ['get', 'list', 'watch']),
  bad: '- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["list"]\n',
  good: '- apiGroups: [""]\n  resources: ["configmaps"]\n  verbs: ["list"]\n',
  fix: '- apiGroups: [""]\n  resources: ["configmaps"]\n  verbs: ["get", "list", "watch"]\n# no get, list or watch on secrets (resourceNames still grant): mount the Secret into the pod as a volume instead\n',
});

export const podExec = permissionRule({
  id: 'VGL-K8S-053',
  title: 'Role can exec or attach into pods',
  description: 'create on pods/exec or pods/attach runs commands inside any pod in scope, with that pod\'s service account token, secrets and network position.',
  severity: 'high',
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.4' }],
  remediation: 'Remove pods/exec and pods/attach from roles used by workloads; grant them to humans only, through short-lived bindings.',
  grantsWhat: 'create on pods/exec or pods/attach',
  matches: (r) => grantsAny(r, CORE, ['pods/exec', 'pods/attach'], ['create']),
  bad: '- apiGroups: [""]\n  resources: ["pods", "pods/exec"]\n  verbs: ["get", "create"]\n',
  good: '- apiGroups: [""]\n  resources: ["pods", "pods/log"]\n  verbs: ["get"]\n',
  fix: '- apiGroups: [""]\n  resources: ["pods", "pods/log"]\n  verbs: ["get", "list", "watch"]\n# pods/exec and pods/attach only for people, through a short-lived RoleBinding\n',
});

const ROLE_RESOURCES = ['roles', 'clusterroles'];

export const escalateVerb = permissionRule({
  id: 'VGL-K8S-054',
  title: 'Role can escalate Roles or ClusterRoles',
  description: 'The escalate verb lets a subject create or update a role with permissions it does not hold itself: a direct path to cluster-admin.',
  severity: 'critical',
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.8' }],
  remediation: 'Remove the escalate verb (and * verbs) on roles and clusterroles.',
  grantsWhat: 'escalate on roles or clusterroles',
  matches: (r) => grantsAny(r, RBAC_GROUP, ROLE_RESOURCES, ['escalate']),
  bad: '- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["roles"]\n  verbs: ["get", "escalate"]\n',
  good: '- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["roles"]\n  verbs: ["get", "list"]\n',
  fix: '- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["roles"]\n  verbs: ["get", "list", "watch", "create", "update", "patch"]\n# no escalate: the API server then refuses roles granting more than the subject holds\n',
});

export const bindVerb = permissionRule({
  id: 'VGL-K8S-055',
  title: 'Role can bind Roles or ClusterRoles',
  description: 'The bind verb lets a subject create bindings to roles with permissions it does not hold itself, for example binding itself to cluster-admin.',
  severity: 'critical',
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.8' }],
  remediation: 'Remove the bind verb (and * verbs) on roles, clusterroles and their bindings.',
  grantsWhat: 'bind on roles or role bindings',
  matches: (r) => grantsAny(r, RBAC_GROUP, [...ROLE_RESOURCES, 'rolebindings', 'clusterrolebindings'], ['bind']),
  bad: '- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["clusterroles"]\n  verbs: ["bind"]\n',
  good: '- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["rolebindings"]\n  verbs: ["get", "list"]\n',
  fix: '- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["rolebindings"]\n  verbs: ["get", "list", "watch", "create", "delete"]\n# no bind: the API server then refuses bindings to roles granting more than the subject holds\n',
});

export const impersonateVerb = permissionRule({
  id: 'VGL-K8S-056',
  title: 'Role can impersonate users, groups or service accounts',
  description: 'impersonate lets a subject act as any user, group (system:masters included) or service account in scope, with all their permissions.',
  severity: 'critical',
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.8' }],
  remediation: 'Remove impersonate, or restrict it with resourceNames to the identities that are really needed.',
  grantsWhat: 'impersonate',
  matches: (r) => grantsAny(r, ['', 'authentication.k8s.io'], ['users', 'groups', 'serviceaccounts', 'uids', 'userextras/scopes'], ['impersonate']),
  bad: '- apiGroups: [""]\n  resources: ["users", "groups"]\n  verbs: ["impersonate"]\n',
  good: '- apiGroups: [""]\n  resources: ["serviceaccounts"]\n  verbs: ["get"]\n',
  fix: '- apiGroups: [""]\n  resources: ["serviceaccounts"]\n  verbs: ["get", "list"]\n# no impersonate: act under your own identity (resourceNames still grant impersonation)\n',
});

const CSR_GROUP = ['certificates.k8s.io'];

export const approveCsr = k8sRule({
  id: 'VGL-K8S-057',
  title: 'Role can approve certificate signing requests',
  description: 'update on certificatesigningrequests/approval together with approve on signers lets a subject issue itself client certificates, for example for system:masters or a node identity.',
  severity: 'high',
  service: 'rbac',
  kinds: RBAC_KINDS,
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.11' }, RBAC_NSA, { framework: 'nist-800-53-r5', control: 'AC-6' }],
  remediation: 'Grant CSR approval only to the controllers that need it, limited to specific signers with resourceNames.',
  fix: { kubernetes: 'rules:\n- apiGroups: ["certificates.k8s.io"]\n  resources: ["certificatesigningrequests"]\n  verbs: ["get", "list", "watch", "create"]\n# no update on certificatesigningrequests/approval together with approve on signers: leave approval to the controllers that own the signers' },
  references: [RBAC_URL, 'https://kubernetes.io/docs/reference/access-authn-authz/certificate-signing-requests/'],
  check(resource) {
    const rules = policyRules(resource);
    const canApprove = rules.some((r) => grantsAny(r, CSR_GROUP, ['signers'], ['approve']));
    if (!canApprove) return [];
    return rules
      .filter((r) => grantsAny(r, CSR_GROUP, ['certificatesigningrequests/approval'], ['update', 'patch']))
      .map((r) => violation([...r.path, 'verbs'], `rule ${r.index} grants update on certificatesigningrequests/approval, and the role can approve for signers`));
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [8], text: `${ROLE_HEAD}- apiGroups: ["certificates.k8s.io"]\n  resources: ["certificatesigningrequests/approval"]\n  verbs: ["update"]\n- apiGroups: ["certificates.k8s.io"]\n  resources: ["signers"]\n  verbs: ["approve"]\n` }],
    good: [{ input: 'kubernetes', text: `${ROLE_HEAD}- apiGroups: ["certificates.k8s.io"]\n  resources: ["certificatesigningrequests"]\n  verbs: ["get", "list", "create"]\n` }],
  },
});

export const webhookControl = permissionRule({
  id: 'VGL-K8S-058',
  title: 'Role can change admission webhook configurations',
  description: 'Whoever can create or modify validating or mutating webhook configurations can intercept, rewrite or block every API request, or silently disable admission policy.',
  severity: 'high',
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.12' }],
  remediation: 'Keep write access to webhook configurations to the cluster operators and the controllers that own them.',
  grantsWhat: 'write access to admission webhook configurations',
  matches: (r) => grantsAny(r, ['admissionregistration.k8s.io'], ['validatingwebhookconfigurations', 'mutatingwebhookconfigurations'], [...WRITE_VERBS]),
  bad: '- apiGroups: ["admissionregistration.k8s.io"]\n  resources: ["mutatingwebhookconfigurations"]\n  verbs: ["patch"]\n',
  good: '- apiGroups: ["admissionregistration.k8s.io"]\n  resources: ["mutatingwebhookconfigurations"]\n  verbs: ["get", "list", "watch"]\n',
  fix: '- apiGroups: ["admissionregistration.k8s.io"]\n  resources: ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"]\n  verbs: ["get", "list", "watch"]\n',
});

export const nodesProxy = permissionRule({
  id: 'VGL-K8S-059',
  title: 'Role can use the nodes/proxy subresource',
  description: 'nodes/proxy reaches the kubelet API of every node: running commands in any pod on it, bypassing audit logging and admission control.',
  severity: 'high',
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.10' }],
  remediation: 'Remove nodes/proxy from roles; monitoring agents need only nodes/metrics or nodes/stats.',
  grantsWhat: 'access to nodes/proxy',
  matches: (r) => grantsAny(r, CORE, ['nodes/proxy'], ['get', 'create', 'update', 'patch', 'delete']),
  bad: '- apiGroups: [""]\n  resources: ["nodes/proxy"]\n  verbs: ["get"]\n',
  good: '- apiGroups: [""]\n  resources: ["nodes/metrics", "nodes/stats"]\n  verbs: ["get"]\n',
  fix: '- apiGroups: [""]\n  resources: ["nodes/metrics", "nodes/stats"]\n  verbs: ["get"]\n',
});

export const createPods = permissionRule({
  id: 'VGL-K8S-060',
  title: 'Role can create pods',
  description: 'Creating a pod lets a subject run any image with any service account of the namespace, mount its secrets and, without admission policy, run privileged on a node.',
  severity: 'medium',
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.4' }],
  remediation: 'Let controllers create pods; grant humans and workloads create on Deployments or Jobs only where needed, under Pod Security admission.',
  grantsWhat: 'create on pods',
  matches: (r) => grantsAny(r, CORE, ['pods'], ['create']),
  bad: '- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["create", "delete"]\n',
  good: '- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", "list", "delete"]\n',
  fix: '- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get", "list", "watch", "create", "update", "patch"]\n- apiGroups: [""]\n  resources: ["pods"]\n  verbs: ["get", "list", "watch", "delete"]\n',
});

export const createTokens = permissionRule({
  id: 'VGL-K8S-061',
  title: 'Role can create service account tokens',
  description: 'create on serviceaccounts/token mints API tokens for any service account in scope, with all of that account\'s permissions.',
  severity: 'high',
  frameworks: [{ framework: 'cis-kubernetes-1.10', control: '5.1.13' }],
  remediation: 'Remove create on serviceaccounts/token except for the components that issue tokens.',
  grantsWhat: 'create on serviceaccounts/token',
  matches: (r) => grantsAny(r, CORE, ['serviceaccounts/token'], ['create']),
  bad: '- apiGroups: [""]\n  resources: ["serviceaccounts/token"]\n  verbs: ["create"]\n',
  good: '- apiGroups: [""]\n  resources: ["serviceaccounts"]\n  verbs: ["get"]\n',
  fix: '- apiGroups: [""]\n  resources: ["serviceaccounts"]\n  verbs: ["get", "list"]\n# pods get their tokens through projected volumes; only token-issuing components need create on serviceaccounts/token\n',
});

export const RBAC_ROLE_RULES: readonly Rule[] = [
  rbacWildcard, secretsRead, podExec, escalateVerb, bindVerb, impersonateVerb, approveCsr, webhookControl, nodesProxy, createPods, createTokens,
];
