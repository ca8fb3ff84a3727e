import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Resource } from '../../model.js';
import { PLAN, PLAN_TEXT } from './__fixtures__/plan.js';
import { terraformPlanInput } from './index.js';
import { moduleNames, referenceAddress } from './parse.js';

function byId(resources: readonly Resource[], id: string): Resource {
  const r = resources.find((x) => x.id === id);
  assert.ok(r, `resource ${id}`);
  return r;
}

/** 1-based line of the first line containing `needle` after the line containing `after`. */
function lineOfText(text: string, needle: string, after = ''): number {
  const lines = text.split('\n');
  const start = after === '' ? 0 : lines.findIndex((l) => l.includes(after));
  return lines.findIndex((l, i) => i >= start && l.includes(needle)) + 1;
}

test('accepts plan and state JSON by its head only', () => {
  assert.equal(terraformPlanInput.accepts('plan.json', PLAN_TEXT.slice(0, 200)), true);
  assert.equal(terraformPlanInput.accepts('state.json', '{"format_version":"1.0","terraform_version":"1.11.4","values":{}}'), true);
  assert.equal(terraformPlanInput.accepts('plan.txt', PLAN_TEXT.slice(0, 200)), false);
  assert.equal(terraformPlanInput.accepts('package.json', '{"name":"x","version":"1.0.0"}'), false);
  assert.equal(terraformPlanInput.accepts('cfn.json', '{"AWSTemplateFormatVersion":"2010-09-09"}'), false);
});

