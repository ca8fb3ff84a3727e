/**
 * The project IAM policy and service accounts as collected: the live halves of VGL-GCP-013
 * (basic roles), 014 (service account admin, CIS GCP 1.5), 015 (project-wide Service Account
 * User / Token Creator, 1.6) and 016 (user-managed keys, 1.4); VGL-GCP-122 key age (1.7),
 * 123 service account separation of duties (1.8), 129 consumer accounts (1.1), 131 project
 * granted to allUsers.
 */
import { bool, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { liveRule } from '../../shared/define.js';
import { collected, needs, type ExampleResource, type LiveSpec } from '../../shared/live.js';
import { cis } from '../lib/define.js';
import { bindings, DAY_S, denied, gcpRes, GCP, isPublicPrincipal, items, policy, PROJECT_ID, PROJECT_NAME, projectRes, time, type Binding } from '../lib/live.js';

const SA = (name: string): string => `serviceAccount:${name}@${PROJECT_ID}.iam.gserviceaccount.com`;
const project = (grants: Record<string, string[]>, extra: Record<string, unknown> = {}): ExampleResource => projectRes({ iamPolicy: policy(grants, extra) });

/** Members still in force (`deleted:` principals grant nothing). */
const live = (b: Binding): string[] => b.members.filter((m) => !m.trim().toLowerCase().startsWith('deleted:'));

/** A check over the project policy's bindings: one violation per matching binding. */
function projectBindings(pick: (b: Binding) => string[], message: (b: Binding, who: string[]) => string) {
  return (r: Resource): Violation[] => {
    const missing = needs(r, 'iamPolicy');
    if (missing.length > 0) return missing;
    return bindings(r).flatMap((b) => {
      const who = pick(b);
      return who.length > 0 ? [violation(b.path, message(b, who))] : [];
    });
  };
}

const BASIC = new Set(['roles/owner', 'roles/editor', 'roles/viewer']);

export const basicRolesLive: LiveSpec = {
  kinds: [GCP.project],
  check: projectBindings((b) => (BASIC.has(b.role) ? live(b) : []), (b, who) => `basic role ${b.role} is granted to ${who.join(', ')}`),
  cli: 'gcloud projects remove-iam-policy-binding <project> --member=<member> --role=roles/editor && gcloud projects add-iam-policy-binding <project> --member=<member> --role=<predefined-role>',
  console: 'IAM & Admin → IAM → the principal → Edit → replace Owner / Editor / Viewer with predefined roles.',
  bad: [collected('gcp', [project({ 'roles/editor': ['user:jane@example.com'], 'roles/storage.admin': ['group:ops@example.com'] })], [PROJECT_NAME])],
  good: [collected('gcp', [project({ 'roles/storage.objectViewer': ['user:jane@example.com'], 'roles/owner': ['deleted:user:gone@example.com?uid=1'] })])],
};

/** Google-managed service agents: Google grants them the roles they need, they are not the project's to trim. */
export function isServiceAgent(member: string): boolean {
  const email = member.slice(member.indexOf(':') + 1).toLowerCase();
  const domain = email.slice(email.indexOf('@') + 1);
  return domain.startsWith('gcp-sa-') || domain === 'cloudservices.gserviceaccount.com' || domain.endsWith('.system.gserviceaccount.com') || domain === 'system.gserviceaccount.com' || domain === 'container-engine-robot.iam.gserviceaccount.com' || domain === 'compute-system.iam.gserviceaccount.com';
}

const isSa = (m: string): boolean => m.trim().toLowerCase().startsWith('serviceaccount:');
const isAdmin = (role: string): boolean => role === 'roles/owner' || role === 'roles/editor' || role.toLowerCase().endsWith('admin');

export const serviceAccountAdminLive: LiveSpec = {
  kinds: [GCP.project],
  check: projectBindings(
    (b) => (isAdmin(b.role) ? live(b).filter((m) => isSa(m) && !isServiceAgent(m)) : []),
    (b, who) => `${b.role} is granted to service account${who.length > 1 ? 's' : ''} ${who.map((m) => m.slice(m.indexOf(':') + 1)).join(', ')}`,
  ),
  cli: 'gcloud projects remove-iam-policy-binding <project> --member=serviceAccount:<email> --role=<admin-role>',
  console: 'IAM & Admin → IAM → the service account → Edit → remove Owner, Editor and *Admin roles; grant only what the workload needs.',
  bad: [collected('gcp', [project({ 'roles/owner': [SA('deployer')], 'roles/pubsub.publisher': [SA('app')] })], [PROJECT_NAME])],
  good: [
    collected('gcp', [
      project({
        'roles/pubsub.publisher': [SA('app')],
        'roles/owner': ['user:admin@example.com'],
        // Service agents get their roles from Google.
        'roles/editor': ['serviceAccount:123456789012@cloudservices.gserviceaccount.com'],
        'roles/container.serviceAgent': ['serviceAccount:service-123456789012@container-engine-robot.iam.gserviceaccount.com'],
      }),
    ]),
  ],
};

const IMPERSONATION = new Set(['roles/iam.serviceAccountUser', 'roles/iam.serviceAccountTokenCreator']);

export const impersonationLive: LiveSpec = {
  kinds: [GCP.project],
  check: projectBindings((b) => (IMPERSONATION.has(b.role) ? live(b) : []), (b, who) => `${b.role} on the whole project is granted to ${who.join(', ')}`),
  cli: 'gcloud projects remove-iam-policy-binding <project> --member=<member> --role=roles/iam.serviceAccountUser && gcloud iam service-accounts add-iam-policy-binding <sa-email> --member=<member> --role=roles/iam.serviceAccountUser',
  console: 'IAM & Admin → IAM → the principal → remove Service Account User / Token Creator; grant it on the service account itself (Service Accounts → the account → Permissions).',
  bad: [collected('gcp', [project({ 'roles/iam.serviceAccountTokenCreator': ['group:devs@example.com'] })], [PROJECT_NAME])],
  good: [collected('gcp', [project({ 'roles/iam.serviceAccountViewer': ['group:devs@example.com'] })]), collected('gcp', [project({})])],
};

// Service accounts --------------------------------------------------------------------------

const saId = (name: string): string => `//iam.googleapis.com/projects/${PROJECT_ID}/serviceAccounts/${name}@${PROJECT_ID}.iam.gserviceaccount.com`;
const DAY_MS = DAY_S * 1000;
const daysAgo = (n: number): string => new Date(Date.now() - n * DAY_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');

function key(n: number, type: 'USER_MANAGED' | 'SYSTEM_MANAGED', validAfter: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name: `keys/${n}`, keyType: type, keyAlgorithm: 'KEY_ALG_RSA_2048', keyOrigin: 'GOOGLE_PROVIDED', validAfterTime: validAfter, validBeforeTime: type === 'USER_MANAGED' ? '9999-12-31T23:59:59Z' : daysAgo(-14), ...extra };
}

function serviceAccount(name: string, keys: Record<string, unknown>[] | undefined, extra: Record<string, unknown> = {}): ExampleResource {
  const email = `${name}@${PROJECT_ID}.iam.gserviceaccount.com`;
  return gcpRes(
    GCP.serviceAccount,
    saId(name),
    { name: `projects/${PROJECT_ID}/serviceAccounts/${email}`, projectId: PROJECT_ID, email, uniqueId: '1000', ...extra, ...(keys ? { keys } : {}) },
    'global',
    keys ? undefined : { keys: denied(`GET /v1/projects/${PROJECT_ID}/serviceAccounts/${email}/keys`) },
  );
}

/** Enabled user-managed keys of an enabled account. */
function userKeys(r: Resource): { item: Record<string, unknown>; index: number }[] {
  if (bool(r.attrs['disabled']) === true) return [];
  return items(r.attrs['keys']).filter(({ item }) => str(item['keyType']) === 'USER_MANAGED' && bool(item['disabled']) !== true);
}

export const serviceAccountKeyLive: LiveSpec = {
  kinds: [GCP.serviceAccount],
  check(r) {
    const missing = needs(r, 'keys');
    if (missing.length > 0) return missing;
    return userKeys(r).map(({ item, index }) => violation(['keys', index], `user-managed key ${str(item['name'])?.split('/').pop() ?? String(index)} exists`));
  },
  cli: 'gcloud iam service-accounts keys delete <key-id> --iam-account=<sa-email>',
  console: 'IAM & Admin → Service Accounts → the account → Keys → delete user-managed keys.',
  bad: [collected('gcp', [serviceAccount('ci', [key(1, 'SYSTEM_MANAGED', daysAgo(3)), key(2, 'USER_MANAGED', daysAgo(10))]), serviceAccount('app', [key(3, 'SYSTEM_MANAGED', daysAgo(3))]), serviceAccount('unread', undefined)], [saId('ci')])],
  good: [
    collected('gcp', [
      serviceAccount('app', [key(3, 'SYSTEM_MANAGED', daysAgo(3))]),
      serviceAccount('old', [key(4, 'USER_MANAGED', daysAgo(400), { disabled: true })]),
      serviceAccount('retired', [key(5, 'USER_MANAGED', daysAgo(400))], { disabled: true }),
    ]),
  ],
};

const ROTATE_DAYS = 90;

export const serviceAccountKeyAge = liveRule('gcp', {
  id: 'VGL-GCP-122',
  title: 'User-managed service account key older than 90 days',
  description:
    'A user-managed key is a long-lived secret usable from anywhere; the longer it lives, the more copies of it exist (laptops, CI variables, images) and the longer a leaked copy stays useful. CIS asks for rotation at least every 90 days.',
  severity: 'medium',
  service: 'iam',
  frameworks: [cis('1.7'), ...themes('keys', 'authn')],
  remediation: 'Create a new key, move its users to it, then delete the old one — or better, replace keys with attached service accounts or Workload Identity Federation.',
  references: ['https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys'],
  live: {
    kinds: [GCP.serviceAccount],
    check(r) {
      const missing = needs(r, 'keys');
      if (missing.length > 0) return missing;
      const now = Date.now();
      return userKeys(r).flatMap(({ item, index }) => {
        const created = time(item['validAfterTime']);
        if (created === undefined) return [];
        const days = Math.floor((now - created) / DAY_MS);
        return days > ROTATE_DAYS ? [violation(['keys', index, 'validAfterTime'], `user-managed key created ${days} days ago (more than ${ROTATE_DAYS})`)] : [];
      });
    },
    cli: 'gcloud iam service-accounts keys create <new-key.json> --iam-account=<sa-email> && gcloud iam service-accounts keys delete <old-key-id> --iam-account=<sa-email>',
    console: 'IAM & Admin → Service Accounts → the account → Keys → Add key; move users to it; delete the old key.',
    bad: [collected('gcp', [serviceAccount('ci', [key(1, 'USER_MANAGED', daysAgo(200))]), serviceAccount('fresh', [key(2, 'USER_MANAGED', daysAgo(5))])], [saId('ci')])],
    good: [collected('gcp', [serviceAccount('fresh', [key(2, 'USER_MANAGED', daysAgo(5)), key(3, 'SYSTEM_MANAGED', daysAgo(300))]), serviceAccount('off', [key(4, 'USER_MANAGED', daysAgo(300), { disabled: true })])])],
  },
});

/** Members holding every role of one group and any role of another (`[admin roles, user roles]`). */
function bothRoles(r: Resource, admin: (role: string) => boolean, user: (role: string) => boolean): Map<string, [string, string]> {
  const admins = new Map<string, string>();
  const users = new Map<string, string>();
  for (const b of bindings(r)) {
    for (const m of live(b)) {
      if (admin(b.role)) admins.set(m, b.role);
      if (user(b.role)) users.set(m, b.role);
    }
  }
  const out = new Map<string, [string, string]>();
  for (const [m, role] of admins) {
    const other = users.get(m);
    if (other !== undefined) out.set(m, [role, other]);
  }
  return out;
}

/** A separation-of-duties rule over the project policy: no member holds both kinds of role. */
function dutiesCheck(admin: (role: string) => boolean, user: (role: string) => boolean) {
  return (r: Resource): Violation[] => {
    const missing = needs(r, 'iamPolicy');
    if (missing.length > 0) return missing;
    return [...bothRoles(r, admin, user)].map(([m, [a, u]]) => violation(['iamPolicy', 'bindings'], `${m} holds both ${a} and ${u}`));
  };
}

export const serviceAccountDuties = liveRule('gcp', {
  id: 'VGL-GCP-123',
  title: 'Separation of duties not enforced for service account roles',
  description:
    'A principal that is both Service Account Admin and Service Account User can create service accounts, grant them roles and then act as them: one identity holds the whole chain CIS asks to split.',
  severity: 'medium',
  service: 'iam',
  frameworks: [cis('1.8'), ...themes('privilege')],
  remediation: 'Give roles/iam.serviceAccountAdmin and roles/iam.serviceAccountUser to different principals.',
  references: ['https://cloud.google.com/iam/docs/understanding-roles#service-accounts-roles'],
  live: {
    kinds: [GCP.project],
    check: dutiesCheck((role) => role === 'roles/iam.serviceAccountAdmin', (role) => role === 'roles/iam.serviceAccountUser'),
    cli: 'gcloud projects remove-iam-policy-binding <project> --member=<member> --role=roles/iam.serviceAccountUser',
    console: 'IAM & Admin → IAM → the principal → Edit → keep either Service Account Admin or Service Account User, not both.',
    bad: [collected('gcp', [project({ 'roles/iam.serviceAccountAdmin': ['user:ops@example.com'], 'roles/iam.serviceAccountUser': ['user:ops@example.com', 'group:devs@example.com'] })], [PROJECT_NAME])],
    good: [collected('gcp', [project({ 'roles/iam.serviceAccountAdmin': ['user:ops@example.com'], 'roles/iam.serviceAccountUser': ['group:devs@example.com'] })])],
  },
});

const KMS_USERS = new Set(['roles/cloudkms.cryptoKeyEncrypterDecrypter', 'roles/cloudkms.cryptoKeyEncrypter', 'roles/cloudkms.cryptoKeyDecrypter']);

export const kmsDuties = liveRule('gcp', {
  id: 'VGL-GCP-124',
  title: 'Separation of duties not enforced for KMS roles',
  description:
    'A principal that is Cloud KMS Admin and also may encrypt or decrypt can both manage keys (grant, rotate, destroy) and use them on data, so one compromised identity reads everything the keys protect.',
  severity: 'medium',
  service: 'kms',
  frameworks: [cis('1.11'), ...themes('privilege', 'keys')],
  remediation: 'Give roles/cloudkms.admin and the CryptoKey Encrypter/Decrypter roles to different principals.',
  references: ['https://cloud.google.com/kms/docs/separation-of-duties'],
  live: {
    kinds: [GCP.project],
    check: dutiesCheck((role) => role === 'roles/cloudkms.admin', (role) => KMS_USERS.has(role)),
    cli: 'gcloud projects remove-iam-policy-binding <project> --member=<member> --role=roles/cloudkms.cryptoKeyEncrypterDecrypter',
    console: 'IAM & Admin → IAM → the principal → Edit → keep either Cloud KMS Admin or the CryptoKey Encrypter/Decrypter roles, not both.',
    bad: [collected('gcp', [project({ 'roles/cloudkms.admin': ['user:ops@example.com'], 'roles/cloudkms.cryptoKeyDecrypter': ['user:ops@example.com'] })], [PROJECT_NAME])],
    good: [collected('gcp', [project({ 'roles/cloudkms.admin': ['user:ops@example.com'], 'roles/cloudkms.cryptoKeyEncrypterDecrypter': [SA('app')] })])],
  },
});

const CONSUMER_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

export const consumerAccounts = liveRule('gcp', {
  id: 'VGL-GCP-129',
  title: 'Project access granted to a personal Google account',
  description:
    'A user:…@gmail.com member is a consumer account the organisation does not manage: it escapes corporate password, MFA and offboarding policies, so access stays with the person after they leave.',
  severity: 'medium',
  service: 'iam',
  frameworks: [cis('1.1'), ...themes('authn', 'privilege')],
  remediation: 'Replace personal accounts with corporate (Cloud Identity / Workspace) identities and enforce the iam.allowedPolicyMemberDomains organisation policy.',
  references: ['https://cloud.google.com/resource-manager/docs/organization-policy/restricting-domains'],
  live: {
    kinds: [GCP.project],
    check: projectBindings(
      (b) => live(b).filter((m) => m.toLowerCase().startsWith('user:') && CONSUMER_DOMAINS.has(m.slice(m.lastIndexOf('@') + 1).trim().toLowerCase())),
      (b, who) => `${b.role} is granted to personal account${who.length > 1 ? 's' : ''} ${who.map((m) => m.slice(5)).join(', ')}`,
    ),
    cli: 'gcloud projects remove-iam-policy-binding <project> --member=user:<name>@gmail.com --role=<role>',
    console: 'IAM & Admin → IAM → the @gmail.com principal → Remove access; grant the role to a corporate identity.',
    bad: [collected('gcp', [project({ 'roles/viewer': ['user:someone@gmail.com', 'user:jane@example.com'] })], [PROJECT_NAME])],
    good: [collected('gcp', [project({ 'roles/viewer': ['user:jane@example.com', 'group:gmail.com-fans@example.com'] })]), collected('gcp', [project({})])],
  },
});

export const projectPublic = liveRule('gcp', {
  id: 'VGL-GCP-131',
  title: 'Project IAM policy grants a role to allUsers or allAuthenticatedUsers',
  description:
    'A project-level grant to allUsers (anyone) or allAuthenticatedUsers (anyone with a Google account) applies to every resource in the project that honours the role, exposing them to the whole Internet.',
  severity: 'critical',
  service: 'iam',
  frameworks: themes('publicData', 'privilege'),
  remediation: 'Remove allUsers and allAuthenticatedUsers from the project IAM policy; grant roles to specific principals.',
  references: ['https://cloud.google.com/iam/docs/principals-overview#public'],
  live: {
    kinds: [GCP.project],
    check: projectBindings((b) => b.members.filter(isPublicPrincipal), (b, who) => `${b.role} is granted to ${who.join(' and ')}`),
    cli: 'gcloud projects remove-iam-policy-binding <project> --member=allUsers --role=<role>',
    console: 'IAM & Admin → IAM → allUsers / allAuthenticatedUsers → Remove access.',
    bad: [collected('gcp', [project({ 'roles/editor': ['allUsers', 'user:jane@example.com'] })], [PROJECT_NAME])],
    good: [collected('gcp', [project({ 'roles/editor': ['user:jane@example.com'] })])],
  },
});

export const IAM_LIVE_RULES: readonly Rule[] = [serviceAccountKeyAge, serviceAccountDuties, kmsDuties, consumerAccounts, projectPublic];
