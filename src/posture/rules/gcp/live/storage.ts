/**
 * Cloud Storage buckets as collected (`storage/v1/b?projection=full` plus the bucket IAM policy
 * under `iamPolicy`): the live halves of VGL-GCP-001 (public, CIS GCP 5.1), 006 (uniform
 * bucket-level access, 5.2), 007 (versioning) and 008 (access logging), and VGL-GCP-120
 * (retention policy).
 */
import { bool, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { themes } from '../../shared/controls.js';
import { collected, needs, type LiveSpec } from '../../shared/live.js';
import { liveRule } from '../../shared/define.js';
import { bindings, denied, dig, gcpRes, GCP, isPublicPrincipal, items, policy } from '../lib/live.js';
import type { SubCallGap } from '../../../collectors/types.js';

const bucketId = (name: string): string => `//storage.googleapis.com/projects/_/buckets/${name}`;

function bucket(name: string, attrs: Record<string, unknown>, iam?: Record<string, unknown>, gaps?: Record<string, SubCallGap>) {
  return gcpRes(
    GCP.bucket,
    bucketId(name),
    {
      kind: 'storage#bucket',
      id: name,
      name,
      location: 'EU',
      storageClass: 'STANDARD',
      iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'inherited' },
      ...attrs,
      ...(iam ? { iamPolicy: iam } : {}),
    },
    'eu',
    gaps,
  );
}

const OWNERS = { 'roles/storage.legacyBucketOwner': ['projectOwner:example-project', 'projectEditor:example-project'] };
const uniform = (enabled: unknown): Record<string, unknown> => ({ iamConfiguration: { uniformBucketLevelAccess: { enabled } } });

/** Public access prevention enforced: no grant to allUsers / allAuthenticatedUsers takes effect. */
const preventsPublic = (r: Resource): boolean => str(dig(r.attrs, 'iamConfiguration', 'publicAccessPrevention'))?.toLowerCase() === 'enforced';

function publicBucket(r: Resource): Violation[] {
  if (preventsPublic(r)) return [];
  const out: Violation[] = [];
  for (const key of ['acl', 'defaultObjectAcl']) {
    for (const { item, index } of items(r.attrs[key])) {
      const entity = str(item['entity']);
      if (entity !== undefined && isPublicPrincipal(entity)) out.push(violation([key, index, 'entity'], `the ${key === 'acl' ? 'bucket' : 'default object'} ACL grants ${str(item['role']) ?? 'access'} to ${entity}`));
    }
  }
  const missing = needs(r, 'iamPolicy');
  if (missing.length > 0) return out.length > 0 ? out : missing;
  for (const b of bindings(r)) {
    const who = b.members.filter(isPublicPrincipal);
    if (who.length > 0) out.push(violation(b.path, `${who.join(' and ')} ${who.length > 1 ? 'are' : 'is'} granted ${b.role}`));
  }
  return out;
}

