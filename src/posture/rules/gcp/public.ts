/**
 * Resources opened to `allUsers` (anyone) or `allAuthenticatedUsers` (anyone with a Google
 * account), one rule per service so each maps to its own CIS GCP 3.0 section: Cloud Storage
 * (IAM and legacy ACLs, 5.1), Cloud KMS (1.9), BigQuery (dataset access blocks and IAM, 7.1),
 * Cloud Run and Cloud Functions. The finding is reported on the resource that makes the grant.
 * Buckets, KMS and BigQuery also check collected data (live/).
 */
import type { AttrPath, Resource, Violation } from '../../model.js';
import { violation, type Rule, type RuleContext } from '../../rule.js';
import { blocksAt, lower, show } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { cis, GOOGLE_DOCS, gcpRule } from './lib/define.js';
import { grantsOf, iamTypes, isPublicMember } from './lib/iam.js';
import type { LiveSpec } from '../shared/live.js';
import { bigqueryPublicLive } from './live/bigquery.js';
import { kmsPublicLive } from './live/kms.js';
import { bucketPublicLive } from './live/storage.js';

function publicGrants(r: Resource, ctx: RuleContext): Violation[] {
  const seen = new Set<string>();
  const out: Violation[] = [];
  for (const g of grantsOf(r, ctx)) {
    if (!isPublicMember(g.member)) continue;
    const key = g.path.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(violation(g.path, `${g.member} is granted ${typeof g.role === 'string' ? g.role : 'a role'}`));
  }
  return out;
}

/** Legacy ACL entities and predefined ACLs that make objects public. */
const PUBLIC_ACLS = new Set(['publicread', 'publicreadwrite', 'authenticatedread']);

function publicAcl(r: Resource): Violation[] {
  const out: Violation[] = [];
  const predefined = lower(r.attrs['predefined_acl']);
  if (predefined !== undefined && PUBLIC_ACLS.has(predefined)) out.push(violation(['predefined_acl'], `predefined_acl "${show(r.attrs['predefined_acl'])}" makes the data public`));
  const entities = r.attrs['role_entity'];
  if (Array.isArray(entities)) {
    entities.forEach((e, i) => {
      const entity = typeof e === 'string' ? e.slice(e.indexOf(':') + 1) : '';
      if (isPublicMember(entity)) out.push(violation(['role_entity', i], `ACL entry ${show(e)} makes the data public`));
    });
  }
  const entity = r.attrs['entity'];
  if (typeof entity === 'string' && isPublicMember(entity)) out.push(violation(['entity'], `ACL entity ${entity} makes the data public`));
  return out;
}

interface PublicSpec {
  readonly id: string;
  readonly what: string;
  readonly service: string;
  readonly severity: Rule['severity'];
  readonly cis?: string;
  readonly types: readonly string[];
  readonly check: (r: Resource, ctx: RuleContext) => Violation[];
  readonly fix: string;
  readonly references: readonly string[];
  readonly bad: readonly { readonly text: string; readonly lines: readonly number[] }[];
  readonly good: readonly string[];
  readonly live?: LiveSpec;
}

function publicRule(s: PublicSpec): Rule {
  return gcpRule({
    id: s.id,
    title: `${s.what} is publicly accessible`,
    description: `An IAM grant or ACL to allUsers (anyone, without signing in) or allAuthenticatedUsers (anyone with any Google account) exposes the ${s.what.toLowerCase()} to the whole Internet.`,
    severity: s.severity,
    service: s.service,
    types: s.types,
    frameworks: [...(s.cis === undefined ? [] : [cis(s.cis)]), ...themes('publicData')],
    remediation: 'Remove allUsers and allAuthenticatedUsers from the grants; grant roles to specific users, groups or service accounts.',
    fix: s.fix,
    references: s.references,
    check: s.check,
    bad: s.bad,
    good: s.good,
    ...(s.live ? { live: s.live } : {}),
  });
}

const bucketMember = (member: string): string =>
  `resource "google_storage_bucket_iam_member" "m" {\n  bucket = google_storage_bucket.b.name\n  role   = "roles/storage.objectViewer"\n  member = "${member}"\n}\n`;

