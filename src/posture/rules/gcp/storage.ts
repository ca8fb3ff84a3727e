/**
 * Cloud Storage buckets: uniform bucket-level access (CIS GCP 3.0 5.2), object versioning and
 * access logging (missing, or written into the bucket being logged).
 */
import { violation } from '../../rule.js';
import { attr, firstBlock, known, lower, requireBool } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { cis, GOOGLE_DOCS, gcpRule } from './lib/define.js';
import { bucketLoggingLive, bucketUniformLive, bucketVersioningLive } from './live/storage.js';

const BUCKET = 'google_storage_bucket';
const bucket = (body: string): string => `resource "google_storage_bucket" "b" {\n  name     = "example-bucket"\n  location = "EU"\n${body}}\n`;

export const bucketUniformAccess = gcpRule({
  id: 'VGL-GCP-006',
  title: 'Cloud Storage bucket does not use uniform bucket-level access',
  description:
    'Without uniform bucket-level access, per-object ACLs stay active alongside IAM, so an individual object can be made public or shared without showing up in the bucket\'s IAM policy.',
  severity: 'medium',
  service: 'storage',
  types: [BUCKET],
  frameworks: [cis('5.2'), ...themes('publicData')],
  remediation: 'Set uniform_bucket_level_access = true and manage access with IAM only.',
  fix: 'resource "google_storage_bucket" "b" {\n  # …\n  uniform_bucket_level_access = true\n  public_access_prevention    = "enforced"\n}',
  references: [`${GOOGLE_DOCS}storage_bucket#uniform_bucket_level_access`, 'https://cloud.google.com/storage/docs/uniform-bucket-level-access'],
  live: bucketUniformLive,
  check(r) {
    if (attr(r, ['uniform_bucket_level_access']) === undefined && attr(r, ['bucket_policy_only']) !== undefined) {
      return requireBool(r, ['bucket_policy_only'], true, false, 'object ACLs remain in force');
    }
    return requireBool(r, ['uniform_bucket_level_access'], true, false, 'object ACLs remain in force');
  },
  bad: [
    { text: bucket(''), lines: [1] },
    { text: bucket('  uniform_bucket_level_access = false\n'), lines: [4] },
  ],
  good: [bucket('  uniform_bucket_level_access = true\n')],
});

export const bucketVersioning = gcpRule({
  id: 'VGL-GCP-007',
  title: 'Cloud Storage bucket does not keep object versions',
  description: 'Without object versioning an overwritten or deleted object is gone; a mistaken or malicious delete (or ransomware) cannot be rolled back.',
  severity: 'low',
  service: 'storage',
  types: [BUCKET],
  frameworks: themes('backup'),
  remediation: 'Add versioning { enabled = true } (with lifecycle rules to expire old versions).',
  fix: 'resource "google_storage_bucket" "b" {\n  # …\n  versioning {\n    enabled = true\n  }\n}',
  references: [`${GOOGLE_DOCS}storage_bucket#versioning`],
  live: bucketVersioningLive,
  check(r) {
    const v = firstBlock(r.attrs, 'versioning');
    if (v === undefined) return [violation(['versioning'], 'object versioning is not configured')];
    const enabled = v.block['enabled'];
    if (enabled === undefined || enabled === null) return [violation(v.path, 'object versioning is not enabled')];
    return known(enabled) && lower(enabled) === 'false' ? [violation([...v.path, 'enabled'], 'object versioning is disabled')] : [];
  },
  bad: [
    { text: bucket(''), lines: [1] },
    { text: bucket('  versioning {\n    enabled = false\n  }\n'), lines: [5] },
  ],
  good: [bucket('  versioning {\n    enabled = true\n  }\n')],
});

export const bucketLogging = gcpRule({
  id: 'VGL-GCP-008',
  title: 'Cloud Storage bucket access is not logged elsewhere',
  description:
    'Without a logging block no usage log records who read or changed objects; a bucket that writes its access logs into itself lets anyone who can alter the data also alter the trail.',
  severity: 'low',
  service: 'storage',
  types: [BUCKET],
  frameworks: themes('logging'),
  remediation: 'Add logging { log_bucket = … } pointing at a separate, access-restricted log bucket (or rely on Data Access audit logs).',
  fix: 'resource "google_storage_bucket" "b" {\n  # …\n  logging {\n    log_bucket = google_storage_bucket.logs.name\n  }\n}',
  references: [`${GOOGLE_DOCS}storage_bucket#logging`, 'https://cloud.google.com/storage/docs/access-logs'],
  live: bucketLoggingLive,
  check(r) {
    const log = firstBlock(r.attrs, 'logging');
    if (log === undefined) return [violation(['logging'], 'no access logging is configured')];
    const target = log.block['log_bucket'];
    return known(target) && known(attr(r, ['name'])) && target === attr(r, ['name']) ? [violation([...log.path, 'log_bucket'], 'the bucket writes its access logs into itself')] : [];
  },
  bad: [
    { text: bucket(''), lines: [1] },
    { text: bucket('  logging {\n    log_bucket = "example-bucket"\n  }\n'), lines: [5] },
  ],
  good: [bucket('  logging {\n    log_bucket = "example-logs"\n  }\n')],
});

export const STORAGE_RULES = [bucketUniformAccess, bucketVersioning, bucketLogging];
