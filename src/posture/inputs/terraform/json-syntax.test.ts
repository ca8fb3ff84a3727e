import assert from 'node:assert/strict';
import { test } from 'node:test';
import { terraformInput } from './index.js';

const TF_JSON = `{
  "//": "vigil:ignore=VGL-AWS-001 whole file example",
  "variable": {
    "env": { "default": "prod" }
  },
  "locals": { "name": "app-\${var.env}" },
  "resource": {
    "aws_s3_bucket": {
      "b": {
        "bucket": "\${local.name}",
        "acl": "public-read",
        "versioning": { "enabled": true },
        "server_side_encryption_configuration": [
          { "rule": { "apply_server_side_encryption_by_default": { "sse_algorithm": "aws:kms", "kms_master_key_id": "\${aws_kms_key.k.arn}" } } }
        ],
        "tags": { "Owner": "team-\${var.env}", "Literal": "$\${not_interpolated}" }
      }
    },
    "aws_kms_key": { "k": { "enable_key_rotation": false } },
    "aws_security_group": {
      "sg": {
        "dynamic": {
          "ingress": {
            "for_each": "\${[22, 443]}",
            "content": { "from_port": "\${ingress.value}" }
          }
        }
      }
    }
  },
  "data": { "aws_caller_identity": { "me": {} } },
  "module": { "m": { "source": "./m", "x": 1 } },
  "output": { "o": { "value": "\${aws_s3_bucket.b.id}" } }
}
`;

test('.tf.json: resources, templates in strings, lines, "//" comments as suppressions', async () => {
  const { resources, problems } = await terraformInput.parse([
    { path: 'main.tf.json', text: TF_JSON },
    { path: 'm/main.tf', text: 'variable "x" {}\nresource "aws_sqs_queue" "q" { delay = var.x }\n' },
  ]);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    resources.map((r) => r.id),
    ['aws_s3_bucket.b', 'aws_kms_key.k', 'aws_security_group.sg', 'data.aws_caller_identity.me', 'module.m', 'module.m.aws_sqs_queue.q'],
  );
  const b = resources[0]!;
  assert.equal(b.kind, 'tf:aws_s3_bucket');
  assert.equal(b.line, 9);
  assert.equal(b.attrs['bucket'], 'app-prod');
  assert.deepEqual(b.attrs['versioning'], { enabled: true });
  assert.deepEqual(b.attrs['tags'], { Owner: 'team-prod', Literal: '${not_interpolated}' });
  assert.equal((b.attrs['server_side_encryption_configuration'] as { rule: { apply_server_side_encryption_by_default: { kms_master_key_id: string } } }[])[0]!.rule.apply_server_side_encryption_by_default.kms_master_key_id, '${aws_kms_key.k.arn}');
  assert.deepEqual(b.refs, ['aws_kms_key.k']);
  assert.equal(b.lineOf(['acl']), 11);
  assert.equal(b.lineOf(['server_side_encryption_configuration', 0]), 14);
  assert.equal(b.lineOf(['tags', 'Owner']), 16);
  assert.deepEqual(resources[1]!.attrs, { enable_key_rotation: false });
  assert.deepEqual(resources[2]!.attrs['ingress'], [{ from_port: 22 }, { from_port: 443 }]);
  assert.deepEqual(resources[5]!.attrs, { delay: 1 });
});

test('"//" comments in .tf.json suppress like HCL comments', async () => {
  const text = '{\n  "resource": {\n    "aws_s3_bucket": {\n      "b": {\n        "//": "vigil:ignore=VGL-AWS-002 public site",\n        "acl": "public-read"\n      }\n    }\n  }\n}\n';
  const { resources } = await terraformInput.parse([{ path: 'x.tf.json', text }]);
  assert.deepEqual(resources[0]!.suppressions, [{ ruleId: 'VGL-AWS-002', reason: 'public site', line: 5 }]);
});

test('broken and odd JSON: problems with lines, never a throw', async () => {
  const broken = await terraformInput.parse([{ path: 'x.tf.json', text: '{\n  "resource": {\n    "aws_s3_bucket": { "b": { "acl": } }\n' }]);
  assert.ok(broken.problems.length > 0);
  assert.equal(broken.problems[0]!.path, 'x.tf.json');
  assert.equal(broken.problems[0]!.line, 3);
  const notObject = await terraformInput.parse([{ path: 'x.tf.json', text: '[1, 2]' }]);
  assert.match(notObject.problems[0]!.reason, /must be an object/);
  const empty = await terraformInput.parse([{ path: 'x.tf.json', text: '{}' }]);
  assert.deepEqual(empty, { resources: [], problems: [] });
  const deep = await terraformInput.parse([{ path: 'x.tf.json', text: '['.repeat(100_000) + ']'.repeat(100_000) }]);
  assert.ok(deep.problems.length > 0);
  const deepValue = await terraformInput.parse([{ path: 'x.tf.json', text: `{"resource": {"x_r": {"r": {"v": ${'['.repeat(1000)}${']'.repeat(1000)}}}}}` }]);
  assert.equal(deepValue.resources.length, 1);
  assert.ok(deepValue.problems.some((p) => /nesting deeper/.test(p.reason)));
});

test('.tfvars.json values are literal and feed the root module', async () => {
  const { resources } = await terraformInput.parse([
    { path: 'main.tf', text: 'variable "cidrs" {}\nresource "aws_security_group_rule" "r" { cidr_blocks = var.cidrs }\n' },
    { path: 'terraform.tfvars.json', text: '{"cidrs": ["0.0.0.0/0", "${not.a.template}"]}' },
  ]);
  assert.deepEqual(resources[0]!.attrs['cidr_blocks'], ['0.0.0.0/0', '${not.a.template}']);
});
