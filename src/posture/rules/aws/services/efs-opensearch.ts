/**
 * EFS encryption, and OpenSearch / Elasticsearch domains: encryption at rest and between
 * nodes, HTTPS with a modern TLS policy, and log publishing. Both the `aws_opensearch_domain`
 * and the older `aws_elasticsearch_domain` (and their CloudFormation types) are read.
 */
import { at, isObject, isUnresolved, str } from '../../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../../model.js';
import { violation, type RuleContext } from '../../../rule.js';
import { allowsAnyone, policyStatements } from '../lib/policy.js';
import { eachBlock, firstBlock, flag, isAbsent, requireTrue, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, cis, CONTROLS, TF_DOCS, tf } from './lib/define.js';

export const efsEncryption = awsRule({
  id: 'VGL-AWS-174',
  title: 'EFS file system is not encrypted',
  description: 'The file system stores its data and metadata unencrypted; encryption at rest can only be chosen when it is created.',
  severity: 'high',
  service: 'efs',
  frameworks: [...cis('2.4.1'), ...CONTROLS.encryptionAtRest()],
  remediation: 'Create the file system with encrypted / Encrypted set to true (optionally with a customer managed KMS key) and copy the data over.',
  references: [`${TF_DOCS}efs_file_system#encrypted`, `${CFN_DOCS}aws-resource-efs-filesystem.html#cfn-efs-filesystem-encrypted`],
  tf: { aws_efs_file_system: (r) => requireTrue(r.attrs, ['encrypted'], 'the file system is not encrypted') },
  cfn: { 'AWS::EFS::FileSystem': (r) => requireTrue(r.attrs, ['Encrypted'], 'the file system is not encrypted') },
  fix: { terraform: 'encrypted  = true\nkms_key_id = aws_kms_key.efs.arn', cloudformation: 'Encrypted: true\nKmsKeyId: !GetAtt EfsKey.Arn' },
  bad: [tf('resource "aws_efs_file_system" "fs" {\n  creation_token = "shared"\n}\n', 1), cfn('Resources:\n  Fs:\n    Type: AWS::EFS::FileSystem\n    Properties:\n      Encrypted: false\n', 5)],
  good: [tf('resource "aws_efs_file_system" "fs" {\n  creation_token = "shared"\n  encrypted      = true\n}\n')],
});

const TF_DOMAINS = ['aws_opensearch_domain', 'aws_elasticsearch_domain'] as const;
const CFN_DOMAINS = ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'] as const;

/** The same check for both Terraform domain types and both CloudFormation domain types. */
function domains(tfCheck: (a: Attrs) => Violation[], cfnCheck: (a: Attrs) => Violation[]): { tf: Record<string, (r: { attrs: Attrs }) => Violation[]>; cfn: Record<string, (r: { attrs: Attrs }) => Violation[]> } {
  return {
    tf: Object.fromEntries(TF_DOMAINS.map((t) => [t, (r: { attrs: Attrs }) => tfCheck(r.attrs)])),
    cfn: Object.fromEntries(CFN_DOMAINS.map((t) => [t, (r: { attrs: Attrs }) => cfnCheck(r.attrs)])),
  };
}

/** `block { enabled = true }` in Terraform. */
function tfEnabled(a: Attrs, block: string, message: string): Violation[] {
  const b = firstBlock(a, block);
  if (b === undefined) return [violation([block], message)];
  return requireTrue(b.block, ['enabled'], message).map((v) => violation([...b.path, ...v.path], v.message));
}

