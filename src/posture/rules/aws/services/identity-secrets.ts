/**
 * Authentication settings and secrets written into templates: Cognito MFA, plain-text tokens
 * and passwords (Amplify, Directory Service), and WAF web ACLs that let everything through.
 * A CloudFormation value that came from a parameter default is reported at that default.
 */
import { at, isObject, isUnresolved, str } from '../../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../../model.js';
import { violation, type RuleContext } from '../../../rule.js';
import { eachBlock, isAbsent, isEmpty, lower, type Attrs } from './lib/checks.js';
import { awsRule, CFN_DOCS, cfn, CONTROLS, csf, iso, nist, pci, soc2, TF_DOCS, tf } from './lib/define.js';

const MFA_OFF = 'MFA is not required for the user pool\'s users';

function mfa(a: Attrs, key: string): Violation[] {
  const v = a[key];
  if (isAbsent(v)) return [violation([key], `${MFA_OFF} (MFA is off by default)`)];
  const mode = lower(a, [key]);
  return mode === undefined || mode === 'on' ? [] : [violation([key], `${MFA_OFF} (${String(str(v))})`)];
}

export const cognitoMfa = awsRule({
  id: 'VGL-AWS-182',
  title: 'Cognito user pool does not require MFA',
  description: 'With MFA off (the default) or optional, a stolen or guessed password is enough to sign in as a user of the pool.',
  severity: 'medium',
  service: 'cognito',
  frameworks: [...CONTROLS.authentication(), ...pci('8.4.2')],
  remediation: 'Set mfa_configuration / MfaConfiguration to ON with TOTP (software_token_mfa_configuration) or SMS configured.',
  references: [`${TF_DOCS}cognito_user_pool#mfa_configuration`, 'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html'],
  tf: { aws_cognito_user_pool: (r) => mfa(r.attrs, 'mfa_configuration') },
  cfn: { 'AWS::Cognito::UserPool': (r) => mfa(r.attrs, 'MfaConfiguration') },
  fix: { terraform: 'mfa_configuration = "ON"\nsoftware_token_mfa_configuration {\n  enabled = true\n}', cloudformation: 'MfaConfiguration: "ON"\nEnabledMfas:\n  - SOFTWARE_TOKEN_MFA' },
  bad: [tf('resource "aws_cognito_user_pool" "users" {\n  name              = "users"\n  mfa_configuration = "OFF"\n}\n', 3)],
  good: [cfn('Resources:\n  Users:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      MfaConfiguration: "ON"\n      EnabledMfas: [SOFTWARE_TOKEN_MFA]\n')],
});

