/**
 * Secrets Manager and Systems Manager: VGL-AWS-047 secrets under the AWS managed key,
 * VGL-AWS-048 secrets without rotation, VGL-AWS-049 Session Manager preferences that do not log
 * sessions to an encrypted destination.
 */
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { parse as parseYaml } from 'yaml';
import { bool, isObject, isUnresolved, str } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import type { RuleContext } from '../../rule.js';
import { violation } from '../../rule.js';
import { awsRule, CFN_DOCS, cfn, csf, hipaa, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { linked } from './lib/links.js';

// VGL-AWS-047 ----------------------------------------------------------------------------------

const AWS_MANAGED_KEYS = new Set(['aws/secretsmanager', 'alias/aws/secretsmanager']);

function secretKey(attr: string) {
  return (r: Resource): Violation[] => {
    const v = r.attrs[attr];
    if (isUnresolved(v)) return [];
    const key = str(v);
    if (key !== undefined && key !== '' && !AWS_MANAGED_KEYS.has(key)) return [];
    return [violation([attr], 'the secret is encrypted with the AWS managed aws/secretsmanager key, not a customer managed key')];
  };
}

export const secretCmk = awsRule({
  id: 'VGL-AWS-047',
  title: 'Secrets Manager secret not encrypted with a customer managed key',
  description:
    'The secret uses the AWS managed aws/secretsmanager key (no KmsKeyId, or that alias). Its key policy cannot be changed, so any principal of the account with secretsmanager:GetSecretValue can decrypt, and the secret cannot be shared with another account.',
  severity: 'low',
  service: 'secretsmanager',
  kinds: ['tf:aws_secretsmanager_secret', 'cfn:AWS::SecretsManager::Secret'],
  frameworks: [nist('SC-12'), nist('SC-28'), csf('PR.DS-01'), iso('A.8.24'), soc2('CC6.1'), pci('3.6.1')],
  remediation: 'Set kms_key_id (KmsKeyId) to a customer managed key whose policy limits decryption to the secret\'s consumers.',
  fix: { terraform: 'kms_key_id = aws_kms_key.secrets.arn', cloudformation: 'KmsKeyId: !Ref SecretsKey' },
  references: ['https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html', `${TF_DOCS}/secretsmanager_secret#kms_key_id`, `${CFN_DOCS}/aws-resource-secretsmanager-secret.html#cfn-secretsmanager-secret-kmskeyid`],
  terraform: secretKey('kms_key_id'),
  cloudformation: secretKey('KmsKeyId'),
  bad: [
    tf(`
resource "aws_secretsmanager_secret" "db" {
  name = "db-password"
}`, [1]),
    cfn(`
Resources:
  Db:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: db-password
      KmsKeyId: alias/aws/secretsmanager
`, [6]),
  ],
  good: [
    tf(`
resource "aws_secretsmanager_secret" "db" {
  name       = "db-password"
  kms_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}`),
    cfn(`
Resources:
  Db:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: db-password
      KmsKeyId: alias/secrets
`),
  ],
});

// VGL-AWS-048 ----------------------------------------------------------------------------------

const NOT_ROTATED = 'no rotation schedule rotates this secret';

export const secretRotation = awsRule({
  id: 'VGL-AWS-048',
  title: 'Secrets Manager secret not rotated',
  description:
    'No rotation is configured for the secret (no aws_secretsmanager_secret_rotation / AWS::SecretsManager::RotationSchedule for it). A leaked credential then stays valid until someone changes it by hand.',
  severity: 'medium',
  service: 'secretsmanager',
  kinds: ['tf:aws_secretsmanager_secret', 'cfn:AWS::SecretsManager::Secret'],
  frameworks: [nist('IA-5(1)'), nist('SC-12'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1'), pci('8.3.9'), hipaa('164.308(a)(5)(ii)(D)')],
  remediation: 'Add a rotation schedule with a rotation function (managed rotation for RDS, Redshift and DocumentDB credentials).',
  fix: {
    terraform: 'resource "aws_secretsmanager_secret_rotation" "db" {\n  secret_id           = aws_secretsmanager_secret.db.id\n  rotation_lambda_arn = aws_lambda_function.rotate.arn\n  rotation_rules {\n    automatically_after_days = 30\n  }\n}',
    cloudformation: 'Rotation:\n  Type: AWS::SecretsManager::RotationSchedule\n  Properties:\n    SecretId: !Ref Db\n    RotationLambdaARN: !GetAtt Rotate.Arn\n    RotationRules:\n      AutomaticallyAfterDays: 30',
  },
  references: ['https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html', `${TF_DOCS}/secretsmanager_secret_rotation`, `${CFN_DOCS}/aws-resource-secretsmanager-rotationschedule.html`],
  terraform: (r: Resource, ctx: RuleContext) =>
    r.attrs['rotation_lambda_arn'] !== undefined || linked(ctx, r, 'tf:aws_secretsmanager_secret_rotation', 'secret_id', ['arn', 'id', 'name']).length > 0
      ? []
      : [violation([], NOT_ROTATED)],
  cloudformation: (r: Resource, ctx: RuleContext) =>
    linked(ctx, r, 'cfn:AWS::SecretsManager::RotationSchedule', 'SecretId', ['Name']).length > 0 ? [] : [violation([], NOT_ROTATED)],
  bad: [
    tf(`
resource "aws_secretsmanager_secret" "db" {
  name = "db-password"
}`, [1]),
    cfn(`
Resources:
  Db:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: db-password
`, [4]),
  ],
  good: [
    tf(`
resource "aws_secretsmanager_secret" "db" {
  name = "db-password"
}

resource "aws_secretsmanager_secret_rotation" "db" {
  secret_id           = aws_secretsmanager_secret.db.id
  rotation_lambda_arn = "arn:aws:lambda:eu-west-1:111122223333:function:rotate"
  rotation_rules {
    automatically_after_days = 30
  }
}`),
    cfn(`
Resources:
  Db:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: db-password
  DbRotation:
    Type: AWS::SecretsManager::RotationSchedule
    Properties:
      SecretId: !Ref Db
      RotationLambdaARN: arn:aws:lambda:eu-west-1:111122223333:function:rotate
      RotationRules:
        AutomaticallyAfterDays: 30
`),
  ],
});

// VGL-AWS-049 ----------------------------------------------------------------------------------

const MAX_DOCUMENT_CHARS = 256 * 1024;

/** A document's content: an object, or JSON / YAML text. Undefined when it cannot be read. */
function documentContent(v: unknown, yaml: boolean): Record<string, unknown> | undefined {
  if (isObject(v)) return isUnresolved(v) ? undefined : v;
  if (typeof v !== 'string' || v.length > MAX_DOCUMENT_CHARS || v.includes('${')) return undefined;
  try {
    if (!yaml) {
      const errors: ParseError[] = [];
      const value: unknown = parseJsonc(v, errors, { allowTrailingComma: true });
      if (errors.length === 0) return isObject(value) ? value : undefined;
    }
    const value: unknown = parseYaml(v, { maxAliasCount: 16, uniqueKeys: false });
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** At least one log destination, and every configured one encrypted. */
function sessionLogging(content: Record<string, unknown>): string | undefined {
  const inputs = content['inputs'];
  if (!isObject(inputs)) return 'the Session Manager preferences configure no session log destination';
  const destinations = [
    { name: 'S3', target: inputs['s3BucketName'], encrypted: inputs['s3EncryptionEnabled'] },
    { name: 'CloudWatch Logs', target: inputs['cloudWatchLogGroupName'], encrypted: inputs['cloudWatchEncryptionEnabled'] },
  ].filter((d) => isUnresolved(d.target) || (str(d.target) ?? '') !== '');
  if (destinations.length === 0) return 'Session Manager sessions are not logged (no S3 bucket or CloudWatch Logs group)';
  const clear = destinations.filter((d) => !isUnresolved(d.encrypted) && bool(d.encrypted) !== true);
  return clear.length === 0 ? undefined : `session logs to ${clear.map((d) => d.name).join(' and ')} are not encrypted`;
}

function sessionCheck(typeAttr: string, formatAttr: string, contentAttr: string) {
  return (r: Resource): Violation[] => {
    if (str(r.attrs[typeAttr]) !== 'Session') return [];
    const content = documentContent(r.attrs[contentAttr], str(r.attrs[formatAttr])?.toUpperCase() === 'YAML');
    if (content === undefined || str(content['sessionType']) !== 'Standard_Stream') return [];
    const problem = sessionLogging(content);
    return problem === undefined ? [] : [violation([contentAttr], problem)];
  };
}

export const ssmSessionLogging = awsRule({
  id: 'VGL-AWS-049',
  title: 'Session Manager sessions not logged to an encrypted destination',
  description:
    'The Session Manager preferences document (SSM-SessionManagerRunShell) sends session output to no S3 bucket or CloudWatch Logs group, or sends it unencrypted. Interactive shells on instances then leave no record, or a readable one with whatever secrets were typed.',
  severity: 'medium',
  service: 'ssm',
  kinds: ['tf:aws_ssm_document', 'cfn:AWS::SSM::Document'],
  frameworks: [nist('AU-2'), nist('AU-9'), nist('AU-12'), csf('PR.PS-04'), iso('A.8.15'), soc2('CC7.2'), pci('10.2.1'), hipaa('164.312(b)')],
  remediation: 'Set s3BucketName and/or cloudWatchLogGroupName in the preferences with s3EncryptionEnabled / cloudWatchEncryptionEnabled true.',
  fix: {
    terraform: '"inputs": {\n  "s3BucketName": "example-session-logs",\n  "s3EncryptionEnabled": true,\n  "cloudWatchLogGroupName": "session-logs",\n  "cloudWatchEncryptionEnabled": true\n}',
    cloudformation: 'inputs:\n  s3BucketName: example-session-logs\n  s3EncryptionEnabled: true\n  cloudWatchLogGroupName: session-logs\n  cloudWatchEncryptionEnabled: true',
  },
  references: ['https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-logging.html', `${TF_DOCS}/ssm_document`, `${CFN_DOCS}/aws-resource-ssm-document.html`],
  terraform: sessionCheck('document_type', 'document_format', 'content'),
  cloudformation: sessionCheck('DocumentType', 'DocumentFormat', 'Content'),
  bad: [
    tf(`
resource "aws_ssm_document" "session" {
  name          = "SSM-SessionManagerRunShell"
  document_type = "Session"
  content = jsonencode({
    schemaVersion = "1.0"
    sessionType   = "Standard_Stream"
    inputs = {
      s3BucketName        = "example-session-logs"
      s3EncryptionEnabled = false
    }
  })
}`, [4]),
    cfn(`
Resources:
  Session:
    Type: AWS::SSM::Document
    Properties:
      Name: SSM-SessionManagerRunShell
      DocumentType: Session
      Content:
        schemaVersion: "1.0"
        sessionType: Standard_Stream
        inputs:
          idleSessionTimeout: "20"
`, [7]),
  ],
  good: [
    tf(`
resource "aws_ssm_document" "session" {
  name            = "SSM-SessionManagerRunShell"
  document_type   = "Session"
  document_format = "YAML"
  content         = <<-DOC
    schemaVersion: "1.0"
    sessionType: Standard_Stream
    inputs:
      cloudWatchLogGroupName: session-logs
      cloudWatchEncryptionEnabled: true
  DOC
}`),
    cfn(`
Resources:
  Session:
    Type: AWS::SSM::Document
    Properties:
      Name: SSM-SessionManagerRunShell
      DocumentType: Session
      Content:
        schemaVersion: "1.0"
        sessionType: Standard_Stream
        inputs:
          s3BucketName: example-session-logs
          s3EncryptionEnabled: true
`),
  ],
});
