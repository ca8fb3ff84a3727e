/**
 * Elastic Load Balancing (ALB/NLB and Classic): deletion protection, invalid header handling,
 * access logs, plain-HTTP listeners and outdated TLS policies. CloudFormation keeps load
 * balancer settings in a `LoadBalancerAttributes` list of Key/Value pairs.
 */
import { at, isObject, str } from '../../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { eachBlock, firstBlock, flag, isAbsent, join, lower, requireTrue, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, TF_DOCS, tf } from './lib/define.js';
import { moduleMajor } from './lib/modules.js';

const TF_LB = `${TF_DOCS}lb`;
const CFN_LB = `${CFN_DOCS}aws-resource-elasticloadbalancingv2-loadbalancer.html`;

/** The `Value` of a CloudFormation load balancer attribute and its path. */
function lbAttribute(r: Resource, key: string): { value: unknown; path: AttrPath } | undefined {
  const list = r.attrs['LoadBalancerAttributes'];
  if (!Array.isArray(list)) return undefined;
  for (const [i, a] of (list as unknown[]).entries()) {
    if (isObject(a) && a['Key'] === key) return { value: a['Value'], path: ['LoadBalancerAttributes', i, 'Value'] };
  }
  return undefined;
}

/** A CloudFormation attribute that must be "true" (absent: `whenAbsent`). */
function cfnAttributeTrue(r: Resource, key: string, message: string, whenAbsent = false): Violation[] {
  const a = lbAttribute(r, key);
  if (a === undefined) return whenAbsent ? [] : [violation(['LoadBalancerAttributes'], message)];
  return flag(a.value) === false ? [violation(a.path, message)] : [];
}

const lbType = (a: Attrs, key: string): string => lower(a, [key]) ?? 'application';

/** terraform-aws-modules/alb turned these protections on by default in v9. */
const albModuleDefault = (r: Resource): boolean => (moduleMajor(r) ?? Number.POSITIVE_INFINITY) >= 9;

const NO_DELETION_PROTECTION = 'deletion protection is not enabled';

