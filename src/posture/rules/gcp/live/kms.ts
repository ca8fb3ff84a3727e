/**
 * Cloud KMS key rings and keys as collected (with their IAM policies under `iamPolicy`): the live
 * halves of VGL-GCP-002 (public, CIS GCP 1.9) and 017 (rotation within 90 days, 1.10).
 */
import { str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { collected, needs, type ExampleResource, type LiveSpec } from '../../shared/live.js';
import { bindings, DAY_S, denied, dig, durationSeconds, gcpRes, GCP, isPublicPrincipal, policy, PROJECT_ID } from '../lib/live.js';

const RING = `projects/${PROJECT_ID}/locations/europe-west1/keyRings/app`;
const ringId = `//cloudkms.googleapis.com/${RING}`;
const keyId = (name: string): string => `//cloudkms.googleapis.com/${RING}/cryptoKeys/${name}`;

function ring(iam: Record<string, unknown> | undefined): ExampleResource {
  return gcpRes(GCP.keyRing, ringId, { name: RING, createTime: '2025-01-01T00:00:00Z', ...(iam ? { iamPolicy: iam } : {}) }, 'europe-west1', iam ? undefined : { iamPolicy: denied(`GET /v1/${RING}:getIamPolicy`) });
}

function cryptoKey(name: string, attrs: Record<string, unknown>, iam: Record<string, unknown> = policy({})): ExampleResource {
  return gcpRes(
    GCP.cryptoKey,
    keyId(name),
    {
      name: `${RING}/cryptoKeys/${name}`,
      purpose: 'ENCRYPT_DECRYPT',
      primary: { name: `${RING}/cryptoKeys/${name}/cryptoKeyVersions/1`, state: 'ENABLED', protectionLevel: 'SOFTWARE', algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION' },
      versionTemplate: { protectionLevel: 'SOFTWARE', algorithm: 'GOOGLE_SYMMETRIC_ENCRYPTION' },
      createTime: '2025-01-01T00:00:00Z',
      ...attrs,
      iamPolicy: iam,
    },
    'europe-west1',
  );
}

function publicKms(r: Resource): Violation[] {
  const missing = needs(r, 'iamPolicy');
  if (missing.length > 0) return missing;
  return bindings(r).flatMap((b) => {
    const who = b.members.filter(isPublicPrincipal);
    return who.length > 0 ? [violation(b.path, `${who.join(' and ')} ${who.length > 1 ? 'are' : 'is'} granted ${b.role}`)] : [];
  });
}

export const kmsPublicLive: LiveSpec = {
  kinds: [GCP.keyRing, GCP.cryptoKey],
  check: publicKms,
  cli: 'gcloud kms keys remove-iam-policy-binding <key> --keyring=<ring> --location=<location> --member=allUsers --role=<role>',
  console: 'Security → Key Management → the key ring or key → Permissions → remove allUsers / allAuthenticatedUsers.',
  bad: [
    collected(
      'gcp',
      [ring(policy({ 'roles/cloudkms.viewer': ['allAuthenticatedUsers'] })), cryptoKey('open', { rotationPeriod: '7776000s' }, policy({ 'roles/cloudkms.cryptoKeyDecrypter': ['allUsers'] })), cryptoKey('closed', {})],
      [ringId, keyId('open')],
    ),
  ],
  good: [collected('gcp', [ring(policy({ 'roles/cloudkms.admin': ['group:kms-admins@example.com'] })), cryptoKey('closed', {}, policy({ 'roles/cloudkms.cryptoKeyEncrypterDecrypter': [`serviceAccount:app@${PROJECT_ID}.iam.gserviceaccount.com`] }))])],
};

const NINETY_DAYS = 90 * DAY_S;
/** Keys Cloud KMS cannot rotate by itself (external key managers). */
const EXTERNAL = new Set(['EXTERNAL', 'EXTERNAL_VPC']);

function rotation(r: Resource): Violation[] {
  if (str(r.attrs['purpose']) !== 'ENCRYPT_DECRYPT') return [];
  const state = str(dig(r.attrs, 'primary', 'state'));
  if (state !== undefined && state !== 'ENABLED') return [];
  if (EXTERNAL.has(str(dig(r.attrs, 'versionTemplate', 'protectionLevel')) ?? '')) return [];
  const period = r.attrs['rotationPeriod'];
  if (period === undefined || period === null) return [violation(['rotationPeriod'], 'no rotation period: the key is never rotated automatically')];
  const s = durationSeconds(period);
  if (s === undefined) return [];
  if (s > NINETY_DAYS) return [violation(['rotationPeriod'], `rotation period ${String(Math.round(s / DAY_S))} days is longer than 90`)];
  return r.attrs['nextRotationTime'] === undefined ? [violation(['nextRotationTime'], 'no next rotation time: automatic rotation is not scheduled')] : [];
}

export const kmsRotationLive: LiveSpec = {
  kinds: [GCP.cryptoKey],
  check: rotation,
  cli: 'gcloud kms keys update <key> --keyring=<ring> --location=<location> --rotation-period=90d --next-rotation-time=<rfc3339-time>',
  console: 'Security → Key Management → the key ring → the key → Edit rotation period → 90 days or less.',
  bad: [
    collected(
      'gcp',
      [cryptoKey('never', {}), cryptoKey('yearly', { rotationPeriod: '31536000s', nextRotationTime: '2026-12-01T00:00:00Z' }), cryptoKey('quarterly', { rotationPeriod: '7776000s', nextRotationTime: '2026-09-01T00:00:00Z' })],
      [keyId('never'), keyId('yearly')],
    ),
  ],
  good: [
    collected('gcp', [
      cryptoKey('quarterly', { rotationPeriod: '7776000s', nextRotationTime: '2026-09-01T00:00:00Z' }),
      // Asymmetric keys cannot rotate automatically; destroyed keys protect nothing new.
      cryptoKey('signing', { purpose: 'ASYMMETRIC_SIGN' }),
      cryptoKey('destroyed', { primary: { state: 'DESTROYED' } }),
      cryptoKey('ekm', { versionTemplate: { protectionLevel: 'EXTERNAL', algorithm: 'EXTERNAL_SYMMETRIC_ENCRYPTION' } }),
    ]),
  ],
};
