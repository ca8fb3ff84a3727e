/**
 * The GCP rules over Cloud Custodian's recorded flights (../shared/data/cloud/custodian-gcp-flights),
 * collected offline by the real collector and analysed by the real engine. Every expectation was
 * worked out by reading the recorded JSON of the directory it names (quoted in the comments);
 * a sub-call that was not recorded is a gap, so the rules needing it must say "not assessed".
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../../../test/helpers/shared.js';
import { analyseCollected } from '../../../collectors/analyse.js';
import { gcpCollector } from '../../../collectors/gcp/index.js';
import type { PostureFinding } from '../../../model.js';
import { gcpRules } from '../index.js';

const DIR = sharedData('cloud', 'custodian-gcp-flights');
const dirs = new Set(DIR ? readdirSync(DIR) : []);

const cache = new Map<string, PostureFinding[]>();
async function findings(dir: string): Promise<PostureFinding[]> {
  const hit = cache.get(dir);
  if (hit) return hit;
  const results = await gcpCollector.collect({ recordings: [join(DIR ?? '', dir)] });
  const all = results.flatMap((r) => analyseCollected(r, gcpRules).report.findings);
  cache.set(dir, all);
  return all;
}

type Status = 'fail' | 'not-assessed' | 'none';

/** The status of `rule` on the resource whose id ends with `/name` (or is `name`). */
function statusOf(all: readonly PostureFinding[], rule: string, name: string): Status {
  const mine = all.filter((f) => f.ruleId === rule && (f.resource.id === name || f.resource.id.endsWith(`/${name}`)));
  if (mine.some((f) => f.status === 'fail')) return 'fail';
  if (mine.some((f) => f.status === 'not-assessed')) return 'not-assessed';
  return 'none';
}