export const searchEncryptionAtRest = awsRule({
  id: 'VGL-AWS-175',
  title: 'OpenSearch domain is not encrypted at rest',
  description: 'Indices, logs, swap files and automated snapshots of the domain are stored unencrypted.',
  severity: 'high',
  service: 'opensearch',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Enable encrypt_at_rest { enabled = true } / EncryptionAtRestOptions.Enabled.',
  references: [`${TF_DOCS}opensearch_domain#encrypt_at_rest`, 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/encryption-at-rest.html'],
  ...domains(
    (a) => tfEnabled(a, 'encrypt_at_rest', 'encryption at rest is not enabled'),
    (a) => requireTrue(a, ['EncryptionAtRestOptions', 'Enabled'], 'encryption at rest is not enabled'),
  ),
  fix: { terraform: 'encrypt_at_rest {\n  enabled = true\n}', cloudformation: 'EncryptionAtRestOptions:\n  Enabled: true' },
  bad: [tf('resource "aws_opensearch_domain" "s" {\n  domain_name = "s"\n  encrypt_at_rest {\n    enabled = false\n  }\n}\n', 4)],
  good: [cfn('Resources:\n  Search:\n    Type: AWS::OpenSearchService::Domain\n    Properties:\n      EncryptionAtRestOptions:\n        Enabled: true\n')],
});

export const searchNodeToNode = awsRule({
  id: 'VGL-AWS-176',
  title: 'OpenSearch node-to-node encryption is disabled',
  description: 'Traffic between the data nodes of the domain (shard replication, queries fanned out to nodes) crosses the VPC unencrypted.',
  severity: 'medium',
  service: 'opensearch',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Enable node_to_node_encryption { enabled = true } / NodeToNodeEncryptionOptions.Enabled.',
  references: [`${TF_DOCS}opensearch_domain#node_to_node_encryption`, 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ntn.html'],
  ...domains(
    (a) => tfEnabled(a, 'node_to_node_encryption', 'node-to-node encryption is not enabled'),
    (a) => requireTrue(a, ['NodeToNodeEncryptionOptions', 'Enabled'], 'node-to-node encryption is not enabled'),
  ),
  fix: { terraform: 'node_to_node_encryption {\n  enabled = true\n}', cloudformation: 'NodeToNodeEncryptionOptions:\n  Enabled: true' },
  bad: [cfn('Resources:\n  Search:\n    Type: AWS::Elasticsearch::Domain\n    Properties:\n      NodeToNodeEncryptionOptions:\n        Enabled: false\n', 6)],
  good: [tf('resource "aws_elasticsearch_domain" "s" {\n  domain_name = "s"\n  node_to_node_encryption {\n    enabled = true\n  }\n}\n')],
});

const OLD_TLS = /Policy-Min-TLS-1-0/i;

function endpoint(options: Attrs | undefined, path: AttrPath, https: string, policy: string): Violation[] {
  if (options === undefined) return [violation(path, 'HTTPS is not enforced on the domain endpoint')];
  const out = requireTrue(options, [https], 'HTTPS is not enforced on the domain endpoint').map((v) => violation([...path, ...v.path], v.message));
  const p = str(options[policy]);
  if (p !== undefined && !isUnresolved(p) && OLD_TLS.test(p)) out.push(violation([...path, policy], `TLS policy ${p} accepts TLS 1.0 and 1.1`));
  return out;
}

export const searchHttps = awsRule({
  id: 'VGL-AWS-177',
  title: 'OpenSearch domain endpoint does not require modern HTTPS',
  description: 'Without enforce HTTPS the domain endpoint accepts plain HTTP requests (credentials and documents in clear); a Policy-Min-TLS-1-0 policy still negotiates TLS 1.0 and 1.1.',
  severity: 'medium',
  service: 'opensearch',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Set domain_endpoint_options { enforce_https = true, tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10" } (DomainEndpointOptions.EnforceHTTPS / TLSSecurityPolicy).',
  references: [`${TF_DOCS}opensearch_domain#domain_endpoint_options`, 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/infrastructure-security.html'],
  ...domains(
    (a) => {
      const b = firstBlock(a, 'domain_endpoint_options');
      return endpoint(b?.block, b?.path ?? ['domain_endpoint_options'], 'enforce_https', 'tls_security_policy');
    },
    (a) => {
      const o = at(a, ['DomainEndpointOptions']);
      return endpoint(isObject(o) ? o : undefined, ['DomainEndpointOptions'], 'EnforceHTTPS', 'TLSSecurityPolicy');
    },
  ),
  fix: { terraform: 'domain_endpoint_options {\n  enforce_https       = true\n  tls_security_policy = "Policy-Min-TLS-1-2-PFS-2023-10"\n}', cloudformation: 'DomainEndpointOptions:\n  EnforceHTTPS: true\n  TLSSecurityPolicy: Policy-Min-TLS-1-2-PFS-2023-10' },
  bad: [tf('resource "aws_opensearch_domain" "s" {\n  domain_name = "s"\n  domain_endpoint_options {\n    enforce_https       = true\n    tls_security_policy = "Policy-Min-TLS-1-0-2019-07"\n  }\n}\n', 5)],
  good: [tf('resource "aws_opensearch_domain" "s" {\n  domain_name = "s"\n  domain_endpoint_options {\n    enforce_https       = true\n    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"\n  }\n}\n')],
});

const NO_LOGS = 'the domain publishes no logs to CloudWatch Logs';

export const searchLogging = awsRule({
  id: 'VGL-AWS-178',
  title: 'OpenSearch domain publishes no logs',
  description: 'Without log publishing (audit, error, slow logs) there is no record of who queried the domain or of the errors behind an incident.',
  severity: 'medium',
  service: 'opensearch',
  frameworks: CONTROLS.logging(),
  remediation: 'Add log_publishing_options (LogPublishingOptions) for AUDIT_LOGS and ES_APPLICATION_LOGS with a CloudWatch Logs group.',
  references: [`${TF_DOCS}opensearch_domain#log_publishing_options`, 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html'],
  ...domains(
    (a) => {
      const options = eachBlock(a, 'log_publishing_options');
      if (options.some(({ block }) => flag(block['enabled']) !== false)) return [];
      return [violation(options[0]?.path ?? ['log_publishing_options'], NO_LOGS)];
    },
    (a) => {
      const o = a['LogPublishingOptions'];
      if (!isObject(o)) return isAbsent(o) ? [violation(['LogPublishingOptions'], NO_LOGS)] : [];
      return Object.values(o).some((x) => isObject(x) && flag(x['Enabled']) !== false) ? [] : [violation(['LogPublishingOptions'], NO_LOGS)];
    },
  ),
  fix: { terraform: 'log_publishing_options {\n  log_type                 = "AUDIT_LOGS"\n  cloudwatch_log_group_arn = aws_cloudwatch_log_group.search.arn\n}', cloudformation: 'LogPublishingOptions:\n  AUDIT_LOGS:\n    CloudWatchLogsLogGroupArn: !GetAtt SearchLogs.Arn\n    Enabled: true' },
  bad: [tf('resource "aws_opensearch_domain" "s" {\n  domain_name = "s"\n}\n', 1)],
  good: [tf('resource "aws_opensearch_domain" "s" {\n  domain_name = "s"\n  log_publishing_options {\n    log_type                 = "AUDIT_LOGS"\n    cloudwatch_log_group_arn = aws_cloudwatch_log_group.l.arn\n  }\n}\n')],
});

function openDomainPolicy(r: Resource, ctx: RuleContext, path: AttrPath, vpc: unknown): Violation[] {
  if (!isAbsent(vpc) && !(Array.isArray(vpc) && vpc.length === 0)) return [];
  return policyStatements(r, path, ctx)?.some(allowsAnyone) === true
    ? [violation(path, 'the access policy allows any principal on a domain with a public endpoint')]
    : [];
}

/** The domain an `aws_opensearch_domain_policy` belongs to, when it is in the scan. */
function policyDomain(r: Resource, ctx: RuleContext): Resource | undefined {
  return r.refs.map((id) => ctx.byId(id)).find((d) => d !== undefined && (TF_DOMAINS as readonly string[]).includes(d.type));
}

export const searchOpenAccess = awsRule({
  id: 'VGL-AWS-199',
  title: 'OpenSearch domain with a public endpoint allows anyone',
  description: 'A domain outside a VPC has an internet endpoint; an access policy allowing principal "*" without an IP or account condition lets anyone read, write or delete its indices.',
  severity: 'critical',
  service: 'opensearch',
  frameworks: CONTROLS.publicAccess(),
  remediation: 'Put the domain in a VPC (vpc_options / VPCOptions), or restrict the access policy to named IAM principals and use fine-grained access control.',
  references: [`${TF_DOCS}opensearch_domain#access_policies`, 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html'],
  tf: {
    aws_opensearch_domain: (r, ctx) => openDomainPolicy(r, ctx, ['access_policies'], r.attrs['vpc_options']),
    aws_elasticsearch_domain: (r, ctx) => openDomainPolicy(r, ctx, ['access_policies'], r.attrs['vpc_options']),
    aws_opensearch_domain_policy: (r, ctx) => openDomainPolicy(r, ctx, ['access_policies'], policyDomain(r, ctx)?.attrs['vpc_options']),
    aws_elasticsearch_domain_policy: (r, ctx) => openDomainPolicy(r, ctx, ['access_policies'], policyDomain(r, ctx)?.attrs['vpc_options']),
  },
  cfn: {
    'AWS::OpenSearchService::Domain': (r, ctx) => openDomainPolicy(r, ctx, ['AccessPolicies'], r.attrs['VPCOptions']),
    'AWS::Elasticsearch::Domain': (r, ctx) => openDomainPolicy(r, ctx, ['AccessPolicies'], r.attrs['VPCOptions']),
  },
  fix: { terraform: 'vpc_options {\n  subnet_ids         = var.private_subnet_ids\n  security_group_ids = [aws_security_group.search.id]\n}', cloudformation: 'VPCOptions:\n  SubnetIds: !Ref PrivateSubnets\n  SecurityGroupIds: [!Ref SearchSecurityGroup]' },
  bad: [cfn('Resources:\n  Search:\n    Type: AWS::OpenSearchService::Domain\n    Properties:\n      AccessPolicies:\n        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n            Principal: "*"\n            Action: "es:*"\n            Resource: "*"\n', 5)],
  good: [cfn('Resources:\n  Search:\n    Type: AWS::OpenSearchService::Domain\n    Properties:\n      VPCOptions:\n        SubnetIds: [subnet-1]\n      AccessPolicies:\n        Version: "2012-10-17"\n        Statement:\n          - Effect: Allow\n            Principal: "*"\n            Action: "es:*"\n            Resource: "*"\n')],
});
