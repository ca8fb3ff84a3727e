/**
 * Analytics, logging and smaller services: Athena and Glue encryption, CloudWatch Logs
 * retention, AppSync logging and cache encryption, CloudSearch HTTPS, EMR security
 * configurations, Network Firewall and Route 53 query logs, WorkSpaces volumes and VPC
 * endpoint services that accept any consumer.
 */
import { at, isObject, str } from '../../../attrs.js';
import type { AttrPath, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { eachBlock, firstBlock, isAbsent, lower, requireSet, requireTrue, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, csf, gdpr, iso, nist, pci, soc2, TF_DOCS, tf } from './lib/define.js';

const ATHENA_PLAIN = 'query results are not encrypted';

function athenaWorkgroup(a: Attrs): Violation[] {
  const conf = firstBlock(a, 'configuration');
  const result = conf === undefined ? undefined : firstBlock(conf.block, 'result_configuration');
  if (result === undefined) return [violation(conf === undefined ? ['configuration'] : conf.path, ATHENA_PLAIN)];
  const path = [...(conf?.path ?? []), ...result.path, 'encryption_configuration'];
  return isAbsent(result.block['encryption_configuration']) ? [violation(path, ATHENA_PLAIN)] : [];
}

export const athenaEncryption = awsRule({
  id: 'VGL-AWS-183',
  title: 'Athena query results are not encrypted',
  description: 'Athena writes query results (often copies of sensitive data) to S3 unencrypted unless the database or workgroup sets an encryption configuration.',
  severity: 'medium',
  service: 'athena',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Set encryption_configuration (SSE_KMS with a KMS key) on aws_athena_database, and on the workgroup\'s result configuration with enforce_workgroup_configuration = true.',
  references: [`${TF_DOCS}athena_database#encryption_configuration`, 'https://docs.aws.amazon.com/athena/latest/ug/encryption.html'],
  tf: {
    aws_athena_database: (r) => requireSet(r.attrs, ['encryption_configuration'], ATHENA_PLAIN),
    aws_athena_workgroup: (r) => athenaWorkgroup(r.attrs),
  },
  cfn: {
    'AWS::Athena::WorkGroup': (r) => requireSet(r.attrs, ['WorkGroupConfiguration', 'ResultConfiguration', 'EncryptionConfiguration'], ATHENA_PLAIN),
  },
  fix: { terraform: 'encryption_configuration {\n  encryption_option = "SSE_KMS"\n  kms_key           = aws_kms_key.athena.arn\n}', cloudformation: 'ResultConfiguration:\n  EncryptionConfiguration:\n    EncryptionOption: SSE_KMS\n    KmsKey: !Ref AthenaKey' },
  bad: [tf('resource "aws_athena_database" "db" {\n  name   = "db"\n  bucket = aws_s3_bucket.results.id\n}\n', 1)],
  good: [tf('resource "aws_athena_database" "db" {\n  name   = "db"\n  bucket = aws_s3_bucket.results.id\n  encryption_configuration {\n    encryption_option = "SSE_S3"\n  }\n}\n')],
});

export const logRetention = awsRule({
  id: 'VGL-AWS-185',
  title: 'CloudWatch log group has no retention period',
  description: 'Without a retention period the log group keeps its events forever: personal data in logs is never deleted (storage limitation) and the retention decided in the log management policy is not enforced.',
  severity: 'low',
  service: 'cloudwatch',
  frameworks: [...nist('AU-11', 'SI-12'), ...iso('A.8.15', 'A.5.33'), ...soc2('CC7.2'), ...pci('10.5.1'), ...gdpr()],
  remediation: 'Set retention_in_days / RetentionInDays to the period your policy requires (PCI DSS asks for at least 365 days).',
  references: [`${TF_DOCS}cloudwatch_log_group#retention_in_days`, 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention'],
  tf: { aws_cloudwatch_log_group: (r) => requireSet(r.attrs, ['retention_in_days'], 'no retention period: events are kept forever') },
  cfn: { 'AWS::Logs::LogGroup': (r) => requireSet(r.attrs, ['RetentionInDays'], 'no retention period: events are kept forever') },
  fix: { terraform: 'retention_in_days = 365', cloudformation: 'RetentionInDays: 365' },
  bad: [tf('resource "aws_cloudwatch_log_group" "app" {\n  name = "/app"\n}\n', 1)],
  good: [cfn('Resources:\n  Logs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 365\n')],
});

function fieldLogs(level: string | undefined, present: boolean, path: AttrPath): Violation[] {
  if (!present) return [violation(path, 'field-level logging is not configured')];
  return level === 'none' ? [violation(path, 'field-level logging is set to NONE')] : [];
}

export const appsyncLogging = awsRule({
  id: 'VGL-AWS-186',
  title: 'AppSync API has field-level logging disabled',
  description: 'Without field-level logs (ERROR or ALL) AppSync records nothing about resolver errors and requests, leaving GraphQL abuse and failures untraceable.',
  severity: 'low',
  service: 'appsync',
  frameworks: CONTROLS.logging(),
  remediation: 'Configure log_config / LogConfig with field_log_level ERROR or ALL and a CloudWatch Logs role.',
  references: [`${TF_DOCS}appsync_graphql_api#log_config`, 'https://docs.aws.amazon.com/appsync/latest/devguide/monitoring.html'],
  tf: {
    aws_appsync_graphql_api: (r) => {
      const c = firstBlock(r.attrs, 'log_config');
      return fieldLogs(c === undefined ? undefined : lower(c.block, ['field_log_level']), c !== undefined, c === undefined ? ['log_config'] : [...c.path, 'field_log_level']);
    },
  },
  cfn: {
    'AWS::AppSync::GraphQLApi': (r) => fieldLogs(lower(r.attrs, ['LogConfig', 'FieldLogLevel']), isObject(r.attrs['LogConfig']), isObject(r.attrs['LogConfig']) ? ['LogConfig', 'FieldLogLevel'] : ['LogConfig']),
  },
  fix: { terraform: 'log_config {\n  cloudwatch_logs_role_arn = aws_iam_role.appsync_logs.arn\n  field_log_level          = "ERROR"\n}', cloudformation: 'LogConfig:\n  CloudWatchLogsRoleArn: !GetAtt AppSyncLogs.Arn\n  FieldLogLevel: ERROR' },
  bad: [cfn('Resources:\n  Api:\n    Type: AWS::AppSync::GraphQLApi\n    Properties:\n      Name: api\n      AuthenticationType: AWS_IAM\n      LogConfig:\n        FieldLogLevel: NONE\n', 8)],
  good: [tf('resource "aws_appsync_graphql_api" "api" {\n  name                = "api"\n  authentication_type = "AWS_IAM"\n  log_config {\n    cloudwatch_logs_role_arn = aws_iam_role.logs.arn\n    field_log_level          = "ERROR"\n  }\n}\n')],
});

export const appsyncCacheEncryption = awsRule({
  id: 'VGL-AWS-187',
  title: 'AppSync API cache is not encrypted',
  description: 'The AppSync cache keeps resolver responses unencrypted at rest and/or between AppSync and the cache nodes.',
  severity: 'medium',
  service: 'appsync',
  frameworks: [...CONTROLS.encryptionAtRest(), ...nist('SC-8')],
  remediation: 'Set at_rest_encryption_enabled and transit_encryption_enabled (AtRestEncryptionEnabled, TransitEncryptionEnabled) to true.',
  references: [`${TF_DOCS}appsync_api_cache`, `${CFN_DOCS}aws-resource-appsync-apicache.html`],
  tf: {
    aws_appsync_api_cache: (r) => [
      ...requireTrue(r.attrs, ['transit_encryption_enabled'], 'the cache is not encrypted in transit'),
      ...requireTrue(r.attrs, ['at_rest_encryption_enabled'], 'the cache is not encrypted at rest'),
    ],
  },
  cfn: {
    'AWS::AppSync::ApiCache': (r) => [
      ...requireTrue(r.attrs, ['TransitEncryptionEnabled'], 'the cache is not encrypted in transit'),
      ...requireTrue(r.attrs, ['AtRestEncryptionEnabled'], 'the cache is not encrypted at rest'),
    ],
  },
  fix: { terraform: 'at_rest_encryption_enabled = true\ntransit_encryption_enabled = true', cloudformation: 'AtRestEncryptionEnabled: true\nTransitEncryptionEnabled: true' },
  bad: [tf('resource "aws_appsync_api_cache" "c" {\n  api_id                     = aws_appsync_graphql_api.api.id\n  type                       = "SMALL"\n  at_rest_encryption_enabled = true\n  transit_encryption_enabled = false\n}\n', 5)],
  good: [tf('resource "aws_appsync_api_cache" "c" {\n  api_id                     = aws_appsync_graphql_api.api.id\n  type                       = "SMALL"\n  at_rest_encryption_enabled = true\n  transit_encryption_enabled = true\n}\n')],
});

export const cloudsearchHttps = awsRule({
  id: 'VGL-AWS-188',
  title: 'CloudSearch domain does not enforce HTTPS',
  description: 'Without enforce HTTPS the search and document endpoints accept plain HTTP, exposing queries, documents and request signatures on the network.',
  severity: 'medium',
  service: 'cloudsearch',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Set endpoint_options { enforce_https = true, tls_security_policy = "Policy-Min-TLS-1-2-2019-07" }.',
  references: [`${TF_DOCS}cloudsearch_domain#endpoint_options`, 'https://docs.aws.amazon.com/cloudsearch/latest/developerguide/configuring-domain-endpoint-options.html'],
  tf: {
    aws_cloudsearch_domain: (r) => {
      const e = firstBlock(r.attrs, 'endpoint_options');
      if (e === undefined) return [violation(['endpoint_options'], 'HTTPS is not enforced')];
      return requireTrue(e.block, ['enforce_https'], 'HTTPS is not enforced').map((v) => violation([...e.path, ...v.path], v.message));
    },
  },
  fix: { terraform: 'endpoint_options {\n  enforce_https       = true\n  tls_security_policy = "Policy-Min-TLS-1-2-2019-07"\n}' },
  bad: [tf('resource "aws_cloudsearch_domain" "d" {\n  name = "d"\n  endpoint_options {\n    enforce_https = false\n  }\n}\n', 4)],
  good: [tf('resource "aws_cloudsearch_domain" "d" {\n  name = "d"\n  endpoint_options {\n    enforce_https       = true\n    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"\n  }\n}\n')],
});

export const emrSecurityConfiguration = awsRule({
  id: 'VGL-AWS-189',
  title: 'EMR cluster has no security configuration',
  description: 'Without a security configuration an EMR cluster has no at-rest encryption of EMRFS and local disks, no in-transit encryption and no Kerberos or Lake Formation authentication settings.',
  severity: 'medium',
  service: 'emr',
  frameworks: [...CONTROLS.encryptionAtRest(), ...nist('SC-8')],
  remediation: 'Create an aws_emr_security_configuration with at-rest and in-transit encryption and name it in security_configuration / SecurityConfiguration.',
  references: [`${TF_DOCS}emr_cluster#security_configuration`, 'https://docs.aws.amazon.com/emr/latest/ManagementGuide/emr-security-configurations.html'],
  tf: { aws_emr_cluster: (r) => requireSet(r.attrs, ['security_configuration'], 'no security configuration: encryption and authentication are off') },
  cfn: { 'AWS::EMR::Cluster': (r) => requireSet(r.attrs, ['SecurityConfiguration'], 'no security configuration: encryption and authentication are off') },
  fix: { terraform: 'security_configuration = aws_emr_security_configuration.encrypted.name', cloudformation: 'SecurityConfiguration: !Ref EncryptedConfiguration' },
  bad: [tf('resource "aws_emr_cluster" "c" {\n  name          = "c"\n  release_label = "emr-7.0.0"\n}\n', 1)],
  good: [tf('resource "aws_emr_cluster" "c" {\n  name                   = "c"\n  release_label          = "emr-7.0.0"\n  security_configuration = aws_emr_security_configuration.s.name\n}\n')],
});

export const networkFirewallLogging = awsRule({
  id: 'VGL-AWS-191',
  title: 'Network Firewall has no logging configuration',
  description: 'Without a logging configuration the firewall keeps no flow or alert logs, so blocked attacks and allowed suspicious traffic leave no record.',
  severity: 'medium',
  service: 'network-firewall',
  frameworks: CONTROLS.logging(),
  remediation: 'Add an aws_network_firewall_logging_configuration (AWS::NetworkFirewall::LoggingConfiguration) sending ALERT and FLOW logs to CloudWatch Logs, S3 or Firehose.',
  references: [`${TF_DOCS}networkfirewall_logging_configuration`, 'https://docs.aws.amazon.com/network-firewall/latest/developerguide/firewall-logging.html'],
  tf: {
    aws_networkfirewall_firewall: (r, ctx) =>
      ctx.referrers(r, 'tf:aws_networkfirewall_logging_configuration').length > 0 ? [] : [violation([], 'no logging configuration refers to the firewall')],
  },
  cfn: {
    'AWS::NetworkFirewall::Firewall': (r, ctx) =>
      ctx.referrers(r, 'cfn:AWS::NetworkFirewall::LoggingConfiguration').length > 0 ? [] : [violation([], 'no logging configuration refers to the firewall')],
  },
  fix: { terraform: 'resource "aws_networkfirewall_logging_configuration" "fw" {\n  firewall_arn = aws_networkfirewall_firewall.fw.arn\n  logging_configuration {\n    log_destination_config {\n      log_destination      = { logGroup = aws_cloudwatch_log_group.fw.name }\n      log_destination_type = "CloudWatchLogs"\n      log_type             = "ALERT"\n    }\n  }\n}', cloudformation: 'Type: AWS::NetworkFirewall::LoggingConfiguration\nProperties:\n  FirewallArn: !Ref Firewall\n  LoggingConfiguration:\n    LogDestinationConfigs:\n      - LogType: ALERT\n        LogDestinationType: CloudWatchLogs\n        LogDestination:\n          logGroup: !Ref FirewallLogs' },
  bad: [tf('resource "aws_networkfirewall_firewall" "fw" {\n  name                = "fw"\n  firewall_policy_arn = aws_networkfirewall_firewall_policy.p.arn\n  vpc_id              = aws_vpc.main.id\n}\n', 1)],
  good: [tf('resource "aws_networkfirewall_firewall" "fw" {\n  name = "fw"\n}\n\nresource "aws_networkfirewall_logging_configuration" "fw" {\n  firewall_arn = aws_networkfirewall_firewall.fw.arn\n}\n')],
});

export const workspacesEncryption = awsRule({
  id: 'VGL-AWS-192',
  title: 'WorkSpaces volumes are not encrypted',
  description: 'The WorkSpace\'s root (C:) or user (D:) volume is stored unencrypted, with the user\'s documents, cached credentials and browser data.',
  severity: 'medium',
  service: 'workspaces',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Set root_volume_encryption_enabled and user_volume_encryption_enabled (RootVolumeEncryptionEnabled, UserVolumeEncryptionEnabled) with a volume_encryption_key.',
  references: [`${TF_DOCS}workspaces_workspace`, 'https://docs.aws.amazon.com/workspaces/latest/adminguide/encrypt-workspaces.html'],
  tf: {
    aws_workspaces_workspace: (r) => [
      ...requireTrue(r.attrs, ['root_volume_encryption_enabled'], 'the root volume is not encrypted'),
      ...requireTrue(r.attrs, ['user_volume_encryption_enabled'], 'the user volume is not encrypted'),
    ],
  },
  cfn: {
    'AWS::WorkSpaces::Workspace': (r) => [
      ...requireTrue(r.attrs, ['RootVolumeEncryptionEnabled'], 'the root volume is not encrypted'),
      ...requireTrue(r.attrs, ['UserVolumeEncryptionEnabled'], 'the user volume is not encrypted'),
    ],
  },
  fix: { terraform: 'root_volume_encryption_enabled = true\nuser_volume_encryption_enabled = true\nvolume_encryption_key          = aws_kms_key.workspaces.arn', cloudformation: 'RootVolumeEncryptionEnabled: true\nUserVolumeEncryptionEnabled: true\nVolumeEncryptionKey: !Ref WorkspacesKey' },
  bad: [cfn('Resources:\n  Desk:\n    Type: AWS::WorkSpaces::Workspace\n    Properties:\n      BundleId: wsb-1\n      DirectoryId: d-1\n      UserName: ann\n      RootVolumeEncryptionEnabled: false\n      UserVolumeEncryptionEnabled: true\n', 8)],
  good: [tf('resource "aws_workspaces_workspace" "w" {\n  bundle_id                      = "wsb-1"\n  directory_id                   = "d-1"\n  user_name                      = "ann"\n  root_volume_encryption_enabled = true\n  user_volume_encryption_enabled = true\n}\n')],
});

export const endpointServiceAcceptance = awsRule({
  id: 'VGL-AWS-193',
  title: 'VPC endpoint service accepts connections without approval',
  description: 'With acceptance not required, any principal allowed by the service\'s permissions (or any account, when permissions are broad) can connect an endpoint and reach the service behind it without review.',
  severity: 'medium',
  service: 'vpc',
  frameworks: [...nist('AC-3', 'SC-7'), ...csf('PR.AA-05'), ...iso('A.8.20'), ...soc2('CC6.6')],
  remediation: 'Set acceptance_required / AcceptanceRequired to true and approve endpoint connections explicitly.',
  references: [`${TF_DOCS}vpc_endpoint_service#acceptance_required`, 'https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html'],
  tf: { aws_vpc_endpoint_service: (r) => requireTrue(r.attrs, ['acceptance_required'], 'endpoint connections are accepted automatically') },
  cfn: { 'AWS::EC2::VPCEndpointService': (r) => requireTrue(r.attrs, ['AcceptanceRequired'], 'endpoint connections are accepted automatically') },
  fix: { terraform: 'acceptance_required = true', cloudformation: 'AcceptanceRequired: true' },
  bad: [tf('resource "aws_vpc_endpoint_service" "s" {\n  acceptance_required        = false\n  network_load_balancer_arns = [aws_lb.nlb.arn]\n}\n', 2)],
  good: [cfn('Resources:\n  Service:\n    Type: AWS::EC2::VPCEndpointService\n    Properties:\n      AcceptanceRequired: true\n')],
});

/** Glue encryption modes: `[block, mode attribute]` per setting, Terraform and CloudFormation. */
const GLUE_TF: readonly [string, string][] = [['cloudwatch_encryption', 'cloudwatch_encryption_mode'], ['job_bookmarks_encryption', 'job_bookmarks_encryption_mode'], ['s3_encryption', 's3_encryption_mode']];

function glueModes(a: Attrs): Violation[] {
  const conf = firstBlock(a, 'encryption_configuration');
  if (conf === undefined) return [];
  return GLUE_TF.flatMap(([block, mode]) => {
    const b = firstBlock(conf.block, block);
    if (b === undefined) return [violation([...conf.path, block], `${block.replace(/_/g, ' ')} is not configured`)];
    const path = [...conf.path, ...b.path, mode];
    return lower(b.block, [mode]) === 'disabled' || isAbsent(b.block[mode]) ? [violation(path, `${block.replace(/_/g, ' ')} is disabled`)] : [];
  });
}

function glueModesCfn(a: Attrs): Violation[] {
  const base: AttrPath = ['EncryptionConfiguration'];
  const conf = at(a, base);
  if (!isObject(conf)) return [];
  const out: Violation[] = [];
  const check = (value: unknown, path: AttrPath, what: string): void => {
    if (isAbsent(value) || str(value)?.toLowerCase() === 'disabled') out.push(violation(path, `${what} is disabled`));
  };
  check(at(conf, ['CloudWatchEncryption', 'CloudWatchEncryptionMode']), [...base, 'CloudWatchEncryption', 'CloudWatchEncryptionMode'], 'CloudWatch encryption');
  check(at(conf, ['JobBookmarksEncryption', 'JobBookmarksEncryptionMode']), [...base, 'JobBookmarksEncryption', 'JobBookmarksEncryptionMode'], 'job bookmarks encryption');
  const s3 = conf['S3Encryptions'];
  const first = Array.isArray(s3) ? (s3 as unknown[])[0] : s3;
  check(at(first, ['S3EncryptionMode']), Array.isArray(s3) ? [...base, 'S3Encryptions', 0, 'S3EncryptionMode'] : [...base, 'S3Encryptions', 'S3EncryptionMode'], 'S3 encryption');
  return out;
}

export const glueEncryption = awsRule({
  id: 'VGL-AWS-195',
  title: 'Glue security configuration leaves data unencrypted',
  description: 'A Glue security configuration with S3, CloudWatch Logs or job bookmark encryption disabled lets jobs and crawlers write data, logs and bookmarks unencrypted.',
  severity: 'medium',
  service: 'glue',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Enable SSE-KMS for S3 and CloudWatch and CSE-KMS for job bookmarks in the security configuration.',
  references: [`${TF_DOCS}glue_security_configuration`, 'https://docs.aws.amazon.com/glue/latest/dg/encryption-security-configuration.html'],
  tf: { aws_glue_security_configuration: (r) => glueModes(r.attrs) },
  cfn: { 'AWS::Glue::SecurityConfiguration': (r) => glueModesCfn(r.attrs) },
  fix: { terraform: 's3_encryption {\n  s3_encryption_mode = "SSE-KMS"\n  kms_key_arn        = aws_kms_key.glue.arn\n}', cloudformation: 'S3Encryptions:\n  - S3EncryptionMode: SSE-KMS\n    KmsKeyArn: !GetAtt GlueKey.Arn' },
  bad: [tf('resource "aws_glue_security_configuration" "g" {\n  name = "g"\n  encryption_configuration {\n    cloudwatch_encryption {\n      cloudwatch_encryption_mode = "SSE-KMS"\n      kms_key_arn                = aws_kms_key.g.arn\n    }\n    job_bookmarks_encryption {\n      job_bookmarks_encryption_mode = "CSE-KMS"\n      kms_key_arn                   = aws_kms_key.g.arn\n    }\n    s3_encryption {\n      s3_encryption_mode = "DISABLED"\n    }\n  }\n}\n', 13)],
  good: [tf('resource "aws_glue_security_configuration" "g" {\n  name = "g"\n  encryption_configuration {\n    cloudwatch_encryption {\n      cloudwatch_encryption_mode = "SSE-KMS"\n      kms_key_arn                = aws_kms_key.g.arn\n    }\n    job_bookmarks_encryption {\n      job_bookmarks_encryption_mode = "CSE-KMS"\n      kms_key_arn                   = aws_kms_key.g.arn\n    }\n    s3_encryption {\n      s3_encryption_mode = "SSE-KMS"\n      kms_key_arn        = aws_kms_key.g.arn\n    }\n  }\n}\n')],
});

export const route53QueryLogging = awsRule({
  id: 'VGL-AWS-197',
  title: 'Route 53 public hosted zone has no query logging',
  description: 'Without query logging there is no record of the DNS queries resolvers make for the zone, which helps detect reconnaissance, DNS-based exfiltration and misrouted traffic.',
  severity: 'low',
  service: 'route53',
  frameworks: CONTROLS.logging(),
  remediation: 'Add an aws_route53_query_log (QueryLoggingConfig) sending the zone\'s queries to a CloudWatch Logs group in us-east-1.',
  references: [`${TF_DOCS}route53_query_log`, 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/query-logs.html'],
  tf: {
    aws_route53_zone: (r, ctx) =>
      eachBlock(r.attrs, 'vpc').length > 0 || ctx.referrers(r, 'tf:aws_route53_query_log').length > 0 ? [] : [violation([], 'no query log refers to the public hosted zone')],
  },
  cfn: {
    'AWS::Route53::HostedZone': (r) => (isAbsent(r.attrs['VPCs']) ? requireSet(r.attrs, ['QueryLoggingConfig'], 'query logging is not configured for the public hosted zone') : []),
  },
  fix: { terraform: 'resource "aws_route53_query_log" "zone" {\n  zone_id                  = aws_route53_zone.public.zone_id\n  cloudwatch_log_group_arn = aws_cloudwatch_log_group.dns.arn\n}', cloudformation: 'QueryLoggingConfig:\n  CloudWatchLogsLogGroupArn: !GetAtt DnsLogs.Arn' },
  bad: [tf('resource "aws_route53_zone" "public" {\n  name = "example.com"\n}\n', 1)],
  good: [tf('resource "aws_route53_zone" "public" {\n  name = "example.com"\n}\n\nresource "aws_route53_query_log" "q" {\n  zone_id                  = aws_route53_zone.public.zone_id\n  cloudwatch_log_group_arn = aws_cloudwatch_log_group.dns.arn\n}\n')],
});
