/**
 * The GCP rules through the real Terraform inputs: every example, plus IAM grant shapes
 * (member, members, policy JSON, google_iam_policy data sources), unresolved values, firewall
 * source defaults and plan JSON.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeContext } from '../../engine.js';
import type { Resource } from '../../model.js';
import { RULE_ID, type Rule } from '../../rule.js';
import { exampleMismatches, planJson, runRule } from '../shared/example-runner.js';
import { firewallRdp, firewallSsh } from './firewall.js';
import { gkeDefaultServiceAccount } from './gke.js';
import { basicRoles } from './iam.js';
import { gcpRules } from './index.js';
import { gcpLiveRules } from './live/index.js';
import { grantsOf, isPublicMember } from './lib/iam.js';
import { bucketPublic, kmsKeyPublic } from './public.js';
import { sqlSslNotRequired } from './sql.js';
import { kmsRotation } from './iam.js';

test('ids are VGL-GCP-NNN, unique; Terraform rules numbered without gaps from 001, live-only ones from 100', () => {
  const ids = gcpRules.map((r) => r.id).sort();
  assert.equal(new Set(ids).size, ids.length);
  const tf = gcpRules.filter((r) => r.kinds.some((k) => k.startsWith('tf:'))).map((r) => r.id).sort();
  tf.forEach((id, i) => {
    assert.match(id, RULE_ID);
    assert.equal(id, `VGL-GCP-${String(i + 1).padStart(3, '0')}`);
  });
  for (const r of gcpLiveRules) assert.ok(/^VGL-GCP-1\d\d$/.test(r.id) && r.kinds.every((k) => k.startsWith('gcp:')), r.id);
  for (const r of gcpRules) assert.ok(r.platform === 'gcp' && r.kinds.every((k) => k.startsWith('tf:google_') || k.startsWith('gcp:')), r.id);
});

/** The rule with its Terraform examples only (the registry test runs the collected ones). */
const terraformOnly = (rule: Rule): Rule => ({
  ...rule,
  examples: { bad: rule.examples.bad.filter((e) => e.input === 'terraform'), good: rule.examples.good.filter((e) => e.input === 'terraform') },
});

describe('examples', () => {
  for (const rule of gcpRules.filter((r) => r.kinds.some((k) => k.startsWith('tf:')))) {
    test(rule.id, async () => {
      assert.deepEqual(await exampleMismatches(terraformOnly(rule)), []);
    });
  }
});

function res(type: string, attrs: Record<string, unknown>, refs: string[] = [], id = `${type}.x`): Resource {
  return { kind: `tf:${type}`, input: 'terraform', provider: 'gcp', type, id, name: 'x', file: 'main.tf', line: 1, endLine: 1, attrs, lineOf: () => undefined, refs, suppressions: [] };
}