/** [directory, rule, resource name, expected status, what the recording says]. */
const CASES: readonly (readonly [string, string, string, Status, string])[] = [
  // bucket-iam-policy: three buckets with their recorded IAM policies.
  ['bucket-iam-policy', 'VGL-GCP-001', 'cloud-custodian-test-1', 'fail', 'roles/cloudbuild.builds.builder is granted to allUsers'],
  ['bucket-iam-policy', 'VGL-GCP-001', 'cloud-custodian-test-2', 'fail', 'roles/cloudbuild.builds.builder is granted to allAuthenticatedUsers'],
  ['bucket-iam-policy', 'VGL-GCP-001', 'cloud-custodian-test-3', 'none', 'only legacy project roles are granted'],
  ['bucket-iam-policy', 'VGL-GCP-006', 'cloud-custodian-test-1', 'none', 'uniformBucketLevelAccess.enabled is true'],
  ['bucket-iam-policy', 'VGL-GCP-006', 'cloud-custodian-test-2', 'fail', 'uniformBucketLevelAccess.enabled is false'],
  ['bucket-iam-policy', 'VGL-GCP-120', 'cloud-custodian-test-3', 'fail', 'no retentionPolicy'],
  // bucket-iam-policy-matched-glob-admin: the bucket policy grants roles/storage.objectAdmin to allAuthenticatedUsers.
  ['bucket-iam-policy-matched-glob-admin', 'VGL-GCP-001', 'c7n-iam-matched-test-x7r2k', 'fail', 'objectAdmin to allAuthenticatedUsers'],
  // bucket-uniform-bucket-access: the list only; bucket IAM policies were not recorded.
  ['bucket-uniform-bucket-access', 'VGL-GCP-006', 'c7n-dev-test', 'fail', 'uniform bucket-level access off, project ACLs in force'],
  ['bucket-uniform-bucket-access', 'VGL-GCP-006', 'custodian-gce-trail', 'none', 'uniformBucketLevelAccess.enabled is true'],
  ['bucket-uniform-bucket-access', 'VGL-GCP-001', 'custodian-gce-trail', 'not-assessed', 'its IAM policy is not in the recordings'],
  ['bucket-uniform-bucket-access', 'VGL-GCP-007', 'custodian-gce-trail', 'fail', 'no versioning block'],
  // sqlinstance-query: brenttest-6, MYSQL_5_7, ipv4Enabled true, authorizedNetworks [], backups off, no flags, no requireSsl.
  ['sqlinstance-query', 'VGL-GCP-019', 'brenttest-6', 'fail', 'ipv4Enabled true'],
  ['sqlinstance-query', 'VGL-GCP-020', 'brenttest-6', 'none', 'authorizedNetworks is empty'],
  ['sqlinstance-query', 'VGL-GCP-021', 'brenttest-6', 'fail', 'backupConfiguration.enabled false'],
  ['sqlinstance-query', 'VGL-GCP-018', 'brenttest-6', 'fail', 'neither sslMode nor requireSsl'],
  ['sqlinstance-query', 'VGL-GCP-132', 'brenttest-6', 'fail', 'MySQL without skip_show_database'],
  ['sqlinstance-query', 'VGL-GCP-135', 'brenttest-6', 'none', 'a PostgreSQL flag rule on MySQL'],
  // sqlinstance-offhour: kent-testing-sql, private IP only, backups on.
  ['sqlinstance-offhour', 'VGL-GCP-019', 'kent-testing-sql', 'none', 'ipv4Enabled false, privateNetwork set'],
  ['sqlinstance-offhour', 'VGL-GCP-021', 'kent-testing-sql', 'none', 'backupConfiguration.enabled true'],
  // sqlbackuprun-query: custodian-postgres, POSTGRES_9_6, backups on, no database flags.
  ['sqlbackuprun-query', 'VGL-GCP-135', 'custodian-postgres', 'fail', 'log_connections not set'],
  ['sqlbackuprun-query', 'VGL-GCP-141', 'custodian-postgres', 'fail', 'cloudsql.enable_pgaudit not set'],
  ['sqlbackuprun-query', 'VGL-GCP-134', 'custodian-postgres', 'none', 'log_error_verbosity unset = default'],
  ['sqlbackuprun-query', 'VGL-GCP-021', 'custodian-postgres', 'none', 'backups enabled'],
  // instance-effective-firewall: iap-test-webapp, no access config, no service account, metadata without items,
  // enableSecureBoot false, enableConfidentialCompute false, boot disk without diskEncryptionKey.
  ['instance-effective-firewall', 'VGL-GCP-025', 'iap-test-webapp', 'fail', 'block-project-ssh-keys absent'],
  ['instance-effective-firewall', 'VGL-GCP-119', 'iap-test-webapp', 'fail', 'enableSecureBoot false'],
  ['instance-effective-firewall', 'VGL-GCP-121', 'iap-test-webapp', 'fail', 'enableConfidentialCompute false'],
  ['instance-effective-firewall', 'VGL-GCP-027', 'iap-test-webapp', 'fail', 'boot disk with a Google-managed key'],
  ['instance-effective-firewall', 'VGL-GCP-026', 'iap-test-webapp', 'none', 'nic0 has no accessConfigs'],
  ['instance-effective-firewall', 'VGL-GCP-022', 'iap-test-webapp', 'none', 'canIpForward false'],
  ['instance-effective-firewall', 'VGL-GCP-023', 'iap-test-webapp', 'none', 'no service account'],
  // gke-cluster-query-resourceLabels: cluster-1, nodes as serviceAccount "default", COS_CONTAINERD, autoUpgrade,
  // empty masterAuthorizedNetworksConfig, no private cluster, LEGACY_DATAPATH, shieldedNodes on, REGULAR channel,
  // databaseEncryption DECRYPTED, no workloadIdentityConfig.
  ['gke-cluster-query-resourceLabels', 'VGL-GCP-033', 'cluster-1', 'fail', 'node pool serviceAccount default'],
  ['gke-cluster-query-resourceLabels', 'VGL-GCP-150', 'cluster-1', 'fail', 'masterAuthorizedNetworksConfig {}'],
  ['gke-cluster-query-resourceLabels', 'VGL-GCP-152', 'cluster-1', 'fail', 'no network policy, legacy datapath'],
  ['gke-cluster-query-resourceLabels', 'VGL-GCP-154', 'cluster-1', 'fail', 'no workloadIdentityConfig'],
  ['gke-cluster-query-resourceLabels', 'VGL-GCP-156', 'cluster-1', 'fail', 'databaseEncryption DECRYPTED'],
  ['gke-cluster-query-resourceLabels', 'VGL-GCP-032', 'cluster-1', 'none', 'legacyAbac {}'],
  ['gke-cluster-query-resourceLabels', 'VGL-GCP-034', 'cluster-1', 'none', 'management.autoUpgrade true'],
  ['gke-cluster-query-resourceLabels', 'VGL-GCP-035', 'cluster-1', 'none', 'imageType COS_CONTAINERD'],
  ['gke-cluster-query-resourceLabels', 'VGL-GCP-153', 'cluster-1', 'none', 'shieldedNodes.enabled true'],
  ['gke-cluster-query-resourceLabels', 'VGL-GCP-155', 'cluster-1', 'none', 'releaseChannel REGULAR'],
  // project-iam-policy: three projects; custodian-test grants roles/owner to serviceAccount:abc@… and user:abc@gmail.com,
  // custodian-test-3 grants roles/editor to allUsers; all three log DATA_WRITE and DATA_READ for allServices.
  ['project-iam-policy', 'VGL-GCP-013', 'custodian-test', 'fail', 'roles/owner, roles/editor and roles/viewer granted'],
  ['project-iam-policy', 'VGL-GCP-014', 'custodian-test', 'fail', 'roles/owner to serviceAccount:abc@testproject'],
  ['project-iam-policy', 'VGL-GCP-014', 'custodian-test-2', 'fail', 'roles/admin and roles/editor to service accounts'],
  ['project-iam-policy', 'VGL-GCP-014', 'custodian-test-3', 'none', 'admin roles only to a group, a user and allUsers'],
  ['project-iam-policy', 'VGL-GCP-129', 'custodian-test-2', 'fail', 'user:zzz@gmail.com is an editor'],
  ['project-iam-policy', 'VGL-GCP-131', 'custodian-test-3', 'fail', 'roles/editor to allUsers'],
  ['project-iam-policy', 'VGL-GCP-131', 'custodian-test', 'none', 'no public member'],
  ['project-iam-policy', 'VGL-GCP-100', 'custodian-test', 'none', 'allServices logs DATA_WRITE and DATA_READ'],
  ['project-iam-policy', 'VGL-GCP-117', 'custodian-test', 'not-assessed', 'the Compute project settings were not recorded'],
  // project-iam-policy-chained-filters: one service account is owner, editor and viewer; no auditConfigs.
  ['project-iam-policy-chained-filters', 'VGL-GCP-100', 'stacklet-test-policies', 'fail', 'no auditConfigs'],
  ['project-iam-policy-chained-filters', 'VGL-GCP-014', 'stacklet-test-policies', 'fail', 'roles/owner to serviceAccount:c7n-iam-chained-x7r2k'],
  // iam-service-account-key-query: a SYSTEM_MANAGED key and a USER_MANAGED key valid after 2021-03-31.
  ['iam-service-account-key-query', 'VGL-GCP-016', 'test-cutodian-scc@cloud-custodian.iam.gserviceaccount.com', 'fail', 'one USER_MANAGED key'],
  ['iam-service-account-key-query', 'VGL-GCP-122', 'test-cutodian-scc@cloud-custodian.iam.gserviceaccount.com', 'fail', 'the user-managed key dates from 2021'],
  // iam-service-account-iam-policy: the account's IAM policy is recorded, its keys are not.
  ['iam-service-account-iam-policy', 'VGL-GCP-016', 'my-sa-42dc4145@c7n-policy-dev.iam.gserviceaccount.com', 'not-assessed', 'keys not in the recordings'],
  // kms-cryptokey-query: key cloud-custodian, ENCRYPT_DECRYPT, no rotationPeriod; its IAM policy not recorded.
  ['kms-cryptokey-query', 'VGL-GCP-017', 'cloud-custodian', 'fail', 'no rotationPeriod'],
  ['kms-cryptokey-query', 'VGL-GCP-002', 'cryptoKeys/cloud-custodian', 'not-assessed', 'key IAM policy not in the recordings'],
  // logsink: sink "storage" exports to a bucket of another project (staging.test-project-232910.appspot.com).
  ['logsink', 'VGL-GCP-103', 'storage', 'not-assessed', 'the destination bucket is not in the scan'],
];