export const bucketPublic = publicRule({
  id: 'VGL-GCP-001',
  what: 'Cloud Storage bucket',
  service: 'storage',
  severity: 'high',
  cis: '5.1',
  types: [
    ...iamTypes('google_storage_bucket'),
    'google_storage_bucket_acl',
    'google_storage_default_object_acl',
    'google_storage_object_acl',
    'google_storage_bucket_access_control',
    'google_storage_default_object_access_control',
    'google_storage_object_access_control',
  ],
  check: (r, ctx) => (r.type.includes('_iam_') ? publicGrants(r, ctx) : publicAcl(r)),
  fix: 'resource "google_storage_bucket_iam_member" "readers" {\n  bucket = google_storage_bucket.b.name\n  role   = "roles/storage.objectViewer"\n  member = "group:readers@example.com"\n}',
  references: [`${GOOGLE_DOCS}storage_bucket_iam`, 'https://cloud.google.com/storage/docs/public-access-prevention'],
  live: bucketPublicLive,
  bad: [
    { text: bucketMember('allUsers'), lines: [4] },
    {
      text: 'resource "google_storage_bucket_acl" "acl" {\n  bucket      = google_storage_bucket.b.name\n  role_entity = [\n    "OWNER:user-admin@example.com",\n    "READER:allUsers",\n  ]\n}\n',
      lines: [5],
    },
  ],
  good: [bucketMember('group:readers@example.com')],
});

export const kmsKeyPublic = publicRule({
  id: 'VGL-GCP-002',
  what: 'Cloud KMS key',
  service: 'kms',
  severity: 'high',
  cis: '1.9',
  types: iamTypes('google_kms_crypto_key', 'google_kms_key_ring'),
  check: publicGrants,
  fix: 'resource "google_kms_crypto_key_iam_member" "encrypter" {\n  crypto_key_id = google_kms_crypto_key.k.id\n  role          = "roles/cloudkms.cryptoKeyEncrypterDecrypter"\n  member        = "serviceAccount:app@example-project.iam.gserviceaccount.com"\n}',
  references: [`${GOOGLE_DOCS}google_kms_crypto_key_iam`],
  live: kmsPublicLive,
  bad: [
    {
      text: 'data "google_iam_policy" "p" {\n  binding {\n    role    = "roles/cloudkms.cryptoKeyEncrypter"\n    members = ["allAuthenticatedUsers"]\n  }\n}\n\nresource "google_kms_crypto_key_iam_policy" "policy" {\n  crypto_key_id = google_kms_crypto_key.k.id\n  policy_data   = data.google_iam_policy.p.policy_data\n}\n',
      lines: [10],
    },
  ],
  good: [
    'resource "google_kms_crypto_key_iam_binding" "b" {\n  crypto_key_id = google_kms_crypto_key.k.id\n  role          = "roles/cloudkms.cryptoKeyEncrypter"\n  members       = ["serviceAccount:app@example-project.iam.gserviceaccount.com"]\n}\n',
  ],
});

/** Access blocks of google_bigquery_dataset and google_bigquery_dataset_access resources. */
function datasetAccess(r: Resource): Violation[] {
  const entries: { block: Record<string, unknown>; path: AttrPath }[] =
    r.type === 'google_bigquery_dataset_access' ? [{ block: r.attrs, path: [] }] : blocksAt(r.attrs, 'access');
  return entries.flatMap(({ block, path }) =>
    ['special_group', 'iam_member'].flatMap((key) => {
      const v = block[key];
      return typeof v === 'string' && isPublicMember(v) ? [violation([...path, key], `${v} has ${show(block['role'] ?? 'access')} on the dataset`)] : [];
    }),
  );
}

