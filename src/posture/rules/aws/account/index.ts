/**
 * AWS rules over collected account data only (no Terraform / CloudFormation form): root and IAM
 * credentials, the account's logging and monitoring, security services. Rules whose concern also
 * exists in IaC carry a `live` block in their own file one folder up instead.
 */
import type { Rule } from '../../../rule.js';

export const awsAccountLiveRules: readonly Rule[] = [];
