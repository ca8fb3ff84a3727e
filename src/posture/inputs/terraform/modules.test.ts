import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Resource } from '../../model.js';
import type { SourceFile } from '../types.js';
import { terraformInput } from './index.js';

async function parse(files: SourceFile[], varFiles?: SourceFile[]): Promise<{ resources: Resource[]; problems: { path: string; line?: number | undefined; reason: string }[] }> {
  return terraformInput.parse(files, varFiles === undefined ? undefined : { varFiles });
}

function ids(resources: readonly Resource[]): string[] {
  return resources.map((r) => r.id);
}

test('count: known count gives indexed instances with count.index; 0 gives none; unknown gives one', async () => {
  const text = `
variable "n" { default = 2 }
variable "on" { default = false }
resource "aws_instance" "a" {
  count = var.n
  tags  = { Name = "a-\${count.index}" }
}
resource "aws_instance" "off" {
  count = var.on ? 1 : 0
}
resource "aws_instance" "u" {
  count = length(data.x_y.z.ids)
  name  = "u-\${count.index}"
}
`;
  const { resources, problems } = await parse([{ path: 'main.tf', text }]);
  assert.deepEqual(problems, []);
  assert.deepEqual(ids(resources), ['aws_instance.a[0]', 'aws_instance.a[1]', 'aws_instance.u[0]']);
  assert.deepEqual(resources[1]!.attrs['tags'], { Name: 'a-1' });
  assert.equal(resources[2]!.attrs['name'], 'u-${count.index}');
  assert.deepEqual(resources[0]!.meta, { address: 'aws_instance.a', module: '', mode: 'managed', key: 0 });
});

test('for_each over a map and a set gives keyed instances with each.key / each.value', async () => {
  const text = `
locals {
  buckets = { logs = "private", site = "public-read" }
}
resource "aws_s3_bucket" "b" {
  for_each = local.buckets
  bucket   = each.key
  acl      = each.value
}
resource "aws_iam_user" "u" {
  for_each = toset(["bob", "alice"])
  name     = each.value
}
resource "aws_iam_user" "unknown" {
  for_each = data.x_y.z.names
  name     = each.key
}
`;
  const { resources } = await parse([{ path: 'main.tf', text }]);
  assert.deepEqual(ids(resources), [
    'aws_s3_bucket.b["logs"]',
    'aws_s3_bucket.b["site"]',
    'aws_iam_user.u["alice"]',
    'aws_iam_user.u["bob"]',
    'aws_iam_user.unknown',
  ]);
  assert.deepEqual(resources[1]!.attrs, { bucket: 'site', acl: 'public-read' });
  assert.equal(resources[4]!.attrs['name'], '${each.key}');
});

test('dynamic blocks expand over known collections, else stay as one block as written', async () => {
  const text = `
variable "rules" {
  default = [
    { port = 22, cidr = "0.0.0.0/0" },
    { port = 443, cidr = "10.0.0.0/8" },
  ]
}
resource "aws_security_group" "known" {
  dynamic "ingress" {
    for_each = var.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      cidr_blocks = [rule.value.cidr]
    }
  }
}
resource "aws_security_group" "unknown" {
  dynamic "ingress" {
    for_each = data.x_y.z.rules
    content {
      from_port = ingress.value.port
    }
  }
}
resource "aws_security_group" "empty" {
  dynamic "ingress" {
    for_each = []
    content {
      from_port = 1
    }
  }
}
`;
  const { resources } = await parse([{ path: 'main.tf', text }]);
  const [known, unknown, empty] = resources;
  assert.deepEqual(known!.attrs['ingress'], [
    { from_port: 22, cidr_blocks: ['0.0.0.0/0'] },
    { from_port: 443, cidr_blocks: ['10.0.0.0/8'] },
  ]);
  assert.equal(known!.lineOf(['ingress', 1]), 9);
  assert.equal(known!.lineOf(['ingress', 1, 'from_port']), 13);
  assert.deepEqual(unknown!.attrs['ingress'], [{ from_port: '${ingress.value.port}' }]);
  assert.deepEqual(empty!.attrs, {});
});

