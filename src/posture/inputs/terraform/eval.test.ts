import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CONTEXT, EXPRESSIONS } from './__fixtures__/expressions.js';
import { terraformInput } from './index.js';

/** Evaluate `expr` as attribute `v` of a resource, with some variables and locals around it. */
async function value(expr: string): Promise<unknown> {
  const text = `${CONTEXT}
resource "x_thing" "t" {
  v = ${expr}
}
`;
  const r = await terraformInput.parse([{ path: 'main.tf', text }]);
  assert.deepEqual(r.problems, []);
  const res = r.resources.find((x) => x.id === 'x_thing.t');
  assert.ok(res, 'resource read');
  return res.attrs['v'];
}

test('expressions that can be known statically are evaluated', async () => {
  for (const [expr, expected] of EXPRESSIONS) assert.deepEqual(await value(expr), expected, expr);
});

test('heredocs keep their text, strip indentation with <<- and interpolate', async () => {
  assert.equal(await value('<<EOT\n  a ${var.name}\n  b\nEOT'), '  a web\n  b\n');
  assert.equal(await value('<<-EOT\n    a\n      b ${var.name}\n    EOT'), 'a\n  b web\n');
  assert.equal(await value('<<EOT\n{"Action": "*", "Resource": "${aws_s3_bucket.b.arn}"}\nEOT'), '{"Action": "*", "Resource": "${aws_s3_bucket.b.arn}"}\n');
});

const unresolved: [string, unknown][] = [
  ['aws_kms_key.k.arn', '${aws_kms_key.k.arn}'],
  ['var.unset', '${var.unset}'],
  ['var.undeclared', '${var.undeclared}'],
  ['data.aws_caller_identity.me.account_id', '${data.aws_caller_identity.me.account_id}'],
  ['module.m.out', '${module.m.out}'],
  ['file("policy.json")', '${file("policy.json")}'],
  ['some_unknown_fn(1)', '${some_unknown_fn(1)}'],
  ['"arn:aws:s3:::${var.name}/${aws_s3_bucket.b.id}"', 'arn:aws:s3:::web/${aws_s3_bucket.b.id}'],
  ['upper(var.unset)', '${upper(var.unset)}'],
  ['var.unset ? 1 : 2', '${var.unset ? 1 : 2}'],
  ['["0.0.0.0/0", aws_vpc.v.cidr_block]', ['0.0.0.0/0', '${aws_vpc.v.cidr_block}']],
  ['{ a = aws_vpc.v.id, b = 1 }', { a: '${aws_vpc.v.id}', b: 1 }],
  ['length([1, aws_vpc.v.id])', 2],
  ['false && aws_vpc.v.enabled', false],
  ['jsonencode({ Resource = aws_s3_bucket.b.arn, Action = "s3:*" })', '{"Action":"s3:*","Resource":"${aws_s3_bucket.b.arn}"}'],
  ['replace("abc", "/b/", "x")', '${replace("abc", "/b/", "x")}'],
  ['var.tags.nope', '${var.tags.nope}'],
];

test('what cannot be known stays as ${…} text, with known parts filled in', async () => {
  for (const [expr, expected] of unresolved) assert.deepEqual(await value(expr), expected, expr);
});

test('refs record the addresses an attribute depends on, through locals too', async () => {
  const text = `
locals { key = aws_kms_key.k.arn }
resource "aws_kms_key" "k" {}
data "aws_iam_policy_document" "p" {}
module "m" { source = "git::https://example.com/m.git" }
resource "aws_s3_bucket" "b" {
  kms    = local.key
  policy = data.aws_iam_policy_document.p.json
  x      = false ? module.m.out : "y"
  list   = [for s in ["a"] : s]
}
`;
  const r = await terraformInput.parse([{ path: 'main.tf', text }]);
  const b = r.resources.find((x) => x.id === 'aws_s3_bucket.b')!;
  assert.deepEqual([...b.refs].sort(), ['aws_kms_key.k', 'data.aws_iam_policy_document.p', 'module.m']);
  assert.equal(b.attrs['x'], 'y');
});