describe('IAM grants', () => {
  test('member, members and policy JSON', () => {
    const ctx = makeContext([]);
    assert.deepEqual(
      grantsOf(res('google_storage_bucket_iam_member', { role: 'r', member: 'allUsers' }), ctx).map((g) => [g.member, g.path]),
      [['allUsers', ['member']]],
    );
    assert.deepEqual(
      grantsOf(res('google_storage_bucket_iam_binding', { role: 'r', members: ['user:a@example.com', '${var.m}', 7, 'allAuthenticatedUsers'] }), ctx).map((g) => [g.member, g.path]),
      [
        ['user:a@example.com', ['members', 0]],
        ['allAuthenticatedUsers', ['members', 3]],
      ],
    );
    const policy = JSON.stringify({ bindings: [{ role: 'roles/owner', members: ['allUsers'] }, { role: 'roles/viewer' }, 'junk'] });
    assert.deepEqual(
      grantsOf(res('google_project_iam_policy', { policy_data: policy }), ctx).map((g) => [g.role, g.member, g.path]),
      [['roles/owner', 'allUsers', ['policy_data']]],
    );
  });

  test('policy data from a google_iam_policy data source', () => {
    const data = res('data.google_iam_policy', { binding: [{ role: 'roles/editor', members: ['user:a@example.com'] }, { role: 'roles/viewer', member: 'allUsers' }] }, [], 'data.google_iam_policy.p');
    const policy = res('google_project_iam_policy', { policy_data: '${data.google_iam_policy.p.policy_data}' }, ['data.google_iam_policy.p']);
    const ctx = makeContext([data, policy]);
    assert.deepEqual(
      grantsOf(policy, ctx).map((g) => [g.role, g.member]),
      [
        ['roles/editor', 'user:a@example.com'],
        ['roles/viewer', 'allUsers'],
      ],
    );
  });

  test('broken, empty and hostile policies give no grants and do not throw', () => {
    const ctx = makeContext([]);
    for (const policy_data of ['', '{', 'null', '[]', '{"bindings": 5}', '{"bindings": [{"members": "allUsers"}]}'.replace('"allUsers"', '{}'), '${x}']) {
      assert.deepEqual(grantsOf(res('google_project_iam_policy', { policy_data }), ctx), [], policy_data);
    }
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    assert.deepEqual(grantsOf(res('google_project_iam_policy', { policy_data: deep }), ctx), []);
    assert.deepEqual(grantsOf(res('google_project_iam_policy', { policy_data: '${data.google_iam_policy.missing.policy_data}' }, ['data.google_iam_policy.missing']), ctx), []);
  });

  test('public members', () => {
    assert.equal(isPublicMember('allUsers'), true);
    assert.equal(isPublicMember(' AllAuthenticatedUsers '), true);
    assert.equal(isPublicMember('user:allusers@example.com'), false);
  });
});