test('local child modules are evaluated with their arguments; addresses get module.NAME.', async () => {
  const files: SourceFile[] = [
    {
      path: 'main.tf',
      text: `
module "storage" {
  source = "./modules/storage"
  name   = "logs"
  public = true
  kms    = aws_kms_key.k.arn
}
module "per_env" {
  source   = "./modules/storage"
  for_each = toset(["dev"])
  name     = each.key
}
module "remote" {
  source  = "terraform-aws-modules/s3-bucket/aws"
  version = "4.0.0"
  acl     = "public-read"
}
resource "aws_kms_key" "k" {}
`,
    },
    {
      path: 'modules/storage/main.tf',
      text: `
variable "name" {}
variable "public" { default = false }
variable "kms" { default = null }
resource "aws_s3_bucket" "this" {
  bucket = var.name
  acl    = var.public ? "public-read" : "private"
  kms    = var.kms
}
`,
    },
  ];
  const { resources, problems } = await parse(files);
  assert.deepEqual(problems, []);
  assert.deepEqual(ids(resources), [
    'module.storage',
    'module.storage.aws_s3_bucket.this',
    'module.per_env["dev"]',
    'module.per_env["dev"].aws_s3_bucket.this',
    'module.remote',
    'aws_kms_key.k',
  ]);
  const child = resources[1]!;
  assert.equal(child.file, 'modules/storage/main.tf');
  assert.equal(child.line, 5);
  assert.deepEqual(child.attrs, { bucket: 'logs', acl: 'public-read', kms: '${aws_kms_key.k.arn}' });
  assert.deepEqual(child.refs, ['aws_kms_key.k']);
  assert.deepEqual(resources[3]!.attrs, { bucket: 'dev', acl: 'private' });
  const remote = resources[4]!;
  assert.equal(remote.kind, 'tf:module');
  assert.deepEqual(remote.attrs, { source: 'terraform-aws-modules/s3-bucket/aws', version: '4.0.0', acl: 'public-read' });
  assert.deepEqual(remote.meta, { source: 'terraform-aws-modules/s3-bucket/aws', local: false, resolved: false, module: '' });
});

test('a local module source missing from the scan is a problem; a module cycle is stopped', async () => {
  const missing = await parse([{ path: 'main.tf', text: 'module "x" {\n  source = "./nope"\n}\n' }]);
  assert.equal(missing.problems.length, 1);
  assert.match(missing.problems[0]!.reason, /not in the scanned files/);
  const cycle = await parse([
    { path: 'a/main.tf', text: 'module "b" {\n  source = "../b"\n}\nresource "x_r" "a" {}\n' },
    { path: 'b/main.tf', text: 'module "a" {\n  source = "../a"\n}\nresource "x_r" "b" {}\n' },
  ]);
  // Both directories are only called from the cycle: the first is read as a root, once.
  assert.deepEqual(ids(cycle.resources.filter((r) => r.kind === 'tf:x_r')), ['module.b.x_r.b', 'x_r.a']);
  assert.ok(cycle.problems.some((p) => /calls itself/.test(p.reason)));
  assert.ok(cycle.problems.some((p) => /only called from a cycle/.test(p.reason)));
});

test('variables: tfvars files Terraform loads by itself, then -var-files, override defaults', async () => {
  const files: SourceFile[] = [
    { path: 'main.tf', text: 'variable "a" { default = "default" }\nvariable "b" { default = "default" }\nvariable "c" { type = bool }\nvariable "d" {}\nresource "x_r" "r" {\n  a = var.a\n  b = var.b\n  c = var.c\n  d = var.d\n}\n' },
    { path: 'terraform.tfvars', text: 'a = "tfvars"\nb = "tfvars"\nc = "true"\n' },
    { path: 'z.auto.tfvars.json', text: '{"b": "auto-json"}' },
    { path: 'prod.tfvars', text: 'a = "not loaded by terraform"\n' },
  ];
  const { resources } = await parse(files, [{ path: 'cli.tfvars', text: 'd = ["x"]\n' }]);
  assert.deepEqual(resources[0]!.attrs, { a: 'tfvars', b: 'auto-json', c: true, d: ['x'] });
  assert.equal(resources[0]!.lineOf(['d', 0]), 9);
});

test('two files of one directory declaring the same variable: each file sees its own', async () => {
  const { resources } = await parse([
    { path: 'positive1.tf', text: 'variable "v" { default = "one" }\nresource "x_r" "one" { v = var.v }\n' },
    { path: 'positive2.tf', text: 'variable "v" { default = "two" }\nresource "x_r" "two" { v = var.v }\n' },
  ]);
  assert.deepEqual(resources.map((r) => r.attrs['v']), ['one', 'two']);
});

test('locals in any order and across files; a cycle of locals stays unresolved', async () => {
  const { resources, problems } = await parse([
    { path: 'a.tf', text: 'resource "x_r" "r" {\n  v = local.c\n  loop = local.x\n}\n' },
    { path: 'b.tf', text: 'locals {\n  c = "${local.b}!"\n  b = upper(local.a)\n  a = "hi"\n  x = local.y\n  y = local.x\n}\n' },
  ]);
  assert.deepEqual(problems, []);
  assert.equal(resources[0]!.attrs['v'], 'HI!');
  assert.equal(resources[0]!.attrs['loop'], '${local.x}');
});

test('a null module argument overrides the default unless the variable is not nullable', async () => {
  const { resources } = await parse([
    { path: 'main.tf', text: 'module "m" {\n  source = "./m"\n  a = null\n  b = null\n}\n' },
    { path: 'm/main.tf', text: 'variable "a" { default = "x" }\nvariable "b" {\n  default  = "y"\n  nullable = false\n}\nresource "x_r" "r" {\n  a = var.a\n  b = var.b\n}\n' },
  ]);
  assert.deepEqual(resources.find((r) => r.id === 'module.m.x_r.r')!.attrs, { b: 'y' });
});
