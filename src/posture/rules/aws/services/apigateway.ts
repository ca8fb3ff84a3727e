/**
 * API Gateway (REST and HTTP/WebSocket APIs, SAM included): access logs, execution logs,
 * cache encryption, X-Ray tracing and methods open without authorization.
 */
import { isObject } from '../../../attrs.js';
import type { Violation } from '../../../model.js';
import { violation } from '../../../rule.js';
import { eachBlock, firstBlock, flag, isAbsent, lower, requireSet, requireTrue, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, iso, nist, soc2, TF_DOCS, tf } from './lib/define.js';

const NO_ACCESS_LOGS = 'access logging is not configured for the stage';

export const apiAccessLogs = awsRule({
  id: 'VGL-AWS-136',
  title: 'API Gateway stage has no access logging',
  description: 'Without access logs API Gateway keeps no record of who called the API (source IP, identity, route, status), so abuse and attacks on the API cannot be investigated.',
  severity: 'medium',
  service: 'apigateway',
  frameworks: CONTROLS.logging(),
  remediation: 'Configure access_log_settings / AccessLogSetting(s) with a CloudWatch Logs or Firehose destination and a log format.',
  references: [`${TF_DOCS}api_gateway_stage#access_log_settings`, `${CFN_DOCS}aws-resource-apigateway-stage.html#cfn-apigateway-stage-accesslogsetting`, 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html'],
  tf: {
    aws_api_gateway_stage: (r) => requireSet(r.attrs, ['access_log_settings'], NO_ACCESS_LOGS),
    aws_apigatewayv2_stage: (r) => requireSet(r.attrs, ['access_log_settings'], NO_ACCESS_LOGS),
  },
  cfn: {
    'AWS::ApiGateway::Stage': (r) => requireSet(r.attrs, ['AccessLogSetting'], NO_ACCESS_LOGS),
    'AWS::ApiGatewayV2::Stage': (r) => requireSet(r.attrs, ['AccessLogSettings'], NO_ACCESS_LOGS),
    'AWS::Serverless::Api': (r) => requireSet(r.attrs, ['AccessLogSetting'], NO_ACCESS_LOGS),
    'AWS::Serverless::HttpApi': (r) => requireSet(r.attrs, ['AccessLogSettings'], NO_ACCESS_LOGS),
  },
  fix: {
    terraform: 'access_log_settings {\n  destination_arn = aws_cloudwatch_log_group.api.arn\n  format          = jsonencode({ requestId = "$context.requestId", ip = "$context.identity.sourceIp", status = "$context.status" })\n}',
    cloudformation: 'AccessLogSetting:\n  DestinationArn: !GetAtt ApiLogs.Arn\n  Format: \'{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","status":"$context.status"}\'',
  },
  bad: [
    tf('resource "aws_api_gateway_stage" "prod" {\n  stage_name    = "prod"\n  rest_api_id   = aws_api_gateway_rest_api.api.id\n  deployment_id = aws_api_gateway_deployment.d.id\n}\n', 1),
    cfn('Resources:\n  Stage:\n    Type: AWS::ApiGatewayV2::Stage\n    Properties:\n      StageName: prod\n      ApiId: !Ref Api\n      AccessLogSettings: {}\n', 7),
  ],
  good: [tf('resource "aws_apigatewayv2_stage" "prod" {\n  name   = "prod"\n  api_id = aws_apigatewayv2_api.api.id\n  access_log_settings {\n    destination_arn = aws_cloudwatch_log_group.api.arn\n    format          = "$context.requestId"\n  }\n}\n')],
});

const LEVELS = new Set(['error', 'info']);
const NO_EXECUTION_LOGS = 'execution logging is off (logging_level is not ERROR or INFO)';

function loggingLevel(settings: Attrs, key: string, path: readonly (string | number)[]): Violation[] {
  const level = settings[key];
  if (isAbsent(level)) return [violation(path, NO_EXECUTION_LOGS)];
  const l = lower(settings, [key]);
  return l === undefined || LEVELS.has(l) ? [] : [violation([...path, key], NO_EXECUTION_LOGS)];
}

export const apiExecutionLogs = awsRule({
  id: 'VGL-AWS-137',
  title: 'API Gateway REST API execution logging is off',
  description: 'REST API stages write no execution logs to CloudWatch unless method settings set the logging level to ERROR or INFO, leaving failed authorisations, integration errors and throttling invisible.',
  severity: 'low',
  service: 'apigateway',
  frameworks: CONTROLS.logging(),
  remediation: 'Add method settings for "*/*" with logging_level / LoggingLevel ERROR or INFO (and avoid data tracing in production).',
  references: [`${TF_DOCS}api_gateway_method_settings#logging_level`, 'https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html'],
  tf: {
    aws_api_gateway_stage: (r, ctx) =>
      ctx.referrers(r, 'tf:aws_api_gateway_method_settings').length > 0 ? [] : [violation([], 'no method settings enable execution logging for the stage')],
    aws_api_gateway_method_settings: (r) => {
      const settings = firstBlock(r.attrs, 'settings');
      return settings === undefined ? [violation(['settings'], NO_EXECUTION_LOGS)] : loggingLevel(settings.block, 'logging_level', settings.path);
    },
  },
  cfn: {
    'AWS::ApiGateway::Stage': (r) => {
      const list = r.attrs['MethodSettings'];
      if (isAbsent(list)) return [violation(['MethodSettings'], 'no method settings enable execution logging for the stage')];
      if (!Array.isArray(list)) return [];
      return (list as unknown[]).flatMap((s, i) => (isObject(s) ? loggingLevel(s, 'LoggingLevel', ['MethodSettings', i]) : []));
    },
  },
  fix: {
    terraform: 'resource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name  = aws_api_gateway_stage.prod.stage_name\n  method_path = "*/*"\n  settings {\n    logging_level = "ERROR"\n  }\n}',
    cloudformation: 'MethodSettings:\n  - ResourcePath: "/*"\n    HttpMethod: "*"\n    LoggingLevel: ERROR',
  },
  bad: [
    tf('resource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name  = aws_api_gateway_stage.prod.stage_name\n  method_path = "*/*"\n  settings {\n    logging_level = "OFF"\n  }\n}\n', 6),
    cfn('Resources:\n  Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: !Ref Api\n      MethodSettings:\n        - ResourcePath: "/*"\n          HttpMethod: "*"\n          MetricsEnabled: true\n', 7),
  ],
  good: [
    tf(
      'resource "aws_api_gateway_stage" "prod" {\n  stage_name    = "prod"\n  rest_api_id   = aws_api_gateway_rest_api.api.id\n  deployment_id = aws_api_gateway_deployment.d.id\n}\n\nresource "aws_api_gateway_method_settings" "all" {\n  rest_api_id = aws_api_gateway_rest_api.api.id\n  stage_name  = aws_api_gateway_stage.prod.stage_name\n  method_path = "*/*"\n  settings {\n    logging_level = "INFO"\n  }\n}\n',
    ),
  ],
});

const CACHE_UNENCRYPTED = 'the response cache is enabled but not encrypted';

function cache(settings: Attrs, enabledKey: string, encryptedKey: string, path: readonly (string | number)[]): Violation[] {
  if (flag(settings[enabledKey]) !== true) return [];
  return requireTrue(settings, [encryptedKey], CACHE_UNENCRYPTED).map((v) => violation([...path, ...v.path], v.message));
}

export const apiCacheEncryption = awsRule({
  id: 'VGL-AWS-138',
  title: 'API Gateway response cache is not encrypted',
  description: 'Cached API responses, which may hold personal or sensitive data, are stored unencrypted in the stage cache.',
  severity: 'medium',
  service: 'apigateway',
  frameworks: CONTROLS.encryptionAtRest(),
  remediation: 'Set cache_data_encrypted / CacheDataEncrypted to true wherever caching is enabled.',
  references: [`${TF_DOCS}api_gateway_method_settings#cache_data_encrypted`, 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html'],
  tf: {
    aws_api_gateway_method_settings: (r) =>
      eachBlock(r.attrs, 'settings').flatMap(({ block, path }) => cache(block, 'caching_enabled', 'cache_data_encrypted', path)),
  },
  cfn: {
    'AWS::ApiGateway::Stage': (r) => {
      const list = r.attrs['MethodSettings'];
      return Array.isArray(list) ? (list as unknown[]).flatMap((s, i) => (isObject(s) ? cache(s, 'CachingEnabled', 'CacheDataEncrypted', ['MethodSettings', i]) : [])) : [];
    },
  },
  fix: { terraform: 'settings {\n  caching_enabled      = true\n  cache_data_encrypted = true\n}', cloudformation: 'MethodSettings:\n  - ResourcePath: "/*"\n    HttpMethod: "*"\n    CachingEnabled: true\n    CacheDataEncrypted: true' },
  bad: [tf('resource "aws_api_gateway_method_settings" "s" {\n  method_path = "*/*"\n  settings {\n    caching_enabled      = true\n    cache_data_encrypted = false\n  }\n}\n', 5)],
  good: [tf('resource "aws_api_gateway_method_settings" "s" {\n  method_path = "*/*"\n  settings {\n    caching_enabled      = true\n    cache_data_encrypted = true\n  }\n}\n')],
});

const NO_TRACING = 'X-Ray tracing is not enabled';

export const apiTracing = awsRule({
  id: 'VGL-AWS-139',
  title: 'API Gateway stage has X-Ray tracing disabled',
  description: 'Without X-Ray tracing requests through the REST API cannot be followed across the services behind it, which slows down investigating errors, latency and suspicious calls.',
  severity: 'low',
  service: 'apigateway',
  frameworks: CONTROLS.logging(),
  remediation: 'Set xray_tracing_enabled / TracingEnabled to true on the stage.',
  references: [`${TF_DOCS}api_gateway_stage#xray_tracing_enabled`, 'https://docs.aws.amazon.com/xray/latest/devguide/xray-services-apigateway.html'],
  tf: { aws_api_gateway_stage: (r) => requireTrue(r.attrs, ['xray_tracing_enabled'], NO_TRACING) },
  cfn: {
    'AWS::ApiGateway::Stage': (r) => requireTrue(r.attrs, ['TracingEnabled'], NO_TRACING),
    'AWS::Serverless::Api': (r) => requireTrue(r.attrs, ['TracingEnabled'], NO_TRACING),
  },
  fix: { terraform: 'xray_tracing_enabled = true', cloudformation: 'TracingEnabled: true' },
  bad: [cfn('Resources:\n  Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: !Ref Api\n      TracingEnabled: false\n', 6)],
  good: [tf('resource "aws_api_gateway_stage" "prod" {\n  stage_name           = "prod"\n  xray_tracing_enabled = true\n}\n')],
});

function openMethod(a: Attrs, auth: string, method: string, apiKey: string): Violation[] {
  if (lower(a, [method]) === 'options' || flag(a[apiKey]) === true) return [];
  return lower(a, [auth]) === 'none' ? [violation([auth], 'the method requires no authorization and no API key')] : [];
}

export const apiOpenMethod = awsRule({
  id: 'VGL-AWS-140',
  title: 'API Gateway method has no authorization',
  description: 'A method with authorization NONE and no API key can be invoked by anyone on the internet who knows the URL; unless the API is deliberately public this exposes the backend.',
  severity: 'medium',
  service: 'apigateway',
  frameworks: CONTROLS.authentication(),
  remediation: 'Use an IAM, Cognito or Lambda authorizer (authorization / AuthorizationType), or at least require an API key for methods that are not meant to be public.',
  references: [`${TF_DOCS}api_gateway_method#authorization`, 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html'],
  tf: { aws_api_gateway_method: (r) => openMethod(r.attrs, 'authorization', 'http_method', 'api_key_required') },
  cfn: { 'AWS::ApiGateway::Method': (r) => openMethod(r.attrs, 'AuthorizationType', 'HttpMethod', 'ApiKeyRequired') },
  fix: { terraform: 'authorization = "AWS_IAM"', cloudformation: 'AuthorizationType: AWS_IAM' },
  bad: [tf('resource "aws_api_gateway_method" "get" {\n  rest_api_id   = aws_api_gateway_rest_api.api.id\n  resource_id   = aws_api_gateway_resource.r.id\n  http_method   = "GET"\n  authorization = "NONE"\n}\n', 5)],
  good: [
    tf('resource "aws_api_gateway_method" "get" {\n  http_method   = "GET"\n  authorization = "COGNITO_USER_POOLS"\n  authorizer_id = aws_api_gateway_authorizer.a.id\n}\n'),
    cfn('Resources:\n  Preflight:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      HttpMethod: OPTIONS\n      AuthorizationType: NONE\n'),
  ],
});

const NO_VALIDATOR = 'the method does not validate requests (no request validator)';

function validated(a: Attrs, method: string, validator: string): Violation[] {
  return lower(a, [method]) === 'options' ? [] : requireSet(a, [validator], NO_VALIDATOR);
}

export const apiRequestValidation = awsRule({
  id: 'VGL-AWS-148',
  title: 'API Gateway method does not validate requests',
  description: 'Without a request validator API Gateway forwards requests with missing parameters or bodies that do not match the model, leaving all input validation to the backend.',
  severity: 'low',
  service: 'apigateway',
  frameworks: [...nist('SI-10'), ...iso('A.8.28'), ...soc2('CC8.1')],
  remediation: 'Create an aws_api_gateway_request_validator (AWS::ApiGateway::RequestValidator) validating body and parameters and set request_validator_id / RequestValidatorId on the method.',
  references: [`${TF_DOCS}api_gateway_method#request_validator_id`, 'https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html'],
  tf: { aws_api_gateway_method: (r) => validated(r.attrs, 'http_method', 'request_validator_id') },
  cfn: { 'AWS::ApiGateway::Method': (r) => validated(r.attrs, 'HttpMethod', 'RequestValidatorId') },
  fix: { terraform: 'request_validator_id = aws_api_gateway_request_validator.all.id', cloudformation: 'RequestValidatorId: !Ref ValidateAll' },
  bad: [tf('resource "aws_api_gateway_method" "post" {\n  http_method   = "POST"\n  authorization = "AWS_IAM"\n}\n', 1)],
  good: [tf('resource "aws_api_gateway_method" "post" {\n  http_method          = "POST"\n  authorization        = "AWS_IAM"\n  request_validator_id = aws_api_gateway_request_validator.all.id\n}\n')],
});