describe('edge cases', () => {
  test('a KMS policy granting allUsers through a data source is reported at policy_data', async () => {
    const text =
      'data "google_iam_policy" "p" {\n  binding {\n    role   = "roles/cloudkms.cryptoKeyDecrypter"\n    member = "allUsers"\n  }\n}\n\nresource "google_kms_crypto_key_iam_policy" "p" {\n  crypto_key_id = "k"\n  policy_data   = data.google_iam_policy.p.policy_data\n}\n';
    assert.deepEqual((await runRule(kmsKeyPublic, text)).lines, [10]);
  });

  test('public bucket ACLs: predefined ACLs and entities', async () => {
    const acl = (body: string): string => `resource "google_storage_bucket_acl" "acl" {\n  bucket = "b"\n${body}}\n`;
    assert.deepEqual((await runRule(bucketPublic, acl('  predefined_acl = "publicRead"\n'))).lines, [3]);
    assert.deepEqual((await runRule(bucketPublic, acl('  predefined_acl = "private"\n'))).lines, []);
    const access = 'resource "google_storage_bucket_access_control" "a" {\n  bucket = "b"\n  role   = "READER"\n  entity = "allUsers"\n}\n';
    assert.deepEqual((await runRule(bucketPublic, access)).lines, [4]);
  });

  test('firewall sources: none means anywhere, tags or unresolved ranges do not', async () => {
    const fw = (sources: string, extra = ''): string =>
      `variable "ranges" {}\nresource "google_compute_firewall" "fw" {\n  name    = "fw"\n  network = "vpc"\n${extra}  allow {\n    protocol = "tcp"\n    ports    = [22]\n  }\n${sources}}\n`;
    assert.deepEqual((await runRule(firewallSsh, fw(''))).lines, [7]);
    assert.deepEqual((await runRule(firewallSsh, fw('  source_tags = ["bastion"]\n'))).lines, []);
    assert.deepEqual((await runRule(firewallSsh, fw('  source_ranges = var.ranges\n'))).lines, []);
    assert.deepEqual((await runRule(firewallSsh, fw('  source_ranges = ["0.0.0.0/0"]\n', '  direction = "EGRESS"\n'))).lines, []);
    assert.deepEqual((await runRule(firewallSsh, fw('  source_ranges = ["0.0.0.0/0"]\n', '  disabled = true\n'))).lines, []);
  });

  test('firewall protocols: numbers, udp for RDP, no ports means all', async () => {
    const fw = (allow: string): string => `resource "google_compute_firewall" "fw" {\n  name    = "fw"\n  network = "vpc"\n  allow {\n${allow}  }\n  source_ranges = ["0.0.0.0/0"]\n}\n`;
    assert.deepEqual((await runRule(firewallSsh, fw('    protocol = "6"\n    ports    = ["20-30"]\n'))).lines, [6]);
    assert.deepEqual((await runRule(firewallSsh, fw('    protocol = "udp"\n    ports    = ["22"]\n'))).lines, []);
    assert.deepEqual((await runRule(firewallRdp, fw('    protocol = "udp"\n    ports    = ["3389"]\n'))).lines, [6]);
    assert.deepEqual((await runRule(firewallRdp, fw('    protocol = "tcp"\n'))).lines, [4]);
    assert.deepEqual((await runRule(firewallRdp, fw('    protocol = "icmp"\n'))).lines, []);
  });

  test('basic roles through google_iam_policy are reported at policy_data', async () => {
    const text =
      'data "google_iam_policy" "p" {\n  binding {\n    role    = "roles/owner"\n    members = ["user:a@example.com"]\n  }\n}\n\nresource "google_project_iam_policy" "p" {\n  project     = "example"\n  policy_data = data.google_iam_policy.p.policy_data\n}\n';
    assert.deepEqual((await runRule(basicRoles, text)).lines, [10]);
  });

  test('KMS rotation periods', async () => {
    const key = (p: string): string => `resource "google_kms_crypto_key" "k" {\n  name            = "k"\n  key_ring        = "r"\n  rotation_period = "${p}"\n}\n`;
    assert.deepEqual((await runRule(kmsRotation, key('7776000s'))).lines, []);
    assert.deepEqual((await runRule(kmsRotation, key('7776000.5s'))).lines, []);
    assert.deepEqual((await runRule(kmsRotation, key('7776001s'))).lines, [4]);
    assert.deepEqual((await runRule(kmsRotation, key('90d'))).lines, [], 'not a provider duration: unknown');
  });

  test('Cloud SQL: replicas, unresolved ssl_mode and plan JSON', async () => {
    const inst = (settings: string): string =>
      `variable "mode" {}\nresource "google_sql_database_instance" "db" {\n  name             = "db"\n  database_version = "POSTGRES_15"\n  settings {\n    tier = "db-f1-micro"\n${settings}  }\n}\n`;
    assert.deepEqual((await runRule(sqlSslNotRequired, inst('    ip_configuration {\n      ssl_mode = var.mode\n    }\n'))).lines, []);
    const plan = planJson('google_sql_database_instance', 'db', { name: 'db', settings: [{ tier: 'db-f1-micro', ip_configuration: [{ ipv4_enabled: true, require_ssl: false, ssl_mode: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED' }] }] });
    const r = await runRule(sqlSslNotRequired, plan, 'plan.json');
    assert.deepEqual(r.problems, []);
    assert.equal(r.messages.length, 1);
  });

  test('GKE: autopilot and removed default pools are not checked for node service accounts', async () => {
    const cluster = (body: string): string => `resource "google_container_cluster" "c" {\n  name     = "c"\n  location = "europe-west1"\n${body}}\n`;
    assert.deepEqual((await runRule(gkeDefaultServiceAccount, cluster(''))).lines, [1]);
    assert.deepEqual((await runRule(gkeDefaultServiceAccount, cluster('  enable_autopilot = true\n'))).lines, []);
    assert.deepEqual((await runRule(gkeDefaultServiceAccount, cluster('  remove_default_node_pool = true\n'))).lines, []);
    assert.deepEqual(
      (await runRule(gkeDefaultServiceAccount, cluster('  node_pool {\n    name = "p"\n    node_config {\n      service_account = "123-compute@developer.gserviceaccount.com"\n    }\n  }\n'))).lines,
      [7],
    );
  });
});
