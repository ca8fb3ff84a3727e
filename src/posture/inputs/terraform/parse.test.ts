import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Resource } from '../../model.js';
import { terraformInput } from './index.js';

const MAIN = `provider "aws" {
  region = "eu-west-1"
}

# vigil:ignore=VGL-AWS-010 reviewed by the network team
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    cidr_blocks = [
      "10.0.0.0/8",
      "0.0.0.0/0",
    ]
  }
  ingress {
    from_port   = 443
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = {
    Name = "web" // vigil:ignore=VGL-AWS-011 inline
  }
}

/* vigil:ignore=VGL-AZURE-001 block comment */
resource "azurerm_storage_account" "sa" {
  location = "westeurope"
  min_tls_version = "TLS1_0"
}

resource "google_storage_bucket" "g" {}
resource "kubernetes_pod" "p" {}
resource "random_id" "r" {}

data "aws_iam_policy_document" "p" {
  statement {
    actions = ["*"]
  }
}
`;

function byId(resources: readonly Resource[], id: string): Resource {
  const r = resources.find((x) => x.id === id);
  assert.ok(r, `resource ${id}`);
  return r;
}

test('accepts Terraform files only', () => {
  for (const p of ['main.tf', 'a/b/x.tf.json', 'terraform.tfvars', 'prod.auto.tfvars', 'x.tfvars.json', 'UPPER.TF']) assert.equal(terraformInput.accepts(p, ''), true, p);
  for (const p of ['main.tf.bak', 'plan.json', 'x.hcl', 'tf', 'Dockerfile']) assert.equal(terraformInput.accepts(p, ''), false, p);
});

test('resources: kind, id, name, provider, region, lines, nested blocks as arrays', async () => {
  const { resources, problems } = await terraformInput.parse([{ path: 'infra/main.tf', text: MAIN }]);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    resources.map((r) => [r.kind, r.id, r.provider]),
    [
      ['tf:provider.aws', 'provider.aws', 'aws'],
      ['tf:aws_security_group', 'aws_security_group.web', 'aws'],
      ['tf:azurerm_storage_account', 'azurerm_storage_account.sa', 'azure'],
      ['tf:google_storage_bucket', 'google_storage_bucket.g', 'gcp'],
      ['tf:kubernetes_pod', 'kubernetes_pod.p', 'kubernetes'],
      ['tf:random_id', 'random_id.r', 'other'],
      ['tf:data.aws_iam_policy_document', 'data.aws_iam_policy_document.p', 'aws'],
    ],
  );
  const sg = byId(resources, 'aws_security_group.web');
  assert.equal(sg.input, 'terraform');
  assert.equal(sg.type, 'aws_security_group');
  assert.equal(sg.name, 'web');
  assert.equal(sg.file, 'infra/main.tf');
  assert.equal(sg.region, 'eu-west-1');
  assert.equal(sg.line, 6);
  assert.equal(sg.endLine, 23);
  assert.deepEqual(sg.attrs['ingress'], [
    { from_port: 22, to_port: 22, cidr_blocks: ['10.0.0.0/8', '0.0.0.0/0'] },
    { from_port: 443, cidr_blocks: ['0.0.0.0/0'] },
  ]);
  assert.equal(byId(resources, 'azurerm_storage_account.sa').region, 'westeurope');
  assert.deepEqual(byId(resources, 'data.aws_iam_policy_document.p').attrs, { statement: [{ actions: ['*'] }] });
});

test('lineOf gives the line of every key and list element the source has', async () => {
  const { resources } = await terraformInput.parse([{ path: 'main.tf', text: MAIN }]);
  const sg = byId(resources, 'aws_security_group.web');
  const lines: [(string | number)[], number | undefined][] = [
    [['name'], 7],
    [['ingress'], 8],
    [['ingress', 0], 8],
    [['ingress', 0, 'cidr_blocks'], 11],
    [['ingress', 0, 'cidr_blocks', 1], 13],
    [['ingress', 1], 16],
    [['ingress', 1, 'cidr_blocks', 0], 18],
    [['tags', 'Name'], 21],
    [['missing'], undefined],
    [['ingress', 5], undefined],
    [[], 6],
  ];
  for (const [path, line] of lines) assert.equal(sg.lineOf(path), line, JSON.stringify(path));
});

test('inline suppressions from #, // and /* */ comments', async () => {
  const { resources } = await terraformInput.parse([{ path: 'main.tf', text: MAIN }]);
  assert.deepEqual(byId(resources, 'aws_security_group.web').suppressions, [
    { ruleId: 'VGL-AWS-010', reason: 'reviewed by the network team', line: 5 },
    { ruleId: 'VGL-AWS-011', reason: 'inline', line: 21 },
  ]);
  assert.deepEqual(byId(resources, 'azurerm_storage_account.sa').suppressions, [{ ruleId: 'VGL-AZURE-001', reason: 'block comment', line: 25 }]);
  assert.deepEqual(byId(resources, 'google_storage_bucket.g').suppressions, []);
});

