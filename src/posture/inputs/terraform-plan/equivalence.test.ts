/**
 * The same configuration read as HCL and as its plan gives the same resources (kind, id) and
 * the same key attributes, so one rule gives the same finding on both. Values only the plan
 * knows (provider defaults, computed attributes) and values only the HCL spells out (unresolved
 * references) may differ; both forms of "not known" are unresolved for `isUnresolved()`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { at, isUnresolved } from '../../attrs.js';
import type { Resource } from '../../model.js';
import { terraformInput } from '../terraform/index.js';
import { CONFIG_FILES, PLAN_TEXT } from './__fixtures__/plan.js';
import { terraformPlanInput } from './index.js';

const KEY_ATTRS: [string, (string | number)[]][] = [
  ['aws_kms_key.k', ['enable_key_rotation']],
  ['aws_s3_bucket.b[0]', ['bucket']],
  ['aws_s3_bucket.b[1]', ['bucket']],
  ['aws_s3_bucket_server_side_encryption_configuration.e', ['rule', 0, 'apply_server_side_encryption_by_default', 0, 'sse_algorithm']],
  ['aws_security_group.sg', ['name']],
  ['aws_security_group.sg', ['ingress', 0, 'cidr_blocks']],
  ['aws_security_group.sg', ['ingress', 0, 'from_port']],
  ['aws_security_group.sg', ['ingress', 0, 'protocol']],
  ['module.users["ops"].aws_iam_user.u', ['name']],
];

function managed(resources: readonly Resource[]): Resource[] {
  return resources.filter((r) => r.kind !== 'tf:module' && !r.kind.startsWith('tf:provider.'));
}

test('a .tf and its plan give the same resources, key attributes and refs', async () => {
  const hcl = await terraformInput.parse(CONFIG_FILES);
  const plan = await terraformPlanInput.parse([{ path: 'plan.json', text: PLAN_TEXT }]);
  assert.deepEqual(hcl.problems, []);
  assert.deepEqual(plan.problems, []);
  const h = managed(hcl.resources);
  const p = managed(plan.resources);
  const key = (r: Resource): string => `${r.kind} ${r.id} ${r.provider} ${r.name} ${r.region ?? ''}`;
  assert.deepEqual(h.map(key).sort(), p.map(key).sort());
  const hById = new Map(h.map((r) => [r.id, r]));
  const pById = new Map(p.map((r) => [r.id, r]));
  for (const [id, path] of KEY_ATTRS) {
    assert.deepEqual(at(hById.get(id)!.attrs, path), at(pById.get(id)!.attrs, path), `${id} ${path.join('.')}`);
    assert.notEqual(at(hById.get(id)!.attrs, path), undefined, `${id} ${path.join('.')} present`);
  }
  // An unresolved reference in HCL is unknown in the plan: both are unresolved.
  const kmsPath = ['rule', 0, 'apply_server_side_encryption_by_default', 0, 'kms_master_key_id'];
  const e = 'aws_s3_bucket_server_side_encryption_configuration.e';
  assert.equal(at(hById.get(e)!.attrs, kmsPath), '${aws_kms_key.k.arn}');
  assert.equal(isUnresolved(at(hById.get(e)!.attrs, kmsPath)), true);
  assert.equal(isUnresolved(at(pById.get(e)!.attrs, kmsPath)), true);
  for (const r of h) assert.deepEqual([...r.refs].sort(), [...pById.get(r.id)!.refs].sort(), `refs of ${r.id}`);
  for (const r of h) assert.deepEqual(r.meta?.['address'], pById.get(r.id)!.meta?.['address'], `meta.address of ${r.id}`);
});
