/**
 * Identity and access management (CIS GCP 3.0 section 1): basic (primitive) roles granted at
 * project level, service accounts with administrative roles, project-wide Service Account User
 * and Token Creator grants, user-managed service account keys and KMS key rotation.
 */
import { num } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import { violation, type RuleContext } from '../../rule.js';
import { attr, known, lower, show } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { cis, GOOGLE_DOCS, gcpRule } from './lib/define.js';
import { grantsOf, iamTypes, type Grant } from './lib/iam.js';
import { basicRolesLive, impersonationLive, serviceAccountAdminLive, serviceAccountKeyLive } from './live/iam.js';
import { kmsRotationLive } from './live/kms.js';

const PROJECT_IAM = iamTypes('google_project');

/** One violation per role location for the grants matching `pick`. */
function roleViolations(r: Resource, ctx: RuleContext, pick: (g: Grant) => boolean, message: (g: Grant) => string): Violation[] {
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const g of grantsOf(r, ctx)) {
    if (typeof g.role !== 'string' || !pick(g)) continue;
    const key = `${g.rolePath.join('.')} ${g.role}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(violation(g.rolePath, message(g)));
  }
  return out;
}

const member = (role: string, who: string): string =>
  `resource "google_project_iam_member" "m" {\n  project = "example-project"\n  role    = "${role}"\n  member  = "${who}"\n}\n`;

const BASIC_ROLES = new Set(['roles/owner', 'roles/editor', 'roles/viewer']);

export const basicRoles = gcpRule({
  id: 'VGL-GCP-013',
  title: 'Basic role granted at project level',
  description:
    'The basic roles Owner, Editor and Viewer grant thousands of permissions across every service in the project; Editor alone can read and change almost all data. They predate IAM\'s predefined roles and break least privilege.',
  severity: 'medium',
  service: 'iam',
  types: PROJECT_IAM,
  frameworks: themes('privilege'),
  remediation: 'Grant predefined or custom roles scoped to what each principal needs instead of roles/owner, roles/editor or roles/viewer.',
  fix: 'resource "google_project_iam_member" "m" {\n  project = "example-project"\n  role    = "roles/storage.objectViewer"\n  member  = "group:analysts@example.com"\n}',
  references: [`${GOOGLE_DOCS}google_project_iam`, 'https://cloud.google.com/iam/docs/understanding-roles#basic'],
  live: basicRolesLive,
  check: (r, ctx) => roleViolations(r, ctx, (g) => BASIC_ROLES.has(show(g.role)), (g) => `basic role ${show(g.role)} is granted to ${g.member}`),
  bad: [{ text: member('roles/editor', 'user:jane@example.com'), lines: [3] }],
  good: [member('roles/storage.objectViewer', 'user:jane@example.com')],
});

const isServiceAccount = (m: string): boolean => m.trim().toLowerCase().startsWith('serviceaccount:');
const isAdminRole = (role: string): boolean => /admin/i.test(role) || role === 'roles/editor' || role === 'roles/owner';

export const serviceAccountAdmin = gcpRule({
  id: 'VGL-GCP-014',
  title: 'Service account has an administrative role',
  description:
    'A service account granted Owner, Editor or an *Admin role at project level lets any workload or person able to act as it take over the project\'s resources, without a human in the loop.',
  severity: 'high',
  service: 'iam',
  types: PROJECT_IAM,
  frameworks: [cis('1.5'), ...themes('privilege')],
  remediation: 'Grant the service account only the predefined roles its workload needs.',
  fix: 'resource "google_project_iam_member" "app" {\n  project = "example-project"\n  role    = "roles/pubsub.publisher"\n  member  = "serviceAccount:app@example-project.iam.gserviceaccount.com"\n}',
  references: [`${GOOGLE_DOCS}google_project_iam`, 'https://cloud.google.com/iam/docs/best-practices-service-accounts'],
  live: serviceAccountAdminLive,
  check: (r, ctx) =>
    roleViolations(r, ctx, (g) => isServiceAccount(g.member) && isAdminRole(show(g.role)), (g) => `service account ${g.member.slice(g.member.indexOf(':') + 1)} is granted ${show(g.role)}`),
  bad: [{ text: member('roles/iam.serviceAccountAdmin', 'serviceAccount:app@example-project.iam.gserviceaccount.com'), lines: [3] }],
  good: [member('roles/pubsub.publisher', 'serviceAccount:app@example-project.iam.gserviceaccount.com'), member('roles/editor', 'user:jane@example.com')],
});

const IMPERSONATION_ROLES = new Set(['roles/iam.serviceaccountuser', 'roles/iam.serviceaccounttokencreator']);

export const projectWideImpersonation = gcpRule({
  id: 'VGL-GCP-015',
  title: 'Service Account User or Token Creator granted at project level',
  description:
    'Granted on the project, roles/iam.serviceAccountUser and roles/iam.serviceAccountTokenCreator let the member act as every service account in the project, present and future, and so inherit all of their permissions.',
  severity: 'high',
  service: 'iam',
  types: PROJECT_IAM,
  frameworks: [cis('1.6'), ...themes('privilege')],
  remediation: 'Grant these roles on the specific service account (google_service_account_iam_member) that the member needs to use.',
  fix: 'resource "google_service_account_iam_member" "deployer" {\n  service_account_id = google_service_account.app.name\n  role               = "roles/iam.serviceAccountUser"\n  member             = "group:deployers@example.com"\n}',
  references: [`${GOOGLE_DOCS}google_service_account_iam`, 'https://cloud.google.com/iam/docs/service-account-permissions'],
  live: impersonationLive,
  check: (r, ctx) => roleViolations(r, ctx, (g) => IMPERSONATION_ROLES.has(show(g.role).toLowerCase()), (g) => `${show(g.role)} on the whole project is granted to ${g.member}`),
  bad: [{ text: member('roles/iam.serviceAccountTokenCreator', 'user:jane@example.com'), lines: [3] }],
  good: [
    'resource "google_service_account_iam_member" "m" {\n  service_account_id = google_service_account.app.name\n  role               = "roles/iam.serviceAccountUser"\n  member             = "user:jane@example.com"\n}\n',
  ],
});

export const serviceAccountKey = gcpRule({
  id: 'VGL-GCP-016',
  title: 'User-managed service account key',
  description:
    'A google_service_account_key creates a long-lived, user-managed key: the private key lands in the Terraform state (or is uploaded from elsewhere), never expires by default and can be used from anywhere. Google-managed keys and workload identity need no exported secret.',
  severity: 'medium',
  service: 'iam',
  types: ['google_service_account_key'],
  frameworks: [cis('1.4'), ...themes('authn')],
  remediation: 'Remove the key; attach the service account to the workload, use Workload Identity Federation outside Google Cloud, or impersonation for people.',
  fix: '# Instead of a key, let the workload run as the service account:\nresource "google_cloud_run_v2_service" "svc" {\n  # …\n  template {\n    service_account = google_service_account.app.email\n  }\n}',
  references: [`${GOOGLE_DOCS}google_service_account_key`, 'https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys'],
  live: serviceAccountKeyLive,
  check: () => [violation([], 'a user-managed key is created for the service account')],
  bad: [{ text: 'resource "google_service_account_key" "k" {\n  service_account_id = google_service_account.app.name\n}\n', lines: [1] }],
  good: ['resource "google_service_account" "app" {\n  account_id = "app"\n}\n'],
});

const NINETY_DAYS = 90 * 24 * 3600;

/** Seconds of a duration like "7776000s" (fractions allowed), undefined otherwise. */
function seconds(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{1,12})(?:\.\d{1,9})?s$/.exec(v.trim());
  return m === null ? undefined : num(m[1]);
}

const key = (body: string): string => `resource "google_kms_crypto_key" "k" {\n  name     = "k"\n  key_ring = google_kms_key_ring.ring.id\n${body}}\n`;

export const kmsRotation = gcpRule({
  id: 'VGL-GCP-017',
  title: 'KMS key is not rotated at least every 90 days',
  description:
    'A symmetric Cloud KMS key without a rotation_period, or with one longer than 90 days, keeps encrypting new data with the same key version, increasing the data exposed if that version is compromised.',
  severity: 'medium',
  service: 'kms',
  types: ['google_kms_crypto_key'],
  frameworks: [cis('1.10'), ...themes('keys')],
  remediation: 'Set rotation_period to "7776000s" (90 days) or less.',
  fix: 'resource "google_kms_crypto_key" "k" {\n  # …\n  rotation_period = "7776000s"\n}',
  references: [`${GOOGLE_DOCS}kms_crypto_key#rotation_period`, 'https://cloud.google.com/kms/docs/key-rotation'],
  live: kmsRotationLive,
  check(r) {
    // Automatic rotation exists only for symmetric encryption keys.
    const purpose = lower(attr(r, ['purpose']));
    if (purpose !== undefined && purpose !== 'encrypt_decrypt') return [];
    if (attr(r, ['purpose']) !== undefined && !known(attr(r, ['purpose']))) return [];
    const v = attr(r, ['rotation_period']);
    if (v === undefined) return [violation(['rotation_period'], 'no rotation_period: the key is never rotated')];
    const s = known(v) ? seconds(v) : undefined;
    return s !== undefined && s > NINETY_DAYS ? [violation(['rotation_period'], `rotation_period ${show(v)} is longer than 90 days`)] : [];
  },
  bad: [
    { text: key(''), lines: [1] },
    { text: key('  rotation_period = "31536000s"\n'), lines: [4] },
  ],
  good: [key('  rotation_period = "7776000s"\n'), key('  purpose  = "ASYMMETRIC_SIGN"\n')],
});

export const IAM_RULES = [basicRoles, serviceAccountAdmin, projectWideImpersonation, serviceAccountKey, kmsRotation];
