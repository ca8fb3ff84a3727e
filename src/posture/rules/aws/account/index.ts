/**
 * AWS rules over collected account data only (no Terraform / CloudFormation form), ids
 * VGL-AWS-200…299: the root user and contacts (root.ts), the password policy's character classes
 * (password.ts), IAM users' credentials from the credential report (users.ts), IAM principals and
 * account-wide IAM settings (iam.ts), S3 account and bucket settings (s3.ts), CloudTrail across
 * the account (trails.ts), the CIS section 4 metric filters and alarms (cis-alarms.ts over
 * cis-alarm-table.ts), and security services per region, KMS key states and SNS topics
 * (services.ts). Rules whose concern also exists in IaC carry a `live` block in their own file
 * one folder up instead (S3, IAM policies, password policy, CloudTrail, KMS, Config, GuardDuty).
 */
import type { Rule } from '../../../rule.js';
import { cisAlarmRules } from './cis-alarms.js';
import { iamAccountRules } from './iam.js';
import { passwordClassRules, passwordSelfChange } from './password.js';
import { rootRules } from './root.js';
import { s3AccountRules } from './s3.js';
import { serviceRules } from './services.js';
import { trailAccountRules } from './trails.js';
import { userCredentialRules } from './users.js';

export const awsAccountLiveRules: readonly Rule[] = [
  ...rootRules,
  ...passwordClassRules,
  passwordSelfChange,
  ...userCredentialRules,
  ...iamAccountRules,
  ...s3AccountRules,
  ...trailAccountRules,
  ...cisAlarmRules,
  ...serviceRules,
];