export const bucketPublicLive: LiveSpec = {
  kinds: [GCP.bucket],
  check: publicBucket,
  cli: 'gcloud storage buckets remove-iam-policy-binding gs://<bucket> --member=allUsers --role=<role> && gcloud storage buckets update gs://<bucket> --public-access-prevention',
  console: 'Cloud Storage → Buckets → the bucket → Permissions → remove allUsers / allAuthenticatedUsers → Prevent public access.',
  bad: [
    collected(
      'gcp',
      [
        bucket('public-iam', {}, policy({ ...OWNERS, 'roles/storage.objectViewer': ['allUsers'] })),
        bucket('public-acl', { ...uniform(false), acl: [{ entity: 'project-owners-123', role: 'OWNER' }, { entity: 'allAuthenticatedUsers', role: 'READER' }] }, policy(OWNERS)),
        bucket('private', {}, policy(OWNERS)),
        // The policy could not be read: not assessed, never a pass or a fail.
        bucket('unknown', {}, undefined, { iamPolicy: denied('GET /storage/v1/b/unknown/iam') }),
      ],
      [bucketId('public-iam'), bucketId('public-acl')],
    ),
  ],
  good: [
    collected('gcp', [
      bucket('private', {}, policy({ ...OWNERS, 'roles/storage.objectViewer': ['group:readers@example.com'] })),
      // Public access prevention enforced: the allUsers grant has no effect.
      bucket('prevented', { iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' } }, policy({ 'roles/storage.objectViewer': ['allUsers'] })),
    ]),
  ],
};

export const bucketUniformLive: LiveSpec = {
  kinds: [GCP.bucket],
  check(r) {
    const enabled = bool(dig(r.attrs, 'iamConfiguration', 'uniformBucketLevelAccess', 'enabled'));
    return enabled === true ? [] : [violation(['iamConfiguration', 'uniformBucketLevelAccess', 'enabled'], 'uniform bucket-level access is off: object ACLs remain in force')];
  },
  cli: 'gcloud storage buckets update gs://<bucket> --uniform-bucket-level-access',
  console: 'Cloud Storage → Buckets → the bucket → Permissions → Access control → Switch to uniform.',
  bad: [collected('gcp', [bucket('fine-grained', uniform(false)), bucket('legacy', { iamConfiguration: { bucketPolicyOnly: { enabled: false } } }), bucket('uniform', {})], [bucketId('fine-grained'), bucketId('legacy')])],
  good: [collected('gcp', [bucket('uniform', {}), bucket('locked', uniform('true'))])],
};

export const bucketVersioningLive: LiveSpec = {
  kinds: [GCP.bucket],
  check: (r) => (bool(dig(r.attrs, 'versioning', 'enabled')) === true ? [] : [violation(['versioning', 'enabled'], 'object versioning is not enabled')]),
  cli: 'gcloud storage buckets update gs://<bucket> --versioning',
  console: 'Cloud Storage → Buckets → the bucket → Protection → Object versioning → On.',
  bad: [collected('gcp', [bucket('unversioned', {}), bucket('suspended', { versioning: { enabled: false } }), bucket('versioned', { versioning: { enabled: true } })], [bucketId('unversioned'), bucketId('suspended')])],
  good: [collected('gcp', [bucket('versioned', { versioning: { enabled: true } })])],
};

export const bucketLoggingLive: LiveSpec = {
  kinds: [GCP.bucket],
  check(r) {
    const target = str(dig(r.attrs, 'logging', 'logBucket'));
    if (target === undefined || target === '') return [violation(['logging'], 'no usage logging is configured')];
    return target === str(r.attrs['name']) ? [violation(['logging', 'logBucket'], 'the bucket writes its usage logs into itself')] : [];
  },
  cli: 'gcloud storage buckets update gs://<bucket> --log-bucket=gs://<log-bucket>',
  console: 'Usage logs are set with gcloud or the JSON API (Console: enable Data Access audit logs for Cloud Storage instead).',
  bad: [collected('gcp', [bucket('silent', {}), bucket('self', { logging: { logBucket: 'self' } }), bucket('logged', { logging: { logBucket: 'example-logs' } })], [bucketId('silent'), bucketId('self')])],
  good: [collected('gcp', [bucket('logged', { logging: { logBucket: 'example-logs', logObjectPrefix: 'logged' } })])],
};

export const bucketRetention = liveRule('gcp', {
  id: 'VGL-GCP-120',
  title: 'Cloud Storage bucket has no retention policy',
  description:
    'Without a retention policy any principal with delete permission (or a compromised credential, or ransomware) can remove objects at once; a retention policy keeps each object for a minimum period, and locking it makes that period irreversible.',
  severity: 'low',
  service: 'storage',
  frameworks: themes('backup', 'retention'),
  remediation: 'Set a retention policy on buckets that hold records or backups (and lock it once the period is right).',
  references: ['https://cloud.google.com/storage/docs/bucket-lock'],
  live: {
    kinds: [GCP.bucket],
    check(r) {
      const period = Number(str(dig(r.attrs, 'retentionPolicy', 'retentionPeriod')) ?? '0');
      return Number.isFinite(period) && period > 0 ? [] : [violation(['retentionPolicy'], 'no retention policy: objects can be deleted at any time')];
    },
    cli: 'gcloud storage buckets update gs://<bucket> --retention-period=<seconds>s',
    console: 'Cloud Storage → Buckets → the bucket → Protection → Bucket retention policy → Set.',
    bad: [collected('gcp', [bucket('plain', {}), bucket('kept', { retentionPolicy: { retentionPeriod: '2592000', effectiveTime: '2026-01-01T00:00:00Z' } })], [bucketId('plain')])],
    good: [collected('gcp', [bucket('kept', { retentionPolicy: { retentionPeriod: '2592000', effectiveTime: '2026-01-01T00:00:00Z', isLocked: true } })])],
  },
});

export const STORAGE_LIVE_RULES: readonly Rule[] = [bucketRetention];

export { bucket as liveBucket };