/** Values that fetch the secret at deploy time instead of holding it. */
const DYNAMIC_REFERENCE = /^\{\{resolve:(secretsmanager|ssm-secure):/;

/** A secret at `path`: plain text in the template, or the default of the parameter it comes from. */
function plainSecret(r: Resource, ctx: RuleContext, path: AttrPath, what: string): Violation[] {
  const v = at(r.attrs, path);
  if (isAbsent(v) || isUnresolved(v) || isObject(v)) return [];
  const origins = (r.meta?.['parameterRefs'] as readonly { path: AttrPath; parameters: readonly string[] }[] | undefined) ?? [];
  const origin = origins.find((o) => o.path.length === path.length && o.path.every((k, i) => k === path[i]));
  if (origin !== undefined) {
    return origin.parameters.flatMap((name) => {
      const p = ctx.byId(`Parameters.${name}`);
      return p !== undefined && !isEmpty(p.attrs['Default'])
        ? [{ ...violation(['Default'], `parameter ${name} has a default value used as the ${what}`), resource: p }]
        : [];
    });
  }
  const s = str(v);
  if (s === undefined || s.trim() === '' || DYNAMIC_REFERENCE.test(s.trim())) return [];
  return [violation(path, `the ${what} is written in plain text`)];
}

const secretsAt = (...specs: [AttrPath, string][]) => (r: Resource, ctx: RuleContext): Violation[] => specs.flatMap(([path, what]) => plainSecret(r, ctx, path, what));

export const plainTextSecrets = awsRule({
  id: 'VGL-AWS-194',
  title: 'Secret written in plain text in the template',
  description: 'An access token, OAuth token or password is written in the template (or as a parameter default), so it is stored in version control, shown in the console and readable by anyone who can read the stack or state.',
  severity: 'high',
  service: 'secrets',
  frameworks: CONTROLS.secrets(),
  remediation: 'Reference the secret from Secrets Manager or SSM Parameter Store (a {{resolve:secretsmanager:…}} dynamic reference, or a NoEcho parameter without a default; in Terraform a sensitive variable or a data source).',
  references: [`${CFN_DOCS}dynamic-references.html`, `${TF_DOCS}amplify_app#access_token`, `${CFN_DOCS}aws-resource-directoryservice-microsoftad.html#cfn-directoryservice-microsoftad-password`],
  tf: {
    aws_amplify_app: secretsAt([['access_token'], 'access token'], [['oauth_token'], 'OAuth token'], [['basic_auth_credentials'], 'basic auth credentials']),
    aws_amplify_branch: secretsAt([['basic_auth_credentials'], 'basic auth credentials']),
    aws_directory_service_directory: secretsAt([['password'], 'directory administrator password']),
  },
  cfn: {
    'AWS::Amplify::App': secretsAt([['AccessToken'], 'access token'], [['OauthToken'], 'OAuth token'], [['BasicAuthConfig', 'Password'], 'basic auth password']),
    'AWS::Amplify::Branch': secretsAt([['BasicAuthConfig', 'Password'], 'basic auth password']),
    'AWS::DirectoryService::MicrosoftAD': secretsAt([['Password'], 'directory administrator password']),
    'AWS::DirectoryService::SimpleAD': secretsAt([['Password'], 'directory administrator password']),
  },
  fix: { terraform: 'access_token = data.aws_secretsmanager_secret_version.github.secret_string', cloudformation: "AccessToken: '{{resolve:secretsmanager:amplify/github:SecretString:token}}'" },
  bad: [
    cfn('Resources:\n  Ad:\n    Type: AWS::DirectoryService::MicrosoftAD\n    Properties:\n      Name: corp.example.com\n      Password: "Sup3rSecret!"\n', 6),
    cfn('Parameters:\n  AdminPassword:\n    Type: String\n    NoEcho: true\n    Default: "Sup3rSecret!"\nResources:\n  Ad:\n    Type: AWS::DirectoryService::MicrosoftAD\n    Properties:\n      Name: corp.example.com\n      Password: !Ref AdminPassword\n', 5),
  ],
  good: [
    cfn('Parameters:\n  AdminPassword:\n    Type: String\n    NoEcho: true\nResources:\n  Ad:\n    Type: AWS::DirectoryService::MicrosoftAD\n    Properties:\n      Name: corp.example.com\n      Password: !Ref AdminPassword\n'),
    cfn("Resources:\n  App:\n    Type: AWS::Amplify::App\n    Properties:\n      Name: site\n      AccessToken: '{{resolve:secretsmanager:amplify/github:SecretString:token}}'\n"),
  ],
});

function allowsEverything(defaultAction: string | undefined, rules: unknown, path: AttrPath): Violation[] {
  if (defaultAction !== 'allow') return [];
  const none = isAbsent(rules) || (Array.isArray(rules) && rules.length === 0);
  return none ? [violation(path, 'the web ACL allows every request: its default action is ALLOW and it has no rules')] : [];
}

export const wafAllowsAll = awsRule({
  id: 'VGL-AWS-184',
  title: 'WAF web ACL inspects nothing',
  description: 'A web ACL whose default action is ALLOW and which has no rules lets every request through; the resources it protects only look protected.',
  severity: 'medium',
  service: 'waf',
  frameworks: [...nist('SC-7', 'SI-4'), ...csf('PR.IR-01'), ...iso('A.8.20'), ...soc2('CC6.6'), ...pci('6.4.2')],
  remediation: 'Add rules (AWS managed rule groups such as AWSManagedRulesCommonRuleSet, rate limits), or make BLOCK the default action for an allow-list ACL.',
  references: [`${TF_DOCS}wafv2_web_acl`, 'https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-default-action.html'],
  tf: {
    aws_wafv2_web_acl: (r) => {
      const d = eachBlock(r.attrs, 'default_action')[0];
      const allow = d !== undefined && !isAbsent(d.block['allow']) ? 'allow' : undefined;
      return allowsEverything(allow, r.attrs['rule'], d?.path ?? ['default_action']);
    },
    aws_waf_web_acl: (r) => {
      const d = eachBlock(r.attrs, 'default_action')[0];
      return allowsEverything(d === undefined ? undefined : lower(d.block, ['type']), r.attrs['rules'], d?.path ?? ['default_action']);
    },
  },
  cfn: {
    'AWS::WAFv2::WebACL': (r) => allowsEverything(isObject(at(r.attrs, ['DefaultAction', 'Allow'])) ? 'allow' : undefined, r.attrs['Rules'], ['DefaultAction']),
    'AWS::WAF::WebACL': (r) => allowsEverything(lower(r.attrs, ['DefaultAction', 'Type']), r.attrs['Rules'], ['DefaultAction']),
  },
  fix: { terraform: 'rule {\n  name     = "common"\n  priority = 1\n  override_action {\n    none {}\n  }\n  statement {\n    managed_rule_group_statement {\n      name        = "AWSManagedRulesCommonRuleSet"\n      vendor_name = "AWS"\n    }\n  }\n  visibility_config {\n    cloudwatch_metrics_enabled = true\n    metric_name                = "common"\n    sampled_requests_enabled   = true\n  }\n}', cloudformation: 'Rules:\n  - Name: common\n    Priority: 1\n    OverrideAction:\n      None: {}\n    Statement:\n      ManagedRuleGroupStatement:\n        VendorName: AWS\n        Name: AWSManagedRulesCommonRuleSet' },
  bad: [cfn('Resources:\n  Acl:\n    Type: AWS::WAFv2::WebACL\n    Properties:\n      Scope: REGIONAL\n      DefaultAction:\n        Allow: {}\n      Rules: []\n', 6)],
  good: [cfn('Resources:\n  Acl:\n    Type: AWS::WAF::WebACL\n    Properties:\n      Name: acl\n      DefaultAction:\n        Type: BLOCK\n')],
});