test('a `vigil:ignore` inside a string is not a comment', async () => {
  const text = 'resource "aws_s3_bucket" "b" {\n  bucket = "# vigil:ignore=VGL-AWS-001 no"\n}\n';
  const { resources } = await terraformInput.parse([{ path: 'main.tf', text }]);
  assert.deepEqual(resources[0]!.suppressions, []);
});

test('empty, comment-only and whitespace files give nothing and no problem', async () => {
  for (const text of ['', '\n\n', '# only a comment\n', '/* x */', '\uFEFF']) {
    const r = await terraformInput.parse([{ path: 'main.tf', text }]);
    assert.deepEqual(r, { resources: [], problems: [] }, JSON.stringify(text));
  }
  assert.deepEqual(await terraformInput.parse([]), { resources: [], problems: [] });
});

test('a syntax error is a problem with file and line; the valid blocks are still returned', async () => {
  const text = `resource "aws_s3_bucket" "ok1" {
  bucket = "a"
}

resource "aws_s3_bucket" "broken" {
  bucket =
}

resource "aws_s3_bucket" "ok2" {
  bucket = "b"
}

resource "aws_s3_bucket" "broken2" {
  acl = [1, 2
}
`;
  const { resources, problems } = await terraformInput.parse([{ path: 'bad.tf', text }]);
  assert.deepEqual(resources.map((r) => r.id), ['aws_s3_bucket.ok1', 'aws_s3_bucket.ok2']);
  assert.equal(problems.length, 2);
  assert.equal(problems[0]!.path, 'bad.tf');
  assert.equal(problems[0]!.line, 6);
  assert.match(problems[0]!.reason, /^syntax error: /);
  assert.equal(problems[1]!.line, 15);
});

test('an unclosed block at the end of a file is reported', async () => {
  const { resources, problems } = await terraformInput.parse([{ path: 'x.tf', text: 'resource "a_b" "c" {\n  x = 1\n' }]);
  assert.deepEqual(resources, []);
  assert.equal(problems.length, 1);
  assert.match(problems[0]!.reason, /missing "}"|syntax error/);
});

test('one broken file does not hide the other files of the module', async () => {
  const { resources, problems } = await terraformInput.parse([
    { path: 'a.tf', text: 'resource "aws_s3_bucket" "a" {}\n' },
    { path: 'b.tf', text: '}}}} garbage ((( \n' },
  ]);
  assert.deepEqual(resources.map((r) => r.id), ['aws_s3_bucket.a']);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.path, 'b.tf');
});

test('null attributes are left out (Terraform treats them as unset); labelled nested blocks nest under labels', async () => {
  const text = `resource "aws_instance" "i" {
  ami = null
  provisioner "local-exec" {
    command = "echo hi"
  }
  lifecycle {
    ignore_changes = [tags]
  }
}`;
  const { resources } = await terraformInput.parse([{ path: 'main.tf', text }]);
  const i = resources[0]!;
  assert.equal(Object.hasOwn(i.attrs, 'ami'), false);
  assert.deepEqual(i.attrs['provisioner'], [{ 'local-exec': { command: 'echo hi' } }]);
  assert.deepEqual(i.attrs['lifecycle'], [{ ignore_changes: ['${tags}'] }]);
  assert.equal(i.lineOf(['provisioner', 0, 'local-exec', 'command']), 4);
});

test('provider aliases give the region of resources that use them', async () => {
  const text = `provider "aws" { region = "us-east-1" }
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
resource "aws_s3_bucket" "east" {}
resource "aws_s3_bucket" "west" { provider = aws.west }
`;
  const { resources } = await terraformInput.parse([{ path: 'main.tf', text }]);
  assert.equal(byId(resources, 'aws_s3_bucket.east').region, 'us-east-1');
  assert.equal(byId(resources, 'aws_s3_bucket.west').region, 'us-west-2');
  assert.equal(byId(resources, 'provider.aws.west').kind, 'tf:provider.aws');
});

test('recovery keeps a valid block with an unindented heredoc next to a broken one', async () => {
  const text = `resource "aws_iam_policy" "p" {
  policy = <<EOF
{
  "Statement": [{"Effect": "Allow", "Action": "*"}]
}
EOF
}

resource "aws_s3_bucket" "broken" {
  acl = = "x"
}
`;
  const { resources, problems } = await terraformInput.parse([{ path: 'main.tf', text }]);
  assert.deepEqual(resources.map((r) => r.id), ['aws_iam_policy.p']);
  assert.match(resources[0]!.attrs['policy'] as string, /"Action": "\*"/);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.line, 10);
});
