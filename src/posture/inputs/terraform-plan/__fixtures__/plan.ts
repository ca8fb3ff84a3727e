/**
 * A small Terraform configuration and the plan `terraform show -json` gives for it, written by
 * hand in the exact shape Terraform 1.11 produces (checked against a plan Terraform generated
 * here for `terraform_data` resources; the AWS provider cannot be downloaded on this machine).
 */

export const CONFIG_FILES = [
  {
    path: 'main.tf',
    text: `provider "aws" {
  region = "eu-west-1"
}

resource "aws_kms_key" "k" {
  enable_key_rotation = false
}

resource "aws_s3_bucket" "b" {
  count  = 2
  bucket = "logs-\${count.index}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "e" {
  bucket = aws_s3_bucket.b[0].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.k.arn
    }
  }
}

resource "aws_security_group" "sg" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

module "users" {
  source   = "./users"
  for_each = toset(["ops"])
  name     = each.key
}
`,
  },
  {
    path: 'users/main.tf',
    text: `variable "name" {}

resource "aws_iam_user" "u" {
  name = var.name
}
`,
  },
];

const AWS = 'registry.terraform.io/hashicorp/aws';

const bucket = (i: number): object => ({
  address: `aws_s3_bucket.b[${i}]`,
  mode: 'managed',
  type: 'aws_s3_bucket',
  name: 'b',
  index: i,
  provider_name: AWS,
  schema_version: 0,
  values: { bucket: `logs-${i}`, bucket_prefix: null, force_destroy: false, tags: null, timeouts: null },
  sensitive_values: { tags_all: {} },
});

const change = (address: string, after: object, afterUnknown: object, extra: object = {}): object => ({
  address,
  ...extra,
  change: { actions: ['create'], before: null, after, after_unknown: afterUnknown, before_sensitive: false, after_sensitive: {} },
});

export const PLAN = {
  format_version: '1.2',
  terraform_version: '1.11.4',
  planned_values: {
    root_module: {
      resources: [
        {
          address: 'aws_kms_key.k',
          mode: 'managed',
          type: 'aws_kms_key',
          name: 'k',
          provider_name: AWS,
          schema_version: 0,
          values: { bypass_policy_lockout_safety_check: false, custom_key_store_id: null, enable_key_rotation: false, is_enabled: true, key_usage: 'ENCRYPT_DECRYPT', tags: null },
          sensitive_values: {},
        },
        bucket(0),
        bucket(1),
        {
          address: 'aws_s3_bucket_server_side_encryption_configuration.e',
          mode: 'managed',
          type: 'aws_s3_bucket_server_side_encryption_configuration',
          name: 'e',
          provider_name: AWS,
          schema_version: 0,
          values: {
            expected_bucket_owner: null,
            rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: 'aws:kms' }], bucket_key_enabled: null }],
          },
          sensitive_values: { rule: [{ apply_server_side_encryption_by_default: [{}] }] },
        },
        {
          address: 'aws_security_group.sg',
          mode: 'managed',
          type: 'aws_security_group',
          name: 'sg',
          provider_name: AWS,
          schema_version: 1,
          values: {
            description: 'Managed by Terraform',
            ingress: [
              { cidr_blocks: ['0.0.0.0/0'], description: '', from_port: 22, ipv6_cidr_blocks: [], prefix_list_ids: [], protocol: 'tcp', security_groups: [], self: false, to_port: 22 },
            ],
            name: 'web',
            revoke_rules_on_delete: false,
            tags: null,
          },
          sensitive_values: { egress: [], ingress: [{ cidr_blocks: [false] }] },
        },
      ],
      child_modules: [
        {
          resources: [
            {
              address: 'module.users["ops"].aws_iam_user.u',
              mode: 'managed',
              type: 'aws_iam_user',
              name: 'u',
              provider_name: AWS,
              schema_version: 0,
              values: { force_destroy: false, name: 'ops', path: '/', permissions_boundary: null, tags: null },
              sensitive_values: { tags_all: {} },
            },
          ],
          address: 'module.users["ops"]',
        },
      ],
    },
  },
  resource_changes: [
    change('aws_kms_key.k', {}, { arn: true, id: true, key_id: true, policy: true, tags_all: true }),
    change('aws_s3_bucket.b[0]', {}, { arn: true, id: true, region: true }),
    change('aws_s3_bucket.b[1]', {}, { arn: true, id: true, region: true }),
    change('aws_s3_bucket_server_side_encryption_configuration.e', {}, { bucket: true, id: true, rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: true }] }] }),
    change('aws_security_group.sg', {}, { arn: true, egress: true, id: true, ingress: [{ cidr_blocks: [false] }], owner_id: true }),
    change('module.users["ops"].aws_iam_user.u', {}, { arn: true, id: true, unique_id: true }, { module_address: 'module.users["ops"]' }),
    {
      address: 'aws_s3_bucket.old',
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: 'old',
      change: { actions: ['delete'], before: { bucket: 'old' }, after: null, after_unknown: {} },
    },
  ],
  configuration: {
    provider_config: { aws: { name: 'aws', full_name: AWS, expressions: { region: { constant_value: 'eu-west-1' } } } },
    root_module: {
      resources: [
        { address: 'aws_kms_key.k', mode: 'managed', type: 'aws_kms_key', name: 'k', provider_config_key: 'aws', expressions: { enable_key_rotation: { constant_value: false } }, schema_version: 0 },
        { address: 'aws_s3_bucket.b', mode: 'managed', type: 'aws_s3_bucket', name: 'b', provider_config_key: 'aws', expressions: { bucket: { references: ['count.index'] } }, schema_version: 0, count_expression: { constant_value: 2 } },
        {
          address: 'aws_s3_bucket_server_side_encryption_configuration.e',
          mode: 'managed',
          type: 'aws_s3_bucket_server_side_encryption_configuration',
          name: 'e',
          provider_config_key: 'aws',
          expressions: {
            bucket: { references: ['aws_s3_bucket.b[0].id', 'aws_s3_bucket.b[0]', 'aws_s3_bucket.b'] },
            rule: [{ apply_server_side_encryption_by_default: [{ kms_master_key_id: { references: ['aws_kms_key.k.arn', 'aws_kms_key.k'] }, sse_algorithm: { constant_value: 'aws:kms' } }] }],
          },
          schema_version: 0,
        },
        {
          address: 'aws_security_group.sg',
          mode: 'managed',
          type: 'aws_security_group',
          name: 'sg',
          provider_config_key: 'aws',
          expressions: { ingress: { constant_value: [{ cidr_blocks: ['0.0.0.0/0'], from_port: 22, protocol: 'tcp', to_port: 22 }] }, name: { constant_value: 'web' } },
          schema_version: 1,
        },
      ],
      module_calls: {
        users: {
          source: './users',
          expressions: { name: { references: ['each.key'] } },
          for_each_expression: { constant_value: ['ops'] },
          module: {
            resources: [{ address: 'aws_iam_user.u', mode: 'managed', type: 'aws_iam_user', name: 'u', provider_config_key: 'users:aws', expressions: { name: { references: ['var.name'] } }, schema_version: 0 }],
            variables: { name: {} },
          },
        },
      },
    },
  },
  relevant_attributes: [],
  timestamp: '2026-11-23T15:00:00Z',
  applyable: true,
  complete: true,
  errored: false,
};

export const PLAN_TEXT = JSON.stringify(PLAN, null, 2);