export const bigqueryPublic = publicRule({
  id: 'VGL-GCP-003',
  what: 'BigQuery dataset or table',
  service: 'bigquery',
  severity: 'high',
  cis: '7.1',
  types: ['google_bigquery_dataset', 'google_bigquery_dataset_access', ...iamTypes('google_bigquery_dataset', 'google_bigquery_table')],
  check: (r, ctx) => (r.type.includes('_iam_') ? publicGrants(r, ctx) : datasetAccess(r)),
  fix: 'resource "google_bigquery_dataset" "ds" {\n  # …\n  access {\n    role           = "READER"\n    group_by_email = "analysts@example.com"\n  }\n}',
  references: [`${GOOGLE_DOCS}bigquery_dataset#access`, `${GOOGLE_DOCS}bigquery_table_iam`],
  live: bigqueryPublicLive,
  bad: [
    {
      text: 'resource "google_bigquery_dataset" "ds" {\n  dataset_id = "ds"\n  location   = "EU"\n\n  access {\n    role          = "READER"\n    special_group = "allAuthenticatedUsers"\n  }\n}\n',
      lines: [7],
    },
    {
      text: 'resource "google_bigquery_table_iam_binding" "b" {\n  dataset_id = "ds"\n  table_id   = "t"\n  role       = "roles/bigquery.dataViewer"\n  members = [\n    "user:jane@example.com",\n    "allUsers",\n  ]\n}\n',
      lines: [7],
    },
  ],
  good: [
    'resource "google_bigquery_dataset" "ds" {\n  dataset_id = "ds"\n  location   = "EU"\n\n  access {\n    role   = "READER"\n    domain = "example.com"\n  }\n}\n',
  ],
});

export const cloudRunPublic = publicRule({
  id: 'VGL-GCP-004',
  what: 'Cloud Run service',
  service: 'cloud-run',
  severity: 'medium',
  types: iamTypes('google_cloud_run_service', 'google_cloud_run_v2_service', 'google_cloud_run_v2_job'),
  check: publicGrants,
  fix: 'resource "google_cloud_run_v2_service_iam_member" "invoker" {\n  name   = google_cloud_run_v2_service.svc.name\n  role   = "roles/run.invoker"\n  member = "serviceAccount:caller@example-project.iam.gserviceaccount.com"\n}',
  references: [`${GOOGLE_DOCS}cloud_run_v2_service_iam`, 'https://cloud.google.com/run/docs/authenticating/public'],
  bad: [
    {
      text: 'resource "google_cloud_run_service_iam_member" "public" {\n  service  = google_cloud_run_service.svc.name\n  location = "europe-west1"\n  role     = "roles/run.invoker"\n  member   = "allUsers"\n}\n',
      lines: [5],
    },
  ],
  good: [
    'resource "google_cloud_run_service_iam_member" "caller" {\n  service  = google_cloud_run_service.svc.name\n  location = "europe-west1"\n  role     = "roles/run.invoker"\n  member   = "serviceAccount:caller@example-project.iam.gserviceaccount.com"\n}\n',
  ],
});

export const cloudFunctionPublic = publicRule({
  id: 'VGL-GCP-005',
  what: 'Cloud Function',
  service: 'cloud-functions',
  severity: 'medium',
  types: iamTypes('google_cloudfunctions_function', 'google_cloudfunctions2_function'),
  check: publicGrants,
  fix: 'resource "google_cloudfunctions2_function_iam_member" "invoker" {\n  cloud_function = google_cloudfunctions2_function.fn.name\n  role           = "roles/cloudfunctions.invoker"\n  member         = "serviceAccount:caller@example-project.iam.gserviceaccount.com"\n}',
  references: [`${GOOGLE_DOCS}cloudfunctions_function_iam`],
  bad: [
    {
      text: 'resource "google_cloudfunctions_function_iam_binding" "invokers" {\n  cloud_function = google_cloudfunctions_function.fn.name\n  role           = "roles/cloudfunctions.invoker"\n  members        = ["allUsers"]\n}\n',
      lines: [4],
    },
  ],
  good: [
    'resource "google_cloudfunctions_function_iam_binding" "invokers" {\n  cloud_function = google_cloudfunctions_function.fn.name\n  role           = "roles/cloudfunctions.invoker"\n  members        = ["group:callers@example.com"]\n}\n',
  ],
});

export const PUBLIC_RULES = [bucketPublic, kmsKeyPublic, bigqueryPublic, cloudRunPublic, cloudFunctionPublic];