export const lbDeletionProtection = awsRule({
  id: 'VGL-AWS-131',
  title: 'Load balancer deletion protection is disabled',
  description: 'Without deletion protection an API call or a Terraform/CloudFormation change that replaces the load balancer deletes it, taking down every service behind it and releasing its DNS name.',
  severity: 'low',
  service: 'elb',
  frameworks: CONTROLS.deletion(),
  remediation: 'Set enable_deletion_protection = true / the deletion_protection.enabled attribute to "true".',
  references: [`${TF_LB}#enable_deletion_protection`, `${CFN_LB}#cfn-elasticloadbalancingv2-loadbalancer-loadbalancerattributes`, 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection'],
  tf: {
    aws_lb: (r) => requireTrue(r.attrs, ['enable_deletion_protection'], NO_DELETION_PROTECTION),
    aws_alb: (r) => requireTrue(r.attrs, ['enable_deletion_protection'], NO_DELETION_PROTECTION),
    'module:alb': (r) => requireTrue(r.attrs, ['enable_deletion_protection'], NO_DELETION_PROTECTION, albModuleDefault(r)),
  },
  cfn: {
    'AWS::ElasticLoadBalancingV2::LoadBalancer': (r) => cfnAttributeTrue(r, 'deletion_protection.enabled', NO_DELETION_PROTECTION),
  },
  fix: {
    terraform: 'enable_deletion_protection = true',
    cloudformation: 'LoadBalancerAttributes:\n  - Key: deletion_protection.enabled\n    Value: "true"',
  },
  bad: [
    tf('resource "aws_lb" "web" {\n  name                       = "web"\n  enable_deletion_protection = false\n}\n', 3),
    tf('module "alb" {\n  source  = "terraform-aws-modules/alb/aws"\n  version = "~> 6.0"\n  name    = "web"\n}\n', 1),
  ],
  good: [
    tf('resource "aws_lb" "web" {\n  name                       = "web"\n  enable_deletion_protection = true\n}\n'),
    cfn('Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      LoadBalancerAttributes:\n        - Key: deletion_protection.enabled\n          Value: "true"\n'),
  ],
});

const KEEPS_INVALID_HEADERS = 'invalid HTTP header fields are forwarded to the targets';

export const albDropInvalidHeaders = awsRule({
  id: 'VGL-AWS-132',
  title: 'Application load balancer does not drop invalid HTTP headers',
  description: 'By default an ALB forwards header fields whose names are not valid HTTP tokens; back ends that parse them differently are open to request smuggling and header injection.',
  severity: 'medium',
  service: 'elb',
  frameworks: CONTROLS.hardening(),
  remediation: 'Set drop_invalid_header_fields = true / the routing.http.drop_invalid_header_fields.enabled attribute to "true".',
  references: [`${TF_LB}#drop_invalid_header_fields`, 'https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-4'],
  tf: {
    aws_lb: (r) => (lbType(r.attrs, 'load_balancer_type') === 'application' ? requireTrue(r.attrs, ['drop_invalid_header_fields'], KEEPS_INVALID_HEADERS) : []),
    aws_alb: (r) => (lbType(r.attrs, 'load_balancer_type') === 'application' ? requireTrue(r.attrs, ['drop_invalid_header_fields'], KEEPS_INVALID_HEADERS) : []),
    'module:alb': (r) =>
      lbType(r.attrs, 'load_balancer_type') === 'application'
        ? requireTrue(r.attrs, ['drop_invalid_header_fields'], KEEPS_INVALID_HEADERS, albModuleDefault(r))
        : [],
  },
  cfn: {
    'AWS::ElasticLoadBalancingV2::LoadBalancer': (r) =>
      lbType(r.attrs, 'Type') === 'application' ? cfnAttributeTrue(r, 'routing.http.drop_invalid_header_fields.enabled', KEEPS_INVALID_HEADERS) : [],
  },
  fix: {
    terraform: 'drop_invalid_header_fields = true',
    cloudformation: 'LoadBalancerAttributes:\n  - Key: routing.http.drop_invalid_header_fields.enabled\n    Value: "true"',
  },
  bad: [
    tf('resource "aws_alb" "web" {\n  name = "web"\n}\n', 1),
    cfn('Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancingV2::LoadBalancer\n    Properties:\n      LoadBalancerAttributes:\n        - Key: routing.http.drop_invalid_header_fields.enabled\n          Value: "false"\n', 7),
  ],
  good: [
    tf('resource "aws_lb" "web" {\n  name                       = "web"\n  drop_invalid_header_fields = true\n}\n'),
    tf('resource "aws_lb" "net" {\n  name               = "net"\n  load_balancer_type = "network"\n}\n'),
  ],
});

const NO_ACCESS_LOGS = 'access logs are not enabled';

function tfAccessLogs(a: Attrs, enabledByDefault: boolean): Violation[] {
  const logs = firstBlock(a, 'access_logs');
  if (logs === undefined) return [violation(['access_logs'], NO_ACCESS_LOGS)];
  return requireTrue(logs.block, ['enabled'], NO_ACCESS_LOGS, enabledByDefault).map((v) => violation(join(logs.path, 'enabled'), v.message));
}

export const lbAccessLogs = awsRule({
  id: 'VGL-AWS-133',
  title: 'Load balancer access logs are disabled',
  description: 'Without access logs there is no record of the requests a load balancer served (client address, path, status, TLS details) to investigate an attack or abuse.',
  severity: 'medium',
  service: 'elb',
  frameworks: CONTROLS.logging(),
  remediation: 'Enable access logs to an S3 bucket (access_logs { bucket, enabled = true } / access_logs.s3.enabled, AccessLoggingPolicy for Classic load balancers).',
  references: [`${TF_LB}#access_logs`, 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-access-logs.html'],
  tf: {
    aws_lb: (r) => (lbType(r.attrs, 'load_balancer_type') === 'gateway' ? [] : tfAccessLogs(r.attrs, false)),
    aws_alb: (r) => (lbType(r.attrs, 'load_balancer_type') === 'gateway' ? [] : tfAccessLogs(r.attrs, false)),
    aws_elb: (r) => tfAccessLogs(r.attrs, true),
  },
  cfn: {
    'AWS::ElasticLoadBalancingV2::LoadBalancer': (r) => (lbType(r.attrs, 'Type') === 'gateway' ? [] : cfnAttributeTrue(r, 'access_logs.s3.enabled', NO_ACCESS_LOGS)),
    'AWS::ElasticLoadBalancing::LoadBalancer': (r) =>
      at(r.attrs, ['AccessLoggingPolicy']) === undefined
        ? [violation(['AccessLoggingPolicy'], NO_ACCESS_LOGS)]
        : requireTrue(r.attrs, ['AccessLoggingPolicy', 'Enabled'], NO_ACCESS_LOGS),
  },
  fix: {
    terraform: 'access_logs {\n  bucket  = aws_s3_bucket.lb_logs.id\n  enabled = true\n}',
    cloudformation: 'LoadBalancerAttributes:\n  - Key: access_logs.s3.enabled\n    Value: "true"\n  - Key: access_logs.s3.bucket\n    Value: !Ref LogBucket',
  },
  bad: [
    tf('resource "aws_lb" "web" {\n  name = "web"\n  access_logs {\n    bucket  = "logs"\n    enabled = false\n  }\n}\n', 5),
    cfn('Resources:\n  Lb:\n    Type: AWS::ElasticLoadBalancing::LoadBalancer\n    Properties:\n      AccessLoggingPolicy:\n        Enabled: false\n        S3BucketName: logs\n', 6),
  ],
  good: [tf('resource "aws_lb" "web" {\n  name = "web"\n  access_logs {\n    bucket  = "logs"\n    enabled = true\n  }\n}\n')],
});

/** Does a default action redirect to HTTPS? (Terraform block or CloudFormation object.) */
function redirectsToHttps(action: Attrs, tfInput: boolean): boolean {
  if ((lower(action, [tfInput ? 'type' : 'Type']) ?? '') !== 'redirect') return false;
  const redirect = tfInput ? firstBlock(action, 'redirect')?.block : at(action, ['RedirectConfig']);
  if (!isObject(redirect)) return false;
  const protocol = str(redirect[tfInput ? 'protocol' : 'Protocol']);
  return protocol === undefined || protocol.includes('${') || protocol.toUpperCase() === 'HTTPS';
}

const PLAIN_HTTP = 'the listener serves plain HTTP and does not redirect to HTTPS';

function listener(a: Attrs, tfInput: boolean): Violation[] {
  const key = tfInput ? 'protocol' : 'Protocol';
  if (lower(a, [key]) !== 'http') return [];
  const actions = tfInput ? eachBlock(a, 'default_action').map((b) => b.block) : (Array.isArray(a['DefaultActions']) ? (a['DefaultActions'] as unknown[]) : []).filter(isObject);
  if (actions.some((x) => redirectsToHttps(x, tfInput) || (lower(x, [tfInput ? 'type' : 'Type']) ?? '') === 'fixed-response')) return [];
  return [violation([key], PLAIN_HTTP)];
}

export const lbHttpListener = awsRule({
  id: 'VGL-AWS-134',
  title: 'Load balancer listener serves plain HTTP',
  description: 'An HTTP listener that forwards requests (instead of redirecting to HTTPS) carries credentials, cookies and data unencrypted between clients and the load balancer.',
  severity: 'medium',
  service: 'elb',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Serve the application on an HTTPS listener and make the HTTP listener\'s default action a redirect to HTTPS (HTTP_301).',
  references: [`${TF_DOCS}lb_listener`, 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-listeners.html#redirect-actions'],
  tf: {
    aws_lb_listener: (r) => listener(r.attrs, true),
    aws_alb_listener: (r) => listener(r.attrs, true),
    aws_elb: (r) =>
      eachBlock(r.attrs, 'listener')
        .filter(({ block }) => lower(block, ['lb_protocol']) === 'http')
        .map(({ path }) => violation(join(path, 'lb_protocol'), 'the Classic load balancer listener serves plain HTTP')),
  },
  cfn: { 'AWS::ElasticLoadBalancingV2::Listener': (r) => listener(r.attrs, false) },
  fix: {
    terraform: 'default_action {\n  type = "redirect"\n  redirect {\n    port        = "443"\n    protocol    = "HTTPS"\n    status_code = "HTTP_301"\n  }\n}',
    cloudformation: 'DefaultActions:\n  - Type: redirect\n    RedirectConfig:\n      Protocol: HTTPS\n      Port: "443"\n      StatusCode: HTTP_301',
  },
  bad: [
    tf('resource "aws_lb_listener" "http" {\n  load_balancer_arn = aws_lb.web.arn\n  port              = 80\n  protocol          = "HTTP"\n  default_action {\n    type             = "forward"\n    target_group_arn = aws_lb_target_group.app.arn\n  }\n}\n', 4),
    cfn('Resources:\n  Http:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      Port: 80\n      Protocol: HTTP\n      DefaultActions:\n        - Type: forward\n          TargetGroupArn: !Ref App\n', 6),
  ],
  good: [
    tf('resource "aws_lb_listener" "http" {\n  port     = 80\n  protocol = "HTTP"\n  default_action {\n    type = "redirect"\n    redirect {\n      port        = "443"\n      protocol    = "HTTPS"\n      status_code = "HTTP_301"\n    }\n  }\n}\n'),
  ],
});

/** Security policies that negotiate nothing older than TLS 1.2. */
const MODERN_POLICY = /TLS13-1-[23]|TLS-1-2|FS-1-2/i;

function tlsPolicy(a: Attrs, tfInput: boolean): Violation[] {
  const protocol = lower(a, [tfInput ? 'protocol' : 'Protocol']);
  if (protocol !== 'https' && protocol !== 'tls') return [];
  const key = tfInput ? 'ssl_policy' : 'SslPolicy';
  const policy = a[key];
  if (isAbsent(policy)) return [violation([key], 'no SSL policy: the default ELBSecurityPolicy-2016-08 accepts TLS 1.0 and 1.1')];
  const name = str(policy);
  if (name === undefined || name.includes('${') || MODERN_POLICY.test(name)) return [];
  return [violation([key], `the SSL policy ${name} accepts TLS versions older than 1.2`)];
}

export const lbTlsPolicy = awsRule({
  id: 'VGL-AWS-135',
  title: 'Load balancer listener allows TLS older than 1.2',
  description: 'HTTPS and TLS listeners without an explicit modern security policy negotiate TLS 1.0/1.1 and weak ciphers with clients that ask for them.',
  severity: 'medium',
  service: 'elb',
  frameworks: CONTROLS.encryptionInTransit(),
  remediation: 'Set ssl_policy / SslPolicy to a TLS 1.2+ policy such as ELBSecurityPolicy-TLS13-1-2-2021-06.',
  references: [`${TF_DOCS}lb_listener#ssl_policy`, 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html'],
  tf: { aws_lb_listener: (r) => tlsPolicy(r.attrs, true), aws_alb_listener: (r) => tlsPolicy(r.attrs, true) },
  cfn: { 'AWS::ElasticLoadBalancingV2::Listener': (r) => tlsPolicy(r.attrs, false) },
  fix: { terraform: 'ssl_policy = "ELBSecurityPolicy-TLS13-1-2-2021-06"', cloudformation: 'SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06' },
  bad: [tf('resource "aws_lb_listener" "https" {\n  port            = 443\n  protocol        = "HTTPS"\n  ssl_policy      = "ELBSecurityPolicy-2016-08"\n  certificate_arn = aws_acm_certificate.c.arn\n}\n', 4)],
  good: [
    cfn('Resources:\n  Https:\n    Type: AWS::ElasticLoadBalancingV2::Listener\n    Properties:\n      Port: 443\n      Protocol: HTTPS\n      SslPolicy: ELBSecurityPolicy-TLS13-1-2-2021-06\n'),
  ],
});