test('planned resources: kind, address, values, unknowns, refs, region, deletions left out', async () => {
  const { resources, problems } = await terraformPlanInput.parse([{ path: 'plan.json', text: PLAN_TEXT }]);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    resources.map((r) => [r.kind, r.id]),
    [
      ['tf:aws_kms_key', 'aws_kms_key.k'],
      ['tf:aws_s3_bucket', 'aws_s3_bucket.b[0]'],
      ['tf:aws_s3_bucket', 'aws_s3_bucket.b[1]'],
      ['tf:aws_s3_bucket_server_side_encryption_configuration', 'aws_s3_bucket_server_side_encryption_configuration.e'],
      ['tf:aws_security_group', 'aws_security_group.sg'],
      ['tf:aws_iam_user', 'module.users["ops"].aws_iam_user.u'],
    ],
  );
  const b1 = byId(resources, 'aws_s3_bucket.b[1]');
  assert.equal(b1.input, 'terraform-plan');
  assert.equal(b1.provider, 'aws');
  assert.equal(b1.name, 'b');
  assert.equal(b1.region, 'eu-west-1');
  assert.deepEqual(b1.attrs, { bucket: 'logs-1', force_destroy: false, arn: '${unknown}', id: '${unknown}', region: '${unknown}' });
  assert.deepEqual(b1.meta, { address: 'aws_s3_bucket.b', module: '', mode: 'managed', key: 1, plan: true });
  const e = byId(resources, 'aws_s3_bucket_server_side_encryption_configuration.e');
  assert.deepEqual(e.attrs['rule'], [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms', kms_master_key_id: '${unknown}' }] }]);
  assert.deepEqual([...e.refs].sort(), ['aws_kms_key.k', 'aws_s3_bucket.b']);
  const u = byId(resources, 'module.users["ops"].aws_iam_user.u');
  assert.deepEqual(u.meta?.['module'], 'module.users["ops"]');
  assert.equal(resources.some((r) => r.id === 'aws_s3_bucket.old'), false);
});

test('lineOf points into the plan file at the key in `values`', async () => {
  const { resources } = await terraformPlanInput.parse([{ path: 'plan.json', text: PLAN_TEXT }]);
  const sg = byId(resources, 'aws_security_group.sg');
  assert.equal(sg.file, 'plan.json');
  assert.equal(sg.line, lineOfText(PLAN_TEXT, '"address": "aws_security_group.sg"') - 1);
  assert.equal(sg.lineOf(['ingress']), lineOfText(PLAN_TEXT, '"ingress": [', '"address": "aws_security_group.sg"'));
  assert.equal(sg.lineOf(['ingress', 0, 'cidr_blocks', 0]), lineOfText(PLAN_TEXT, '"0.0.0.0/0"', '"address": "aws_security_group.sg"'));
  assert.equal(sg.lineOf(['name']), lineOfText(PLAN_TEXT, '"name": "web"'));
  assert.equal(sg.lineOf(['tags']), undefined);
  assert.equal(sg.lineOf(['owner_id']), sg.line, 'an unknown value has no line of its own: the resource line');
});

test('state JSON (`values` instead of `planned_values`) is read the same way', async () => {
  const state = { format_version: '1.0', terraform_version: '1.11.4', values: { root_module: PLAN.planned_values.root_module } };
  const { resources, problems } = await terraformPlanInput.parse([{ path: 'state.json', text: JSON.stringify(state) }]);
  assert.deepEqual(problems, []);
  assert.equal(resources.length, 6);
});

test('empty and broken plans are problems with the file and line', async () => {
  assert.deepEqual(await terraformPlanInput.parse([]), { resources: [], problems: [] });
  const empty = await terraformPlanInput.parse([{ path: 'p.json', text: '{}' }]);
  assert.deepEqual(empty.resources, []);
  assert.match(empty.problems[0]!.reason, /no planned_values/);
  const noResources = await terraformPlanInput.parse([{ path: 'p.json', text: '{"format_version":"1.2","planned_values":{"root_module":{}}}' }]);
  assert.deepEqual(noResources, { resources: [], problems: [] });
  const broken = await terraformPlanInput.parse([{ path: 'p.json', text: '{\n  "format_version": "1.2",\n  "planned_values": {\n' }]);
  assert.deepEqual(broken.resources, []);
  assert.equal(broken.problems[0]!.path, 'p.json');
  assert.match(broken.problems[0]!.reason, /invalid JSON/);
  const badEntry = await terraformPlanInput.parse([{ path: 'p.json', text: '{"planned_values":{"root_module":{"resources":[{"address":"x.y","mode":"weird"},{"address":"a_b.c","mode":"managed","type":"a_b","name":"c"}]}}}' }]);
  assert.deepEqual(badEntry.resources.map((r) => r.id), ['a_b.c']);
  assert.match(badEntry.problems[0]!.reason, /planned resource: /);
});

test('hostile plans: deep nesting, __proto__ keys, deep module nesting', async () => {
  const deep = await terraformPlanInput.parse([{ path: 'p.json', text: '['.repeat(200_000) + ']'.repeat(200_000) }]);
  assert.ok(deep.problems.length > 0);
  const deepValues = `{"planned_values":{"root_module":{"resources":[{"address":"a_b.c","mode":"managed","type":"a_b","name":"c","values":{"v":${'['.repeat(1000)}${']'.repeat(1000)}}},{"address":"a_b.d","mode":"managed","type":"a_b","name":"d","values":{"__proto__":{"polluted":true}}}]}}}`;
  const r = await terraformPlanInput.parse([{ path: 'p.json', text: deepValues }]);
  assert.deepEqual(r.resources.map((x) => x.id), ['a_b.d']);
  assert.match(r.problems[0]!.reason, /nested deeper than/);
  assert.equal(Object.hasOwn(r.resources[0]!.attrs, '__proto__'), true);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  let mod = '{"resources":[{"address":"a_b.c","mode":"managed","type":"a_b","name":"c"}]}';
  for (let i = 0; i < 100; i++) mod = `{"address":"module.m${i}","child_modules":[${mod}]}`;
  const nested = await terraformPlanInput.parse([{ path: 'p.json', text: `{"planned_values":{"root_module":{"child_modules":[${mod}]}}}` }]);
  assert.deepEqual(nested.resources, []);
  assert.match(nested.problems[0]!.reason, /modules nested more than 12 deep/);
});

test('addresses and references are normalised like the HCL input', () => {
  assert.deepEqual(moduleNames('module.a[0].module.b["x.y]"].'), ['a', 'b']);
  assert.deepEqual(moduleNames(''), []);
  assert.equal(referenceAddress('aws_kms_key.k.arn'), 'aws_kms_key.k');
  assert.equal(referenceAddress('aws_s3_bucket.b[0].id'), 'aws_s3_bucket.b');
  assert.equal(referenceAddress('data.aws_iam_policy_document.p.json'), 'data.aws_iam_policy_document.p');
  assert.equal(referenceAddress('module.m.out'), 'module.m');
  assert.equal(referenceAddress('var.x'), undefined);
  assert.equal(referenceAddress('each.key'), undefined);
});