test('GCP rules on recorded flights: findings match what the recordings hold', { skip: DIR ? false : skipMessage('cloud/custodian-gcp-flights') }, async (t) => {
  let agree = 0;
  const wrong: string[] = [];
  let skipped = 0;
  for (const [dir, rule, name, want, why] of CASES) {
    if (!dirs.has(dir)) {
      skipped++;
      t.diagnostic(skipMessage(`cloud/custodian-gcp-flights/${dir}`));
      continue;
    }
    const got = statusOf(await findings(dir), rule, name);
    if (got === want) agree++;
    else wrong.push(`${dir}: ${rule} on ${name}: want ${want} (${why}), got ${got}`);
  }
  t.diagnostic(`gcp rules on flights: ${agree}/${CASES.length - skipped} agreeing`);
  assert.deepEqual(wrong, []);
});

test('recorded flights: nothing collected fails a rule without a reason, and unread data is never a pass', { skip: DIR ? false : skipMessage('cloud/custodian-gcp-flights') }, async () => {
  for (const dir of ['bucket-uniform-bucket-access', 'kms-location', 'iam-service-account-iam-policy-multi']) {
    if (!dirs.has(dir)) continue;
    const all = await findings(dir);
    for (const f of all) assert.ok(f.message.length > 0, `${dir}: ${f.ruleId} has a message`);
    // kms-location: 17 key rings whose IAM policies were not recorded: VGL-GCP-002 says so for each.
    if (dir === 'kms-location') assert.equal(all.filter((f) => f.ruleId === 'VGL-GCP-002' && f.status === 'not-assessed' && f.resource.id.startsWith('//cloudkms.googleapis.com/') && f.resource.id.includes('/keyRings/')).length, 17);
    // iam-service-account-iam-policy-multi: four accounts, keys not recorded: not assessed, never failed or passed.
    if (dir === 'iam-service-account-iam-policy-multi') {
      const keyFindings = all.filter((f) => f.ruleId === 'VGL-GCP-016');
      assert.equal(keyFindings.filter((f) => f.status === 'not-assessed').length, 4);
      assert.equal(keyFindings.filter((f) => f.status === 'fail').length, 0);
    }
  }
});
